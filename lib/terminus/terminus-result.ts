import {
  terminusBadEntry,
  terminusEmptyResult,
  terminusNotAResult,
} from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';

/** The statuses a terminus indicator gives a key (`degraded` since terminus 12). */
export type TerminusIndicatorStatus = 'up' | 'degraded' | 'down';

/** What a terminus indicator resolves to: `{ [key]: { status, ...details } }` (terminus' `HealthIndicatorResult`). */
export type TerminusIndicatorResult = {
  readonly [key: string]: {
    readonly status: TerminusIndicatorStatus;
    readonly [detail: string]: unknown;
  };
};

type Resolvable =
  TerminusIndicatorResult | PromiseLike<TerminusIndicatorResult>;

/**
 * A terminus indicator as `HealthCheckService.check([...])` takes it (terminus' `HealthIndicatorFunction`): a
 * function returning a result, a promise of one or a `HealthCheckAttempt`, or a `HealthCheckAttempt` itself.
 */
export type TerminusIndicatorFunction =
  | (() => Resolvable | PromiseLike<Resolvable>)
  | PromiseLike<TerminusIndicatorResult>;

/**
 * How a terminus result reads here: failed when a key is down or the shape is not terminus'; passing and
 * `degraded` when no key is down and one is degraded.
 */
export interface TerminusReading {
  passed: boolean;
  output: unknown;
  degraded?: true;
}

const STATUSES: ReadonlySet<unknown> = new Set(['up', 'degraded', 'down']);

/**
 * Reads a terminus result as terminus' HealthCheckService does: it passes unless a key is `down`; a `degraded`
 * key passes and marks the outcome degraded (terminus' report stays `ok` too). The whole result is the output.
 * A value that is not a result fails with a sentence saying why.
 */
export function readTerminusResult(value: unknown): TerminusReading {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { passed: false, output: terminusNotAResult(describeValue(value)) };
  }
  const entries = Object.entries(value);
  if (entries.length === 0)
    return { passed: false, output: terminusEmptyResult };
  let passed = true;
  let degraded = false;
  for (const [key, entry] of entries) {
    const status = (entry as { status?: unknown } | null)?.status;
    if (typeof entry !== 'object' || entry === null || !STATUSES.has(status)) {
      return {
        passed: false,
        output: terminusBadEntry(key, describeValue(entry)),
      };
    }
    if (status === 'down') passed = false;
    else if (status === 'degraded') degraded = true;
  }
  return {
    passed,
    output: value,
    ...(passed && degraded && { degraded: true as const }),
  };
}

/**
 * terminus' `HealthCheckError` (thrown by `HealthIndicator` subclasses before terminus 12), recognised by its
 * shape so that terminus is never loaded: terminus 11 marks it `isHealthCheckError`, and carries the result
 * in `causes`.
 */
export function isHealthCheckError(
  error: unknown,
): error is Error & { causes: unknown } {
  if (typeof error !== 'object' || error === null || !('causes' in error)) {
    return false;
  }
  const marked = error as { isHealthCheckError?: unknown; name?: unknown };
  return (
    marked.isHealthCheckError === true || marked.name === 'HealthCheckError'
  );
}
