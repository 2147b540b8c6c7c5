import { Inject, Injectable } from '@nestjs/common';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import { duplicateCheck, notAFunction } from '../healthcheck.messages.js';
import type {
  HealthCheckFunction,
  HealthCheckOptions,
  HealthCheckSelection,
} from '../interfaces/check.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import {
  resolveCheckOptions,
  type ResolvedCheckOptions,
} from '../options/check-options.resolver.js';
import { PROBE_TAGS } from '../healthcheck.constants.js';
import { UnknownSelectionError } from './unknown-selection.error.js';
import { describeValue } from '../serialization/describe-value.js';

/** A check ready to run: its function, its validated options and where it was declared (for messages). */
export interface RegisteredCheck extends Readonly<ResolvedCheckOptions> {
  readonly run: HealthCheckFunction;
  readonly source: string;
}

/** The application's checks, in registration order. */
@Injectable()
export class CheckRegistry {
  private readonly byName = new Map<string, RegisteredCheck>();
  private list: readonly RegisteredCheck[] = Object.freeze([]);
  private readonly groups = new Map<string, readonly RegisteredCheck[]>();
  private readonly listeners: Array<(check: RegisteredCheck) => void> = [];

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
    const resolved = resolveCheckOptions(
      options,
      {
        name: defaultName,
        timing: this.options.timing,
        maxOutputBytes: this.options.maxOutputBytes,
      },
      source,
    );
    const existing = this.byName.get(resolved.name);
    if (existing) {
      throw new Error(duplicateCheck(resolved.name, existing.source, source));
    }
    const check: RegisteredCheck = Object.freeze({ ...resolved, run, source });
    this.byName.set(check.name, check);
    this.list = Object.freeze([...this.list, check]);
    this.groups.clear();
    for (const listener of this.listeners) listener(check);
  }

  /** The checks of a selection; throws UnknownSelectionError for a check or tag that does not exist. */
  select(selection: HealthCheckSelection = {}): readonly RegisteredCheck[] {
    const { tag, check, exclude } = selection;
    if (check !== undefined && !this.byName.has(check)) {
      throw new UnknownSelectionError('check', check);
    }
    if (tag !== undefined && !PROBE_TAGS.includes(tag) && !this.hasTag(tag)) {
      throw new UnknownSelectionError('tag', tag);
    }
    const unknownExcluded = exclude?.find((name) => !this.byName.has(name));
    if (unknownExcluded !== undefined) {
      throw new UnknownSelectionError('check', unknownExcluded);
    }
    if (check === undefined && !exclude?.length) return this.group(tag);
    return this.group(tag).filter(
      (candidate) =>
        (check === undefined || candidate.name === check) &&
        !exclude?.includes(candidate.name),
    );
  }

  /** Calls `listener` for every check added from now on. */
  onAdd(listener: (check: RegisteredCheck) => void): void {
    this.listeners.push(listener);
  }

  private hasTag(tag: string): boolean {
    return this.list.some((check) => check.tags.includes(tag));
  }

  /** The checks with `tag` (all checks without one), kept so that a group's array is stable between additions. */
  private group(tag: string | undefined): readonly RegisteredCheck[] {
    if (tag === undefined) return this.list;
    let group = this.groups.get(tag);
    if (!group) {
      group = Object.freeze(
        this.list.filter((check) => check.tags.includes(tag)),
      );
      this.groups.set(tag, group);
    }
    return group;
  }
}
