import { jest } from '@jest/globals';
import { executeCheck } from '../../lib/checks/check.executor.js';
import { EMPTY, Observable, of, throwError } from 'rxjs';
import { settle } from '../../lib/checks/settle.js';
import {
  checkAborted,
  checkTimedOut,
  observableCompletedEmpty,
  thrownNonError,
} from '../../lib/healthcheck.messages.js';

const options = { timeoutMs: 1_000 };

describe('settle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('settles with a plain value, and leaves no timer behind', async () => {
    expect(await settle(() => 42, options)).toEqual({ ok: true, value: 42 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('settles with the value of a Promise', async () => {
    expect(await settle(async () => [true, 'up'], options)).toEqual({
      ok: true,
      value: [true, 'up'],
    });
  });

  it('settles with the first value of an Observable and unsubscribes', async () => {
    let unsubscribed = false;
    const source = new Observable<string>((subscriber) => {
      subscriber.next('first');
      subscriber.next('second');
      return () => {
        unsubscribed = true;
      };
    });
    expect(await settle(() => source, options)).toEqual({
      ok: true,
      value: 'first',
    });
    expect(unsubscribed).toBe(true);
  });

  it('settles with the first value of an asynchronous Observable', async () => {
    const source = new Observable<string>((subscriber) => {
      const timer = setTimeout(() => subscriber.next('later'), 10);
      return () => clearTimeout(timer);
    });
    const settled = settle(() => source, options);
    await jest.advanceTimersByTimeAsync(10);
    expect(await settled).toEqual({ ok: true, value: 'later' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails an Observable that completes without a value', async () => {
    expect(await settle(() => EMPTY, options)).toEqual({
      ok: false,
      message: observableCompletedEmpty,
    });
  });

  it('fails an Observable that errors', async () => {
    expect(
      await settle(() => throwError(() => new Error('stream broke')), options),
    ).toEqual({ ok: false, message: 'stream broke' });
  });

  it('fails with the message of a thrown Error', async () => {
    const work = (): never => {
      throw new Error('boom');
    };
    expect(await settle(work, options)).toEqual({
      ok: false,
      message: 'boom',
    });
  });

  it('fails with the message of a rejection', async () => {
    expect(
      await settle(() => Promise.reject(new TypeError('bad type')), options),
    ).toEqual({ ok: false, message: 'bad type' });
  });

  it('describes a thrown value that is not an Error', async () => {
    const work = (): never => {
      throw 42;
    };
    expect(await settle(work, options)).toEqual({
      ok: false,
      message: thrownNonError('the number 42'),
    });
    expect(await settle(() => Promise.reject(undefined), options)).toEqual({
      ok: false,
      message: thrownNonError('undefined'),
    });
  });

  it('treats a value that only looks like an Observable or a Promise as a plain value', async () => {
    const value = { then: 'not a function', subscribe: 1 };
    expect(await settle(() => value, options)).toEqual({ ok: true, value });
  });

  it('times out: aborts the work’s signal with a TimeoutError and ignores the late result', async () => {
    let signal: AbortSignal | undefined;
    let lateResolve: ((value: string) => void) | undefined;
    const settled = settle(
      (given) => {
        signal = given;
        return new Promise<string>((resolve) => (lateResolve = resolve));
      },
      { timeoutMs: 50 },
    );
    await jest.advanceTimersByTimeAsync(49);
    expect(signal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await settled).toEqual({ ok: false, message: checkTimedOut(50) });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(DOMException);
    expect((signal?.reason as DOMException).name).toBe('TimeoutError');
    expect((signal?.reason as DOMException).message).toBe(checkTimedOut(50));

    lateResolve?.('too late');
    await jest.advanceTimersByTimeAsync(0);
    expect(await settled).toEqual({ ok: false, message: checkTimedOut(50) });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('unsubscribes from an Observable that times out', async () => {
    let unsubscribed = false;
    const silent = new Observable<never>(() => () => {
      unsubscribed = true;
    });
    const settled = settle(() => silent, { timeoutMs: 20 });
    await jest.advanceTimersByTimeAsync(20);
    expect(await settled).toEqual({ ok: false, message: checkTimedOut(20) });
    expect(unsubscribed).toBe(true);
  });

  it('abandons the work when the outer signal aborts, aborting the work’s signal with the same reason', async () => {
    const outer = new AbortController();
    let signal: AbortSignal | undefined;
    const settled = settle(
      (given) => {
        signal = given;
        return new Promise<never>(() => undefined);
      },
      { timeoutMs: 1_000, signal: outer.signal },
    );
    const reason = new Error('shutting down');
    outer.abort(reason);
    expect(await settled).toEqual({
      ok: false,
      message: checkAborted('shutting down'),
    });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not start the work when the outer signal is already aborted', async () => {
    const outer = new AbortController();
    outer.abort(new Error('gone'));
    const work = jest.fn(() => true);
    expect(
      await settle(work, { timeoutMs: 1_000, signal: outer.signal }),
    ).toEqual({ ok: false, message: checkAborted('gone') });
    expect(work).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops listening to the outer signal once settled', async () => {
    const outer = new AbortController();
    const remove = jest.spyOn(outer.signal, 'removeEventListener');
    let signal: AbortSignal | undefined;
    await settle(
      (given) => {
        signal = given;
        return of('done');
      },
      { timeoutMs: 1_000, signal: outer.signal },
    );
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    outer.abort(new Error('after the fact'));
    expect(signal?.aborted).toBe(false);
  });
});

describe('executeCheck with values whose reading throws', () => {
  const hostile: Array<[string, () => unknown]> = [
    [
      'a `passed` getter that throws',
      () => ({
        get passed(): boolean {
          throw new Error('passed getter');
        },
      }),
    ],
    [
      'a `then` getter that throws',
      () => ({
        get then(): unknown {
          throw new Error('then getter');
        },
      }),
    ],
    [
      'a revoked proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    ],
    [
      'a thrown proxy whose traps throw',
      () => {
        throw new Proxy(
          {},
          {
            getPrototypeOf: () => {
              throw new Error('trap');
            },
            get: () => {
              throw new Error('trap');
            },
          },
        );
      },
    ],
  ];

  it.each(hostile)(
    'turns %s into a failed result, never a rejection',
    async (_name, run) => {
      const check = {
        name: 'hostile',
        critical: true,
        tags: [],
        timing: { timeout: 1_000, successTtl: 0, failedTtl: 0 },
        failureThreshold: 1,
        successThreshold: 1,
        run,
        source: 'test',
      } as unknown as Parameters<typeof executeCheck>[0];
      const result = await executeCheck(check, new AbortController().signal);
      expect(result.passed).toBe(false);
      expect(typeof result.output).toBe('string');
    },
  );
});
