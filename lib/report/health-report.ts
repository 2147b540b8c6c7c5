import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';
import { overallOf } from '../status/overall-status.js';

/**
 * Assembles the report (the JSON format) with the status model's overall status: a failure if a critical check
 * failed, otherwise a success, marked `degraded` when a non-critical check failed or a check is degraded.
 * Sections become extra top-level keys.
 */
export function assembleReport(
  hostname: string,
  results: readonly HealthCheckResult[],
  assembledAtMs: number,
  sections: Record<string, unknown> = {},
): HealthReport {
  const { status, degraded } = overallOf(results);
  return Object.freeze({
    ...sections,
    hostname,
    status,
    ...(degraded && { degraded: true as const }),
    timestamp: assembledAtMs / 1000,
    results: Object.freeze([...results]) as HealthCheckResult[],
  });
}
