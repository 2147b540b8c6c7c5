import { MAX_TIMER_MS } from '../healthcheck.constants.js';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import {
  headerNameInvalid,
  headerNotSettable,
  headerValueInvalid,
  invalidHeaderOption,
  invalidOption,
} from '../healthcheck.messages.js';
import type { HealthcheckGuards } from '../interfaces/module-options.interface.js';
import { describeValue } from '../serialization/describe-value.js';
import type { OptionSpec } from './option-spec.js';

/** Reports one invalid option; the callers decide how the message names its owner. */
export type OptionErrorReporter = (
  option: string,
  expected: string,
  got: string,
) => never;

/** Reports a bad option of the module itself. */
export const reportModuleOption: OptionErrorReporter = (
  option,
  expected,
  got,
) => {
  throw new Error(invalidOption(option, expected, got));
};

export const EXPECTED = {
  ttl: 'a number of milliseconds >= 0, or null to disable caching',
  timeout: `a number of milliseconds between 1 and ${MAX_TIMER_MS}`,
  status: 'an integer HTTP status between 100 and 599',
  headers: 'an object whose values are strings',
  handler: 'a function (report) => body',
  path: "a route path such as 'healthcheck' or '/health/v1': letters, digits, '.', '_', '~' and '-' between slashes, no route syntax (':', '*', '(', ')') and no '.' or '..' segment",
  boolean: 'true or false',
  name: 'a non-empty string',
  delay: `a number of milliseconds between 0 and ${MAX_TIMER_MS}`,
  guards: 'an array of guard classes or instances (objects with canActivate)',
  tags: 'an array of tags made of letters, digits, "_", "-" and "."',
  format: "'json' or 'ietf' ('seed' is an alias of 'json')",
  listener: 'a function (change) => void',
  outputBytes: 'an integer number of bytes between 64 and 16777216',
  threshold: 'an integer between 1 and 1000',
  runbook: 'a non-empty string (a URL or a short text)',
  showDetails: 'true, false or a function (request) => boolean',
  decorators: 'an array of class or method decorators (functions)',
  port: 'an integer port between 0 and 65535',
  host: "a host name or address such as '0.0.0.0' or '127.0.0.1'",
  authorize: 'a function (request) => boolean',
  maxConnections: 'an integer number of connections between 1 and 1000000',
  heartbeatLimit:
    'an integer number of milliseconds between 200 and 3600000 (one hour)',
  maxClients: 'an integer number of clients between 1 and 100000',
  prefix: 'a Prometheus metric name prefix (letters, digits, "_" and ":")',
  registry:
    'a prom-client Registry (an object with registerMetric and getSingleMetric)',
  historySize: 'an integer between 1 and 100000',
  meter:
    'an OpenTelemetry Meter (an object with createObservableGauge, createHistogram, createCounter, addBatchObservableCallback and removeBatchObservableCallback)',
  otelLogger: 'an OpenTelemetry Logger (an object with emit)',
  title: 'a non-empty string',
  definitions:
    'an array of definitions built by the checks namespace, e.g. checks.http(...)',
} as const;

/** A reader of one kind of option: the fallback when it is absent, the value when valid, else a report. */
export type OptionReader<T> = (
  value: unknown,
  fallback: T,
  option: string,
  report: OptionErrorReporter,
) => T;

/** A reader of one kind of option, given the validity test and an optional conversion. */
export function reader<T>(
  expected: string,
  isValid: (value: unknown) => boolean,
  convert: (value: unknown) => T = (value) => value as T,
): OptionReader<T> {
  return (value, fallback, option, report) => {
    if (value === undefined) return fallback;
    return isValid(value)
      ? convert(value)
      : report(option, expected, describeValue(value));
  };
}

function isNumberBetween(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && value >= min && value <= max;
}

const isGuard = (guard: unknown): boolean =>
  typeof guard === 'function' ||
  (typeof guard === 'object' &&
    guard !== null &&
    typeof (guard as { canActivate?: unknown }).canActivate === 'function');

/** A TTL in ms; `null` means 0, not cached. */
export const readTtl = reader<number>(
  EXPECTED.ttl,
  (value) =>
    value === null || isNumberBetween(value, 0, Number.MAX_SAFE_INTEGER),
  (value) => (value === null ? 0 : (value as number)),
);

