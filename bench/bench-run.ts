/**
 * `npm run bench [-- --quick]`: starts each scenario's server in its own process, loads it with autocannon and
 * writes the table to BENCHMARKS.md. All servers of a platform run side by side and are measured in
 * interleaved rounds, so that drift of a shared machine hits every row alike; each row shows its median round.
 */
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_COUNT, SLOW_CHECK_MS } from './bench-checks.js';
import {
  cpuSecondsOf,
  peakRssOf,
  pinning,
  type Server,
  startServer,
  stopServer,
} from './bench-processes.js';
import { benchProbeCommand } from './bench-probe-command.js';
import { benchScrub } from './bench-scrub.js';
import { benchThread } from './bench-thread.js';

const quick = process.argv.includes('--quick');
const settings = quick
  ? {
      warmup: 0.2,
      round: 0.3,
      latencyRound: 0.3,
      rounds: 1,
      connections: 50,
      growthWarmup: 2_000,
      growthRequests: 5_000,
      soakSeconds: 2,
      cold: 500,
    }
  : {
      warmup: 1,
      round: 1,
      latencyRound: 0.5,
      rounds: 3,
      connections: 50,
      growthWarmup: 20_000,
      growthRequests: 100_000,
      soakSeconds: 10,
      cold: 500,
    };

const here = dirname(fileURLToPath(import.meta.url));
const platforms = ['express', 'fastify'] as const;
type Platform = (typeof platforms)[number];

interface Measurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU time of the server process per request, in µs: its cost whether or not autocannon is the limit. */
  cpuPerRequest: number;
}

