import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  acceptsConnections,
  freeze,
  freePort,
  run,
  tempDir,
  waitFor,
} from './service-utils.js';

/** A database server run by the tests on a free loopback port, in a temporary directory. */
export interface SqlServer {
  readonly port: number;
  /** Stops the server (as a crash would: no goodbye to clients). */
  stop(): Promise<void>;
  /**
   * Kills every server process (SIGKILL) and returns at once, before the clients have read their sockets'
   * end: a pool still holds connections that look alive. Call `stop()` afterwards to wait until it is down.
   */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Freezes every server process (SIGSTOP): connections stay open, nothing answers. */
  pause(): Promise<void>;
  /** Lets the frozen processes run again (SIGCONT). */
  resume(): Promise<void>;
  /** Stops the server for good and removes its directory. */
  dispose(): Promise<void>;
}

/** The newest PostgreSQL installed by the Debian packages (`/usr/lib/postgresql/<major>/bin`). */
async function postgresBin(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const majors = (await readdir(root))
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no PostgreSQL under ${root}`);
  return join(root, majors[0]!, 'bin');
}

/** PostgreSQL as the `postgres` user (initdb refuses root), trust auth, user `postgres`. */
export async function startPostgres(): Promise<SqlServer> {
  const bin = await postgresBin();
  const dir = await tempDir('pg');
  const data = join(dir, 'data');
  await mkdir(data);
  const { stdout } = await runOut('id', ['-u', 'postgres']);
  const { stdout: gid } = await runOut('id', ['-g', 'postgres']);
  await chown(dir, Number(stdout), Number(gid));
  await chown(data, Number(stdout), Number(gid));
  const asPostgres = (program: string, args: string[]): Promise<string> =>
    run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args]);
  await asPostgres('initdb', [
    '-D',
    data,
    '--auth=trust',
    '-U',
    'postgres',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async (): Promise<void> => {
    await asPostgres('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'server.log'),
      '-o',
      options,
      'start',
    ]);
  };
  const postmaster = async (): Promise<number> =>
    Number(
      (await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
  const children = async (pid: number): Promise<number[]> =>
    (await run('ps', ['-o', 'pid=', '--ppid', String(pid)]).catch(() => ''))
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  let killed: number[] = [];
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async (): Promise<void> => {
    if (killed.length > 0) {
      const gone = killed;
      killed = [];
      await waitFor('the killed postgres processes to exit', () =>
        gone.every((pid) => !alive(pid)),
      );
      return;
    }
    await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  let paused: number[] = [];
  await start();
  return {
    port,
    start,
    stop,
    kill: async () => {
      const main = await postmaster();
      killed = [main, ...(await children(main))];
      for (const pid of killed) process.kill(pid, 'SIGKILL');
    },
    // The postmaster first, so that it forks no new backend while its children are being frozen.
    pause: async () => {
      const main = await postmaster();
      await freeze(main);
      paused = [main, ...(await children(main))];
      for (const pid of paused.slice(1)) await freeze(pid);
    },
    resume: async () => {
      for (const pid of [...paused].reverse()) process.kill(pid, 'SIGCONT');
      paused = [];
    },
    dispose: async () => {
      for (const pid of paused) process.kill(pid, 'SIGCONT');
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** MariaDB as root (`--user=root`), TCP on 127.0.0.1, socket in its directory; user `root`, no password. */
export async function startMariadb(): Promise<SqlServer> {
  const dir = await tempDir('mariadb');
  const data = join(dir, 'data');
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${data}`,
        '--user=root',
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mariadb.sock')}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        `--log-error=${join(dir, 'error.log')}`,
        '--skip-networking=0',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
        '--performance-schema=OFF',
      ],
      { stdio: 'ignore' },
    );
    server = child;
    await waitFor('mariadbd accepting connections', async () => {
      if (child.exitCode !== null) {
        throw new Error(
          `mariadbd exited: ${await readFile(join(dir, 'error.log'), 'utf8')}`,
        );
      }
      return acceptsConnections(port);
    });
  };
  const stop = async (): Promise<void> => {
    const child = server;
    server = undefined;
    // Killed by a signal, a child has a signalCode and no exitCode.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    start,
    stop,
    kill: async () => {
      server?.kill('SIGKILL');
    },
    pause: async () => {
      if (server?.pid) await freeze(server.pid);
    },
    resume: async () => {
      server?.kill('SIGCONT');
    },
    dispose: async () => {
      server?.kill('SIGCONT');
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function runOut(
  command: string,
  args: string[],
): Promise<{ stdout: string }> {
  return { stdout: (await run(command, args)).trim() };
}
