import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthMonitor } from '../checks/health.monitor.js';
import { presentHistoryEntry } from '../report/presentation.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { type HealthHistoryEntry, toHistoryEntry } from './history-entry.js';
import { RingBuffer } from './ring-buffer.js';

/** Keeps the latest status changes of every check and of the overall status, and drains, up to `history.size`. */
@Injectable()
export class HealthHistory implements OnApplicationShutdown {
  private readonly ring: RingBuffer<HealthHistoryEntry>;
  private unsubscribe?: () => void;

  constructor(
    monitor: HealthMonitor,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    options: Pick<ResolvedHealthcheckOptions, 'history'>,
  ) {
    this.ring = new RingBuffer(options.history?.size ?? 0);
    if (!options.history) return;
    this.unsubscribe = monitor.subscribe((event) => {
      if (
        event.type === 'check' ||
        event.type === 'overall' ||
        event.type === 'drain'
      ) {
        this.ring.push(toHistoryEntry(event, Date.now()));
      }
    });
  }

  /** The kept changes, newest first; without the checks' outputs when `showDetails` is false. */
  entries({ showDetails }: { showDetails: boolean }): HealthHistoryEntry[] {
    const entries = this.ring.newestFirst();
    return entries.map((entry) => presentHistoryEntry(entry, showDetails));
  }

  /** Stops recording; the kept changes stay readable. */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
