import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { readFileSync } from 'node:fs';
import {
  invalidOption,
  otelCheckFailing,
  otelCheckRecovered,
  otelNeedsApi,
} from '../../lib/healthcheck.messages.js';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import { HealthOtel } from '../../lib/metrics/otel/health-otel.service.js';
import { INSTRUMENTATION_SCOPE } from '../../lib/metrics/otel/otel-instruments.js';
import {
  loadOtelApi,
  loadOtelLogsApi,
} from '../../lib/metrics/otel/otel.loader.js';
import { resolveModuleOptions } from '../../lib/options/module-options.resolver.js';
import { EXPECTED } from '../../lib/options/option-validators.js';
import { describeValue } from '../../lib/serialization/describe-value.js';
import { otelSdk } from '../fixtures/otel.fixture.js';
import { createRunner } from './runner.helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const STATUS = 'health_check.status';
const OVERALL = 'health_check.overall.status';
const DEGRADED = 'health_check.overall.degraded';
const CHANGES = 'health_check.status_changes';
const DURATION = 'health_check.duration';
const OBSERVED = 'health_check.observed_value';

type Sdk = ReturnType<typeof otelSdk>;

/** A runner with one switchable on-demand check `db`, reporting through the SDK's meter and logger. */
async function setUp(
  sdk: Sdk,
  options: HealthcheckModuleOptions = {},
  otel: { meter?: unknown; logger?: unknown } = {
    meter: sdk.meter,
    logger: sdk.logger,
  },
) {
  const resolved = resolveModuleOptions({
    successTtl: 0,
    failedTtl: 0,
    ...options,
  });
  const { runner, monitor, registry } = createRunner({
    successTtl: 0,
    failedTtl: 0,
    ...options,
  });
  const state = { passing: true, output: 'ok' };
  runner.addCheck(
    'db',
    () => [state.passing, state.passing ? 'ok' : state.output],
    { tags: ['readiness'] },
  );
  const service = new HealthOtel(monitor, registry, {
    otel,
    showDetails: resolved.showDetails,
  });
  await service.onModuleInit();
  return { runner, monitor, registry, state, service };
}

