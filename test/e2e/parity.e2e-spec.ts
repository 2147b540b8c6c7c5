import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type INestApplication, Module } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { Registry } from 'prom-client';
import { HealthMonitor } from '../../lib/checks/health.monitor.js';
import {
  type DrainOptions,
  GrpcHealthService,
  HealthCheckRunner,
  HealthcheckModule,
  type HealthcheckModuleOptions,
  HealthcheckServer,
  type HealthReport,
} from '../../lib/index.js';
import type { HealthHistoryEntry } from '../../lib/history/history-entry.js';
import type { CommonCheckOptions } from '../../lib/ready-checks/health-check.definition.js';
import { toIetfReport } from '../../lib/report/ietf-report.js';
import {
  HealthClient,
  startGrpcServer,
  type WatchStream,
} from '../fixtures/grpc-health-client.js';
import {
  CheckGate,
  followEventStream,
  type GateOutcome,
  gatedCheck,
  OUTPUT_MARKER,
  sampleOf,
  type StreamView,
  until,
} from '../fixtures/parity.fixture.js';
import { getText, type TextAnswer } from '../fixtures/ui-sse-client.js';
import { createApp, type Platform, PLATFORMS } from './platforms.js';

/**
 * The parity test: scenarios stepped through by the test alone (every check is a background check whose runs
 * end only when the test releases them, and the clock moves only when the test moves it), asserting after every
 * step that every view says the same thing: the JSON report, the IETF format, the probe routes, the health
 * server, the event stream, the history, the Prometheus metrics and gRPC Check/Watch.
 */

/** `degraded`: shown passing, the result marked degraded (its run said so). */
type Shown = 'pending' | 'passing' | 'degraded' | 'failing';

interface Expected {
  overall: 'success' | 'failure';
  degraded?: boolean;
  checks: Record<string, Shown>;
  /** HTTP status codes of /live, /ready and /startup. */
  probes: { live: number; ready: number; startup: number };
  /** Shutdown has begun (the step runs within the shutdown delay). */
  shuttingDown?: boolean;
  /** A drain is under way (HealthCheckRunner.drain). */
  drained?: boolean;
}

type Action =
  | { run: string; passed: GateOutcome }
  | { clockForwardMs: number }
  | { add: string; options: CommonCheckOptions }
  | { drain: DrainOptions }
  | { undrain: true }
  | { close: true };

interface Step {
  title: string;
  act: Action[];
  expect: Expected;
}

interface Scenario {
  name: string;
  options?: Omit<
    HealthcheckModuleOptions,
    'checks' | 'ui' | 'metrics' | 'server'
  >;
  checks: Record<string, CommonCheckOptions>;
  steps: Step[];
}

/** Background checks: runs one after the other, never timed out nor stale unless a scenario says so. */
const BACKGROUND: CommonCheckOptions = {
  interval: 10,
  timeout: 600_000,
  maxStaleness: 36_000_000,
};
const READY = { ...BACKGROUND, tags: ['readiness', 'startup'] };
const LIVE = { ...BACKGROUND, tags: ['liveness'] };

const up = { live: 200, ready: 200, startup: 200 };
const SHUTDOWN_DELAY_MS = 2_500;

/** How long the parity drain lasts: the test moves the clock past it; its real timer is far off. */
const DRAIN_MS = 600_000;

