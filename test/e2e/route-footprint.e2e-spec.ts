import { type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import request from 'supertest';
import { methodNotAllowed } from '../../lib/healthcheck.messages.js';
import { HealthcheckModule } from '../../lib/index.js';
import { PassingChecks } from '../fixtures/seed-checks.fixture.js';
import { PLATFORMS } from './platforms.js';

/** Keeps the router's `Mapped {...}` lines, as `npm start` prints them. */
class MappedRoutes implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown): void {
    if (typeof message === 'string' && message.startsWith('Mapped {')) {
      this.lines.push(message);
    }
  }
  error(): void {}
  warn(): void {}
}

const PATHS = [
  '/healthcheck',
  '/healthcheck/live',
  '/healthcheck/ready',
  '/healthcheck/startup',
  '/healthcheck/group/x',
  '/healthcheck/history',
  '/healthcheck/ui',
  '/environment',
];

describe.each(PLATFORMS)('the routes the module adds (%s)', (platform) => {
  @Module({
    imports: [HealthcheckModule.forRoot({ environment: true, ui: true })],
    providers: [PassingChecks],
  })
  class AppModule {}

  async function boot() {
    const logger = new MappedRoutes();
    const app = await NestFactory.create(
      AppModule,
      platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      { logger },
    );
    await app.init();
    if (platform === 'fastify') {
      await app.getHttpAdapter().getInstance().ready();
    }
    return { app, logger };
  }

  it('maps one route per health path (GET), not one per method', async () => {
    const { app, logger } = await boot();
    try {
      // report, live, ready, startup, group/:tag, history, ui, events, environment
      expect(logger.lines).toHaveLength(9);
      expect(logger.lines.every((line) => line.includes(', GET}'))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('still answers 405 JSON with Allow: GET, HEAD to POST, PUT, PATCH and DELETE on every path', async () => {
    const { app } = await boot();
    try {
      const agent = request(app.getHttpServer());
      for (const path of PATHS) {
        for (const method of ['post', 'put', 'patch', 'delete'] as const) {
          const response = await agent[method](path);
          expect({ path, method, status: response.status }).toEqual({
            path,
            method,
            status: 405,
          });
          expect(response.headers.allow).toBe('GET, HEAD');
          expect(response.headers['content-type']).toMatch(
            /^application\/json/,
          );
          expect(response.body).toEqual({
            status: 'failure',
            error: methodNotAllowed(method.toUpperCase()),
          });
        }
      }
      expect((await agent.get('/healthcheck')).status).toBe(200);
      expect((await agent.post('/healthcheck/elsewhere')).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
