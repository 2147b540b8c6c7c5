import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';

/**
 * Assembles the report (the JSON format): a failure if a critical check failed, otherwise a success, marked
 * `degraded` when a non-critical check failed. Sections become extra top-level keys.
 */
export function assembleReport(
  hostname: string,
  results: readonly HealthCheckResult[],
  assembledAtMs: number,
  sections: Record<string, unknown> = {},
): HealthReport {
  const critical = results.some(isCriticalFailure);
  const failed = results.filter((result) => !result.passed);
  return Object.freeze({
    ...sections,
    hostname,
    status: critical ? 'failure' : 'success',
    ...(!critical && failed.length > 0 && { degraded: true as const }),
    timestamp: assembledAtMs / 1000,
    results: Object.freeze([...results]) as HealthCheckResult[],
  });
}

/** Whether a result counts against the overall status. */
export function isCriticalFailure(result: HealthCheckResult): boolean {
  return !result.passed && result.critical !== false;
}
