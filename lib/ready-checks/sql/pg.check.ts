import { hasMethods } from '../shared/has-methods.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { describeTarget } from '../shared/describe-target.js';
import {
  afterEarlierProbe,
  detachedProbe,
  trackProbe,
} from '../shared/earlier-probe.js';
import { guardCheckedOut } from '../shared/checked-out.guard.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';

const SELECT_1 = 'SELECT 1';

/** A client checked out of a pg Pool. */
export interface PgPoolClientLike {
  query(text: string): Promise<unknown>;
  /** With an argument, the pool destroys the client instead of keeping it. */
  release(destroy?: boolean | Error): void;
  on?(event: 'error', listener: (error: unknown) => void): unknown;
  removeListener?(event: 'error', listener: (error: unknown) => void): unknown;
}

/** The parts of a pg `Pool` the check uses. */
export interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>;
  query(text: string): Promise<unknown>;
  readonly totalCount: number;
  readonly waitingCount: number;
  readonly options?: object;
}

/** The parts of a pg `Client` the check uses. */
export interface PgClientLike {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
}

/** A pg Pool or Client. */
export type PgLike = PgPoolLike | PgClientLike;

/** Options of `checks.pg`. */
export interface PgCheckOptions {
  /** A pg Pool or Client, or its DI token. */
  client: unknown;
}

/** Whether `value` looks like a pg Pool or Client. */
export function isPgClient(value: unknown): value is PgLike {
  const candidate = value as Record<string, unknown>;
  return (
    hasMethods(value, ['query', 'connect']) &&
    (isPool(candidate) ||
      (typeof candidate.connectionParameters === 'object' &&
        candidate.connectionParameters !== null))
  );
}

function isPool(value: object): value is PgPoolLike {
  const pool = value as Partial<PgPoolLike>;
  return (
    typeof pool.totalCount === 'number' && typeof pool.waitingCount === 'number'
  );
}

/**
 * Sends `SELECT 1` through a pg Pool or Client. On a pool the query runs on a checked-out client; when the
 * signal aborts, that client is destroyed (not returned), so a frozen server cannot keep pool slots, and a
 * connect still pending gives its client back when it arrives. A single Client cannot be replaced: the
 * abandoned query is left to finish, and the next run waits for it instead of queueing another.
 */
export function checkPg(
  client: PgLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  return timedRoundTrip(
    SELECT_1,
    () => pgTarget(client),
    signal,
    async () => {
      if (isPool(client)) {
        await afterEarlierProbe(client, SELECT_1, signal);
        return poolRoundTrip(client, signal);
      }
      return detachedProbe(client, SELECT_1, signal, () =>
        client.query(SELECT_1),
      );
    },
  );
}

async function poolRoundTrip(
  pool: PgPoolLike,
  signal: AbortSignal | undefined,
): Promise<void> {
  const checkout = pool.connect();
  trackProbe(pool, checkout);
  const client = signal
    ? await abortable(checkout, signal, () => {
        void checkout.then(
          (late) => late.release(),
          () => undefined,
        );
      })
    : await checkout;
  // The pool stops listening to a client while it is out: a server that goes away meanwhile must not raise an
  // 'error' event nobody handles.
  const guard = guardCheckedOut(client);
  let released = false;
  const release = (failure?: Error): void => {
    if (released) return;
    released = true;
    const error = failure ?? guard.error;
    client.release(error);
    // A destroyed client keeps the listener: it may still report its socket's end.
    if (!error) guard.dispose();
  };
  try {
    const query = client.query(SELECT_1);
    await (signal
      ? abortable(query, signal, () => release(abandoned(signal)))
      : query);
  } catch (error) {
    // A connection whose query failed or was abandoned is not trusted with the next one.
    release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  release();
}

function abandoned(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** `postgres at host:port/database`, from the client's resolved parameters or the pool's options. */
function pgTarget(client: PgLike): string {
  const source = (isPool(client) ? (client.options ?? {}) : client) as Record<
    string,
    unknown
  >;
  return describeTarget('postgres', {
    host: source.host,
    port: source.port,
    database: source.database,
    url: source.connectionString,
  });
}

/** `checks.pg(name, { client })`: `SELECT 1` through a pg Pool or Client. */
export const pgReadyCheck = Object.assign(
  readyCheck<PgCheckOptions>('pg', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('pg', own, 'client', 'a pg Pool or Client'),
      isPgClient,
      'a pg Pool or Client',
    );
    return ({ signal }) => checkPg(client, { signal });
  }),
  { run: checkPg },
);
