import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { EMPTY, Observable, of, throwError } from 'rxjs';
import {
  checkRecovered,
  checkStartedFailing,
  checkTimedOut,
  duplicateCheck,
  observableCompletedEmpty,
  unexpectedCheckReturn,
} from '../../lib/healthcheck.messages.js';
import type { HealthCheckContext, HealthCheckResult } from '../../lib/index.js';
import { createRunner } from './runner.helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

/** The whole result of a check named `name` that ran at NOW (fake timers: no time passes while it runs). */
function resultAtNow(
  name: string,
  passed: boolean,
  output: unknown,
  ttlSeconds = passed ? 27 : 9,
): HealthCheckResult {
  return {
    checker: name,
    output,
    passed,
    timestamp: NOW / 1000,
    expires: NOW / 1000 + ttlSeconds,
    response_time: 0,
  };
}

describe('HealthCheckRunner', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('caching', () => {
    it('runs a passing check once within successTtl and again after it', async () => {
      const { runner } = createRunner({ successTtl: 27_000 });
      const check = jest.fn(() => true);
      runner.addCheck('db', check);

      await runner.run();
      await jest.advanceTimersByTimeAsync(26_999);
      await runner.run();
      expect(check).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(1);
      await runner.run();
      expect(check).toHaveBeenCalledTimes(2);
    });

    it('caches a failing result for the shorter failedTtl', async () => {
      const { runner } = createRunner({ successTtl: 27_000, failedTtl: 9_000 });
      const check = jest.fn(() => false);
      runner.addCheck('db', check);

      await runner.run();
      await jest.advanceTimersByTimeAsync(8_999);
      await runner.run();
      expect(check).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      await runner.run();
      expect(check).toHaveBeenCalledTimes(2);
    });

    it('reports timestamp and expires in epoch seconds from the time of computation', async () => {
      const { runner } = createRunner({ successTtl: 5_000 });
      runner.addCheck('db', () => true);
      const [result] = (await runner.run()).results;
      const now = Date.parse('2026-01-01T00:00:00Z') / 1000;
      expect(result.timestamp).toBe(now);
      expect(result.expires).toBe(now + 5);
    });

    it.each([null, 0])('does not cache when the TTL is %p', async (ttl) => {
      const { runner } = createRunner({ successTtl: ttl });
      const check = jest.fn(() => true);
      runner.addCheck('db', check);
      await runner.run();
      await runner.run();
      expect(check).toHaveBeenCalledTimes(2);
    });

    it('lets a check override the module TTLs', async () => {
      const { runner } = createRunner({ successTtl: 27_000 });
      const check = jest.fn(() => true);
      runner.addCheck('db', check, { successTtl: 1_000 });
      await runner.run();
      await jest.advanceTimersByTimeAsync(1_000);
      await runner.run();
      expect(check).toHaveBeenCalledTimes(2);
    });

    it('returns the very same report object while no result has changed', async () => {
      const { runner } = createRunner();
      runner.addCheck('db', () => true);
      const first = await runner.run();
      expect(await runner.run()).toBe(first);
      await jest.advanceTimersByTimeAsync(27_000);
      expect(await runner.run()).not.toBe(first);
    });
  });

  describe('concurrency', () => {
    it('runs each check exactly once for 200 concurrent callers on a cold cache', async () => {
      const { runner } = createRunner();
      const slow = jest.fn(
        () =>
          new Promise<boolean>((resolve) =>
            setTimeout(() => resolve(true), 50),
          ),
      );
      const fast = jest.fn(() => [true, 'ok'] as const);
      runner.addCheck('slow', slow);
      runner.addCheck('fast', fast);

      const reports = Promise.all(
        Array.from({ length: 200 }, () => runner.run()),
      );
      await jest.advanceTimersByTimeAsync(50);
      const settled = await reports;

      expect(slow).toHaveBeenCalledTimes(1);
      expect(fast).toHaveBeenCalledTimes(1);
      expect(settled.every((report) => report.status === 'success')).toBe(true);
    });

    it('runs checks at the same time: two 300 ms checks take 300 ms, not 600', async () => {
      const { runner } = createRunner();
      const wait300 = () =>
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 300));
      runner.addCheck('a', wait300);
      runner.addCheck('b', wait300);

      let done = false;
      const report = runner.run().then((value) => {
        done = true;
        return value;
      });
      await jest.advanceTimersByTimeAsync(300);
      expect(done).toBe(true);
      expect((await report).results.map((result) => result.passed)).toEqual([
        true,
        true,
      ]);
    });

    it('keeps results in registration order whatever order checks finish in', async () => {
      const { runner } = createRunner();
      const after = (ms: number) => () =>
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms));
      runner.addCheck('first', after(30));
      runner.addCheck('second', after(10));
      runner.addCheck('third', after(20));
      const report = runner.run();
      await jest.advanceTimersByTimeAsync(30);
      expect((await report).results.map((result) => result.checker)).toEqual([
        'first',
        'second',
        'third',
      ]);
    });
  });

  describe('time-outs', () => {
    it('passes a slow check that ends within its timeout', async () => {
      const { runner } = createRunner({ timeout: 1_000 });
      runner.addCheck(
        'slow',
        () =>
          new Promise<boolean>((resolve) =>
            setTimeout(() => resolve(true), 999),
          ),
      );
      const report = runner.run();
      await jest.advanceTimersByTimeAsync(999);
      expect((await report).status).toBe('success');
    });

    it('fails a check beyond its timeout, aborts its signal and ignores the late result', async () => {
      const { runner } = createRunner({ timeout: 1_000, failedTtl: 0 });
      let signal: AbortSignal | undefined;
      runner.addCheck('hangs', ({ signal: given }: HealthCheckContext) => {
        signal = given;
        return new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(true), 5_000),
        );
      });

      const report = runner.run();
      await jest.advanceTimersByTimeAsync(1_000);
      const { results } = await report;
      expect(results).toEqual([
        {
          ...resultAtNow('hangs', false, checkTimedOut(1_000), 0),
          timestamp: (NOW + 1_000) / 1000,
          expires: (NOW + 1_000) / 1000,
          response_time: 1,
        },
      ]);
      expect(signal?.aborted).toBe(true);
      expect((signal?.reason as DOMException).name).toBe('TimeoutError');

      await jest.advanceTimersByTimeAsync(4_000);
      expect(jest.getTimerCount()).toBe(0);
    });

    it("uses a check's own timeout over the module's", async () => {
      const { runner } = createRunner({ timeout: 10_000 });
      runner.addCheck('quick', () => new Promise<boolean>(() => undefined), {
        timeout: 50,
      });
      const report = runner.run();
      await jest.advanceTimersByTimeAsync(50);
      expect((await report).results[0].output).toBe(checkTimedOut(50));
    });

    it('clears its timer as soon as a check settles', async () => {
      const { runner } = createRunner();
      runner.addCheck('db', async () => true);
      await runner.run();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('aborts checks under way when the application shuts down', async () => {
      const { runner, monitor } = createRunner();
      let signal: AbortSignal | undefined;
      runner.addCheck('hangs', ({ signal: given }: HealthCheckContext) => {
        signal = given;
        return new Promise<boolean>(() => undefined);
      });
      const report = runner.run();
      monitor.onApplicationShutdown();
      // The request is answered at once; the cut-off run is not recorded as a result of the check.
      expect((await report).results).toEqual([]);
      expect(signal?.aborted).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('what a check may return', () => {
    async function outcomeOf(check: () => unknown) {
      const { runner } = createRunner();
      runner.addCheck('check', check as never);
      return (await runner.run()).results[0];
    }

    it.each([
      ['a [passed, output] tuple', () => [true, 'fine'], true, 'fine'],
      ['a failing tuple', () => [false, 'FAIL'], false, 'FAIL'],
      [
        'a { passed, output } object',
        () => ({ passed: true, output: { ms: 3 } }),
        true,
        { ms: 3 },
      ],
      ['a bare true', () => true, true, null],
      ['a bare false', () => false, false, null],
      ['a Promise of a tuple', async () => [true, 'async'], true, 'async'],
      [
        'an Observable (first value)',
        () => of([true, 'first'], [false, 'second']),
        true,
        'first',
      ],
    ])('accepts %s', async (_label, check, passed, output) => {
      expect(await outcomeOf(check)).toEqual(
        resultAtNow('check', passed, output),
      );
    });

    it.each([
      ['undefined', () => undefined, 'undefined'],
      ['null', () => null, 'null'],
      ['a number', () => 1, 'the number 1'],
      ['a string', () => 'ok', "the string 'ok'"],
      [
        'a tuple of the wrong length',
        () => [true, 'a', 'b'],
        "an array of length 3 ([ true, 'a', 'b' ])",
      ],
      [
        'a tuple without a boolean',
        () => ['yes', 'a'],
        "an array of length 2 ([ 'yes', 'a' ])",
      ],
      [
        'an object without passed',
        () => ({ ok: true }),
        'an object { ok: true }',
      ],
      [
        'an object with a non-boolean passed',
        () => ({ passed: 'yes' }),
        "an object { passed: 'yes' }",
      ],
    ])(
      'fails a check that returns %s, saying what it returned',
      async (_label, check, described) => {
        expect(await outcomeOf(check)).toEqual(
          resultAtNow('check', false, unexpectedCheckReturn(described)),
        );
      },
    );

    it.each([
      [
        'an Error',
        () => {
          throw new Error('boom');
        },
        'boom',
      ],
      [
        'a rejection',
        () => Promise.reject(new TypeError('bad type')),
        'bad type',
      ],
      [
        'a string',
        () => {
          throw 'plain string';
        },
        'plain string',
      ],
      [
        'null',
        () => {
          throw null;
        },
        'threw null',
      ],
      ['undefined', () => Promise.reject(undefined), 'threw undefined'],
      [
        'an object with a message',
        () => {
          throw { message: 'from object' };
        },
        'from object',
      ],
      [
        'an object without a message',
        () => {
          throw { code: 42 };
        },
        'threw an object { code: 42 }',
      ],
      [
        'an Error without a message',
        () => {
          throw new RangeError();
        },
        'RangeError',
      ],
      [
        'an Observable error',
        () => throwError(() => new Error('stream broke')),
        'stream broke',
      ],
    ])(
      'fails a check that throws %s with a readable output',
      async (_label, check, output) => {
        expect(await outcomeOf(check)).toEqual(
          resultAtNow('check', false, output),
        );
      },
    );

    it('fails an Observable that completes without a value', async () => {
      expect(await outcomeOf(() => EMPTY)).toEqual(
        resultAtNow('check', false, observableCompletedEmpty),
      );
    });

    it('unsubscribes from an Observable after its first value', async () => {
      let unsubscribed = false;
      const source = new Observable<boolean>((subscriber) => {
        subscriber.next(true);
        return () => {
          unsubscribed = true;
        };
      });
      expect(await outcomeOf(() => source)).toMatchObject({ passed: true });
      expect(unsubscribed).toBe(true);
    });

    it('renders outputs JSON cannot encode', async () => {
      const circular: Record<string, unknown> = { name: 'loop' };
      circular.self = circular;
      const result = await outcomeOf(() => [
        true,
        {
          circular,
          big: 10n,
          fn: function probe() {},
          error: new Error('inner'),
        },
      ]);
      expect(JSON.parse(JSON.stringify(result.output))).toEqual({
        circular: { name: 'loop', self: '[Circular]' },
        big: '10',
        fn: '[Function: probe]',
        error: { name: 'Error', message: 'inner' },
      });
    });
  });

  describe('report', () => {
    it('is a success with no checks', async () => {
      const { runner } = createRunner();
      expect(await runner.run()).toEqual({
        hostname: hostname(),
        status: 'success',
        timestamp: NOW / 1000,
        results: [],
      });
    });

    it('is a failure when any check fails, and one bad check leaves the others intact', async () => {
      const { runner } = createRunner();
      runner.addCheck('good', () => [true, 'fine']);
      runner.addCheck('bad', () => {
        throw new Error('down');
      });
      const report = await runner.run();
      expect(report.status).toBe('failure');
      expect(report.results).toEqual([
        resultAtNow('good', true, 'fine'),
        resultAtNow('bad', false, 'down'),
      ]);
    });

    it.each([
      ['a duration with float noise', 100.1, 112.4456789, 0.012346],
      ['a sum that is not exact in binary', 0.1, 0.4, 0.0003],
      ['a sub-microsecond duration', 5, 5.0004, 0],
    ])(
      'rounds response_time to microseconds: %s',
      async (_label, startedAt, endedAt, seconds) => {
        const { runner } = createRunner();
        runner.addCheck('db', () => true);
        jest
          .spyOn(performance, 'now')
          .mockReturnValueOnce(startedAt)
          .mockReturnValueOnce(endedAt);
        const [result] = (await runner.run()).results;
        expect(result.response_time).toBe(seconds);
        expect(String(result.response_time)).toMatch(/^\d+(\.\d{1,6})?$/);
      },
    );

    it('refuses a second check of the same name', () => {
      const { runner } = createRunner();
      runner.addCheck('db', () => true);
      expect(() => runner.addCheck('db', () => true)).toThrow(
        duplicateCheck(
          'db',
          "HealthCheckRunner.addCheck('db')",
          "HealthCheckRunner.addCheck('db')",
        ),
      );
    });

    it('refuses a check that is not a function', () => {
      const { runner } = createRunner();
      expect(() => runner.addCheck('db', 'nope' as never)).toThrow(
        /expected a function/,
      );
    });
  });

  describe('logging', () => {
    it('logs once when a check starts failing and once when it recovers', async () => {
      const warn = jest
        .spyOn(Logger.prototype, 'warn')
        .mockImplementation(() => undefined);
      const log = jest
        .spyOn(Logger.prototype, 'log')
        .mockImplementation(() => undefined);
      const { runner } = createRunner({ successTtl: 0, failedTtl: 0 });
      let healthy = true;
      runner.addCheck('db', () => [healthy, healthy ? 'up' : 'down']);

      await runner.run();
      healthy = false;
      await runner.run();
      await runner.run();
      await runner.run();
      healthy = true;
      await runner.run();
      await runner.run();

      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(checkStartedFailing('db', 'down'));
      expect(log).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledWith(checkRecovered('db'));
    });
  });
});

describe('HealthCheckRunner sections (the seed library’s add_section)', () => {
  const failing = (): never => {
    throw new Error('explode');
  };

  it.each([
    ['a function', () => 'My custom section'],
    ['a value', 'My custom section'],
  ])(
    'shows a section given as %s when every check passes',
    async (_label, section) => {
      const { runner } = createRunner();
      runner.addCheck('works', () => [true, 'it works']);
      runner.addSection('custom_section', section);
      const report = await runner.run();
      expect(report.status).toBe('success');
      expect(report.custom_section).toBe('My custom section');
    },
  );

  it.each([
    ['a function', () => 'My custom section'],
    ['a value', 'My custom section'],
  ])(
    'shows a section given as %s when a check fails',
    async (_label, section) => {
      const { runner } = createRunner();
      runner.addCheck('explodes', failing);
      runner.addSection('custom_section', section);
      const report = await runner.run();
      expect(report.status).toBe('failure');
      expect(report.custom_section).toBe('My custom section');
    },
  );

  it('refuses a second section of the same name', () => {
    const { runner } = createRunner();
    runner.addSection('custom_section', 'My custom section');
    expect(() => runner.addSection('custom_section', 'again')).toThrow(
      /Two sections are named "custom_section"/,
    );
  });

  it('refuses a section named like a key of the report', () => {
    const { runner } = createRunner();
    expect(() => runner.addSection('status', 'ok')).toThrow(
      /taken by the report itself/,
    );
  });

  it('shows a section that throws as an error and keeps the rest of the report', async () => {
    const { runner } = createRunner();
    runner.addCheck('works', () => true);
    runner.addSection('broken', failing);
    const report = await runner.run();
    expect(report.broken).toEqual({ error: 'explode' });
    expect(report.results).toHaveLength(1);
  });
});

describe('HealthCheckRunner outputs', () => {
  it('scrubs a password in a thrown message, in a returned object and under a user rule, once, when the result is made', async () => {
    const { runner, monitor } = createRunner({
      environment: { scrub: [/^tenant_secret$/] },
    });
    runner.addCheck('thrown', () => {
      throw new Error('connect failed for postgres://app:pw-9f2@db/shop');
    });
    runner.addCheck('returned', () => [
      false,
      { dsn: 'redis://:hunter2@cache:6379', tenant_secret: 'abc', ok: 1 },
    ]);
    const report = await runner.run();
    const text = JSON.stringify(report);
    expect(text).not.toContain('pw-9f2');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('"abc"');
    expect(report.results[0].output).toContain('postgres://app:');
    expect(report.results[1].output).toMatchObject({ ok: 1 });
    expect(JSON.stringify(monitor.snapshot())).not.toContain('pw-9f2');
  });
});

describe('HealthCheckRunner public surface', () => {
  it('offers run, results, subscribe, addCheck, addSection and the drain, and none of the plumbing', () => {
    const { runner } = createRunner();
    const methods = Object.getOwnPropertyNames(
      Object.getPrototypeOf(runner),
    ).filter((name) => name !== 'constructor');
    expect(methods.sort()).toEqual([
      'addCheck',
      'addSection',
      'drain',
      'drainState',
      'results',
      'run',
      'subscribe',
      'undrain',
    ]);
    for (const plumbing of [
      'announceShutdown',
      'beginShutdown',
      'current',
      'peek',
      'snapshot',
    ]) {
      expect(runner).not.toHaveProperty(plumbing);
    }
  });
});

describe('HealthCheckRunner measurements', () => {
  it('scrubs and caps observedValue and bounds observedUnit like the output', async () => {
    const { runner } = createRunner({ maxOutputBytes: 256 });
    runner.addCheck('measured', () => ({
      passed: true,
      output: 'ok',
      observedValue: 'postgres://app:pw-obs1@db/shop',
      observedUnit: `url postgres://app:pw-unit1@db/shop ${'x'.repeat(100)}`,
    }));
    runner.addCheck('huge', () => ({
      passed: true,
      observedValue: 'v'.repeat(100_000),
    }));
    const report = await runner.run();
    const text = JSON.stringify(report);
    expect(text).not.toContain('pw-obs1');
    expect(text).not.toContain('pw-unit1');
    expect(report.results[0].observedUnit!.length).toBeLessThanOrEqual(32);
    expect(JSON.stringify(report.results[1].observedValue).length).toBeLessThan(
      1_000,
    );
  });
});

describe('HealthCheckRunner during shutdown', () => {
  it('runs no check for a report that shutdown fails anyway, and still runs liveness', async () => {
    const { runner, monitor } = createRunner({ successTtl: 0, failedTtl: 0 });
    const ready = jest.fn(() => true);
    const live = jest.fn(() => true);
    runner.addCheck('db', ready, { tags: ['readiness'] });
    runner.addCheck('loop', live, { tags: ['liveness'] });
    await runner.run();
    monitor.beginShutdown();
    const readiness = await monitor.current({ tag: 'readiness' });
    const full = await monitor.current();
    const liveness = await monitor.current({ tag: 'liveness' });
    expect(readiness.status).toBe('failure');
    expect(full.status).toBe('failure');
    expect(ready).toHaveBeenCalledTimes(1);
    expect(liveness.status).toBe('success');
    expect(live).toHaveBeenCalledTimes(2);
  });
});

describe('HealthCheckRunner with values whose reading throws a secret', () => {
  it('scrubs the thrown text like any output', async () => {
    const { runner } = createRunner();
    runner.addCheck('db', () => ({
      passed: true,
      get output(): string {
        throw new Error('connect postgres://app:pw-getter1@db/shop failed');
      },
    }));
    const report = await runner.run();
    expect(report.results[0].passed).toBe(false);
    expect(JSON.stringify(report)).not.toContain('pw-getter1');
    expect(report.results[0].output).toContain('postgres://app:');
  });
});

describe('HealthCheckRunner at the end of the shutdown delay', () => {
  it('abandons a run under way, so that a request waiting on a hung check is answered at once', async () => {
    const { runner, monitor } = createRunner({ timeout: 60_000 });
    runner.addCheck('hung', () => new Promise<boolean>(() => undefined));
    const waiting = runner.run();
    monitor.beginShutdown();
    monitor.beforeApplicationShutdown();
    const report = await waiting;
    expect(report).toMatchObject({
      status: 'failure',
      results: [{ checker: 'shutdown', passed: false }],
    });
  });

  it('records nothing of a run it cut off: no status change, no result event, the previous result kept', async () => {
    const { runner, monitor } = createRunner({
      timeout: 60_000,
      successTtl: 0,
    });
    let hang = false;
    runner.addCheck('db', () =>
      hang ? new Promise<boolean>(() => undefined) : true,
    );
    await runner.run();
    const events: string[] = [];
    runner.subscribe((event) => events.push(event.type));
    hang = true;
    const waiting = runner.run();
    monitor.beginShutdown();
    monitor.beforeApplicationShutdown();
    const report = await waiting;
    await new Promise((resolve) => setImmediate(resolve));
    // The overall status fails with shutdown itself; the check's cut-off run adds nothing.
    expect(events.sort()).toEqual(['overall', 'shutdown']);
    expect(
      report.results.find((result) => result.checker === 'db'),
    ).toMatchObject({
      passed: true,
    });
    expect(monitor.snapshot()[0].status).toBe('passing');
  });
});
