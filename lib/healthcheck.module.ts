import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type Provider,
  type Type,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CheckRegistry } from './checks/check.registry.js';
import { describeThrown } from './checks/describe-thrown.js';
import { HealthCheckRunner } from './checks/health-check.runner.js';
import { HealthMonitor } from './checks/health.monitor.js';
import { HealthcheckExplorer } from './discovery/healthcheck.explorer.js';
import { SingleImportGuard } from './discovery/single-import.guard.js';
import { EnvironmentDumpService } from './environment/environment-dump.service.js';
import {
  DEFAULTS,
  HEALTHCHECK_MODULE_OPTIONS,
  HEALTHCHECK_RESOLVED_OPTIONS,
  SWAGGER_DOCS_APPLIED,
} from './healthcheck.constants.js';
import {
  asyncOptionsSourceMissing,
  swaggerDocsFailed,
} from './healthcheck.messages.js';
import { GrpcHealthService } from './grpc/grpc-health.service.js';
import { HealthHistory } from './history/health-history.service.js';
import { createDashboardController } from './http/dashboard.controller.js';
import { createEnvironmentController } from './http/environment.controller.js';
import { createHealthController } from './http/health.controller.js';
import { HealthEndpoints } from './http/health-endpoints.js';
import {
  healthRoutePaths,
  MethodNotAllowedMiddleware,
} from './http/method-not-allowed.js';
import type {
  HealthcheckModuleAsyncOptions,
  HealthcheckModuleOptions,
  HealthcheckOptionsFactory,
} from './interfaces/module-options.interface.js';
import type { ResolvedHealthcheckOptions } from './interfaces/resolved-options.interface.js';
import { HealthMetrics } from './metrics/health-metrics.service.js';
import { HealthOtel } from './metrics/otel/health-otel.service.js';
import {
  resolveAsyncModuleOptions,
  resolveRouteOptions,
  type RouteOptions,
} from './options/async-options.resolver.js';
import { resolveModuleOptions } from './options/module-options.resolver.js';
import { ProbeService } from './probes/probe.service.js';
import { HealthResponseFactory } from './report/health-response.factory.js';
import { SectionRegistry } from './sections/section.registry.js';
import { ConnectionDrain } from './server/connection-drain.js';
import { HealthcheckServer } from './server/healthcheck.server.js';
import { HealthServerRoutes } from './server/health-server.routes.js';
import {
  DEFAULT_HEALTH_SERVER_TIMEOUTS,
  HEALTH_SERVER_TIMEOUTS,
} from './server/health-server.timeouts.js';
import type { HealthDocsOptions } from './swagger/swagger-docs.js';
import { applySwaggerDocs } from './swagger/swagger-loader.js';

/** What the controllers need before DI runs. */
type Routes = RouteOptions & Partial<HealthDocsOptions>;

/**
 * The route controllers on the application's HTTP server (none when the routes live on the module's own
 * server only), and their API docs being applied: a promise that never rejects, whose failure a provider
 * turns into a bootstrap error.
 */
function createControllers(routes: Routes): {
  controllers: Type<unknown>[];
  docs: Promise<unknown>;
} {
  if (routes.server && !routes.server.keepAppRoutes) {
    return { controllers: [], docs: Promise.resolve(undefined) };
  }
  const { path, guards, decorators } = routes;
  const health = createHealthController(path, guards, decorators);
  const environment = routes.environment
    ? createEnvironmentController(
        routes.environment.path,
        [...guards, ...routes.environment.guards],
        decorators,
      )
    : undefined;
  const dashboard = routes.ui
    ? createDashboardController(path, guards, decorators)
    : undefined;
  const docs = applySwaggerDocs(
    { health, environment, dashboard },
    routes.swagger,
    {
      successStatus: routes.successStatus ?? DEFAULTS.successStatus,
      failedStatus: routes.failedStatus ?? DEFAULTS.failedStatus,
      format: routes.format ?? 'json',
    },
  ).then(
    () => undefined,
    (error: unknown) => error ?? new Error(String(error)),
  );
  const controllers = [health, environment, dashboard].filter(
    (controller): controller is Type<unknown> => controller !== undefined,
  );
  return { controllers, docs };
}

