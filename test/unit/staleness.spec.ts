import { jest } from '@jest/globals';
import type { HealthMonitor } from '../../lib/checks/health.monitor.js';
import { checkPending, checkStale } from '../../lib/healthcheck.messages.js';
import type { HealthEvent } from '../../lib/interfaces/health-event.interface.js';
import { createRunner } from './runner.helpers.js';

/** A check that passes after `ms` milliseconds (of fake time). */
const passesAfter = (ms: number) => () =>
  new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms));

/** What every read path says of the check named `name`, read in the order current, peek, snapshot, overall. */
async function readAll(monitor: HealthMonitor, name: string) {
  const current = await monitor.current();
  const peek = await monitor.peek();
  const snapshot = monitor.snapshot().find((check) => check.name === name)!;
  const overall = monitor.overall();
  return {
    current: current.status,
    currentPassed: current.results.find((r) => r.checker === name)?.passed,
    peek: peek.status,
    peekPassed: peek.results.find((r) => r.checker === name)?.passed,
    snapshot: snapshot.status,
    snapshotPassed: snapshot.result?.passed,
    overall: overall.status,
  };
}

const allPassing = {
  current: 'success',
  currentPassed: true,
  peek: 'success',
  peekPassed: true,
  snapshot: 'passing',
  snapshotPassed: true,
  overall: 'success',
};
const allFailing = {
  current: 'failure',
  currentPassed: false,
  peek: 'failure',
  peekPassed: false,
  snapshot: 'failing',
  snapshotPassed: false,
  overall: 'failure',
};

describe('staleness of background checks', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }),
  );
  afterEach(() => jest.useRealTimers());

  it('never reports a check stale that keeps running and passing, each run (250 ms) longer than its interval (100 ms)', async () => {
    const { runner, monitor } = createRunner({ timeout: 1_000 });
    // Each run takes 250 ms; the check records when its runs end, to know what each read fell on.
    let running = false;
    let lastEndedAt = 0;
    const check = jest.fn(async () => {
      running = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
      running = false;
      lastEndedAt = Date.now();
      return true;
    });
    runner.addCheck('slow', check, { interval: 100, failureThreshold: 3 });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(250);
    expect(check).toHaveBeenCalledTimes(1);

    const reads: Array<Awaited<ReturnType<typeof readAll>>> = [];
    let readsLateInARun = 0;
    for (let read = 0; read < 40; read++) {
      // 37 ms apart: the reads fall at every phase of the 350 ms cycle (run 250 ms, pause 100 ms).
      await jest.advanceTimersByTimeAsync(37);
      if (running && Date.now() - lastEndedAt > 300) readsLateInARun++;
      reads.push(await readAll(monitor, 'slow'));
    }
    expect(reads).toEqual(Array.from({ length: 40 }, () => allPassing));
    // Some reads fell in the last 50 ms of a run, when the previous run ended more than maxStaleness ago.
    expect(readsLateInARun).toBeGreaterThan(0);
    expect(check.mock.calls.length).toBeGreaterThanOrEqual(5);
    monitor.onApplicationShutdown();
  });

  /** A background check whose loop is stopped (without shutdown) right after its first run ended. */
  async function stoppedLoop() {
    const { runner, monitor } = createRunner({ timeout: 1_000 });
    runner.addCheck('ticker', () => true, {
      interval: 100,
      maxStaleness: 300,
      failureThreshold: 3,
    });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    const events: HealthEvent[] = [];
    monitor.subscribe((event) => events.push(event));
    // Clears the timer of the next run without beginning shutdown.
    monitor.onApplicationShutdown();
    expect(monitor.shuttingDown).toBe(false);
    return { monitor, events };
  }

  const firstReads = {
    current: async (monitor: HealthMonitor) => (await monitor.current()).status,
    peek: async (monitor: HealthMonitor) => (await monitor.peek()).status,
    snapshot: (monitor: HealthMonitor) =>
      monitor.snapshot()[0].status === 'failing' ? 'failure' : 'success',
    overall: (monitor: HealthMonitor) => monitor.overall().status,
  };

  it.each(Object.keys(firstReads) as Array<keyof typeof firstReads>)(
    'fails a check whose loop stopped once maxStaleness has passed: read first through %s, every read path agrees, one change event',
    async (first) => {
      const { monitor, events } = await stoppedLoop();

      await jest.advanceTimersByTimeAsync(300);
      expect(await firstReads[first](monitor)).toBe('success');
      expect(await readAll(monitor, 'ticker')).toEqual(allPassing);
      expect(events).toEqual([]);

      await jest.advanceTimersByTimeAsync(1);
      expect(await firstReads[first](monitor)).toBe('failure');
      expect(await readAll(monitor, 'ticker')).toEqual(allFailing);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await readAll(monitor, 'ticker')).toEqual(allFailing);

      expect((await monitor.peek()).results[0].output).toBe(
        checkStale(301, 300),
      );
      const changes = events.filter((event) => event.type === 'check');
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        type: 'check',
        name: 'ticker',
        previous: { passed: true },
        current: { passed: false, output: checkStale(301, 300) },
      });
    },
  );

  it('fails a check whose run has been under way for longer than timeout + maxStaleness (a blocked event loop)', async () => {
    const { runner, monitor } = createRunner({ timeout: 1_000 });
    runner.addCheck('blocked', passesAfter(50), {
      interval: 100,
      maxStaleness: 300,
    });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(50);
    // The first run ended; the second starts 100 ms later.
    await jest.advanceTimersByTimeAsync(100);
    const startedAt = Date.now();
    const events: HealthEvent[] = [];
    monitor.subscribe((event) => events.push(event));

    // The clock moves but no timer fires: the run under way neither ends nor times out.
    jest.setSystemTime(startedAt + 1_300);
    expect(await readAll(monitor, 'blocked')).toEqual(allPassing);
    jest.setSystemTime(startedAt + 1_301);
    expect(await readAll(monitor, 'blocked')).toEqual(allFailing);
    expect(await readAll(monitor, 'blocked')).toEqual(allFailing);
    expect((await monitor.peek()).results[0].output).toBe(
      checkStale(1_301, 300),
    );
    expect(events.filter((event) => event.type === 'check')).toHaveLength(1);
    monitor.onApplicationShutdown();
  });
});

