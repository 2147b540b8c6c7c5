import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  drainEnded,
  drainReasonInvalid,
  drainStarted,
  readinessShuttingDown,
} from '../../lib/healthcheck.messages.js';
import type { HealthEvent } from '../../lib/interfaces/health-event.interface.js';
import type { HealthStatusChange } from '../../lib/interfaces/module-options.interface.js';
import { HealthHistory } from '../../lib/history/health-history.service.js';
import type { HealthReport } from '../../lib/index.js';
import { EventStreamHub } from '../../lib/ui/event-stream.js';
import { recordingResponse } from '../fixtures/ui-sse-client.js';
import { createRunner } from './runner.helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

/** Each result's checker and outcome, in report order. */
const outcomes = (report: HealthReport) =>
  Object.fromEntries(report.results.map((r) => [r.checker, r.passed]));

/** A runner with a passing check in each probe group and in a custom group, and the events it emits. */
function setUp(onStatusChange?: (change: HealthStatusChange) => void) {
  const { runner, monitor } = createRunner({
    successTtl: 0,
    failedTtl: 0,
    onStatusChange,
  });
  const runs = { db: 0 };
  runner.addCheck(
    'db',
    () => {
      runs.db++;
      return [true, 'up'];
    },
    { tags: ['readiness', 'startup', 'payments'] },
  );
  runner.addCheck('loop', () => [true, 'ok'], { tags: ['liveness'] });
  const events: HealthEvent[] = [];
  runner.subscribe((event) => {
    if (event.type !== 'result') events.push(event);
  });
  return { runner, monitor, runs, events };
}

