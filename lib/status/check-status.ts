import type { HealthCheckResult } from '../interfaces/check.interface.js';

/** What a check shows: no result yet, or passing/failing as its thresholds decided. */
export type CheckStatusName = 'pending' | 'passing' | 'failing';

/** The status model's state of one check: what it shows, and the runs that disagree with it so far. */
export interface CheckStatus {
  readonly status: CheckStatusName;
  /** The result every view shows; for a pending background check, a stand-in that says so. */
  readonly shown?: HealthCheckResult;
  /** Consecutive runs that disagree with the shown status. */
  readonly streak: number;
}

export interface Thresholds {
  failureThreshold: number;
  successThreshold: number;
}

/** A check no run has finished yet; `placeholder` is what a background check shows meanwhile. */
export function pendingStatus(placeholder?: HealthCheckResult): CheckStatus {
  return Object.freeze({ status: 'pending', shown: placeholder, streak: 0 });
}

/**
 * The status after a run. The first run is shown as it is; after that the shown status changes only once
 * `failureThreshold` (or `successThreshold`) consecutive runs disagree with it. While a threshold holds, the
 * result keeps the shown status (its `degraded` flag included) and output and says so in `held` (the count, the
 * threshold, the run's output). A degraded run of a passing check agrees with it: shown at once, as it is.
 */
export function observeRun(
  current: CheckStatus,
  run: HealthCheckResult,
  { failureThreshold, successThreshold }: Thresholds,
): CheckStatus {
  if (current.status === 'pending' || run.passed === isPassing(current)) {
    return settled(run);
  }
  const threshold = run.passed ? successThreshold : failureThreshold;
  const streak = current.streak + 1;
  if (streak >= threshold) return settled(run);
  const passed = isPassing(current);
  const held = run.passed
    ? {
        consecutive_successes: streak,
        success_threshold: threshold,
        latest_output: run.output,
      }
    : {
        consecutive_failures: streak,
        failure_threshold: threshold,
        latest_output: run.output,
      };
  // The held result shows the previous status whole: its degraded flag too, never the disagreeing run's.
  const { degraded: runDegraded, ...rest } = run;
  void runDegraded;
  return Object.freeze({
    status: current.status,
    shown: Object.freeze({
      ...rest,
      passed,
      ...(passed && current.shown?.degraded && { degraded: true as const }),
      output: current.shown?.output ?? null,
      held,
    }),
    streak,
  });
}

/**
 * The status of a check whose results stopped coming: failing at once with `stale` as its result. The
 * thresholds count runs, and a stale check has none to count; `maxStaleness` is its delay.
 */
export function markStale(
  current: CheckStatus,
  stale: HealthCheckResult,
): CheckStatus {
  if (current.status !== 'passing') return current;
  return settled(stale);
}

/** Whether the status counts as passing (pending does not). */
export function isPassing(status: CheckStatus): boolean {
  return status.status === 'passing';
}

/**
 * Whether a background check's results have stopped coming at `now`: no run under way and the last one ended
 * more than `maxStaleness` ago, or a run under way for longer than its timeout plus `maxStaleness` (a blocked
 * event loop). A check that keeps running and passing is never stale, however long its runs take.
 */
export function isStale(
  timing: { lastRunEndedAt?: number; runStartedAt?: number },
  limits: { maxStaleness: number; timeout: number },
  now: number,
): boolean {
  const { lastRunEndedAt, runStartedAt } = timing;
  if (runStartedAt !== undefined) {
    return now - runStartedAt > limits.timeout + limits.maxStaleness;
  }
  return (
    lastRunEndedAt !== undefined && now - lastRunEndedAt > limits.maxStaleness
  );
}

function settled(result: HealthCheckResult): CheckStatus {
  return Object.freeze({
    status: result.passed ? 'passing' : 'failing',
    shown: result,
    streak: 0,
  });
}
