import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A real app in a child process blocks its main thread with a busy loop while a prober behaves like the
 * kubelet: a new connection per probe, a 1 s timeout, every 100 ms. The threaded health server keeps answering
 * (busy is not dead) and turns readiness off during the block; the main-thread server cannot answer at all.
 */

const PROBE_EVERY_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;
const BLOCK_MS = 3_000;
const NOT_READY_AFTER = 500;

interface Probe {
  path: string;
  sentAt: number;
  /** The status, or `timeout`/`error`. */
  outcome: number | 'timeout' | 'error';
  body: string;
}

interface RunningApp {
  child: ChildProcess;
  port: number;
  /** Resolves with the time (here) at which the app printed `line`. */
  printed(line: string): Promise<number>;
}

async function startApp(server: Record<string, unknown>): Promise<RunningApp> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      './test/support/register-ts.mjs',
      'test/fixtures/blocking-app.ts',
      JSON.stringify(server),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Array<[string, number]> = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push([line, Date.now()]);
    for (const wake of waiters.splice(0)) wake();
  });
  const printed = async (wanted: (line: string) => boolean) => {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const found = lines.find(([line]) => wanted(line));
      if (found) return found;
      if (child.exitCode !== null) break;
      await Promise.race([
        new Promise<void>((wake) => waiters.push(wake)),
        delay(100),
      ]);
    }
    throw new Error('the app did not print what was awaited');
  };
  const [portLine] = await printed((line) => line.startsWith('port '));
  return {
    child,
    port: Number(portLine.slice('port '.length)),
    printed: async (line) => (await printed((seen) => seen === line))[1],
  };
}

/** Asks the app to close; answers its exit code, or `killed` when it had not exited by itself 15 s later. */
async function stopApp(app: RunningApp): Promise<number | 'killed'> {
  if (app.child.exitCode !== null) return app.child.exitCode;
  const exited = once(app.child, 'exit');
  app.child.stdin!.write('exit\n');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    app.child.kill('SIGKILL');
  }, 15_000);
  const [code] = (await exited) as [number | null];
  clearTimeout(timer);
  return killed ? 'killed' : (code ?? 'killed');
}

/** One probe over a new connection, as the kubelet sends it. */
function probe(port: number, path: string): Promise<Probe> {
  const sentAt = Date.now();
  return new Promise((resolve) => {
    const finish = (outcome: Probe['outcome'], body = '') =>
      resolve({ path, sentAt, outcome, body });
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        timeout: PROBE_TIMEOUT_MS,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => finish(response.statusCode ?? 0, body));
        response.on('error', () => finish('error'));
      },
    );
    sent.on('timeout', () => {
      sent.destroy();
      finish('timeout');
    });
    sent.on('error', () => finish('error'));
    sent.end();
  });
}

/** Probes `paths` every 100 ms until `stop()`, and answers every probe. */
function prober(port: number, paths: string[]) {
  const probes: Array<Promise<Probe>> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const path of paths) probes.push(probe(port, path));
      await delay(PROBE_EVERY_MS);
    }
  })();
  return {
    async stop(): Promise<Probe[]> {
      running = false;
      await loop;
      return Promise.all(probes);
    },
  };
}

/** Blocks the app's main thread for BLOCK_MS while probing; answers the probes and when the block ran. */
async function blockWhileProbing(
  app: RunningApp,
  paths: string[],
): Promise<{
  probes: Probe[];
  blockedAt: number;
  unblockedAt: number;
  report: Probe;
}> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const ready = await probe(app.port, '/healthcheck/ready');
    if (ready.outcome === 200) break;
    await delay(100);
  }
  const running = prober(app.port, paths);
  await delay(500);
  app.child.stdin!.write(`block ${BLOCK_MS}\n`);
  const blockedAt = await app.printed('blocking');
  await delay(BLOCK_MS / 2);
  const report = await probe(app.port, '/healthcheck');
  const unblockedAt = await app.printed('unblocked');
  await delay(1_500);
  return { probes: await running.stop(), blockedAt, unblockedAt, report };
}

const outcomes = (probes: Probe[]) => probes.map((probe) => probe.outcome);

