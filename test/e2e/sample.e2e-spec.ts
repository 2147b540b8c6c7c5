import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { AppModule } from '../../sample/app.module.js';
import { HealthcheckServer } from '../../lib/index.js';
import { rawRequest } from '../support/raw-http.js';
import { createApp, PLATFORMS } from './platforms.js';

const names = (body: { results: Array<{ checker: string }> }) =>
  body.results.map((result) => result.checker);

describe.each(PLATFORMS)('the sample app (%s)', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(AppModule, platform);
  });
  afterAll(() => app.close());

  it('serves its checks at /healthcheck, all passing without external services', async () => {
    const agent = request(app.getHttpServer());
    // disk_space runs in the background: its first result may still be pending.
    let response = await agent.get('/healthcheck');
    for (let attempt = 0; attempt < 100 && response.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      response = await agent.get('/healthcheck');
    }
    expect(response.status).toBe(200);
    expect(response.headers['x-health']).toBe('ok');
    expect(names(response.body)).toEqual([
      'event_loop',
      'heap',
      'disk_space',
      'http_dependency',
      'warmup',
    ]);
  });

  it('wires its checks to the Kubernetes probes', async () => {
    const agent = request(app.getHttpServer());
    expect(names((await agent.get('/healthcheck/live')).body)).toEqual([
      'event_loop',
      'heap',
    ]);
    expect(names((await agent.get('/healthcheck/ready')).body)).toEqual([
      'disk_space',
      'http_dependency',
    ]);
    expect((await agent.get('/healthcheck/startup')).status).toBe(200);
  });

  it('serves the environment with its custom application section', async () => {
    const response = await request(app.getHttpServer()).get('/environment');
    expect(response.status).toBe(200);
    expect(response.body.application.name).toBe('nestjs-healthcheck-sample');
    expect(Object.keys(response.body)).toEqual([
      'os',
      'node',
      'process',
      'config',
      'application',
    ]);
  });

  it('keeps its ordinary route', async () => {
    const response = await request(app.getHttpServer()).get('/');
    expect(response.body.message).toMatch(/Hello/);
  });
});

describe('the sample worker', () => {
  let worker: INestApplicationContext;
  beforeAll(async () => {
    process.env.HEALTH_PORT = '0';
    const { WorkerModule } = await import('../../sample/worker.module.js');
    worker = await NestFactory.createApplicationContext(WorkerModule, {
      logger: false,
    });
  });
  afterAll(async () => {
    await worker.close();
    delete process.env.HEALTH_PORT;
  });

  it('serves its probes on its own health server, with no HTTP server of the application', async () => {
    const port = worker.get(HealthcheckServer).address()!.port;
    const ready = await rawRequest(port, '/healthcheck/ready');
    expect(ready.status).toBe(200);
    expect(names(JSON.parse(ready.body))).toEqual([
      'disk_space',
      'queue_consumer',
    ]);
    expect(
      names(JSON.parse((await rawRequest(port, '/healthcheck/live')).body)),
    ).toEqual(['event_loop', 'heap']);
  });
});
