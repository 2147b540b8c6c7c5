import type { HealthCheckResult } from '../interfaces/check.interface.js';

/** Consecutive runs that disagree with the shown status, counted until they flip it. */
export interface Streak {
  readonly count: number;
}

export interface Thresholds {
  failureThreshold: number;
  successThreshold: number;
}

export interface Damped {
  /** The result to show: the run's own, or one that keeps the previous status while a threshold holds it. */
  shown: HealthCheckResult;
  streak: Streak;
}

const NO_STREAK: Streak = Object.freeze({ count: 0 });

/**
 * Applies `failureThreshold`/`successThreshold` to a new run: the shown status flips only after that many
 * consecutive runs disagree with it. While it holds, the result keeps the previous status and output and says
 * so in `held` (how many runs disagreed, the threshold, and the latest run's output). A check's first run is
 * measured against a passing status.
 */
export function damp(
  previous: HealthCheckResult | undefined,
  streak: Streak,
  run: HealthCheckResult,
  { failureThreshold, successThreshold }: Thresholds,
): Damped {
  const shownPassed = previous?.passed ?? true;
  if (run.passed === shownPassed) return { shown: run, streak: NO_STREAK };
  const threshold = run.passed ? successThreshold : failureThreshold;
  const count = streak.count + 1;
  if (count >= threshold) return { shown: run, streak: NO_STREAK };
  const held = run.passed
    ? {
        consecutive_successes: count,
        success_threshold: threshold,
        latest_output: run.output,
      }
    : {
        consecutive_failures: count,
        failure_threshold: threshold,
        latest_output: run.output,
      };
  return {
    shown: Object.freeze({
      ...run,
      passed: shownPassed,
      output: previous ? previous.output : null,
      held,
    }),
    streak: Object.freeze({ count }),
  };
}
