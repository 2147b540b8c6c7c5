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
 * Where a metric reads its samples. Kept on the metric under a global symbol, so that a later instance (a
 * restarted app, another copy of this package) takes over a metric already in the registry.
 */
const BINDING = Symbol.for('nestjs-healthcheck.metric-binding');

interface MetricBinding {
  definition: MetricDefinition;
  state: () => MetricsState;
}

type BoundMetric = PromMetric & { [BINDING]?: MetricBinding };

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
    private readonly runner: HealthMonitor,
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
      checks: this.runner.snapshot(),
      overall: this.runner.overall(),
      changes: this.changes,
    });
    for (const definition of METRIC_DEFINITIONS) {
      const metric = metricIn(
        client,
        registry,
        metrics.prefix + definition.suffix,
        definition,
      );
      const binding: MetricBinding = { definition, state };
      metric[BINDING] = binding;
      this.bindings.set(metric, binding);
    }
    this.unsubscribe = this.runner.subscribe((event) => this.count(event));
  }

  /** Stops counting and leaves the metrics empty (they stay registered, for a later instance to take over). */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const [metric, binding] of this.bindings) {
      if (metric[BINDING] === binding) metric[BINDING] = undefined;
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
    if (!(BINDING in existing)) throw new Error(metricNameTaken(name));
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
  metric[BINDING] = undefined;
  return metric;
}

/** prom-client calls this with the metric as `this` before each scrape. */
function collectBound(this: BoundMetric): void {
  this.reset();
  const binding = this[BINDING];
  if (!binding) return;
  for (const { labels, value } of binding.definition.samples(binding.state())) {
    if (binding.definition.type === 'counter') this.inc!(labels, value);
    else this.set!(labels, value);
  }
}
