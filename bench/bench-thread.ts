/**
 * The threaded health server (option `server.thread`) side by side with the health server on the main thread:
 * its throughput against the node:http floor sending the same bytes, the latency of kubelet-like probes while
 * the app's main thread spins, and what it costs an idle app (CPU time and resident memory). Every app runs in
 * a process of its own; the apps blocked or left idle are bench/dist/blocking-app.js, on the built package.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  cpuSecondsOf,
  medianOf,
  percentileOf,
  pinning,
  type Server,
  startServer,
  stopServer,
} from './bench-processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const appScript = join(here, 'blocking-app.js');

const READINESS = '/healthcheck/ready';
const LIVENESS = '/healthcheck/live';
/** Probes per second, each on a new connection with the kubelet's default 1 s timeout. */
const PROBE_EVERY_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;
/** The answers' timestamps and response times change their length by a few bytes from one to the next. */
const BODY_BYTES_DRIFT = 16;

interface Settings {
  warmup: number;
  round: number;
  rounds: number;
  connections: number;
  blockMs: number;
  idleSettleMs: number;
  idleWindowMs: number;
}

const settingsFor = (quick: boolean): Settings =>
  quick
    ? {
        warmup: 1,
        round: 0.3,
        rounds: 1,
        connections: 50,
        blockMs: 1_500,
        idleSettleMs: 1_000,
        idleWindowMs: 3_000,
      }
    : {
        warmup: 2,
        round: 1,
        rounds: 5,
        connections: 50,
        blockMs: 3_000,
        idleSettleMs: 3_000,
        idleWindowMs: 10_000,
      };

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const ok = (pass: boolean) => (pass ? 'met' : '**not met**');

// ---------------------------------------------------------------- throughput

interface ThroughputRow {
  label: string;
  scenario: string;
  path: string;
  server?: Server;
  bodyBytes?: number;
  rounds: Array<{
    requestsPerSecond: number;
    cpuPerRequest: number;
    p50: number;
    p99: number;
    failed: number;
  }>;
}

interface ReadinessAnswer {
  body: string;
  headers: Headers;
  status: number;
}

/**
 * The readiness answer of the threaded health server, once it is as long as the main-thread server's (the
 * same checks' results): what the floor sends, byte for byte.
 */
