import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';

/**
 * Assembles the seed-format report from check results (failure if any check failed, success otherwise) and
 * the report's custom sections.
 */
export function assembleReport(
  hostname: string,
  results: readonly HealthCheckResult[],
  assembledAtMs: number,
  sections: Record<string, unknown> = {},
): HealthReport {
  return Object.freeze({
    ...sections,
    hostname,
    status: results.every((result) => result.passed) ? 'success' : 'failure',
    timestamp: assembledAtMs / 1000,
    results: Object.freeze([...results]) as HealthCheckResult[],
  });
}
