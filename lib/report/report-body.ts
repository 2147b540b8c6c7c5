import type { HealthReport } from '../interfaces/check.interface.js';
import type { HealthReportHandler } from '../interfaces/module-options.interface.js';
import type { ResolvedReportFormat } from '../interfaces/resolved-options.interface.js';
import { toJsonSafe } from '../serialization/to-json-safe.js';
import type { TimestampedBody } from './http-response.js';
import { toIetfReport } from './ietf-report.js';
import { presentReport } from './presentation.js';

export interface BodyOptions {
  format: ResolvedReportFormat;
  showDetails: boolean;
  handler?: HealthReportHandler;
}

/**
 * The body for a report: the handler's value if there is a handler (a string as it is, anything else as
 * JSON), else the report in the chosen format, without outputs when `showDetails` is false. The JSON format's
 * `timestamp` is left open, to be the time of each answer.
 */
export function formatReportBody(
  report: HealthReport,
  { format, showDetails, handler }: BodyOptions,
): string | TimestampedBody {
  if (format === 'ietf' && !handler) {
    return JSON.stringify(toIetfReport(report, showDetails));
  }
  const shown = presentReport(report, showDetails);
  return handler ? serializeBody(handler(shown)) : splitAtTimestamp(shown);
}

/** The report serialized in its key order, split where the value of `timestamp` goes. */
export function splitAtTimestamp(report: HealthReport): TimestampedBody {
  const { timestamp, results, ...head } = report;
  void timestamp;
  const headJson = JSON.stringify(head);
  const opening = headJson === '{}' ? '{' : `${headJson.slice(0, -1)},`;
  return {
    head: `${opening}"timestamp":`,
    tail: `,"results":${JSON.stringify(results)}}`,
  };
}

/** Any value as a response body: a string as it is, anything else as JSON that always encodes. */
export function serializeBody(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(toJsonSafe(value));
}
