import { DEFAULTS } from '../healthcheck.constants.js';
import {
  ignoredOnHealthServer,
  MODULE_OWNER,
  routeCollision,
  threadLimitsOutOfOrder,
} from '../healthcheck.messages.js';
import type { HealthcheckModuleOptions } from '../interfaces/module-options.interface.js';
import type {
  ResolvedHealthcheckOptions,
  ResolvedReportFormat,
  ResolvedServerOptions,
} from '../interfaces/resolved-options.interface.js';
import type { HealthCheckDefinition } from '../ready-checks/health-check.definition.js';
import { readEnvironment } from './environment-options.resolver.js';
import {
  nestedOptions,
  type OptionSpec,
  readOptions,
  switchedOptions,
} from './option-spec.js';
import {
  EXPECTED,
  optionalFunction,
  readBoolean,
  readDelay,
  readGuards,
  readHeaders,
  readInteger,
  readNonEmptyString,
  readPath,
  readStatus,
  readTimeout,
  readTtl,
  reader,
  reportModuleOption,
  withDefault,
} from './option-validators.js';

type ModuleSpec<T> = OptionSpec<T, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const readFormat = reader<ResolvedReportFormat>(
  EXPECTED.format,
  (value) => value === 'json' || value === 'ietf' || value === 'seed',
  (value) => (value === 'ietf' ? 'ietf' : 'json'),
);

const readShowDetails = reader<ResolvedHealthcheckOptions['showDetails']>(
  EXPECTED.showDetails,
  (value) => typeof value === 'boolean' || typeof value === 'function',
);

const readDecorators = reader<ResolvedHealthcheckOptions['decorators']>(
  EXPECTED.decorators,
  (value) =>
    Array.isArray(value) &&
    value.every((decorator) => typeof decorator === 'function'),
  (value) => [...(value as ResolvedHealthcheckOptions['decorators'])],
);

const readDefinitions = reader<HealthCheckDefinition[]>(
  EXPECTED.definitions,
  (value) =>
    Array.isArray(value) &&
    value.every(
      (definition) =>
        isObject(definition) &&
        typeof definition.name === 'string' &&
        typeof definition.build === 'function',
    ),
  (value) => [...(value as HealthCheckDefinition[])],
);

const SERVER_OPTIONS = {
  port: (value, option, report) =>
    value === undefined
      ? report(option, EXPECTED.port, 'nothing')
      : readInteger(0, 65_535, EXPECTED.port)(value, 0, option, report),
  host: (value, option, report) =>
    value === undefined
      ? undefined
      : readNonEmptyString(EXPECTED.host)(value, '', option, report),
  keepAppRoutes: withDefault(readBoolean, false),
  authorize: optionalFunction<NonNullable<ResolvedServerOptions['authorize']>>(
    EXPECTED.authorize,
  ),
  maxConnections: (value, option, report) =>
    value === undefined
      ? undefined
      : readInteger(1, 1_000_000, EXPECTED.maxConnections)(
          value,
          0,
          option,
          report,
        ),
  thread: (value, option, report, context) => {
    const limits = readThread(value, option, report, context);
    if (limits && limits.notLiveAfter < limits.notReadyAfter) {
      throw new Error(threadLimitsOutOfOrder(limits));
    }
    return limits;
  },
  drainRoute: withDefault(readBoolean, false),
} satisfies {
  [K in keyof Required<ResolvedServerOptions>]: ModuleSpec<unknown>;
};

const readHeartbeatLimit = (fallback: number): ModuleSpec<number> =>
  withDefault(readInteger(200, 3_600_000, EXPECTED.heartbeatLimit), fallback);

const readThread = switchedOptions(
  MODULE_OWNER,
  'server.thread.',
  {
    notReadyAfter: readHeartbeatLimit(DEFAULTS.notReadyAfter),
    notLiveAfter: readHeartbeatLimit(DEFAULTS.notLiveAfter),
  },
  'true, or an object { notReadyAfter?, notLiveAfter? } (milliseconds)',
);

