import { describeThrown } from '../checks/describe-thrown.js';
import { metricsNeedPromClient } from '../healthcheck.messages.js';

/** A variable, so that neither TypeScript nor a bundler treats the optional peer as a dependency. */
const PROM_CLIENT_PACKAGE = 'prom-client';

/** The labels of one sample. */
export type MetricLabels = Record<string, string>;

/** What this module uses of a prom-client Gauge or Counter. */
export interface PromMetric {
  readonly name: string;
  reset(): void;
  set?(labels: MetricLabels, value: number): void;
  inc?(labels: MetricLabels, value: number): void;
}

/** What this module uses of a prom-client Registry. */
export interface PromRegistry {
  getSingleMetric(name: string): unknown;
}

/** The configuration prom-client's metric constructors take. */
export interface PromMetricConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
  registers: readonly PromRegistry[];
  collect(this: PromMetric): void;
}

type PromMetricClass = new (config: PromMetricConfig) => PromMetric;

/** What this module uses of the prom-client package. */
export interface PromClient {
  Gauge: PromMetricClass;
  Counter: PromMetricClass;
  register: PromRegistry;
}

/** Loads prom-client on demand; throws a message naming the option and the package when it cannot be loaded. */
export async function loadPromClient(
  load: () => Promise<unknown> = () => import(PROM_CLIENT_PACKAGE),
): Promise<PromClient> {
  let loaded: { default?: PromClient } & Partial<PromClient>;
  try {
    loaded = (await load()) as typeof loaded;
  } catch (error) {
    throw new Error(metricsNeedPromClient(describeThrown(error)), {
      cause: error,
    });
  }
  // prom-client is CommonJS: its exports are named exports and, depending on the loader, also `default`.
  return loaded.Gauge ? (loaded as PromClient) : loaded.default!;
}
