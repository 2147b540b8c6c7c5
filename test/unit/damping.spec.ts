import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { damp, type Streak } from '../../lib/checks/damping.js';
import {
  checkRecovered,
  checkStartedFailing,
} from '../../lib/healthcheck.messages.js';
import type { HealthCheckResult, HealthStatusChange } from '../../lib/index.js';
import { createRunner } from './runner.helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function result(passed: boolean, output: unknown): HealthCheckResult {
  return Object.freeze({
    checker: 'db',
    output,
    passed,
    timestamp: NOW / 1000,
    expires: NOW / 1000 + 9,
    response_time: 0.001,
  });
}

const NO_STREAK: Streak = { count: 0 };

describe('damp', () => {
  const thresholds = { failureThreshold: 3, successThreshold: 2 };

  it('shows a run that agrees with the shown status as it is, and resets the streak', () => {
    const run = result(true, 'up');
    expect(damp(result(true, 'was up'), { count: 2 }, run, thresholds)).toEqual(
      { shown: run, streak: NO_STREAK },
    );
    const failed = result(false, 'down');
    expect(
      damp(result(false, 'was down'), { count: 1 }, failed, thresholds),
    ).toEqual({ shown: failed, streak: NO_STREAK });
  });

  it('holds a passing status through failures below failureThreshold, keeping the previous output', () => {
    const previous = result(true, 'up');
    const first = damp(
      previous,
      NO_STREAK,
      result(false, 'down 1'),
      thresholds,
    );
    expect(first).toEqual({
      shown: {
        ...result(false, 'down 1'),
        passed: true,
        output: 'up',
        held: {
          consecutive_failures: 1,
          failure_threshold: 3,
          latest_output: 'down 1',
        },
      },
      streak: { count: 1 },
    });
    const second = damp(
      first.shown,
      first.streak,
      result(false, 'down 2'),
      thresholds,
    );
    expect(second).toEqual({
      shown: {
        ...result(false, 'down 2'),
        passed: true,
        output: 'up',
        held: {
          consecutive_failures: 2,
          failure_threshold: 3,
          latest_output: 'down 2',
        },
      },
      streak: { count: 2 },
    });
    expect(Object.isFrozen(second.shown)).toBe(true);
  });

  it('flips to failed at the failureThreshold-th failure in a row, showing that run', () => {
    const run = result(false, 'down 3');
    expect(damp(result(true, 'up'), { count: 2 }, run, thresholds)).toEqual({
      shown: run,
      streak: NO_STREAK,
    });
  });

  it('measures a first run against a passing status, with no output to keep', () => {
    expect(
      damp(undefined, NO_STREAK, result(false, 'down'), thresholds),
    ).toEqual({
      shown: {
        ...result(false, 'down'),
        passed: true,
        output: null,
        held: {
          consecutive_failures: 1,
          failure_threshold: 3,
          latest_output: 'down',
        },
      },
      streak: { count: 1 },
    });
    const pass = result(true, 'up');
    expect(damp(undefined, NO_STREAK, pass, thresholds)).toEqual({
      shown: pass,
      streak: NO_STREAK,
    });
  });

  it('holds a failed status through passes below successThreshold', () => {
    const previous = result(false, 'down');
    const held = damp(previous, NO_STREAK, result(true, 'up'), thresholds);
    expect(held).toEqual({
      shown: {
        ...result(true, 'up'),
        passed: false,
        output: 'down',
        held: {
          consecutive_successes: 1,
          success_threshold: 2,
          latest_output: 'up',
        },
      },
      streak: { count: 1 },
    });
    const recovered = result(true, 'up again');
    expect(damp(held.shown, held.streak, recovered, thresholds)).toEqual({
      shown: recovered,
      streak: NO_STREAK,
    });
  });

  it('flips at once with thresholds of 1', () => {
    const run = result(false, 'down');
    expect(
      damp(result(true, 'up'), NO_STREAK, run, {
        failureThreshold: 1,
        successThreshold: 1,
      }),
    ).toEqual({ shown: run, streak: NO_STREAK });
  });
});

