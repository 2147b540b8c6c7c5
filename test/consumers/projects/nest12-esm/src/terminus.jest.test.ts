import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  HealthIndicatorService,
  MemoryHealthIndicator,
  TerminusModule,
} from '@nestjs/terminus';
import {
  fromTerminus,
  HealthCheck,
  HealthcheckModule,
} from 'nestjs-healthcheck';

/** terminus' own indicators, unchanged, as checks of nestjs-healthcheck. */
@Injectable()
class TerminusChecks {
  constructor(
    private readonly memory: MemoryHealthIndicator,
    private readonly indicator: HealthIndicatorService,
  ) {}

  @HealthCheck()
  heap() {
    return fromTerminus(() => this.memory.checkHeap('memory_heap', 1024 ** 4));
  }

  @HealthCheck({ tags: ['readiness'] })
  tinyHeap() {
    return fromTerminus(() => this.memory.checkHeap('memory_heap', 1));
  }

  @HealthCheck({ tags: ['readiness'] })
  search() {
    return fromTerminus(
      this.indicator
        .check('search')
        .attempt(async () => ({ shards: 3 }))
        .withTimeout(1_000),
    );
  }
}

@Module({
  imports: [
    HealthcheckModule.forRoot(),
    TerminusModule.forRoot({ logger: false }),
  ],
  providers: [TerminusChecks],
})
class TerminusApp {}

describe.each(['express', 'fastify'] as const)(
  "terminus' indicators through fromTerminus (%s)",
  (platform) => {
    it('pass and fail as terminus says, with its result as the output', async () => {
      const adapter =
        platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
      const app = await NestFactory.create(TerminusApp, adapter, {
        logger: false,
      });
      await app.listen(0, '127.0.0.1');
      try {
        const { port } = app.getHttpServer().address() as { port: number };
        const response = await fetch(`http://127.0.0.1:${port}/healthcheck`);
        const report = (await response.json()) as {
          status: string;
          results: Array<{ checker: string; passed: boolean; output: unknown }>;
        };
        expect(response.status).toBe(500);
        expect(report.status).toBe('failure');
        expect(
          report.results.map(({ checker, passed, output }) => ({
            checker,
            passed,
            output,
          })),
        ).toEqual([
          {
            checker: 'heap',
            passed: true,
            output: { memory_heap: { status: 'up' } },
          },
          {
            checker: 'tinyHeap',
            passed: false,
            output: {
              memory_heap: {
                status: 'down',
                message: 'Used heap exceeded the set threshold',
              },
            },
          },
          {
            checker: 'search',
            passed: true,
            output: {
              search: {
                status: 'up',
                shards: 3,
                responseTime: expect.any(Number),
              },
            },
          },
        ]);
      } finally {
        await app.close();
      }
    });
  },
);
