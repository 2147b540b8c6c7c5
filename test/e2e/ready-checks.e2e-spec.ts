import { jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { missingDependency } from '../../lib/healthcheck.messages.js';
import {
  checks,
  type HealthCheckDefinition,
  HealthcheckModule,
} from '../../lib/index.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** A stand-in ioredis client (the real one is proven against a real server in the services suite). */
function fakeRedis() {
  return {
    status: 'ready',
    options: { host: '127.0.0.1', port: 6390 },
    ping: jest.fn(async () => 'PONG'),
    sendCommand: jest.fn(),
  };
}

/** A definition as the checks namespace builds them, whose function can release something at shutdown. */
function closableDefinition(close: () => void): HealthCheckDefinition {
  return {
    name: 'closable',
    source: "checks.example('closable')",
    options: { tags: ['readiness'] },
    build: () => Object.assign(() => true, { close }),
  };
}

describe.each(PLATFORMS)(
  'ready-made checks through the module (%s)',
  (platform) => {
    const apps = healthcheckApps(platform);

    it('registers the checks of the option before the discovered ones, with their usual options', async () => {
      const agent = await apps.boot({
        checks: [
          checks.heap('heap', { maxUsedRatio: 0.99, tags: ['liveness'] }),
          checks.rss('rss', { maxBytes: 64 * 1024 ** 3, critical: false }),
        ],
      });
      const live = await agent.get('/healthcheck/live');
      expect(live.status).toBe(200);
      expect(
        live.body.results.map((r: { checker: string }) => r.checker),
      ).toEqual(['heap']);
      const full = await agent.get('/healthcheck');
      expect(full.body.results[1]).toEqual(
        expect.objectContaining({
          checker: 'rss',
          passed: true,
          critical: false,
        }),
      );
    });

    it('resolves a client given as a DI token, at bootstrap', async () => {
      const client = fakeRedis();
      const agent = await apps.boot(
        { checks: [checks.redis('cache', { client: REDIS_CLIENT })] },
        { providers: [{ provide: REDIS_CLIENT, useValue: client }] },
      );
      const response = await agent.get('/healthcheck?check=cache');
      expect(response.status).toBe(200);
      expect(response.body.results[0].passed).toBe(true);
      expect(client.ping).toHaveBeenCalledTimes(1);
    });

    it('stops bootstrap with a message naming the token and the check when no provider exists', async () => {
      await expect(
        apps.boot({
          checks: [checks.redis('cache', { client: REDIS_CLIENT })],
        }),
      ).rejects.toThrow(
        missingDependency(
          "checks.redis('cache')",
          'client',
          'the token Symbol(REDIS_CLIENT)',
          '',
        ).split(' (')[0],
      );
    });
  },
);

describe('ready-made checks and the application lifecycle', () => {
  it('take their checks from a forRootAsync factory too', async () => {
    const client = fakeRedis();
    @Module({
      providers: [{ provide: REDIS_CLIENT, useValue: client }],
      exports: [REDIS_CLIENT],
    })
    class RedisModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        RedisModule,
        HealthcheckModule.forRootAsync({
          useFactory: () => ({
            checks: [checks.redis('cache', { client: REDIS_CLIENT })],
          }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const { HealthCheckRunner } = await import('../../lib/index.js');
      const report = await app.get(HealthCheckRunner).run();
      expect(report.results.map((result) => result.checker)).toEqual(['cache']);
      expect(report.status).toBe('success');
    } finally {
      await app.close();
    }
  });

  it('release what a ready-made check made for itself when the application shuts down', async () => {
    const close = jest.fn();
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthcheckModule.forRoot({ checks: [closableDefinition(close)] }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(close).not.toHaveBeenCalled();
    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
  });
});
