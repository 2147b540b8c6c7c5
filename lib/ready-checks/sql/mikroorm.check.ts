import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { describeTarget } from '../shared/describe-target.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import { isMongoClient, pingMongo } from '../mongo/mongodb.check.js';
import { roundTripQuery, serverKind } from './round-trip-query.js';

/** The parts of a MikroORM connection the check uses (SQL: `execute`; MongoDB: `getClient`). */
export interface MikroOrmConnectionLike {
  execute(
    query: string,
    params?: unknown[],
    method?: 'all',
    ctx?: undefined,
    loggerContext?: object,
  ): Promise<unknown>;
  getClient?(): unknown;
  getDb?(): unknown;
}

/** The parts of a MikroORM `EntityManager` the check uses. */
export interface MikroOrmEntityManagerLike {
  getConnection(): MikroOrmConnectionLike;
  getDriver(): object;
  readonly config?: { get(key: string): unknown };
}

/** A MikroORM instance (its global EntityManager is used) or an EntityManager. */
export type MikroOrmLike =
  MikroOrmEntityManagerLike | { readonly em: MikroOrmEntityManagerLike };

/** Options of `checks.mikroorm`. */
export interface MikroOrmCheckOptions {
  /** A MikroORM instance or EntityManager, or its DI token. */
  client: unknown;
}

function isEntityManager(value: unknown): value is MikroOrmEntityManagerLike {
  const em = value as Record<string, unknown> | null;
  return (
    typeof em === 'object' &&
    em !== null &&
    typeof em.getConnection === 'function' &&
    typeof em.getDriver === 'function'
  );
}

/** Whether `value` looks like a MikroORM instance or EntityManager. */
export function isMikroOrm(value: unknown): value is MikroOrmLike {
  return (
    isEntityManager(value) ||
    (typeof value === 'object' &&
      value !== null &&
      isEntityManager((value as { em?: unknown }).em))
  );
}

/**
 * Runs the dialect's `SELECT 1` on the ORM's connection (outside any transaction, not logged), or `ping` for
 * the MongoDB driver: a round trip, not `isConnected()`. The signal is not handed to MikroORM (it would stop
 * waiting but keep the connection busy, out of sight): an abandoned query is left to finish, and the next run
 * waits for it instead of taking another pool connection.
 */
export function checkMikroOrm(
  client: MikroOrmLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const em = isEntityManager(client) ? client : client.em;
  const driver = em.getDriver().constructor.name;
  const connection = em.getConnection();
  const mongo =
    typeof connection.getDb === 'function'
      ? connection.getClient?.()
      : undefined;
  const what = isMongoClient(mongo) ? 'ping' : roundTripQuery(driver);
  return timedRoundTrip(
    what,
    () => mikroOrmTarget(em, driver),
    signal,
    () => {
      if (isMongoClient(mongo)) return pingMongo(mongo, signal);
      return detachedProbe(connection, what, signal, () =>
        connection.execute(what, [], 'all', undefined, { enabled: false }),
      );
    },
  );
}

function mikroOrmTarget(em: MikroOrmEntityManagerLike, driver: string): string {
  const get = (key: string): unknown => em.config?.get(key);
  return describeTarget(serverKind(driver.replace(/Driver$/, '')), {
    host: get('host'),
    port: get('port'),
    database: get('dbName'),
    url: get('clientUrl'),
  });
}

/** `checks.mikroorm(name, { client })`: the dialect's `SELECT 1` through MikroORM. */
export const mikroOrmReadyCheck = Object.assign(
  readyCheck<MikroOrmCheckOptions>('mikroorm', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption(
        'mikroorm',
        own,
        'client',
        'a MikroORM instance or EntityManager',
      ),
      isMikroOrm,
      'a MikroORM instance or EntityManager',
    );
    return ({ signal }) => checkMikroOrm(client, { signal });
  }),
  { run: checkMikroOrm },
);
