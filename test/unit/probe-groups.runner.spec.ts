import { jest } from '@jest/globals';
import { UnknownSelectionError } from '../../lib/checks/unknown-selection.error.js';
import {
  checkPending,
  checkStale,
  statusListenerFailed,
  unknownSelection,
} from '../../lib/healthcheck.messages.js';
import type { HealthStatusChange } from '../../lib/interfaces/module-options.interface.js';
import { Logger } from '@nestjs/common';
import { createRunner } from './runner.helpers.js';

const names = (report: { results: Array<{ checker: string }> }) =>
  report.results.map((result) => result.checker);

describe('HealthCheckRunner selections', () => {
  function runnerWithGroups() {
    const { runner } = createRunner();
    const database = jest.fn(() => true);
    runner.addCheck('process', () => true, { tags: ['liveness'] });
    runner.addCheck('database', database, { tags: ['readiness', 'db'] });
    runner.addCheck('cache', () => true, { tags: ['readiness'] });
    runner.addCheck('warmup', () => true, { tags: ['startup'] });
    runner.addCheck('untagged', () => true);
    return { runner, database };
  }

  it('covers every check, tagged or not, in the full report', async () => {
    const { runner } = runnerWithGroups();
    expect(names(await runner.run())).toEqual([
      'process',
      'database',
      'cache',
      'warmup',
      'untagged',
    ]);
  });

  it.each([
    ['liveness', ['process']],
    ['readiness', ['database', 'cache']],
    ['startup', ['warmup']],
    ['db', ['database']],
  ])('selects the checks tagged %s', async (tag, expected) => {
    const { runner } = runnerWithGroups();
    expect(names(await runner.run({ tag }))).toEqual(expected);
  });

  it('selects one check by name, or all but the excluded ones', async () => {
    const { runner } = runnerWithGroups();
    expect(names(await runner.run({ check: 'cache' }))).toEqual(['cache']);
    expect(
      names(await runner.run({ exclude: ['database', 'warmup', 'untagged'] })),
    ).toEqual(['process', 'cache']);
    expect(
      names(await runner.run({ tag: 'readiness', exclude: ['cache'] })),
    ).toEqual(['database']);
  });

  it('passes an empty probe group: no check means nothing is wrong', async () => {
    const { runner } = createRunner();
    expect(await runner.run({ tag: 'liveness' })).toMatchObject({
      status: 'success',
      results: [],
    });
  });

  it.each([
    [{ check: 'nope' }, 'check', 'nope'],
    [{ tag: 'nope' }, 'tag', 'nope'],
    [{ exclude: ['nope'] }, 'check', 'nope'],
  ] as const)(
    'refuses the unknown selection %p',
    async (selection, kind, value) => {
      const { runner } = runnerWithGroups();
      const attempt = runner.run(selection);
      await expect(attempt).rejects.toBeInstanceOf(UnknownSelectionError);
      await expect(attempt).rejects.toThrow(unknownSelection(kind, value));
    },
  );

  it('shares one cached result of a check between every report that includes it', async () => {
    const { runner, database } = runnerWithGroups();
    await runner.run({ tag: 'readiness' });
    await runner.run();
    await runner.run({ check: 'database' });
    expect(database).toHaveBeenCalledTimes(1);
  });
});

describe('non-critical checks', () => {
  it('leave the report a success marked degraded, with the result failed and marked non-critical', async () => {
    const { runner } = createRunner();
    runner.addCheck('core', () => true);
    runner.addCheck('recommendations', () => [false, 'slow'], {
      critical: false,
    });
    const report = await runner.run();
    expect(report.status).toBe('success');
    expect(report.degraded).toBe(true);
    expect(report.results[1]).toMatchObject({
      passed: false,
      critical: false,
      output: 'slow',
    });
    expect(report.results[0]).not.toHaveProperty('critical');
  });

  it('do not hide a critical failure', async () => {
    const { runner } = createRunner();
    runner.addCheck('core', () => false);
    runner.addCheck('extra', () => false, { critical: false });
    const report = await runner.run();
    expect(report.status).toBe('failure');
    expect(report).not.toHaveProperty('degraded');
  });
});

