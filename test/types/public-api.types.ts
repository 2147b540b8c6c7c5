/**
 * Compiled, never run (`npx tsc -p tsconfig.json --noEmit`): every type that a public signature or the README
 * uses can be named from the package entry point, and the signatures fit together as a user writes them.
 */
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import {
  checks,
  fromTerminus,
  type HealthRequest,
  EnvironmentDumpService,
  EnvSection,
  GrpcHealthService,
  HealthCheck,
  HealthCheckRunner,
  HealthcheckModule,
  HealthcheckServer,
  HealthHistory,
  UnknownSelectionError,
  type CheckSnapshot,
  type CommonCheckOptions,
  type DependencyResolver,
  type DrainOptions,
  type DrainState,
  type EnvironmentOptions,
  type EnvSectionSource,
  type HealthCheckContext,
  type HealthCheckDefinition,
  type HealthCheckFunction,
  type HealthCheckOptions,
  type HealthCheckOutcome,
  type HealthCheckResult,
  type HealthCheckSelection,
  type HealthDrainChange,
  type HealthcheckDecorators,
  type HealthcheckGuards,
  type HealthcheckMetricsOptions,
  type HealthcheckModuleAsyncOptions,
  type HealthcheckModuleOptions,
  type HealthcheckOptionsFactory,
  type HealthcheckOtelOptions,
  type HealthcheckRouteOptions,
  type HealthcheckServerOptions,
  type HealthcheckUiOptions,
  type HealthServerThreadOptions,
  type HealthEvent,
  type HealthEventListener,
  type HealthHistoryEntry,
  type HealthReport,
  type HealthReportHandler,
  type HealthStatusChange,
  type HealthStatusListener,
  type HeldStatus,
  type ReadyCheckBuilder,
  type ReportFormat,
  type ShowDetailsPredicate,
  type TerminusIndicatorFunction,
  type TerminusIndicatorResult,
  type TerminusIndicatorStatus,
  type AmqpCheckOptions,
  type BullmqCheckOptions,
  type BullmqLimits,
  type DiskCheckOptions,
  type DnsCheckOptions,
  type DrizzleCheckOptions,
  type EtcdCheckOptions,
  type EventLoopCheckOptions,
  type GrpcCheckOptions,
  type GrpcHealthServer,
  type HeapCheckOptions,
  type HttpCheckOptions,
  type HttpStatusExpectation,
  type KafkaCheckOptions,
  type KnexCheckOptions,
  type LdapCheckOptions,
  type MemcachedCheckOptions,
  type MicroserviceCheckOptions,
  type MikroOrmCheckOptions,
  type MongodbCheckOptions,
  type MongooseCheckOptions,
  type MqttCheckOptions,
  type Mysql2CheckOptions,
  type NatsCheckOptions,
  type PgCheckOptions,
  type PrismaCheckOptions,
  type ReadyCheckOutcome,
  type RedisCheckOptions,
  type RssCheckOptions,
  type SearchCheckOptions,
  type SequelizeCheckOptions,
  type ServingStatus,
  type SmtpCheckOptions,
  type SmtpServerOptions,
  type TcpCheckOptions,
  type TlsCertificates,
  type TlsCheckOptions,
  type TypeormCheckOptions,
} from 'nestjs-healthcheck';

/** Compiles only when `Actual` and `Expected` are the same type. */
type Equals<Actual, Expected> =
  (<T>() => T extends Actual ? 1 : 2) extends <T>() => T extends Expected
    ? 1
    : 2
    ? true
    : false;
const assertType = <Condition extends true>(): Condition => true as Condition;

class AllowAll implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context !== undefined;
  }
}

// Module options, each option typed by its exported type.
const guards: HealthcheckGuards = [AllowAll, new AllowAll()];
const decorators: HealthcheckDecorators = [(target: object) => void target];
const format: ReportFormat = 'seed';
const showDetails: ShowDetailsPredicate = (request) =>
  (request as { headers: Record<string, string | undefined> }).headers[
    'x-internal'
  ] === 'yes';
