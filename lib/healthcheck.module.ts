import {
  type DynamicModule,
  Module,
  type Provider,
  type Type,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CheckRegistry } from './checks/check.registry.js';
import { HealthCheckRunner } from './checks/health-check.runner.js';
import { HealthcheckExplorer } from './discovery/healthcheck.explorer.js';
import { EnvironmentDumpService } from './environment/environment-dump.service.js';
import { SectionRegistry } from './sections/section.registry.js';
import {
  DEFAULTS,
  HEALTHCHECK_MODULE_OPTIONS,
  HEALTHCHECK_RESOLVED_OPTIONS,
  SWAGGER_DOCS_APPLIED,
} from './healthcheck.constants.js';
import { applySwaggerDocs } from './swagger/swagger-loader.js';
import type { HealthDocsOptions } from './swagger/swagger-docs.js';
import { createEnvironmentController } from './http/environment.controller.js';
import { createHealthController } from './http/health.controller.js';
import type {
  HealthcheckModuleAsyncOptions,
  HealthcheckModuleOptions,
  HealthcheckOptionsFactory,
} from './interfaces/module-options.interface.js';
import type { ResolvedHealthcheckOptions } from './interfaces/resolved-options.interface.js';
import { resolveAsyncModuleOptions } from './options/async-options.resolver.js';
import { resolveModuleOptions } from './options/healthcheck-options.resolver.js';
import { ProbeService } from './probes/probe.service.js';
import { HealthResponseFactory } from './report/health-response.factory.js';

/** What the controllers need before DI runs. */
type Routes = Pick<
  ResolvedHealthcheckOptions,
  'path' | 'guards' | 'environment' | 'swagger'
> &
  Partial<HealthDocsOptions>;

/** The route controllers, and their API docs being applied (awaited by a provider, see applySwaggerDocs). */
function createControllers(routes: Routes): {
  controllers: Type<unknown>[];
  docs: Promise<void>;
} {
  const health = createHealthController(routes.path, routes.guards);
  const environment = routes.environment
    ? createEnvironmentController(
        routes.environment.path,
        routes.environment.guards,
      )
    : undefined;
  const docs = applySwaggerDocs({ health, environment }, routes.swagger, {
    successStatus: routes.successStatus ?? DEFAULTS.successStatus,
    failedStatus: routes.failedStatus ?? DEFAULTS.failedStatus,
    format: routes.format ?? 'seed',
  });
  return {
    controllers: environment ? [health, environment] : [health],
    docs,
  };
}

/** Serves the application's `@HealthCheck()` methods as a cached report, and optionally a scrubbed environment dump. */
@Module({})
export class HealthcheckModule {
  /** Registers the module with static options; invalid options throw at once. */
  static forRoot(options: HealthcheckModuleOptions = {}): DynamicModule {
    const resolved = resolveModuleOptions(options);
    return this.build(resolved, [
      { provide: HEALTHCHECK_RESOLVED_OPTIONS, useValue: resolved },
    ]);
  }

  /**
   * Registers the module with options from a factory. Options that decide which routes exist (`path`,
   * `environment`) are given at the top level, since routes are fixed before the factory runs.
   */
  static forRootAsync(options: HealthcheckModuleAsyncOptions): DynamicModule {
    const routes = resolveModuleOptions({
      path: options.path,
      environment: options.environment,
      guards: options.guards,
      swagger: options.swagger,
    });
    // Statuses and format come from the factory, so the API docs show the defaults.
    const { path, guards, environment, swagger } = routes;
    return this.build(
      { path, guards, environment, swagger },
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
        { provide: SWAGGER_DOCS_APPLIED, useFactory: () => docs },
        CheckRegistry,
        { provide: SectionRegistry, useFactory: () => new SectionRegistry() },
        HealthCheckRunner,
        EnvironmentDumpService,
        HealthResponseFactory,
        ProbeService,
        HealthcheckExplorer,
      ],
      exports: [HealthCheckRunner, EnvironmentDumpService],
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
      throw new Error(
        'HealthcheckModule.forRootAsync() needs one of useFactory, useClass or useExisting.',
      );
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