async function readinessAnswer(
  threaded: Server,
  mainThread: Server,
): Promise<ReadinessAnswer> {
  const expected = Buffer.byteLength(
    await (await fetch(`${mainThread.url}${READINESS}`)).text(),
  );
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${threaded.url}${READINESS}`);
    const answer = {
      body: await response.text(),
      headers: response.headers,
      status: response.status,
    };
    const bytes = Buffer.byteLength(answer.body);
    if (Math.abs(bytes - expected) <= BODY_BYTES_DRIFT || attempt === 50) {
      return answer;
    }
    await delay(100);
  }
}

async function measureThroughput(
  settings: Settings,
): Promise<{ rows: ThroughputRow[]; answer: ReadinessAnswer }> {
  const rows: ThroughputRow[] = [
    {
      label: 'node:http, same bytes (floor)',
      scenario: 'floor',
      path: '/',
      rounds: [],
    },
    {
      label: 'health server, main thread',
      scenario: 'health-server-readiness',
      path: READINESS,
      rounds: [],
    },
    {
      label: 'health server, worker thread (`server.thread`)',
      scenario: 'health-server-thread',
      path: READINESS,
      rounds: [],
    },
  ];
  const urlOf = (row: ThroughputRow) => `${row.server!.url}${row.path}`;
  try {
    const [floor, ...healthServers] = rows;
    await Promise.all(
      healthServers.map(async (row) => {
        row.server = await startServer(row.scenario, 'none');
      }),
    );
    const answer = await readinessAnswer(rows[2].server!, rows[1].server!);
    const { body } = answer;
    floor.server = await startServer(floor.scenario, 'none', body);
    for (const row of rows) {
      const response = await fetch(urlOf(row));
      const answered = await response.text();
      row.bodyBytes = Buffer.byteLength(answered);
      if (
        response.status !== 200 ||
        Math.abs(row.bodyBytes - Buffer.byteLength(body)) > BODY_BYTES_DRIFT
      ) {
        throw new Error(
          `${row.label} answered ${response.status} with ${row.bodyBytes} bytes, not about ${Buffer.byteLength(body)}`,
        );
      }
      await autocannon({
        url: urlOf(row),
        connections: settings.connections,
        duration: settings.warmup,
        sampleInt: 100,
      });
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const row of rows) {
        const pid = row.server!.child.pid!;
        const cpuBefore = cpuSecondsOf(pid);
        const result = await autocannon({
          url: urlOf(row),
          connections: settings.connections,
          duration: settings.round,
          sampleInt: 100,
        });
        const cpu = cpuSecondsOf(pid) - cpuBefore;
        row.rounds.push({
          requestsPerSecond: result.requests.total / result.duration,
          cpuPerRequest: (cpu * 1e6) / result.requests.total,
          p50: result.latency.p50,
          p99: result.latency.p99,
          failed: result.errors + result.timeouts + result.non2xx,
        });
      }
    }
    return { rows, answer };
  } finally {
    await Promise.all(rows.map((row) => stopServer(row.server)));
  }
}

function throughputSection(
  settings: Settings,
  rows: ThroughputRow[],
  answer: ReadinessAnswer,
): string[] {
  const medianRound = (row: ThroughputRow) => {
    const sorted = [...row.rounds].sort(
      (a, b) => a.requestsPerSecond - b.requestsPerSecond,
    );
    return sorted[Math.floor(sorted.length / 2)];
  };
  const [floor, main, threaded] = rows;
  const floorRps = medianRound(floor).requestsPerSecond;
  /** Each round's ratio to the floor's round just before it, which drift of a shared machine hits alike. */
  const roundRatios = (row: ThroughputRow) =>
    row.rounds.map(
      (round, index) =>
        round.requestsPerSecond / floor.rounds[index].requestsPerSecond,
    );
  const ratio = medianOf(roundRatios(threaded));
  const perRound = (row: ThroughputRow) =>
    roundRatios(row)
      .map((value) => fixed(value))
      .join(', ');
  const headerNames = [...answer.headers.keys()].filter(
    (name) => !['date', 'connection', 'keep-alive'].includes(name),
  );
  return [
    '### Throughput on the readiness route',
    '',
    `\`GET ${READINESS}\` (${Buffer.byteLength(answer.body)} bytes, HTTP ${answer.status}; headers besides Date and ` +
      `Connection: ${headerNames.join(', ')}) on an application context whose five fast checks are readiness checks, against a ` +
      `node:http server that sends the same body with Content-Type, Cache-Control and Content-Length. The three ` +
      `servers run side by side, ${settings.rounds} round(s) of ${settings.round} s each after a ${settings.warmup} s ` +
      `warm-up, in turn, autocannon with ${settings.connections} connections; each row shows its median round, ` +
      `the target the median of each round's ratio to the floor's.` +
      (pinning
        ? ' Each server is pinned to core 0 (the worker and the main thread share it), autocannon to core 1.'
        : ''),
    '',
    '| server | req/s | × floor | p50 ms | p99 ms | server CPU µs/req | body bytes | errors + non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => {
      const m = medianRound(row);
      return (
        `| ${row.label} | ${Math.round(m.requestsPerSecond)} | ${fixed(m.requestsPerSecond / floorRps)} | ` +
        `${fixed(m.p50)} | ${fixed(m.p99)} | ${fixed(m.cpuPerRequest, 1)} | ${row.bodyBytes} | ${m.failed} |`
      );
    }),
    '',
    `- The threaded health server ≥ 0.80 × the floor, median of the rounds' ratios: ${fixed(ratio)} × ` +
      `(${ok(ratio >= 0.8)}; round by round: ${perRound(threaded)}); the main-thread health server ` +
      `${fixed(medianOf(roundRatios(main)))} × (round by round: ${perRound(main)}).`,
  ];
}

// ---------------------------------------------------------------- apps in child processes

interface BlockingApp {
  child: ChildProcess;
  port: number;
  /** Resolves with the first line (and when it came, here) that starts with `prefix` from now on. */
  next(prefix: string): Promise<{ line: string; at: number }>;
  send(command: string): void;
  stop(): Promise<void>;
}

