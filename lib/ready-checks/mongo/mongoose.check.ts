import { mongooseNotOpened } from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { describeTarget } from '../shared/describe-target.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import { isMongoClient, mongoTarget, pingMongo } from './mongodb.check.js';

/** The parts of a mongoose `Connection` the check uses. */
export interface MongooseConnectionLike {
  getClient(): unknown;
  readonly readyState: number;
  readonly name?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
}

/** The mongoose default export (its default connection is checked). */
export interface MongooseLike {
  readonly connection: MongooseConnectionLike;
  readonly connections: readonly unknown[];
}

/** A mongoose Connection or the mongoose default export. */
export type MongooseClientLike = MongooseConnectionLike | MongooseLike;

/** Options of `checks.mongoose`. */
export interface MongooseCheckOptions {
  /** A mongoose Connection or the mongoose default export, or its DI token. */
  client: unknown;
}

function isConnection(value: unknown): value is MongooseConnectionLike {
  const connection = value as Record<string, unknown> | null;
  return (
    typeof connection === 'object' &&
    connection !== null &&
    typeof connection.getClient === 'function' &&
    typeof connection.readyState === 'number'
  );
}

/** Whether `value` looks like a mongoose Connection or the mongoose default export. */
export function isMongooseClient(value: unknown): value is MongooseClientLike {
  const candidate = value as Partial<MongooseLike> | null;
  return (
    isConnection(value) ||
    (typeof candidate === 'object' &&
      candidate !== null &&
      Array.isArray(candidate.connections) &&
      isConnection(candidate.connection))
  );
}

/**
 * Sends the `ping` command to the admin database on the connection's MongoClient: a round trip, not
 * `readyState`. A connection that was never opened fails with a sentence saying so.
 */
export function checkMongoose(
  client: MongooseClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const connection = isConnection(client) ? client : client.connection;
  const native = connection.getClient();
  return timedRoundTrip(
    'ping',
    () =>
      isMongoClient(native)
        ? mongoTarget(native, connection.name ?? native.options?.dbName)
        : describeTarget('mongodb', {
            host: connection.host,
            port: connection.port,
            database: connection.name,
          }),
    signal,
    async () => {
      if (!isMongoClient(native)) throw new Error(mongooseNotOpened);
      return pingMongo(native, signal);
    },
  );
}

/** `checks.mongoose(name, { client })`: the `ping` command through a mongoose connection. */
export const mongooseReadyCheck = Object.assign(
  readyCheck<MongooseCheckOptions>('mongoose', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption(
        'mongoose',
        own,
        'client',
        'a mongoose Connection or the mongoose default export',
      ),
      isMongooseClient,
      'a mongoose Connection or the mongoose default export',
    );
    return ({ signal }) => checkMongoose(client, { signal });
  }),
  { run: checkMongoose },
);
