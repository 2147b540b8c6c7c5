import { earlierProbeUnanswered } from '../../healthcheck.messages.js';
import { abortable } from './abortable.js';
import { describeClientError } from './describe-client-error.js';

interface Probe {
  readonly settled: Promise<void>;
  readonly startedAt: number;
  /** What was sent (`root DSE search`), when the caller said: another check may share the client. */
  readonly what?: string;
}

const inFlight = new WeakMap<object, Probe>();

/** A run timed out while an earlier probe on the same client was still unanswered. */
export class EarlierProbeUnansweredError extends Error {
  override name = 'EarlierProbeUnansweredError';
}

/**
 * Records `work` as the probe in flight on `client` until it settles. A probe abandoned at a time-out may still
 * be waiting on a frozen server; the next run waits for it instead of piling another one onto the client.
 */
export function trackProbe(
  client: object,
  work: Promise<unknown>,
  what?: string,
): void {
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  const probe: Probe = { settled, startedAt: Date.now(), what };
  inFlight.set(client, probe);
  void settled.then(() => {
    if (inFlight.get(client) === probe) inFlight.delete(client);
  });
}

/**
 * Resolves once no earlier probe is in flight on `client`; rejects, naming the unanswered probe (what it sent
 * when it said, else `what`), when `signal` aborts first.
 */
export async function afterEarlierProbe(
  client: object,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  for (let probe = inFlight.get(client); probe; probe = inFlight.get(client)) {
    if (!signal) {
      await probe.settled;
      continue;
    }
    const earlier = probe;
    await new Promise<void>((resolve, reject) => {
      const abort = (): void =>
        reject(
          new EarlierProbeUnansweredError(
            earlierProbeUnanswered(
              earlier.what ?? what,
              describeClientError(signal.reason),
              Date.now() - earlier.startedAt,
            ),
          ),
        );
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      void earlier.settled.then(() => {
        signal.removeEventListener('abort', abort);
        resolve();
      });
    });
  }
}

/**
 * Runs one probe that cannot be cancelled: waits for an earlier one on the same client, starts `start()`, and
 * stops waiting for it when `signal` aborts (the client finishes it in the background).
 */
export async function detachedProbe<T>(
  client: object,
  what: string,
  signal: AbortSignal | undefined,
  start: () => PromiseLike<T>,
): Promise<T> {
  await afterEarlierProbe(client, what, signal);
  const work = Promise.resolve().then(start);
  trackProbe(client, work, what);
  return signal ? abortable(work, signal) : work;
}

/**
 * Starts `start()` unless an earlier probe on `key` is still in flight: then rejects at once with the sentence
 * `refuse` words from the earlier probe's age. For work that holds a scarce resource until it returns.
 */
export function probeUnlessEarlier<T>(
  key: object,
  refuse: (ageMs: number) => string,
  start: () => PromiseLike<T>,
): Promise<T> {
  const earlier = inFlight.get(key);
  if (earlier) {
    return Promise.reject(
      new EarlierProbeUnansweredError(refuse(Date.now() - earlier.startedAt)),
    );
  }
  const work = Promise.resolve().then(start);
  trackProbe(key, work);
  return work;
}