describe('HealthOtel', () => {
  let sdk: Sdk;
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['performance'] });
    sdk = otelSdk();
  });
  afterEach(async () => {
    jest.useRealTimers();
    await sdk.shutdown();
  });

  it('reports the status gauge, the overall status, the changes and the durations of a check that flips', async () => {
    const { runner, state } = await setUp(sdk);
    await runner.run();
    let points = await sdk.reader.exportNow();
    expect(points.perCheck(STATUS)).toEqual([['db', 1]]);
    expect(points.of(STATUS)[0].attributes).toEqual({
      'health_check.name': 'db',
      'health_check.critical': true,
      'health_check.tags': ['readiness'],
    });
    expect(points.value(OVERALL)).toBe(1);
    expect(points.value(DEGRADED)).toBe(0);
    expect(points.of(CHANGES)).toEqual([]);
    expect(points.histogram(DURATION, 'db')?.count).toBe(1);

    state.passing = false;
    await runner.run();
    points = await sdk.reader.exportNow();
    expect(points.perCheck(STATUS)).toEqual([['db', 0]]);
    expect(points.value(OVERALL)).toBe(0);
    expect(points.of(CHANGES)).toHaveLength(1);
    expect(points.of(CHANGES)[0]).toMatchObject({
      attributes: {
        'health_check.name': 'db',
        'health_check.status': 'failing',
      },
      value: 1,
    });
    expect(points.histogram(DURATION, 'db')?.count).toBe(2);

    state.passing = true;
    await runner.run();
    points = await sdk.reader.exportNow();
    expect(points.perCheck(STATUS)).toEqual([['db', 1]]);
    expect(points.value(OVERALL)).toBe(1);
    const changes = points
      .of(CHANGES)
      .map((point) => [point.attributes['health_check.status'], point.value]);
    expect(changes).toEqual(
      expect.arrayContaining([
        ['failing', 1],
        ['passing', 1],
      ]),
    );
    expect(points.histogram(DURATION, 'db')?.count).toBe(3);
  });

  it('records each run duration in seconds, as the result says', async () => {
    const { runner } = await setUp(sdk);
    runner.addCheck('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return true;
    });
    const run = runner.run();
    await jest.advanceTimersByTimeAsync(300);
    const report = await run;
    const points = await sdk.reader.exportNow();
    const slow = points.histogram(DURATION, 'slow')!;
    const shown = report.results.find((r) => r.checker === 'slow')!;
    expect(slow.count).toBe(1);
    expect(slow.sum).toBe(shown.response_time);
    const attributes = points
      .of(DURATION)
      .find((p) => p.attributes['health_check.name'] === 'slow')?.attributes;
    expect(attributes).toEqual({
      'health_check.name': 'slow',
      'health_check.critical': true,
      'health_check.tags': [],
    });
    const descriptor = sdk.reader.exporter
      .getMetrics()[0]
      .scopeMetrics[0].metrics.find((m) => m.descriptor.name === DURATION)!;
    expect(descriptor.descriptor.unit).toBe('s');
    console.log(`slow check: ${shown.response_time} s recorded`);
  });

  it('reports degraded, not failed, while only a non-critical check fails', async () => {
    const { runner } = await setUp(sdk);
    runner.addCheck('cache', () => false, { critical: false });
    await runner.run();
    const points = await sdk.reader.exportNow();
    expect(points.value(OVERALL)).toBe(1);
    expect(points.value(DEGRADED)).toBe(1);
    expect(points.value(STATUS, 'cache')).toBe(0);
    expect(
      points
        .of(STATUS)
        .find((p) => p.attributes['health_check.name'] === 'cache')?.attributes[
        'health_check.critical'
      ],
    ).toBe(false);
  });

  it('reports degraded while a passing check says it is degraded, and the gauge description says so', async () => {
    const { runner } = await setUp(sdk);
    runner.addCheck('search', () => ({ passed: true, degraded: true }));
    await runner.run();
    const points = await sdk.reader.exportNow();
    expect(points.value(OVERALL)).toBe(1);
    expect(points.value(DEGRADED)).toBe(1);
    expect(points.value(STATUS, 'search')).toBe(1);
    const description = sdk.reader.exporter
      .getMetrics()
      .flatMap((exported) => exported.scopeMetrics)
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === DEGRADED)
      ?.descriptor.description;
    expect(description).toContain('non-critical check is failing');
    expect(description).toContain('passing check says it is degraded');
  });

  it('holds the gauge while a threshold holds the status, and counts the flip once it gives way', async () => {
    const { runner } = await setUp(sdk);
    const queue = { passing: true };
    runner.addCheck('queue', () => queue.passing, { failureThreshold: 2 });
    await runner.run();
    queue.passing = false;
    await runner.run();
    let points = await sdk.reader.exportNow();
    expect(points.value(STATUS, 'queue')).toBe(1);
    expect(points.value(CHANGES, 'queue')).toBeUndefined();
    expect(points.histogram(DURATION, 'queue')?.count).toBe(2);
    expect(sdk.records()).toEqual([]);

    await runner.run();
    points = await sdk.reader.exportNow();
    expect(points.value(STATUS, 'queue')).toBe(0);
    expect(points.value(CHANGES, 'queue')).toBe(1);
    expect(points.histogram(DURATION, 'queue')?.count).toBe(3);
  });

  it('reports no point for an on-demand check that has not run, 0 for a pending background check, and never runs one', async () => {
    const { runner } = await setUp(sdk);
    const background = jest.fn(() => true);
    runner.addCheck('queue', background, { interval: 1_000 });
    const points = await sdk.reader.exportNow();
    for (let i = 0; i < 3; i++) await sdk.reader.exportNow();
    expect(points.perCheck(STATUS)).toEqual([['queue', 0]]);
    expect(points.value(OVERALL)).toBe(0);
    expect(background).not.toHaveBeenCalled();
    expect(points.of(DURATION)).toEqual([]);
  });

  it('records no duration for a stale stand-in, but counts the flip to failing', async () => {
    const { monitor, runner } = await setUp(sdk);
    const beat = { alive: true };
    runner.addCheck('beat', () => beat.alive, {
      interval: 1_000,
      maxStaleness: 1_000,
    });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    let points = await sdk.reader.exportNow();
    expect(points.value(STATUS, 'beat')).toBe(1);
    expect(points.histogram(DURATION, 'beat')?.count).toBe(1);
    // The background runs stop: the next collection finds the result stale.
    monitor.onApplicationShutdown();
    jest.setSystemTime(NOW + 5_000);
    points = await sdk.reader.exportNow();
    expect(points.value(STATUS, 'beat')).toBe(0);
    expect(runner.results().find((c) => c.name === 'beat')?.status).toBe(
      'failing',
    );
    points = await sdk.reader.exportNow();
    expect(points.value(CHANGES, 'beat')).toBe(1);
    expect(points.histogram(DURATION, 'beat')?.count).toBe(1);
  });

  it('emits one log record per change, with the scrubbed output when details are shown', async () => {
    const { runner, state } = await setUp(sdk, {
      environment: { scrub: ['password'] },
    });
    state.passing = false;
    state.output = 'login failed with password=hunter2';
    await runner.run();
    state.passing = true;
    await runner.run();
    await runner.run();
    const records = sdk
      .records()
      .filter((r) => r.eventName === 'health_check.status_change');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      severityText: 'WARN',
      body: otelCheckFailing('db'),
      attributes: {
        'health_check.name': 'db',
        'health_check.status': 'failing',
        'health_check.critical': true,
      },
    });
    const output = String(records[0].attributes['health_check.output']);
    expect(output).toContain('login failed');
    expect(output).not.toContain('hunter2');
    expect(records[1]).toMatchObject({
      severityText: 'INFO',
      body: otelCheckRecovered('db'),
      attributes: { 'health_check.status': 'passing' },
    });
    const overall = sdk
      .records()
      .filter((r) => r.eventName === 'health_check.overall.status_change')
      .map((r) => r.attributes['health_check.overall.status']);
    expect(overall).toEqual(['failure', 'success']);
  });

  it('emits the log record of a change even when the meter throws from the counter, and stops cleanly when its callback cannot be removed', async () => {
    const meter = sdk.meter;
    const failing = {
      createObservableGauge: meter.createObservableGauge.bind(meter),
      createHistogram: meter.createHistogram.bind(meter),
      createCounter: () => ({
        add: () => {
          throw new Error('counter unavailable');
        },
      }),
      addBatchObservableCallback: meter.addBatchObservableCallback.bind(meter),
      removeBatchObservableCallback: () => {
        throw new Error('meter closed');
      },
    };
    const error = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const { runner, state, service } = await setUp(
      sdk,
      {},
      {
        meter: failing,
        logger: sdk.logger,
      },
    );
    state.passing = false;
    await runner.run();
    const records = sdk
      .records()
      .filter((r) => r.eventName === 'health_check.status_change');
    expect(records.map((r) => r.attributes['health_check.status'])).toEqual([
      'failing',
    ]);
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining('counter unavailable'),
    );

    expect(() => service.onApplicationShutdown()).toThrow('meter closed');
    // Stopped all the same: a later change records nothing.
    state.passing = true;
    await runner.run();
    expect(
      sdk.records().filter((r) => r.eventName === 'health_check.status_change'),
    ).toHaveLength(1);
  });

  it.each([
    ['false', false],
    ['a function', () => true],
  ])(
    'leaves the output out of the log records when showDetails is %s, keeping the runbook',
    async (_label, showDetails) => {
      const { runner } = await setUp(sdk, { showDetails });
      runner.addCheck('broken', () => [false, 'disk /dev/sda1 full'], {
        runbook: 'https://runbooks.example.com/disk',
      });
      await runner.run();
      const [record] = sdk
        .records()
        .filter((r) => r.eventName === 'health_check.status_change');
      expect(record.attributes).toEqual({
        'health_check.name': 'broken',
        'health_check.status': 'failing',
        'health_check.critical': true,
        'health_check.runbook': 'https://runbooks.example.com/disk',
      });
      expect(JSON.stringify(sdk.records())).not.toContain('sda1');
    },
  );

  it('fails the overall gauge from the start of shutdown, then removes its callback and stops recording', async () => {
    const { runner, monitor, service } = await setUp(sdk);
    await runner.run();
    monitor.beginShutdown();
    let points = await sdk.reader.exportNow();
    expect(points.value(OVERALL)).toBe(0);
    expect((await runner.run()).status).toBe('failure');

    const remove = jest.spyOn(sdk.meter, 'removeBatchObservableCallback');
    const snapshot = jest.spyOn(monitor, 'snapshot');
    service.onApplicationShutdown();
    expect(remove).toHaveBeenCalledTimes(1);
    await sdk.reader.exportNow();
    expect(snapshot).not.toHaveBeenCalled();
    points = await sdk.reader.exportNow();
    expect(points.histogram(DURATION, 'db')?.count).toBe(1);
  });

  it('observes the measurement of a check as health_check.observed_value with its name and unit', async () => {
    const { runner } = await setUp(sdk);
    runner.addCheck('tls', () => ({
      passed: true,
      observedValue: 12,
      observedUnit: 'days',
    }));
    await runner.run();
    const points = await sdk.reader.exportNow();
    expect(points.of(OBSERVED)).toHaveLength(1);
    expect(points.of(OBSERVED)[0]).toMatchObject({
      attributes: {
        'health_check.name': 'tls',
        'health_check.observed_unit': 'days',
      },
      value: 12,
    });
    expect(Object.keys(points.of(OBSERVED)[0].attributes)).toHaveLength(2);
    const descriptor = sdk.reader.exporter
      .getMetrics()[0]
      .scopeMetrics[0].metrics.find((m) => m.descriptor.name === OBSERVED)!;
    expect(descriptor.descriptor.unit).toBe('');
  });

  it('observes no point for a measurement that is not a finite number, and no unit attribute without a unit', async () => {
    const { runner } = await setUp(sdk);
    const given: Record<string, unknown> = {
      text: '12',
      object: { days: 12 },
      nan: Number.NaN,
      infinite: Number.NEGATIVE_INFINITY,
      big: 12n,
    };
    for (const [name, observedValue] of Object.entries(given)) {
      runner.addCheck(name, () => ({
        passed: true,
        observedValue,
        observedUnit: 'days',
      }));
    }
    runner.addCheck('plain', () => ({ passed: true, observedValue: -3 }));
    await runner.run();
    const points = await sdk.reader.exportNow();
    expect(points.of(OBSERVED).map((p) => [p.attributes, p.value])).toEqual([
      [{ 'health_check.name': 'plain' }, -3],
    ]);
    expect(points.value(STATUS, 'text')).toBe(1);
  });

  it('follows the measurement from one collection to the next, through a failing result, until a run gives none', async () => {
    // Delta temporality: the SDK's cumulative gauges would keep repeating a point that is no longer observed.
    const delta = otelSdk(AggregationTemporality.DELTA);
    try {
      const { runner } = await setUp(delta);
      const cert = { daysLeft: 30, broken: false };
      runner.addCheck('tls', () => {
        if (cert.broken) throw new Error('handshake failed');
        return {
          passed: cert.daysLeft >= 14,
          observedValue: cert.daysLeft,
          observedUnit: 'days',
        };
      });
      await runner.run();
      expect((await delta.reader.exportNow()).value(OBSERVED, 'tls')).toBe(30);

      cert.daysLeft = 13;
      await runner.run();
      let points = await delta.reader.exportNow();
      expect(points.value(STATUS, 'tls')).toBe(0);
      expect(points.value(OBSERVED, 'tls')).toBe(13);

      cert.broken = true;
      await runner.run();
      points = await delta.reader.exportNow();
      expect(points.value(STATUS, 'tls')).toBe(0);
      expect(points.value(OBSERVED, 'tls')).toBeUndefined();
    } finally {
      await delta.shutdown();
    }
  });

  it('observes the measurement with showDetails false, as it records the durations', async () => {
    const { runner } = await setUp(sdk, { showDetails: false });
    runner.addCheck('tls', () => ({
      passed: true,
      observedValue: 12,
      observedUnit: 'days',
    }));
    await runner.run();
    const points = await sdk.reader.exportNow();
    expect(points.value(OBSERVED, 'tls')).toBe(12);
    expect(points.histogram(DURATION, 'tls')?.count).toBe(1);
  });

  it('keeps the measurements of two apps on one meter, and removes only its own when one closes', async () => {
    const delta = otelSdk(AggregationTemporality.DELTA);
    try {
      const apps = await Promise.all(
        [
          ['edge', 12],
          ['api', 40],
        ].map(async ([name, days]) => {
          const { runner, monitor, registry } = createRunner({
            successTtl: 0,
            failedTtl: 0,
          });
          const cert = { days: days as number };
          runner.addCheck(name as string, () => ({
            passed: true,
            observedValue: cert.days,
            observedUnit: 'days',
          }));
          const service = new HealthOtel(monitor, registry, {
            otel: { meter: delta.meter },
            showDetails: true,
          });
          await service.onModuleInit();
          await runner.run();
          return { runner, service, cert };
        }),
      );
      let points = await delta.reader.exportNow();
      expect(points.perCheck(OBSERVED)).toEqual([
        ['api', 40],
        ['edge', 12],
      ]);

      apps[0].cert.days = 11;
      await apps[0].runner.run();
      points = await delta.reader.exportNow();
      expect(points.perCheck(OBSERVED)).toEqual([
        ['api', 40],
        ['edge', 11],
      ]);

      apps[0].service.onApplicationShutdown();
      points = await delta.reader.exportNow();
      expect(points.perCheck(OBSERVED)).toEqual([['api', 40]]);
      apps[1].service.onApplicationShutdown();
      points = await delta.reader.exportNow();
      expect(points.of(OBSERVED)).toEqual([]);
    } finally {
      await delta.shutdown();
    }
  });

  it('keeps two apps on one meter apart: each adds its checks, and closing one leaves the other', async () => {
    const delta = otelSdk(AggregationTemporality.DELTA);
    try {
      const first = await setUp(delta);
      const second = createRunner({ successTtl: 0, failedTtl: 0 });
      second.runner.addCheck('mail', () => false);
      const other = new HealthOtel(second.monitor, second.registry, {
        otel: { meter: delta.meter },
        showDetails: true,
      });
      await other.onModuleInit();
      await first.runner.run();
      await second.runner.run();
      let points = await delta.reader.exportNow();
      expect(points.perCheck(STATUS)).toEqual([
        ['db', 1],
        ['mail', 0],
      ]);
      // The overall status has no check attribute: the last bound app's.
      expect(points.value(OVERALL)).toBe(0);

      first.service.onApplicationShutdown();
      points = await delta.reader.exportNow();
      expect(points.perCheck(STATUS)).toEqual([['mail', 0]]);

      other.onApplicationShutdown();
      points = await delta.reader.exportNow();
      expect(points.of(STATUS)).toEqual([]);
      expect(points.of(OVERALL)).toEqual([]);

      // A new app on the same meter binds again.
      const third = await setUp(delta);
      await third.runner.run();
      points = await delta.reader.exportNow();
      expect(points.perCheck(STATUS)).toEqual([['db', 1]]);
      third.service.onApplicationShutdown();
    } finally {
      await delta.shutdown();
    }
  });

  it('does nothing when the option is off', async () => {
    const { runner, monitor, registry } = createRunner();
    const subscribe = jest.spyOn(monitor, 'subscribe');
    const service = new HealthOtel(monitor, registry, {
      otel: null,
      showDetails: true,
    });
    await service.onModuleInit();
    runner.addCheck('db', () => true);
    await runner.run();
    expect(subscribe).not.toHaveBeenCalled();
    service.onApplicationShutdown();
  });
});

