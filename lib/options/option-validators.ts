import { MAX_TIMER_MS } from '../healthcheck.constants.js';
import type { HealthcheckGuards } from '../interfaces/module-options.interface.js';
import { describeValue } from '../serialization/describe-value.js';

/** Reports one invalid option; the callers decide how the message names its owner. */
export type OptionErrorReporter = (
  option: string,
  expected: string,
  got: string,
) => never;

export const EXPECTED = {
  ttl: 'a number of milliseconds >= 0, or null to disable caching',
  timeout: `a number of milliseconds between 1 and ${MAX_TIMER_MS}`,
  status: 'an integer HTTP status between 100 and 599',
  headers: 'an object whose values are strings',
  handler: 'a function (report) => body',
  path: "a route path such as 'healthcheck' or '/healthcheck'",
  boolean: 'true or false',
  name: 'a non-empty string',
  delay: `a number of milliseconds between 0 and ${MAX_TIMER_MS}`,
  guards: 'an array of guard classes or instances (objects with canActivate)',
  tags: 'an array of tags made of letters, digits, "_", "-" and "."',
  format: "'seed' or 'ietf'",
  listener: 'a function (change) => void',
} as const;

/** Returns the TTL in ms (0 = not cached), or reports why it is invalid. */
export function readTtl(
  value: unknown,
  fallback: number,
  option: string,
  report: OptionErrorReporter,
): number {
  if (value === undefined) return fallback;
  if (value === null) return 0;
  return isNumberBetween(value, 0, Number.MAX_SAFE_INTEGER)
    ? value
    : report(option, EXPECTED.ttl, describeValue(value));
}

export function readTimeout(
  value: unknown,
  fallback: number,
  option: string,
  report: OptionErrorReporter,
): number {
  if (value === undefined) return fallback;
  return isNumberBetween(value, 1, MAX_TIMER_MS)
    ? value
    : report(option, EXPECTED.timeout, describeValue(value));
}

export function readStatus(
  value: unknown,
  fallback: number,
  option: string,
  report: OptionErrorReporter,
): number {
  if (value === undefined) return fallback;
  return isNumberBetween(value, 100, 599) && Number.isInteger(value)
    ? value
    : report(option, EXPECTED.status, describeValue(value));
}

export function readDelay(
  value: unknown,
  fallback: number,
  option: string,
  report: OptionErrorReporter,
): number {
  if (value === undefined) return fallback;
  return isNumberBetween(value, 0, MAX_TIMER_MS)
    ? value
    : report(option, EXPECTED.delay, describeValue(value));
}

export function readGuards(
  value: unknown,
  option: string,
  report: OptionErrorReporter,
): HealthcheckGuards {
  if (value === undefined) return [];
  const isGuard = (guard: unknown) =>
    typeof guard === 'function' ||
    (typeof guard === 'object' &&
      guard !== null &&
      typeof (guard as { canActivate?: unknown }).canActivate === 'function');
  return Array.isArray(value) && value.every(isGuard)
    ? [...(value as HealthcheckGuards)]
    : report(option, EXPECTED.guards, describeValue(value));
}

export function readTags(
  value: unknown,
  option: string,
  report: OptionErrorReporter,
): string[] {
  if (value === undefined) return [];
  const valid =
    Array.isArray(value) &&
    value.every((tag) => typeof tag === 'string' && /^[\w.-]+$/.test(tag));
  return valid
    ? [...new Set(value as string[])]
    : report(option, EXPECTED.tags, describeValue(value));
}

function isNumberBetween(
  value: unknown,
  min: number,
  max: number,
): value is number {
  return typeof value === 'number' && value >= min && value <= max;
}

export function readHeaders(
  value: unknown,
  option: string,
  report: OptionErrorReporter,
): Record<string, string> {
  if (value === undefined) return {};
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.values(value).some((header) => typeof header !== 'string')
  ) {
    return report(option, EXPECTED.headers, describeValue(value));
  }
  return { ...(value as Record<string, string>) };
}

export function readBoolean(
  value: unknown,
  fallback: boolean,
  option: string,
  report: OptionErrorReporter,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    return report(option, EXPECTED.boolean, describeValue(value));
  }
  return value;
}

export function readOptionalFunction<T extends (...args: never[]) => unknown>(
  value: unknown,
  option: string,
  expected: string,
  report: OptionErrorReporter,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    return report(option, expected, describeValue(value));
  }
  return value as T;
}

/** Accepts 'x', '/x' and 'x/' alike and returns the path without surrounding slashes. */
export function readPath(
  value: unknown,
  fallback: string,
  option: string,
  report: OptionErrorReporter,
): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || /[\s?#]/.test(value)) {
    return report(option, EXPECTED.path, describeValue(value));
  }
  return normalizePath(value);
}

export function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
