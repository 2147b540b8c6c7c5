export { HealthcheckModule } from './healthcheck.module.js';
export { HealthCheck } from './decorators/health-check.decorator.js';
export { EnvSection } from './decorators/env-section.decorator.js';
export { HealthCheckRunner } from './checks/health-check.runner.js';
export { UnknownSelectionError } from './checks/unknown-selection.error.js';
export { EnvironmentDumpService } from './environment/environment-dump.service.js';
export { GrpcHealthService } from './grpc/grpc-health.service.js';
export { HealthHistory } from './history/health-history.service.js';
export { HealthcheckServer } from './server/healthcheck.server.js';
export { checks } from './ready-checks/checks.js';
export type { HealthRequest } from './access/health-request.js';
export { releaseKafkaAdmin } from './ready-checks/brokers/index.js';
export type {
  HealthCheckContext,
  HealthCheckFunction,
  HealthCheckOptions,
  HealthCheckOutcome,
  HealthCheckResult,
  HealthCheckSelection,
  HealthReport,
  HeldStatus,
} from './interfaces/check.interface.js';
export type {
  EnvironmentOptions,
  EnvSectionSource,
} from './interfaces/environment.interface.js';
export type {
  CheckSnapshot,
  DrainOptions,
  DrainState,
  HealthDrainChange,
  HealthEvent,
  HealthEventListener,
} from './interfaces/health-event.interface.js';
export type {
  HealthcheckDecorators,
  HealthcheckGuards,
  HealthcheckMetricsOptions,
  HealthcheckModuleAsyncOptions,
  HealthcheckModuleOptions,
  HealthcheckOptionsFactory,
  HealthcheckOtelOptions,
  HealthcheckRouteOptions,
  HealthcheckServerOptions,
  HealthServerThreadOptions,
  HealthcheckUiOptions,
  HealthReportHandler,
  HealthStatusChange,
  HealthStatusListener,
  ReportFormat,
  ShowDetailsPredicate,
} from './interfaces/module-options.interface.js';
export type { HealthHistoryEntry } from './history/history-entry.js';
export type {
  CommonCheckOptions,
  DependencyResolver,
  HealthCheckDefinition,
} from './ready-checks/health-check.definition.js';
export type { ReadyCheckBuilder } from './ready-checks/shared/ready-check.js';
export type { ReadyCheckOutcome } from './ready-checks/shared/runnable-ready-check.js';
export type {
  DiskCheckOptions,
  EventLoopCheckOptions,
  HeapCheckOptions,
  RssCheckOptions,
} from './ready-checks/runtime/index.js';
export type {
  DnsCheckOptions,
  HttpCheckOptions,
  HttpStatusExpectation,
  TcpCheckOptions,
} from './ready-checks/network/index.js';
export type { GrpcCheckOptions } from './ready-checks/grpc/index.js';
export type {
  TlsCertificates,
  TlsCheckOptions,
} from './ready-checks/tls/index.js';
export type {
  SmtpCheckOptions,
  SmtpServerOptions,
} from './ready-checks/mail/index.js';
export type { SearchCheckOptions } from './ready-checks/search/index.js';
export type {
  DrizzleCheckOptions,
  KnexCheckOptions,
  MikroOrmCheckOptions,
  Mysql2CheckOptions,
  PgCheckOptions,
  PrismaCheckOptions,
  SequelizeCheckOptions,
  TypeormCheckOptions,
} from './ready-checks/sql/index.js';
export type {
  MongodbCheckOptions,
  MongooseCheckOptions,
} from './ready-checks/mongo/index.js';
export type { RedisCheckOptions } from './ready-checks/redis/index.js';
export type {
  BullmqCheckOptions,
  BullmqLimits,
} from './ready-checks/queues/index.js';
export type { MemcachedCheckOptions } from './ready-checks/cache/index.js';
export type { EtcdCheckOptions } from './ready-checks/coordination/index.js';
export type { LdapCheckOptions } from './ready-checks/directory/index.js';
export type {
  AmqpCheckOptions,
  KafkaCheckOptions,
  MicroserviceCheckOptions,
  MqttCheckOptions,
  NatsCheckOptions,
} from './ready-checks/brokers/index.js';
export type {
  GrpcHealthServer,
  ServingStatus,
} from './grpc/grpc-health.types.js';
export { fromTerminus } from './terminus/from-terminus.js';
export type {
  TerminusIndicatorFunction,
  TerminusIndicatorResult,
  TerminusIndicatorStatus,
} from './terminus/terminus-result.js';
