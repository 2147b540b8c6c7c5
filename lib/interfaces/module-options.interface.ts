import type {
  CanActivate,
  FactoryProvider,
  ModuleMetadata,
  Type,
} from '@nestjs/common';
import type { HealthCheckResult, HealthReport } from './check.interface.js';
import type { HealthRequest } from '../access/health-request.js';
import type { HealthCheckDefinition } from '../ready-checks/health-check.definition.js';
import type { EnvironmentOptions } from './environment.interface.js';

/** Builds the response body from a report; a string is sent as it is, anything else as JSON. */
export type HealthReportHandler = (report: HealthReport) => unknown;

/**
 * Body format of the health routes: `json`, the report of this module (`hostname`, `status`, `timestamp`,
 * `results`), or `ietf`, `application/health+json`. `seed` is accepted as an alias of `json`.
 */
export type ReportFormat = 'json' | 'ietf' | 'seed';

/**
 * Decides per request whether the caller sees check outputs. It gets a HealthRequest (method, url, lower-case
 * headers, remoteAddress), the same on Express, Fastify and the health server.
 */
export type ShowDetailsPredicate = (request: HealthRequest) => boolean;

/** Decorators applied to the generated controllers, e.g. `Public()` or `SkipThrottle()`. */
export type HealthcheckDecorators = Array<ClassDecorator | MethodDecorator>;

/** Options of the module's own HTTP server for the health routes. */
export interface HealthcheckServerOptions {
  /** Port to listen on; `0` picks a free one (see `HealthcheckServer.address()`). */
  port: number;
  /** Address to listen on; default: every interface, as Node.js does. */
  host?: string;
  /** `true` also keeps the routes on the application's own HTTP server. Default false: they move here. */
  keepAppRoutes?: boolean;
  /**
   * Decides who may read the environment dump on this server (Nest guards do not run here), from a HealthRequest
   * as `showDetails` gets it. Without it, the environment route answers 403 on this server.
   */
  authorize?: (request: HealthRequest) => boolean | Promise<boolean>;
  /**
   * Most connections the health server holds at once; further ones are closed at once. Default: no cap. Idle
   * and slow clients are cut off anyway (headers within 5 s, a request within 10 s, keep-alive for 5 s).
   */
  maxConnections?: number;
  /**
   * Serves this server from a worker thread, so that probes are answered while the main thread's event loop is
   * busy: `true`, or the two limits (milliseconds) of the main thread's heartbeat. Checks that run on demand run
   * in the background at their TTL in this mode.
   */
  thread?: boolean | HealthServerThreadOptions;
  /**
   * `true` adds `POST <path>/drain?forMs=N&reason=...` and `DELETE <path>/drain` to this server, each allowed
   * only when `authorize` allows the request (403 otherwise). Default false.
   */
  drainRoute?: boolean;
}

/** The limits of the threaded health server (option `server.thread`), in milliseconds. */
export interface HealthServerThreadOptions {
  /** Readiness and the report fail once the main thread's heartbeat is older than this. Default 2000. */
  notReadyAfter?: number;
  /** Liveness (and startup) fail once the main thread's heartbeat is older than this. Default 30000. */
  notLiveAfter?: number;
}

/** A check, or the overall status of all checks, flipped between passing and failing. */
export type HealthStatusChange =
  | {
      type: 'check';
      name: string;
      /** The last result before the flip; undefined for a check's first result. */
      previous: HealthCheckResult | undefined;
      current: HealthCheckResult;
    }
  | {
      type: 'overall';
      previous: HealthReport['status'];
      current: HealthReport['status'];
    };

/** Called on every status flip; may return a Promise. Errors are logged and otherwise ignored. */
export type HealthStatusListener = (change: HealthStatusChange) => unknown;

/** Nest guards, as classes or instances. */
export type HealthcheckGuards = Array<Type<CanActivate> | CanActivate>;

