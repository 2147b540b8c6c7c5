import type { HealthCheckRunner } from '../checks/health-check.runner.js';
import type { ProbeService } from '../probes/probe.service.js';
import { overallOf } from '../report/overall-status.js';
import type { ServingStatus } from './grpc-health.types.js';
import type { HealthTarget } from './health-services.js';
import { reportServingStatus, resultServingStatus } from './serving-status.js';

/** Reads the serving status of a health service name's target, with the rules of the HTTP routes. */
export class HealthStatusReader {
  constructor(
    private readonly runner: HealthCheckRunner,
    private readonly probes: ProbeService,
  ) {}

  /** What Check answers: runs the target's expired on-demand checks first, exactly like an HTTP probe. */
  async run(target: HealthTarget): Promise<ServingStatus> {
    switch (target.kind) {
      case 'all':
        return reportServingStatus(await this.runner.run());
      case 'probe':
        return reportServingStatus(await this.probes[target.probe]());
      case 'tag':
        return reportServingStatus(await this.runner.run({ tag: target.tag }));
      case 'check': {
        const report = await this.runner.run({ check: target.name });
        return resultServingStatus(report.results[0]);
      }
    }
  }

  /**
   * What Watch follows: the status from the cached results, nothing run. The one exception keeps startup's
   * latch shared with Check and HTTP: a startup group seen passing is confirmed through the probe, which latches.
   */
  async peek(target: HealthTarget): Promise<ServingStatus> {
    switch (target.kind) {
      case 'all':
        // From the cache rather than the full report, so watching "" never evaluates report sections.
        return overallOf(this.runner.snapshot()).status === 'success'
          ? 'SERVING'
          : 'NOT_SERVING';
      case 'probe': {
        const report = await this.probes.peek(target.probe);
        if (target.probe === 'startup' && report.status === 'success') {
          return reportServingStatus(await this.probes.startup());
        }
        return reportServingStatus(report);
      }
      case 'tag':
        return reportServingStatus(await this.runner.peek({ tag: target.tag }));
      case 'check': {
        const check = this.runner
          .snapshot()
          .find(({ name }) => name === target.name);
        return resultServingStatus(check?.result);
      }
    }
  }
}
