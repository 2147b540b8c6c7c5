import { DEFAULTS } from '../healthcheck.constants.js';
import { MODULE_OWNER } from '../healthcheck.messages.js';
import type { EnvironmentOptions } from '../interfaces/environment.interface.js';
import type { ResolvedEnvironmentOptions } from '../interfaces/resolved-options.interface.js';
import { describeValue } from '../serialization/describe-value.js';
import { type OptionSpec, switchedOptions } from './option-spec.js';
import {
  readBoolean,
  readGuards,
  readPath,
  reader,
  reportModuleOption,
  withDefault,
} from './option-validators.js';

const readConfigSource: OptionSpec<(() => unknown) | undefined, unknown> = (
  value,
  option,
  report,
) => {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as () => unknown;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return () => value;
  }
  return report(
    option,
    'an object or a function returning one',
    describeValue(value),
  );
};

const readScrubPatterns = reader<Array<string | RegExp>>(
  'an array of non-empty strings and regular expressions',
  (value) =>
    Array.isArray(value) &&
    value.every(
      (pattern) =>
        (typeof pattern === 'string' && pattern.length > 0) ||
        pattern instanceof RegExp,
    ),
  (value) => [...(value as Array<string | RegExp>)],
);

const readShowValues = reader<'always' | 'never'>(
  "'always' or 'never'",
  (value) => value === 'always' || value === 'never',
);

/** One spec per option of `environment`, tied to EnvironmentOptions: a new option must be added here. */
const ENVIRONMENT_OPTIONS = {
  path: withDefault(readPath, DEFAULTS.environmentPath),
  includeOs: withDefault(readBoolean, true),
  includeNode: withDefault(readBoolean, true),
  includeProcess: withDefault(readBoolean, true),
  includeConfig: withDefault(readBoolean, true),
  config: readConfigSource,
  scrub: withDefault(readScrubPatterns, []),
  showValues: withDefault(readShowValues, 'always'),
  guards: withDefault(readGuards, []),
} satisfies {
  [K in keyof Required<EnvironmentOptions>]: OptionSpec<unknown, unknown>;
};

/** The spec of the `environment` option: `null` when the environment route is off. */
export const readEnvironment = switchedOptions(
  MODULE_OWNER,
  'environment.',
  ENVIRONMENT_OPTIONS,
  'true, false or an object of environment options',
);

/** The environment options of `true`: every default, as the dump uses when the route is off. */
export const DEFAULT_ENVIRONMENT_OPTIONS: ResolvedEnvironmentOptions =
  readEnvironment(true, 'environment', reportModuleOption, undefined)!;
