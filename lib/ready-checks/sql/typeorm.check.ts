import { dataSourceNotInitialized } from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { describeTarget } from '../shared/describe-target.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import { checkMongodb, isMongoClient } from '../mongo/mongodb.check.js';
import { roundTripQuery, serverKind } from './round-trip-query.js';

/** The parts of a TypeORM `DataSource` the check uses. */
export interface TypeormDataSourceLike {
  readonly isInitialized: boolean;
  readonly options: { readonly type: string };
  readonly driver?: unknown;
  query(query: string): Promise<unknown>;
}

/** Options of `checks.typeorm`. */
export interface TypeormCheckOptions {
  /** A TypeORM DataSource, or its DI token. */
  dataSource: unknown;
}

/** Whether `value` looks like a TypeORM `DataSource`. */
export function isTypeormDataSource(
  value: unknown,
): value is TypeormDataSourceLike {
  const source = value as Record<string, unknown> | null;
  const options = source?.options as Record<string, unknown> | undefined;
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.query === 'function' &&
    typeof source.isInitialized === 'boolean' &&
    typeof source.manager === 'object' &&
    typeof options?.type === 'string'
  );
}

/** The MongoClient of a DataSource of type `mongodb`. */
function mongoClientOf(source: TypeormDataSourceLike): unknown {
  const driver = source.driver as
    { queryRunner?: { databaseConnection?: unknown } } | undefined;
  return driver?.queryRunner?.databaseConnection;
}

/**
 * Runs the dialect's `SELECT 1` (Oracle `SELECT 1 FROM DUAL`, SAP HANA `SELECT 1 FROM DUMMY`) through the
 * DataSource, or `ping` for a DataSource of type `mongodb`. A DataSource that is not initialized fails with a
 * sentence saying so; one query abandoned at a time-out is left to finish before the next is sent.
 */
export function checkTypeorm(
  dataSource: TypeormDataSourceLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const type = dataSource.options.type;
  const mongo = mongoClientOf(dataSource);
  if (type === 'mongodb' && dataSource.isInitialized && isMongoClient(mongo)) {
    return checkMongodb(mongo, { signal });
  }
  const query = roundTripQuery(type);
  return timedRoundTrip(
    type === 'mongodb' ? 'ping' : query,
    () => typeormTarget(dataSource),
    signal,
    async () => {
      if (!dataSource.isInitialized) throw new Error(dataSourceNotInitialized);
      return detachedProbe(dataSource, query, signal, () =>
        dataSource.query(query),
      );
    },
  );
}

function typeormTarget(dataSource: TypeormDataSourceLike): string {
  const options = dataSource.options as Record<string, unknown>;
  return describeTarget(serverKind(options.type), {
    host: options.host,
    port: options.port,
    database: options.database,
    url: options.url,
    socketPath: options.socketPath,
  });
}

/** `checks.typeorm(name, { dataSource })`: the dialect's `SELECT 1` through a TypeORM DataSource. */
export const typeormReadyCheck = Object.assign(
  readyCheck<TypeormCheckOptions>('typeorm', ['dataSource'], (own, resolve) => {
    const dataSource = resolve(
      'dataSource',
      clientOption('typeorm', own, 'dataSource', 'a TypeORM DataSource'),
      isTypeormDataSource,
      'a TypeORM DataSource',
    );
    return ({ signal }) => checkTypeorm(dataSource, { signal });
  }),
  { run: checkTypeorm },
);