const onStatusChange: HealthStatusListener = (change: HealthStatusChange) => {
  if (change.type === 'check') {
    const previous: HealthCheckResult | undefined = change.previous;
    const held: HeldStatus | undefined = change.current.held;
    return [change.name, previous?.passed, held];
  }
  const overall: HealthReport['status'] = change.current;
  return overall;
};
const thread: HealthServerThreadOptions = {
  notReadyAfter: 2_000,
  notLiveAfter: 30_000,
};
const server: HealthcheckServerOptions = {
  port: 0,
  host: '127.0.0.1',
  keepAppRoutes: false,
  authorize: (request: HealthRequest) => request.headers.host !== undefined,
  thread,
};
const metrics: HealthcheckMetricsOptions = { prefix: 'app_health_' };
const otel: HealthcheckOtelOptions = { meter: undefined, logger: undefined };
const ui: HealthcheckUiOptions = { title: 'Ops', maxClients: 10 };
const environment: EnvironmentOptions = { path: 'env', scrub: [/^internal_/] };
const successHandler: HealthReportHandler = (report) => report.status;

const readyMade: HealthCheckDefinition[] = [
  checks.http('payments', { url: 'http://127.0.0.1:8080/health' }),
  checks.tcp('broker', { host: '127.0.0.1', port: 5672, critical: false }),
  checks.heap('heap', { maxUsedRatio: 0.9, tags: ['liveness'] }),
  checks.tls('edge', { host: 'example.test', port: 443, minValidDays: 14 }),
  checks.smtp('mail', { host: '127.0.0.1', port: 25, critical: false }),
];
const common: CommonCheckOptions = {
  tags: ['readiness'],
  failureThreshold: 3,
  successThreshold: 2,
  runbook: 'https://runbooks.example.test/db',
  maxOutputBytes: 1_024,
};

export const options: HealthcheckModuleOptions = {
  guards,
  decorators,
  format,
  showDetails,
  onStatusChange,
  server,
  metrics,
  otel,
  ui,
  environment,
  successHandler,
  checks: readyMade,
  maxOutputBytes: 8_192,
};
export const health = HealthcheckModule.forRoot(options);

const routes: HealthcheckRouteOptions = {
  path: 'health',
  environment: { path: 'env', guards },
  guards,
  swagger: false,
  server,
  ui: { title: 'Ops' },
  decorators,
};
class OptionsFactory implements HealthcheckOptionsFactory {
  createHealthcheckOptions(): HealthcheckModuleOptions {
    return { failedStatus: 503 };
  }
}
const asyncOptions: HealthcheckModuleAsyncOptions = {
  ...routes,
  useClass: OptionsFactory,
};
export const asyncHealth = HealthcheckModule.forRootAsync(asyncOptions);

// Checks and sections.
const checkOptions: HealthCheckOptions = { name: 'db', ...common };
export class DatabaseHealth {
  @HealthCheck(checkOptions)
  ping({ signal }: HealthCheckContext): Promise<HealthCheckOutcome> {
    return Promise.resolve([!signal.aborted, 'ok'] as const);
  }

  @HealthCheck({ name: 'legacy-disk' })
  legacyDisk(): Promise<HealthCheckOutcome> {
    const status: TerminusIndicatorStatus = 'degraded';
    const result: TerminusIndicatorResult = { disk: { status, used: 0.93 } };
    const indicator: TerminusIndicatorFunction = () => Promise.resolve(result);
    return fromTerminus(indicator);
  }

  @EnvSection('application')
  application(): Record<string, unknown> {
    return { name: 'api' };
  }
}
const manual: HealthCheckFunction = () => ({ passed: true, output: 'fine' });
const section: EnvSectionSource = () => Promise.resolve({ region: 'eu' });

