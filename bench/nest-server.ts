/**
 * A Nest benchmark server (see bench-server.ts), loaded only for the scenarios that need Nest, so the floor
 * server's process holds nothing else.
 */
import 'reflect-metadata';
import {
  Controller,
  Get,
  type DynamicModule,
  Injectable,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  HealthCheck as TerminusHealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import {
  HealthCheckRunner,
  HealthcheckModule,
  HealthcheckServer,
} from 'nestjs-healthcheck';
import { CHECK_NAMES, invocations, probeDependency } from './bench-checks.js';

const [scenario, platform] = process.argv.slice(2);
const staticBody = process.env.BENCH_BODY ?? '{}';

@Controller('static')
class StaticController {
  private readonly body = JSON.parse(staticBody) as object;

  @Get()
  get(): object {
    return this.body;
  }
}

@Controller('bench')
class InvocationsController {
  @Get('invocations')
  get(): Record<string, number> {
    return invocations;
  }

  /** Memory after a full collection (the process runs with --expose-gc), so growth is not GC timing. */
  @Get('memory')
  memory(): NodeJS.MemoryUsage {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage();
  }
}

/** The scenarios measured on the readiness route, whose checks are all readiness checks. */
const READINESS_SCENARIOS = ['health-server-readiness', 'health-server-thread'];

/** Registers the five checks by hand, so that one class serves the fast and the slow scenarios. */
@Injectable()
class ModuleChecks {
  constructor(runner: HealthCheckRunner) {
    const slow = scenario.endsWith('-slow') || scenario === 'module-cold';
    const options = READINESS_SCENARIOS.includes(scenario)
      ? { tags: ['readiness'] }
      : {};
    for (const name of CHECK_NAMES) {
      runner.addCheck(
        name,
        async () => {
          await probeDependency(name, slow);
          return [true, `${name} ok`];
        },
        options,
      );
    }
  }
}

function terminusController(cached: boolean, slow: boolean): Type<unknown> {
  @Controller('health')
  class TerminusController {
    constructor(
      private readonly health: HealthCheckService,
      private readonly indicators: HealthIndicatorService,
    ) {}

    @Get()
    @TerminusHealthCheck()
    check() {
      return this.health.check(
        CHECK_NAMES.map((name) => () => {
          const attempt = this.indicators
            .check(name)
            .attempt(() => probeDependency(name, slow));
          return cached ? attempt.cacheFor(27_000) : attempt;
        }),
      );
    }
  }
  return TerminusController;
}

/** Details only for requests that carry `x-internal: yes` (the platform's request has `headers` on both). */
const internalOnly = (request: unknown) =>
  (request as { headers: Record<string, unknown> }).headers['x-internal'] ===
  'yes';

function moduleFor(name: string): DynamicModule {
  const base = { module: class BenchModule {} } as DynamicModule;
  switch (name) {
    case 'nest-static':
      return { ...base, controllers: [StaticController] };
    case 'module-show-details-fn':
      return {
        ...base,
        imports: [HealthcheckModule.forRoot({ showDetails: internalOnly })],
        controllers: [StaticController, InvocationsController],
        providers: [ModuleChecks],
      };
    case 'health-server':
    case 'health-server-readiness':
    case 'health-server-thread':
      return {
        ...base,
        imports: [
          HealthcheckModule.forRoot({
            server: {
              port: 0,
              host: '127.0.0.1',
              thread: name === 'health-server-thread',
            },
          }),
        ],
        providers: [ModuleChecks],
      };
    case 'nest-static-with-every-route':
      return {
        ...base,
        imports: [HealthcheckModule.forRoot({ environment: true, ui: true })],
        controllers: [StaticController, InvocationsController],
        providers: [ModuleChecks],
      };
    case 'nest-static-with-module':
    case 'module':
    case 'module-slow':
    case 'module-cold':
      return {
        ...base,
        imports: [HealthcheckModule.forRoot()],
        controllers: [StaticController, InvocationsController],
        providers: [ModuleChecks],
      };
    case 'terminus':
    case 'terminus-cached':
    case 'terminus-slow':
    case 'terminus-cached-slow':
      return {
        ...base,
        imports: [TerminusModule.forRoot({ logger: false })],
        controllers: [
          terminusController(name.includes('cached'), name.endsWith('-slow')),
        ],
      };
    default:
      throw new Error(`unknown scenario ${name}`);
  }
}

/**
 * Boots the scenario's app on the platform and returns its port. The health server scenarios (on the main
 * thread, or on a worker thread) are application contexts without an HTTP adapter, so they are the same on
 * every platform.
 */
export async function listen(): Promise<number> {
  if (scenario.startsWith('health-server')) {
    const context = await NestFactory.createApplicationContext(
      moduleFor(scenario),
      { logger: false },
    );
    return context.get(HealthcheckServer).address()!.port;
  }
  const adapter =
    platform === 'fastify'
      ? new (await import('@nestjs/platform-fastify')).FastifyAdapter()
      : new (await import('@nestjs/platform-express')).ExpressAdapter();
  const app = await NestFactory.create(moduleFor(scenario), adapter, {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return Number(new URL(url.replace('[::1]', 'localhost')).port);
}
