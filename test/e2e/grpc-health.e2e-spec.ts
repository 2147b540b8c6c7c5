import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { HealthMonitor } from '../../lib/checks/health.monitor.js';
import {
  type INestApplicationContext,
  Module,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { setTimeout as delay } from 'node:timers/promises';
import {
  grpcHealthCheckMissing,
  grpcHealthCheckUnusable,
  grpcUnknownService,
} from '../../lib/healthcheck.messages.js';
import { loadHealthServiceDefinition } from '../../lib/grpc/grpc-health.loader.js';
import {
  GrpcHealthService,
  HealthCheckRunner,
  HealthcheckModule,
  type HealthcheckModuleOptions,
} from '../../lib/index.js';
import {
  GrpcBackgroundChecks,
  GrpcProbeChecks,
  GrpcSlowCheck,
} from '../fixtures/grpc-health.fixture.js';
import {
  HealthClient,
  startGrpcServer,
} from '../fixtures/grpc-health-client.js';

interface Booted {
  app: INestApplicationContext;
  /** Closes the application (once; the test's cleanup closes it otherwise). */
  close: () => Promise<void>;
  runner: HealthCheckRunner;
  health: GrpcHealthService;
  client: HealthClient;
  /** How many runner subscriptions are open right now. */
  listeners: () => number;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An application context (no HTTP) with the checks, its health service on a real gRPC server, and a client. */
async function boot(
  options: HealthcheckModuleOptions = {},
  providers: Type<unknown>[] = [GrpcProbeChecks],
): Promise<Booted> {
  @Module({
    imports: [HealthcheckModule.forRoot(options)],
    providers,
  })
  class GrpcTestModule {}

  const app = await NestFactory.createApplicationContext(GrpcTestModule, {
    logger: false,
    abortOnError: false,
  });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= app.close());
  cleanups.push(close);
  const runner = app.get(HealthCheckRunner);
  const listeners = countSubscriptions(app.get(HealthMonitor));
  const health = app.get(GrpcHealthService);
  const grpcServer = await startGrpcServer((server) =>
    health.addToServer(server),
  );
  cleanups.push(grpcServer.close);
  const client = new HealthClient(grpcServer.port);
  cleanups.push(() => client.close());
  return { app, close, runner, health, client, listeners };
}

/** Observes the runner's subscriptions: counts those not yet unsubscribed. */
function countSubscriptions(runner: HealthMonitor): () => number {
  let open = 0;
  const subscribe = runner.subscribe.bind(runner);
  jest.spyOn(runner, 'subscribe').mockImplementation((listener) => {
    const unsubscribe = subscribe(listener);
    open++;
    let done = false;
    return () => {
      if (!done) open--;
      done = true;
      unsubscribe();
    };
  });
  return () => open;
}

/** Resolves once the runner has recorded `count` more results (bounded). */
async function resultsRecorded(
  runner: HealthCheckRunner,
  count: number,
): Promise<void> {
  let seen = 0;
  let unsubscribe = (): void => undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`fewer than ${count} results recorded`)),
      5_000,
    );
    unsubscribe = runner.subscribe((event) => {
      if (event.type === 'result' && ++seen >= count) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  unsubscribe();
}

/** Polls `condition` every 10 ms, at most 5 s. */
async function eventually(what: string, condition: () => boolean) {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (condition()) return;
    await delay(10);
  }
  throw new Error(`${what} did not happen`);
}

const grpcError = (error: unknown) => {
  const { code, details } = error as ServiceError;
  return { code, details };
};

