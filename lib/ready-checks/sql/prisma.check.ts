import { hasMethods } from '../shared/has-methods.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { clientOption } from '../shared/client-option.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import { serverKind } from './round-trip-query.js';

const SELECT_1 = 'SELECT 1';

/** The parts of a generated `PrismaClient` the check uses. */
export interface PrismaClientLike {
  $connect(): Promise<void>;
  /** SQL providers. */
  $queryRawUnsafe?(query: string): PromiseLike<unknown>;
  /** The MongoDB provider. */
  $runCommandRaw?(command: { ping: 1 }): PromiseLike<unknown>;
  readonly _activeProvider?: unknown;
  readonly _engineConfig?: { readonly activeProvider?: unknown };
}

/** Options of `checks.prisma`. */
export interface PrismaCheckOptions {
  /** A PrismaClient (extended or not), or its DI token. */
  client: unknown;
}

/** Whether `value` looks like a PrismaClient. */
export function isPrismaClient(value: unknown): value is PrismaClientLike {
  return (
    hasMethods(value, ['$connect', '$queryRawUnsafe']) ||
    hasMethods(value, ['$connect', '$runCommandRaw'])
  );
}

/** The datasource provider the client was generated for, when it tells. */
function providerOf(client: PrismaClientLike): string | undefined {
  const provider =
    client._activeProvider ?? client._engineConfig?.activeProvider;
  if (typeof provider === 'string') return provider;
  return typeof client.$queryRawUnsafe !== 'function' ? 'mongodb' : undefined;
}

/**
 * Runs `SELECT 1` through `$queryRawUnsafe`, or `{ ping: 1 }` through `$runCommandRaw` for the MongoDB
 * provider. Prisma takes no AbortSignal: one query abandoned at a time-out is left to finish before the next
 * is sent.
 */
export function checkPrisma(
  client: PrismaClientLike,
  { signal }: RoundTripOptions = {},
): Promise<ReadyCheckOutcome> {
  const provider = providerOf(client);
  const mongo = provider === 'mongodb';
  const what = mongo ? 'ping' : SELECT_1;
  return timedRoundTrip(
    what,
    () => serverKind(provider),
    signal,
    () =>
      detachedProbe(client, what, signal, async () =>
        mongo
          ? client.$runCommandRaw?.({ ping: 1 })
          : client.$queryRawUnsafe?.(SELECT_1),
      ),
  );
}

/** `checks.prisma(name, { client })`: `SELECT 1` (or MongoDB `ping`) through a PrismaClient. */
export const prismaReadyCheck = Object.assign(
  readyCheck<PrismaCheckOptions>('prisma', ['client'], (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('prisma', own, 'client', 'a PrismaClient'),
      isPrismaClient,
      'a PrismaClient',
    );
    return ({ signal }) => checkPrisma(client, { signal });
  }),
  { run: checkPrisma },
);
