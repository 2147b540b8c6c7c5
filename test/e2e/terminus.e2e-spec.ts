import {
  type INestApplication,
  type INestMicroservice,
  Module,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import request from 'supertest';
import { HealthcheckModule } from '../../lib/index.js';
import {
  type MicroservicePorts,
  terminusAppMetadata,
} from '../fixtures/terminus.fixture.js';
import { freePort } from '../services/service-utils.js';
import { createApp, PLATFORMS } from './platforms.js';

@Module({})
class EmptyMicroservice {}

/** Each check of the fixture, and whether terminus itself says it is up. */
const SCENARIOS: Array<[name: string, up: boolean]> = [
  ['memory_up', true],
  ['memory_down', false],
  ['disk_up', true],
  ['disk_down', false],
  ['microservice_up', true],
  ['microservice_down', false],
  ['legacy_up', true],
  ['legacy_down', false],
  ['service_up', true],
  ['service_down', false],
  ['service_degraded', true],
  ['several_one_down', false],
];

/** The status of each key of a terminus result: what both sides must agree on. */
const statuses = (result: unknown): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(result as Record<string, { status: unknown }>).map(
      ([key, value]) => [key, value.status],
    ),
  );

let microservice: INestMicroservice;
let ports: MicroservicePorts;

beforeAll(async () => {
  ports = { open: await freePort(), closed: await freePort() };
  microservice = await NestFactory.createMicroservice(EmptyMicroservice, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: ports.open },
    logger: false,
  });
  await microservice.listen();
});

afterAll(async () => {
  await microservice?.close();
});

describe.each(PLATFORMS)(
  'terminus indicators through fromTerminus (%s)',
  (platform) => {
    let app: INestApplication;

    beforeAll(async () => {
      const { imports, providers, controllers } = terminusAppMetadata(ports);
      @Module({
        imports: [HealthcheckModule.forRoot({ timeout: 5_000 }), ...imports],
        providers,
        controllers,
      })
      class AppModule {}
      app = await createApp(AppModule, platform);
    });

    afterAll(async () => {
      await app?.close();
    });

    it.each(SCENARIOS)(
      '%s: the same up/down as terminus HealthCheckService (terminus up: %s)',
      async (name, terminusUp) => {
        const agent = request(app.getHttpServer());
        const ours = await agent.get(`/healthcheck?check=${name}`);
        const theirs = await agent.get(`/terminus/${name}`);
        expect(theirs.status === 200).toBe(terminusUp);
        expect(ours.status).toBe(terminusUp ? 200 : 500);
        expect(ours.body.status).toBe(terminusUp ? 'success' : 'failure');
        // terminus' own status `degraded` is ours: a success marked degraded.
        expect(ours.body.degraded === true).toBe(
          theirs.body.status === 'degraded',
        );
        const [result] = ours.body.results;
        expect(result).toEqual(
          expect.objectContaining({ checker: name, passed: terminusUp }),
        );
        // terminus' body carries the result under details, except when an indicator throws, which terminus 12
        // passes on as it is (a 500 without them).
        if (theirs.body.details) {
          expect(statuses(result.output)).toEqual(
            statuses(theirs.body.details),
          );
        }
      },
    );

    it('shows terminus result as the output, details included', async () => {
      const agent = request(app.getHttpServer());
      const up = await agent.get('/healthcheck?check=legacy_up');
      expect(up.body.results[0].output).toEqual({
        cache: { status: 'up', hits: 42 },
      });
      const down = await agent.get('/healthcheck?check=legacy_down');
      expect(down.body.results[0].output).toEqual({
        cache: { status: 'down', hits: 42 },
      });
      const heap = await agent.get('/healthcheck?check=memory_down');
      const terminusHeap = await agent.get('/terminus/memory_down');
      expect(heap.body.results[0].output).toEqual(terminusHeap.body.details);
    });

    it('a degraded key leaves the report a success marked degraded, the check degraded, the key shown as degraded', async () => {
      const agent = request(app.getHttpServer());
      const ours = await agent.get('/healthcheck?check=service_degraded');
      const theirs = await agent.get('/terminus/service_degraded');
      expect(theirs.body.status).toBe('degraded');
      expect(ours.status).toBe(200);
      expect(ours.body).toMatchObject({ status: 'success', degraded: true });
      expect(ours.body.results[0]).toMatchObject({
        passed: true,
        degraded: true,
      });
      expect(ours.body.results[0].output).toEqual({
        search: { status: 'degraded', shards: 2 },
      });
    });

    it('the microservice indicator reports the refused connection', async () => {
      const agent = request(app.getHttpServer());
      const down = await agent.get('/healthcheck?check=microservice_down');
      expect(down.body.results[0].output).toEqual({
        orders: expect.objectContaining({
          status: 'down',
          message: expect.stringContaining('ECONNREFUSED'),
        }),
      });
    });
  },
);
