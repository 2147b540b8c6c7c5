/** Metadata key written by `@HealthCheck()`. */
export const HEALTH_CHECK_METADATA = 'nestjs-healthcheck:health-check';
/** Metadata key written by `@EnvSection()`. */
export const ENV_SECTION_METADATA = 'nestjs-healthcheck:env-section';

/** Injection token of the options exactly as the application gave them. */
export const HEALTHCHECK_MODULE_OPTIONS = Symbol('HEALTHCHECK_MODULE_OPTIONS');
/** Injection token of the validated options with every default filled in. */
export const HEALTHCHECK_RESOLVED_OPTIONS = Symbol(
  'HEALTHCHECK_RESOLVED_OPTIONS',
);

/** Injection token whose async factory waits until the API docs are applied. */
export const SWAGGER_DOCS_APPLIED = Symbol('SWAGGER_DOCS_APPLIED');

/** The string token under which @nestjs/config registers its loaded configuration. */
export const NEST_CONFIG_TOKEN = 'CONFIGURATION_TOKEN';

export const LOGGER_CONTEXT = 'Healthcheck';

export const DEFAULTS = {
  path: 'healthcheck',
  environmentPath: 'environment',
  successTtl: 27_000,
  failedTtl: 9_000,
  timeout: 10_000,
  maxOutputBytes: 4_096,
  successStatus: 200,
  failedStatus: 500,
  /** Threaded health server: readiness fails once the main thread's heartbeat is this old (ms). */
  notReadyAfter: 2_000,
  /** Threaded health server: liveness fails once the main thread's heartbeat is this old (ms). */
  notLiveAfter: 30_000,
} as const;

/** The largest delay `setTimeout` honours (2^31 - 1 ms). */
export const MAX_TIMER_MS = 2_147_483_647;

export const SCRUBBED_VALUE = '********';

/** Key fragments whose values are always scrubbed, matched case-insensitively. */
export const SENSITIVE_KEY_FRAGMENTS = [
  'key',
  'token',
  'pass',
  'secret',
  'credential',
  'auth',
  'private',
  'cookie',
  'session',
  'signature',
  'dsn',
  'jwt',
  'salt',
  'bearer',
  'webhook',
] as const;

/** Tags of the Kubernetes probe groups; they exist even with no check in them. */
export const PROBE_TAGS: readonly string[] = [
  'liveness',
  'readiness',
  'startup',
];
