import { hasMethods } from '../shared/has-methods.js';

/** The parts of an amqplib channel (promise API) the AMQP check uses. */
export interface AmqpChannelLike {
  checkExchange(exchange: string): Promise<unknown>;
  close(): Promise<void>;
  readonly connection?: unknown;
}

/** The parts of an amqplib connection (promise API, `connect()`'s result, with or without `recovery`) the check uses. */
export interface AmqpConnectionLike {
  createChannel(): Promise<AmqpChannelLike>;
  createConfirmChannel(): Promise<unknown>;
  close(): Promise<void>;
  readonly connection?: unknown;
}

/** An amqplib connection or channel. */
export type AmqpClientLike = AmqpConnectionLike | AmqpChannelLike;

/** What the AMQP check accepts, for messages. */
export const AMQP_CLIENT_EXPECTED =
  'an amqplib connection (the result of connect()) or channel, promise API';

/** Whether `value` looks like an amqplib connection (ChannelModel or recovering model). */
export function isAmqpConnection(value: unknown): value is AmqpConnectionLike {
  return hasMethods(value, [
    'createChannel',
    'createConfirmChannel',
    'close',
    'on',
  ]);
}

/** Whether `value` looks like an amqplib channel. */
export function isAmqpChannel(value: unknown): value is AmqpChannelLike {
  return hasMethods(value, ['checkExchange', 'checkQueue', 'consume', 'close']);
}

/** Whether `value` is an amqplib connection or channel. */
export function isAmqpClient(value: unknown): value is AmqpClientLike {
  return isAmqpConnection(value) || isAmqpChannel(value);
}

interface RecoveringCore {
  _model?: { connection?: unknown } | null;
  _stopped?: boolean;
}

/**
 * For a connection made with `recovery`: `down` while it waits to reconnect (channel operations would wait for
 * the next connection). Reads amqplib's internal state; `unknown` when that state is not there.
 */
export function recoveryState(
  client: AmqpConnectionLike,
): 'up' | 'down' | 'unknown' {
  const core = (client as { _core?: RecoveringCore })._core;
  if (typeof core !== 'object' || core === null || !('_model' in core)) {
    return 'unknown';
  }
  return core._model ? 'up' : 'down';
}

const lastTarget = new WeakMap<object, string>();

/** `amqp at 127.0.0.1:5672`, from the connection's socket; the last address seen once the socket is gone. */
export function amqpTarget(client: AmqpClientLike): string {
  const core = (client as { _core?: RecoveringCore })._core;
  const connection = (core?._model ?? client).connection as
    { stream?: { remoteAddress?: unknown; remotePort?: unknown } } | undefined;
  const address = connection?.stream?.remoteAddress;
  const port = connection?.stream?.remotePort;
  if (typeof address === 'string' && typeof port === 'number') {
    lastTarget.set(client, `amqp at ${address}:${port}`);
  }
  return lastTarget.get(client) ?? 'the amqp broker';
}
