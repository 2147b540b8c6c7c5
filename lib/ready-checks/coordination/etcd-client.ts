import { etcdCircuitOpen } from '../../healthcheck.messages.js';
import {
  describeClientError,
  maskCredentials,
} from '../shared/describe-client-error.js';
import { hasMethods } from '../shared/has-methods.js';

/** What etcd answers to Maintenance.Status, as far as the check reads it (64-bit numbers come as strings). */
export interface EtcdStatusLike {
  version?: unknown;
  dbSize?: unknown;
  leader?: unknown;
  /** Alarms and other errors the member reports (etcd 3.4 and later). */
  errors?: unknown;
}

/** A gRPC client interceptor, as far as the check writes one: it may cancel the call it starts. */
export type EtcdCallInterceptor = (
  options: unknown,
  nextCall: (options: unknown) => {
    cancelWithStatus(code: number, details: string): void;
  },
) => unknown;

/** The parts of an etcd3 `Etcd3` client the check uses. */
export interface Etcd3Like {
  readonly maintenance: {
    /** Takes gRPC call options; the check passes `{ interceptors }`. */
    status(options?: object): Promise<EtcdStatusLike>;
  };
  get(key: string): unknown;
  put(key: string): unknown;
  lease(...args: never[]): unknown;
  watch(): unknown;
  close(): void;
}

/** What the etcd check accepts, for messages. */
export const ETCD_CLIENT_EXPECTED = 'an etcd3 client (new Etcd3(...))';

/** Whether `value` looks like an etcd3 `Etcd3` client (a namespace of one has no `maintenance`). */
export function isEtcd3Client(value: unknown): value is Etcd3Like {
  return (
    hasMethods(value, ['get', 'put', 'lease', 'watch', 'close']) &&
    hasMethods((value as { maintenance?: unknown }).maintenance, ['status'])
  );
}

/** `etcd at 127.0.0.1:2379`, from the hosts the client was built with; credentials in a URL are masked. */
export function etcdTarget(client: Etcd3Like): string {
  const options = (client as { options?: { hosts?: unknown } }).options;
  const given = options?.hosts ?? '127.0.0.1:2379';
  const hosts = (Array.isArray(given) ? given : [given])
    .filter((host): host is string => typeof host === 'string' && host !== '')
    .map((host) => maskCredentials(host).replace(/^https?:\/\//, ''));
  return hosts.length > 0 ? `etcd at ${hosts.join(', ')}` : 'etcd';
}

/**
 * An etcd3 rejection as one line: gRPC's empty `Resolution note:` dropped, and an open circuit breaker (which
 * says only that execution was prevented) explained.
 */
export function describeEtcdError(error: unknown): string {
  const text = describeClientError(error).replace(
    /\.?\s*Resolution note:\s*$/,
    '',
  );
  const name = (error as { name?: unknown } | null)?.name;
  const broken =
    name === 'BrokenCircuitError' ||
    (error as object | null)?.constructor?.name === 'BrokenCircuitError';
  return broken ? etcdCircuitOpen(text) : text;
}
