import { hasMethods } from '../shared/has-methods.js';
/** The parts of a nats.js (v2) connection the NATS check uses. */
export interface NatsConnectionLike {
  /** Sends PING and waits for PONG; rejects at once with code `DISCONNECT` while the client reconnects. */
  rtt(): Promise<number>;
  flush(): Promise<void>;
  isClosed(): boolean;
  /** The server the client is connected to, `host:port`. */
  getServer(): string;
}

/** What the NATS check accepts, for messages. */
export const NATS_CLIENT_EXPECTED =
  'a nats.js connection (the result of connect())';

/** Whether `value` looks like a nats.js connection. */
export function isNatsConnection(value: unknown): value is NatsConnectionLike {
  return hasMethods(value, [
    'rtt',
    'flush',
    'isClosed',
    'getServer',
    'publish',
    'subscribe',
  ]);
}

const lastServer = new WeakMap<object, string>();

/** `nats at 127.0.0.1:4222`: the current server, else the last one seen, else the bare kind. */
export function natsTarget(connection: NatsConnectionLike): string {
  let server: unknown;
  try {
    server = connection.getServer();
  } catch {
    server = undefined;
  }
  if (typeof server === 'string' && server !== '') {
    lastServer.set(connection, server);
  }
  const known = lastServer.get(connection);
  return known ? `nats at ${known}` : 'nats';
}