describe('HealthCheckRunner.drain', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('fails every report but liveness and startup with a drain result, while the checks keep running', async () => {
    const { runner, runs } = setUp();
    await runner.run();
    runner.drain({ reason: 'migration', forMs: 60_000 });

    const full = await runner.run();
    expect(full.status).toBe('failure');
    expect(outcomes(full)).toEqual({ db: true, loop: true, drain: false });
    expect(full.results.at(-1)!.output).toEqual({
      reason: 'migration',
      until: '2026-01-01T00:01:00.000Z',
    });
    for (const selection of [
      { tag: 'readiness' },
      { tag: 'payments' },
      { check: 'db' },
    ]) {
      const report = await runner.run(selection);
      expect({ selection, status: report.status }).toEqual({
        selection,
        status: 'failure',
      });
      expect(outcomes(report)).toEqual({ db: true, drain: false });
    }
    for (const tag of ['liveness', 'startup']) {
      const report = await runner.run({ tag });
      expect({ tag, status: report.status }).toEqual({
        tag,
        status: 'success',
      });
      expect(report.results.map((r) => r.checker)).not.toContain('drain');
    }
    const before = runs.db;
    await runner.run({ tag: 'readiness' });
    expect(runs.db).toBe(before + 1);
    expect(runner.results().map(({ name, status }) => [name, status])).toEqual([
      ['db', 'passing'],
      ['loop', 'passing'],
    ]);
  });

  it('ends by itself when its time is up, telling the subscribers, with an unref’d timer', async () => {
    const { runner, events } = setUp();
    await runner.run();
    const unref = jest.fn();
    const realSetTimeout = globalThis.setTimeout;
    const spy = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((
      ...args: Parameters<typeof setTimeout>
    ) => {
      const timer = realSetTimeout(...args);
      const original = timer.unref.bind(timer);
      timer.unref = () => {
        unref();
        return original();
      };
      return timer;
    }) as typeof setTimeout);
    runner.drain({ reason: 'look at it', forMs: 30_000 });
    spy.mockRestore();
    expect(unref).toHaveBeenCalledTimes(1);
    const drained = { reason: 'look at it', until: '2026-01-01T00:00:30.000Z' };
    expect(runner.drainState()).toEqual(drained);
    expect(events).toEqual([
      { type: 'drain', previous: undefined, current: drained },
      { type: 'overall', previous: 'success', current: 'failure' },
    ]);

    jest.advanceTimersByTime(29_999);
    expect((await runner.run({ tag: 'readiness' })).status).toBe('failure');
    jest.advanceTimersByTime(1);
    expect(events.slice(2)).toEqual([
      { type: 'drain', previous: drained, current: undefined },
      { type: 'overall', previous: 'failure', current: 'success' },
    ]);
    expect(runner.drainState()).toBeUndefined();
    const ready = await runner.run({ tag: 'readiness' });
    expect(ready.status).toBe('success');
    expect(outcomes(ready)).toEqual({ db: true });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends at a read that comes after its end but before its timer (a clock moved alone)', async () => {
    const { runner, monitor, events } = setUp();
    await runner.run();
    runner.drain({ forMs: 1_000 });
    jest.setSystemTime(NOW + 5_000);
    expect(monitor.overall().status).toBe('success');
    expect(events.map((event) => event.type)).toEqual([
      'drain',
      'overall',
      'drain',
      'overall',
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends at once with undrain(), which does nothing when nothing is drained', async () => {
    const { runner, events } = setUp();
    await runner.run();
    runner.undrain();
    expect(events).toEqual([]);

    runner.drain();
    expect(runner.drainState()).toEqual({});
    expect((await runner.run()).results.at(-1)!.output).toEqual({
      until: null,
    });
    runner.undrain();
    expect(events.map((event) => event.type)).toEqual([
      'drain',
      'overall',
      'drain',
      'overall',
    ]);
    expect(events[2]).toEqual({
      type: 'drain',
      previous: {},
      current: undefined,
    });
    expect((await runner.run()).status).toBe('success');
    runner.undrain();
    expect(events).toHaveLength(4);
  });

  it('is replaced by a second drain: its reason and end, and the first end no longer counts', async () => {
    const { runner, events } = setUp();
    await runner.run();
    runner.drain({ reason: 'first', forMs: 1_000 });
    runner.drain({ reason: 'second', forMs: 10_000 });
    const second = { reason: 'second', until: '2026-01-01T00:00:10.000Z' };
    expect(events.slice(2)).toEqual([
      {
        type: 'drain',
        previous: { reason: 'first', until: '2026-01-01T00:00:01.000Z' },
        current: second,
      },
    ]);
    jest.advanceTimersByTime(5_000);
    expect(runner.drainState()).toEqual(second);
    expect((await runner.run()).results.at(-1)!.output).toEqual(second);
    jest.advanceTimersByTime(5_000);
    expect(runner.drainState()).toBeUndefined();
  });

  it('throws on invalid options and leaves the state as it was', async () => {
    const { runner, events } = setUp();
    await runner.run();
    expect(() => runner.drain({ reason: 5 as never })).toThrow(
      drainReasonInvalid('the number 5'),
    );
    expect(runner.drainState()).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('tells onStatusChange of the overall flip it makes, and logs its start and end once', async () => {
    const changes: HealthStatusChange[] = [];
    const { runner } = setUp((change) => void changes.push(change));
    await runner.run();
    runner.drain({ reason: 'noisy', forMs: 2_000 });
    jest.advanceTimersByTime(2_000);
    expect(changes).toEqual([
      { type: 'overall', previous: 'success', current: 'failure' },
      { type: 'overall', previous: 'failure', current: 'success' },
    ]);
    const warn = jest.mocked(Logger.prototype.warn);
    const log = jest.mocked(Logger.prototype.log);
    expect(warn).toHaveBeenCalledWith(
      drainStarted('noisy', '2026-01-01T00:00:02.000Z'),
    );
    expect(log).toHaveBeenCalledWith(drainEnded);
  });

  it('loses to shutdown: it ends before the shutdown event, the shutdown result shows, later calls change nothing', async () => {
    const { runner, monitor, events } = setUp();
    await runner.run();
    runner.drain({ reason: 'migration', forMs: 1_000 });
    monitor.beginShutdown();
    expect(jest.getTimerCount()).toBe(0);
    expect(runner.drainState()).toBeUndefined();
    const report = await monitor.peek({ tag: 'readiness' });
    expect(outcomes(report)).toEqual({ db: true, shutdown: false });
    expect(report.results.at(-1)!.output).toBe(readinessShuttingDown);

    jest.advanceTimersByTime(5_000);
    runner.drain({ reason: 'again' });
    runner.undrain();
    expect(runner.drainState()).toBeUndefined();
    expect(events.map((event) => event.type)).toEqual([
      'drain',
      'overall',
      'drain',
      'shutdown',
    ]);
    expect(events[2]).toEqual({
      type: 'drain',
      previous: { reason: 'migration', until: '2026-01-01T00:00:01.000Z' },
      current: undefined,
    });
    expect((await monitor.peek()).status).toBe('failure');
  });

  it('clears its timer at application shutdown', async () => {
    const { runner, monitor } = setUp();
    await runner.run();
    runner.drain({ forMs: 60_000 });
    expect(jest.getTimerCount()).toBe(1);
    monitor.onApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('leaves the cached report untouched when nothing is drained, and builds a new one at each change', async () => {
    const { runner, monitor } = createRunner();
    runner.addCheck('db', () => true, { tags: ['readiness'] });
    const first = await monitor.current({ tag: 'readiness' });
    expect(monitor.current({ tag: 'readiness' })).toBe(first);
    runner.drain();
    const drained = monitor.current({ tag: 'readiness' });
    expect(drained).not.toBe(first);
    expect(monitor.current({ tag: 'readiness' })).toBe(drained);
    runner.undrain();
    const after = monitor.current({ tag: 'readiness' }) as HealthReport;
    expect(after).not.toBe(drained);
    expect(after.status).toBe('success');
    expect(monitor.current({ tag: 'readiness' })).toBe(after);
  });

  it('is recorded in the history when it starts and ends, its reason and end only with details', async () => {
    const { runner, monitor } = setUp();
    const history = new HealthHistory(monitor, { history: { size: 10 } });
    await runner.run();
    runner.drain({ reason: 'migration', forMs: 1_000 });
    jest.advanceTimersByTime(1_000);
    const drains = (showDetails: boolean) =>
      history
        .entries({ showDetails })
        .filter((entry) => entry.type === 'drain');
    expect(drains(true)).toEqual([
      {
        time: (NOW + 1_000) / 1000,
        type: 'drain',
        previous: 'drained',
        current: 'serving',
      },
      {
        time: NOW / 1000,
        type: 'drain',
        previous: 'serving',
        current: 'drained',
        reason: 'migration',
        until: '2026-01-01T00:00:01.000Z',
      },
    ]);
    expect(drains(false)[1]).toEqual({
      time: NOW / 1000,
      type: 'drain',
      previous: 'serving',
      current: 'drained',
    });
  });

  it('reaches event-stream clients as a change event, the reason only for those who see details', async () => {
    const { runner, monitor } = setUp();
    await runner.run();
    const hub = new EventStreamHub({ monitor, title: 'Health' });
    const full = recordingResponse();
    const hidden = recordingResponse();
    hub.serve(full.response, true);
    hub.serve(hidden.response, false);
    runner.drain({ reason: 'migration' });
    const drainEvents = (client: typeof full) =>
      client
        .events()
        .filter(
          ({ event, data }) =>
            event === 'change' && (data as { type: string }).type === 'drain',
        )
        .map(({ data }) => data);
    expect(drainEvents(full)).toEqual([
      expect.objectContaining({ current: 'drained', reason: 'migration' }),
    ]);
    expect(drainEvents(hidden)).toEqual([
      expect.not.objectContaining({ reason: expect.anything() }),
    ]);
    const late = recordingResponse();
    hub.serve(late.response, false);
    expect(late.events()[0]).toMatchObject({
      event: 'snapshot',
      data: { drain: {}, overall: { status: 'failure' } },
    });
    hub.closeAll();
  });
});
