import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CheckRegistry } from '../../checks/check.registry.js';
import { HealthMonitor } from '../../checks/health.monitor.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../../healthcheck.constants.js';
import type { HealthCheckResult } from '../../interfaces/check.interface.js';
import type { HealthEvent } from '../../interfaces/health-event.interface.js';
import type { ResolvedHealthcheckOptions } from '../../interfaces/resolved-options.interface.js';
import {
  bindToMeter,
  checkAttributes,
  type HealthInstruments,
  INSTRUMENTATION_SCOPE,
  OTEL_NAMES,
  type OtelMeter,
} from './otel-instruments.js';
import {
  type OtelLogger,
  statusChangeRecord,
  statusName,
} from './otel-log-records.js';
import { loadOtelApi, loadOtelLogsApi } from './otel.loader.js';

/**
 * OpenTelemetry metrics of the health checks (and log records of their status changes), on when the `otel`
 * option is set. The gauges are read from the cache when the meter collects (a collection never runs a check);
 * the durations and status changes are recorded as the monitor reports them.
 */
@Injectable()
export class HealthOtel implements OnModuleInit, OnApplicationShutdown {
  private instruments?: HealthInstruments;
  private logger?: OtelLogger;
  private unbind?: () => void;
  private unsubscribe?: () => void;

  constructor(
    private readonly monitor: HealthMonitor,
    private readonly registry: CheckRegistry,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: Pick<
      ResolvedHealthcheckOptions,
      'otel' | 'showDetails'
    >,
  ) {}

  /** Binds to the meter (and logger) and follows the monitor; does nothing when the `otel` option is off. */
  async onModuleInit(): Promise<void> {
    const { otel } = this.options;
    if (!otel || this.unsubscribe) return;
    const { name, version } = INSTRUMENTATION_SCOPE;
    const meter =
      (otel.meter as OtelMeter | undefined) ??
      (await loadOtelApi()).metrics.getMeter(name, version);
    this.logger =
      (otel.logger as OtelLogger | undefined) ??
      (await loadOtelLogsApi())?.logs.getLogger(name, version);
    const bound = bindToMeter(meter, {
      checks: () => this.monitor.snapshot(),
      overall: () => this.monitor.overall(),
    });
    this.instruments = bound.instruments;
    this.unbind = bound.unbind;
    this.unsubscribe = this.monitor.subscribe((event) => this.record(event));
  }

  /** Stops recording and removes this application's points; other applications on the same meter go on. */
  onApplicationShutdown(): void {
    const { unbind } = this;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unbind = undefined;
    this.instruments = undefined;
    this.logger = undefined;
    // Last, so that a meter that throws here leaves nothing of this application recording.
    unbind?.();
  }

  private record(event: HealthEvent): void {
    const { instruments } = this;
    if (!instruments) return;
    if (event.type === 'result') {
      const check = this.registry.checks.find(
        (candidate) => candidate.name === event.name,
      );
      if (check && !isStandIn(event.result, check.background !== undefined)) {
        instruments.duration.record(
          event.result.response_time,
          checkAttributes(check),
        );
      }
    } else if (event.type === 'check') {
      // The log record goes out even if the counter throws (a meter of the user's own); the hub logs the error.
      try {
        instruments.statusChanges.add(1, {
          [OTEL_NAMES.name]: event.name,
          [OTEL_NAMES.newStatus]: statusName(event.current.passed),
        });
      } finally {
        this.emit(event);
      }
    } else if (event.type === 'overall') {
      this.emit(event);
    }
  }

  private emit(change: Extract<HealthEvent, { type: 'check' | 'overall' }>) {
    // No request asks for a log record: details are shown only when they are shown to everyone.
    this.logger?.emit(
      statusChangeRecord(change, this.options.showDetails === true),
    );
  }
}

/**
 * Whether a background check's result is a stand-in that no run produced (pending, stale): those expire when
 * made, while a run's result lives for the check's interval (at least 1 ms).
 */
function isStandIn(result: HealthCheckResult, background: boolean): boolean {
  return background && result.expires === result.timestamp;
}
