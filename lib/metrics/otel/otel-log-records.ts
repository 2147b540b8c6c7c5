import {
  otelCheckFailing,
  otelCheckRecovered,
  otelOverallChanged,
} from '../../healthcheck.messages.js';
import type { HealthStatusChange } from '../../interfaces/module-options.interface.js';
import { presentResult } from '../../report/presentation.js';
import { OTEL_NAMES } from './otel-instruments.js';

/** OpenTelemetry severity numbers (SeverityNumber of `@opentelemetry/api-logs`). */
const SEVERITY = {
  INFO: 9,
  WARN: 13,
} as const;

/** What this module emits through an OpenTelemetry `Logger`. */
export interface OtelLogRecord {
  eventName: string;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Record<string, string | boolean>;
}

/** What this module uses of an OpenTelemetry `Logger`. */
export interface OtelLogger {
  emit(record: OtelLogRecord): void;
}

/** Event names of the log records. */
export const OTEL_EVENTS = {
  check: 'health_check.status_change',
  overall: 'health_check.overall.status_change',
} as const;

/** Attribute keys of the log records, beside the metrics' name and status. */
export const OTEL_LOG_ATTRIBUTES = {
  output: 'health_check.output',
  runbook: 'health_check.runbook',
  overallStatus: 'health_check.overall.status',
} as const;

/**
 * The log record of a status change. A check's output is taken from `presentResult`, as a reader without a
 * request sees it: shown only when `showDetails` is true (outputs are scrubbed when a result is made).
 */
export function statusChangeRecord(
  change: Extract<HealthStatusChange, { type: 'check' | 'overall' }>,
  showDetails: boolean,
): OtelLogRecord {
  if (change.type === 'overall') {
    return {
      eventName: OTEL_EVENTS.overall,
      ...severity(change.current === 'success'),
      body: otelOverallChanged(change.current),
      attributes: { [OTEL_LOG_ATTRIBUTES.overallStatus]: change.current },
    };
  }
  const { name, current } = change;
  const shown = presentResult(current, showDetails);
  const attributes: OtelLogRecord['attributes'] = {
    [OTEL_NAMES.name]: name,
    [OTEL_NAMES.newStatus]: statusName(current.passed),
    [OTEL_NAMES.critical]: current.critical !== false,
  };
  if (shown.output !== undefined && shown.output !== null) {
    attributes[OTEL_LOG_ATTRIBUTES.output] = outputText(shown.output);
  }
  if (shown.runbook !== undefined) {
    attributes[OTEL_LOG_ATTRIBUTES.runbook] = shown.runbook;
  }
  return {
    eventName: OTEL_EVENTS.check,
    ...severity(current.passed),
    body: current.passed ? otelCheckRecovered(name) : otelCheckFailing(name),
    attributes,
  };
}

/** The status a change counter and a log record name: `passing` or `failing`. */
export const statusName = (passed: boolean): 'passing' | 'failing' =>
  passed ? 'passing' : 'failing';

function severity(
  healthy: boolean,
): Pick<OtelLogRecord, 'severityNumber' | 'severityText'> {
  return healthy
    ? { severityNumber: SEVERITY.INFO, severityText: 'INFO' }
    : { severityNumber: SEVERITY.WARN, severityText: 'WARN' };
}

/** An output as one attribute value: text as it is, anything else as its JSON (outputs are JSON-safe). */
function outputText(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output);
}
