import { jest } from '@jest/globals';
import { checkPending, checkStale } from '../../lib/healthcheck.messages.js';
import { createRunner } from './runner.helpers.js';

describe('background checks', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }),
  );
  afterEach(() => jest.useRealTimers());

  it('reports "pending" until the first run ends, without blocking bootstrap', async () => {
    const { runner, monitor } = createRunner();
    runner.addCheck(
      'slow',
      () =>
        new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(true), 1_000),
        ),
      { interval: 10_000 },
    );
    monitor.onApplicationBootstrap();
    expect((await runner.run()).results[0]).toMatchObject({
      passed: false,
      output: checkPending,
    });
    await jest.advanceTimersByTimeAsync(1_000);
    expect((await runner.run()).results[0]).toMatchObject({ passed: true });
    monitor.onApplicationShutdown();
  });

  it('runs on its interval and never on request', async () => {
    const { runner, monitor } = createRunner();
    const check = jest.fn(() => true);
    runner.addCheck('ticker', check, { interval: 10_000 });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledTimes(1);

    for (let request = 0; request < 5; request++) await runner.run();
    expect(check).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(10_000);
    expect(check).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(check).toHaveBeenCalledTimes(4);
    monitor.onApplicationShutdown();
  });

  it('starts a check added after bootstrap at once', async () => {
    const { runner, monitor } = createRunner();
    monitor.onApplicationBootstrap();
    const check = jest.fn(() => true);
    runner.addCheck('late', check, { interval: 5_000 });
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledTimes(1);
    monitor.onApplicationShutdown();
  });

  it('fails a passing background check at once when no run has ended for longer than maxStaleness (a blocked loop)', async () => {
    const { runner, monitor } = createRunner({ timeout: 1_000 });
    runner.addCheck('stalled', () => true, {
      interval: 1_000,
      maxStaleness: 3_000,
      failureThreshold: 3,
    });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    const ranAt = Date.now();
    jest.setSystemTime(ranAt + 3_000);
    expect((await runner.run()).results[0].passed).toBe(true);
    jest.setSystemTime(ranAt + 3_001);
    expect((await runner.run()).results[0]).toMatchObject({
      passed: false,
      output: checkStale(3_001, 3_000),
    });
    expect(monitor.snapshot()[0].status).toBe('failing');
    expect(monitor.overall().status).toBe('failure');
    monitor.onApplicationShutdown();
  });

  it('stops its timers on shutdown', async () => {
    const { runner, monitor } = createRunner();
    runner.addCheck('ticker', () => true, { interval: 1_000 });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2_500);
    expect(jest.getTimerCount()).toBe(1);
    monitor.onApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });
});
