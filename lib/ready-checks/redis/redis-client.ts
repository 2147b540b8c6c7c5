import { hasMethods } from '../shared/has-methods.js';
import { maskCredentials } from '../shared/describe-client-error.js';
import { describeTarget } from '../shared/describe-target.js';

/** The parts of an ioredis client (or ioredis Cluster) the Redis check uses. */
export interface IoredisLike {
  ping(): Promise<string>;
  /** `wait`, `connecting`, `connect`, `ready`, `close`, `reconnecting` or `end`. */
  readonly status: string;
  readonly options: object;
  readonly isCluster?: boolean;
  readonly startupNodes?: unknown[];
}

/** The parts of a node-redis (v4 and later) client the Redis check uses. */
export interface NodeRedisLike {
  ping(): Promise<string>;
  readonly isOpen: boolean;
  readonly isReady: boolean;
  readonly options?: object;
  /** node-redis 5 and later: a view of the client whose commands take this signal while still unsent. */
  withAbortSignal?(signal: AbortSignal): { ping(): Promise<string> };
}

/** An ioredis or node-redis client. */
export type RedisClientLike = IoredisLike | NodeRedisLike;

/** What the Redis check accepts, for messages. */
export const REDIS_CLIENT_EXPECTED = 'an ioredis or node-redis client';

/** Whether `value` looks like an ioredis client or Cluster. */
export function isIoredisClient(value: unknown): value is IoredisLike {
  const candidate = value as Record<string, unknown>;
  return (
    hasMethods(value, ['ping', 'sendCommand']) &&
    typeof candidate.status === 'string' &&
    typeof candidate.options === 'object' &&
    candidate.options !== null
  );
}

/** Whether `value` looks like a node-redis client (v4 and later). */
export function isNodeRedisClient(value: unknown): value is NodeRedisLike {
  const candidate = value as Record<string, unknown>;
  return (
    hasMethods(value, ['ping', 'sendCommand']) &&
    typeof candidate.isOpen === 'boolean' &&
    typeof candidate.isReady === 'boolean'
  );
}

/** Whether `value` is an ioredis or node-redis client. */
export function isRedisClient(value: unknown): value is RedisClientLike {
  return isIoredisClient(value) || isNodeRedisClient(value);
}

/** `redis at 127.0.0.1:6379`, from the client's options; passwords are never read. */
export function redisTarget(client: RedisClientLike): string {
  if (isIoredisClient(client)) {
    if (client.isCluster === true) {
      const nodes = (client.startupNodes ?? []).map(describeNode);
      return nodes.length > 0
        ? `the redis cluster at ${nodes.join(', ')}`
        : 'the redis cluster';
    }
    const options = client.options as Record<string, unknown>;
    return describeTarget('redis', {
      host: options.host,
      port: options.port,
      socketPath: options.path,
    });
  }
  const options = (client.options ?? {}) as Record<string, unknown>;
  const socket = (options.socket ?? {}) as Record<string, unknown>;
  if (socket.path !== undefined) {
    return describeTarget('redis', { socketPath: socket.path });
  }
  const target = describeTarget('redis', {
    host: socket.host,
    port: socket.port,
    url: options.url,
  });
  return target === 'redis' ? 'redis at localhost:6379' : target;
}

function describeNode(node: unknown): string {
  if (typeof node === 'number') return `localhost:${node}`;
  if (typeof node === 'string') return maskCredentials(node);
  const { host, port } = (node ?? {}) as Record<string, unknown>;
  return `${String(host ?? 'localhost')}:${String(port ?? 6379)}`;
}
