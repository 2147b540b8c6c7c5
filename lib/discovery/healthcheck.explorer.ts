import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import {
  ENV_SECTION_METADATA,
  HEALTH_CHECK_METADATA,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import { nonStaticProvider } from '../healthcheck.messages.js';
import type {
  HealthCheckFunction,
  HealthCheckOptions,
} from '../interfaces/check.interface.js';
import { CheckRegistry } from '../checks/check.registry.js';
import { SectionRegistry } from '../sections/section.registry.js';

type AnyMethod = (...args: unknown[]) => unknown;

/** Finds `@HealthCheck()` and `@EnvSection()` methods on every provider and controller once, at bootstrap. */
@Injectable()
export class HealthcheckExplorer implements OnModuleInit {
  private readonly logger = new Logger(LOGGER_CONTEXT);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly checks: CheckRegistry,
    private readonly sections: SectionRegistry,
  ) {}

  onModuleInit(): void {
    const wrappers = [
      ...this.discovery.getProviders(),
      ...this.discovery.getControllers(),
    ];
    for (const wrapper of wrappers) this.explore(wrapper);
  }

  private explore(wrapper: InstanceWrapper): void {
    const instance = wrapper.instance as Record<string, AnyMethod> | undefined;
    if (!instance || wrapper.isAlias) return;
    const prototype = Object.getPrototypeOf(instance) as object | null;
    if (!prototype) return;
    const className = instance.constructor?.name ?? String(wrapper.name);
    const hasSingleInstance =
      !wrapper.isTransient && wrapper.isDependencyTreeStatic();
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = instance[methodName];
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
      const where = `${className}.${methodName}`;
      if (checkOptions !== undefined) {
        // Looked up at call time, so that a spy or patch applied after bootstrap takes effect.
        const check = ((context) =>
          instance[methodName](context)) as HealthCheckFunction;
        this.checks.register(check, checkOptions, methodName, where);
      }
      if (sectionName !== undefined) {
        this.sections.add(sectionName, () => instance[methodName](), where);
      }
    }
  }
}
