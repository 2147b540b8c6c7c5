import { hasMethods } from '../shared/has-methods.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { describeTarget } from '../shared/describe-target.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';

const PING = 'ping';

/** The parts of a MongoDB `MongoClient` the check uses. */
export interface MongoClientLike {
  db(name: string): {
    command(
      command: { ping: 1 },
      options?: { signal?: AbortSignal },
    ): Promise<unknown>;
  };
  connect(): Promise<unknown>;
  startSession(...args: never[]): unknown;
  readonly options?: {
    readonly hosts?: readonly unknown[];
    readonly dbName?: unknown;
  };
}

/** Options of `checks.mongodb`. */
export interface MongodbCheckOptions {
  /** A MongoClient, or its DI token. */
  client: unknown;
}

/** Whether `value` looks like a MongoDB `MongoClient`. */
export function isMongoClient(value: unknown): value is MongoClientLike {
  return hasMethods(value, ['db', 'connect', 'startSession']);
}

/** `mongodb at host:port,host:port`, from the client's parsed options (never its credentials). */
export function mongoTarget(
  client: MongoClientLike,
  database?: unknown,
): string {
  const hosts = (client.options?.hosts ?? []).map(String).filter(Boolean);
  return describeTarget('mongodb', {
    host: hosts.length > 0 ? hosts.join(',') : undefined,
    database,
  });
}

/** Sends `{ ping: 1 }` to the admin database; the driver gets the signal and drops the operation on abort. */
export function pingMongo(
  client: MongoClientLike,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  return detachedProbe(client, PING, signal, () =>
    client.db('admin').command({ ping: 1 }, signal ? { signal } : undefined),
  );
}

/** Runs the MongoDB `ping` command through a MongoClient, on its own connection pool. */
export function checkMongodb(
  client: MongoClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  return timedRoundTrip(
    PING,
    () => mongoTarget(client),
    signal,
    () => pingMongo(client, signal),
  );
}

/** `checks.mongodb(name, { client })`: the `ping` command through a MongoClient. */
export const mongodbReadyCheck = Object.assign(
  readyCheck<MongodbCheckOptions>('mongodb', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('mongodb', own, 'client', 'a MongoClient'),
      isMongoClient,
      'a MongoClient',
    );
    return ({ signal }) => checkMongodb(client, { signal });
  }),
  { run: checkMongodb },
);
