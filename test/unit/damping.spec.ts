import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  checkRecovered,
  checkStartedFailing,
} from '../../lib/healthcheck.messages.js';
import type { HealthCheckResult, HealthStatusChange } from '../../lib/index.js';
import { createRunner } from './runner.helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

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
    const { runner, monitor } = createRunner({
      successTtl: null,
      failedTtl: null,
      onStatusChange: (change) => void changes.push(change),
    });
    const check = scripted(outcomes);
    runner.addCheck('db', check, thresholds);
    return { runner, monitor, check, changes, warn, log };
  }

  it('never flips a check failing 2 runs of every 3 with failureThreshold 3', async () => {
    const cycle = [
      [true, 'up'],
      [false, 'down'],
      [false, 'still down'],
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
    const steadyCycle = [
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
    ];
    expect(shown).toEqual([
      ...steadyCycle,
      ...steadyCycle,
      ...steadyCycle,
      ...steadyCycle,
    ]);
    expect(changes).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('flips at the third failure in a row, logs it once and tells onStatusChange once', async () => {
    const { runner, monitor, changes, warn } = setUp(
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
    expect((await monitor.peek()).results).toEqual([ran(false, 'down 4')]);
    expect(monitor.snapshot()[0].result).toEqual(ran(false, 'down 4'));
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
