import { jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { HealthMonitor } from '../../lib/checks/health.monitor.js';
import {
  HealthcheckModule,
  type HealthCheckResult,
  type HealthReport,
} from '../../lib/index.js';
import {
  OtelChecks,
  OtelSwitches,
  otelSdk,
  type Points,
  SHUTDOWN_CAPTURE,
  type ShutdownCapture,
  ShutdownSnapshot,
} from '../fixtures/otel.fixture.js';
import { createApp, healthcheckApps, PLATFORMS } from './platforms.js';

const STATUS = 'health_check.status';
const OVERALL = 'health_check.overall.status';
const DEGRADED = 'health_check.overall.degraded';
const CHANGES = 'health_check.status_changes';
const DURATION = 'health_check.duration';
const OBSERVED = 'health_check.observed_value';

type Sdk = ReturnType<typeof otelSdk>;

/** The check results of a report (the shutdown stand-in is not a check). */
const checkResults = (report: HealthReport): HealthCheckResult[] =>
  report.results.filter((result) => result.checker !== 'shutdown');

/** The exported points say what the report says: each check's shown status, the overall status, degraded. */
function expectPointsMatch(points: Points, report: HealthReport): void {
  const shown = checkResults(report)
    .map((result): [string, number] => [result.checker, result.passed ? 1 : 0])
    .sort(([a], [b]) => a.localeCompare(b));
  expect(points.perCheck(STATUS)).toEqual(shown);
  expect(points.value(OVERALL)).toBe(report.status === 'success' ? 1 : 0);
  expect(points.value(DEGRADED)).toBe(report.degraded ? 1 : 0);
}

/** With details shown: one observed-value point per check whose result carries a number, with its unit. */
function expectObservedMatch(points: Points, report: HealthReport): void {
  const shown = checkResults(report)
    .filter((result) => typeof result.observedValue === 'number')
    .map((result) => [
      result.checker,
      result.observedUnit,
      result.observedValue as number,
    ])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  const observed = points
    .of(OBSERVED)
    .map((point) => [
      point.attributes['health_check.name'],
      point.attributes['health_check.observed_unit'],
      point.value as number,
    ])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  expect(observed).toEqual(shown);
}

describe.each(PLATFORMS)('OpenTelemetry metrics (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  let sdk: Sdk;
  beforeEach(() => {
    sdk = otelSdk();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await sdk.shutdown();
  });

  it('exports, after each step, the points the report shows at that moment, through shutdown', async () => {
    const capture: ShutdownCapture = { collect: () => sdk.reader.exportNow() };
    const http = await apps.boot(
      { otel: { meter: sdk.meter, logger: sdk.logger } },
      {
        providers: [
          OtelSwitches,
          OtelChecks,
          ShutdownSnapshot,
          { provide: SHUTDOWN_CAPTURE, useValue: capture },
        ],
      },
    );
    const switches = apps.app.get(OtelSwitches);
    const step = async (expectedStatus: number): Promise<Points> => {
      const response = await http.get('/healthcheck').expect(expectedStatus);
      const report = response.body as HealthReport;
      const points = await sdk.reader.exportNow();
      expectPointsMatch(points, report);
      expectObservedMatch(points, report);
      return points;
    };

    // Before any run: no check has a point.
    const before = await sdk.reader.exportNow();
    expect(before.of(STATUS)).toEqual([]);

    // 1. Everything passes.
    let points = await step(200);
    expect(points.of(CHANGES)).toEqual([]);
    expect(points.perCheck(OBSERVED)).toEqual([['cache', 0.97]]);
    expect(points.histogram(DURATION, 'db')?.count).toBe(1);
    expect(
      points.of(STATUS).find((p) => p.attributes['health_check.name'] === 'db')
        ?.attributes,
    ).toEqual({
      'health_check.name': 'db',
      'health_check.critical': true,
      'health_check.tags': ['liveness', 'readiness'],
    });

    // 2. The critical check fails: its record carries the output as the report shows it (scrubbed).
    switches.db = false;
    points = await step(500);
    expect(points.value(CHANGES, 'db')).toBe(1);
    const dbFailing = sdk
      .records()
      .find((r) => r.attributes['health_check.name'] === 'db');
    const shownDb = (
      (await http.get('/healthcheck').expect(500)).body as HealthReport
    ).results.find((r) => r.checker === 'db')!;
    expect(dbFailing?.attributes['health_check.output']).toBe(shownDb.output);
    expect(JSON.stringify(sdk.records())).not.toContain('s3cr3t-pa55');
    expect(dbFailing?.attributes['health_check.runbook']).toBe(
      'https://runbooks.example.com/db',
    );

    // 3. The critical check recovers; the damped queue fails once: its threshold (2) holds it passing.
    switches.db = true;
    switches.queue = false;
    points = await step(200);
    expect(points.value(STATUS, 'queue')).toBe(1);
    expect(points.value(CHANGES, 'queue')).toBeUndefined();

    // 4. The queue fails a second time: the threshold gives way.
    points = await step(500);
    expect(points.value(STATUS, 'queue')).toBe(0);
    expect(points.value(CHANGES, 'queue')).toBe(1);

    // 5. The queue passes once (successThreshold 2 holds it failing), then again (it recovers).
    switches.queue = true;
    points = await step(500);
    expect(points.value(STATUS, 'queue')).toBe(0);
    points = await step(200);
    expect(points.value(STATUS, 'queue')).toBe(1);

    // 6. Only the non-critical check fails, its measurement dropping with it: success, degraded; the failing
    // result's measurement is exported as the report shows it.
    switches.cache = false;
    switches.cacheHitRatio = 0.12;
    points = await step(200);
    expect(points.perCheck(OBSERVED)).toEqual([['cache', 0.12]]);
    expect(points.value(DEGRADED)).toBe(1);
    expect(points.value(OVERALL)).toBe(1);
    // Eight reports ran (one per step, two in step 5, one more read in step 2): eight durations per check.
    expect(points.histogram(DURATION, 'queue')?.count).toBe(8);

    const checkRecords = sdk
      .records()
      .filter((r) => r.eventName === 'health_check.status_change')
      .map((r) => [
        r.attributes['health_check.name'],
        r.attributes['health_check.status'],
      ]);
    expect(checkRecords).toEqual([
      ['db', 'failing'],
      ['db', 'passing'],
      ['queue', 'failing'],
      ['queue', 'passing'],
      ['cache', 'failing'],
    ]);

    // 7. Shutdown: the overall gauge fails with the report while the app closes; then the callback is gone.
    const monitor = apps.app.get(HealthMonitor);
    await apps.app.close();
    expect(capture.report?.status).toBe('failure');
    expectPointsMatch(capture.points!, capture.report!);
    const snapshot = jest.spyOn(monitor, 'snapshot');
    const overall = jest.spyOn(monitor, 'overall');
    await sdk.reader.exportNow();
    expect(snapshot).not.toHaveBeenCalled();
    expect(overall).not.toHaveBeenCalled();
    const overallRecords = sdk
      .records()
      .filter((r) => r.eventName === 'health_check.overall.status_change')
      .map((r) => r.attributes['health_check.overall.status']);
    expect(overallRecords.at(-1)).toBe('failure');
  });

  it('reports through the global MeterProvider and LoggerProvider with otel: true', async () => {
    metrics.setGlobalMeterProvider(sdk.meterProvider);
    logs.setGlobalLoggerProvider(sdk.loggerProvider);
    try {
      const http = await apps.boot(
        { otel: true, showDetails: false },
        { providers: [OtelSwitches, OtelChecks] },
      );
      apps.app.get(OtelSwitches).db = false;
      const report = (await http.get('/healthcheck').expect(500))
        .body as HealthReport;
      const points = await sdk.reader.exportNow();
      expectPointsMatch(points, report);
      const scopes = sdk.reader.exporter
        .getMetrics()
        .flatMap((exported) => exported.scopeMetrics)
        .filter((scope) =>
          scope.metrics.some((metric) => metric.descriptor.name === STATUS),
        )
        .map((scope) => scope.scope.name);
      expect(scopes).toEqual(['nestjs-healthcheck']);
      const [record] = sdk
        .records()
        .filter((r) => r.eventName === 'health_check.status_change');
      expect(record.attributes['health_check.name']).toBe('db');
      // showDetails false: no output in the record, as none in the report.
      expect(record.attributes).not.toHaveProperty(['health_check.output']);
    } finally {
      metrics.disable();
      logs.disable();
    }
  });

  it('takes the otel option from a forRootAsync factory', async () => {
    @Module({
      imports: [
        HealthcheckModule.forRootAsync({
          useFactory: () => ({ otel: { meter: sdk.meter } }),
        }),
      ],
      providers: [OtelSwitches, OtelChecks],
    })
    class AsyncAppModule {}
    const app = await createApp(AsyncAppModule, platform);
    try {
      const runner = app.get(HealthMonitor);
      const report = await runner.current();
      expectPointsMatch(await sdk.reader.exportNow(), report);
    } finally {
      await app.close();
    }
  });
});
