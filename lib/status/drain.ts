import { MAX_TIMER_MS } from '../healthcheck.constants.js';
import {
  drainDurationInvalid,
  drainOptionsInvalid,
  drainReasonInvalid,
} from '../healthcheck.messages.js';
import type { HealthCheckResult } from '../interfaces/check.interface.js';
import type {
  DrainOptions,
  DrainState,
} from '../interfaces/health-event.interface.js';
import { describeValue } from '../serialization/describe-value.js';

/** Longest reason kept, in characters; a longer one is cut with `…`. */
export const MAX_DRAIN_REASON_LENGTH = 200;

/** Longest drain with an end: the largest delay a timer honours (about 24.8 days). Longer: no `forMs`. */
export const MAX_DRAIN_MS = MAX_TIMER_MS;

/** The name of the result a drain adds to the reports it fails. */
export const DRAIN_CHECKER = 'drain';

/** A drain under way: what it shows, and when it ends by itself (epoch ms). */
export interface Drain {
  readonly state: DrainState;
  readonly endsAt?: number;
  /** The failing result added beside the checks' own results in every report but liveness and startup. */
  readonly result: HealthCheckResult;
}

/**
 * Validates what `drain()` was given; throws an Error whose message says what is wrong. The reason is made safe
 * to show anywhere (control characters become spaces, then it is capped); `scrub` masks secrets in it, as in
 * check outputs.
 */
export function startDrain(
  options: unknown,
  now: number,
  scrub: (text: string) => string = (text) => text,
): Drain {
  if (options === undefined) options = {};
  if (
    options === null ||
    typeof options !== 'object' ||
    Array.isArray(options)
  ) {
    throw new Error(drainOptionsInvalid(describeValue(options)));
  }
  const { reason, forMs } = options as DrainOptions;
  if (reason !== undefined && typeof reason !== 'string') {
    throw new Error(drainReasonInvalid(describeValue(reason)));
  }
  if (
    forMs !== undefined &&
    (typeof forMs !== 'number' ||
      !Number.isInteger(forMs) ||
      forMs <= 0 ||
      forMs > MAX_DRAIN_MS)
  ) {
    throw new Error(drainDurationInvalid(describeValue(forMs), MAX_DRAIN_MS));
  }
  const shownReason =
    reason === undefined ? undefined : capReason(scrub(cleanReason(reason)));
  const endsAt = forMs === undefined ? undefined : now + forMs;
  const state: DrainState = Object.freeze({
    ...(shownReason !== undefined && { reason: shownReason }),
    ...(endsAt !== undefined && { until: new Date(endsAt).toISOString() }),
  });
  return Object.freeze({
    state,
    ...(endsAt !== undefined && { endsAt }),
    result: drainResult(state, now, endsAt),
  });
}

/** Whether a drain's time is up at `now`; a drain without an end never is. */
export function drainIsOver(drain: Drain, now: number): boolean {
  return drain.endsAt !== undefined && now >= drain.endsAt;
}

/**
 * The drain's result: a critical failure whose output is `{ reason?, until }` (`until` null without an end), so
 * that a report's output rules (shown only with details) apply to the reason as to any output.
 */
function drainResult(
  state: DrainState,
  now: number,
  endsAt: number | undefined,
): HealthCheckResult {
  return Object.freeze({
    checker: DRAIN_CHECKER,
    output: Object.freeze({
      ...(state.reason !== undefined && { reason: state.reason }),
      until: state.until ?? null,
    }),
    passed: false,
    timestamp: now / 1000,
    expires: (endsAt ?? now) / 1000,
    response_time: 0,
  });
}

/**
 * Control characters and the Unicode line and paragraph separators (line breaks all) become spaces: a reason
 * cannot forge a log line.
 */
function cleanReason(reason: string): string {
  return reason.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');
}

/** At most MAX_DRAIN_REASON_LENGTH characters, never cutting a surrogate pair in two. */
function capReason(reason: string): string {
  if (reason.length <= MAX_DRAIN_REASON_LENGTH) return reason;
  let end = MAX_DRAIN_REASON_LENGTH - 1;
  const last = reason.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${reason.slice(0, end)}…`;
}
