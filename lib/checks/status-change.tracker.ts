import { Logger } from '@nestjs/common';
import { LOGGER_CONTEXT } from '../healthcheck.constants.js';
import {
  checkRecovered,
  checkStartedFailing,
  drainEnded,
  drainStarted,
  statusListenerFailed,
} from '../healthcheck.messages.js';
import type {
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';
import type { DrainState } from '../interfaces/health-event.interface.js';
import type {
  HealthStatusChange,
  HealthStatusListener,
} from '../interfaces/module-options.interface.js';
import { describeThrown } from './describe-thrown.js';

/**
 * Notices when a check or the overall status flips between passing and failing, logs it once and tells the
 * `onStatusChange` listener; logs a drain's start and end. A check's first result is a change only when it fails; the overall status starts
 * as a success.
 */
export class StatusChangeTracker {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private overall: HealthReport['status'] = 'success';

  constructor(private readonly listener?: HealthStatusListener) {}

  checkResult(
    name: string,
    previous: HealthCheckResult | undefined,
    current: HealthCheckResult,
  ): void {
    const wasPassing = previous?.passed ?? true;
    if (wasPassing === current.passed) return;
    if (current.passed) this.logger.log(checkRecovered(name));
    else this.logger.warn(checkStartedFailing(name, summarize(current.output)));
    this.notify({ type: 'check', name, previous, current });
  }

  overallStatus(current: HealthReport['status']): void {
    const previous = this.overall;
    if (previous === current) return;
    this.overall = current;
    this.notify({ type: 'overall', previous, current });
  }

  /**
   * A drain started, was replaced or ended: logged once. `onStatusChange` hears of the overall flip it makes
   * (its change type stays `check` | `overall`); subscribers get the drain event itself from the monitor.
   */
  drainChanged(current: DrainState | undefined): void {
    if (current) this.logger.warn(drainStarted(current.reason, current.until));
    else this.logger.log(drainEnded);
  }

  private notify(change: HealthStatusChange): void {
    if (!this.listener) return;
    const report = (error: unknown) =>
      this.logger.error(statusListenerFailed(describeThrown(error)));
    try {
      const returned = this.listener(change);
      if (returned instanceof Promise) returned.catch(report);
    } catch (error) {
      report(error);
    }
  }
}

function summarize(output: unknown): string {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