describe('gRPC health service (grpc.health.v1.Health)', () => {
  it('answers Check for "", each probe, a tag and a check by running the checks: SERVING from the first call', async () => {
    const { client, runner } = await boot();
    expect(runner.results().every(({ result }) => !result)).toBe(true);

    expect(await client.check('')).toBe('SERVING');
    expect(await client.check('liveness')).toBe('SERVING');
    expect(await client.check('readiness')).toBe('SERVING');
    expect(await client.check('startup')).toBe('SERVING');
    expect(await client.check('storage')).toBe('SERVING');
    expect(await client.check('database')).toBe('SERVING');
  });

  it('answers NOT_FOUND for a name that is neither a probe, a tag nor a check', async () => {
    const { client } = await boot();
    await expect(client.check('nope').catch(grpcError)).resolves.toEqual({
      code: GrpcStatus.NOT_FOUND,
      details: grpcUnknownService('nope'),
    });
  });

  it('answers NOT_SERVING where a failing check counts, and SERVING elsewhere', async () => {
    const { client, app } = await boot();
    app.get(GrpcProbeChecks).databaseUp = false;

    expect(await client.check('')).toBe('NOT_SERVING');
    expect(await client.check('readiness')).toBe('NOT_SERVING');
    expect(await client.check('storage')).toBe('NOT_SERVING');
    expect(await client.check('database')).toBe('NOT_SERVING');
    expect(await client.check('liveness')).toBe('SERVING');
    expect(await client.check('startup')).toBe('SERVING');
  });

  it('keeps "" SERVING with a non-critical failure, which answers NOT_SERVING by its own name', async () => {
    const { client } = await boot();
    expect(await client.check('')).toBe('SERVING');
    expect(await client.check('recommendations')).toBe('NOT_SERVING');
  });

  it('latches startup once it has passed, like the HTTP route', async () => {
    const { client, app } = await boot();
    const checks = app.get(GrpcProbeChecks);
    checks.warmedUp = false;
    expect(await client.check('startup')).toBe('NOT_SERVING');
    checks.warmedUp = true;
    expect(await client.check('startup')).toBe('SERVING');
    checks.warmedUp = false;
    expect(await client.check('startup')).toBe('SERVING');
    expect(await client.check('warmup')).toBe('NOT_SERVING');
  });

  it('lists every service with its status', async () => {
    const { client, app } = await boot({}, [
      GrpcProbeChecks,
      GrpcBackgroundChecks,
    ]);
    app.get(GrpcProbeChecks).databaseUp = false;
    expect(await client.list()).toEqual({
      '': 'NOT_SERVING',
      liveness: 'SERVING',
      readiness: 'NOT_SERVING',
      startup: 'SERVING',
      storage: 'NOT_SERVING',
      queue: 'NOT_SERVING',
      eventLoop: 'SERVING',
      database: 'NOT_SERVING',
      warmup: 'SERVING',
      recommendations: 'NOT_SERVING',
      queueConsumer: 'NOT_SERVING',
    });
  });

  it('streams NOT_SERVING, then SERVING when a background check recovers, with no repeated status', async () => {
    const { client, app, runner } = await boot({}, [GrpcBackgroundChecks]);
    const checks = app.get(GrpcBackgroundChecks);
    const group = client.watch('queue');
    const all = client.watch('');
    const check = client.watch('queueConsumer');

    for (const stream of [group, all, check]) {
      expect(await stream.received(1)).toEqual(['NOT_SERVING']);
    }
    await resultsRecorded(runner, 3);
    checks.queueUp = true;
    for (const stream of [group, all, check]) {
      expect(await stream.received(2)).toEqual(['NOT_SERVING', 'SERVING']);
    }
    await resultsRecorded(runner, 5);
    checks.queueUp = false;
    expect(await group.received(3)).toEqual([
      'NOT_SERVING',
      'SERVING',
      'NOT_SERVING',
    ]);
    await resultsRecorded(runner, 5);
    for (const stream of [group, all, check]) {
      expect(stream.statuses).toEqual([
        'NOT_SERVING',
        'SERVING',
        'NOT_SERVING',
      ]);
      stream.cancel();
    }
  });

  it('streams SERVICE_UNKNOWN for an unknown name, then the status once such a check exists', async () => {
    const { client, runner } = await boot();
    const stream = client.watch('late');
    expect(await stream.received(1)).toEqual(['SERVICE_UNKNOWN']);
    runner.addCheck('late', () => [true, 'here now'], { interval: 1_000 });
    await eventually('the late check serving', () =>
      stream.statuses.includes('SERVING'),
    );
    // Not serving while its first run is pending, if a Watch reads it then; serving once it has passed.
    expect([
      'SERVICE_UNKNOWN,SERVING',
      'SERVICE_UNKNOWN,NOT_SERVING,SERVING',
    ]).toContain(stream.statuses.join());
    stream.cancel();
  });

  it('turns readiness and "" NOT_SERVING as soon as shutdown begins, and ends every Watch stream cleanly after a last NOT_SERVING', async () => {
    const { client, close, listeners } = await boot({ shutdownDelay: 1_000 });
    const readiness = client.watch('readiness');
    const liveness = client.watch('liveness');
    expect(await readiness.received(1)).toEqual(['SERVING']);
    expect(await liveness.received(1)).toEqual(['SERVING']);

    const closing = close();
    expect(await readiness.received(2)).toEqual(['SERVING', 'NOT_SERVING']);
    expect(await client.check('readiness')).toBe('NOT_SERVING');
    expect(await client.check('')).toBe('NOT_SERVING');
    expect(await client.check('liveness')).toBe('SERVING');
    await closing;

    for (const stream of [readiness, liveness]) {
      expect((await stream.ended).code).toBe(GrpcStatus.OK);
    }
    // The server is going away: every Watch hears NOT_SERVING before its stream ends, liveness included.
    expect(readiness.statuses).toEqual(['SERVING', 'NOT_SERVING']);
    expect(liveness.statuses).toEqual(['SERVING', 'NOT_SERVING']);
    expect(listeners()).toBe(0);
  });

  it('leaves no runner listener behind when clients cancel, also while the first status is being computed', async () => {
    const { client, runner, listeners } = await boot({}, [
      GrpcProbeChecks,
      GrpcBackgroundChecks,
      GrpcSlowCheck,
    ]);
    const services = ['', 'readiness', 'queue', 'database', 'unknown'];
    for (let round = 0; round < 10; round++) {
      const streams = services.map((name) => client.watch(name));
      await Promise.all(streams.map((stream) => stream.received(1)));
      const slow = client.watch('slow');
      // The server has started the slow Watch once it subscribes; its first status is still being computed.
      await eventually('the slow Watch started', () => listeners() === 6);
      for (const stream of [...streams, slow]) stream.cancel();
      await Promise.all([...streams, slow].map((stream) => stream.ended));
      expect(slow.statuses).toEqual([]);
      await eventually('every Watch unsubscribed', () => listeners() === 0);
    }
    // Results keep coming with nobody left to hear them.
    await resultsRecorded(runner, 2);
    expect(listeners()).toBe(0);
  }, 20_000);

  it('registers at once after load(), so a hook that cannot wait may call addToServer', async () => {
    const { health } = await boot();
    await health.load();
    const server = { addService: jest.fn() };
    const registered = health.addToServer(server);
    expect(server.addService).toHaveBeenCalledTimes(1);
    const [definition, handlers] = server.addService.mock.calls[0] as [
      Record<string, { path: string }>,
      Record<string, unknown>,
    ];
    expect(definition.Check.path).toBe('/grpc.health.v1.Health/Check');
    expect(Object.keys(handlers).sort()).toEqual(['Check', 'List', 'Watch']);
    await registered;
  });

  it('rejects with a message saying what to install when grpc-health-check is missing', async () => {
    const missing = Object.assign(
      new Error("Cannot find package 'grpc-health-check'"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    await expect(
      loadHealthServiceDefinition(() => Promise.reject(missing)),
    ).rejects.toThrow(grpcHealthCheckMissing(missing.message));
    await expect(
      loadHealthServiceDefinition(() => Promise.resolve({})),
    ).rejects.toThrow(grpcHealthCheckUnusable);
  });
});
