import type { FactoryProvider, ModuleMetadata, Type } from '@nestjs/common';
import type { HealthReport } from './check.interface.js';
import type { EnvironmentOptions } from './environment.interface.js';

/** Builds the response body from a report; a string is sent as it is, anything else as JSON. */
export type HealthReportHandler = (report: HealthReport) => unknown;

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
}

/** Options that decide which routes exist; they must be known before the factory of `forRootAsync` runs. */
export interface HealthcheckRouteOptions {
  /** Route of the health report; default `healthcheck`. */
  path?: string;
  /** Enables the environment route (`true`, or `{ path }`); off unless given. */
  environment?: boolean | { path?: string };
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
