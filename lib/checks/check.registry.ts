import { Inject, Injectable } from '@nestjs/common';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import { duplicateCheck, notAFunction } from '../healthcheck.messages.js';
import type {
  HealthCheckFunction,
  HealthCheckOptions,
} from '../interfaces/check.interface.js';
import type {
  CheckTiming,
  ResolvedHealthcheckOptions,
} from '../interfaces/resolved-options.interface.js';
import { resolveCheckOptions } from '../options/healthcheck-options.resolver.js';
import { describeValue } from '../serialization/describe-value.js';

/** A check ready to run: its name, its function, its timing and where it was declared (for messages). */
export interface RegisteredCheck {
  readonly name: string;
  readonly run: HealthCheckFunction;
  readonly timing: CheckTiming;
  readonly source: string;
}

/** The application's checks, in registration order. */
@Injectable()
export class CheckRegistry {
  private readonly byName = new Map<string, RegisteredCheck>();
  private list: readonly RegisteredCheck[] = [];

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  /** Every check; a new array whenever a check is added, so callers can detect changes by identity. */
  get checks(): readonly RegisteredCheck[] {
    return this.list;
  }

  /**
   * Validates and adds a check; `source` names it in errors (e.g. `RedisHealth.ping`). Throws on invalid
   * options or a name that is taken.
   */
  register(
    run: HealthCheckFunction,
    options: HealthCheckOptions | undefined,
    defaultName: string,
    source: string,
  ): void {
    if (typeof run !== 'function') {
      throw new Error(notAFunction(source, describeValue(run)));
    }
    const { name, timing } = resolveCheckOptions(
      options,
      defaultName,
      this.options.timing,
      source,
    );
    const existing = this.byName.get(name);
    if (existing) {
      throw new Error(duplicateCheck(name, existing.source, source));
    }
    const check: RegisteredCheck = { name, run, timing, source };
    this.byName.set(name, check);
    this.list = [...this.list, check];
  }
}
