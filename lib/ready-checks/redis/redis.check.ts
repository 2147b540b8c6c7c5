import {
  redisClientNotConnected,
  unexpectedReply,
} from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { describeValue } from '../../serialization/describe-value.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { afterEarlierProbe, trackProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  isIoredisClient,
  isRedisClient,
  REDIS_CLIENT_EXPECTED,
  redisTarget,
  type RedisClientLike,
} from './redis-client.js';

const PING = 'PING';

/** Options of `checks.redis`. */
export interface RedisCheckOptions {
  /** An ioredis client or Cluster, a node-redis client, or the DI token of one. */
  client: unknown;
}

/**
 * Sends `PING` on the user's client and expects `PONG`. A client known to be down (ioredis `reconnecting`,
 * node-redis not ready) fails at once instead of queueing the command; the state never makes the check pass.
 * A PING abandoned at a time-out stays queued on the client (ioredis cannot take a command back) and is
 * answered in order once the server wakes; until then the next run waits for it rather than adding another.
 */
export function checkRedis(
  client: RedisClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  return timedRoundTrip(
    PING,
    () => redisTarget(client),
    signal,
    async () => {
      const down = notConnected(client);
      if (down) throw new Error(down);
      await afterEarlierProbe(client, PING, signal);
      const ping =
        signal && !isIoredisClient(client) && client.withAbortSignal
          ? client.withAbortSignal(signal).ping()
          : client.ping();
      trackProbe(client, ping);
      const reply = await (signal ? abortable(ping, signal) : ping);
      if (String(reply) !== 'PONG') {
        throw new Error(unexpectedReply(describeValue(reply), 'PONG'));
      }
    },
  );
}

/** Why no PING should be sent now, or undefined when the client may be connected. */
function notConnected(client: RedisClientLike): string | undefined {
  if (isIoredisClient(client)) {
    const { status } = client;
    if (status === 'reconnecting' || status === 'close') {
      return redisClientNotConnected(
        'ioredis',
        `reconnecting (status "${status}")`,
      );
    }
    if (status === 'end') {
      return redisClientNotConnected('ioredis', 'closed (status "end")');
    }
    return undefined;
  }
  if (!client.isOpen) {
    return redisClientNotConnected(
      'node-redis',
      'closed: call connect() first',
    );
  }
  if (!client.isReady) {
    return redisClientNotConnected(
      'node-redis',
      'not ready (connecting or reconnecting)',
    );
  }
  return undefined;
}

/** `checks.redis(name, { client })`: `PING` through an ioredis or node-redis client. */
export const redis = Object.assign(
  readyCheck<RedisCheckOptions>('redis', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('redis', own, 'client', REDIS_CLIENT_EXPECTED),
      isRedisClient,
      REDIS_CLIENT_EXPECTED,
    );
    return ({ signal }) => checkRedis(client, { signal });
  }),
  { run: checkRedis },
);
