import { hasMethods } from '../shared/has-methods.js';

/** A binary-protocol response, as memjs parses it. */
export interface MemjsResponseLike {
  header: { status: number; opcode: number };
  val?: { toString(): string };
}

/** One server of a memjs client, as far as the check talks to it. */
export interface MemjsServerLike {
  readonly host: string;
  readonly port: number;
  write(request: Uint8Array): void;
  onResponse(seq: number, handle: (response: MemjsResponseLike) => void): void;
  onError(seq: number, handle: (error: unknown) => void): void;
}

/** The parts of a memjs `Client` (`memjs.Client.create(...)`) the memcached check uses. */
export interface MemjsClientLike {
  readonly servers: readonly MemjsServerLike[];
  readonly seq: number;
  incrSeq(): void;
}

/**
 * The parts of a `memcached` package client the check uses. Recognised by its shape only: that package is not
 * among the project's tested clients.
 */
export interface MemcachedPackageLike {
  version(callback: (error: unknown, versions: unknown) => void): unknown;
  readonly servers?: unknown;
}

/** A memjs client, or (untested) a `memcached` package client. */
export type MemcachedClientLike = MemjsClientLike | MemcachedPackageLike;

/** What the memcached check accepts, for messages. */
export const MEMCACHED_CLIENT_EXPECTED =
  'a memjs Client (memjs.Client.create()) or a memcached client';

/** Whether `value` looks like a memjs Client: its servers are reached one by one. */
export function isMemjsClient(value: unknown): value is MemjsClientLike {
  const servers = (value as { servers?: unknown } | null)?.servers;
  return (
    hasMethods(value, ['get', 'set', 'incrSeq', 'perform', 'quit', 'close']) &&
    Array.isArray(servers) &&
    servers.every((server) =>
      hasMethods(server, ['write', 'onResponse', 'onError']),
    )
  );
}

/** Whether `value` looks like a client of the `memcached` package (by shape only; not tested against it). */
export function isMemcachedPackageClient(
  value: unknown,
): value is MemcachedPackageLike {
  return hasMethods(value, [
    'version',
    'stats',
    'get',
    'set',
    'end',
    'connect',
  ]);
}

/** Whether `value` is a client the memcached check takes. */
export function isMemcachedClient(
  value: unknown,
): value is MemcachedClientLike {
  return isMemjsClient(value) || isMemcachedPackageClient(value);
}

/** `memcached at 127.0.0.1:11211`, or every server of the client; credentials are never read. */
export function memcachedTarget(client: MemcachedClientLike): string {
  const servers = isMemjsClient(client)
    ? client.servers.map((server) => `${server.host}:${server.port}`)
    : listedServers(client.servers);
  return servers.length > 0
    ? `memcached at ${servers.join(', ')}`
    : 'memcached';
}

function listedServers(servers: unknown): string[] {
  const list = Array.isArray(servers)
    ? servers
    : typeof servers === 'string'
      ? [servers]
      : typeof servers === 'object' && servers !== null
        ? Object.keys(servers)
        : [];
  // `user:password@host:port` is not a memcached package form, but a password is never shown.
  return list
    .filter((server): server is string => typeof server === 'string')
    .map((server) => server.replace(/^.*@/, ''));
}
