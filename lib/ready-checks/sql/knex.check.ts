import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { describeTarget } from '../shared/describe-target.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import { roundTripQuery, serverKind } from './round-trip-query.js';

/** The parts of a knex instance the check uses (a knex instance is a function). */
export interface KnexLike {
  (...args: never[]): unknown;
  raw(sql: string): PromiseLike<unknown>;
  readonly client: {
    readonly dialect?: unknown;
    readonly config?: {
      readonly client?: unknown;
      readonly connection?: unknown;
    };
  };
}

/** Options of `checks.knex`. */
export interface KnexCheckOptions {
  /** A knex instance, or its DI token. */
  client: unknown;
}

/** Whether `value` looks like a knex instance. */
export function isKnex(value: unknown): value is KnexLike {
  if (typeof value !== 'function') return false;
  const candidate = value as unknown as { raw?: unknown; client?: unknown };
  return (
    typeof candidate.raw === 'function' &&
    typeof candidate.client === 'object' &&
    candidate.client !== null
  );
}

function dialectOf(knex: KnexLike): unknown {
  return knex.client.dialect ?? knex.client.config?.client;
}

/**
 * Runs the dialect's `SELECT 1` (Oracle `SELECT 1 FROM DUAL`) through the knex pool; one query abandoned at a
 * time-out is left to finish before the next is sent.
 */
export function checkKnex(
  knex: KnexLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const query = roundTripQuery(dialectOf(knex));
  return timedRoundTrip(
    query,
    () => knexTarget(knex),
    signal,
    () => detachedProbe(knex, query, signal, () => knex.raw(query)),
  );
}

function knexTarget(knex: KnexLike): string {
  const kind = serverKind(dialectOf(knex));
  const connection = knex.client.config?.connection;
  if (typeof connection === 'string') {
    return describeTarget(kind, { url: connection });
  }
  const options = (
    typeof connection === 'object' && connection !== null ? connection : {}
  ) as Record<string, unknown>;
  return describeTarget(kind, {
    host: options.host ?? options.server,
    port: options.port,
    database: options.database ?? options.filename,
    socketPath: options.socketPath,
    url: options.connectionString,
  });
}

/** `checks.knex(name, { client })`: the dialect's `SELECT 1` through a knex instance. */
export const knexReadyCheck = Object.assign(
  readyCheck<KnexCheckOptions>('knex', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('knex', own, 'client', 'a knex instance'),
      isKnex,
      'a knex instance',
    );
    return ({ signal }) => checkKnex(client, { signal });
  }),
  { run: checkKnex },
);
