import type { HealthCheckDefinition } from '../ready-checks/health-check.definition.js';
import type {
  HealthcheckDecorators,
  HealthcheckGuards,
  HealthcheckServerOptions,
  HealthReportHandler,
  HealthServerThreadOptions,
  HealthStatusListener,
  ShowDetailsPredicate,
} from './module-options.interface.js';

/** Per-check timing settings after defaults are applied; a TTL of 0 means "not cached". */
export interface CheckTiming {
  timeout: number;
  successTtl: number;
  failedTtl: number;
}

/** A body format after the `seed` alias is resolved. */
export type ResolvedReportFormat = 'json' | 'ietf';

export interface ResolvedEnvironmentOptions {
  path: string;
  includeOs: boolean;
  includeNode: boolean;
  includeProcess: boolean;
  includeConfig: boolean;
  config?: () => unknown;
  scrub: Array<string | RegExp>;
  showValues: 'always' | 'never';
  guards: HealthcheckGuards;
}

export interface ResolvedServerOptions extends Omit<
  HealthcheckServerOptions,
  'thread'
> {
  keepAppRoutes: boolean;
  /** The heartbeat limits of the threaded health server; null when it runs on the main thread. */
  thread: Required<HealthServerThreadOptions> | null;
  drainRoute: boolean;
}

/** Module options after validation, with every default filled in. */
export interface ResolvedHealthcheckOptions {
  path: string;
  timing: CheckTiming;
  maxOutputBytes: number;
  successStatus: number;
  failedStatus: number;
  successHeaders: Record<string, string>;
  failedHeaders: Record<string, string>;
  successHandler?: HealthReportHandler;
  failedHandler?: HealthReportHandler;
  environment: ResolvedEnvironmentOptions | null;
  format: ResolvedReportFormat;
  showDetails: boolean | ShowDetailsPredicate;
  shutdownDelay: number;
  onStatusChange?: HealthStatusListener;
  guards: HealthcheckGuards;
  swagger: boolean;
  checks: HealthCheckDefinition[];
  server: ResolvedServerOptions | null;
  decorators: HealthcheckDecorators;
  /** Prometheus metrics; null when off. `registry` is a prom-client Registry (the global one when absent). */
  metrics: { registry?: unknown; prefix: string } | null;
  /** OpenTelemetry metrics and log records; null when off. Absent `meter`/`logger`: the global providers'. */
  otel: { meter?: unknown; logger?: unknown } | null;
  /** The ring of status changes served at `<path>/history`; null when off (no route, nothing recorded). */
  history: { size: number } | null;
  /** The dashboard page at `<path>/ui` and its event stream at `<path>/events`; null when off. */
  ui: { title: string; maxClients: number } | null;
}