/** Starts bench/dist/blocking-app.js with these `server` options; `cores` limits it to those cores (taskset). */
async function startApp(
  server: Record<string, unknown>,
  cores?: string,
): Promise<BlockingApp> {
  const command = [
    process.execPath,
    '--expose-gc',
    appScript,
    JSON.stringify(server),
  ];
  // The runner is pinned to one core and a child inherits that: the app gets the cores asked for, or all.
  const allCores = `0-${os.availableParallelism() - 1}`;
  const [program, ...args] = pinning
    ? ['taskset', '-c', cores ?? allCores, ...command]
    : command;
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: Array<{
    prefix: string;
    resolve: (seen: { line: string; at: number }) => void;
  }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const at = performance.now();
    const index = waiting.findIndex(({ prefix }) => line.startsWith(prefix));
    if (index >= 0) waiting.splice(index, 1)[0].resolve({ line, at });
  });
  const exited = once(child, 'exit').then(() => {
    throw new Error(`the bench app (${JSON.stringify(server)}) exited`);
  });
  exited.catch(() => undefined);
  const next = (prefix: string) =>
    Promise.race([
      new Promise<{ line: string; at: number }>((resolve) =>
        waiting.push({ prefix, resolve }),
      ),
      exited,
    ]);
  const { line } = await next('port ');
  return {
    child,
    port: Number(line.slice('port '.length)),
    next,
    send: (text) => child.stdin!.write(`${text}\n`),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    },
  };
}

// ---------------------------------------------------------------- probes while blocked

interface Probe {
  sentAt: number;
  /** Milliseconds from sending to the end of the answer; undefined when it timed out or failed. */
  latency?: number;
  status?: number;
}

/** One probe over a new connection, as the kubelet sends it. */
function probe(port: number, path: string): Promise<Probe> {
  const sentAt = performance.now();
  return new Promise((resolve) => {
    const finish = (status?: number) =>
      resolve({
        sentAt,
        status,
        latency: status === undefined ? undefined : performance.now() - sentAt,
      });
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        timeout: PROBE_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        response.on('end', () => finish(response.statusCode));
        response.on('error', () => finish());
      },
    );
    sent.on('timeout', () => {
      sent.destroy();
      finish();
    });
    sent.on('error', () => finish());
    sent.end();
  });
}

interface BlockedRun {
  label: string;
  /** Probes sent while the main thread spun. */
  during: Probe[];
  /** Probes sent in the 500 ms before the block. */
  before: Probe[];
}

async function probeWhileBlocked(
  label: string,
  settings: Settings,
  server: Record<string, unknown>,
  cores?: string,
): Promise<BlockedRun> {
  const app = await startApp(server, cores);
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await probe(app.port, READINESS)).status === 200) break;
      await delay(100);
    }
    const probes: Array<Promise<Probe>> = [];
    let probing = true;
    const loop = (async () => {
      while (probing) {
        probes.push(probe(app.port, LIVENESS));
        await delay(PROBE_EVERY_MS);
      }
    })();
    await delay(500);
    const blocking = app.next('blocking');
    const unblocked = app.next('unblocked');
    app.send(`block ${settings.blockMs}`);
    const blockedAt = (await blocking).at;
    const unblockedAt = (await unblocked).at;
    await delay(300);
    probing = false;
    await loop;
    const all = await Promise.all(probes);
    return {
      label,
      during: all.filter(
        (one) => one.sentAt >= blockedAt && one.sentAt < unblockedAt,
      ),
      before: all.filter((one) => one.sentAt < blockedAt),
    };
  } finally {
    await app.stop();
  }
}

function blockedSection(settings: Settings, runs: BlockedRun[]): string[] {
  const latencies = (probes: Probe[]) =>
    probes.map((one) =>
      one.latency === undefined ? Number.POSITIVE_INFINITY : one.latency,
    );
  const ms = (value: number) =>
    Number.isFinite(value)
      ? fixed(value, 1)
      : `> ${PROBE_TIMEOUT_MS} (timeout)`;
  const [threaded] = runs;
  const threadedP99 = percentileOf(latencies(threaded.during), 0.99);
  return [
    '### Liveness probes while the main thread is blocked',
    '',
    `An app (an application context, one liveness and one readiness check) in a child process spins its main ` +
      `thread for ${settings.blockMs / 1000} s while the runner probes \`GET ${LIVENESS}\` ${1000 / PROBE_EVERY_MS} ` +
      `times a second, each on a new connection (\`agent: false\`) with a ${PROBE_TIMEOUT_MS} ms timeout, as the ` +
      `kubelet does. Latency is from sending the request to the end of the answer, of the probes sent during the ` +
      `block; a probe that timed out counts as slower than every answer. The threaded server has its default ` +
      `limits (notReadyAfter 2000, notLiveAfter 30000 ms).`,
    '',
    '| health server | probes in the block | HTTP 200 | timed out | p50 ms | p99 ms | max ms | p50 ms before the block |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(({ label, during, before }) => {
      const values = latencies(during);
      return (
        `| ${label} | ${during.length} | ${during.filter((one) => one.status === 200).length} | ` +
        `${during.filter((one) => one.status === undefined).length} | ${ms(percentileOf(values, 0.5))} | ` +
        `${ms(percentileOf(values, 0.99))} | ${ms(Math.max(...values))} | ${ms(medianOf(latencies(before)))} |`
      );
    }),
    '',
    `- Threaded, p99 of the liveness probes during the block < 50 ms: ${ms(threadedP99)} ms (${ok(threadedP99 < 50)}).`,
  ];
}

