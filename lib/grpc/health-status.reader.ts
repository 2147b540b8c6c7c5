import type { HealthMonitor } from '../checks/health.monitor.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import type { ServingStatus } from './grpc-health.types.js';
import type { HealthTarget } from './health-services.js';
import { reportServingStatus } from './serving-status.js';

/** Reads the serving status of a health service name's target from the status model, as the HTTP routes do. */
export class HealthStatusReader {
  constructor(
    private readonly monitor: Pick<
      HealthMonitor,
      'current' | 'peek' | 'overall'
    >,
  ) {}

  /** What Check answers: runs the target's expired on-demand checks first, exactly like an HTTP probe. */
  async run(target: HealthTarget): Promise<ServingStatus> {
    return servingStatusOf(
      target,
      await this.monitor.current(selectionOf(target)),
    );
  }

  /** What Watch follows: the status from the cached results, nothing run. */
  async peek(target: HealthTarget): Promise<ServingStatus> {
    if (target.kind === 'all') {
      // From the overall status rather than the full report, so watching "" never evaluates report sections.
      return this.monitor.overall().status === 'success'
        ? 'SERVING'
        : 'NOT_SERVING';
    }
    return servingStatusOf(
      target,
      await this.monitor.peek(selectionOf(target)),
    );
  }
}

function selectionOf(target: HealthTarget) {
  switch (target.kind) {
    case 'all':
      return undefined;
    case 'probe':
      return { tag: target.probe };
    case 'tag':
      return { tag: target.tag };
    case 'check':
      return { check: target.name };
  }
}

/**
 * A check's service is UNKNOWN until the check has a result, then SERVING while it passes (a non-critical one
 * included) and the report of it does not fail (shutdown, drain). Any other service follows its report's status.
 */
function servingStatusOf(
  target: HealthTarget,
  report: HealthReport,
): ServingStatus {
  if (target.kind !== 'check') return reportServingStatus(report);
  const result = report.results.find(({ checker }) => checker === target.name);
  if (!result) return 'UNKNOWN';
  return result.passed && report.status === 'success'
    ? 'SERVING'
    : 'NOT_SERVING';
}
