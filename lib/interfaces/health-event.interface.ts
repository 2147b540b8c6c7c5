import type { HealthCheckResult, HealthReport } from './check.interface.js';
import type { HealthStatusChange } from './module-options.interface.js';

/** What `HealthCheckRunner.drain()` takes: why (shown with details), and for how long (ms; no end without it). */
export interface DrainOptions {
  /** Who drained and why; at most 200 characters are kept, control characters become spaces. */
  reason?: string;
  /** Milliseconds until the drain ends by itself: a positive integer, at most 2147483647 (about 24.8 days). */
  forMs?: number;
}

/** A drain under way, as every view shows it. */
export interface DrainState {
  readonly reason?: string;
  /** ISO time at which the drain ends by itself; absent when it has no end. */
  readonly until?: string;
}

/**
 * A drain starts (`previous` undefined), is replaced by another one, or ends (`current` undefined), by
 * `undrain()` or when its time is up.
 */
export interface HealthDrainChange {
  type: 'drain';
  previous: DrainState | undefined;
  current: DrainState | undefined;
}

/**
 * What the runner tells its transports: every new result of a check, every status flip (the same changes
 * `onStatusChange` receives), every start, replacement and end of a drain, and the start of shutdown.
 */
export type HealthEvent =
  | { type: 'result'; name: string; result: HealthCheckResult }
  | HealthStatusChange
  | HealthDrainChange
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
