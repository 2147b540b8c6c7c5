import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';

/** Assembles the seed-format report from check results: failure if any check failed, success otherwise. */
export function assembleReport(
  hostname: string,
  results: readonly HealthCheckResult[],
  assembledAtMs: number,
): HealthReport {
  return Object.freeze({
    hostname,
    status: results.every((result) => result.passed) ? 'success' : 'failure',
    timestamp: assembledAtMs / 1000,
    results: Object.freeze([...results]) as HealthCheckResult[],
  });
}
