import { DEFAULTS } from '../healthcheck.constants.js';
import {
  invalidCheckOption,
  invalidOption,
  unknownOption,
} from '../healthcheck.messages.js';
import type { HealthCheckOptions } from '../interfaces/check.interface.js';
import type { EnvironmentOptions } from '../interfaces/environment.interface.js';
import type {
  HealthReportHandler,
  HealthStatusListener,
  ReportFormat,
} from '../interfaces/module-options.interface.js';
import type {
  CheckTiming,
  ResolvedEnvironmentOptions,
  ResolvedHealthcheckOptions,
} from '../interfaces/resolved-options.interface.js';
import { describeValue } from '../serialization/describe-value.js';
import {
  EXPECTED,
  type OptionErrorReporter,
  readBoolean,
  readDelay,
  readGuards,
  readHeaders,
  readOptionalFunction,
  readPath,
  readStatus,
  readTags,
  readTimeout,
  readTtl,
} from './option-validators.js';

/** Every option `forRoot()` knows; any other key is refused as a likely typo. */
export const MODULE_OPTION_KEYS = [
  'path',
  'successTtl',
  'failedTtl',
  'timeout',
  'successStatus',
  'failedStatus',
  'successHeaders',
  'failedHeaders',
  'successHandler',
  'failedHandler',
  'environment',
  'format',
  'showDetails',
  'shutdownDelay',
  'onStatusChange',
  'guards',
  'swagger',
  'metrics',
  'history',
  'ui',
];

const ENVIRONMENT_OPTION_KEYS = [
  'path',
  'includeOs',
  'includeNode',
  'includeProcess',
  'includeConfig',
  'config',
  'scrub',
  'showValues',
  'guards',
];

const CHECK_OPTION_KEYS = [
  'name',
  'timeout',
  'successTtl',
  'failedTtl',
  'tags',
  'critical',
  'interval',
  'maxStaleness',
];

const FORMATS: readonly ReportFormat[] = ['seed', 'ietf'];

const reportModuleOption: OptionErrorReporter = (option, expected, got) => {
  throw new Error(invalidOption(option, expected, got));
};

/** Validates the options of `forRoot()`/`forRootAsync()` and fills in every default; throws on the first bad one. */
export function resolveModuleOptions(
  options: unknown,
): ResolvedHealthcheckOptions {
  const raw = readObject(options, 'options', MODULE_OPTION_KEYS, '');
  const report = reportModuleOption;
  return {
    path: readPath(raw.path, DEFAULTS.path, 'path', report),
    timing: {
      timeout: readTimeout(raw.timeout, DEFAULTS.timeout, 'timeout', report),
      successTtl: readTtl(
        raw.successTtl,
        DEFAULTS.successTtl,
        'successTtl',
        report,
      ),
      failedTtl: readTtl(
        raw.failedTtl,
        DEFAULTS.failedTtl,
        'failedTtl',
        report,
      ),
    },
    successStatus: readStatus(
      raw.successStatus,
      DEFAULTS.successStatus,
      'successStatus',
      report,
    ),
    failedStatus: readStatus(
      raw.failedStatus,
      DEFAULTS.failedStatus,
      'failedStatus',
      report,
    ),
    successHeaders: readHeaders(
      raw.successHeaders,
      {},
      'successHeaders',
      report,
    ),
    failedHeaders: readHeaders(raw.failedHeaders, {}, 'failedHeaders', report),
    successHandler: readOptionalFunction<HealthReportHandler>(
      raw.successHandler,
      'successHandler',
      EXPECTED.handler,
      report,
    ),
    failedHandler: readOptionalFunction<HealthReportHandler>(
      raw.failedHandler,
      'failedHandler',
      EXPECTED.handler,
      report,
    ),
    environment: resolveEnvironmentOptions(raw.environment),
    format: readFormat(raw.format),
    showDetails: readBoolean(raw.showDetails, true, 'showDetails', report),
    shutdownDelay: readDelay(raw.shutdownDelay, 0, 'shutdownDelay', report),
    onStatusChange: readOptionalFunction<HealthStatusListener>(
      raw.onStatusChange,
      'onStatusChange',
      EXPECTED.listener,
      report,
    ),
    guards: readGuards(raw.guards, [], 'guards', report),
    swagger: readBoolean(raw.swagger, true, 'swagger', report),
    metrics:
      raw.metrics === undefined || raw.metrics === false
        ? null
        : {
            prefix: 'healthcheck_',
            ...(raw.metrics === true ? {} : (raw.metrics as object)),
          },
    history: { size: 100, ...(raw.history as object | undefined) },
    ui:
      raw.ui === undefined || raw.ui === false
        ? null
        : {
            title: 'Health',
            ...(raw.ui === true ? {} : (raw.ui as object)),
          },
  };
}

function readFormat(value: unknown): ReportFormat {
  if (value === undefined) return 'seed';
  return FORMATS.includes(value as ReportFormat)
    ? (value as ReportFormat)
    : reportModuleOption('format', EXPECTED.format, describeValue(value));
}

