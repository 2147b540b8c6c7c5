import { inspect } from 'node:util';
import {
  microservicePatternMissing,
  readyCheckMissingOption,
} from '../../healthcheck.messages.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { readyCheck } from '../shared/ready-check.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  CLIENT_PROXY_EXPECTED,
  clientProxyTarget,
  isClientProxy,
  type ClientProxyLike,
} from './microservice-client.js';

/** Options of `checks.microservice`. */
export interface MicroserviceCheckOptions {
  /** A Nest ClientProxy, or its DI token (the name given to ClientsModule.register). */
  client: unknown;
  /** A message pattern the microservice answers, e.g. `'health.ping'` or `{ cmd: 'health' }`. */
  pattern: unknown;
  /** The payload sent with the pattern. Default `{}`. */
  data?: unknown;
}

/** What the pure microservice check is given besides its client. */
export interface MicroserviceRunOptions extends RoundTripOptions {
  pattern: unknown;
  data?: unknown;
}

/**
 * Sends `pattern` with `client.send()` (which connects first if needed) and waits for the microservice's
 * answer: its first value, or its completion for a handler that returns nothing. An error answer fails, with
 * its message (e.g. no handler for the pattern). At a time-out the subscription is dropped, which removes the
 * pending request from the client; a late answer is ignored.
 */
export function checkMicroservice(
  client: ClientProxyLike,
  { signal, pattern, data = {} }: MicroserviceRunOptions,
): Promise<ReadyCheckOutcome> {
  return timedRoundTrip(
    `send(${inspect(pattern, { breakLength: Infinity, depth: 2 })})`,
    () => clientProxyTarget(client),
    signal,
    () => firstAnswer(client, pattern, data, signal),
  );
}

function firstAnswer(
  client: ClientProxyLike,
  pattern: unknown,
  data: unknown,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let subscription: { unsubscribe(): void } | undefined;
    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', abort);
      subscription?.unsubscribe();
      if (error === undefined) resolve();
      else reject(error);
    };
    const abort = (): void => finish(signal?.reason);
    signal?.addEventListener('abort', abort, { once: true });
    // The observer may be called before subscribe() returns, for a request that fails at once.
    const active = client.send(pattern, data).subscribe({
      next: () => finish(),
      error: (error: unknown) => finish(error ?? new Error(String(error))),
      complete: () => finish(),
    });
    if (done) active.unsubscribe();
    else subscription = active;
  });
}

/**
 * `checks.microservice(name, { client, pattern, data? })`: a request/response round trip through a Nest
 * ClientProxy, to a pattern the microservice answers.
 */
export const microservice = Object.assign(
  readyCheck<MicroserviceCheckOptions>(
    'microservice',
    ['client', 'pattern', 'data'],
    (own, resolve) => {
      if (own.client === undefined || own.client === null) {
        throw new Error(
          readyCheckMissingOption(
            'microservice',
            'client',
            CLIENT_PROXY_EXPECTED,
          ),
        );
      }
      if (own.pattern === undefined || own.pattern === null) {
        throw new Error(microservicePatternMissing('microservice'));
      }
      const client = resolve(
        'client',
        own.client,
        isClientProxy,
        CLIENT_PROXY_EXPECTED,
      );
      const { pattern, data } = own;
      return ({ signal }) =>
        checkMicroservice(client, { signal, pattern, data });
    },
  ),
  { run: checkMicroservice },
);
