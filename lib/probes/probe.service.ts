import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { HealthMonitor } from '../checks/health.monitor.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';

/** The Kubernetes probes, named after their tags. */
export type ProbeName = 'liveness' | 'readiness' | 'startup';

/**
 * The Kubernetes probes: the reports of their groups, as the status model decides them (readiness fails once
 * shutdown begins and while drained, startup stays passed once it has passed). Holds the shutdown for `shutdownDelay`.
 */
@Injectable()
export class ProbeService implements OnModuleDestroy {
  constructor(
    private readonly monitor: HealthMonitor,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  liveness(): HealthReport | Promise<HealthReport> {
    return this.monitor.current({ tag: 'liveness' });
  }

  readiness(): HealthReport | Promise<HealthReport> {
    return this.monitor.current({ tag: 'readiness' });
  }

  startup(): HealthReport | Promise<HealthReport> {
    return this.monitor.current({ tag: 'startup' });
  }

  /** Shutdown begins: readiness fails from now on, and the shutdown waits `shutdownDelay` ms with the server up. */
  async onModuleDestroy(): Promise<void> {
    this.monitor.beginShutdown();
    if (this.options.shutdownDelay > 0) {
      await delay(this.options.shutdownDelay);
    }
  }
}