describe('HealthCheckRunner with failureThreshold and successThreshold', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** A check that returns the outcomes in order, then repeats the last one. */
  function scripted(outcomes: ReadonlyArray<readonly [boolean, string]>) {
    let next = 0;
    return jest.fn(() => outcomes[Math.min(next++, outcomes.length - 1)]);
  }

  /** The result a run at NOW gives, uncached (TTLs of null). */
  const ran = (
    passed: boolean,
    output: unknown,
    extra: Partial<HealthCheckResult> = {},
  ): HealthCheckResult => ({
    checker: 'db',
    output,
    passed,
    timestamp: NOW / 1000,
    expires: NOW / 1000,
    response_time: 0,
    ...extra,
  });

  function setUp(
    outcomes: ReadonlyArray<readonly [boolean, string]>,
    thresholds: { failureThreshold?: number; successThreshold?: number },
  ) {
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => undefined);
    const log = jest
      .spyOn(Logger.prototype, 'log')
      .mockImplementation(() => undefined);
    const changes: HealthStatusChange[] = [];
    const { runner } = createRunner({
      successTtl: null,
      failedTtl: null,
      onStatusChange: (change) => void changes.push(change),
    });
    const check = scripted(outcomes);
    runner.addCheck('db', check, thresholds);
    return { runner, check, changes, warn, log };
  }

  it('never flips a check failing 2 runs of every 3 with failureThreshold 3', async () => {
    const cycle = [
      [false, 'down'],
      [false, 'still down'],
      [true, 'up'],
    ] as const;
    const { runner, check, changes, warn } = setUp(
      [...cycle, ...cycle, ...cycle, ...cycle],
      { failureThreshold: 3 },
    );
    const shown: HealthCheckResult[] = [];
    for (let run = 0; run < 12; run++) {
      const report = await runner.run();
      expect(report.status).toBe('success');
      shown.push(report.results[0]);
    }
    expect(check).toHaveBeenCalledTimes(12);
    expect(shown.slice(0, 6)).toEqual([
      ran(true, null, {
        held: {
          consecutive_failures: 1,
          failure_threshold: 3,
          latest_output: 'down',
        },
      }),
      ran(true, null, {
        held: {
          consecutive_failures: 2,
          failure_threshold: 3,
          latest_output: 'still down',
        },
      }),
      ran(true, 'up'),
      ran(true, 'up', {
        held: {
          consecutive_failures: 1,
          failure_threshold: 3,
          latest_output: 'down',
        },
      }),
      ran(true, 'up', {
        held: {
          consecutive_failures: 2,
          failure_threshold: 3,
          latest_output: 'still down',
        },
      }),
      ran(true, 'up'),
    ]);
    const steadyCycle = shown.slice(3, 6);
    expect(shown.slice(6)).toEqual([...steadyCycle, ...steadyCycle]);
    expect(changes).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('flips at the third failure in a row, logs it once and tells onStatusChange once', async () => {
    const { runner, changes, warn } = setUp(
      [
        [true, 'up'],
        [false, 'down 1'],
        [false, 'down 2'],
        [false, 'down 3'],
        [false, 'down 4'],
      ],
      { failureThreshold: 3 },
    );
    const statuses: string[] = [];
    for (let run = 0; run < 5; run++) {
      statuses.push((await runner.run()).status);
    }
    expect(statuses).toEqual([
      'success',
      'success',
      'success',
      'failure',
      'failure',
    ]);
    expect((await runner.peek()).results).toEqual([ran(false, 'down 4')]);
    expect(runner.snapshot()[0].result).toEqual(ran(false, 'down 4'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(checkStartedFailing('db', 'down 3'));
    expect(changes).toEqual([
      {
        type: 'check',
        name: 'db',
        previous: ran(true, 'up', {
          held: {
            consecutive_failures: 2,
            failure_threshold: 3,
            latest_output: 'down 2',
          },
        }),
        current: ran(false, 'down 3'),
      },
      { type: 'overall', previous: 'success', current: 'failure' },
    ]);
  });

  it('needs successThreshold passes in a row to recover', async () => {
    const { runner, changes, log, warn } = setUp(
      [
        [false, 'down'],
        [true, 'up 1'],
        [false, 'down again'],
        [true, 'up 2'],
        [true, 'up 3'],
        [true, 'up 4'],
      ],
      { successThreshold: 2 },
    );
    const shown: HealthCheckResult[] = [];
    const statuses: string[] = [];
    for (let run = 0; run < 6; run++) {
      const report = await runner.run();
      statuses.push(report.status);
      shown.push(report.results[0]);
    }
    expect(statuses).toEqual([
      'failure',
      'failure',
      'failure',
      'failure',
      'success',
      'success',
    ]);
    expect(shown).toEqual([
      ran(false, 'down'),
      ran(false, 'down', {
        held: {
          consecutive_successes: 1,
          success_threshold: 2,
          latest_output: 'up 1',
        },
      }),
      ran(false, 'down again'),
      ran(false, 'down again', {
        held: {
          consecutive_successes: 1,
          success_threshold: 2,
          latest_output: 'up 2',
        },
      }),
      ran(true, 'up 3'),
      ran(true, 'up 4'),
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(checkRecovered('db'));
    expect(changes.map((change) => [change.type, change.current])).toEqual([
      ['check', ran(false, 'down')],
      ['overall', 'failure'],
      ['check', ran(true, 'up 3')],
      ['overall', 'success'],
    ]);
  });
});
