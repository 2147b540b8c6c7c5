import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  SkipThrottle,
  ThrottlerGuard,
  ThrottlerModule,
} from '@nestjs/throttler';
import { HealthCheck, HealthcheckModule } from 'nestjs-healthcheck';
import assert from 'node:assert/strict';
import { test } from 'node:test';

@Injectable()
class Liveness {
  @HealthCheck({ tags: ['liveness'] })
  process(): boolean {
    return true;
  }
}

/** Probe statuses of 30 requests in a row, behind ThrottlerGuard as APP_GUARD (5 requests a minute). */
async function probeStatuses(
  platform: 'express' | 'fastify',
  decorators: Array<ClassDecorator | MethodDecorator>,
): Promise<number[]> {
  @Module({
    imports: [
      ThrottlerModule.forRoot([{ ttl: 60_000, limit: 5 }]),
      HealthcheckModule.forRoot({ decorators }),
    ],
    providers: [Liveness, { provide: APP_GUARD, useClass: ThrottlerGuard }],
  })
  class ThrottledApp {}
  const adapter =
    platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(ThrottledApp, adapter, {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = app.getHttpServer().address() as { port: number };
    const statuses: number[] = [];
    for (let probe = 0; probe < 30; probe++) {
      const response = await fetch(`http://127.0.0.1:${port}/healthcheck/live`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    return statuses;
  } finally {
    await app.close();
  }
}

for (const platform of ['express', 'fastify'] as const) {
  test(`probes never see 429 under ThrottlerGuard once SkipThrottle() is given (${platform})`, async () => {
    assert.ok((await probeStatuses(platform, [])).includes(429));
    assert.deepEqual(
      [...new Set(await probeStatuses(platform, [SkipThrottle()]))],
      [200],
    );
  });
}
