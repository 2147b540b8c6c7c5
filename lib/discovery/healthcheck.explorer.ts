import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import {
  DiscoveryService,
  MetadataScanner,
  ModuleRef,
  Reflector,
} from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { CheckRegistry } from '../checks/check.registry.js';
import {
  ENV_SECTION_METADATA,
  HEALTH_CHECK_METADATA,
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import {
  nonStaticProvider,
  readyCheckCloseFailed,
} from '../healthcheck.messages.js';
import { describeThrown } from '../checks/describe-thrown.js';
import type {
  HealthCheckContext,
  HealthCheckFunction,
  HealthCheckOptions,
} from '../interfaces/check.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { createDependencyResolver } from '../ready-checks/dependency.resolver.js';
import { SectionRegistry } from '../sections/section.registry.js';

type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Registers the ready-made checks of the `checks` option, then finds `@HealthCheck()` and `@EnvSection()`
 * methods on every provider and controller, once, at bootstrap.
 */
@Injectable()
export class HealthcheckExplorer
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger(LOGGER_CONTEXT);
  /** Ready-made checks that hold something of their own to release (e.g. a Kafka admin client they made). */
  private readonly closable: Array<{ source: string; close: () => unknown }> =
    [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly checks: CheckRegistry,
    private readonly sections: SectionRegistry,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  onModuleInit(): void {
    for (const definition of this.options.checks) {
      const run = definition.build(
        createDependencyResolver(this.moduleRef, definition.source),
      );
      const { close } = run as { close?: () => unknown };
      if (typeof close === 'function') {
        this.closable.push({ source: definition.source, close });
      }
      this.checks.register(
        run,
        { ...definition.options, name: definition.name },
        definition.name,
        definition.source,
      );
    }
    const wrappers = [
      ...this.discovery.getProviders(),
      ...this.discovery.getControllers(),
    ];
    for (const wrapper of wrappers) this.explore(wrapper);
  }

  /** Releases what ready-made checks made for themselves; the user's own clients are left alone. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.closable.map(async ({ source, close }) => {
        try {
          await close();
        } catch (error) {
          this.logger.warn(
            readyCheckCloseFailed(source, describeThrown(error)),
          );
        }
      }),
    );
  }

  private explore(wrapper: InstanceWrapper): void {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object' || wrapper.isAlias) return;
    const prototype = Object.getPrototypeOf(instance) as Record<
      string,
      unknown
    > | null;
    if (!prototype) return;
    const className = instance.constructor?.name ?? String(wrapper.name);
    const hasSingleInstance =
      !wrapper.isTransient && wrapper.isDependencyTreeStatic();
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      // Metadata is read from the prototype, as the decorators wrote it: an instance may rebind or shadow it.
      const method = prototype[methodName];
      if (typeof method !== 'function') continue;
      const checkOptions = this.reflector.get<HealthCheckOptions | undefined>(
        HEALTH_CHECK_METADATA,
        method,
      );
      const sectionName = this.reflector.get<string | undefined>(
        ENV_SECTION_METADATA,
        method,
      );
      if (checkOptions === undefined && sectionName === undefined) continue;
      if (!hasSingleInstance) {
        const decorator =
          checkOptions !== undefined ? 'HealthCheck' : 'EnvSection';
        this.logger.warn(nonStaticProvider(className, methodName, decorator));
        continue;
      }
      const call = lateBound(instance, methodName, method as AnyMethod);
      const where = `${className}.${methodName}`;
      if (checkOptions !== undefined) {
        this.checks.register(
          ((context: HealthCheckContext) =>
            call(context)) as HealthCheckFunction,
          checkOptions,
          methodName,
          where,
        );
      }
      if (sectionName !== undefined) {
        this.sections.add(sectionName, () => call(), where);
      }
    }
  }
}

/**
 * Calls the instance's own `methodName` at call time, so a method bound in the constructor or a spy applied
 * after bootstrap takes effect; when the instance shadows it with something that is not a function, the
 * decorated method itself runs.
 */
function lateBound(
  instance: Record<string, unknown>,
  methodName: string,
  decorated: AnyMethod,
): (...args: unknown[]) => unknown {
  return (...args) => {
    const current = instance[methodName];
    const method = typeof current === 'function' ? current : decorated;
    return (method as AnyMethod).apply(instance, args);
  };
}
