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

type Callback<T = unknown> = (error: Error | null, result?: T) => void;

type AnyFunction = (...args: never[]) => unknown;

/** A mysql2 pool or connection, callback or promise API (the promise wrappers hold the callback one). */
export type Mysql2Like =
  | { readonly getConnection: AnyFunction }
  | { readonly query: AnyFunction; readonly execute: AnyFunction };

/** The callback-API connection under every mysql2 connection, pooled or not. */
interface Mysql2ConnectionLike {
  query(sql: string, callback: Callback): unknown;
  execute(...args: never[]): unknown;
  destroy(): void;
  release?(): void;
  readonly config: object;
}

/** The callback-API pool under a mysql2 pool. */
interface Mysql2PoolLike {
  getConnection(callback: Callback<Mysql2ConnectionLike>): void;
  readonly config: { readonly connectionConfig: object };
}

/** Options of `checks.mysql2`. */
export interface Mysql2CheckOptions {
  /** A mysql2 pool or connection (callback or promise API), or its DI token. */
  client: unknown;
}

function isCorePool(value: unknown): value is Mysql2PoolLike {
  const pool = value as Record<string, unknown> | null;
  const config = pool?.config as Record<string, unknown> | undefined;
  return (
    typeof pool === 'object' &&
    pool !== null &&
    typeof pool.getConnection === 'function' &&
    typeof config?.connectionConfig === 'object' &&
    config.connectionConfig !== null
  );
}

function isCoreConnection(value: unknown): value is Mysql2ConnectionLike {
  const connection = value as Record<string, unknown> | null;
  return (
    typeof connection === 'object' &&
    connection !== null &&
    typeof connection.query === 'function' &&
    typeof connection.execute === 'function' &&
    typeof connection.destroy === 'function' &&
    typeof connection.config === 'object' &&
    connection.config !== null
  );
}

/** The callback-API pool or connection inside `value`, if it is a mysql2 client. */
function core(
  value: unknown,
): Mysql2PoolLike | Mysql2ConnectionLike | undefined {
  if (isCorePool(value) || isCoreConnection(value)) return value;
  const wrapper = value as { pool?: unknown; connection?: unknown } | null;
  if (typeof wrapper !== 'object' || wrapper === null) return undefined;
  if (isCorePool(wrapper.pool)) return wrapper.pool;
  if (isCoreConnection(wrapper.connection)) return wrapper.connection;
  return undefined;
}

/** Whether `value` looks like a mysql2 pool or connection, with the callback or the promise API. */
export function isMysql2Client(value: unknown): value is Mysql2Like {
  return core(value) !== undefined;
}

/**
 * Sends `SELECT 1` through a mysql2 pool or connection. On a pool the query runs on a checked-out connection
 * that is destroyed (not returned) when the signal aborts; a single connection is left to finish the abandoned
 * query, and the next run waits for it instead of queueing another.
 */
export function checkMysql2(
  client: Mysql2Like,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const target = core(client);
  return timedRoundTrip(
    SELECT_1,
    () => mysqlTarget(target),
    signal,
    async () => {
      if (!target) throw new TypeError('not a mysql2 pool or connection');
      if (isCorePool(target)) {
        await afterEarlierProbe(target, SELECT_1, signal);
        return poolRoundTrip(target, signal);
      }
      return detachedProbe(target, SELECT_1, signal, () => selectOne(target));
    },
  );
}

function selectOne(connection: Mysql2ConnectionLike): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.query(SELECT_1, (error) => (error ? reject(error) : resolve()));
  });
}

async function poolRoundTrip(
  pool: Mysql2PoolLike,
  signal: AbortSignal | undefined,
): Promise<void> {
  const checkout = new Promise<Mysql2ConnectionLike>((resolve, reject) => {
    pool.getConnection((error, connection) =>
      error || !connection ? reject(error) : resolve(connection),
    );
  });
  trackProbe(pool, checkout);
  const connection = signal
    ? await abortable(checkout, signal, () => {
        void checkout.then(
          (late) => late.release?.(),
          () => undefined,
        );
      })
    : await checkout;
  // mysql2 listens to a pooled connection's 'error' only once: a second one while the check holds it (a
  // server going away) must not become an 'error' event nobody handles.
  const guard = guardCheckedOut(connection);
  let done = false;
  const finish = (failed: boolean): void => {
    if (done) return;
    done = true;
    if (failed || guard.error) {
      // A destroyed connection keeps the listener: it may still report its socket's end.
      connection.destroy();
      return;
    }
    connection.release?.();
    guard.dispose();
  };
  try {
    const query = selectOne(connection);
    await (signal ? abortable(query, signal, () => finish(true)) : query);
  } catch (error) {
    // A connection whose query failed or was abandoned is not trusted with the next one.
    finish(true);
    throw error;
  }
  finish(false);
}

/** `mysql at host:port/database`, from the connection options (never the password). */
function mysqlTarget(
  target: Mysql2PoolLike | Mysql2ConnectionLike | undefined,
): string {
  const config = (
    isCorePool(target) ? target.config.connectionConfig : (target?.config ?? {})
  ) as Record<string, unknown>;
  return describeTarget('mysql', {
    host: config.host,
    port: config.port,
    database: config.database,
    socketPath: config.socketPath,
  });
}

/** `checks.mysql2(name, { client })`: `SELECT 1` through a mysql2 pool or connection. */
export const mysql2ReadyCheck = Object.assign(
  readyCheck<Mysql2CheckOptions>('mysql2', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('mysql2', own, 'client', 'a mysql2 pool or connection'),
      isMysql2Client,
      'a mysql2 pool or connection',
    );
    return ({ signal }) => checkMysql2(client, { signal });
  }),
  { run: checkMysql2 },
);
