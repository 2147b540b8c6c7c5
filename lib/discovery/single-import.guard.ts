import { Injectable, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module.js';
import { moduleImportedTwice } from '../healthcheck.messages.js';

/** Whether `module` lists `healthcheck` (the module class itself) among its declared imports. */
function declaresImport(module: Module, healthcheck: Type<unknown>): boolean {
  const imports: unknown[] = module.metatype
    ? ((Reflect.getMetadata('imports', module.metatype) as unknown[]) ?? [])
    : [];
  return imports.some((entry) => {
    const imported = entry as { module?: unknown } | undefined;
    return entry === healthcheck || imported?.module === healthcheck;
  });
}

/**
 * Refuses a second `HealthcheckModule.forRoot()` in one application: two would serve two controllers on one
 * path and run every check twice. The same `forRoot()` result imported in two places is one module, and fine.
 * A copy is known by identity (it provides this guard), never by its class name, so an application module
 * that happens to be called `HealthcheckModule` is no copy. It checks while providers are created, before any
 * route is registered.
 */
@Injectable()
export class SingleImportGuard {
  constructor(modules: ModulesContainer) {
    const all = [...modules.values()];
    const copies = all.filter((module) =>
      module.hasProvider(SingleImportGuard),
    );
    if (copies.length < 2) return;
    const healthcheck = copies[0].metatype;
    const importers = all
      .filter((module) => declaresImport(module, healthcheck))
      .map((module) => module.metatype.name);
    throw new Error(
      moduleImportedTwice(
        importers[0] ?? 'an unknown module',
        importers[1] ?? 'an unknown module',
      ),
    );
  }
}
