import { amqpNotConnected } from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { afterEarlierProbe, trackProbe } from '../shared/earlier-probe.js';
import { guardCheckedOut } from '../shared/checked-out.guard.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  AMQP_CLIENT_EXPECTED,
  amqpTarget,
  isAmqpChannel,
  isAmqpClient,
  recoveryState,
  type AmqpChannelLike,
  type AmqpClientLike,
  type AmqpConnectionLike,
} from './amqp-client.js';

const OPEN_CLOSE = 'Channel.Open/Close';
const CHECK_EXCHANGE = "checkExchange('amq.direct')";

/** Options of `checks.amqp`. */
export interface AmqpCheckOptions {
  /** An amqplib connection or channel (promise API), or its DI token. */
  client: unknown;
}

/**
 * A round trip that declares nothing. On a connection: opens a channel and closes it (Channel.Open/OpenOk,
 * Channel.Close/CloseOk); a channel that opens after the check gave up is closed when it arrives. On a channel:
 * a passive declare of `amq.direct`, which every AMQP 0-9-1 broker has, so it cannot close the channel. A
 * recovering connection that waits to reconnect fails at once.
 */
export function checkAmqp(
  client: AmqpClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const channel = isAmqpChannel(client);
  const what = channel ? CHECK_EXCHANGE : OPEN_CLOSE;
  amqpTarget(client);
  return timedRoundTrip(
    what,
    () => amqpTarget(client),
    signal,
    async () => {
      await afterEarlierProbe(client, what, signal);
      const work = channel
        ? (client as AmqpChannelLike).checkExchange('amq.direct')
        : openAndClose(client as AmqpConnectionLike, signal);
      trackProbe(client, work);
      await (signal ? abortable(work, signal) : work);
    },
  );
}

async function openAndClose(
  client: AmqpConnectionLike,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (recoveryState(client) === 'down') throw new Error(amqpNotConnected);
  const opened = await client.createChannel();
  // The channel is the check's own: a broker that closes it must not raise an 'error' event nobody handles.
  // The listener stays, as the channel is dropped once closed.
  guardCheckedOut(opened);
  // Closed even when the check has given up meanwhile: nothing stays open on the broker.
  await opened.close();
  signal?.throwIfAborted();
}

/** `checks.amqp(name, { client })`: a round trip on an amqplib connection or channel that declares nothing. */
export const amqp = Object.assign(
  readyCheck<AmqpCheckOptions>('amqp', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('amqp', own, 'client', AMQP_CLIENT_EXPECTED),
      isAmqpClient,
      AMQP_CLIENT_EXPECTED,
    );
    // The socket's address is read while it is open, for the messages of a later outage.
    amqpTarget(client);
    return ({ signal }) => checkAmqp(client, { signal });
  }),
  { run: checkAmqp },
);
