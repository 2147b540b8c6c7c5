import type { HealthCheckResult } from '../interfaces/check.interface.js';

/** The status of a set of checks taken together. */
export interface OverallState {
  status: 'success' | 'failure';
  /** Success although a non-critical check is failing or a passing check says it is degraded. */
  degraded: boolean;
}

/**
 * The overall status of shown results, as every view reports it: a failure when a critical check is failing or
 * pending, or when the application is out of rotation (shutting down or drained); a success marked degraded when
 * only non-critical checks are failing, or a shown result passes but says it is degraded.
 */
export function overallOf(
  results: Iterable<HealthCheckResult>,
  outOfRotation = false,
): OverallState {
  let critical = outOfRotation;
  let degraded = false;
  for (const result of results) {
    if (result.passed) {
      if (result.degraded) degraded = true;
      continue;
    }
    if (result.critical === false) degraded = true;
    else critical = true;
  }
  return critical
    ? { status: 'failure', degraded: false }
    : { status: 'success', degraded };
}