const readServerOptions = nestedOptions(
  MODULE_OWNER,
  'server.',
  SERVER_OPTIONS,
  'an object { port, host?, keepAppRoutes?, authorize?, maxConnections?, thread?, drainRoute? }',
);
const readServer: ModuleSpec<ResolvedServerOptions | null> = (
  value,
  ...rest
) => (value === undefined ? null : readServerOptions(value, ...rest));

const readRegistry = reader<unknown>(
  EXPECTED.registry,
  (value) =>
    isObject(value) &&
    typeof value.registerMetric === 'function' &&
    typeof value.getSingleMetric === 'function',
);
const readPrefix = reader<string>(
  EXPECTED.prefix,
  (value) => typeof value === 'string' && /^[a-zA-Z_:][\w:]*$/.test(value),
);

const readMetrics: ModuleSpec<ResolvedHealthcheckOptions['metrics']> =
  switchedOptions(
    MODULE_OWNER,
    'metrics.',
    {
      registry: (given, option, report) =>
        readRegistry(given, undefined, option, report),
      prefix: withDefault(readPrefix, 'healthcheck_'),
    },
    'true, false or an object { registry?, prefix? }',
  );

const OTEL_METER_METHODS = [
  'createObservableGauge',
  'createHistogram',
  'createCounter',
  'addBatchObservableCallback',
  'removeBatchObservableCallback',
] as const;
const readMeter = reader<unknown>(
  EXPECTED.meter,
  (value) =>
    isObject(value) &&
    OTEL_METER_METHODS.every((method) => typeof value[method] === 'function'),
);
const readOtelLogger = reader<unknown>(
  EXPECTED.otelLogger,
  (value) => isObject(value) && typeof value.emit === 'function',
);

const readOtel: ModuleSpec<ResolvedHealthcheckOptions['otel']> =
  switchedOptions(
    MODULE_OWNER,
    'otel.',
    {
      meter: (given, option, report) =>
        readMeter(given, undefined, option, report),
      logger: (given, option, report) =>
        readOtelLogger(given, undefined, option, report),
    },
    'true, false or an object { meter?, logger? }',
  );

const readHistoryOptions = nestedOptions(
  MODULE_OWNER,
  'history.',
  { size: withDefault(readInteger(1, 100_000, EXPECTED.historySize), 100) },
  'false or an object { size? }',
);
/** On by default; `false` turns the history off. */
const readHistory: ModuleSpec<ResolvedHealthcheckOptions['history']> = (
  value,
  ...rest
) => (value === false ? null : readHistoryOptions(value, ...rest));

const readUi: ModuleSpec<ResolvedHealthcheckOptions['ui']> = switchedOptions(
  MODULE_OWNER,
  'ui.',
  {
    title: withDefault(readNonEmptyString(EXPECTED.title), 'Health'),
    maxClients: withDefault(readInteger(1, 100_000, EXPECTED.maxClients), 100),
  },
  'true, false or an object { title?, maxClients? }',
);