/** Serves the application's `@HealthCheck()` methods as a cached report, and optionally a scrubbed environment dump. */
@Module({})
export class HealthcheckModule implements NestModule {
  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  /** Other methods than GET and HEAD on the routes on the application's server get a 405 from middleware. */
  configure(consumer: MiddlewareConsumer): void {
    const { server } = this.options;
    if (server && !server.keepAppRoutes) return;
    consumer
      .apply(MethodNotAllowedMiddleware)
      .forRoutes(...healthRoutePaths(this.options));
  }

  /** Registers the module with static options; invalid options throw at once. */
  static forRoot(options: HealthcheckModuleOptions = {}): DynamicModule {
    const resolved = resolveModuleOptions(options);
    return this.build(resolved, [
      { provide: HEALTHCHECK_RESOLVED_OPTIONS, useValue: resolved },
    ]);
  }

  /**
   * Registers the module with options from a factory. Options that decide which routes exist (`path`,
   * `environment`, `guards`, `swagger`, `server`, `ui`, `decorators`) are given at the top level, since
   * routes are fixed before the factory runs.
   */
  static forRootAsync(options: HealthcheckModuleAsyncOptions): DynamicModule {
    const routes = resolveRouteOptions(options);
    return this.build(
      routes,
      [
        ...this.createAsyncOptionsProviders(options),
        {
          provide: HEALTHCHECK_RESOLVED_OPTIONS,
          useFactory: (
            raw: HealthcheckModuleOptions,
          ): ResolvedHealthcheckOptions =>
            resolveAsyncModuleOptions(raw, routes),
          inject: [HEALTHCHECK_MODULE_OPTIONS],
        },
      ],
      options.imports ?? [],
    );
  }

  private static build(
    routes: Routes,
    optionProviders: Provider[],
    imports: NonNullable<HealthcheckModuleAsyncOptions['imports']> = [],
  ): DynamicModule {
    const { controllers, docs } = createControllers(routes);
    return {
      module: HealthcheckModule,
      global: true,
      imports: [DiscoveryModule, ...imports],
      controllers,
      providers: [
        ...optionProviders,
        {
          provide: SWAGGER_DOCS_APPLIED,
          useFactory: async () => {
            const failure = await docs;
            if (failure !== undefined) {
              throw new Error(swaggerDocsFailed(describeThrown(failure)));
            }
          },
        },
        SingleImportGuard,
        CheckRegistry,
        { provide: SectionRegistry, useFactory: () => new SectionRegistry() },
        HealthMonitor,
        HealthCheckRunner,
        EnvironmentDumpService,
        HealthResponseFactory,
        ProbeService,
        HealthHistory,
        HealthMetrics,
        HealthOtel,
        HealthEndpoints,
        ConnectionDrain,
        {
          provide: HEALTH_SERVER_TIMEOUTS,
          useValue: DEFAULT_HEALTH_SERVER_TIMEOUTS,
        },
        HealthServerRoutes,
        HealthcheckServer,
        GrpcHealthService,
        HealthcheckExplorer,
      ],
      exports: [
        HealthCheckRunner,
        EnvironmentDumpService,
        HealthcheckServer,
        HealthHistory,
        GrpcHealthService,
      ],
    };
  }

  private static createAsyncOptionsProviders(
    options: HealthcheckModuleAsyncOptions,
  ): Provider[] {
    if (options.useFactory) {
      return [
        {
          provide: HEALTHCHECK_MODULE_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
      ];
    }
    const factoryClass = options.useClass ?? options.useExisting;
    if (!factoryClass) {
      throw new Error(asyncOptionsSourceMissing);
    }
    return [
      ...(options.useClass ? [options.useClass] : []),
      {
        provide: HEALTHCHECK_MODULE_OPTIONS,
        useFactory: (factory: HealthcheckOptionsFactory) =>
          factory.createHealthcheckOptions(),
        inject: [factoryClass],
      },
    ];
  }
}