/** Validates the `environment` option; `null` when the environment route is off. */
export function resolveEnvironmentOptions(
  value: true,
): ResolvedEnvironmentOptions;
export function resolveEnvironmentOptions(
  value: unknown,
): ResolvedEnvironmentOptions | null;
export function resolveEnvironmentOptions(
  value: unknown,
): ResolvedEnvironmentOptions | null {
  if (value === undefined || value === false) return null;
  const raw: EnvironmentOptions =
    value === true
      ? {}
      : readObject(
          value,
          'environment',
          ENVIRONMENT_OPTION_KEYS,
          'environment.',
          'true, false or an object of environment options',
        );
  const report = reportModuleOption;
  return {
    path: readPath(
      raw.path,
      DEFAULTS.environmentPath,
      'environment.path',
      report,
    ),
    includeOs: readBoolean(
      raw.includeOs,
      true,
      'environment.includeOs',
      report,
    ),
    includeNode: readBoolean(
      raw.includeNode,
      true,
      'environment.includeNode',
      report,
    ),
    includeProcess: readBoolean(
      raw.includeProcess,
      true,
      'environment.includeProcess',
      report,
    ),
    includeConfig: readBoolean(
      raw.includeConfig,
      true,
      'environment.includeConfig',
      report,
    ),
    config: readConfigSource(raw.config),
    scrub: readScrubPatterns(raw.scrub),
    showValues:
      raw.showValues === undefined || raw.showValues === 'always'
        ? 'always'
        : raw.showValues === 'never'
          ? 'never'
          : reportModuleOption(
              'environment.showValues',
              "'always' or 'never'",
              describeValue(raw.showValues),
            ),
    guards: readGuards(raw.guards, [], 'environment.guards', report),
  };
}

function readConfigSource(value: unknown): (() => unknown) | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as () => unknown;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return () => value;
  }
  return reportModuleOption(
    'environment.config',
    'an object or a function returning one',
    describeValue(value),
  );
}

function readScrubPatterns(value: unknown): Array<string | RegExp> {
  if (value === undefined) return [];
  const valid =
    Array.isArray(value) &&
    value.every(
      (pattern) =>
        (typeof pattern === 'string' && pattern.length > 0) ||
        pattern instanceof RegExp,
    );
  if (!valid) {
    return reportModuleOption(
      'environment.scrub',
      'an array of non-empty strings and regular expressions',
      describeValue(value),
    );
  }
  return [...(value as Array<string | RegExp>)];
}

function readObject(
  value: unknown,
  option: string,
  knownKeys: string[],
  prefix: string,
  expected = 'an object of options',
): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return reportModuleOption(option, expected, describeValue(value));
  }
  for (const key of Object.keys(value)) {
    if (!knownKeys.includes(key)) {
      throw new Error(
        unknownOption(
          prefix + key,
          knownKeys.map((known) => prefix + known),
        ),
      );
    }
  }
  return value as Record<string, unknown>;
}

/** A check's options after validation, with the module's defaults filled in. */
export interface ResolvedCheckOptions {
  name: string;
  timing: CheckTiming;
  tags: string[];
  critical: boolean;
  /** Set for a background check, with the age after which its result counts as failed. */
  background?: { interval: number; maxStaleness: number };
}

/**
 * Validates the options of one check (`where` names it in errors, e.g. `RedisHealth.ping`) and fills in the
 * module's defaults.
 */
export function resolveCheckOptions(
  options: HealthCheckOptions | undefined,
  defaultName: string,
  defaults: CheckTiming,
  where: string,
): ResolvedCheckOptions {
  const report: OptionErrorReporter = (option, expected, got) => {
    throw new Error(invalidCheckOption(where, option, expected, got));
  };
  if (
    options !== undefined &&
    (typeof options !== 'object' || options === null || Array.isArray(options))
  ) {
    return report(
      'options',
      'an object of options or a name',
      describeValue(options),
    );
  }
  const raw = options ?? {};
  const unknown = Object.keys(raw).find(
    (key) => !CHECK_OPTION_KEYS.includes(key),
  );
  if (unknown !== undefined) {
    return report(
      unknown,
      `one of ${CHECK_OPTION_KEYS.join(', ')}`,
      'an unknown option',
    );
  }
  const name = raw.name ?? defaultName;
  if (typeof name !== 'string' || name.trim() === '') {
    return report('name', EXPECTED.name, describeValue(name));
  }
  return {
    name,
    timing: {
      timeout: readTimeout(raw.timeout, defaults.timeout, 'timeout', report),
      successTtl: readTtl(
        raw.successTtl,
        defaults.successTtl,
        'successTtl',
        report,
      ),
      failedTtl: readTtl(
        raw.failedTtl,
        defaults.failedTtl,
        'failedTtl',
        report,
      ),
    },
    tags: readTags(raw.tags, [], 'tags', report),
    critical: readBoolean(raw.critical, true, 'critical', report),
    background: readBackground(raw, report),
  };
}

function readBackground(
  raw: HealthCheckOptions,
  report: OptionErrorReporter,
): ResolvedCheckOptions['background'] {
  if (raw.interval === undefined) {
    if (raw.maxStaleness !== undefined) {
      report(
        'maxStaleness',
        'to be given together with interval',
        'no interval',
      );
    }
    return undefined;
  }
  const interval = readTimeout(raw.interval, 0, 'interval', report);
  return {
    interval,
    maxStaleness: readTimeout(
      raw.maxStaleness,
      interval * 3,
      'maxStaleness',
      report,
    ),
  };
}