describe('probes while the main thread is blocked by a busy loop', () => {
  let app: RunningApp | undefined;

  afterEach(async () => {
    if (app) await stopApp(app);
    app = undefined;
  }, 30_000);

  /** Closes the app; it must then exit by itself: the worker and the heartbeat leave no handle open. */
  async function closesAndExits(): Promise<void> {
    const running = app!;
    app = undefined;
    expect(await stopApp(running)).toBe(0);
  }

  it('threaded health server: liveness answers 200 throughout, readiness 503 from shortly after the block starts until shortly after it ends, the report names the block, and the app exits by itself once closed', async () => {
    app = await startApp({ thread: { notReadyAfter: NOT_READY_AFTER } });
    const { probes, blockedAt, unblockedAt, report } = await blockWhileProbing(
      app,
      ['/healthcheck/live', '/healthcheck/ready'],
    );
    const live = probes.filter((probe) => probe.path.endsWith('/live'));
    const ready = probes.filter((probe) => probe.path.endsWith('/ready'));
    expect(new Set(outcomes(live))).toEqual(new Set([200]));
    expect(
      outcomes(ready.filter((probe) => probe.sentAt < blockedAt - 150)),
    ).not.toContain(503);
    const wellInside = ready.filter(
      (probe) =>
        probe.sentAt > blockedAt + NOT_READY_AFTER + 500 &&
        probe.sentAt < unblockedAt - 200,
    );
    expect(wellInside.length).toBeGreaterThan(3);
    expect(new Set(outcomes(wellInside))).toEqual(new Set([503]));
    const wellAfter = ready.filter((probe) => probe.sentAt > unblockedAt + 500);
    expect(wellAfter.length).toBeGreaterThan(3);
    expect(new Set(outcomes(wellAfter))).toEqual(new Set([200]));
    expect(report.outcome).toBe(503);
    expect(JSON.parse(report.body)).toMatchObject({
      status: 'failure',
      results: expect.arrayContaining([
        {
          checker: 'main-thread',
          passed: false,
          output: expect.stringMatching(
            /^The main thread's event loop has been blocked for \d+ ms \(this probe fails after 500 ms\)\.$/,
          ),
          timestamp: expect.any(Number),
          expires: expect.any(Number),
          response_time: 0,
        },
      ]),
    });
    await closesAndExits();
  }, 60_000);

  it('threaded health server: liveness turns 503 once the block outlasts notLiveAfter, and back after it', async () => {
    app = await startApp({
      thread: { notReadyAfter: NOT_READY_AFTER, notLiveAfter: 1_500 },
    });
    const { probes, blockedAt, unblockedAt } = await blockWhileProbing(app, [
      '/healthcheck/live',
    ]);
    expect(outcomes(probes)).not.toContain('timeout');
    const pastTheLimit = probes.filter(
      (probe) =>
        probe.sentAt > blockedAt + 1_500 + 500 &&
        probe.sentAt < unblockedAt - 200,
    );
    expect(pastTheLimit.length).toBeGreaterThan(0);
    expect(new Set(outcomes(pastTheLimit))).toEqual(new Set([503]));
    expect(
      JSON.parse(pastTheLimit[0].body).results.map(
        (result: { checker: string }) => result.checker,
      ),
    ).toContain('main-thread');
    const wellAfter = probes.filter(
      (probe) => probe.sentAt > unblockedAt + 500,
    );
    expect(new Set(outcomes(wellAfter))).toEqual(new Set([200]));
    await closesAndExits();
  }, 60_000);

  it('health server on the main thread, for contrast: the probes sent during the block time out', async () => {
    app = await startApp({});
    const { probes, blockedAt, unblockedAt } = await blockWhileProbing(app, [
      '/healthcheck/live',
    ]);
    const early = probes.filter(
      (probe) =>
        probe.sentAt > blockedAt + 100 &&
        probe.sentAt < unblockedAt - PROBE_TIMEOUT_MS - 200,
    );
    expect(early.length).toBeGreaterThan(3);
    expect(new Set(outcomes(early))).toEqual(new Set(['timeout']));
  }, 60_000);
});
