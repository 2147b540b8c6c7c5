import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';
import { presentResult } from './presentation.js';

/** Status values of draft-inadarei-api-health-check. */
export type IetfStatus = 'pass' | 'warn' | 'fail';

/** One entry of the draft's `checks` object. */
export interface IetfCheck {
  componentId: string;
  status: IetfStatus;
  time: string;
  output?: string;
  observedValue?: unknown;
  observedUnit?: string;
  /** Links of the check; `runbook` when the check has one. */
  links?: Record<string, string>;
}

/** A report in the draft's `application/health+json` format. */
export interface IetfReport {
  status: IetfStatus;
  description: string;
  checks: Record<string, IetfCheck[]>;
}

export const IETF_CONTENT_TYPE = 'application/health+json; charset=utf-8';

/**
 * Converts a report to draft-inadarei-api-health-check: a failed non-critical check and a degraded check are
 * `warn`, and `output` is only given for warn and fail, as the draft asks. `showDetails: false` leaves out outputs and measurements.
 */
export function toIetfReport(
  report: HealthReport,
  showDetails: boolean,
): IetfReport {
  const checks: Record<string, IetfCheck[]> = {};
  for (const result of report.results) {
    checks[result.checker] = [
      toIetfCheck(result, presentResult(result, showDetails)),
    ];
  }
  return {
    status:
      report.status === 'failure' ? 'fail' : report.degraded ? 'warn' : 'pass',
    description: `health of ${report.hostname}`,
    checks,
  };
}

/** One check in the draft's shape: status and time from the result, the details from what its audience may see. */
function toIetfCheck(
  result: HealthCheckResult,
  shown: HealthCheckResult,
): IetfCheck {
  const status: IetfStatus = result.passed
    ? result.degraded
      ? 'warn'
      : 'pass'
    : result.critical === false
      ? 'warn'
      : 'fail';
  const check: IetfCheck = {
    componentId: result.checker,
    status,
    time: new Date(result.timestamp * 1000).toISOString(),
  };
  if (result.runbook !== undefined) check.links = { runbook: result.runbook };
  if (status !== 'pass' && shown.output != null) {
    check.output =
      typeof shown.output === 'string'
        ? shown.output
        : JSON.stringify(shown.output);
  }
  if (shown.observedValue !== undefined) {
    check.observedValue = shown.observedValue;
  }
  if (shown.observedUnit !== undefined) {
    check.observedUnit = shown.observedUnit;
  }
  return check;
}
