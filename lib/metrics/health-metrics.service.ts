import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthMonitor } from '../checks/health.monitor.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import { metricNameTaken } from '../healthcheck.messages.js';
import type { HealthEvent } from '../interfaces/health-event.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import {
  METRIC_DEFINITIONS,
  type MetricDefinition,
  type MetricsState,
} from './metric-definitions.js';
import {
  loadPromClient,
  type PromClient,
  type PromMetric,
  type PromRegistry,
} from './prom-client.loader.js';

/**
 * Where a metric reads its samples: one binding per application that exports it. Kept on the metric under a
 * global symbol, so that every instance sharing a registry (two apps in one process, a restarted app, another
 * copy of this package) adds its own series to a metric already in the registry, and removes only its own.
 */
const BINDINGS = Symbol.for('nestjs-healthcheck.metric-bindings');

interface MetricBinding {
  definition: MetricDefinition;
  state: () => MetricsState;
}

type BoundMetric = PromMetric & { [BINDINGS]?: Set<MetricBinding> };

/**
 * Prometheus collectors for the health checks (prom-client, loaded only when the `metrics` option is set).
 * Every value is read from the runner's cache when the registry is scraped: a scrape never runs a check.
 */
@Injectable()
export class HealthMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly changes = new Map<string, number>();
  private readonly bindings = new Map<BoundMetric, MetricBinding>();
  private unsubscribe?: () => void;

  constructor(
    private readonly monitor: HealthMonitor,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: Pick<ResolvedHealthcheckOptions, 'metrics'>,
  ) {}

  /** Loads prom-client and registers the collectors; does nothing when the `metrics` option is off. */
  async onModuleInit(): Promise<void> {
    const { metrics } = this.options;
    if (!metrics || this.unsubscribe) return;
    const client = await loadPromClient();
    const registry =
      (metrics.registry as PromRegistry | undefined) ?? client.register;
    const state = (): MetricsState => ({
      checks: this.monitor.snapshot(),
      overall: this.monitor.overall(),
      changes: this.changes,
      drained: this.monitor.drainState() !== undefined,
    });
    for (const definition of METRIC_DEFINITIONS) {
      const metric = metricIn(
        client,
        registry,
        metrics.prefix + definition.suffix,
        definition,
      );
      const binding: MetricBinding = { definition, state };
      metric[BINDINGS]!.add(binding);
      this.bindings.set(metric, binding);
    }
    this.unsubscribe = this.monitor.subscribe((event) => this.count(event));
  }

  /**
   * Stops counting and removes this application's series; other applications' series on the same registry stay
   * (the metrics stay registered, for a later instance to take over).
   */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const [metric, binding] of this.bindings) {
      metric[BINDINGS]?.delete(binding);
    }
    this.bindings.clear();
  }

  private count(event: HealthEvent): void {
    if (event.type === 'check') {
      this.changes.set(event.name, (this.changes.get(event.name) ?? 0) + 1);
    }
  }
}

/** The metric of that name: the one already in the registry if this package made it, else a new one. */
function metricIn(
  client: PromClient,
  registry: PromRegistry,
  name: string,
  definition: MetricDefinition,
): BoundMetric {
  const existing = registry.getSingleMetric(name) as BoundMetric | undefined;
  if (existing) {
    if (!(existing[BINDINGS] instanceof Set)) {
      throw new Error(metricNameTaken(name));
    }
    return existing;
  }
  const Metric = definition.type === 'counter' ? client.Counter : client.Gauge;
  const metric: BoundMetric = new Metric({
    name,
    help: definition.help,
    labelNames: definition.labelNames,
    registers: [registry],
    collect: collectBound,
  });
  metric[BINDINGS] = new Set();
  return metric;
}

/**
 * prom-client calls this with the metric as `this` before each scrape: the samples of every bound application.
 * Series with the same labels (the overall status, or checks of the same name in two apps) are the last
 * bound application's, for a gauge, and the sum, for a counter.
 */
function collectBound(this: BoundMetric): void {
  this.reset();
  for (const binding of this[BINDINGS] ?? []) {
    const { definition } = binding;
    for (const { labels, value } of definition.samples(binding.state())) {
      if (definition.type === 'counter') this.inc!(labels, value);
      else this.set!(labels, value);
    }
  }
}