describe('background checks', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }),
  );
  afterEach(() => jest.useRealTimers());

  it('reports "pending" until the first run ends, without blocking bootstrap', async () => {
    const { runner } = createRunner();
    runner.addCheck(
      'slow',
      () =>
        new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(true), 1_000),
        ),
      { interval: 10_000 },
    );
    runner.onApplicationBootstrap();
    expect((await runner.run()).results[0]).toMatchObject({
      passed: false,
      output: checkPending,
    });
    await jest.advanceTimersByTimeAsync(1_000);
    expect((await runner.run()).results[0]).toMatchObject({ passed: true });
    runner.onApplicationShutdown();
  });

  it('runs on its interval and never on request', async () => {
    const { runner } = createRunner();
    const check = jest.fn(() => true);
    runner.addCheck('ticker', check, { interval: 10_000 });
    runner.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledTimes(1);

    for (let request = 0; request < 5; request++) await runner.run();
    expect(check).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(10_000);
    expect(check).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(check).toHaveBeenCalledTimes(4);
    runner.onApplicationShutdown();
  });

  it('starts a check added after bootstrap at once', async () => {
    const { runner } = createRunner();
    runner.onApplicationBootstrap();
    const check = jest.fn(() => true);
    runner.addCheck('late', check, { interval: 5_000 });
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledTimes(1);
    runner.onApplicationShutdown();
  });

  it('reports a result older than maxStaleness as failed', async () => {
    const { runner } = createRunner({ timeout: 60_000 });
    let calls = 0;
    runner.addCheck(
      'stuck',
      () => (++calls === 1 ? true : new Promise<boolean>(() => undefined)),
      { interval: 1_000, maxStaleness: 3_000 },
    );
    runner.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3_000);
    expect((await runner.run()).results[0].passed).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect((await runner.run()).results[0]).toMatchObject({
      passed: false,
      output: checkStale(3_001, 3_000),
    });
    runner.onApplicationShutdown();
  });

  it('stops its timers on shutdown', async () => {
    const { runner } = createRunner();
    runner.addCheck('ticker', () => true, { interval: 1_000 });
    runner.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2_500);
    expect(jest.getTimerCount()).toBe(1);
    runner.onApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('status change events', () => {
  afterEach(() => jest.restoreAllMocks());

  it('tell the listener when a check and the overall status flip, with old and new results', async () => {
    const changes: HealthStatusChange[] = [];
    const { runner } = createRunner({
      successTtl: 0,
      failedTtl: 0,
      onStatusChange: (change) => void changes.push(change),
    });
    let healthy = true;
    runner.addCheck('db', () => [healthy, healthy ? 'up' : 'down']);

    await runner.run();
    expect(changes).toEqual([]);

    healthy = false;
    await runner.run();
    await runner.run();
    expect(changes).toEqual([
      {
        type: 'check',
        name: 'db',
        previous: expect.objectContaining({ passed: true, output: 'up' }),
        current: expect.objectContaining({ passed: false, output: 'down' }),
      },
      { type: 'overall', previous: 'success', current: 'failure' },
    ]);

    healthy = true;
    await runner.run();
    expect(changes.slice(2)).toEqual([
      expect.objectContaining({
        type: 'check',
        name: 'db',
        current: expect.objectContaining({ passed: true }),
      }),
      { type: 'overall', previous: 'failure', current: 'success' },
    ]);
  });

  it('do not flip the overall status for a non-critical check', async () => {
    const changes: HealthStatusChange[] = [];
    const { runner } = createRunner({
      onStatusChange: (change) => void changes.push(change),
    });
    runner.addCheck('extra', () => false, { critical: false });
    await runner.run();
    expect(changes.map((change) => change.type)).toEqual(['check']);
  });

  it('survive a listener that throws or rejects', async () => {
    const error = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const { runner } = createRunner({
      onStatusChange: (change) => {
        if (change.type === 'check') throw new Error('pager down');
        return Promise.reject(new Error('metrics down'));
      },
    });
    runner.addCheck('db', () => false);
    expect((await runner.run()).status).toBe('failure');
    await new Promise((resolve) => setImmediate(resolve));
    expect(error).toHaveBeenCalledWith(statusListenerFailed('pager down'));
    expect(error).toHaveBeenCalledWith(statusListenerFailed('metrics down'));
  });
});
