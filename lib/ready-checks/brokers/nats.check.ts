import { natsNotConnected } from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { afterEarlierProbe, trackProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  isNatsConnection,
  NATS_CLIENT_EXPECTED,
  natsTarget,
  type NatsConnectionLike,
} from './nats-client.js';

const PING = 'PING';

/** Options of `checks.nats`. */
export interface NatsCheckOptions {
  /** A nats.js connection, or its DI token. */
  client: unknown;
}

/**
 * Sends a protocol PING on the user's connection (`rtt()`) and waits for the PONG. A closed connection, or one
 * that is reconnecting, fails at once. A PING abandoned at a time-out is answered once the server wakes; until
 * then the next run waits for it rather than adding another.
 */
export function checkNats(
  client: NatsConnectionLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  return timedRoundTrip(
    PING,
    () => natsTarget(client),
    signal,
    async () => {
      natsTarget(client);
      if (client.isClosed()) {
        throw new Error(natsNotConnected('CONNECTION_CLOSED', 'closed'));
      }
      await afterEarlierProbe(client, PING, signal);
      const rtt = client.rtt().catch((error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (code === 'DISCONNECT') {
          throw new Error(natsNotConnected(code, 'reconnecting'));
        }
        throw error;
      });
      trackProbe(client, rtt);
      await (signal ? abortable(rtt, signal) : rtt);
    },
  );
}

/** `checks.nats(name, { client })`: a PING/PONG round trip on a nats.js connection. */
export const nats = Object.assign(
  readyCheck<NatsCheckOptions>('nats', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('nats', own, 'client', NATS_CLIENT_EXPECTED),
      isNatsConnection,
      NATS_CLIENT_EXPECTED,
    );
    natsTarget(client);
    return ({ signal }) => checkNats(client, { signal });
  }),
  { run: checkNats },
);