/** Options of `HealthcheckModule.forRoot()`. */
export interface HealthcheckModuleOptions {
  /** Route of the health report; default `healthcheck`. */
  path?: string;
  /** Milliseconds a passing result is cached; default 27000; `null` or `0` = not cached. */
  successTtl?: number | null;
  /** Milliseconds a failing result is cached; default 9000; `null` or `0` = not cached. */
  failedTtl?: number | null;
  /** Default per-check timeout in milliseconds; default 10000. */
  timeout?: number;
  /** HTTP status when every check passed; default 200. */
  successStatus?: number;
  /** HTTP status when a check failed; default 500. */
  failedStatus?: number;
  /** Headers added to a passing response. */
  successHeaders?: Record<string, string>;
  /** Headers added to a failing response. */
  failedHeaders?: Record<string, string>;
  /** Body of a passing response; default: the report. */
  successHandler?: HealthReportHandler;
  /** Body of a failing response; default: the report. */
  failedHandler?: HealthReportHandler;
  /** The environment dump: off unless given; `true` = every default. */
  environment?: boolean | EnvironmentOptions;
  /** Body format: `json` (this module's report, default) or `ietf` (application/health+json). */
  format?: ReportFormat;
  /**
   * `false` leaves check outputs out of the HTTP bodies (status and names only); a function decides per request.
   * Default true.
   */
  showDetails?: boolean | ShowDetailsPredicate;
  /** Largest serialized output of one check in bytes; longer ones are truncated with a marker. Default 4096. */
  maxOutputBytes?: number;
  /** Ready-made checks from the `checks` namespace, e.g. `checks.http('payments', { url })`. */
  checks?: HealthCheckDefinition[];
  /** Serves the health routes on a server of the module's own (for workers, microservices, guarded apps). */
  server?: HealthcheckServerOptions;
  /** Decorators applied to the generated controllers, e.g. `Public()` or `SkipThrottle()`. */
  decorators?: HealthcheckDecorators;
  /** Milliseconds the shutdown waits, with /ready failing, before the HTTP server closes. Default 0. */
  shutdownDelay?: number;
  /** Called when a check or the overall status flips. */
  onStatusChange?: HealthStatusListener;
  /**
   * Guards applied to the health routes on the application's server, the environment route included. Refused
   * with `server` unless `server.keepAppRoutes` is true: guards do not run on the health server.
   */
  guards?: HealthcheckGuards;
  /** `false` leaves the routes out of @nestjs/swagger's document. Default true (when it is installed). */
  swagger?: boolean;
  /** Prometheus metrics through prom-client: `true`, or a registry and a metric name prefix. Off by default. */
  metrics?: boolean | HealthcheckMetricsOptions;
  /**
   * OpenTelemetry metrics (and log records of status changes): `true` uses the global MeterProvider of
   * `@opentelemetry/api`; an object may give a Meter and a Logger of your own. Off by default.
   */
  otel?: boolean | HealthcheckOtelOptions;
  /**
   * The status history at `<path>/history`: how many changes it keeps. Default `{ size: 100 }`; `false` turns it
   * off (nothing is recorded and the route answers 404).
   */
  history?: false | { size?: number };
  /** The live dashboard at `<path>/ui` (and its event stream at `<path>/events`). Off by default. */
  ui?: boolean | HealthcheckUiOptions;
}

/** Options of the live dashboard. */
export interface HealthcheckUiOptions {
  /** The page's title; default `Health`. */
  title?: string;
  /** Event-stream clients served at once; one more is answered 503. Default 100. */
  maxClients?: number;
}

/** Options of the Prometheus metrics. */
export interface HealthcheckMetricsOptions {
  /** A prom-client `Registry`; default: prom-client's global registry. */
  registry?: unknown;
  /** Prefix of every metric name; default `healthcheck_`. */
  prefix?: string;
}

/** Options of the OpenTelemetry metrics and log records. */
export interface HealthcheckOtelOptions {
  /** An OpenTelemetry `Meter`; default: `metrics.getMeter('nestjs-healthcheck')` from the global MeterProvider. */
  meter?: unknown;
  /**
   * An OpenTelemetry `Logger` for the status-change log records; default: `logs.getLogger('nestjs-healthcheck')`
   * from the global LoggerProvider when `@opentelemetry/api-logs` is installed, else no log records.
   */
  logger?: unknown;
}

/** Options that decide which routes exist; they must be known before the factory of `forRootAsync` runs. */
export interface HealthcheckRouteOptions {
  /** Route of the health report; default `healthcheck`. */
  path?: string;
  /** Enables the environment route (`true`, or `{ path, guards }`); off unless given. */
  environment?: boolean | { path?: string; guards?: HealthcheckGuards };
  /** Guards applied to the health routes. */
  guards?: HealthcheckGuards;
  /** `false` leaves the routes out of @nestjs/swagger's document. Default true (when it is installed). */
  swagger?: boolean;
  /** The module's own health server; the routes move there unless `server.keepAppRoutes` is true. */
  server?: HealthcheckServerOptions;
  /** The live dashboard at `<path>/ui`; off unless given. */
  ui?: boolean | HealthcheckUiOptions;
  /** Decorators applied to the generated controllers. */
  decorators?: HealthcheckDecorators;
}

/** A class that creates the module options, for `forRootAsync({ useClass })`. */
export interface HealthcheckOptionsFactory {
  createHealthcheckOptions():
    HealthcheckModuleOptions | Promise<HealthcheckModuleOptions>;
}

/** Options of `HealthcheckModule.forRootAsync()`. */
export interface HealthcheckModuleAsyncOptions
  extends Pick<ModuleMetadata, 'imports'>, HealthcheckRouteOptions {
  useFactory?: (
    ...args: never[]
  ) => HealthcheckModuleOptions | Promise<HealthcheckModuleOptions>;
  inject?: FactoryProvider['inject'];
  useClass?: Type<HealthcheckOptionsFactory>;
  useExisting?: Type<HealthcheckOptionsFactory>;
}