const SCENARIOS: Scenario[] = [
  {
    name: 'a drain: a check changes meanwhile, it ends by itself, then one is ended early',
    checks: { db: READY, loop: LIVE },
    steps: [
      {
        title: 'both pass',
        act: [
          { run: 'db', passed: true },
          { run: 'loop', passed: true },
        ],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
      {
        title:
          'drained: readiness and the full report fail with a drain result, liveness and startup stay up',
        act: [{ drain: { reason: 'maintenance', forMs: DRAIN_MS } }],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          drained: true,
        },
      },
      {
        title: 'db fails while drained: shown failing, still drained',
        act: [{ run: 'db', passed: false }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          drained: true,
        },
      },
      {
        title: 'db passes while drained: shown passing, still drained',
        act: [{ run: 'db', passed: true }],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          drained: true,
        },
      },
      {
        title: 'the clock moves past its end: the drain ends by itself',
        act: [{ clockForwardMs: DRAIN_MS }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
      {
        title: 'drained again, with no end',
        act: [{ drain: { reason: 'look at it' } }],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          drained: true,
        },
      },
      {
        title: 'undrained early',
        act: [{ undrain: true }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
    ],
  },
  {
    name: 'damping: failureThreshold 3, successThreshold 2',
    checks: {
      db: { ...READY, failureThreshold: 3, successThreshold: 2 },
      loop: LIVE,
    },
    steps: [
      {
        title: 'before any run, both checks are pending',
        act: [],
        expect: {
          overall: 'failure',
          checks: { db: 'pending', loop: 'pending' },
          probes: { live: 500, ready: 500, startup: 500 },
        },
      },
      {
        title: "loop passes; db's first run fails and shows failing at once",
        act: [
          { run: 'loop', passed: true },
          { run: 'db', passed: false },
        ],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 500 },
        },
      },
      {
        title: 'db passes once: held failing',
        act: [{ run: 'db', passed: true }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 500 },
        },
      },
      {
        title: 'db passes twice: passing',
        act: [{ run: 'db', passed: true }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
      ...[1, 2].map((failures): Step => ({
        title: `db fails ${failures} time(s): held passing`,
        act: [{ run: 'db', passed: false }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      })),
      {
        title: 'db fails 3 times: failing (startup stays passed)',
        act: [{ run: 'db', passed: false }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
      {
        title: 'db passes once: held failing',
        act: [{ run: 'db', passed: true }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
      {
        title: 'db passes twice: recovered',
        act: [{ run: 'db', passed: true }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
    ],
  },
  {
    name: 'staleness: a background check whose results stop coming',
    checks: {
      feed: { ...BACKGROUND, tags: ['readiness'], maxStaleness: 1_000 },
      db: READY,
    },
    steps: [
      {
        title: 'both pass',
        act: [
          { run: 'feed', passed: true },
          { run: 'db', passed: true },
        ],
        expect: {
          overall: 'success',
          checks: { feed: 'passing', db: 'passing' },
          probes: up,
        },
      },
      {
        title:
          'the clock moves past timeout + maxStaleness of feed: stale, failing at once',
        act: [{ clockForwardMs: 700_000 }],
        expect: {
          overall: 'failure',
          checks: { feed: 'failing', db: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
      {
        title: "feed's run ends passing: recovered",
        act: [{ run: 'feed', passed: true }],
        expect: {
          overall: 'success',
          checks: { feed: 'passing', db: 'passing' },
          probes: up,
        },
      },
    ],
  },
  {
    name: 'shutdown with shutdownDelay',
    options: { shutdownDelay: SHUTDOWN_DELAY_MS },
    checks: { db: READY, loop: LIVE },
    steps: [
      {
        title: 'both pass',
        act: [
          { run: 'db', passed: true },
          { run: 'loop', passed: true },
        ],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
      {
        title:
          'app.close() begins: within the delay, readiness and the full report fail, liveness stays up',
        act: [{ close: true }],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          shuttingDown: true,
        },
      },
    ],
  },
  {
    name: 'shutdown while drained: shutdown wins',
    options: { shutdownDelay: SHUTDOWN_DELAY_MS },
    checks: { db: READY, loop: LIVE },
    steps: [
      {
        title: 'both pass, then drained',
        act: [
          { run: 'db', passed: true },
          { run: 'loop', passed: true },
          { drain: { reason: 'maintenance', forMs: DRAIN_MS } },
        ],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          drained: true,
        },
      },
      {
        title:
          'app.close() begins: the shutdown result replaces the drain, and the drain ends in every view',
        act: [{ close: true }],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          shuttingDown: true,
        },
      },
    ],
  },
  {
    name: 'a non-critical failure',
    checks: {
      db: READY,
      recs: { ...BACKGROUND, tags: ['readiness'], critical: false },
    },
    steps: [
      {
        title: 'both pass',
        act: [
          { run: 'db', passed: true },
          { run: 'recs', passed: true },
        ],
        expect: {
          overall: 'success',
          checks: { db: 'passing', recs: 'passing' },
          probes: up,
        },
      },
      {
        title: 'recs fails: success, degraded',
        act: [{ run: 'recs', passed: false }],
        expect: {
          overall: 'success',
          degraded: true,
          checks: { db: 'passing', recs: 'failing' },
          probes: up,
        },
      },
      {
        title: 'db fails too: failure',
        act: [{ run: 'db', passed: false }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', recs: 'failing' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
      {
        title: 'both pass again',
        act: [
          { run: 'db', passed: true },
          { run: 'recs', passed: true },
        ],
        expect: {
          overall: 'success',
          checks: { db: 'passing', recs: 'passing' },
          probes: up,
        },
      },
    ],
  },
  {
    name: 'a degraded check, held by its failure threshold, then failing and back',
    checks: {
      db: READY,
      search: { ...BACKGROUND, tags: ['readiness'], failureThreshold: 2 },
    },
    steps: [
      {
        title: 'both pass',
        act: [
          { run: 'db', passed: true },
          { run: 'search', passed: true },
        ],
        expect: {
          overall: 'success',
          checks: { db: 'passing', search: 'passing' },
          probes: up,
        },
      },
      {
        title: 'search passes degraded: success, degraded, still passing',
        act: [{ run: 'search', passed: 'degraded' }],
        expect: {
          overall: 'success',
          degraded: true,
          checks: { db: 'passing', search: 'degraded' },
          probes: up,
        },
      },
      {
        title: 'search fails once: held, still passing and degraded',
        act: [{ run: 'search', passed: false }],
        expect: {
          overall: 'success',
          degraded: true,
          checks: { db: 'passing', search: 'degraded' },
          probes: up,
        },
      },
      {
        title: 'search fails twice: failing, a failure never also degraded',
        act: [{ run: 'search', passed: false }],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', search: 'failing' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
      {
        title: 'search passes degraded: recovered, degraded',
        act: [{ run: 'search', passed: 'degraded' }],
        expect: {
          overall: 'success',
          degraded: true,
          checks: { db: 'passing', search: 'degraded' },
          probes: up,
        },
      },
      {
        title: 'search passes: no longer degraded',
        act: [{ run: 'search', passed: true }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', search: 'passing' },
          probes: up,
        },
      },
    ],
  },
  {
    name: 'showDetails false',
    options: { showDetails: false },
    checks: { db: { ...READY, failureThreshold: 2 }, loop: LIVE },
    steps: [
      {
        title: 'both pass',
        act: [
          { run: 'db', passed: true },
          { run: 'loop', passed: true },
        ],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
      {
        title: 'db fails once: held passing, the held output hidden',
        act: [{ run: 'db', passed: false }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', loop: 'passing' },
          probes: up,
        },
      },
      {
        title: 'db fails twice: failing',
        act: [{ run: 'db', passed: false }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
      {
        title: 'drained with a reason that carries the output marker: hidden',
        act: [{ drain: { reason: `${OUTPUT_MARKER}: maintenance` } }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing', loop: 'passing' },
          probes: { live: 200, ready: 500, startup: 200 },
          drained: true,
        },
      },
    ],
  },
  {
    name: 'a check added at runtime with HealthCheckRunner.addCheck',
    checks: { db: READY },
    steps: [
      {
        title: 'db fails first',
        act: [{ run: 'db', passed: false }],
        expect: {
          overall: 'failure',
          checks: { db: 'failing' },
          probes: { live: 200, ready: 500, startup: 500 },
        },
      },
      {
        title: 'db passes',
        act: [{ run: 'db', passed: true }],
        expect: {
          overall: 'success',
          checks: { db: 'passing' },
          probes: { live: 200, ready: 200, startup: 200 },
        },
      },
      {
        title: 'cache is added: pending, readiness fails',
        act: [
          {
            add: 'cache',
            options: { ...BACKGROUND, tags: ['readiness'] },
          },
        ],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', cache: 'pending' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
      {
        title: 'cache passes',
        act: [{ run: 'cache', passed: true }],
        expect: {
          overall: 'success',
          checks: { db: 'passing', cache: 'passing' },
          probes: up,
        },
      },
      {
        title: 'cache fails',
        act: [{ run: 'cache', passed: false }],
        expect: {
          overall: 'failure',
          checks: { db: 'passing', cache: 'failing' },
          probes: { live: 200, ready: 500, startup: 200 },
        },
      },
    ],
  },
];

const PROBE_PATHS = {
  live: '/healthcheck/live',
  ready: '/healthcheck/ready',
  startup: '/healthcheck/startup',
} as const;

/** Every route compared between the app and the health server. */
const COMPARED_PATHS = [
  '/healthcheck',
  ...Object.values(PROBE_PATHS),
  '/healthcheck/history',
];

/** A body with its first (top-level) `timestamp` value taken out: the only part that differs per answer. */
const withoutTimestamp = (body: string): string =>
  body.replace(/"timestamp":[0-9.e+-]+/, '"timestamp":_');

const serving = (yes: boolean): string => (yes ? 'SERVING' : 'NOT_SERVING');

/** Everything one scenario has running: the app, its servers, clients and the clock it controls. */
class Harness {
  private readonly cleanups: Array<() => unknown> = [];
  readonly gates = new Map<string, CheckGate>();
  private readonly critical = new Map<string, boolean>();
  private readonly results = new Map<string, number>();
  private clockOffset = 0;
  private closing?: Promise<void>;
  private closed = false;
  app!: INestApplication;
  registry = new Registry();
  appUrl = '';
  serverUrl = '';
  grpc!: HealthClient;
  watches: Record<'' | 'readiness', WatchStream> = {} as never;
  streams: StreamView[] = [];
  showDetails = true;

  /** Whether the health server runs on a worker thread, where answers arrive a moment after the change. */
  threaded = false;

  async boot(
    scenario: Scenario,
    platform: Platform,
    threaded: boolean,
  ): Promise<void> {
    this.threaded = threaded;
    const realNow = Date.now.bind(Date);
    jest
      .spyOn(Date, 'now')
      .mockImplementation(() => realNow() + this.clockOffset);
    this.showDetails = scenario.options?.showDetails !== false;
    const definitions = Object.entries(scenario.checks).map(
      ([name, options]) => {
        this.critical.set(name, options.critical !== false);
        return gatedCheck(this.gate(name), options);
      },
    );
    @Module({
      imports: [
        HealthcheckModule.forRoot({
          ...scenario.options,
          checks: definitions,
          ui: true,
          metrics: { registry: this.registry },
          server: {
            port: 0,
            host: '127.0.0.1',
            keepAppRoutes: true,
            ...(threaded && { thread: true }),
          },
        }),
      ],
    })
    class ParityModule {}
    this.app = await createApp(ParityModule, platform);
    this.cleanups.push(() => this.close());
    await this.app.listen(0, '127.0.0.1');
    const { port } = this.app.getHttpServer().address() as AddressInfo;
    this.appUrl = `http://127.0.0.1:${port}`;
    const address = this.app.get(HealthcheckServer).address();
    if (!address) throw new Error('the health server is not listening');
    this.serverUrl = `http://127.0.0.1:${address.port}`;

    this.app.get(HealthMonitor).subscribe((event) => {
      if (event.type === 'result') {
        this.results.set(event.name, (this.results.get(event.name) ?? 0) + 1);
      }
    });
    const grpcServer = await startGrpcServer((server) =>
      this.app.get(GrpcHealthService).addToServer(server),
    );
    this.cleanups.push(grpcServer.close);
    this.grpc = new HealthClient(grpcServer.port);
    this.cleanups.push(() => this.grpc.close());
    this.watches = {
      '': this.grpc.watch(''),
      readiness: this.grpc.watch('readiness'),
    };
    for (const watch of Object.values(this.watches)) {
      this.cleanups.push(() => watch.cancel());
      await watch.received(1);
    }
    for (const base of [this.appUrl, this.serverUrl]) {
      const stream = await followEventStream(`${base}/healthcheck/events`);
      this.cleanups.push(() => stream.close());
      await until(() => stream.events.length > 0, 'the snapshot event');
      this.streams.push(stream);
    }
  }

  async act(action: Action): Promise<void> {
    if ('run' in action) {
      const before = this.results.get(action.run) ?? 0;
      this.gates.get(action.run)!.release(action.passed);
      await until(
        () => (this.results.get(action.run) ?? 0) > before,
        `a result of ${action.run}`,
      );
    } else if ('clockForwardMs' in action) {
      this.clockOffset += action.clockForwardMs;
    } else if ('drain' in action) {
      this.app.get(HealthCheckRunner).drain(action.drain);
    } else if ('undrain' in action) {
      this.app.get(HealthCheckRunner).undrain();
    } else if ('add' in action) {
      this.critical.set(action.add, action.options.critical !== false);
      this.app
        .get(HealthCheckRunner)
        .addCheck(action.add, this.gate(action.add).run, action.options);
    } else {
      const monitor = this.app.get(HealthMonitor);
      this.closing = this.close();
      await until(() => monitor.shuttingDown, 'shutdown begins');
    }
  }

  /** Asserts that every view says what `expected` says. */
  async expectViews(expected: Expected): Promise<void> {
    const { checks, overall } = expected;
    const degraded = expected.degraded === true;
    const shuttingDown = expected.shuttingDown === true;
    const drained = expected.drained === true;
    const passed = (name: string) =>
      checks[name] === 'passing' || checks[name] === 'degraded';

    // The JSON report, on the app (pull views first: the first read applies staleness).
    const report = await getText(`${this.appUrl}/healthcheck`);
    const body = JSON.parse(report.body) as HealthReport;
    expect({
      code: report.status,
      status: body.status,
      degraded: body.degraded === true,
      results: Object.fromEntries(
        body.results.map((result) => [result.checker, result.passed]),
      ),
    }).toEqual({
      code: overall === 'success' ? 200 : 500,
      status: overall,
      degraded,
      results: {
        ...Object.fromEntries(
          Object.keys(checks).map((name) => [name, passed(name)]),
        ),
        ...(shuttingDown && { shutdown: false }),
        ...(drained && { drain: false }),
      },
    });
    if (!shuttingDown) {
      for (const result of body.results) {
        if (checks[result.checker] === 'pending') continue;
        if (result.checker === 'drain') {
          // The drain's reason and end are its output: only with details.
          expect(result.output !== undefined).toBe(this.showDetails);
          continue;
        }
        // Held results say so, and keep the shown status.
        if (result.held) {
          expect('consecutive_failures' in result.held).toBe(result.passed);
        }
        // A degraded check's result says so (a held one as the result it holds); no other does.
        expect({ checker: result.checker, degraded: result.degraded }).toEqual({
          checker: result.checker,
          degraded: checks[result.checker] === 'degraded' ? true : undefined,
        });
      }
    }

    // The IETF format of the same status model's report (the JSON body without details has no result times).
    const ietf = toIetfReport(
      await this.app.get(HealthMonitor).peek(),
      this.showDetails,
    );
    expect({
      status: ietf.status,
      checks: Object.fromEntries(
        Object.entries(ietf.checks).map(([name, [check]]) => [
          name,
          check.status,
        ]),
      ),
    }).toEqual({
      status: overall === 'failure' ? 'fail' : degraded ? 'warn' : 'pass',
      checks: {
        ...Object.fromEntries(
          Object.keys(checks).map((name) => [
            name,
            checks[name] === 'passing'
              ? 'pass'
              : checks[name] === 'degraded' || !this.critical.get(name)
                ? 'warn'
                : 'fail',
          ]),
        ),
        ...(shuttingDown && { shutdown: 'fail' }),
        ...(drained && { drain: 'fail' }),
      },
    });

    // The probe routes.
    const probes: Record<string, number> = {};
    for (const [probe, path] of Object.entries(PROBE_PATHS)) {
      probes[probe] = (await getText(`${this.appUrl}${path}`)).status;
    }
    expect(probes).toEqual(expected.probes);

    // The health server: the same status, content type and bytes as the app, timestamp aside.
    for (const path of COMPARED_PATHS) {
      const onApp = comparable(await getText(`${this.appUrl}${path}`));
      let onServer = comparable(await getText(`${this.serverUrl}${path}`));
      // The worker gets each change a moment after the main thread: it must agree within a bounded wait.
      for (
        let attempt = 0;
        this.threaded && attempt < 100 && !isDeepStrictEqual(onServer, onApp);
        attempt += 1
      ) {
        await delay(20);
        onServer = comparable(await getText(`${this.serverUrl}${path}`));
      }
      expect({ path, ...onServer }).toEqual({ path, ...onApp });
    }

    // The history: the newest change of each check, and of the overall status.
    const { entries } = JSON.parse(
      (await getText(`${this.appUrl}/healthcheck/history`)).body,
    ) as { entries: HealthHistoryEntry[] };
    for (const [name, shown] of Object.entries(checks)) {
      const newest = entries.find(
        (entry) => entry.type === 'check' && entry.name === name,
      );
      if (shown === 'pending') {
        expect({ name, newest }).toEqual({ name, newest: undefined });
      } else if (newest) {
        expect({ name, current: newest.current }).toEqual({
          name,
          current: passed(name) ? 'success' : 'failure',
        });
      }
    }
    const newestOverall = entries.find((entry) => entry.type === 'overall');
    if (newestOverall) {
      expect({ history: newestOverall.current }).toEqual({ history: overall });
    }
    const newestDrain = entries.find((entry) => entry.type === 'drain');
    if (newestDrain || drained) {
      expect({ drain: newestDrain?.current }).toEqual({
        drain: drained ? 'drained' : 'serving',
      });
    }

    // The Prometheus metrics.
    const scrape = await this.registry.metrics();
    expect({
      status: sampleOf(scrape, 'healthcheck_status'),
      degraded: sampleOf(scrape, 'healthcheck_degraded'),
      drained: sampleOf(scrape, 'healthcheck_drained'),
      up: Object.fromEntries(
        Object.keys(checks).map((name) => [
          name,
          sampleOf(scrape, 'healthcheck_up', `check="${name}"`),
        ]),
      ),
    }).toEqual({
      status: overall === 'success' ? 1 : 0,
      degraded: degraded ? 1 : 0,
      drained: drained ? 1 : 0,
      up: Object.fromEntries(
        Object.keys(checks).map((name) => [name, passed(name) ? 1 : 0]),
      ),
    });

    // gRPC Check.
    const services = ['', 'readiness', 'liveness', ...Object.keys(checks)];
    const answers = await Promise.all(
      services.map((service) => this.grpc.check(service)),
    );
    expect(
      Object.fromEntries(services.map((service, i) => [service, answers[i]])),
    ).toEqual({
      '': serving(overall === 'success'),
      readiness: serving(expected.probes.ready === 200),
      liveness: serving(expected.probes.live === 200),
      ...Object.fromEntries(
        Object.keys(checks).map((name) => [
          name,
          serving(passed(name) && !shuttingDown && !drained),
        ]),
      ),
    });

    // Push views: they must arrive at the same statuses (bounded wait), then stay there.
    const watchLatest = () => ({
      '': this.watches[''].statuses.at(-1),
      readiness: this.watches.readiness.statuses.at(-1),
    });
    const watchExpected = {
      '': serving(overall === 'success'),
      readiness: serving(expected.probes.ready === 200),
    };
    await until(
      () => equal(watchLatest(), watchExpected),
      'gRPC Watch statuses',
      watchLatest,
    );

    const streamExpected = {
      overall: shuttingDown ? 'failure' : { status: overall, degraded },
      checks: Object.fromEntries(
        Object.entries(checks).map(([name, shown]) => [
          name,
          { state: shown, passed: passed(name) },
        ]),
      ),
      drained,
      ended: shuttingDown,
    };
    for (const stream of this.streams) {
      const seen = () => ({
        overall: shuttingDown ? stream.overall?.status : stream.overall,
        checks: Object.fromEntries(
          [...stream.checks].map(([name, check]) => [
            name,
            { state: check.state, passed: check.result?.passed === true },
          ]),
        ),
        drained: stream.drained,
        ended: stream.ended,
      });
      await until(
        () => equal(seen(), streamExpected),
        'the event stream',
        seen,
      );
      if (shuttingDown) expect(stream.events.at(-1)).toBe('shutdown');
    }

    // Nothing changed while the views were read: the report still says the same.
    const again = JSON.parse(
      (await getText(`${this.appUrl}/healthcheck`)).body,
    ) as HealthReport;
    expect(again.results).toEqual(body.results);

    // Outputs: everywhere with details, nowhere without.
    const texts = [report.body, ...this.streams.map((stream) => stream.raw)];
    for (const path of COMPARED_PATHS) {
      for (const base of [this.appUrl, this.serverUrl]) {
        texts.push((await getText(`${base}${path}`)).body);
      }
    }
    if (!this.showDetails) {
      for (const text of texts) expect(text).not.toContain(OUTPUT_MARKER);
    } else if (Object.values(checks).some((shown) => shown !== 'pending')) {
      expect(report.body).toContain(OUTPUT_MARKER);
    }

    if (shuttingDown && this.closed) {
      throw new Error(
        `the app closed before the views were read: raise SHUTDOWN_DELAY_MS (${SHUTDOWN_DELAY_MS})`,
      );
    }
  }

  async dispose(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      await cleanup();
    }
  }

  private gate(name: string): CheckGate {
    const gate = new CheckGate(name);
    this.gates.set(name, gate);
    return gate;
  }

  private close(): Promise<void> {
    this.closing ??= this.app.close().then(() => {
      this.closed = true;
    });
    return this.closing;
  }
}

function comparable({ status, headers, body }: TextAnswer) {
  return {
    status,
    contentType: headers['content-type'],
    body: withoutTimestamp(body),
  };
}

/** Deep equality of plain data, key order aside. */
function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  );
}

const SERVER_MODES = [
  ['health server on the main thread', false],
  ['health server on a worker thread', true],
] as const;

describe.each(
  PLATFORMS.flatMap((platform) =>
    SERVER_MODES.map(([mode, threaded]) => [platform, mode, threaded] as const),
  ),
)('every view says the same (%s, %s)', (platform, _mode, threaded) => {
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    jest.restoreAllMocks();
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_name, scenario) => {
      harness = new Harness();
      await harness.boot(scenario, platform, threaded);
      for (const [index, step] of scenario.steps.entries()) {
        for (const action of step.act) await harness.act(action);
        try {
          await harness.expectViews(step.expect);
        } catch (error) {
          (error as Error).message =
            `step ${index} "${step.title}":\n${(error as Error).message}`;
          throw error;
        }
      }
    },
    20_000,
  );
});
