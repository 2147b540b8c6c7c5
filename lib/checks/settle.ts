import { isObservable, type Unsubscribable } from 'rxjs';
import {
  checkAborted,
  checkTimedOut,
  observableCompletedEmpty,
} from '../healthcheck.messages.js';
import { describeThrown } from './describe-thrown.js';

/** How a piece of user code ended: with a value, or with a failure message. */
export type Settled =
  { ok: true; value: unknown } | { ok: false; message: string };

export interface SettleOptions {
  /** Milliseconds before the work is abandoned and its signal aborted. */
  timeoutMs: number;
  /** Aborting this (e.g. on shutdown) abandons the work at once. */
  signal?: AbortSignal;
}

/**
 * Runs user code that may return a value, a Promise or an Observable, and settles with its first value or a
 * failure message. It never rejects: throws, rejections, errors, empty observables, time-outs and outside
 * aborts all become `{ ok: false }`. On a time-out or outside abort the code's own signal is aborted and a late
 * result is ignored.
 */
export function settle(
  work: (signal: AbortSignal) => unknown,
  { timeoutMs, signal: outer }: SettleOptions,
): Promise<Settled> {
  const controller = new AbortController();
  return new Promise<Settled>((resolve) => {
    let settled = false;
    let subscription: Unsubscribable | undefined;

    const finish = (result: Settled): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      subscription?.unsubscribe();
      resolve(result);
    };
    const abandon = (message: string, reason: unknown): void => {
      finish({ ok: false, message });
      controller.abort(reason);
    };
    const onOuterAbort = (): void =>
      abandon(checkAborted(describeThrown(outer?.reason)), outer?.reason);

    const timer = setTimeout(() => {
      const message = checkTimedOut(timeoutMs);
      abandon(message, new DOMException(message, 'TimeoutError'));
    }, timeoutMs);
    if (outer?.aborted) return onOuterAbort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });

    const fail = (error: unknown): void =>
      finish({ ok: false, message: describeThrown(error) });
    let returned: unknown;
    try {
      returned = work(controller.signal);
    } catch (error) {
      return fail(error);
    }
    // Reading what came back runs user code too (getters, proxies, a `then` that throws).
    try {
      if (isObservable(returned)) {
        const active = returned.subscribe({
          next: (value) => finish({ ok: true, value }),
          error: fail,
          complete: () =>
            finish({ ok: false, message: observableCompletedEmpty }),
        });
        if (settled) active.unsubscribe();
        else subscription = active;
      } else if (isThenable(returned)) {
        Promise.resolve(returned).then(
          (value) => finish({ ok: true, value }),
          fail,
        );
      } else {
        finish({ ok: true, value: returned });
      }
    } catch (error) {
      fail(error);
    }
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
