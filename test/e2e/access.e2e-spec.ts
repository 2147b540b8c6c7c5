import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { HealthRequest } from '../../lib/access/health-request.js';
import { ignoredOnHealthServer } from '../../lib/healthcheck.messages.js';
import {
  HealthcheckModule,
  type HealthcheckModuleOptions,
  HealthcheckServer,
} from '../../lib/index.js';
import {
  DenyAllGuard,
  Public,
  WorkerChecks,
} from '../fixtures/health-server.fixture.js';
import { rawRequest } from '../support/raw-http.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

const FIELDS = ['headers', 'method', 'remoteAddress', 'url'];

/** The request a showDetails function saw, checked against the documented HealthRequest. */
function expectHealthRequest(seen: HealthRequest | undefined, url: string) {
  expect(Object.keys(seen ?? {}).sort()).toEqual(FIELDS);
  expect(seen).toMatchObject({ method: 'GET', url });
  expect(seen!.headers['x-internal']).toBe('yes');
  expect(seen!.remoteAddress).toMatch(/127\.0\.0\.1/);
}

describe.each(PLATFORMS)(
  'access on the application routes (%s)',
  (platform) => {
    const apps = healthcheckApps(platform);

    it('gives showDetails a HealthRequest', async () => {
      let seen: HealthRequest | undefined;
      const agent = await apps.boot(
        {
          showDetails: (req) => {
            seen = req;
            return req.headers['x-internal'] === 'yes';
          },
        },
        { providers: [WorkerChecks] },
      );
      const shown = await agent
        .get('/healthcheck/ready?x=1')
        .set('X-Internal', 'yes');
      expect(shown.body.results[0].output).toBe('queue ok');
      expectHealthRequest(seen, '/healthcheck/ready?x=1');
      const hidden = await agent.get('/healthcheck/ready');
      expect(hidden.body.results[0].output).toBeUndefined();
    });

    it('protects the environment route with the module-level guards too', async () => {
      const agent = await apps.boot({
        guards: [DenyAllGuard],
        environment: true,
      });
      expect((await agent.get('/environment')).status).toBe(403);
      expect((await agent.get('/healthcheck')).status).toBe(403);
    });
  },
);

describe('access on the health server', () => {
  let context: INestApplicationContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function boot(options: HealthcheckModuleOptions): Promise<number> {
    @Module({
      imports: [HealthcheckModule.forRoot(options)],
      providers: [WorkerChecks],
    })
    class AppModule {}
    context = await NestFactory.createApplicationContext(AppModule, {
      logger: false,
    });
    return context.get(HealthcheckServer).address()!.port;
  }

  it('gives showDetails and server.authorize the same HealthRequest as the app routes', async () => {
    const seen: Record<string, HealthRequest> = {};
    const port = await boot({
      server: {
        port: 0,
        host: '127.0.0.1',
        authorize: (req) => {
          seen.authorize = req;
          return req.headers['x-internal'] === 'yes';
        },
      },
      environment: true,
      showDetails: (req) => {
        seen.showDetails = req;
        return req.headers['x-internal'] === 'yes';
      },
    });
    const headers = { 'X-Internal': 'yes' };
    const ready = await rawRequest(port, '/healthcheck/ready?x=1', { headers });
    expect(JSON.parse(ready.body).results[0].output).toBe('queue ok');
    expectHealthRequest(seen.showDetails, '/healthcheck/ready?x=1');
    expect((await rawRequest(port, '/environment', { headers })).status).toBe(
      200,
    );
    expectHealthRequest(seen.authorize, '/environment');
  });
});

describe('access options the configuration would ignore', () => {
  const serverOnly = { port: 0, host: '127.0.0.1' };

  it.each([
    ['guards', { guards: [DenyAllGuard] }],
    ['decorators', { decorators: [Public()] }],
    ['environment.guards', { environment: { guards: [DenyAllGuard] } }],
  ] as Array<[string, HealthcheckModuleOptions]>)(
    'refuses %s with server and no keepAppRoutes, in forRoot and forRootAsync',
    (option, options) => {
      expect(() =>
        HealthcheckModule.forRoot({ ...options, server: serverOnly }),
      ).toThrow(ignoredOnHealthServer(option));
      expect(() =>
        HealthcheckModule.forRootAsync({
          ...(options as object),
          server: serverOnly,
          useFactory: () => ({}),
        }),
      ).toThrow(ignoredOnHealthServer(option));
    },
  );

  it('accepts them when the routes stay on the application (keepAppRoutes)', () => {
    expect(() =>
      HealthcheckModule.forRoot({
        guards: [DenyAllGuard],
        decorators: [Public()],
        environment: { guards: [DenyAllGuard] },
        server: { ...serverOnly, keepAppRoutes: true },
      }),
    ).not.toThrow();
  });
});
