import {
  memcachedNoServers,
  memcachedStillWaiting,
} from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { describeClientError } from '../shared/describe-client-error.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  isMemcachedClient,
  isMemjsClient,
  MEMCACHED_CLIENT_EXPECTED,
  memcachedTarget,
  type MemcachedClientLike,
  type MemcachedPackageLike,
  type MemjsClientLike,
  type MemjsServerLike,
} from './memcached-client.js';

const VERSION = 'VERSION';
/** The binary protocol's VERSION opcode: it reads nothing from the cache and writes nothing. */
const OPCODE_VERSION = 0x0b;

/** Options of `checks.memcached`. */
export interface MemcachedCheckOptions {
  /** A memjs Client, or its DI token. A `memcached` package client is taken by its shape (untested). */
  client: unknown;
}

/**
 * Asks every server of the client for its VERSION (a binary-protocol request on the client's own connection
 * to each server, through memjs's server objects): no key is read or written, so nothing is left behind and no
 * cache statistic but the command count moves. Passes when every server answers. memjs takes no AbortSignal and
 * keeps its own request time-out (`timeout`, 0.5 s by default), after which it drops the connection and reconnects
 * on the next request; a request abandoned by the check is answered or dropped by memjs, and until then the
 * next run waits for it rather than adding another.
 */
export async function checkMemcached(
  client: MemcachedClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const outcome = await timedRoundTrip(
    VERSION,
    () => memcachedTarget(client),
    signal,
    () =>
      detachedProbe(client, VERSION, signal, () =>
        isMemjsClient(client)
          ? versionOfEveryServer(client)
          : packageVersion(client),
      ),
  );
  // Of several servers, the one that hangs is the one to look at.
  const silent = unanswered.get(client);
  return !outcome.passed && signal?.aborted && silent && silent.size > 0
    ? {
        ...outcome,
        output: `${outcome.output}; ${memcachedStillWaiting([...silent])}`,
      }
    : outcome;
}

/** The servers that have not answered the VERSION in flight on a client of several servers. */
const unanswered = new WeakMap<object, Set<string>>();

function versionOfEveryServer(client: MemjsClientLike): Promise<unknown> {
  if (client.servers.length === 0) {
    return Promise.reject(new Error(memcachedNoServers));
  }
  client.incrSeq();
  const seq = client.seq;
  const request = versionRequest(seq);
  const waiting = new Set<string>();
  if (client.servers.length > 1) unanswered.set(client, waiting);
  return Promise.all(
    client.servers.map((server) => {
      const address = `${server.host}:${server.port}`;
      waiting.add(address);
      return versionOf(server, seq, request).finally(() =>
        waiting.delete(address),
      );
    }),
  );
}

function versionOf(
  server: MemjsServerLike,
  seq: number,
  request: Uint8Array,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.onResponse(seq, (response) => {
      if (response.header.status === 0) {
        resolve(response.val?.toString() ?? '');
      } else {
        reject(
          new Error(
            `${server.host}:${server.port} answered VERSION with status ${response.header.status}`,
          ),
        );
      }
    });
    server.onError(seq, (error) => reject(namingServer(server, error)));
    server.write(request);
  });
}

/** The error with the server's address in its message, for a client of several servers. */
function namingServer(server: MemjsServerLike, error: unknown): Error {
  const address = `${server.host}:${server.port}`;
  const message = describeClientError(error);
  return new Error(
    message.includes(address) ? message : `${address}: ${message}`,
    { cause: error },
  );
}

/** A binary-protocol request header with no key, extras or body: magic 0x80, the opcode, the opaque `seq`. */
function versionRequest(seq: number): Uint8Array {
  const request = Buffer.alloc(24);
  request.writeUInt8(0x80, 0);
  request.writeUInt8(OPCODE_VERSION, 1);
  request.writeUInt32BE(seq >>> 0, 12);
  return request;
}

function packageVersion(client: MemcachedPackageLike): Promise<unknown> {
  return new Promise((resolve, reject) => {
    client.version((error, versions) =>
      error ? reject(error) : resolve(versions),
    );
  });
}

/** `checks.memcached(name, { client })`: a VERSION round trip to every server of a memjs client. */
export const memcached = Object.assign(
  readyCheck<MemcachedCheckOptions>('memcached', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('memcached', own, 'client', MEMCACHED_CLIENT_EXPECTED),
      isMemcachedClient,
      MEMCACHED_CLIENT_EXPECTED,
    );
    return ({ signal }) => checkMemcached(client, { signal });
  }),
  { run: checkMemcached },
);
