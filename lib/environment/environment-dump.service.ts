import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  NEST_CONFIG_TOKEN,
} from '../healthcheck.constants.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import type {
  ResolvedEnvironmentOptions,
  ResolvedHealthcheckOptions,
} from '../interfaces/resolved-options.interface.js';
import { DEFAULT_ENVIRONMENT_OPTIONS } from '../options/environment-options.resolver.js';
import { createScrubber, maskValues, type Scrubber } from './scrub.js';
import { SectionRegistry } from '../sections/section.registry.js';
import { evaluateSection } from '../sections/evaluate-section.js';
import { configFromNestConfig } from './sections/config.section.js';
import { installedPackages, nodeSection } from './sections/node.section.js';
import { osSection } from './sections/os.section.js';
import { processSection } from './sections/process.section.js';

const BUILT_IN = 'built-in section';

/**
 * Builds the environment dump: built-in sections, then custom ones, every one of them scrubbed; with
 * `showValues: 'never'`, every key with every value masked.
 */
@Injectable()
export class EnvironmentDumpService {
  private readonly scrub: Scrubber;
  private readonly timeoutMs: number;
  /** Installed versions do not change while the process runs: read on the first dump only. */
  private packages?: ReturnType<typeof installedPackages>;

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS) options: ResolvedHealthcheckOptions,
    private readonly registry: SectionRegistry,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {
    const environment = options.environment ?? DEFAULT_ENVIRONMENT_OPTIONS;
    const scrub = createScrubber(environment.scrub);
    this.scrub =
      environment.showValues === 'never'
        ? (value) => maskValues(scrub(value))
        : scrub;
    this.timeoutMs = options.timing.timeout;
    this.addBuiltInSections(environment);
  }

  /** The scrubbed dump; a section that fails shows `{ "error": message }` and the others are unaffected. */
  async dump(): Promise<Record<string, unknown>> {
    const sections = [...this.registry.sections];
    const values = await Promise.all(
      sections.map(({ source }) => this.evaluate(source)),
    );
    const dump: Record<string, unknown> = {};
    sections.forEach(({ name }, index) => {
      dump[name] = values[index];
    });
    return dump;
  }

  /** Adds a section, like the Python library's `add_section`: a value, or a function producing one. */
  addSection(name: string, section: EnvSectionSource): void {
    this.registry.add(
      name,
      section,
      `EnvironmentDumpService.addSection('${String(name)}')`,
    );
  }

  private async evaluate(source: EnvSectionSource): Promise<unknown> {
    return this.scrub(await evaluateSection(source, this.timeoutMs));
  }

  private addBuiltInSections(environment: ResolvedEnvironmentOptions): void {
    if (environment.includeOs) this.registry.add('os', osSection, BUILT_IN);
    if (environment.includeNode) {
      this.registry.add(
        'node',
        () => nodeSection((this.packages ??= installedPackages())),
        BUILT_IN,
      );
    }
    if (environment.includeProcess)
      this.registry.add('process', processSection, BUILT_IN);
    if (environment.includeConfig) {
      this.registry.add(
        'config',
        environment.config ?? (() => this.nestConfig()),
        BUILT_IN,
      );
    }
  }

  private nestConfig(): Record<string, unknown> {
    let loaded: unknown;
    try {
      loaded = this.moduleRef?.get(NEST_CONFIG_TOKEN, { strict: false });
    } catch {
      return {};
    }
    return configFromNestConfig(loaded);
  }
}
