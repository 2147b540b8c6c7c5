import type { HealthReport } from '../interfaces/check.interface.js';
import type { ServingStatus } from './grpc-health.types.js';

/** A group's status: SERVING when its report is a success (non-critical failures leave it SERVING). */
export function reportServingStatus(report: HealthReport): ServingStatus {
  return report.status === 'success' ? 'SERVING' : 'NOT_SERVING';
}
