import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';
import type { ServingStatus } from './grpc-health.types.js';

/** A group's status: SERVING when its report is a success (non-critical failures leave it SERVING). */
export function reportServingStatus(report: HealthReport): ServingStatus {
  return report.status === 'success' ? 'SERVING' : 'NOT_SERVING';
}

/** One check's status: SERVING when its latest result passed; UNKNOWN before it has a result. */
export function resultServingStatus(
  result: HealthCheckResult | undefined,
): ServingStatus {
  if (!result) return 'UNKNOWN';
  return result.passed ? 'SERVING' : 'NOT_SERVING';
}
