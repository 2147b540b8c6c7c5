import { hasMethods } from '../shared/has-methods.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { describeTarget } from '../shared/describe-target.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import { roundTripQuery, serverKind } from './round-trip-query.js';

/** The parts of a `Sequelize` instance the check uses. */
export interface SequelizeLike {
  query(sql: string, options: object): Promise<unknown>;
  getDialect(): string;
  readonly config?: object;
}

/** Options of `checks.sequelize`. */
export interface SequelizeCheckOptions {
  /** A Sequelize instance, or its DI token. */
  client: unknown;
}

/** Whether `value` looks like a `Sequelize` instance. */
export function isSequelize(value: unknown): value is SequelizeLike {
  return hasMethods(value, ['query', 'getDialect', 'authenticate']);
}

/**
 * Runs the dialect's `SELECT 1` (Oracle, Db2: from their dummy tables) through Sequelize's pool, without
 * logging it; one query abandoned at a time-out is left to finish before the next is sent.
 */
export function checkSequelize(
  sequelize: SequelizeLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const dialect = sequelize.getDialect();
  const query = roundTripQuery(dialect);
  return timedRoundTrip(
    query,
    () => {
      const config = (sequelize.config ?? {}) as Record<string, unknown>;
      return describeTarget(serverKind(dialect), {
        host: config.host,
        port: config.port,
        database: config.database,
      });
    },
    signal,
    () =>
      detachedProbe(sequelize, query, signal, () =>
        sequelize.query(query, { raw: true, type: 'SELECT', logging: false }),
      ),
  );
}

/** `checks.sequelize(name, { client })`: the dialect's `SELECT 1` through Sequelize. */
export const sequelizeReadyCheck = Object.assign(
  readyCheck<SequelizeCheckOptions>('sequelize', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('sequelize', own, 'client', 'a Sequelize instance'),
      isSequelize,
      'a Sequelize instance',
    );
    return ({ signal }) => checkSequelize(client, { signal });
  }),
  { run: checkSequelize },
);
