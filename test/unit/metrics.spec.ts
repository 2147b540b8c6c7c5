import { jest } from '@jest/globals';
import { Gauge, Registry, register } from 'prom-client';
import {
  metricNameTaken,
  metricsNeedPromClient,
} from '../../lib/healthcheck.messages.js';
import { HealthMetrics } from '../../lib/metrics/health-metrics.service.js';
import { loadPromClient } from '../../lib/metrics/prom-client.loader.js';
import { presentResult } from '../../lib/report/presentation.js';
import { createRunner } from './runner.helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

/** The value of a metric's sample with these labels; undefined when there is no such sample. */
async function valueOf(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = values.find((sample) =>
    Object.entries(labels).every(
      ([key, value]) => sample.labels[key] === value,
    ),
  );
  return found?.value;
}

/** A runner with one switchable check and the metrics on a registry of its own. */
async function setUp(registry = new Registry(), prefix = 'healthcheck_') {
  const { runner, monitor } = createRunner({ successTtl: 0, failedTtl: 0 });
  const state = { passing: true };
  const check = jest.fn(() => [state.passing, state.passing ? 'ok' : 'down']);
  runner.addCheck('db', check as never);
  const metrics = new HealthMetrics(monitor, { metrics: { registry, prefix } });
  await metrics.onModuleInit();
  return { runner, registry, state, check, metrics };
}

