import { checkPending, checkStale } from '../healthcheck.messages.js';
import type { HealthCheckResult } from '../interfaces/check.interface.js';
import { capOutput } from '../serialization/cap-output.js';
import { type JsonValue, toJsonSafe } from '../serialization/to-json-safe.js';
import {
  type CheckOutcome,
  normalizeOutcome,
} from './check-outcome.normalizer.js';
import type { RegisteredCheck } from './check.registry.js';
import { type Settled, settle } from './settle.js';
import { describeThrown } from './describe-thrown.js';

/**
 * Runs one check within its timeout and turns whatever happened into a frozen result of the JSON format, its
 * output scrubbed by `scrubOutput` so that the cached result is already safe to show. Never rejects. `shutdown`
 * abandons the check when aborted.
 */
export async function executeCheck(
  check: RegisteredCheck,
  shutdown: AbortSignal,
  scrubOutput: (output: unknown) => unknown = (output) => output,
): Promise<HealthCheckResult> {
  const startedAt = performance.now();
  const settled = await settle((signal) => check.run({ signal }), {
    timeoutMs: check.timing.timeout,
    signal: shutdown,
  });
  const responseTime = (performance.now() - startedAt) / 1000;
  const outcome = safeOutcome(settled, (value) =>
    shownValue(value, scrubOutput, check.maxOutputBytes),
  );
  const ttl = outcome.passed ? check.timing.successTtl : check.timing.failedTtl;
  const lifetime = check.background ? check.background.interval : ttl;
  return createResult(check, outcome, Date.now(), lifetime, responseTime);
}

/** Longest `observedUnit` kept; a unit is a word such as `ms` or `bytes`. */
const MAX_UNIT_LENGTH = 32;

/** The first MAX_UNIT_LENGTH UTF-16 units of a unit, never half of a character (a lone surrogate is no text). */
function boundedUnit(unit: string): string {
  const kept = unit.slice(0, MAX_UNIT_LENGTH);
  const last = kept.charCodeAt(kept.length - 1);
  const cutsPair =
    kept.length < unit.length && last >= 0xd800 && last <= 0xdbff;
  return cutsPair ? kept.slice(0, -1) : kept;
}

/** A value a check gave, as it may be shown: valid JSON, its secrets masked, then capped. */
function shownValue(
  value: unknown,
  scrubOutput: (output: unknown) => unknown,
  maxOutputBytes: number | undefined,
): unknown {
  const scrubbed = scrubOutput(toJsonSafe(value));
  return maxOutputBytes === undefined
    ? scrubbed
    : capOutput(scrubbed as JsonValue, maxOutputBytes);
}

/**
 * What a check's run shows, its output and measurement through `show`. Reading a returned value runs user
 * code (getters, proxies): whatever throws there makes the run a failure that says so.
 */
function safeOutcome(
  settled: Settled,
  show: (value: unknown) => unknown,
): CheckOutcome {
  if (!settled.ok) return { passed: false, output: show(settled.message) };
  try {
    const outcome = normalizeOutcome(settled.value);
    outcome.output = show(outcome.output);
    if (outcome.observedValue !== undefined) {
      outcome.observedValue = show(outcome.observedValue);
    }
    if (outcome.observedUnit !== undefined) {
      outcome.observedUnit = boundedUnit(String(show(outcome.observedUnit)));
    }
    return outcome;
  } catch (error) {
    return { passed: false, output: show(describeThrown(error)) };
  }
}

/** The result a background check shows before its first run has finished. */
export function pendingResult(check: RegisteredCheck): HealthCheckResult {
  return failedResult(check, checkPending, Date.now());
}

/** The failure shown once a background check has had no new result for longer than its maxStaleness. */
export function staleResult(
  check: RegisteredCheck,
  silentForMs: number,
  now: number,
): HealthCheckResult {
  const output = checkStale(
    Math.round(silentForMs),
    check.background?.maxStaleness ?? 0,
  );
  return failedResult(check, output, now);
}

/** A failure that no run produced (pending, stale, shutting down): computed now, expired at once. */
export function failedResult(
  subject: ResultSubject,
  output: string,
  now: number,
): HealthCheckResult {
  return createResult(subject, { passed: false, output }, now, 0, 0);
}

/** What a result is about: a registered check, or a stand-in such as the shutdown of readiness. */
type ResultSubject = Pick<RegisteredCheck, 'name' | 'critical'> &
  Partial<Pick<RegisteredCheck, 'runbook'>>;

/** Seconds rounded to microseconds, so that float noise stays out of the report. */
const toMicroseconds = (seconds: number): number =>
  Math.round(seconds * 1e6) / 1e6;

/** A frozen result of the JSON format from an outcome whose values are already fit to show. */
function createResult(
  check: ResultSubject,
  { passed, output, observedValue, observedUnit, degraded }: CheckOutcome,
  computedAt: number,
  lifetimeMs: number,
  responseTime: number,
): HealthCheckResult {
  return Object.freeze({
    checker: check.name,
    output,
    passed,
    ...(passed && degraded && { degraded: true as const }),
    timestamp: computedAt / 1000,
    expires: (computedAt + lifetimeMs) / 1000,
    response_time: toMicroseconds(responseTime),
    ...(!check.critical && { critical: false as const }),
    ...(observedValue !== undefined && { observedValue }),
    ...(observedUnit !== undefined && { observedUnit }),
    ...(check.runbook !== undefined && { runbook: check.runbook }),
  });
}
