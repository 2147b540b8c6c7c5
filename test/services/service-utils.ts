import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

/** A server run by the tests as their own process, on a free loopback port. */
export interface OwnProcessServer {
  readonly port: number;
  /** Stops the server; its clients see their connections close. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
  pause(): Promise<void>;
  /** Lets it run again (SIGCONT). */
  resume(): void;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

/** Runs a command and answers its standard output; rejects with its standard error. */
export const run = async (command: string, args: string[]): Promise<string> =>
  (await promisify(execFile)(command, args, { maxBuffer: 16 * 1024 * 1024 }))
    .stdout;

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A server in this process on a free loopback port that counts its open connections. */
export interface InProcessServer {
  port: number;
  /** The connections open now. */
  connections(): number;
  /** Destroys every connection and closes the server. */
  close(): Promise<void>;
}

/** Starts a TCP server on a free loopback port; `serve` gets each connection (its errors are ignored). */
export async function startInProcessServer(
  serve: (socket: Socket) => void,
): Promise<InProcessServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    serve(socket);
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    port: (server.address() as { port: number }).port,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A new empty directory under the system's temporary directory. */
export const tempDir = (prefix: string): Promise<string> =>
  mkdtemp(join(tmpdir(), `healthcheck-${prefix}-`));

/** Polls `condition` every 100 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await Promise.resolve()
        .then(condition)
        .catch(() => false)
    )
      return;
    await delay(100);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/** Sends SIGSTOP to `pid` and waits until the kernel shows it stopped (state `T`), so nothing it does is in flight. */
export async function freeze(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  await waitFor(
    `process ${pid} to stop`,
    async () => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      return /\) T /.test(stat);
    },
    30_000,
  );
}
