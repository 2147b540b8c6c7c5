import type { HealthReport } from '../interfaces/check.interface.js';
import type { HealthReportHandler } from '../interfaces/module-options.interface.js';
import { toJsonSafe } from '../serialization/to-json-safe.js';

/** The body for a report: the handler's value (a string as it is, anything else as JSON) or the report itself. */
export function formatReportBody(
  report: HealthReport,
  handler?: HealthReportHandler,
): string {
  if (!handler) return JSON.stringify(report);
  return serializeBody(handler(report));
}

/** Any value as a response body: a string as it is, anything else as JSON that always encodes. */
export function serializeBody(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(toJsonSafe(value));
}