// The injectable services and what their methods take and give.
export async function useServices(
  runner: HealthCheckRunner,
  dump: EnvironmentDumpService,
  healthServer: HealthcheckServer,
  history: HealthHistory,
  grpc: GrpcHealthService,
): Promise<unknown[]> {
  runner.addCheck('manual', manual, common);
  runner.addSection('build', section);
  dump.addSection('build', section);
  const selection: HealthCheckSelection = {
    tag: 'readiness',
    exclude: ['manual'],
  };
  let report: HealthReport;
  try {
    report = await runner.run(selection);
  } catch (error) {
    if (error instanceof UnknownSelectionError) {
      const kind: 'check' | 'tag' = error.kind;
      return [kind, error.value];
    }
    throw error;
  }
  const snapshots: CheckSnapshot[] = runner.results();
  const listener: HealthEventListener = (event: HealthEvent) => {
    if (event.type === 'result') void event.result.response_time;
    if (event.type === 'drain') {
      const change: HealthDrainChange = event;
      void change.current?.reason;
    }
  };
  const unsubscribe = runner.subscribe(listener);
  unsubscribe();
  const drain: DrainOptions = { reason: 'deploy', forMs: 60_000 };
  runner.drain(drain);
  const drained: DrainState | undefined = runner.drainState();
  runner.undrain();
  const entries: HealthHistoryEntry[] = history.entries({ showDetails: false });
  await grpc.load();
  return [
    report.results,
    snapshots,
    healthServer.address()?.port,
    entries,
    drained?.until,
  ];
}

export const typeAssertions = [
  assertType<Equals<ReportFormat, 'json' | 'ietf' | 'seed'>>(),
  assertType<Equals<HealthCheckResult['held'], HeldStatus | undefined>>(),
  assertType<Equals<Parameters<HealthStatusListener>[0], HealthStatusChange>>(),
  assertType<
    Equals<
      HealthcheckModuleOptions['showDetails'],
      boolean | ShowDetailsPredicate | undefined
    >
  >(),
  assertType<Equals<CommonCheckOptions, Omit<HealthCheckOptions, 'name'>>>(),
  assertType<
    Equals<ReturnType<HealthCheckRunner['results']>, CheckSnapshot[]>
  >(),
  assertType<
    Equals<
      HealthcheckModuleOptions['checks'],
      HealthCheckDefinition[] | undefined
    >
  >(),
  assertType<
    Equals<
      ReturnType<ReadyCheckBuilder<{ url: string }>>,
      HealthCheckDefinition
    >
  >(),
  assertType<
    Equals<Parameters<HealthCheckDefinition['build']>[0], DependencyResolver>
  >(),
  assertType<
    Equals<Parameters<HealthCheckRunner['subscribe']>[0], HealthEventListener>
  >(),
  assertType<
    Equals<Parameters<HealthCheckRunner['drain']>[0], DrainOptions | undefined>
  >(),
  assertType<
    Equals<ReturnType<HealthCheckRunner['drainState']>, DrainState | undefined>
  >(),
  assertType<
    Equals<
      HealthcheckServerOptions['thread'],
      boolean | HealthServerThreadOptions | undefined
    >
  >(),
  assertType<
    Equals<
      HealthcheckModuleOptions['otel'],
      boolean | HealthcheckOtelOptions | undefined
    >
  >(),
  assertType<
    Equals<
      HealthcheckModuleOptions['ui'],
      boolean | HealthcheckUiOptions | undefined
    >
  >(),
  assertType<
    Equals<Parameters<typeof fromTerminus>[0], TerminusIndicatorFunction>
  >(),
  assertType<
    Equals<ReturnType<typeof fromTerminus>, Promise<HealthCheckOutcome>>
  >(),
  assertType<Equals<TlsCheckOptions['ca'], TlsCertificates | undefined>>(),
];

