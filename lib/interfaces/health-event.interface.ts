import type { HealthCheckResult, HealthReport } from './check.interface.js';
import type { HealthStatusChange } from './module-options.interface.js';

/**
 * What the runner tells its transports: every new result of a check, every status flip (the same changes
 * `onStatusChange` receives), and the start of shutdown.
 */
export type HealthEvent =
  | { type: 'result'; name: string; result: HealthCheckResult }
  | HealthStatusChange
  | { type: 'shutdown' };

export type HealthEventListener = (event: HealthEvent) => void;

/** One check as every view sees it, read from the cache without running anything. */
export interface CheckSnapshot {
  name: string;
  tags: readonly string[];
  critical: boolean;
  /** The background interval in ms; absent for an on-demand check. */
  interval?: number;
  /**
   * The shown status: `pending` until a first run has finished (not ready, not started), then `passing` or
   * `failing` as the thresholds and staleness decide.
   */
  status: 'pending' | 'passing' | 'failing';
  /** The shown result; absent until the check has run (a background check shows a "pending" stand-in). */
  result?: HealthCheckResult;
}

/** The overall status as last computed, for transports that need it without a report. */
export type OverallStatus = HealthReport['status'];
