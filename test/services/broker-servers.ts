import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { settle } from '../../lib/checks/settle.js';
import type { HealthCheckFunction } from '../../lib/interfaces/check.interface.js';
import type { HealthCheckDefinition } from '../../lib/ready-checks/health-check.definition.js';
import {
  acceptsConnections,
  freeze,
  freePort,
  run,
  tempDir,
  waitFor,
  type OwnProcessServer,
} from './service-utils.js';

/** A server run by the tests as a child process, on a free loopback port, in a temporary directory. */
export interface BrokerServer extends OwnProcessServer {
  readonly dir: string;
}

/** How to start a server process and when it is ready. */
export interface Spec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The port that accepts connections once the server is ready. */
  readyPort: number;
  /** Besides the port accepting connections, e.g. a leader elected. */
  ready?: () => Promise<boolean>;
  startTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
// A suite that crashes before its afterAll still leaves no server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns `spec.command`, its output in `<dir>/<name>.log`, and waits for its port (and `spec.ready`). */
export async function spawnServer(
  name: string,
  dir: string,
  spec: Spec,
): Promise<ChildProcess> {
  const logFile = join(dir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: dir,
    env: spec.env ?? process.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });
  child.once('error', () => {
    exited = true;
    running.delete(child);
  });
  try {
    await waitFor(
      `${name} on 127.0.0.1:${spec.readyPort}`,
      async () => {
        if (exited) throw new Error('exited');
        return (
          (await acceptsConnections(spec.readyPort)) &&
          (spec.ready ? await spec.ready() : true)
        );
      },
      spec.startTimeoutMs ?? 120_000,
    );
  } catch (error) {
    await stopChild(child);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30);
    throw new Error(
      `${name} did not start: ${(error as Error).message}\n${tail.join('\n')}`,
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

/**
 * Starts the server with `launch` and answers its handle: stop (SIGTERM, then SIGKILL after 15 s), start again,
 * pause (SIGSTOP), resume (SIGCONT), dispose (stop, `extraCleanup`, remove `dir`).
 */
export function serverHandle(
  port: number,
  dir: string,
  launch: () => Promise<ChildProcess>,
  extraCleanup: () => Promise<void> = async () => undefined,
): Promise<BrokerServer> {
  let child: ChildProcess | undefined;
  const signal = (name: NodeJS.Signals): void => {
    if (!child?.pid) throw new Error('the server is not running');
    process.kill(child.pid, name);
  };
  const handle: BrokerServer = {
    port,
    dir,
    start: async () => {
      child = await launch();
    },
    stop: async () => {
      await stopChild(child);
      child = undefined;
    },
    pause: async () => {
      if (!child?.pid) throw new Error('the server is not running');
      await freeze(child.pid);
    },
    resume: () => signal('SIGCONT'),
    dispose: async () => {
      await stopChild(child);
      child = undefined;
      await extraCleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle.start().then(
    () => handle,
    async (error: unknown) => {
      await extraCleanup();
      await rm(dir, { recursive: true, force: true });
      throw error;
    },
  );
}

/** A Redis server with no persistence; `cli` runs redis-cli against it. */
export async function startRedis(): Promise<
  BrokerServer & { cli(args: string[]): Promise<string> }
> {
  const dir = await tempDir('redis');
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  const server = await serverHandle(port, dir, () =>
    spawnServer('redis-server', dir, {
      command: 'redis-server',
      args,
      readyPort: port,
    }),
  );
  return Object.assign(server, {
    cli: (cliArgs: string[]) =>
      run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...cliArgs]),
  });
}

/** A NATS server with its monitoring endpoint on 127.0.0.1 (`monitorPort`, e.g. `/connz`). */
export async function startNats(): Promise<
  BrokerServer & { monitorPort: number }
> {
  const dir = await tempDir('nats');
  const port = await freePort();
  const monitorPort = await freePort();
  const server = await serverHandle(port, dir, () =>
    spawnServer('nats-server', dir, {
      command: 'nats-server',
      args: ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)],
      readyPort: port,
    }),
  );
  return Object.assign(server, { monitorPort });
}

const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';

/**
 * RabbitMQ 3 with no plugins (no management), user guest/guest on 127.0.0.1. The scripts in /usr/lib/rabbitmq/bin
 * are called directly: the /usr/sbin wrappers switch to the `rabbitmq` user and its home (another Erlang cookie).
 * HOME is the temporary directory (the cookie lives there), and the node talks to an epmd of its own on a
 * private port, so nothing is shared with a system RabbitMQ. `ctl` runs rabbitmqctl against the node.
 */
