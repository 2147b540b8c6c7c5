import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module.js';
import { moduleImportedTwice } from '../healthcheck.messages.js';

const MODULE_NAME = 'HealthcheckModule';

/** Whether `module` lists a HealthcheckModule among its declared imports (not the one it sees as global). */
function declaresImport(module: Module): boolean {
  const imports: unknown[] = module.metatype
    ? ((Reflect.getMetadata('imports', module.metatype) as unknown[]) ?? [])
    : [];
  return imports.some((entry) => {
    const imported = entry as
      { name?: string; module?: { name?: string } } | undefined;
    return (
      imported?.name === MODULE_NAME || imported?.module?.name === MODULE_NAME
    );
  });
}

/**
 * Refuses a second `HealthcheckModule.forRoot()` in one application: two would serve two controllers on one
 * path and run every check twice. The same `forRoot()` result imported in two places is one module, and fine.
 * It checks while providers are created, before any route is registered.
 */
@Injectable()
export class SingleImportGuard {
  constructor(modules: ModulesContainer) {
    const all = [...modules.values()];
    const copies = all.filter(
      (module) => module.metatype?.name === MODULE_NAME,
    );
    if (copies.length < 2) return;
    const importers = all
      .filter(declaresImport)
      .map((module) => module.metatype.name);
    throw new Error(
      moduleImportedTwice(
        importers[0] ?? 'an unknown module',
        importers[1] ?? 'an unknown module',
      ),
    );
  }
}
