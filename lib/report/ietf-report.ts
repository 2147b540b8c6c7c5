import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';
import { presentReport } from './presentation.js';

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
 * Converts a report to draft-inadarei-api-health-check: a failed non-critical check is `warn`, and `output` is
 * only given for warn and fail, as the draft asks. `showDetails: false` leaves out outputs and measurements.
 */
export function toIetfReport(
  report: HealthReport,
  showDetails: boolean,
): IetfReport {
  const checks: Record<string, IetfCheck[]> = {};
  for (const result of presentReport(report, showDetails).results) {
    checks[result.checker] = [toIetfCheck(result)];
  }
  return {
    status:
      report.status === 'failure' ? 'fail' : report.degraded ? 'warn' : 'pass',
    description: `health of ${report.hostname}`,
    checks,
  };
}

/** One check in the draft's shape, from a result already presented to its audience. */
function toIetfCheck(result: HealthCheckResult): IetfCheck {
  const status: IetfStatus = result.passed
    ? 'pass'
    : result.critical === false
      ? 'warn'
      : 'fail';
  const check: IetfCheck = {
    componentId: result.checker,
    status,
    time: new Date(result.timestamp * 1000).toISOString(),
  };
  if (result.runbook !== undefined) check.links = { runbook: result.runbook };
  if (status !== 'pass' && result.output != null) {
    check.output =
      typeof result.output === 'string'
        ? result.output
        : JSON.stringify(result.output);
  }
  if (result.observedValue !== undefined) {
    check.observedValue = result.observedValue;
  }
  if (result.observedUnit !== undefined) {
    check.observedUnit = result.observedUnit;
  }
  return check;
}
