import type { HealthHistoryEntry } from '../history/history-entry.js';
import type { DrainState } from '../interfaces/health-event.interface.js';
import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';

/**
 * What an audience may see, decided here and nowhere else. With details, everything (outputs are scrubbed when
 * a result is made). Without details, a check's name, outcome (`passed`, and `degraded`: a status, not a
 * detail), criticality and runbook only: no output in any form (no `output`, no measurement, no output held by a
 * threshold). A drain's reason and end are its result's output: hidden alike.
 */
export function presentResult(
  result: HealthCheckResult,
  showDetails: boolean,
): HealthCheckResult {
  if (showDetails) return result;
  const { checker, passed, degraded, critical, runbook } = result;
  return {
    checker,
    passed,
    ...(degraded === true && { degraded }),
    ...(critical === false && { critical }),
    ...(runbook !== undefined && { runbook }),
  } as HealthCheckResult;
}

/** A report for an audience: every result through `presentResult`; without details, no report sections. */
export function presentReport(
  report: HealthReport,
  showDetails: boolean,
): HealthReport {
  if (showDetails) return report;
  return {
    hostname: report.hostname,
    status: report.status,
    ...(report.degraded && { degraded: report.degraded }),
    timestamp: report.timestamp,
    results: report.results.map((result) => presentResult(result, false)),
  };
}

/**
 * A history entry for an audience: without the check's output, or the drain's reason and end, when details are
 * hidden (a drain's output in the report is hidden alike, so every view tells the same audience the same).
 */
export function presentHistoryEntry(
  entry: HealthHistoryEntry,
  showDetails: boolean,
): HealthHistoryEntry {
  if (
    showDetails ||
    !('output' in entry || 'reason' in entry || 'until' in entry)
  ) {
    return entry;
  }
  const shown = { ...entry };
  delete shown.output;
  delete shown.reason;
  delete shown.until;
  return shown;
}

/** The drain under way for an audience: its reason and end only with details (as its result's output). */
export function presentDrain(
  drain: DrainState,
  showDetails: boolean,
): DrainState {
  return showDetails ? drain : {};
}
