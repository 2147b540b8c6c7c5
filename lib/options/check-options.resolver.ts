import {
  checkOwner,
  invalidCheckOption,
  maxStalenessWithoutInterval,
  ttlOnBackgroundCheck,
} from '../healthcheck.messages.js';
import type { HealthCheckOptions } from '../interfaces/check.interface.js';
import type { CheckTiming } from '../interfaces/resolved-options.interface.js';
import { type OptionSpec, readOptions } from './option-spec.js';
import {
  EXPECTED,
  type OptionErrorReporter,
  readBoolean,
  readInteger,
  readNonEmptyString,
  readTags,
  readTimeout,
  readTtl,
  withDefault,
} from './option-validators.js';

/** What a check falls back to when it leaves an option out: the module's settings. */
export interface CheckDefaults {
  name: string;
  timing: CheckTiming;
  maxOutputBytes: number;
}

/** A check's options after validation, with the module's defaults filled in. */
export interface ResolvedCheckOptions {
  name: string;
  timing: CheckTiming;
  tags: string[];
  critical: boolean;
  /** Set for a background check, with the age after which its result counts as failed. */
  background?: { interval: number; maxStaleness: number };
  failureThreshold: number;
  successThreshold: number;
  runbook?: string;
  maxOutputBytes: number;
}

type CheckSpec<T> = OptionSpec<T, CheckDefaults>;

const fromDefaults =
  <T>(
    read: (
      value: unknown,
      fallback: T,
      option: string,
      report: OptionErrorReporter,
    ) => T,
    pick: (defaults: CheckDefaults) => T,
  ): CheckSpec<T> =>
  (value, option, report, defaults) =>
    read(value, pick(defaults), option, report);

const readName = readNonEmptyString(EXPECTED.name);
const readThreshold = readInteger(1, 1000, EXPECTED.threshold);
const readOutputBytes = readInteger(64, 16 * 1024 * 1024, EXPECTED.outputBytes);
const readOptionalTimeout: CheckSpec<number | undefined> = (
  value,
  option,
  report,
) => (value === undefined ? undefined : readTimeout(value, 0, option, report));

/** One spec per option of a check, tied to HealthCheckOptions: a new option must be added here. */
const CHECK_OPTIONS = {
  name: fromDefaults(readName, (defaults) => defaults.name),
  timeout: fromDefaults(readTimeout, (defaults) => defaults.timing.timeout),
  successTtl: fromDefaults(readTtl, (defaults) => defaults.timing.successTtl),
  failedTtl: fromDefaults(readTtl, (defaults) => defaults.timing.failedTtl),
  tags: withDefault(readTags, []),
  critical: withDefault(readBoolean, true),
  interval: readOptionalTimeout,
  maxStaleness: readOptionalTimeout,
  failureThreshold: withDefault(readThreshold, 1),
  successThreshold: withDefault(readThreshold, 1),
  runbook: (value, option, report) =>
    value === undefined
      ? undefined
      : readNonEmptyString(EXPECTED.runbook)(value, '', option, report),
  maxOutputBytes: fromDefaults(
    readOutputBytes,
    (defaults) => defaults.maxOutputBytes,
  ),
} satisfies {
  [K in keyof Required<HealthCheckOptions>]: CheckSpec<unknown>;
};

/** Every option a check takes, in the order of HealthCheckOptions. */
export const CHECK_OPTION_KEYS = Object.keys(CHECK_OPTIONS) as Array<
  keyof HealthCheckOptions
>;

/**
 * Validates the options of one check (`where` names it in errors, e.g. `RedisHealth.ping`) and fills in the
 * module's defaults.
 */
export function resolveCheckOptions(
  options: HealthCheckOptions | undefined,
  defaults: CheckDefaults,
  where: string,
): ResolvedCheckOptions {
  const report: OptionErrorReporter = (option, expected, got) => {
    throw new Error(invalidCheckOption(where, option, expected, got));
  };
  const read = readOptions(options, CHECK_OPTIONS, {
    owner: checkOwner(where),
    prefix: '',
    report,
    context: defaults,
    expected: 'an object of options or a name',
  });
  const { timeout, successTtl, failedTtl, interval, maxStaleness, ...rest } =
    read;
  if (interval === undefined && maxStaleness !== undefined) {
    report('maxStaleness', maxStalenessWithoutInterval, 'no interval');
  }
  if (interval !== undefined) {
    for (const ttl of ['successTtl', 'failedTtl'] as const) {
      if (options?.[ttl] !== undefined) {
        throw new Error(ttlOnBackgroundCheck(where, ttl, interval));
      }
    }
  }
  return {
    ...rest,
    timing: { timeout, successTtl, failedTtl },
    ...(interval !== undefined && {
      background: { interval, maxStaleness: maxStaleness ?? interval * 3 },
    }),
  };
}
