import { jest } from '@jest/globals';
import {
  type INestApplicationContext,
  Module,
  type ModuleMetadata,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { once } from 'node:events';
import { Agent, Server } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import {
  environmentForbidden,
  environmentNeedsAuthorize,
  healthServerPortInUse,
  methodNotAllowed,
  noHealthRoute,
  readinessShuttingDown,
} from '../../lib/healthcheck.messages.js';
import { Test } from '@nestjs/testing';
import { HealthEndpoints } from '../../lib/http/health-endpoints.js';
import {
  DEFAULT_HEALTH_SERVER_TIMEOUTS,
  HEALTH_SERVER_TIMEOUTS,
  type HealthServerTimeouts,
} from '../../lib/server/health-server.timeouts.js';
import {
  HealthcheckModule,
  type HealthcheckModuleOptions,
  HealthcheckServer,
} from '../../lib/index.js';
import {
  CachedChecks,
  DenyAllGuard,
  OrdersController,
  WorkerChecks,
} from '../fixtures/health-server.fixture.js';
import { rawRequest } from '../support/raw-http.js';
import { createApp, PLATFORMS } from './platforms.js';

function appModule(
  options: HealthcheckModuleOptions,
  metadata: ModuleMetadata = {},
) {
  @Module({
    imports: [HealthcheckModule.forRoot(options)],
    providers: metadata.providers ?? [WorkerChecks],
    controllers: metadata.controllers ?? [],
  })
  class AppModule {}
  return AppModule;
}

/** Waits for `socket` to close; fails after `limitMs` instead of hanging the suite. */
async function closedWithin(socket: Socket, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      once(socket, 'close'),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the socket stayed open for ${limitMs} ms`)),
          limitMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

const portOf = (app: INestApplicationContext): number => {
  const address = app.get(HealthcheckServer).address();
  if (!address) throw new Error('the health server is not listening');
  return address.port;
};

describe.each(PLATFORMS)(
  'the health server in an HTTP app (%s)',
  (platform) => {
    let app: Awaited<ReturnType<typeof createApp>> | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('serves every health route on its own port, and the app port no longer has them', async () => {
      app = await createApp(
        appModule({ server: { port: 0, host: '127.0.0.1' } }),
        platform,
      );
      await app.listen(0, '127.0.0.1');
      const port = portOf(app);
      const report = await rawRequest(port, '/healthcheck');
      expect(report.status).toBe(200);
      expect(
        JSON.parse(report.body).results.map(
          (r: { checker: string }) => r.checker,
        ),
      ).toEqual(['process', 'queue']);
      expect((await rawRequest(port, '/healthcheck/live')).status).toBe(200);
      expect((await rawRequest(port, '/healthcheck/ready')).status).toBe(200);
      expect((await rawRequest(port, '/healthcheck/startup')).status).toBe(200);
      expect((await rawRequest(port, '/healthcheck/group/queue')).status).toBe(
        200,
      );
      expect(
        JSON.parse((await rawRequest(port, '/healthcheck?check=queue')).body)
          .results,
      ).toHaveLength(1);
      expect(
        JSON.parse(
          (await rawRequest(port, '/healthcheck?exclude=queue&exclude=process'))
            .body,
        ).results,
      ).toEqual([]);
      const appPort = (app.getHttpServer().address() as { port: number }).port;
      expect((await rawRequest(appPort, '/healthcheck')).status).toBe(404);
    });

    it('answers byte for byte as the controller routes do, when both are kept', async () => {
      app = await createApp(
        appModule(
          {
            server: { port: 0, host: '127.0.0.1', keepAppRoutes: true },
            failedStatus: 503,
            successHeaders: { 'X-Health': 'ok' },
            failedHeaders: { 'X-Health': 'failing' },
          },
          { providers: [CachedChecks] },
        ),
        platform,
      );
      await app.listen(0, '127.0.0.1');
      const appPort = (app.getHttpServer().address() as { port: number }).port;
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000);
      try {
        for (const path of [
          '/healthcheck',
          '/healthcheck/ready',
          '/healthcheck/live',
          '/healthcheck/group/queue',
          '/healthcheck?check=nope',
          '/healthcheck?check=a&check=b',
        ]) {
          const [own, onApp] = await Promise.all([
            rawRequest(portOf(app), path),
            rawRequest(appPort, path),
          ]);
          expect({ path, status: own.status, body: own.body }).toEqual({
            path,
            status: onApp.status,
            body: onApp.body,
          });
          for (const header of ['content-type', 'cache-control', 'x-health']) {
            expect(own.headers[header]).toEqual(onApp.headers[header]);
          }
        }
      } finally {
        now.mockRestore();
      }
    });

    it('is not touched by a global guard that denies everything', async () => {
      app = await createApp(
        appModule(
          { server: { port: 0, host: '127.0.0.1', keepAppRoutes: true } },
          {
            providers: [
              WorkerChecks,
              { provide: APP_GUARD, useClass: DenyAllGuard },
            ],
          },
        ),
        platform,
      );
      await app.listen(0, '127.0.0.1');
      const appPort = (app.getHttpServer().address() as { port: number }).port;
      expect((await rawRequest(appPort, '/healthcheck/ready')).status).toBe(
        403,
      );
      expect((await rawRequest(portOf(app), '/healthcheck/ready')).status).toBe(
        200,
      );
    });

    it('drains keep-alive clients of the app port and of the health port during the shutdown delay, and only then', async () => {
      app = await createApp(
        appModule(
          { server: { port: 0, host: '127.0.0.1' }, shutdownDelay: 400 },
          { providers: [WorkerChecks], controllers: [OrdersController] },
        ),
        platform,
      );
      await app.listen(0, '127.0.0.1');
      const appPort = (app.getHttpServer().address() as { port: number }).port;
      const healthPort = portOf(app);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const before = await rawRequest(appPort, '/orders', { agent });
        expect(before.status).toBe(200);
        expect(before.headers.connection).toBe('keep-alive');
        const healthBefore = await rawRequest(healthPort, '/healthcheck/live', {
          agent: healthAgent,
        });
        expect(healthBefore.headers.connection).toBe('keep-alive');
        const closing = app.close();
        app = undefined;
        await new Promise((resolve) => setTimeout(resolve, 100));
        const during = await rawRequest(appPort, '/orders', { agent });
        expect(during.status).toBe(200);
        expect(during.headers.connection).toBe('close');
        const ready = await rawRequest(healthPort, '/healthcheck/ready', {
          agent: healthAgent,
        });
        expect(ready.status).toBe(500);
        expect(JSON.parse(ready.body).results[0].output).toBe(
          readinessShuttingDown,
        );
        expect(ready.headers.connection).toBe('close');
        expect((await rawRequest(healthPort, '/healthcheck/live')).status).toBe(
          200,
        );
        await closing;
        await expect(
          rawRequest(healthPort, '/healthcheck/live'),
        ).rejects.toThrow(/ECONNREFUSED/);
      } finally {
        agent.destroy();
        healthAgent.destroy();
      }
    });
  },
);

describe('the health server', () => {
  let context: INestApplicationContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function boot(options: HealthcheckModuleOptions) {
    context = await NestFactory.createApplicationContext(appModule(options), {
      logger: false,
    });
    return portOf(context);
  }

  it('serves the probes of an application context (a worker with no HTTP server)', async () => {
    const port = await boot({ server: { port: 0, host: '127.0.0.1' } });
    expect((await rawRequest(port, '/healthcheck/ready')).status).toBe(200);
    context!.get(WorkerChecks).queueUp = false;
    const ready = await rawRequest(port, '/healthcheck/ready');
    expect(ready.status).toBe(500);
    expect(JSON.parse(ready.body).results[0].output).toBe('queue down');
    expect((await rawRequest(port, '/healthcheck/live')).status).toBe(200);
  });

  it('serves the probes of a TCP microservice', async () => {
    const microservice =
      await NestFactory.createMicroservice<MicroserviceOptions>(
        appModule({ server: { port: 0, host: '127.0.0.1' } }),
        {
          transport: Transport.TCP,
          options: { host: '127.0.0.1', port: 0 },
          logger: false,
        },
      );
    context = microservice;
    await microservice.listen();
    const port = portOf(microservice);
    expect((await rawRequest(port, '/healthcheck/live')).status).toBe(200);
    expect((await rawRequest(port, '/healthcheck/ready')).status).toBe(200);
  });

  it('answers HEAD with the headers and no body, 405 to other methods, 404 to unknown paths', async () => {
    const port = await boot({ server: { port: 0, host: '127.0.0.1' } });
    const head = await rawRequest(port, '/healthcheck', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toMatch(/^application\/json/);
    const post = await rawRequest(port, '/healthcheck/ready', {
      method: 'POST',
    });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(post.body)).toEqual({
      status: 'failure',
      error: methodNotAllowed('POST'),
    });
    const missing = await rawRequest(port, '/elsewhere');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      status: 'failure',
      error: noHealthRoute('/elsewhere'),
    });
  });

  it('serves the environment only to requests that server.authorize lets through', async () => {
    const port = await boot({
      server: {
        port: 0,
        host: '127.0.0.1',
        authorize: (request) => request.headers['x-token'] === 'let-me-in',
      },
      environment: true,
    });
    const refused = await rawRequest(port, '/environment');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toBe(environmentForbidden);
    const allowed = await rawRequest(port, '/environment', {
      headers: { 'x-token': 'let-me-in' },
    });
    expect(allowed.status).toBe(200);
    expect(Object.keys(JSON.parse(allowed.body))).toEqual(
      expect.arrayContaining(['os', 'process']),
    );
  });

  it('keeps the environment closed on the health server without server.authorize', async () => {
    const port = await boot({
      server: { port: 0, host: '127.0.0.1' },
      environment: true,
    });
    const response = await rawRequest(port, '/environment');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error).toBe(environmentNeedsAuthorize);
  });

  it('answers 404 on the history route when history is false', async () => {
    const port = await boot({
      server: { port: 0, host: '127.0.0.1' },
      history: false,
    });
    const response = await rawRequest(port, '/healthcheck/history');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error).toBe(
      noHealthRoute('/healthcheck/history'),
    );
  });

  it('answers HEAD on the event stream with its headers and ends it', async () => {
    const port = await boot({
      server: { port: 0, host: '127.0.0.1' },
      ui: true,
    });
    const head = await rawRequest(port, '/healthcheck/events', {
      method: 'HEAD',
    });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(head.body).toBe('');
  });

  it('closes a connection that never sent a request at once, without waiting for the grace period', async () => {
    const closeAll = jest.spyOn(Server.prototype, 'closeAllConnections');
    try {
      const port = await boot({ server: { port: 0, host: '127.0.0.1' } });
      const spare = connect(port, '127.0.0.1');
      await once(spare, 'connect');
      const spareClosed = once(spare, 'close');
      await context!.close();
      context = undefined;
      await spareClosed;
      expect(closeAll).not.toHaveBeenCalled();
    } finally {
      closeAll.mockRestore();
    }
  });

  it('answers 500 and keeps serving when writing an answer throws, instead of ending the process', async () => {
    const port = await boot({ server: { port: 0, host: '127.0.0.1' } });
    const endpoints = context!.get(HealthEndpoints);
    const probe = jest.spyOn(endpoints, 'probe').mockReturnValueOnce({
      status: 200,
      headers: [['X-Build', 'v1\r\nSet-Cookie: a=b']],
      body: '{}',
    });
    const broken = await rawRequest(port, '/healthcheck/live');
    expect(broken.status).toBe(500);
    expect(broken.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(broken.body).error).toMatch(/^The health route failed/);
    probe.mockRestore();
    expect((await rawRequest(port, '/healthcheck/live')).status).toBe(200);
  });

  it('listens with short timeouts instead of the 60 s Node.js gives a request by default', async () => {
    const listen = jest.spyOn(Server.prototype, 'listen');
    try {
      await boot({ server: { port: 0, host: '127.0.0.1' } });
      const server = listen.mock.contexts[0] as Server;
      expect({
        headersTimeout: server.headersTimeout,
        requestTimeout: server.requestTimeout,
        keepAliveTimeout: server.keepAliveTimeout,
      }).toEqual({
        headersTimeout: DEFAULT_HEALTH_SERVER_TIMEOUTS.headersTimeout,
        requestTimeout: DEFAULT_HEALTH_SERVER_TIMEOUTS.requestTimeout,
        keepAliveTimeout: DEFAULT_HEALTH_SERVER_TIMEOUTS.keepAliveTimeout,
      });
      expect(DEFAULT_HEALTH_SERVER_TIMEOUTS).toEqual({
        headersTimeout: 5_000,
        requestTimeout: 10_000,
        keepAliveTimeout: 5_000,
        connectionsCheckingInterval: 1_000,
      });
    } finally {
      listen.mockRestore();
    }
  });

  it('cuts off a client that sends half a request once the headers timeout passes', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [appModule({ server: { port: 0, host: '127.0.0.1' } })],
    })
      .overrideProvider(HEALTH_SERVER_TIMEOUTS)
      .useValue({
        headersTimeout: 50,
        requestTimeout: 100,
        keepAliveTimeout: 50,
        connectionsCheckingInterval: 10,
      } satisfies HealthServerTimeouts)
      .compile();
    moduleRef.useLogger(false);
    context = await moduleRef.init();
    const slow = connect(portOf(context), '127.0.0.1');
    await once(slow, 'connect');
    let answer = '';
    slow.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    slow.write('GET /healthcheck/live HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await closedWithin(slow, 5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(
      (await rawRequest(portOf(context), '/healthcheck/live')).status,
    ).toBe(200);
  });

  it('closes connections beyond server.maxConnections at once and serves again when one frees up', async () => {
    const port = await boot({
      server: { port: 0, host: '127.0.0.1', maxConnections: 1 },
    });
    const held = connect(port, '127.0.0.1');
    await once(held, 'connect');
    const extra = connect(port, '127.0.0.1');
    await closedWithin(extra, 5_000);
    held.destroy();
    await once(held, 'close');
    for (let attempt = 0; ; attempt++) {
      const response = await rawRequest(port, '/healthcheck/live').catch(
        () => undefined,
      );
      if (response) {
        expect(response.status).toBe(200);
        break;
      }
      if (attempt === 50)
        throw new Error('the freed connection was not reused');
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('stops bootstrap with a message naming a port already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(0, '127.0.0.1', resolve),
    );
    const { port } = blocker.address() as { port: number };
    try {
      await expect(
        NestFactory.createApplicationContext(
          appModule({ server: { port, host: '127.0.0.1' } }),
          { logger: false, abortOnError: false },
        ),
      ).rejects.toThrow(healthServerPortInUse('127.0.0.1', port));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