describe('HealthMetrics', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('scrapes healthcheck_drained 1 while drained (status 0, the check still up) and 0 once it ends by itself', async () => {
    const { runner, registry } = await setUp();
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_drained')).toBe(0);

    runner.drain({ reason: 'migration', forMs: 60_000 });
    expect(await valueOf(registry, 'healthcheck_drained')).toBe(1);
    expect(await valueOf(registry, 'healthcheck_status')).toBe(0);
    expect(await valueOf(registry, 'healthcheck_up', { check: 'db' })).toBe(1);

    jest.advanceTimersByTime(60_000);
    expect(await valueOf(registry, 'healthcheck_drained')).toBe(0);
    expect(await valueOf(registry, 'healthcheck_status')).toBe(1);
  });

  it('scrapes up, status and a status change after a check flips', async () => {
    const { runner, registry, state } = await setUp();
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'db' })).toBe(1);
    expect(await valueOf(registry, 'healthcheck_status')).toBe(1);
    expect(
      await valueOf(registry, 'healthcheck_status_changes_total', {
        check: 'db',
      }),
    ).toBe(0);

    state.passing = false;
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'db' })).toBe(0);
    expect(await valueOf(registry, 'healthcheck_status')).toBe(0);
    expect(
      await valueOf(registry, 'healthcheck_status_changes_total', {
        check: 'db',
      }),
    ).toBe(1);

    state.passing = true;
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'db' })).toBe(1);
    expect(
      await valueOf(registry, 'healthcheck_status_changes_total', {
        check: 'db',
      }),
    ).toBe(2);
  });

  it('reads response time, run time and criticality from the latest result', async () => {
    const { runner, registry } = await setUp();
    runner.addCheck(
      'slow',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 250));
        return true;
      },
      { critical: false },
    );
    const run = runner.run();
    await jest.advanceTimersByTimeAsync(250);
    await run;
    const responseTime = await valueOf(
      registry,
      'healthcheck_response_time_seconds',
      { check: 'slow' },
    );
    expect(responseTime).toBeGreaterThanOrEqual(0.25);
    expect(responseTime).toBeLessThan(1);
    expect(
      await valueOf(registry, 'healthcheck_last_run_timestamp_seconds', {
        check: 'slow',
      }),
    ).toBe((NOW + 250) / 1000);
    expect(
      await valueOf(registry, 'healthcheck_critical', { check: 'db' }),
    ).toBe(1);
    expect(
      await valueOf(registry, 'healthcheck_critical', { check: 'slow' }),
    ).toBe(0);
  });

  it('reports degraded, not failed, when only a non-critical check fails', async () => {
    const { runner, registry } = await setUp();
    runner.addCheck('cache', () => false, { critical: false });
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_status')).toBe(1);
    expect(await valueOf(registry, 'healthcheck_degraded')).toBe(1);
    expect(await valueOf(registry, 'healthcheck_up', { check: 'cache' })).toBe(
      0,
    );
  });

  it('reports degraded while a passing check says it is degraded, and its help says so', async () => {
    const { runner, registry } = await setUp();
    runner.addCheck('search', () => ({ passed: true, degraded: true }));
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_status')).toBe(1);
    expect(await valueOf(registry, 'healthcheck_degraded')).toBe(1);
    expect(await valueOf(registry, 'healthcheck_up', { check: 'search' })).toBe(
      1,
    );
    const help = (await registry.metrics())
      .split('\n')
      .find((line) => line.startsWith('# HELP healthcheck_degraded '));
    expect(help).toContain('non-critical check is failing');
    expect(help).toContain('passing check says it is degraded');
  });

  it('never runs a check when scraped', async () => {
    const { runner, registry, check } = await setUp();
    const background = jest.fn(() => true);
    runner.addCheck('queue', background, { interval: 1_000 });

    await registry.metrics();
    expect(check).not.toHaveBeenCalled();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'db' })).toBe(
      undefined,
    );

    await runner.run();
    expect(check).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) await registry.metrics();
    expect(check).toHaveBeenCalledTimes(1);
    expect(background).not.toHaveBeenCalled();
  });

  it('gives the exposition text with the default prefix', async () => {
    const { runner, registry } = await setUp();
    await runner.run();
    const text = await registry.metrics();
    expect(text).toContain('# TYPE healthcheck_up gauge');
    expect(text).toContain('healthcheck_up{check="db"} 1');
    expect(text).toContain('# TYPE healthcheck_status_changes_total counter');
    expect(text).toContain('healthcheck_response_time_seconds{check="db"}');
  });

  it('keeps two runners with their own registries apart', async () => {
    const first = await setUp();
    const second = await setUp();
    second.runner.addCheck('search', () => false);
    await first.runner.run();
    await second.runner.run();

    expect(
      await valueOf(first.registry, 'healthcheck_up', { check: 'search' }),
    ).toBe(undefined);
    expect(await valueOf(first.registry, 'healthcheck_status')).toBe(1);
    expect(
      await valueOf(second.registry, 'healthcheck_up', { check: 'search' }),
    ).toBe(0);
    expect(await valueOf(second.registry, 'healthcheck_status')).toBe(0);
  });

  it('keeps the series of two apps that share one registry, and removes only its own when one closes', async () => {
    const registry = new Registry();
    const apps = await Promise.all(
      ['orders', 'search'].map(async (name) => {
        const { runner, monitor } = createRunner();
        runner.addCheck(name, () => name === 'orders');
        const metrics = new HealthMetrics(monitor, {
          metrics: { registry, prefix: 'healthcheck_' },
        });
        await metrics.onModuleInit();
        await runner.run();
        return metrics;
      }),
    );
    expect(await valueOf(registry, 'healthcheck_up', { check: 'orders' })).toBe(
      1,
    );
    expect(await valueOf(registry, 'healthcheck_up', { check: 'search' })).toBe(
      0,
    );
    expect(registry.getMetricsAsArray()).toHaveLength(9);

    apps[1].onApplicationShutdown();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'orders' })).toBe(
      1,
    );
    expect(await valueOf(registry, 'healthcheck_up', { check: 'search' })).toBe(
      undefined,
    );
    apps[0].onApplicationShutdown();
  });

  it('scrapes the measurement of a check as healthcheck_observed_value with its check and unit', async () => {
    const { runner, registry } = await setUp();
    runner.addCheck('tls', () => ({
      passed: true,
      observedValue: 12,
      observedUnit: 'days',
    }));
    await runner.run();
    expect(
      await valueOf(registry, 'healthcheck_observed_value', {
        check: 'tls',
        unit: 'days',
      }),
    ).toBe(12);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE healthcheck_observed_value gauge');
    expect(text).toContain(
      'healthcheck_observed_value{check="tls",unit="days"} 12',
    );
    // `db` gives no measurement: no series.
    expect(text).not.toMatch(/healthcheck_observed_value\{check="db"/);
  });

  it('leaves out a measurement that is not a finite number, and the unit label of a number without a unit', async () => {
    const { runner, registry } = await setUp();
    const given: Record<string, unknown> = {
      text: '12',
      object: { days: 12 },
      nan: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      boolean: true,
      big: 12n,
    };
    for (const [name, observedValue] of Object.entries(given)) {
      runner.addCheck(name, () => ({
        passed: true,
        observedValue,
        observedUnit: 'days',
      }));
    }
    runner.addCheck('plain', () => ({ passed: true, observedValue: 0.5 }));
    await runner.run();
    const metric = registry.getSingleMetric('healthcheck_observed_value')!;
    const { values } = await metric.get();
    expect(values).toEqual([{ labels: { check: 'plain' }, value: 0.5 }]);
    expect(await valueOf(registry, 'healthcheck_up', { check: 'text' })).toBe(
      1,
    );
  });

  it('follows the measurement from one scrape to the next, and drops a series whose unit changed', async () => {
    const { runner, registry } = await setUp();
    const disk = { value: 70, unit: 'percent' };
    runner.addCheck('disk', () => ({
      passed: true,
      observedValue: disk.value,
      observedUnit: disk.unit,
    }));
    await runner.run();
    expect(
      await valueOf(registry, 'healthcheck_observed_value', { check: 'disk' }),
    ).toBe(70);

    disk.value = 71.5;
    await runner.run();
    expect(
      await valueOf(registry, 'healthcheck_observed_value', { check: 'disk' }),
    ).toBe(71.5);

    disk.value = 8_000_000;
    disk.unit = 'bytes';
    await runner.run();
    const { values } = await registry
      .getSingleMetric('healthcheck_observed_value')!
      .get();
    expect(values).toEqual([
      { labels: { check: 'disk', unit: 'bytes' }, value: 8_000_000 },
    ]);
  });

  it('keeps the measurement of a failing result, and has none once a run fails without one', async () => {
    const { runner, registry } = await setUp();
    const cert = { daysLeft: 12, broken: false };
    runner.addCheck('tls', () => {
      if (cert.broken) throw new Error('handshake failed');
      return {
        passed: cert.daysLeft >= 14,
        observedValue: cert.daysLeft,
        observedUnit: 'days',
      };
    });
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'tls' })).toBe(0);
    expect(
      await valueOf(registry, 'healthcheck_observed_value', { check: 'tls' }),
    ).toBe(12);

    cert.broken = true;
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'tls' })).toBe(0);
    expect(
      await valueOf(registry, 'healthcheck_observed_value', { check: 'tls' }),
    ).toBe(undefined);
  });

  it('reads the measurement of the shown result: the latest run while a threshold holds the status', async () => {
    const { runner, registry } = await setUp();
    const queue = { depth: 5 };
    runner.addCheck(
      'queue',
      () => ({
        passed: queue.depth < 100,
        observedValue: queue.depth,
        observedUnit: 'jobs',
      }),
      { failureThreshold: 2 },
    );
    await runner.run();
    queue.depth = 250;
    const report = await runner.run();
    const shown = report.results.find((r) => r.checker === 'queue')!;
    expect(shown.passed).toBe(true);
    expect(shown.observedValue).toBe(250);
    expect(await valueOf(registry, 'healthcheck_up', { check: 'queue' })).toBe(
      1,
    );
    expect(
      await valueOf(registry, 'healthcheck_observed_value', { check: 'queue' }),
    ).toBe(250);
  });

  it('exports the measurement with showDetails false, as it exports the response time the report then hides', async () => {
    const registry = new Registry();
    const { runner, monitor } = createRunner({ showDetails: false });
    runner.addCheck('tls', () => ({
      passed: true,
      observedValue: 12,
      observedUnit: 'days',
    }));
    const metrics = new HealthMetrics(monitor, {
      metrics: { registry, prefix: 'healthcheck_' },
    });
    await metrics.onModuleInit();
    const report = await runner.run();
    expect(presentResult(report.results[0], false)).not.toHaveProperty(
      'observedValue',
    );
    expect(
      await valueOf(registry, 'healthcheck_observed_value', { check: 'tls' }),
    ).toBe(12);
    metrics.onApplicationShutdown();
  });

  it('has no measurement for a background check waiting for its first run, and never runs it to get one', async () => {
    const { registry, runner } = await setUp();
    const background = jest.fn(() => ({ passed: true, observedValue: 1 }));
    runner.addCheck('queue', background, { interval: 1_000 });
    expect(await valueOf(registry, 'healthcheck_up', { check: 'queue' })).toBe(
      0,
    );
    expect(
      await valueOf(registry, 'healthcheck_observed_value', { check: 'queue' }),
    ).toBe(undefined);
    expect(background).not.toHaveBeenCalled();
  });

  it('keeps the measurements of two apps on one registry, and removes only its own when one closes', async () => {
    const registry = new Registry();
    const apps = await Promise.all(
      [
        ['edge', 12],
        ['api', 40],
      ].map(async ([name, days]) => {
        const { runner, monitor } = createRunner({
          successTtl: 0,
          failedTtl: 0,
        });
        const cert = { days: days as number };
        runner.addCheck(name as string, () => ({
          passed: true,
          observedValue: cert.days,
          observedUnit: 'days',
        }));
        const metrics = new HealthMetrics(monitor, {
          metrics: { registry, prefix: 'healthcheck_' },
        });
        await metrics.onModuleInit();
        await runner.run();
        return { runner, metrics, cert };
      }),
    );
    const observed = async (check: string) =>
      valueOf(registry, 'healthcheck_observed_value', { check, unit: 'days' });
    expect(await observed('edge')).toBe(12);
    expect(await observed('api')).toBe(40);

    apps[0].cert.days = 11;
    await apps[0].runner.run();
    expect(await observed('edge')).toBe(11);
    expect(await observed('api')).toBe(40);

    apps[0].metrics.onApplicationShutdown();
    expect(await observed('edge')).toBe(undefined);
    expect(await observed('api')).toBe(40);
    apps[1].metrics.onApplicationShutdown();
  });

  it('takes over the metrics it finds in the registry instead of registering them twice', async () => {
    const registry = new Registry();
    const old = await setUp(registry);
    await old.runner.run();
    old.metrics.onApplicationShutdown();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'db' })).toBe(
      undefined,
    );

    const { runner, monitor } = createRunner();
    runner.addCheck('api', () => true);
    const metrics = new HealthMetrics(monitor, {
      metrics: { registry, prefix: 'healthcheck_' },
    });
    await expect(metrics.onModuleInit()).resolves.toBeUndefined();
    await runner.run();
    expect(await valueOf(registry, 'healthcheck_up', { check: 'api' })).toBe(1);
    expect(await valueOf(registry, 'healthcheck_up', { check: 'db' })).toBe(
      undefined,
    );
    expect(registry.getMetricsAsArray()).toHaveLength(9);
  });

  it('uses prom-client’s global registry and the given prefix', async () => {
    const { runner, monitor } = createRunner();
    runner.addCheck('db', () => true);
    const metrics = new HealthMetrics(monitor, {
      metrics: { prefix: 'shop_' },
    });
    await metrics.onModuleInit();
    await runner.run();
    try {
      expect(await valueOf(register, 'shop_up', { check: 'db' })).toBe(1);
    } finally {
      register.clear();
    }
  });

  it('refuses a metric of the same name that it did not create', async () => {
    const registry = new Registry();
    new Gauge({ name: 'healthcheck_up', help: 'mine', registers: [registry] });
    const { monitor } = createRunner();
    const metrics = new HealthMetrics(monitor, {
      metrics: { registry, prefix: 'healthcheck_' },
    });
    await expect(metrics.onModuleInit()).rejects.toThrow(
      metricNameTaken('healthcheck_up'),
    );
  });

  it('does nothing when the metrics option is off', async () => {
    const { runner, monitor } = createRunner();
    const subscribe = jest.spyOn(runner, 'subscribe');
    await new HealthMetrics(monitor, { metrics: null }).onModuleInit();
    expect(subscribe).not.toHaveBeenCalled();
  });

  it('names the option and the package when prom-client cannot be loaded', async () => {
    const missing = new Error("Cannot find package 'prom-client'");
    await expect(loadPromClient(() => Promise.reject(missing))).rejects.toThrow(
      metricsNeedPromClient("Cannot find package 'prom-client'"),
    );
  });

  it('stops listening to the runner when shut down', async () => {
    const { monitor } = createRunner();
    const unsubscribes = jest.fn();
    const subscribe = monitor.subscribe.bind(monitor);
    jest.spyOn(monitor, 'subscribe').mockImplementation((listener) => {
      const unsubscribe = subscribe(listener);
      return () => {
        unsubscribes();
        unsubscribe();
      };
    });
    const metrics = new HealthMetrics(monitor, {
      metrics: { registry: new Registry(), prefix: 'healthcheck_' },
    });
    await metrics.onModuleInit();
    expect(monitor.subscribe).toHaveBeenCalledTimes(1);
    metrics.onApplicationShutdown();
    expect(unsubscribes).toHaveBeenCalledTimes(1);
  });
});
