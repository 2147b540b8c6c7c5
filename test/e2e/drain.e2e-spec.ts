import { afterEach, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import {
  GrpcHealthService,
  HealthCheckRunner,
  type HealthHistoryEntry,
  type HealthReport,
} from '../../lib/index.js';
import { DrainChecks } from '../fixtures/drain.fixture.js';
import {
  HealthClient,
  startGrpcServer,
} from '../fixtures/grpc-health-client.js';
import { sampleOf, until } from '../fixtures/parity.fixture.js';
import { openEventStream } from '../fixtures/ui-sse-client.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

/** A reason with characters that must survive JSON, HTML and logs: quotes, a tag, a line break, a non-BMP emoji. */
const REASON = 'migration "v2" <b>\n😀';
const SHOWN_REASON = 'migration "v2" <b> 😀';

describe.each(PLATFORMS)('drain (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function boot(showDetails: boolean) {
    const registry = new Registry();
    const agent = await apps.boot(
      { showDetails, ui: true, metrics: { registry } },
      { providers: [DrainChecks] },
    );
    const { app } = apps;
    const grpcServer = await startGrpcServer((server) =>
      app.get(GrpcHealthService).addToServer(server),
    );
    cleanups.push(grpcServer.close);
    const grpc = new HealthClient(grpcServer.port);
    cleanups.push(() => grpc.close());
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return {
      agent,
      app,
      grpc,
      registry,
      runner: app.get(HealthCheckRunner),
      checks: app.get(DrainChecks),
      base: `http://127.0.0.1:${port}/healthcheck`,
    };
  }

  const history = async (agent: Awaited<ReturnType<typeof boot>>['agent']) =>
    (await agent.get('/healthcheck/history').expect(200)).body as {
      entries: HealthHistoryEntry[];
    };

  it('fails readiness, the report and gRPC readiness with the reason while the checks run; liveness and startup stay up; ends by itself', async () => {
    const { agent, grpc, registry, runner, checks, base } = await boot(true);
    await agent.get('/healthcheck/startup').expect(200);
    await agent.get('/healthcheck/ready').expect(200);
    const readiness = grpc.watch('readiness');
    const all = grpc.watch('');
    cleanups.push(
      () => readiness.cancel(),
      () => all.cancel(),
    );
    expect(await readiness.received(1)).toEqual(['SERVING']);
    expect(await all.received(1)).toEqual(['SERVING']);
    const stream = await openEventStream(`${base}/events`);
    cleanups.push(() => stream.close());
    await stream.next('snapshot');

    runner.drain({ reason: REASON });

    const ready = await agent.get('/healthcheck/ready').expect(500);
    const runsBefore = checks.runs;
    const report = (await agent.get('/healthcheck').expect(500))
      .body as HealthReport;
    expect(checks.runs).toBe(runsBefore + 1);
    expect(report.results.map((r) => [r.checker, r.passed])).toEqual([
      ['eventLoop', true],
      ['database', true],
      ['warmup', true],
      ['drain', false],
    ]);
    expect(report.results.at(-1)!.output).toEqual({
      reason: SHOWN_REASON,
      until: null,
    });
    expect((ready.body as HealthReport).results.at(-1)).toMatchObject({
      checker: 'drain',
      passed: false,
      output: { reason: SHOWN_REASON, until: null },
    });
    await agent.get('/healthcheck/group/storage').expect(500);
    await agent.get('/healthcheck/live').expect(200);
    await agent.get('/healthcheck/startup').expect(200);

    expect(await grpc.check('readiness')).toBe('NOT_SERVING');
    expect(await grpc.check('')).toBe('NOT_SERVING');
    expect(await grpc.check('liveness')).toBe('SERVING');
    expect(await grpc.check('startup')).toBe('SERVING');
    expect(await readiness.received(2)).toEqual(['SERVING', 'NOT_SERVING']);
    expect(await all.received(2)).toEqual(['SERVING', 'NOT_SERVING']);

    const scrape = await registry.metrics();
    expect(sampleOf(scrape, 'healthcheck_drained')).toBe(1);
    expect(sampleOf(scrape, 'healthcheck_up', 'check="database"')).toBe(1);
    expect(
      await stream.next<HealthHistoryEntry>(
        'change',
        (e) => e.type === 'drain',
      ),
    ).toMatchObject({ current: 'drained', reason: SHOWN_REASON });
    expect((await history(agent)).entries[0]).toMatchObject({
      type: 'overall',
      current: 'failure',
    });
    expect((await history(agent)).entries[1]).toMatchObject({
      type: 'drain',
      previous: 'serving',
      current: 'drained',
      reason: SHOWN_REASON,
    });

    // A drain with an end replaces it, and ends by itself.
    runner.drain({ reason: 'short', forMs: 300 });
    await until(
      async () => (await grpc.check('readiness')) === 'SERVING',
      'gRPC readiness SERVING once the drain has ended by itself',
    );
    expect(await readiness.received(3)).toEqual([
      'SERVING',
      'NOT_SERVING',
      'SERVING',
    ]);
    expect(await all.received(3)).toEqual([
      'SERVING',
      'NOT_SERVING',
      'SERVING',
    ]);
    expect(await grpc.check('')).toBe('SERVING');
    await agent.get('/healthcheck/ready').expect(200);
    const after = (await agent.get('/healthcheck').expect(200))
      .body as HealthReport;
    expect(after.results.map((r) => r.checker)).not.toContain('drain');
    expect(sampleOf(await registry.metrics(), 'healthcheck_drained')).toBe(0);
    const { entries } = await history(agent);
    expect(entries.slice(0, 3)).toEqual([
      expect.objectContaining({ type: 'overall', current: 'success' }),
      expect.objectContaining({
        type: 'drain',
        previous: 'drained',
        current: 'serving',
      }),
      expect.objectContaining({
        type: 'drain',
        previous: 'drained',
        current: 'drained',
        reason: 'short',
      }),
    ]);
  });

  it('without details says drained and nothing of the reason or end, on every route and the stream', async () => {
    const { agent, runner, base } = await boot(false);
    await agent.get('/healthcheck/ready').expect(200);
    runner.drain({ reason: 'secret-ish reason', forMs: 60_000 });

    const ready = (await agent.get('/healthcheck/ready').expect(500))
      .body as HealthReport;
    expect(ready.results.at(-1)).toEqual({ checker: 'drain', passed: false });
    const texts = [
      JSON.stringify(ready),
      JSON.stringify((await agent.get('/healthcheck').expect(500)).body),
      JSON.stringify(await history(agent)),
    ];
    expect((await history(agent)).entries).toContainEqual(
      expect.objectContaining({ type: 'drain', current: 'drained' }),
    );
    const stream = await openEventStream(`${base}/events`);
    cleanups.push(() => stream.close());
    const snapshot = await stream.next<{ drain: unknown }>('snapshot');
    expect(snapshot.drain).toEqual({});
    texts.push(JSON.stringify(snapshot));
    for (const text of texts) {
      expect(text).not.toContain('secret-ish');
      expect(text).not.toContain('until');
    }

    runner.undrain();
    await agent.get('/healthcheck/ready').expect(200);
    await agent.get('/healthcheck').expect(200);
  });
});