describe('first results and probes', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }),
  );
  afterEach(() => jest.useRealTimers());

  it('answers a startup probe with a failure from the first probe on when its check always fails, failureThreshold 3', async () => {
    const { runner, monitor } = createRunner();
    const check = jest.fn(() => [false, 'migrations pending'] as const);
    runner.addCheck('migrations', check, {
      tags: ['startup'],
      failureThreshold: 3,
      failedTtl: 0,
    });
    monitor.onApplicationBootstrap();
    const statuses: string[] = [];
    for (let probe = 0; probe < 6; probe++) {
      statuses.push((await monitor.current({ tag: 'startup' })).status);
      await jest.advanceTimersByTimeAsync(1_000);
    }
    expect(statuses).toEqual(Array(6).fill('failure'));
    expect(check).toHaveBeenCalledTimes(6);
    const shown = (await monitor.peek({ tag: 'startup' })).results[0];
    expect(shown).toMatchObject({
      passed: false,
      output: 'migrations pending',
    });
    expect(shown.held).toBeUndefined();
  });

  it('answers every readiness poll with a failure, from the first, when a background check never passes (interval 50, failureThreshold 2)', async () => {
    const { runner, monitor } = createRunner();
    const check = jest.fn(() => [false, 'ECONNREFUSED'] as const);
    runner.addCheck('db', check, {
      tags: ['readiness'],
      interval: 50,
      failureThreshold: 2,
    });
    monitor.onApplicationBootstrap();
    const statuses: string[] = [];
    for (let poll = 0; poll < 20; poll++) {
      statuses.push((await monitor.current({ tag: 'readiness' })).status);
      await jest.advanceTimersByTimeAsync(20);
    }
    expect(statuses).toEqual(Array(20).fill('failure'));
    expect(check.mock.calls.length).toBeGreaterThan(3);
    monitor.onApplicationShutdown();
  });

  it('fails readiness and startup while a background check has no result yet', async () => {
    const { runner, monitor } = createRunner({ timeout: 5_000 });
    runner.addCheck('warm-up', passesAfter(1_000), {
      tags: ['readiness', 'startup'],
      interval: 10_000,
    });
    monitor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(500);

    for (const tag of ['readiness', 'startup']) {
      const report = await monitor.current({ tag });
      expect({ tag, status: report.status }).toEqual({
        tag,
        status: 'failure',
      });
      expect(report.results[0]).toMatchObject({
        passed: false,
        output: checkPending,
      });
    }
    expect(monitor.snapshot()[0].status).toBe('pending');
    expect(monitor.overall().status).toBe('failure');

    await jest.advanceTimersByTimeAsync(500);
    expect((await monitor.current({ tag: 'readiness' })).status).toBe(
      'success',
    );
    expect((await monitor.current({ tag: 'startup' })).status).toBe('success');
    monitor.onApplicationShutdown();
  });
});
