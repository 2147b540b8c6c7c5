import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
} from '@nestjs/common';
import { CheckRegistry } from '../checks/check.registry.js';
import { describeThrown } from '../checks/describe-thrown.js';
import { HealthMonitor } from '../checks/health.monitor.js';
import { LOGGER_CONTEXT } from '../healthcheck.constants.js';
import {
  grpcUnknownService,
  grpcWatchFailed,
} from '../healthcheck.messages.js';
import {
  loadHealthServiceDefinition,
  type HealthServiceDefinition,
} from './grpc-health.loader.js';
import {
  GRPC_STATUS,
  type GrpcHealthServer,
  type HealthCallback,
  type HealthCheckRequest,
  type HealthUnaryCall,
  type HealthWatchCall,
  type ServingStatus,
} from './grpc-health.types.js';
import { healthServices, type HealthTarget } from './health-services.js';
import { HealthStatusReader } from './health-status.reader.js';
import { HealthWatch, type HealthWatchSource } from './health-watch.js';

type HealthCheckResponse = { status: ServingStatus };
type HealthListResponse = { statuses: Record<string, HealthCheckResponse> };

/**
 * The standard gRPC health service (grpc.health.v1.Health: Check, Watch, List) over the application's checks,
 * for a @grpc/grpc-js server. Service "" is every check, `liveness`/`readiness`/`startup` the probes, any other
 * name a tag or a check.
 */
@Injectable()
export class GrpcHealthService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly reader: HealthStatusReader;
  private readonly watches = new Set<HealthWatch>();
  private definition?: Promise<HealthServiceDefinition>;
  private loaded?: HealthServiceDefinition;
  private services?: {
    checks: CheckRegistry['checks'];
    targets: ReadonlyMap<string, HealthTarget>;
  };
  private closed = false;

  constructor(
    private readonly registry: CheckRegistry,
    private readonly monitor: HealthMonitor,
  ) {
    this.reader = new HealthStatusReader(monitor);
  }

  /**
   * Loads the optional peer grpc-health-check, so that a later `addToServer` registers at once. Rejects with a
   * message naming what to install when it is missing.
   */
  async load(): Promise<void> {
    this.definition ??= loadHealthServiceDefinition().then(
      (definition) => (this.loaded = definition),
    );
    try {
      await this.definition;
    } catch (error) {
      this.definition = undefined;
      throw error;
    }
  }

  /**
   * Registers grpc.health.v1.Health on a @grpc/grpc-js server; await it. Once `load()` has resolved, the
   * service is registered before this returns, which is what Nest's `onLoadPackageDefinition` hook needs.
   */
  addToServer(server: GrpcHealthServer): Promise<void> {
    if (this.loaded) {
      try {
        this.register(server, this.loaded);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.load().then(() => this.register(server, this.loaded!));
  }

  /**
   * Ends every open Watch stream once the shutdown delay is over and before Nest closes its servers, each after
   * a last NOT_SERVING (as grpc-go's and grpc-java's health servers do): a graceful gRPC shutdown waits for open
   * calls, so a Watch left open would hold it forever.
   */
  beforeApplicationShutdown(): void {
    this.closed = true;
    for (const watch of this.watches) watch.end();
  }

  private register(
    server: GrpcHealthServer,
    definition: HealthServiceDefinition,
  ): void {
    server.addService(definition, {
      Check: (
        call: HealthUnaryCall<HealthCheckRequest>,
        callback: HealthCallback<HealthCheckResponse>,
      ) => this.check(call.request.service ?? '', callback),
      Watch: (call: HealthWatchCall) => this.watch(call),
      List: (
        _call: HealthUnaryCall<unknown>,
        callback: HealthCallback<HealthListResponse>,
      ) => this.list(callback),
    });
  }

  private check(
    service: string,
    callback: HealthCallback<HealthCheckResponse>,
  ): void {
    const target = this.targets().get(service);
    if (!target) {
      callback({
        code: GRPC_STATUS.NOT_FOUND,
        details: grpcUnknownService(service),
      });
      return;
    }
    this.reader.run(target).then(
      (status) => callback(null, { status }),
      (error: unknown) =>
        callback({
          code: GRPC_STATUS.INTERNAL,
          details: describeThrown(error),
        }),
    );
  }

  private watch(call: HealthWatchCall): void {
    if (this.closed) {
      call.end();
      return;
    }
    const source: HealthWatchSource = {
      initial: (service) =>
        this.read(service, (target) => this.reader.run(target)),
      current: (service) =>
        this.read(service, (target) => this.reader.peek(target)),
      subscribe: (listener) => this.monitor.subscribe(listener),
    };
    this.watches.add(
      new HealthWatch(call, source, (watch) => this.watches.delete(watch)),
    );
  }

  /** Every known service with its status: every expired on-demand check runs once, then all read the cache. */
  private async list(
    callback: HealthCallback<HealthListResponse>,
  ): Promise<void> {
    try {
      await this.monitor.current();
      const statuses: Record<string, HealthCheckResponse> = {};
      for (const [service, target] of this.targets()) {
        statuses[service] = { status: await this.reader.peek(target) };
      }
      callback(null, { statuses });
    } catch (error) {
      callback({ code: GRPC_STATUS.INTERNAL, details: describeThrown(error) });
    }
  }

  /** A Watch's status: SERVICE_UNKNOWN for a name unknown so far, UNKNOWN (logged) if reading failed. */
  private async read(
    service: string,
    evaluate: (target: HealthTarget) => Promise<ServingStatus>,
  ): Promise<ServingStatus> {
    const target = this.targets().get(service);
    if (!target) return 'SERVICE_UNKNOWN';
    try {
      return await evaluate(target);
    } catch (error) {
      this.logger.error(grpcWatchFailed(service, describeThrown(error)));
      return 'UNKNOWN';
    }
  }

  /** The service names, rebuilt only when a check is added. */
  private targets(): ReadonlyMap<string, HealthTarget> {
    const { checks } = this.registry;
    if (this.services?.checks !== checks) {
      this.services = { checks, targets: healthServices(checks) };
    }
    return this.services.targets;
  }
}
