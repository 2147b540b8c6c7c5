import type { CheckSnapshot } from '../interfaces/health-event.interface.js';
import { assembleReport } from './health-report.js';

/** The overall status of a set of checks. */
export interface OverallState {
  status: 'success' | 'failure';
  /** Success although a non-critical check is failing. */
  degraded: boolean;
}

/** The overall status exactly as the health report computes it from the checks' cached results. */
export function overallOf(checks: readonly CheckSnapshot[]): OverallState {
  const results = checks.flatMap((check) =>
    check.result ? [check.result] : [],
  );
  const report = assembleReport('', results, 0);
  return { status: report.status, degraded: report.degraded === true };
}
