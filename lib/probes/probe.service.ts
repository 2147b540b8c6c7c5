import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { failedResult } from '../checks/check.executor.js';
import { HealthCheckRunner } from '../checks/health-check.runner.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import { readinessShuttingDown } from '../healthcheck.messages.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { assembleReport } from '../report/health-report.js';
import { hostname } from 'node:os';

/** The Kubernetes probes, named after their tags. */
export type ProbeName = 'liveness' | 'readiness' | 'startup';

/**
 * The meaning of the Kubernetes probes on top of the check groups: readiness fails once shutdown begins, and
 * startup stays passed once it has passed.
 */
@Injectable()
export class ProbeService implements OnModuleDestroy {
  private shutdownReport?: HealthReport;
  private startupPassed?: HealthReport;

  constructor(
    private readonly runner: HealthCheckRunner,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  liveness(): HealthReport | Promise<HealthReport> {
    return this.runner.current({ tag: 'liveness' });
  }

  readiness(): HealthReport | Promise<HealthReport> {
    return this.shutdownReport ?? this.runner.current({ tag: 'readiness' });
  }

  startup(): HealthReport | Promise<HealthReport> {
    if (this.startupPassed) return this.startupPassed;
    const report = this.runner.current({ tag: 'startup' });
    return report instanceof Promise
      ? report.then((settled) => this.latchStartup(settled))
      : this.latchStartup(report);
  }

  private latchStartup(report: HealthReport): HealthReport {
    if (report.status === 'success') this.startupPassed = report;
    return report;
  }

  /** The probe's report from cached results only (nothing runs), with the same shutdown and startup rules. */
  peek(probe: ProbeName): HealthReport | Promise<HealthReport> {
    if (probe === 'readiness' && this.shutdownReport)
      return this.shutdownReport;
    if (probe === 'startup' && this.startupPassed) return this.startupPassed;
    return this.runner.peek({ tag: probe });
  }

  /** True from the moment shutdown begins. */
  get shuttingDown(): boolean {
    return this.shutdownReport !== undefined;
  }

  /** Shutdown begins: readiness fails from now on, and the shutdown waits `shutdownDelay` ms with the server up. */
  async onModuleDestroy(): Promise<void> {
    const now = Date.now();
    const shutdown = { name: 'shutdown', critical: true };
    this.shutdownReport = assembleReport(
      hostname(),
      [failedResult(shutdown, readinessShuttingDown, now)],
      now,
    );
    this.runner.announceShutdown();
    if (this.options.shutdownDelay > 0) {
      await delay(this.options.shutdownDelay);
    }
  }
}