/** One spec per option of `forRoot()`, tied to HealthcheckModuleOptions: a new option must be added here. */
const MODULE_OPTIONS = {
  path: withDefault(readPath, DEFAULTS.path),
  successTtl: withDefault(readTtl, DEFAULTS.successTtl),
  failedTtl: withDefault(readTtl, DEFAULTS.failedTtl),
  timeout: withDefault(readTimeout, DEFAULTS.timeout),
  maxOutputBytes: withDefault(
    readInteger(64, 16 * 1024 * 1024, EXPECTED.outputBytes),
    DEFAULTS.maxOutputBytes,
  ),
  successStatus: withDefault(readStatus, DEFAULTS.successStatus),
  failedStatus: withDefault(readStatus, DEFAULTS.failedStatus),
  successHeaders: withDefault(readHeaders, {}),
  failedHeaders: withDefault(readHeaders, {}),
  successHandler: optionalFunction<
    NonNullable<HealthcheckModuleOptions['successHandler']>
  >(EXPECTED.handler),
  failedHandler: optionalFunction<
    NonNullable<HealthcheckModuleOptions['failedHandler']>
  >(EXPECTED.handler),
  environment: readEnvironment,
  format: withDefault(readFormat, 'json'),
  showDetails: withDefault(readShowDetails, true),
  shutdownDelay: withDefault(readDelay, 0),
  onStatusChange: optionalFunction<
    NonNullable<HealthcheckModuleOptions['onStatusChange']>
  >(EXPECTED.listener),
  guards: withDefault(readGuards, []),
  swagger: withDefault(readBoolean, true),
  checks: withDefault(readDefinitions, []),
  server: readServer,
  decorators: withDefault(readDecorators, []),
  metrics: readMetrics,
  otel: readOtel,
  history: readHistory,
  ui: readUi,
} satisfies {
  [K in keyof Required<HealthcheckModuleOptions>]: ModuleSpec<unknown>;
};

/** Validates the options of `forRoot()`/`forRootAsync()` and fills in every default; throws on the first bad one. */
export function resolveModuleOptions(
  options: unknown,
): ResolvedHealthcheckOptions {
  const { timeout, successTtl, failedTtl, ...rest } = readOptions(
    options,
    MODULE_OPTIONS,
    {
      owner: MODULE_OWNER,
      prefix: '',
      report: reportModuleOption,
      context: undefined,
    },
  );
  const resolved = { ...rest, timing: { timeout, successTtl, failedTtl } };
  refuseRouteCollisions(resolved);
  refuseIgnoredAccessOptions(resolved);
  return resolved;
}

/** Every option of `forRoot()`, for messages and tests. */
export const MODULE_OPTION_KEYS = Object.keys(MODULE_OPTIONS);

/**
 * Refuses access options that the configuration would ignore: with the routes only on the health server, Nest
 * guards and decorators never run.
 */
function refuseIgnoredAccessOptions({
  server,
  guards,
  decorators,
  environment,
}: Pick<
  ResolvedHealthcheckOptions,
  'server' | 'guards' | 'decorators' | 'environment'
>): void {
  if (!server || server.keepAppRoutes) return;
  const ignored = [
    ...(guards.length > 0 ? ['guards'] : []),
    ...(decorators.length > 0 ? ['decorators'] : []),
    ...(environment && environment.guards.length > 0
      ? ['environment.guards']
      : []),
  ];
  if (ignored.length > 0) throw new Error(ignoredOnHealthServer(ignored[0]));
}

/** Refuses two routes on one path, which Express would hide and Fastify would refuse with a framework error. */
function refuseRouteCollisions({
  path,
  environment,
  ui,
}: Pick<ResolvedHealthcheckOptions, 'path' | 'environment' | 'ui'>): void {
  if (!environment) return;
  const healthRoutes = new Map<string, string>([[path, 'path']]);
  for (const sub of ['live', 'ready', 'startup', 'history']) {
    healthRoutes.set(join(path, sub), `path (its /${sub} route)`);
  }
  if (ui) {
    healthRoutes.set(join(path, 'ui'), 'ui');
    healthRoutes.set(join(path, 'events'), 'ui (its /events stream)');
  }
  const clash = healthRoutes.get(environment.path);
  if (clash !== undefined) {
    throw new Error(
      routeCollision(clash, 'environment.path', environment.path),
    );
  }
  if (environment.path.startsWith(join(path, 'group') + '/')) {
    throw new Error(
      routeCollision(
        'path (its /group/:tag routes)',
        'environment.path',
        environment.path,
      ),
    );
  }
}

const join = (base: string, sub: string): string =>
  base === '' ? sub : `${base}/${sub}`;
