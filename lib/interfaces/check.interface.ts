import type { Observable } from 'rxjs';

/** What a check receives: `signal` is aborted when the check times out or the application shuts down. */
export interface HealthCheckContext {
  signal: AbortSignal;
}

/**
 * The shapes a check may return: the Python library's `[passed, output]` tuple, an object, or a bare boolean. The object
 * may carry a measurement (`observedValue`, `observedUnit`), shown in the IETF format, and `degraded`.
 */
export type HealthCheckOutcome =
  | readonly [boolean, unknown]
  | {
      passed: boolean;
      output?: unknown;
      observedValue?: unknown;
      observedUnit?: string;
      /** With `passed: true`: passing, but worth attention (the report is marked degraded); ignored on a failure. */
      degraded?: boolean;
    }
  | boolean;

/** A health check: sync, a Promise or an Observable (its first value counts). */
export type HealthCheckFunction = (
  context: HealthCheckContext,
) =>
  | HealthCheckOutcome
  | Promise<HealthCheckOutcome>
  | Observable<HealthCheckOutcome>;

/** Options of one check; unset values fall back to the module's. */
export interface HealthCheckOptions {
  /** Name shown as `checker` in the report; defaults to the method name. */
  name?: string;
  /** Milliseconds the check may take before it fails as timed out. */
  timeout?: number;
  /** Milliseconds a passing result is cached; `null` or `0` = not cached. */
  successTtl?: number | null;
  /** Milliseconds a failing result is cached; `null` or `0` = not cached. */
  failedTtl?: number | null;
  /**
   * Groups the check belongs to: `liveness`, `readiness` and `startup` are the probe groups, any other tag is
   * a custom group. Every check is also in the full report.
   */
  tags?: string[];
  /** `false`: a failure of this check leaves the report a success, marked degraded. Default true. */
  critical?: boolean;
  /** Runs the check every `interval` ms in the background instead of on request. */
  interval?: number;
  /** For a background check: a result older than this many ms is reported as failed. Default 3 × interval. */
  maxStaleness?: number;
  /** Consecutive failed runs before the check counts as failed. Default 1. */
  failureThreshold?: number;
  /** Consecutive passed runs before a failed check counts as passed again. Default 1. */
  successThreshold?: number;
  /** A URL or a short text telling the person on call what to do; copied into the check's result. */
  runbook?: string;
  /** Largest serialized output in bytes before it is truncated with a visible marker. Default: the module's. */
  maxOutputBytes?: number;
}

/** Which checks a report covers: one tag, one check, and/or checks to leave out. */
export interface HealthCheckSelection {
  tag?: string;
  check?: string;
  exclude?: readonly string[];
}

/** One check's entry in the report, keys as in the Python library. */
export interface HealthCheckResult {
  checker: string;
  output: unknown;
  passed: boolean;
  /** Present (true) on a passing result whose check said it is degraded: it counts as a pass, worth attention. */
  degraded?: true;
  /** Epoch seconds at which the result was computed. */
  timestamp: number;
  /** Epoch seconds at which the cached result expires. */
  expires: number;
  /** Seconds the check took. */
  response_time: number;
  /** Present (false) only on a non-critical check. */
  critical?: false;
  /** The measurement a check returned, if any. */
  observedValue?: unknown;
  observedUnit?: string;
  /** The check's runbook option: what the person on call should read or do. */
  runbook?: string;
  /**
   * Present while `failureThreshold`/`successThreshold` holds the previous status: how many consecutive runs
   * disagreed, the threshold, and the latest run's output.
   */
  held?: HeldStatus;
}

/** How a threshold holds a check's status (see `HealthCheckResult.held`). */
export type HeldStatus =
  | {
      consecutive_failures: number;
      failure_threshold: number;
      latest_output: unknown;
    }
  | {
      consecutive_successes: number;
      success_threshold: number;
      latest_output: unknown;
    };

/** The report served at the health route by the default handlers. */
export interface HealthReport {
  hostname: string;
  status: 'success' | 'failure';
  /** Present (true) when the report succeeds although a non-critical check failed or a check is degraded. */
  degraded?: true;
  /** Epoch seconds at which this report was assembled. */
  timestamp: number;
  results: HealthCheckResult[];
  /** Sections added with `HealthCheckRunner.addSection()`. */
  [section: string]: unknown;
}
