export { HealthcheckModule } from './healthcheck.module.js';
export { HealthCheck } from './decorators/health-check.decorator.js';
export { EnvSection } from './decorators/env-section.decorator.js';
export { HealthCheckRunner } from './checks/health-check.runner.js';
export { EnvironmentDumpService } from './environment/environment-dump.service.js';
export { GrpcHealthService } from './grpc/grpc-health.service.js';
export type {
  HealthCheckContext,
  HealthCheckFunction,
  HealthCheckOptions,
  HealthCheckOutcome,
  HealthCheckResult,
  HealthReport,
} from './interfaces/check.interface.js';
export type {
  EnvironmentOptions,
  EnvSectionSource,
} from './interfaces/environment.interface.js';
export type {
  HealthcheckModuleAsyncOptions,
  HealthcheckModuleOptions,
  HealthcheckOptionsFactory,
  HealthcheckRouteOptions,
  HealthReportHandler,
} from './interfaces/module-options.interface.js';
