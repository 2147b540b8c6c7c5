import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  acceptsConnections,
  freePort,
  freeze,
  tempDir,
  waitFor,
} from './service-utils.js';

/** A server the suite runs as its own child process, on free loopback ports, in a temporary directory. */
export interface OwnServer {
  readonly port: number;
  readonly dir: string;
  /** Kills the server (SIGKILL after 15 s of SIGTERM); its clients see their connections close. */
  stop(): Promise<void>;
  /** Starts it again on the same ports, with the same data. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  pause(): Promise<void>;
  /** Lets it run again (SIGCONT). */
  resume(): void;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
  /** Established TCP connections the server holds on its port, from /proc/net/tcp. */
  connections(): Promise<number>;
}

interface Launch {
  name: string;
  command: string;
  args: string[];
  /** Besides the port accepting connections, e.g. a leader elected. */
  ready?: () => Promise<boolean>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function launch(
  dir: string,
  port: number,
  spec: Launch,
): Promise<ChildProcess> {
  const logFile = join(dir, `${spec.name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: dir,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  let exited = false;
  const gone = (): void => {
    exited = true;
    running.delete(child);
  };
  child.once('exit', gone);
  child.once('error', gone);
  try {
    await waitFor(
      `${spec.name} on 127.0.0.1:${port}`,
      async () => {
        if (exited) throw new Error('exited');
        return (
          (await acceptsConnections(port)) &&
          (spec.ready ? await spec.ready() : true)
        );
      },
      60_000,
    );
  } catch (error) {
    await stopChild(child);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30);
    throw new Error(
      `${spec.name} did not start: ${(error as Error).message}\n${tail.join('\n')}`,
      { cause: error },
    );
  }
  return child;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** ESTABLISHED sockets whose local port is `port` (the server's side of each connection). */
async function establishedOn(port: number): Promise<number> {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, localAddress, , state] = line.trim().split(/\s+/);
      if (state === '01' && localAddress?.endsWith(local)) count += 1;
    }
  }
  return count;
}

async function ownServer(
  dir: string,
  port: number,
  spec: Launch,
): Promise<OwnServer> {
  let child: ChildProcess | undefined;
  const server: OwnServer = {
    port,
    dir,
    start: async () => {
      child = await launch(dir, port, spec);
    },
    stop: async () => {
      await stopChild(child);
      child = undefined;
    },
    pause: async () => {
      if (!child?.pid) throw new Error(`${spec.name} is not running`);
      await freeze(child.pid);
    },
    resume: () => {
      if (!child?.pid) throw new Error(`${spec.name} is not running`);
      process.kill(child.pid, 'SIGCONT');
    },
    dispose: async () => {
      await stopChild(child);
      child = undefined;
      await rm(dir, { recursive: true, force: true });
    },
    connections: () => establishedOn(port),
  };
  try {
    await server.start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return server;
}

/** A single-member etcd (3.4) with its client and peer URLs on free loopback ports, ready once it has a leader. */
export async function startEtcd(): Promise<OwnServer> {
  const dir = await tempDir('etcd');
  const port = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return ownServer(dir, port, {
    name: 'etcd',
    command: 'etcd',
    args: [
      '--name',
      't',
      '--data-dir',
      join(dir, 'data'),
      '--listen-client-urls',
      client,
      '--advertise-client-urls',
      client,
      '--listen-peer-urls',
      peer,
      '--initial-advertise-peer-urls',
      peer,
      '--initial-cluster',
      `t=${peer}`,
    ],
    ready: async () => {
      const response = await fetch(`${client}/health`, {
        signal: AbortSignal.timeout(2_000),
      });
      return (
        response.ok &&
        ((await response.json()) as { health?: unknown }).health === 'true'
      );
    },
  });
}

/** The root DN and password of the directory `startSlapd` serves. */
export const SLAPD_ROOT = {
  dn: 'cn=admin,dc=example,dc=com',
  password: 'secret',
} as const;

/** OpenLDAP's slapd in the foreground, one mdb database `dc=example,dc=com` with `SLAPD_ROOT` as its rootdn. */
export async function startSlapd(): Promise<OwnServer> {
  const dir = await tempDir('slapd');
  const port = await freePort();
  await mkdir(join(dir, 'db'));
  const config = join(dir, 'slapd.conf');
  await writeFile(
    config,
    [
      'include /etc/ldap/schema/core.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'database mdb',
      'suffix "dc=example,dc=com"',
      `rootdn "${SLAPD_ROOT.dn}"`,
      `rootpw ${SLAPD_ROOT.password}`,
      `directory ${join(dir, 'db')}`,
      '',
    ].join('\n'),
  );
  return ownServer(dir, port, {
    name: 'slapd',
    command: 'slapd',
    args: ['-f', config, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'],
  });
}