interface Row {
  label: string;
  scenario: string;
  path: string;
  /** Also measured with one connection, where latency is not queueing behind other requests. */
  latencyProbe?: boolean;
  /** Request headers of every request to this row. */
  headers?: Record<string, string>;
  /** Bytes of the body the row answers, read once before the rounds. */
  bodyBytes?: number;
  server?: Server;
  rounds: Measurement[];
  latencyRounds: Measurement[];
  peakRss?: number;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const fixed = (value: number, digits = 2) => value.toFixed(digits);

function rowsFor(): Row[] {
  const row = (
    label: string,
    scenario: string,
    path: string,
    latencyProbe = false,
    headers?: Record<string, string>,
  ): Row => ({
    label,
    scenario,
    path,
    latencyProbe,
    headers,
    rounds: [],
    latencyRounds: [],
  });
  return [
    row('1. node:http, same bytes as row 3c (floor)', 'floor', '/'),
    row(
      '2. Nest route, static object of the report’s size',
      'nest-static',
      '/static',
      true,
    ),
    row(
      '2b. the same route in an app with this module',
      'nest-static-with-module',
      '/static',
    ),
    row(
      '2c. the same route in an app with this module, environment and dashboard on (every health route)',
      'nest-static-with-every-route',
      '/static',
    ),
    row(
      `3. nestjs-healthcheck, ${CHECK_COUNT} checks, cache warm`,
      'module',
      '/healthcheck',
      true,
    ),
    row(
      '3b. the same, `showDetails` a function (requests send `x-internal: yes`)',
      'module-show-details-fn',
      '/healthcheck',
      false,
      { 'x-internal': 'yes' },
    ),
    row(
      '3c. the same on the health server (`server` option, application context, no HTTP adapter)',
      'health-server',
      '/healthcheck',
      true,
    ),
    row(`4. terminus, ${CHECK_COUNT} indicators`, 'terminus', '/health'),
    row(
      '4b. terminus, .cacheFor(27_000) on each',
      'terminus-cached',
      '/health',
    ),
    row(
      `5. nestjs-healthcheck, ${SLOW_CHECK_MS} ms checks`,
      'module-slow',
      '/healthcheck',
      true,
    ),
    row(
      `6. terminus, ${SLOW_CHECK_MS} ms indicators`,
      'terminus-slow',
      '/health',
      true,
    ),
    row(
      `6b. terminus, ${SLOW_CHECK_MS} ms, .cacheFor(27_000)`,
      'terminus-cached-slow',
      '/health',
      true,
    ),
  ];
}

function load(
  url: string,
  options: Partial<autocannon.Options>,
): Promise<autocannon.Result> {
  // Samples every 100 ms so that a run stops within 100 ms of its duration or amount.
  return autocannon({
    url,
    connections: settings.connections,
    sampleInt: 100,
    ...options,
  });
}

async function measure(
  row: Row,
  connections: number,
  duration = settings.round,
): Promise<Measurement> {
  const pid = row.server!.child.pid!;
  const cpuBefore = cpuSecondsOf(pid);
  const result = await load(urlOf(row), {
    duration,
    connections,
    headers: row.headers,
  });
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  return {
    cpuPerRequest: (cpu * 1e6) / result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The round with the median throughput. */
function median(rounds: Measurement[]): Measurement {
  const sorted = [...rounds].sort(
    (a, b) => a.requestsPerSecond - b.requestsPerSecond,
  );
  return sorted[Math.floor(sorted.length / 2)];
}

async function fetchJson<T>(url: string): Promise<T> {
  return (await fetch(url)).json() as Promise<T>;
}

/** The report body of the health server (row 3c), so that rows 1 and 2 answer the same bytes. */
async function reportBody(): Promise<string> {
  const server = await startServer('health-server', platforms[0]);
  try {
    return await (await fetch(`${server.url}/healthcheck`)).text();
  } finally {
    await stopServer(server);
  }
}

const urlOf = (row: Row) => `${row.server!.url}${row.path}`;

async function measureRows(
  rows: Row[],
  platform: Platform,
  body: string,
): Promise<void> {
  try {
    await Promise.all(
      rows.map(async (row) => {
        row.server = await startServer(row.scenario, platform, body);
      }),
    );
    for (const row of rows) {
      const response = await fetch(urlOf(row), { headers: row.headers });
      row.bodyBytes = Buffer.byteLength(await response.text());
      await load(urlOf(row), {
        duration: settings.warmup,
        headers: row.headers,
      });
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const row of rows) {
        row.rounds.push(await measure(row, settings.connections));
        if (row.latencyProbe)
          row.latencyRounds.push(await measure(row, 1, settings.latencyRound));
      }
    }
    for (const row of rows) row.peakRss = peakRssOf(row.server!.child.pid!);
  } finally {
    await Promise.all(rows.map((row) => stopServer(row.server)));
  }
}

async function coldCacheRuns(
  platform: Platform,
): Promise<Record<string, number>> {
  const server = await startServer('module-cold', platform);
  try {
    await load(`${server.url}/healthcheck`, {
      connections: settings.cold,
      amount: settings.cold,
    });
    return await fetchJson<Record<string, number>>(
      `${server.url}/bench/invocations`,
    );
  } finally {
    await stopServer(server);
  }
}

interface MemoryGrowth {
  /**
   * Memory after a full GC, before and after `growthRequests` requests: the lowest of three readings a short
   * burst of load apart, since the allocator's transient free lists make single RSS readings swing.
   */
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
  /** RSS and heap after a full GC, once per second of continuous load. */
  soak: Array<{ rss: number; heapUsed: number }>;
}

async function memoryGrowth(platform: Platform): Promise<MemoryGrowth> {
  const server = await startServer('module', platform);
  const url = `${server.url}/healthcheck`;
  const memory = () =>
    fetchJson<NodeJS.MemoryUsage>(`${server.url}/bench/memory`);
  const settled = async () => {
    const readings: NodeJS.MemoryUsage[] = [];
    for (let reading = 0; reading < 3; reading++) {
      await load(url, { amount: 1_000 });
      readings.push(await memory());
    }
    return readings.reduce((low, next) => (next.rss < low.rss ? next : low));
  };
  try {
    // The allocator settles on its working set during the first few thousand requests.
    await load(url, { amount: settings.growthWarmup });
    const before = await settled();
    await load(url, { amount: settings.growthRequests });
    const after = await settled();
    const soak: MemoryGrowth['soak'] = [];
    for (let second = 0; second < settings.soakSeconds; second++) {
      await load(url, { duration: 1 });
      const { rss, heapUsed } = await memory();
      soak.push({ rss, heapUsed });
    }
    return { before, after, soak };
  } finally {
    await stopServer(server);
  }
}

function table(rows: Row[]): string {
  const base = median(
    rows.find((row) => row.scenario === 'nest-static')!.rounds,
  );
  const floor = median(rows.find((row) => row.scenario === 'floor')!.rounds);
  const lines = [
    '| row | req/s | p50 ms | p99 ms | × row 2 | × row 1 | server CPU µs/req | body bytes | peak RSS MB | errors / non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const m = median(row.rounds);
    lines.push(
      `| ${row.label} | ${Math.round(m.requestsPerSecond)} | ${fixed(m.p50)} | ${fixed(m.p99)} | ` +
        `${fixed(m.requestsPerSecond / base.requestsPerSecond)} | ${fixed(m.requestsPerSecond / floor.requestsPerSecond)} | ` +
        `${fixed(m.cpuPerRequest, 1)} | ` +
        `${row.bodyBytes ?? 0} | ${mb(row.peakRss ?? 0)} | ${m.errors} / ${m.non2xx} |`,
    );
  }
  return lines.join('\n');
}

function latencyTable(rows: Row[]): string {
  const lines = [
    '| row, one connection | req/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const row of rows.filter((candidate) => candidate.latencyProbe)) {
    const m = median(row.latencyRounds);
    lines.push(
      `| ${row.label} | ${Math.round(m.requestsPerSecond)} | ${fixed(m.p50)} | ${fixed(m.p99)} |`,
    );
  }
  return lines.join('\n');
}

function verdicts(
  rows: Row[],
  runs: Record<string, number>,
  growth: MemoryGrowth,
): string[] {
  const find = (scenario: string) =>
    rows.find((row) => row.scenario === scenario)!;
  const get = (scenario: string) => median(find(scenario).rounds);
  const latency = (scenario: string) => median(find(scenario).latencyRounds);
  const row1 = get('floor');
  const row2 = get('nest-static');
  const row3 = get('module');
  const server = get('health-server');
  const detailsFn = find('module-show-details-fn');
  const perRound = detailsFn.rounds
    .map((round, index) =>
      fixed(
        round.requestsPerSecond /
          find('module').rounds[index].requestsPerSecond,
      ),
    )
    .join(', ');
  const best = Math.max(
    get('terminus').requestsPerSecond,
    get('terminus-cached').requestsPerSecond,
  );
  const ok = (pass: boolean) => (pass ? 'met' : '**not met**');
  const roundRatios = (scenario: string, baseline: string) =>
    find(scenario)
      .rounds.map((round, index) =>
        fixed(
          round.requestsPerSecond /
            find(baseline).rounds[index].requestsPerSecond,
        ),
      )
      .join(', ');
  const growthMb = (growth.after.rss - growth.before.rss) / 1024 / 1024;
  const heapGrowthMb =
    (growth.after.heapUsed - growth.before.heapUsed) / 1024 / 1024;
  const soakMb = growth.soak.map((sample) => sample.rss / 1024 / 1024);
  const heapMb = growth.soak.map((sample) => sample.heapUsed / 1024 / 1024);
  const withModule =
    get('nest-static-with-module').requestsPerSecond / row2.requestsPerSecond;
  const slow = latency('module-slow');
  const plain = latency('terminus-slow');
  return [
    `- Row 3 ≥ 0.90 × row 2: ${fixed(row3.requestsPerSecond / row2.requestsPerSecond)} × ` +
      `(${ok(row3.requestsPerSecond >= 0.9 * row2.requestsPerSecond)}); ${fixed(row3.requestsPerSecond / best)} × terminus at its best.`,
    `- Row 3c, the health server, ≥ 0.80 × row 1: ${fixed(server.requestsPerSecond / row1.requestsPerSecond)} × ` +
      `(${ok(server.requestsPerSecond >= 0.8 * row1.requestsPerSecond)}); ${fixed(server.requestsPerSecond / row2.requestsPerSecond)} × ` +
      `row 2, the Nest static route, and ${fixed(server.requestsPerSecond / row3.requestsPerSecond)} × row 3, the controller route; ` +
      `p50 ${fixed(server.p50)} ms vs ${fixed(row3.p50)} ms; server CPU per request ${fixed(server.cpuPerRequest, 1)} µs ` +
      `vs ${fixed(row1.cpuPerRequest, 1)} µs for row 1 and ${fixed(row3.cpuPerRequest, 1)} µs for row 3.`,
    `- Row 3b, \`showDetails\` a function, against row 3, the boolean default: ` +
      `${fixed(median(detailsFn.rounds).requestsPerSecond / row3.requestsPerSecond)} × (round by round: ${perRound}); ` +
      `server CPU per request ${fixed(median(detailsFn.rounds).cpuPerRequest, 1)} µs vs ${fixed(row3.cpuPerRequest, 1)} µs; ` +
      `body ${detailsFn.bodyBytes} bytes vs ${find('module').bodyBytes}.`,
    `- Row 5 p50 < 2 ms while row 6 p50 ≥ ${SLOW_CHECK_MS} ms, one connection: ${fixed(slow.p50)} ms vs ${fixed(plain.p50)} ms ` +
      `(${ok(slow.p50 < 2 && plain.p50 >= SLOW_CHECK_MS)}); at ${settings.connections} connections ` +
      `${fixed(get('module-slow').p50)} ms vs ${fixed(get('terminus-slow').p50)} ms, where the static route's own p50 is ${fixed(row2.p50)} ms.`,
    `- Row 7, ${settings.cold} concurrent requests on a cold cache, runs per check: ${JSON.stringify(runs)} ` +
      `(${ok(Object.values(runs).every((count) => count === 1))}).`,
    `- RSS growth over ${settings.growthRequests} requests (after ${settings.growthWarmup} to warm up), lowest of three readings after a ` +
      `full GC: ${fixed(growthMb, 1)} MB, from ${mb(growth.before.rss)} to ${mb(growth.after.rss)} MB (${ok(growthMb < 10)}); ` +
      `heap used ${fixed(heapGrowthMb, 2)} MB.`,
    `- Soak, ${growth.soak.length} s of load, after a full GC each second: RSS ${fixed(Math.min(...soakMb), 1)}–${fixed(Math.max(...soakMb), 1)} MB ` +
      `(first ${fixed(soakMb[0], 1)}, last ${fixed(soakMb.at(-1)!, 1)}); heap used first ${fixed(heapMb[0], 1)}, last ${fixed(heapMb.at(-1)!, 1)} MB.`,
    `- Other routes: the static route in an app with the module runs at ${fixed(withModule)} × the same route without it ` +
      `(round by round: ${roundRatios('nest-static-with-module', 'nest-static')}), and at ` +
      `${fixed(get('nest-static-with-every-route').requestsPerSecond / row2.requestsPerSecond)} × with every health route on ` +
      `(round by round: ${roundRatios('nest-static-with-every-route', 'nest-static')}).`,
  ];
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const sections: string[] = [];
  const body = await reportBody();
  for (const platform of platforms) {
    const rows = rowsFor();
    await measureRows(rows, platform, body);
    const runs = await coldCacheRuns(platform);
    const growth = await memoryGrowth(platform);
    sections.push(
      `## ${platform}\n\nReport body, the health server's, which rows 1 and 2 answer too: ` +
        `${Buffer.byteLength(body)} bytes. Row 3c does not use ${platform}: it is the same server in both tables, ` +
        `measured in the rounds of each.\n\n${table(rows)}\n\n` +
        `Latency without queueing (one connection):\n\n${latencyTable(rows)}\n\n` +
        `Targets, row 7 and memory:\n\n${verdicts(rows, runs, growth).join('\n')}`,
    );
    process.stdout.write(`${sections.at(-1)}\n\n`);
  }
  sections.push((await benchScrub({ quick })).join('\n'));
  process.stdout.write(`${sections.at(-1)}\n\n`);
  sections.push((await benchProbeCommand({ quick })).join('\n'));
  process.stdout.write(`${sections.at(-1)}\n\n`);
  sections.push((await benchThread({ quick })).join('\n'));
  process.stdout.write(`${sections.at(-1)}\n\n`);
  const cpus = os.cpus();
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  const header = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ` +
      `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${mb(os.totalmem())} MB, Node.js ${process.version}, ` +
      `${os.platform()} ${os.release()}. Whole run: ${seconds} s.`,
    '',
    `Every server runs in its own process; all servers of a platform run side by side and are loaded in turn, ` +
      `${settings.rounds} round(s) of ${settings.round} s each after a ${settings.warmup} s warm-up, by autocannon ` +
      `with ${settings.connections} connections from the runner's process on the same machine (one-connection ` +
      `rounds: ${settings.latencyRound} s); each row shows its median round. ` +
      (pinning
        ? 'The servers share core 0 and autocannon has core 1 (taskset). '
        : '') +
      'Ratios compare rows of the same run: absolute numbers drift on shared machines, ratios hold. ' +
      'Server CPU per request is the CPU time the server process used (all its threads, from /proc) divided by ' +
      'the requests it answered in the round: what a request costs even where autocannon, not the server, is ' +
      'the limit. ' +
      "autocannon's latency histogram has a resolution of 1 ms.",
    ...(quick
      ? [
          '',
          'A quick run checks that the suite works; its runs are too short to judge the targets.',
        ]
      : []),
  ].join('\n');
  const document = `${header}\n\n${sections.join('\n\n')}\n`;
  if (!quick) writeFileSync(join(here, '..', '..', 'BENCHMARKS.md'), document);
  process.stdout.write(`Whole run: ${seconds} s\n`);
}

await main();
