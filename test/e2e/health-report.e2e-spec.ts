import { jest } from '@jest/globals';
import { HealthMonitor } from '../../lib/checks/health.monitor.js';
import { Logger } from '@nestjs/common';
import {
  handlerFailed,
  handlerFailedPublic,
} from '../../lib/healthcheck.messages.js';
import {
  FailingChecks,
  PassingChecks,
  ThrowingChecks,
} from '../fixtures/seed-checks.fixture.js';
import { GatedCheck } from '../fixtures/discovery.fixture.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

describe.each(PLATFORMS)('health report over HTTP (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  const boot = (options = {}, providers: unknown[] = []) =>
    apps.boot(options, { providers: providers as never[] });

  it('answers 200 with status success when there are no checks', async () => {
    const response = await (await boot()).get('/healthcheck');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'success', results: [] });
  });

  it('answers 200 with the seed report shape when every check passes', async () => {
    const response = await (
      await boot({}, [PassingChecks])
    ).get('/healthcheck');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual([
      'hostname',
      'results',
      'status',
      'timestamp',
    ]);
    expect(response.body.status).toBe('success');
    const [result] = response.body.results;
    expect(result).toMatchObject({
      checker: 'database',
      output: 'database ok',
      passed: true,
    });
    expect(result.expires - result.timestamp).toBeCloseTo(27, 3);
    expect(result.response_time).toBeGreaterThanOrEqual(0);
  });

  it('answers failedStatus when a check returns (false, "FAIL")', async () => {
    const response = await (
      await boot({}, [PassingChecks, FailingChecks])
    ).get('/healthcheck');
    expect(response.status).toBe(500);
    expect(response.body.status).toBe('failure');
    const broken = response.body.results.find(
      (result: { checker: string }) => result.checker === 'broken',
    );
    expect(broken).toMatchObject({ passed: false, output: 'FAIL' });
    expect(broken.expires - broken.timestamp).toBeCloseTo(9, 3);
  });

  it("reports a throwing check as failed with the error's message", async () => {
    const response = await (
      await boot({}, [ThrowingChecks])
    ).get('/healthcheck');
    expect(response.status).toBe(500);
    expect(response.body.results[0]).toMatchObject({
      checker: 'explodes',
      passed: false,
      output: 'Connection refused',
    });
  });

  it('sends JSON with Cache-Control: no-store and the configured headers', async () => {
    const agent = await boot(
      {
        successHeaders: { 'X-Health': 'ok' },
        failedHeaders: { 'X-Health': 'bad' },
      },
      [PassingChecks],
    );
    const response = await agent.get('/healthcheck');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-health']).toBe('ok');
  });

  it('uses the configured statuses, headers and handlers for a failure', async () => {
    const agent = await boot(
      {
        failedStatus: 503,
        failedHeaders: { 'X-Health': 'bad' },
        failedHandler: (report: { results: unknown[] }) => ({
          down: report.results.length,
        }),
      },
      [FailingChecks],
    );
    const response = await agent.get('/healthcheck');
    expect(response.status).toBe(503);
    expect(response.headers['x-health']).toBe('bad');
    expect(response.body).toEqual({ down: 1 });
  });

  it('sends a string returned by a handler as it is', async () => {
    const agent = await boot({ successHandler: () => '"all good"' }, [
      PassingChecks,
    ]);
    const response = await agent.get('/healthcheck');
    expect(response.text).toBe('"all good"');
  });

  it('serves the report at a custom path given with or without a slash', async () => {
    const agent = await boot({ path: '/status/health' });
    expect((await agent.get('/status/health')).status).toBe(200);
    expect((await agent.get('/healthcheck')).status).toBe(404);
  });

  it('runs a check once for 200 requests waiting on a cold cache at the same time', async () => {
    const agent = await boot({}, [GatedCheck]);
    const monitor = apps.app.get(HealthMonitor);
    const run = jest.spyOn(monitor, 'current');
    const responses = Promise.all(
      Array.from({ length: 200 }, () => agent.get('/healthcheck')),
    );
    while (run.mock.calls.length < 200) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const check = apps.app.get(GatedCheck);
    check.open();
    const statuses = (await responses).map((response) => response.status);
    expect(statuses).toEqual(Array(200).fill(200));
    expect(check.invocations).toBe(1);
  });

  it('answers failedStatus with a clear error when a handler throws, and logs what it threw', async () => {
    const logged = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const agent = await boot(
      {
        successHandler: () => {
          throw new Error('template missing');
        },
      },
      [PassingChecks],
    );
    const response = await agent.get('/healthcheck');
    expect(response.status).toBe(500);
    expect(response.body.error).toBe(handlerFailedPublic('successHandler'));
    expect(logged).toHaveBeenCalledWith(
      handlerFailed('successHandler', 'template missing'),
    );
    logged.mockRestore();
  });
});