/** Every ready-made check's own options can be named, as the builders take them. */
export type ReadyCheckOptionTypes = [
  Parameters<typeof checks.eventLoop>[1] extends EventLoopCheckOptions
    ? true
    : never,
  Parameters<typeof checks.heap>[1] extends HeapCheckOptions ? true : never,
  Parameters<typeof checks.rss>[1] extends RssCheckOptions ? true : never,
  Parameters<typeof checks.disk>[1] extends DiskCheckOptions ? true : never,
  Parameters<typeof checks.http>[1] extends HttpCheckOptions ? true : never,
  Parameters<typeof checks.tcp>[1] extends TcpCheckOptions ? true : never,
  Parameters<typeof checks.dns>[1] extends DnsCheckOptions ? true : never,
  Parameters<typeof checks.grpc>[1] extends GrpcCheckOptions ? true : never,
  Parameters<typeof checks.typeorm>[1] extends TypeormCheckOptions
    ? true
    : never,
  Parameters<typeof checks.sequelize>[1] extends SequelizeCheckOptions
    ? true
    : never,
  Parameters<typeof checks.mikroorm>[1] extends MikroOrmCheckOptions
    ? true
    : never,
  Parameters<typeof checks.prisma>[1] extends PrismaCheckOptions ? true : never,
  Parameters<typeof checks.drizzle>[1] extends DrizzleCheckOptions
    ? true
    : never,
  Parameters<typeof checks.knex>[1] extends KnexCheckOptions ? true : never,
  Parameters<typeof checks.pg>[1] extends PgCheckOptions ? true : never,
  Parameters<typeof checks.mysql2>[1] extends Mysql2CheckOptions ? true : never,
  Parameters<typeof checks.mongoose>[1] extends MongooseCheckOptions
    ? true
    : never,
  Parameters<typeof checks.mongodb>[1] extends MongodbCheckOptions
    ? true
    : never,
  Parameters<typeof checks.redis>[1] extends RedisCheckOptions ? true : never,
  Parameters<typeof checks.amqp>[1] extends AmqpCheckOptions ? true : never,
  Parameters<typeof checks.kafka>[1] extends KafkaCheckOptions ? true : never,
  Parameters<typeof checks.nats>[1] extends NatsCheckOptions ? true : never,
  Parameters<typeof checks.microservice>[1] extends MicroserviceCheckOptions
    ? true
    : never,
  Parameters<typeof checks.mqtt>[1] extends MqttCheckOptions ? true : never,
  Parameters<typeof checks.bullmq>[1] extends BullmqCheckOptions ? true : never,
  BullmqCheckOptions extends BullmqLimits ? true : never,
  Parameters<typeof checks.memcached>[1] extends MemcachedCheckOptions
    ? true
    : never,
  Parameters<typeof checks.tls>[1] extends TlsCheckOptions ? true : never,
  Parameters<typeof checks.smtp>[1] extends SmtpCheckOptions ? true : never,
  SmtpServerOptions extends Parameters<typeof checks.smtp.run>[0]
    ? true
    : never,
  Parameters<typeof checks.elasticsearch>[1] extends SearchCheckOptions
    ? true
    : never,
  Parameters<typeof checks.opensearch>[1] extends SearchCheckOptions
    ? true
    : never,
  Parameters<typeof checks.etcd>[1] extends EtcdCheckOptions ? true : never,
  Parameters<typeof checks.ldap>[1] extends LdapCheckOptions ? true : never,
];

export const expectedStatus: HttpStatusExpectation = [200, 299];
export const outcome: Promise<ReadyCheckOutcome> = checks.tcp.run({
  host: '127.0.0.1',
  port: 1,
  signal: AbortSignal.timeout(100),
});
export const addGrpcHealth = (
  service: GrpcHealthService,
  server: GrpcHealthServer,
): Promise<void> => service.addToServer(server);
export const serving: ServingStatus = 'SERVING';
export const readyCheckOptionTypes: ReadyCheckOptionTypes = [
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
];
