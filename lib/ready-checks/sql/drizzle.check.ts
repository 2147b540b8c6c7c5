import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import { checkMysql2, isMysql2Client } from './mysql2.check.js';
import { checkPg, isPgClient } from './pg.check.js';
import { serverKind } from './round-trip-query.js';

const SELECT_1 = 'SELECT 1';

/** The parts of a drizzle database the check uses. */
export interface DrizzleLike {
  select(...args: never[]): unknown;
  /** The driver's client (drizzle 0.30 and later). */
  readonly $client?: unknown;
  /** PostgreSQL, MySQL, SingleStore and Gel databases. */
  execute?(query: string): PromiseLike<unknown>;
  /** SQLite databases. */
  run?(query: string): unknown;
}

/** Options of `checks.drizzle`. */
export interface DrizzleCheckOptions {
  /** A drizzle database (what `drizzle(...)` returns), or its DI token. */
  client: unknown;
}

/** Whether `value` looks like a drizzle database. */
export function isDrizzle(value: unknown): value is DrizzleLike {
  const db = value as Record<string, unknown> | null;
  return (
    typeof db === 'object' &&
    db !== null &&
    typeof db.dialect === 'object' &&
    typeof db.session === 'object' &&
    typeof db.select === 'function' &&
    (typeof db.execute === 'function' || typeof db.run === 'function')
  );
}

/**
 * Runs `SELECT 1` through a drizzle database. Over a pg or mysql2 pool, the round trip goes through that pool
 * (see `checks.pg`, `checks.mysql2`: a connection abandoned at a time-out is destroyed); over other drivers
 * through drizzle's `execute` (or `run` for SQLite), and one query abandoned at a time-out is left to finish
 * before the next is sent.
 */
export function checkDrizzle(
  db: DrizzleLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  if (isPgClient(db.$client)) return checkPg(db.$client, { signal });
  if (isMysql2Client(db.$client)) return checkMysql2(db.$client, { signal });
  return timedRoundTrip(
    SELECT_1,
    () => serverKind(dialectName(db)),
    signal,
    () =>
      detachedProbe(db, SELECT_1, signal, async () =>
        db.execute ? db.execute(SELECT_1) : db.run?.(SELECT_1),
      ),
  );
}

/** `PgDialect` -> `Pg`: drizzle keeps its dialect object out of its public types. */
function dialectName(db: DrizzleLike): string {
  const dialect = (db as { dialect?: { constructor?: { name?: unknown } } })
    .dialect;
  const name = dialect?.constructor?.name;
  return typeof name === 'string' ? name.replace(/Dialect$/, '') : '';
}

/** `checks.drizzle(name, { client })`: `SELECT 1` through a drizzle database. */
export const drizzleReadyCheck = Object.assign(
  readyCheck<DrizzleCheckOptions>('drizzle', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('drizzle', own, 'client', 'a drizzle database'),
      isDrizzle,
      'a drizzle database',
    );
    return ({ signal }) => checkDrizzle(client, { signal });
  }),
  { run: checkDrizzle },
);
