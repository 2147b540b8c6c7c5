import { Module } from '@nestjs/common';
import request from 'supertest';
import {
  readinessShuttingDown,
  unknownSelection,
} from '../../lib/healthcheck.messages.js';
import {
  HealthcheckModule,
  type HealthcheckModuleOptions,
} from '../../lib/index.js';
import { ProbeChecks, TokenGuard } from '../fixtures/probes.fixture.js';
import { createApp, healthcheckApps, PLATFORMS } from './platforms.js';

const names = (body: { results: Array<{ checker: string }> }) =>
  body.results.map((result) => result.checker);

describe.each(PLATFORMS)('probe routes (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  async function boot(options: HealthcheckModuleOptions = {}) {
    const agent = await apps.boot(options, { providers: [ProbeChecks] });
    return { agent, checks: apps.app.get(ProbeChecks) };
  }

  it('serves each probe group at /live, /ready, /startup and /group/:tag', async () => {
    const { agent, checks } = await boot();
    checks.warmedUp = true;
    expect(names((await agent.get('/healthcheck/live')).body)).toEqual([
      'eventLoop',
    ]);
    expect(names((await agent.get('/healthcheck/ready')).body)).toEqual([
      'database',
    ]);
    expect(names((await agent.get('/healthcheck/startup')).body)).toEqual([
      'warmup',
    ]);
    expect(names((await agent.get('/healthcheck/group/storage')).body)).toEqual(
      ['database'],
    );
    expect(names((await agent.get('/healthcheck')).body)).toEqual([
      'eventLoop',
      'database',
      'warmup',
      'recommendations',
    ]);
  });

  it('fails readiness while a dependency is down, and liveness keeps passing', async () => {
    const { agent, checks } = await boot({ failedStatus: 503 });
    checks.databaseUp = false;
    expect((await agent.get('/healthcheck/ready')).status).toBe(503);
    expect((await agent.get('/healthcheck/live')).status).toBe(200);
  });

  it('passes /live with no liveness checks at all', async () => {
    const agent = await apps.boot();
    const response = await agent.get('/healthcheck/live');
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([]);
  });

  it('latches /startup once it has passed', async () => {
    const { agent, checks } = await boot();
    expect((await agent.get('/healthcheck/startup')).status).toBe(500);
    checks.warmedUp = true;
    expect((await agent.get('/healthcheck/startup')).status).toBe(200);
    checks.warmedUp = false;
    expect((await agent.get('/healthcheck/startup')).status).toBe(200);
    expect((await agent.get('/healthcheck?check=warmup')).status).toBe(500);
  });

  it('selects one check with ?check and leaves checks out with repeated ?exclude', async () => {
    const { agent } = await boot();
    expect(
      names((await agent.get('/healthcheck?check=eventLoop')).body),
    ).toEqual(['eventLoop']);
    const excluded = await agent.get(
      '/healthcheck?exclude=warmup&exclude=recommendations',
    );
    expect(names(excluded.body)).toEqual(['eventLoop', 'database']);
    expect(excluded.status).toBe(200);
  });

  it.each([
    ['/healthcheck?check=nope', unknownSelection('check', 'nope')],
    ['/healthcheck?exclude=nope', unknownSelection('check', 'nope')],
    ['/healthcheck/group/nope', unknownSelection('tag', 'nope')],
  ])('answers 404 with a JSON error for %s', async (path, message) => {
    const { agent } = await boot();
    const response = await agent.get(path);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ status: 'failure', error: message });
  });

  it('answers 400 when ?check is given twice', async () => {
    const { agent } = await boot();
    expect((await agent.get('/healthcheck?check=a&check=b')).status).toBe(400);
  });

  it('keeps the report a success, marked degraded, when only a non-critical check fails', async () => {
    const { agent, checks } = await boot();
    checks.warmedUp = true;
    const response = await agent.get('/healthcheck');
    expect(response.status).toBe(200);
    expect(response.body.degraded).toBe(true);
    expect(response.body.results[3]).toMatchObject({
      checker: 'recommendations',
      passed: false,
      critical: false,
    });
  });

  it("serves application/health+json with format: 'ietf'", async () => {
    const { agent, checks } = await boot({ format: 'ietf' });
    checks.warmedUp = true;
    const response = await agent.get('/healthcheck');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(
      /^application\/health\+json/,
    );
    const body = JSON.parse(response.text);
    expect(body.status).toBe('warn');
    expect(Object.keys(body.checks)).toEqual([
      'eventLoop',
      'database',
      'warmup',
      'recommendations',
    ]);
    expect(body.checks.recommendations[0]).toMatchObject({
      componentId: 'recommendations',
      status: 'warn',
      output: 'slow',
      observedValue: 950,
      observedUnit: 'ms',
    });
  });

  it('hides outputs with showDetails: false', async () => {
    const { agent } = await boot({ showDetails: false });
    const response = await agent.get('/healthcheck/ready');
    expect(response.body.results).toEqual([
      { checker: 'database', passed: true },
    ]);
    expect(response.text).not.toContain('db ok');
  });

  it('applies guards to the health routes and to the environment route', async () => {
    const { agent } = await boot({
      guards: [TokenGuard],
      environment: { guards: [new TokenGuard()] },
    });
    expect((await agent.get('/healthcheck/live')).status).toBe(403);
    expect((await agent.get('/environment')).status).toBe(403);
    expect(
      (await agent.get('/healthcheck/live').set('x-token', 'let-me-in')).status,
    ).toBe(200);
    expect(
      (await agent.get('/environment').set('x-token', 'let-me-in')).status,
    ).toBe(200);
  });
});

describe.each(PLATFORMS)('shutdown (%s)', (platform) => {
  it("fails /ready and the full report from the moment shutdown begins, keeping the checks' results, while /live keeps passing", async () => {
    @Module({
      imports: [
        HealthcheckModule.forRoot({ shutdownDelay: 300, failedStatus: 503 }),
      ],
      providers: [ProbeChecks],
    })
    class AppModule {}
    const app = await createApp(AppModule, platform);
    app.enableShutdownHooks();
    await app.listen(0);
    const agent = request(app.getHttpServer());
    expect((await agent.get('/healthcheck/ready')).status).toBe(200);

    const closing = app.close();
    const ready = await agent.get('/healthcheck/ready');
    const live = await agent.get('/healthcheck/live');
    const full = await agent.get('/healthcheck');
    await closing;

    const shutdown = expect.objectContaining({
      checker: 'shutdown',
      passed: false,
      output: readinessShuttingDown,
    });
    expect(ready.status).toBe(503);
    expect(ready.body.results).toEqual([
      expect.objectContaining({ checker: 'database', passed: true }),
      shutdown,
    ]);
    expect(full.status).toBe(503);
    expect(full.body.results).toContainEqual(shutdown);
    expect(live.status).toBe(200);
    expect(live.body.results).not.toContainEqual(shutdown);
  });
});