describe('OpenTelemetry loaders', () => {
  it('throws the message naming the option and the package when @opentelemetry/api cannot be loaded', async () => {
    const missing = Object.assign(
      new Error("Cannot find package '@opentelemetry/api'"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    await expect(loadOtelApi(() => Promise.reject(missing))).rejects.toThrow(
      otelNeedsApi(missing.message),
    );
  });

  it('loads the real @opentelemetry/api and, without api-logs, gives no logger', async () => {
    const api = await loadOtelApi();
    expect(typeof api.metrics.getMeter).toBe('function');
    expect(
      await loadOtelLogsApi(() => Promise.reject(new Error('not installed'))),
    ).toBeUndefined();
    expect(typeof (await loadOtelLogsApi())?.logs.getLogger).toBe('function');
  });

  it('names the package version as the instrumentation scope version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      name: string;
      version: string;
    };
    expect(INSTRUMENTATION_SCOPE).toEqual({
      name: pkg.name,
      version: pkg.version,
    });
  });
});

describe('the otel option', () => {
  const sdk = otelSdk();
  afterAll(() => sdk.shutdown());

  it('is off by default, on with the global providers for true, and takes a meter and a logger', () => {
    expect(resolveModuleOptions({}).otel).toBeNull();
    expect(resolveModuleOptions({ otel: false }).otel).toBeNull();
    expect(resolveModuleOptions({ otel: true }).otel).toEqual({
      meter: undefined,
      logger: undefined,
    });
    const resolved = resolveModuleOptions({
      otel: { meter: sdk.meter, logger: sdk.logger },
    }).otel;
    expect(resolved?.meter).toBe(sdk.meter);
    expect(resolved?.logger).toBe(sdk.logger);
  });

  it.each([
    ['otel.meter', { meter: {} }, {}, EXPECTED.meter],
    ['otel.logger', { logger: 'x' }, 'x', EXPECTED.otelLogger],
  ])('refuses a bad %s', (option, otel, value, expected) => {
    expect(() => resolveModuleOptions({ otel })).toThrow(
      invalidOption(option, expected, describeValue(value)),
    );
  });

  it('refuses a value that is neither a boolean nor an object, and unknown keys', () => {
    expect(() => resolveModuleOptions({ otel: 'yes' as never })).toThrow(
      /otel/,
    );
    expect(() =>
      resolveModuleOptions({ otel: { metre: sdk.meter } as never }),
    ).toThrow(/otel\.metre/);
  });
});
