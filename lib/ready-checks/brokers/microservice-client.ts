import { hasMethods } from '../shared/has-methods.js';
import { describeTarget } from '../shared/describe-target.js';

/** A subscription, as rxjs returns it. */
interface SubscriptionLike {
  unsubscribe(): void;
}

/** The parts of an rxjs Observable the microservice check uses. */
export interface ObservableLike<T> {
  subscribe(observer: {
    next?: (value: T) => void;
    error?: (error: unknown) => void;
    complete?: () => void;
  }): SubscriptionLike;
}

/** The parts of a Nest `ClientProxy` (`ClientTCP`, `ClientRedis`, `ClientNats`, `ClientRMQ`, …) the check uses. */
export interface ClientProxyLike {
  connect(): Promise<unknown>;
  close(): unknown;
  send<T = unknown>(pattern: unknown, data: unknown): ObservableLike<T>;
  emit(pattern: unknown, data: unknown): unknown;
}

/** What the microservice check accepts, for messages. */
export const CLIENT_PROXY_EXPECTED =
  'a ClientProxy from @nestjs/microservices (ClientsModule, ClientProxyFactory.create)';

/** Whether `value` looks like a Nest ClientProxy. */
export function isClientProxy(value: unknown): value is ClientProxyLike {
  return hasMethods(value, ['connect', 'close', 'send', 'emit']);
}

/** `microservice ClientTCP at 127.0.0.1:3001`, or the client's class when it tells no host. */
export function clientProxyTarget(client: ClientProxyLike): string {
  const kind = `microservice ${client.constructor?.name || 'ClientProxy'}`;
  const { host, port } = client as { host?: unknown; port?: unknown };
  return describeTarget(kind, { host, port });
}
