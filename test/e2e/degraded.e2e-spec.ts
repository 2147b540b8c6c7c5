import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import {
  GrpcHealthService,
  HealthCheck,
  type HealthCheckOutcome,
  type HealthReport,
} from '../../lib/index.js';
import {
  HealthClient,
  startGrpcServer,
} from '../fixtures/grpc-health-client.js';
import { otelSdk } from '../fixtures/otel.fixture.js';
import { sampleOf } from '../fixtures/parity.fixture.js';
import { openEventStream } from '../fixtures/ui-sse-client.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

type Cluster = 'green' | 'yellow' | 'red';

/** A search check that answers as a cluster in the colour the test sets, and a database check that passes. */
@Injectable()
class DegradedChecks {
  cluster: Cluster = 'yellow';

  @HealthCheck({ tags: ['readiness'], successTtl: 0, failedTtl: 0 })
  search(): HealthCheckOutcome {
    return {
      passed: this.cluster !== 'red',
      degraded: this.cluster === 'yellow',
      output: `cluster is ${this.cluster}`,
    };
  }

  @HealthCheck({ tags: ['readiness'] })
  database(): [boolean, string] {
    return [true, 'db ok'];
  }
}

const resultOf = (report: HealthReport, checker: string) =>
  report.results.find((result) => result.checker === checker);

describe.each(PLATFORMS)('a degraded check (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const boot = (options: Parameters<typeof apps.boot>[0] = {}) =>
    apps.boot(options, { providers: [DegradedChecks] });

  it('answers 200: the report is a success marked degraded, and the check passes marked degraded', async () => {
    const agent = await boot();
    const { body } = await agent.get('/healthcheck').expect(200);
    expect(body).toMatchObject({ status: 'success', degraded: true });
    expect(resultOf(body, 'search')).toMatchObject({
      passed: true,
      degraded: true,
      output: 'cluster is yellow',
    });
    expect(resultOf(body, 'database')).not.toHaveProperty('degraded');
    const ready = await agent.get('/healthcheck/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'success', degraded: true });
  });

  it('keeps degraded in the report and the result without details, the output hidden', async () => {
    const agent = await boot({ showDetails: false });
    const { body } = await agent.get('/healthcheck').expect(200);
    expect(body).toMatchObject({ status: 'success', degraded: true });
    expect(resultOf(body, 'search')).toEqual({
      checker: 'search',
      passed: true,
      degraded: true,
    });
  });

  it('green is not degraded, red fails without degraded, yellow again degrades', async () => {
    const agent = await boot();
    const checks = apps.app.get(DegradedChecks);
    checks.cluster = 'green';
    const green = (await agent.get('/healthcheck').expect(200)).body;
    expect(green).not.toHaveProperty('degraded');
    expect(resultOf(green, 'search')).not.toHaveProperty('degraded');
    checks.cluster = 'red';
    const red = (await agent.get('/healthcheck').expect(500)).body;
    expect(red).toMatchObject({ status: 'failure' });
    expect(red).not.toHaveProperty('degraded');
    expect(resultOf(red, 'search')).toMatchObject({ passed: false });
    expect(resultOf(red, 'search')).not.toHaveProperty('degraded');
    checks.cluster = 'yellow';
    const yellow = (await agent.get('/healthcheck').expect(200)).body;
    expect(yellow).toMatchObject({ degraded: true });
  });

  it('is warn in the IETF format, with the output that explains it', async () => {
    const agent = await boot({ format: 'ietf' });
    const { body } = await agent.get('/healthcheck').expect(200);
    expect(body.status).toBe('warn');
    expect(body.checks.search[0]).toMatchObject({
      status: 'warn',
      output: 'cluster is yellow',
    });
    expect(body.checks.database[0].status).toBe('pass');
  });

  it('is up (1) in Prometheus, and the overall degraded gauge is 1', async () => {
    const registry = new Registry();
    const agent = await boot({ metrics: { registry } });
    await agent.get('/healthcheck').expect(200);
    const scrape = await registry.metrics();
    expect({
      up: sampleOf(scrape, 'healthcheck_up', 'check="search"'),
      status: sampleOf(scrape, 'healthcheck_status'),
      degraded: sampleOf(scrape, 'healthcheck_degraded'),
    }).toEqual({ up: 1, status: 1, degraded: 1 });
  });

  it('is status 1 in OpenTelemetry, and the overall degraded gauge is 1', async () => {
    const sdk = otelSdk();
    cleanups.push(() => sdk.shutdown());
    const agent = await boot({
      otel: { meter: sdk.meter, logger: sdk.logger },
    });
    await agent.get('/healthcheck').expect(200);
    const points = await sdk.reader.exportNow();
    expect({
      search: points.value('health_check.status', 'search'),
      overall: points.value('health_check.overall.status'),
      degraded: points.value('health_check.overall.degraded'),
    }).toEqual({ search: 1, overall: 1, degraded: 1 });
  });

  it('is SERVING over gRPC, for the check and the whole application', async () => {
    await boot();
    const server = await startGrpcServer((grpc) =>
      apps.app.get(GrpcHealthService).addToServer(grpc),
    );
    cleanups.push(server.close);
    const client = new HealthClient(server.port);
    cleanups.push(() => client.close());
    expect({
      all: await client.check(''),
      readiness: await client.check('readiness'),
      search: await client.check('search'),
    }).toEqual({ all: 'SERVING', readiness: 'SERVING', search: 'SERVING' });
  });

  it.each([true, false])(
    'is degraded in the event stream (showDetails %s): the check and the overall status',
    async (showDetails) => {
      const agent = await boot({ ui: true, showDetails });
      await agent.get('/healthcheck').expect(200);
      await apps.app.listen(0, '127.0.0.1');
      const { port } = apps.app.getHttpServer().address() as AddressInfo;
      const stream = await openEventStream(
        `http://127.0.0.1:${port}/healthcheck/events`,
      );
      cleanups.push(() => stream.close());
      const snapshot = await stream.next<{
        overall: { status: string; degraded: boolean };
        checks: Array<{
          name: string;
          state: string;
          result?: Record<string, unknown>;
        }>;
      }>('snapshot');
      expect(snapshot.overall).toEqual({ status: 'success', degraded: true });
      const search = snapshot.checks.find((check) => check.name === 'search');
      expect(search?.state).toBe('degraded');
      expect(search?.result).toMatchObject({ passed: true, degraded: true });
      expect('output' in (search?.result ?? {})).toBe(showDetails);
      expect(
        snapshot.checks.find((check) => check.name === 'database')?.state,
      ).toBe('passing');
    },
  );
});