export async function startRabbitmq(): Promise<
  BrokerServer & { node: string; ctl(args: string[]): Promise<string> }
> {
  const dir = await tempDir('rabbitmq');
  const [port, distPort, epmdPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const node = `hc${port}@localhost`;
  await writeFile(join(dir, 'enabled_plugins'), '[].\n');
  await writeFile(
    join(dir, 'rabbitmq.conf'),
    `listeners.tcp.1 = 127.0.0.1:${port}\n`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir,
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    // The VM itself, not a shell waiting on it, is then the child: SIGSTOP freezes the broker.
    RABBITMQ_ALLOW_INPUT: 'true',
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-noinput',
  };
  let epmd: ChildProcess | undefined;
  try {
    epmd = await spawnServer('epmd', dir, {
      command: 'epmd',
      args: ['-port', String(epmdPort)],
      env,
      readyPort: epmdPort,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const server = await serverHandle(
    port,
    dir,
    () =>
      spawnServer('rabbitmq-server', dir, {
        command: join(RABBITMQ_BIN, 'rabbitmq-server'),
        args: [],
        env,
        readyPort: port,
        startTimeoutMs: 180_000,
      }),
    () => stopChild(epmd),
  );
  const ctl = (args: string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile(
        join(RABBITMQ_BIN, 'rabbitmqctl'),
        ['-n', node, '-q', ...args],
        { env, cwd: dir },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`${error.message}\n${stderr}`))
            : resolve(stdout),
      ),
    );
  return Object.assign(server, { node, ctl });
}

/** Builds a ready-made check the way the module does at bootstrap, with instances only (no DI tokens). */
export function buildCheck(
  definition: HealthCheckDefinition,
): HealthCheckFunction {
  return definition.build((option, value, isInstance, expected) => {
    if (!isInstance(value)) throw new Error(`${option}: expected ${expected}`);
    return value;
  });
}

/** Runs a built check as the runner does: with a time-out that aborts its signal and ignores a late result. */
export async function runWithTimeout(
  check: HealthCheckFunction,
  timeoutMs: number,
): Promise<{ passed: boolean; output: unknown; elapsedMs: number }> {
  const started = performance.now();
  const settled = await settle((signal) => check({ signal }), { timeoutMs });
  const elapsedMs = performance.now() - started;
  if (!settled.ok) return { passed: false, output: settled.message, elapsedMs };
  const { passed, output } = settled.value as {
    passed: boolean;
    output: unknown;
  };
  return { passed, output, elapsedMs };
}

/** Runs the check until `accept` holds for its outcome, each run bounded by `answerMs` (bounded by waitFor). */
export async function runUntil(
  check: HealthCheckFunction,
  accept: (outcome: { passed: boolean; output: unknown }) => boolean,
  answerMs = 10_000,
): Promise<{ passed: boolean; output: unknown }> {
  let last: { passed: boolean; output: unknown } = {
    passed: false,
    output: undefined,
  };
  await waitFor(
    'the expected outcome',
    async () => {
      last = await runWithTimeout(check, answerMs);
      return accept(last);
    },
    120_000,
  );
  return last;
}

/** A memcached in the foreground, UDP off; `stats()` reads its `stats` over a connection of its own. */
export async function startMemcached(): Promise<
  BrokerServer & { stats(): Promise<Record<string, string>> }
> {
  const dir = await tempDir('memcached');
  const port = await freePort();
  const server = await serverHandle(port, dir, () =>
    spawnServer('memcached', dir, {
      command: 'memcached',
      args: ['-p', String(port), '-l', '127.0.0.1', '-U', '0', '-u', 'nobody'],
      readyPort: port,
    }),
  );
  const { connect } = await import('node:net');
  const stats = (): Promise<Record<string, string>> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.setTimeout(10_000, () =>
        socket.destroy(new Error('memcached stats timed out')),
      );
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (!text.endsWith('END\r\n')) return;
        socket.end();
        const entries = text
          .split('\r\n')
          .filter((line) => line.startsWith('STAT '))
          .map((line) => line.split(' ').slice(1, 3) as [string, string]);
        resolve(Object.fromEntries(entries));
      });
      socket.write('stats\r\n');
    });
  return Object.assign(server, { stats });
}

/** A mosquitto broker on 127.0.0.1 with anonymous access and no persistence. */
export async function startMosquitto(): Promise<BrokerServer> {
  const dir = await tempDir('mosquitto');
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  await writeFile(
    config,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`,
  );
  return serverHandle(port, dir, () =>
    spawnServer('mosquitto', dir, {
      command: 'mosquitto',
      args: ['-c', config],
      readyPort: port,
    }),
  );
}
