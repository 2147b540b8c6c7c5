import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { moduleImportedTwice } from '../healthcheck.messages.js';

/**
 * Refuses a second `HealthcheckModule.forRoot()` in one application: two would serve two controllers on one
 * path and run every check twice. The same `forRoot()` result imported in two places is one module, and fine.
 */
@Injectable()
export class SingleImportGuard implements OnModuleInit {
  constructor(private readonly modules: ModulesContainer) {}

  onModuleInit(): void {
    const instances = [...this.modules.values()].filter(
      (module) => module.metatype?.name === 'HealthcheckModule',
    );
    if (instances.length < 2) return;
    const importers = instances.map((instance) => {
      const importer = [...this.modules.values()].find((module) =>
        module.imports.has(instance),
      );
      return importer?.metatype?.name ?? 'an unknown module';
    });
    throw new Error(moduleImportedTwice(importers[0], importers[1]));
  }
}
