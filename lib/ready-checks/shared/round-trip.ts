import {
  roundTripAnswered,
  roundTripFailed,
} from '../../healthcheck.messages.js';
import type {
  ReadyCheckOutcome,
  ReadyCheckRunOptions,
} from './ready-check.outcome.js';
import { describeClientError } from './describe-client-error.js';
import { EarlierProbeUnansweredError } from './earlier-probe.js';

/** What a round-trip check is given besides its client. */
export type RoundTripOptions = ReadyCheckRunOptions;

/**
 * Times one round trip to a server and words the outcome: `SELECT 1 answered in 1.8 ms` with the milliseconds
 * as observedValue, or `SELECT 1 against postgres at host:port failed: <reason>`. `target` is only worked out
 * on a failure. Never rejects.
 */
export async function timedRoundTrip(
  what: string,
  target: () => string,
  signal: AbortSignal | undefined,
  work: () => Promise<unknown>,
): Promise<ReadyCheckOutcome> {
  const started = performance.now();
  try {
    signal?.throwIfAborted();
    await work();
  } catch (error) {
    return roundTripFailure(what, target, signal, error);
  }
  const ms = performance.now() - started;
  return {
    passed: true,
    output: roundTripAnswered(what, ms),
    observedValue: Math.round(ms * 100) / 100,
    observedUnit: 'ms',
  };
}

/**
 * The failed outcome of a round trip: `<what> against <target> failed: <reason>`. `target` is only worked out
 * here, and a target that cannot be worked out is `the server`.
 */
export function roundTripFailure(
  what: string,
  target: () => string,
  signal: AbortSignal | undefined,
  error: unknown,
): ReadyCheckOutcome {
  // A client that takes the signal rejects with its own words for the abort; the signal's reason says more.
  const reason = describeClientError(
    signal?.aborted && !(error instanceof EarlierProbeUnansweredError)
      ? signal.reason
      : error,
  );
  return {
    passed: false,
    output: roundTripFailed(what, safely(target), reason),
  };
}

function safely(target: () => string): string {
  try {
    return target();
  } catch {
    return 'the server';
  }
}