export const readTimeout = reader<number>(EXPECTED.timeout, (value) =>
  isNumberBetween(value, 1, MAX_TIMER_MS),
);

export const readDelay = reader<number>(EXPECTED.delay, (value) =>
  isNumberBetween(value, 0, MAX_TIMER_MS),
);

export const readStatus = reader<number>(
  EXPECTED.status,
  (value) => isNumberBetween(value, 100, 599) && Number.isInteger(value),
);

export const readBoolean = reader<boolean>(
  EXPECTED.boolean,
  (value) => typeof value === 'boolean',
);

export const readGuards = reader<HealthcheckGuards>(
  EXPECTED.guards,
  (value) => Array.isArray(value) && value.every(isGuard),
  (value) => [...(value as HealthcheckGuards)],
);

/** Tags, each once. */
export const readTags = reader<string[]>(
  EXPECTED.tags,
  (value) =>
    Array.isArray(value) &&
    value.every((tag) => typeof tag === 'string' && /^[\w.-]+$/.test(tag)),
  (value) => [...new Set(value as string[])],
);

const readHeaderObject = reader<Record<string, string>>(
  EXPECTED.headers,
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((header) => typeof header === 'string'),
  (value) => ({ ...(value as Record<string, string>) }),
);

/** Headers that frame the body or the connection: the server sets them, and a given one would corrupt answers. */
const SERVER_OWNED_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
]);

/**
 * Headers added to responses: an object of strings whose names and values Node.js would send, none of those the
 * server sets itself. A value with CR or LF is refused here, not when the first response throws.
 */
export const readHeaders: OptionReader<Record<string, string>> = (
  value,
  fallback,
  option,
  report,
) => {
  const headers = readHeaderObject(value, fallback, option, report);
  for (const [name, header] of Object.entries(headers)) {
    if (SERVER_OWNED_HEADERS.has(name.toLowerCase())) {
      throw new Error(
        invalidHeaderOption(option, name, headerNotSettable(name)),
      );
    }
    try {
      validateHeaderName(name);
    } catch {
      throw new Error(invalidHeaderOption(option, name, headerNameInvalid));
    }
    try {
      validateHeaderValue(name, header);
    } catch {
      throw new Error(
        invalidHeaderOption(option, name, headerValueInvalid(header)),
      );
    }
  }
  return headers;
};

/** Accepts 'x', '/x' and 'x/' alike and returns the path without surrounding slashes. */
export const readPath = reader<string>(
  EXPECTED.path,
  (value) => typeof value === 'string' && isPlainPath(value),
  (value) => normalizePath(value as string),
);

/** Segments of a path served the same by Express, Fastify and the health server: no router syntax, no dot segments. */
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

function isPlainPath(path: string): boolean {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .every(
      (segment) =>
        PATH_SEGMENT.test(segment) && segment !== '.' && segment !== '..',
    );
}

export function readOptionalFunction<T extends (...args: never[]) => unknown>(
  value: unknown,
  option: string,
  expected: string,
  report: OptionErrorReporter,
): T | undefined {
  return reader<T | undefined>(
    expected,
    (given) => typeof given === 'function',
  )(value, undefined, option, report);
}

export function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** The spec of an option read by `read`, with a fixed default. */
export function withDefault<T>(
  read: OptionReader<T>,
  fallback: T,
): OptionSpec<T, unknown> {
  return (value, option, report) => read(value, fallback, option, report);
}

/** The spec of an optional function option. */
export function optionalFunction<T extends (...args: never[]) => unknown>(
  expected: string,
): OptionSpec<T | undefined, unknown> {
  return (value, option, report) =>
    readOptionalFunction<T>(value, option, expected, report);
}

export const readInteger = (min: number, max: number, expected: string) =>
  reader<number>(
    expected,
    (value) => Number.isInteger(value) && isNumberBetween(value, min, max),
  );

export const readNonEmptyString = (expected: string) =>
  reader<string>(
    expected,
    (value) => typeof value === 'string' && value.trim() !== '',
  );
