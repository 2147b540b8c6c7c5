import { jest } from '@jest/globals';
import { HealthHistory } from '../../lib/history/health-history.service.js';
import { historyResponse } from '../../lib/history/history.response.js';
import { RingBuffer } from '../../lib/history/ring-buffer.js';
import { renderBody } from '../../lib/report/http-response.js';
import { createRunner } from './runner.helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

/** A runner with switchable checks `db` (critical) and `cache` (non-critical), and its history. */
function setUp(size = 100) {
  const { runner, monitor } = createRunner({ successTtl: 0, failedTtl: 0 });
  const passing: Record<string, boolean> = { db: true, cache: true };
  runner.addCheck('db', () => [passing.db, passing.db ? 'ok' : 'refused']);
  runner.addCheck(
    'cache',
    () => [passing.cache, passing.cache ? 'ok' : 'evicted'],
    { critical: false },
  );
  const history = new HealthHistory(monitor, { history: { size } });
  /** Sets the checks, lets a second pass and runs them. */
  const step = async (next: Record<string, boolean>) => {
    Object.assign(passing, next);
    await jest.advanceTimersByTimeAsync(1_000);
    await runner.run();
  };
  return { runner, history, step };
}

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, newest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.newestFirst()).toEqual([]);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.newestFirst()).toEqual([5, 4, 3]);
    expect(ring.size).toBe(3);
  });

  it('keeps nothing with a capacity of 0', () => {
    const ring = new RingBuffer<number>(0);
    ring.push(1);
    expect(ring.newestFirst()).toEqual([]);
  });
});

describe('HealthHistory', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('records nothing while every check passes', async () => {
    const { history, step } = setUp();
    await step({});
    await step({});
    expect(history.entries({ showDetails: true })).toEqual([]);
  });

  it('records the flips of a check and of the overall status, newest first', async () => {
    const { history, step } = setUp();
    await step({});
    await step({ db: false });
    await step({ db: false });
    await step({ db: true });

    expect(history.entries({ showDetails: true })).toEqual([
      {
        time: NOW / 1000 + 4,
        type: 'overall',
        previous: 'failure',
        current: 'success',
      },
      {
        time: NOW / 1000 + 4,
        type: 'check',
        name: 'db',
        previous: 'failure',
        current: 'success',
        output: 'ok',
      },
      {
        time: NOW / 1000 + 2,
        type: 'overall',
        previous: 'success',
        current: 'failure',
      },
      {
        time: NOW / 1000 + 2,
        type: 'check',
        name: 'db',
        previous: 'success',
        current: 'failure',
        output: 'refused',
      },
    ]);
  });

  it('records a non-critical check without an overall change', async () => {
    const { history, step } = setUp();
    await step({ cache: false });
    expect(history.entries({ showDetails: true })).toEqual([
      {
        time: NOW / 1000 + 1,
        type: 'check',
        name: 'cache',
        previous: null,
        current: 'failure',
        output: 'evicted',
      },
    ]);
  });

  it('keeps only the newest `history.size` changes', async () => {
    const { history, step } = setUp(3);
    for (let i = 0; i < 4; i++) {
      await step({ cache: false });
      await step({ cache: true });
    }
    const entries = history.entries({ showDetails: true });
    expect(entries.map((entry) => entry.current)).toEqual([
      'success',
      'failure',
      'success',
    ]);
    expect(entries[0].time).toBe(NOW / 1000 + 8);
  });

  it('leaves the outputs out when showDetails is false', async () => {
    const { history, step } = setUp();
    await step({ db: false });
    const entries = history.entries({ showDetails: false });
    expect(entries).toHaveLength(2);
    for (const entry of entries) expect(entry).not.toHaveProperty('output');
    expect(entries[1]).toEqual({
      time: NOW / 1000 + 1,
      type: 'check',
      name: 'db',
      previous: null,
      current: 'failure',
    });
  });

  it('serves the entries as JSON, never cached', async () => {
    const { history, step } = setUp();
    await step({ db: false });
    const response = historyResponse(history, false);
    expect(response.status).toBe(200);
    expect(response.headers).toContainEqual(['Cache-Control', 'no-store']);
    const body = JSON.parse(renderBody(response)) as { entries: unknown[] };
    expect(body.entries).toEqual(history.entries({ showDetails: false }));
  });

  it('stops recording when the application shuts down', async () => {
    const { history, step } = setUp();
    await step({ db: false });
    history.onApplicationShutdown();
    await step({ db: true });
    expect(history.entries({ showDetails: true })).toHaveLength(2);
  });
});
