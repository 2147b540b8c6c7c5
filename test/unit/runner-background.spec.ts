import { jest } from '@jest/globals';
import { checkPending, checkStale } from '../../lib/healthcheck.messages.js';
import { createRunner } from './runner.helpers.js';

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
