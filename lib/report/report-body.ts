import type { HealthReport } from '../interfaces/check.interface.js';
import type {
  HealthReportHandler,
  ReportFormat,
} from '../interfaces/module-options.interface.js';
import { toJsonSafe } from '../serialization/to-json-safe.js';
import { toIetfReport } from './ietf-report.js';

export interface BodyOptions {
  format: ReportFormat;
  showDetails: boolean;
  handler?: HealthReportHandler;
}

/**
 * The body for a report: the handler's value if there is a handler (a string as it is, anything else as
 * JSON), else the report in the chosen format, without outputs when `showDetails` is false.
 */
export function formatReportBody(
  report: HealthReport,
  { format, showDetails, handler }: BodyOptions,
): string {
  if (format === 'ietf' && !handler) {
    return JSON.stringify(toIetfReport(report, showDetails));
  }
  const shown = showDetails ? report : withoutDetails(report);
  return handler ? serializeBody(handler(shown)) : JSON.stringify(shown);
}

/** Any value as a response body: a string as it is, anything else as JSON that always encodes. */
export function serializeBody(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(toJsonSafe(value));
}

/** The report with each result reduced to its name and outcome. */
export function withoutDetails(report: HealthReport): HealthReport {
  return {
    hostname: report.hostname,
    status: report.status,
    ...(report.degraded && { degraded: report.degraded }),
    timestamp: report.timestamp,
    results: report.results.map(
      ({ checker, passed, critical }) =>
        ({
          checker,
          passed,
          ...(critical === false && { critical }),
        }) as HealthReport['results'][number],
    ),
  };
}
