import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import {
  Controller,
  Get,
  Injectable,
  Module,
  NotFoundException,
  Param,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  DiskHealthIndicator,
  HealthCheckError,
  HealthCheckService,
  HealthIndicator,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
  MemoryHealthIndicator,
  TerminusModule,
} from '@nestjs/terminus';
import {
  fromTerminus,
  HealthCheck,
  HealthcheckModule,
} from 'nestjs-healthcheck';

/** A custom indicator as terminus 11 users write them: a `HealthIndicator` subclass throwing `HealthCheckError`. */
@Injectable()
class InventoryHealthIndicator extends HealthIndicator {
  async isHealthy(
    key: string,
    reachable: boolean,
  ): Promise<HealthIndicatorResult> {
    const result = this.getStatus(key, reachable, { shards: 3 });
    if (reachable) return result;
    throw new HealthCheckError('Inventory check failed', result);
  }
}

/** Each case once, as the indicator function both terminus' HealthCheckService and fromTerminus are given. */
@Injectable()
class Indicators {
  constructor(
    private readonly inventory: InventoryHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly disk: DiskHealthIndicator,
  ) {}

  readonly byName: Readonly<Record<string, HealthIndicatorFunction>> = {
    inventoryUp: () => this.inventory.isHealthy('inventory', true),
    inventoryDown: () => this.inventory.isHealthy('inventory', false),
    heapUp: () => this.memory.checkHeap('memory_heap', 1024 ** 4),
    heapDown: () => this.memory.checkHeap('memory_heap', 1),
    rssUp: () => this.memory.checkRSS('memory_rss', 1024 ** 4),
    rssDown: () => this.memory.checkRSS('memory_rss', 1),
    diskUp: () =>
      this.disk.checkStorage('storage', {
        path: process.cwd(),
        thresholdPercent: 1,
      }),
    diskDown: () =>
      this.disk.checkStorage('storage', { path: process.cwd(), threshold: 0 }),
  };
}

/** The cases as checks of nestjs-healthcheck. */
@Injectable()
class ThroughHealthcheck {
  constructor(private readonly indicators: Indicators) {}

  @HealthCheck()
  inventoryUp() {
    return fromTerminus(this.indicators.byName.inventoryUp);
  }

  @HealthCheck()
  inventoryDown() {
    return fromTerminus(this.indicators.byName.inventoryDown);
  }

  @HealthCheck()
  heapUp() {
    return fromTerminus(this.indicators.byName.heapUp);
  }

  @HealthCheck()
  heapDown() {
    return fromTerminus(this.indicators.byName.heapDown);
  }

  @HealthCheck()
  rssUp() {
    return fromTerminus(this.indicators.byName.rssUp);
  }

  @HealthCheck()
  rssDown() {
    return fromTerminus(this.indicators.byName.rssDown);
  }

  @HealthCheck()
  diskUp() {
    return fromTerminus(this.indicators.byName.diskUp);
  }

  @HealthCheck()
  diskDown() {
    return fromTerminus(this.indicators.byName.diskDown);
  }
}

/** The same cases through terminus' own HealthCheckService, one route each, as a terminus 11 app serves them. */
@Controller('terminus')
class ThroughTerminus {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: Indicators,
  ) {}

  @Get(':name')
  check(@Param('name') name: string) {
    const indicator = this.indicators.byName[name];
    if (!indicator) throw new NotFoundException();
    return this.health.check([indicator]);
  }
}

@Module({
  imports: [
    HealthcheckModule.forRoot(),
    TerminusModule.forRoot({ logger: false }),
  ],
  providers: [InventoryHealthIndicator, Indicators, ThroughHealthcheck],
  controllers: [ThroughTerminus],
})
class TerminusApp {}

/** Each case, whether it is up, and terminus' result for it. */
const CASES: Array<[name: string, up: boolean, result: object]> = [
  ['inventoryUp', true, { inventory: { status: 'up', shards: 3 } }],
  ['inventoryDown', false, { inventory: { status: 'down', shards: 3 } }],
  ['heapUp', true, { memory_heap: { status: 'up' } }],
  [
    'heapDown',
    false,
    {
      memory_heap: {
        status: 'down',
        message: 'Used heap exceeded the set threshold',
      },
    },
  ],
  ['rssUp', true, { memory_rss: { status: 'up' } }],
  [
    'rssDown',
    false,
    {
      memory_rss: {
        status: 'down',
        message: 'Used rss exceeded the set threshold',
      },
    },
  ],
  ['diskUp', true, { storage: { status: 'up' } }],
  [
    'diskDown',
    false,
    {
      storage: {
        status: 'down',
        message: 'Used disk storage exceeded the set threshold',
      },
    },
  ],
];

describe.each(['express', 'fastify'] as const)(
  'terminus 11 indicators through fromTerminus and through HealthCheckService (%s)',
  (platform) => {
    it('both say the same up or down, with the same result', async () => {
      const adapter =
        platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
      const app = await NestFactory.create(TerminusApp, adapter, {
        logger: false,
      });
      await app.listen(0, '127.0.0.1');
      try {
        const { port } = app.getHttpServer().address() as { port: number };
        const base = `http://127.0.0.1:${port}`;
        const response = await fetch(`${base}/healthcheck`);
        const report = (await response.json()) as {
          status: string;
          results: Array<{ checker: string; passed: boolean; output: unknown }>;
        };
        expect(response.status).toBe(500);
        expect(report.status).toBe('failure');
        const byChecker = new Map(
          report.results.map(({ checker, passed, output }) => [
            checker,
            { passed, output },
          ]),
        );
        expect([...byChecker.keys()].sort()).toEqual(
          CASES.map(([name]) => name).sort(),
        );

        for (const [name, up, result] of CASES) {
          const terminus = await fetch(`${base}/terminus/${name}`);
          expect({
            name,
            status: terminus.status,
            body: await terminus.json(),
          }).toEqual({
            name,
            status: up ? 200 : 503,
            body: {
              status: up ? 'ok' : 'error',
              info: up ? result : {},
              error: up ? {} : result,
              details: result,
            },
          });
          expect({ name, ...byChecker.get(name) }).toEqual({
            name,
            passed: up,
            output: result,
          });
        }
      } finally {
        await app.close();
      }
    });
  },
);
