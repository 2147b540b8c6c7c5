import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppModule } from '../../sample/app.module.js';
import { createApp, PLATFORMS } from './platforms.js';

describe.each(PLATFORMS)('the sample app (%s)', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(AppModule, platform);
  });
  afterAll(() => app.close());

  it('serves its checks at /healthcheck, all passing without external services', async () => {
    const response = await request(app.getHttpServer()).get('/healthcheck');
    expect(response.status).toBe(200);
    expect(response.headers['x-health']).toBe('ok');
    expect(
      response.body.results.map(
        (result: { checker: string }) => result.checker,
      ),
    ).toEqual(['event_loop', 'heap', 'disk_space', 'http_dependency']);
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