// ---------------------------------------------------------------- idle cost

interface IdleRun {
  label: string;
  cpuMicros: number;
  wallMs: number;
  rss: number;
}

async function idleCost(settings: Settings): Promise<IdleRun[]> {
  const variants: Array<[string, Record<string, unknown>]> = [
    ['health server, main thread', {}],
    ['health server, worker thread (`server.thread`)', { thread: true }],
  ];
  const apps = await Promise.all(
    variants.map(([, server]) => startApp(server)),
  );
  try {
    await delay(settings.idleSettleMs);
    const cpu = async (app: BlockingApp) => {
      const answer = app.next('cpu ');
      app.send('cpu');
      const [, micros, at] = (await answer).line.split(' ');
      return { micros: Number(micros), at: Number(at) };
    };
    const start = await Promise.all(apps.map(cpu));
    await delay(settings.idleWindowMs);
    const end = await Promise.all(apps.map(cpu));
    const rss = await Promise.all(
      apps.map(async (app) => {
        const answer = app.next('rss ');
        app.send('rss');
        return Number((await answer).line.split(' ')[1]);
      }),
    );
    return variants.map(([label], index) => ({
      label,
      cpuMicros: end[index].micros - start[index].micros,
      wallMs: end[index].at - start[index].at,
      rss: rss[index],
    }));
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

function idleSection(settings: Settings, runs: IdleRun[]): string[] {
  const percent = (run: IdleRun) => (run.cpuMicros / 1000 / run.wallMs) * 100;
  const [main, threaded] = runs;
  const addedCpu = percent(threaded) - percent(main);
  const addedRss = (threaded.rss - main.rss) / 1024 / 1024;
  return [
    '### Idle cost',
    '',
    `The same app twice, side by side in child processes, its health server on the main thread and on a worker ` +
      `thread, nothing probing: the CPU time of each whole process (every thread, \`process.cpuUsage()\` read ` +
      `inside it) over ${settings.idleWindowMs / 1000} s of idling, ${settings.idleSettleMs / 1000} s after it ` +
      `listened, as % of one core; then its resident memory after a full GC. The checks have the default TTLs.`,
    '',
    '| health server | CPU ms in the window | % of one core | RSS MB |',
    '| --- | ---: | ---: | ---: |',
    ...runs.map(
      (run) =>
        `| ${run.label} | ${fixed(run.cpuMicros / 1000, 1)} | ${fixed(percent(run), 2)} | ${mb(run.rss)} |`,
    ),
    '',
    `- The worker thread and the heartbeat add < 1% of a core: ${fixed(addedCpu, 2)}% (${ok(addedCpu < 1)}).`,
    `- The worker thread adds < 20 MB of RSS: ${fixed(addedRss, 1)} MB (${ok(addedRss < 20)}).`,
  ];
}

// ---------------------------------------------------------------- the section

/** Runs the three measurements and answers the Markdown of the "Threaded health server" section. */
export async function benchThread({
  quick = false,
}: { quick?: boolean } = {}): Promise<string[]> {
  const settings = settingsFor(quick);
  const { rows: throughput, answer } = await measureThroughput(settings);
  const blocked = [
    await probeWhileBlocked('worker thread, all cores', settings, {
      thread: true,
    }),
    await probeWhileBlocked(
      'worker thread, one core shared with the spinning main thread',
      settings,
      { thread: true },
      '0',
    ),
    await probeWhileBlocked('main thread, for contrast', settings, {}),
  ];
  const idle = await idleCost(settings);
  return [
    '## Threaded health server',
    '',
    ...throughputSection(settings, throughput, answer),
    '',
    ...blockedSection(settings, blocked),
    '',
    ...idleSection(settings, idle),
  ];
}
