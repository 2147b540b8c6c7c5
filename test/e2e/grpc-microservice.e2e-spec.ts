import { afterEach, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import {
  GrpcHealthService,
  type HealthcheckModuleOptions,
} from '../../lib/index.js';
import {
  createGreeterModule,
  GREETER_PROTO,
} from '../fixtures/grpc-greeter.fixture.js';
import { HealthClient } from '../fixtures/grpc-health-client.js';
import { freePort } from '../services/service-utils.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The README recipe: a gRPC-only Nest microservice that serves grpc.health.v1.Health beside its own service. */
async function startGreeter(
  port: number,
  health: HealthcheckModuleOptions = {},
  gracefulShutdown = false,
) {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    createGreeterModule(health),
    {
      transport: Transport.GRPC,
      logger: false,
      options: {
        package: 'greeter',
        protoPath: GREETER_PROTO,
        url: `127.0.0.1:${port}`,
        gracefulShutdown,
        // Runs inside app.listen(), after DI: the service is there, and registers at once since it is loaded.
        onLoadPackageDefinition: (_definition, server) =>
          app.get(GrpcHealthService).addToServer(server),
      },
    },
  );
  await app.get(GrpcHealthService).load();
  await app.listen();
  return app;
}

/** A client of the fixture's own Greeter service. */
function greeterClient(port: number) {
  const { greeter } = grpc.loadPackageDefinition(
    loadSync(GREETER_PROTO),
  ) as unknown as {
    greeter: { Greeter: grpc.ServiceClientConstructor };
  };
  return new greeter.Greeter(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    SayHello(
      request: { name: string },
      callback: (
        error: grpc.ServiceError | null,
        reply?: { message: string },
      ) => void,
    ): void;
  };
}

describe('gRPC health in a Nest gRPC microservice', () => {
  it('answers grpc.health.v1.Health SERVING on the microservice port as soon as listen() resolves', async () => {
    const port = await freePort();
    const app = await startGreeter(port);
    cleanups.push(() => app.close());
    const health = new HealthClient(port);
    cleanups.push(() => health.close());

    expect(await health.check('')).toBe('SERVING');
    expect(await health.check('liveness')).toBe('SERVING');
    expect(await health.check('readiness')).toBe('SERVING');
    expect(await health.list()).toEqual({
      '': 'SERVING',
      liveness: 'SERVING',
      readiness: 'SERVING',
      startup: 'SERVING',
      eventLoop: 'SERVING',
      greetings: 'SERVING',
    });
  });

  it("serves the microservice's own service beside the health service", async () => {
    const port = await freePort();
    const app = await startGreeter(port);
    cleanups.push(() => app.close());
    const greeter = greeterClient(port);
    cleanups.push(() => greeter.close());

    const reply = await new Promise<{ message: string }>((resolve, reject) =>
      greeter.SayHello({ name: 'probe' }, (error, response) =>
        error ? reject(error) : resolve(response!),
      ),
    );
    expect(reply.message).toBe('Hello, probe');
  });

  it('on a shutdown signal, streams readiness NOT_SERVING during shutdownDelay, then ends Watch so a graceful close completes', async () => {
    const port = await freePort();
    const app = await startGreeter(port, { shutdownDelay: 1_000 }, true);
    const health = new HealthClient(port);
    cleanups.push(() => health.close());
    const readiness = health.watch('readiness');
    expect(await readiness.received(1)).toEqual(['SERVING']);

    // What the listener of app.enableShutdownHooks() runs on SIGTERM (close() would stop the server first).
    const shutdown = (
      app as unknown as { shutdown(signal: string): Promise<void> }
    ).shutdown('SIGTERM');
    expect(await readiness.received(2)).toEqual(['SERVING', 'NOT_SERVING']);
    expect(await health.check('readiness')).toBe('NOT_SERVING');
    expect(await health.check('liveness')).toBe('SERVING');
    await shutdown;
    expect((await readiness.ended).code).toBe(grpc.status.OK);
  });
});
