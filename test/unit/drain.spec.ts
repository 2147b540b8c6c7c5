import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { ServerResponse } from 'node:http';
import type { HealthMonitor } from '../../lib/checks/health.monitor.js';
import type { HealthEndpoints } from '../../lib/http/health-endpoints.js';
import type { ResolvedHealthcheckOptions } from '../../lib/interfaces/resolved-options.interface.js';
import type { HttpResponse } from '../../lib/report/http-response.js';
import {
  AUTHORIZE_TIMEOUT_MS,
  HealthServerRoutes,
} from '../../lib/server/health-server.routes.js';
import {
  authorizeTimedOut,
  drainDurationInvalid,
  drainOptionsInvalid,
  drainReasonInvalid,
} from '../../lib/healthcheck.messages.js';
import {
  presentHistoryEntry,
  presentResult,
} from '../../lib/report/presentation.js';
import { toIetfReport } from '../../lib/report/ietf-report.js';
import { assembleReport } from '../../lib/report/health-report.js';
import { toHistoryEntry } from '../../lib/history/history-entry.js';
import {
  drainIsOver,
  MAX_DRAIN_MS,
  MAX_DRAIN_REASON_LENGTH,
  startDrain,
} from '../../lib/status/drain.js';
import { overallOf } from '../../lib/status/overall-status.js';
import { snapshotPayload } from '../../lib/ui/stream-payloads.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('startDrain', () => {
  it('keeps the reason and the end as an ISO time, with a failing critical drain result', () => {
    const drain = startDrain({ reason: 'migration', forMs: 60_000 }, NOW);
    expect(drain.state).toEqual({
      reason: 'migration',
      until: '2026-01-01T00:01:00.000Z',
    });
    expect(drain.endsAt).toBe(NOW + 60_000);
    expect(drain.result).toEqual({
      checker: 'drain',
      output: { reason: 'migration', until: '2026-01-01T00:01:00.000Z' },
      passed: false,
      timestamp: NOW / 1000,
      expires: (NOW + 60_000) / 1000,
      response_time: 0,
    });
  });

  it('has no end without forMs, and no reason without one', () => {
    const drain = startDrain(undefined, NOW);
    expect(drain.state).toEqual({});
    expect(drain.endsAt).toBeUndefined();
    expect(drain.result.output).toEqual({ until: null });
    expect(drainIsOver(drain, NOW + MAX_DRAIN_MS * 10)).toBe(false);
  });

  it('is over exactly when its time is up', () => {
    const drain = startDrain({ forMs: 1_000 }, NOW);
    expect(drainIsOver(drain, NOW + 999)).toBe(false);
    expect(drainIsOver(drain, NOW + 1_000)).toBe(true);
  });

  it.each([
    [null, drainOptionsInvalid('null')],
    ['reason', drainOptionsInvalid("the string 'reason'")],
    [[1], drainOptionsInvalid('an array of length 1 ([ 1 ])')],
    [{ reason: 42 }, drainReasonInvalid('the number 42')],
    [{ reason: null }, drainReasonInvalid('null')],
    [{ forMs: 0 }, drainDurationInvalid('the number 0', MAX_DRAIN_MS)],
    [{ forMs: -5 }, drainDurationInvalid('the number -5', MAX_DRAIN_MS)],
    [{ forMs: 1.5 }, drainDurationInvalid('the number 1.5', MAX_DRAIN_MS)],
    [{ forMs: NaN }, drainDurationInvalid('the number NaN', MAX_DRAIN_MS)],
    [
      { forMs: Infinity },
      drainDurationInvalid('the number Infinity', MAX_DRAIN_MS),
    ],
    [
      { forMs: MAX_DRAIN_MS + 1 },
      drainDurationInvalid(`the number ${MAX_DRAIN_MS + 1}`, MAX_DRAIN_MS),
    ],
    [{ forMs: '100' }, drainDurationInvalid("the string '100'", MAX_DRAIN_MS)],
  ])(
    'refuses %p with a message that says what is wrong',
    (options, message) => {
      expect(() => startDrain(options, NOW)).toThrow(message);
    },
  );

  it('accepts the largest delay a timer honours', () => {
    expect(startDrain({ forMs: MAX_DRAIN_MS }, NOW).endsAt).toBe(
      NOW + MAX_DRAIN_MS,
    );
  });

  it('turns the Unicode line and paragraph separators into spaces too: they end a log line as \\n does', () => {
    const drain = startDrain({ reason: 'a\u2028b\u2029c\u0085d' }, NOW);
    expect(drain.state.reason).toBe('a b c d');
  });

  it('turns control characters into spaces, so a reason cannot forge a log line', () => {
    const drain = startDrain({ reason: 'a\nb\r\u0000c\u001b[31m' }, NOW);
    expect(drain.state.reason).toBe('a b  c [31m');
  });

  it(`caps a long reason at ${MAX_DRAIN_REASON_LENGTH} characters without cutting a surrogate pair`, () => {
    const long = 'x'.repeat(500);
    expect(startDrain({ reason: long }, NOW).state.reason).toBe(
      `${'x'.repeat(MAX_DRAIN_REASON_LENGTH - 1)}…`,
    );
    const emoji = `${'x'.repeat(MAX_DRAIN_REASON_LENGTH - 2)}😀😀😀`;
    const capped = startDrain({ reason: emoji }, NOW).state.reason!;
    expect(capped).toBe(`${'x'.repeat(MAX_DRAIN_REASON_LENGTH - 2)}…`);
    expect(capped.length).toBeLessThanOrEqual(MAX_DRAIN_REASON_LENGTH);
    expect(JSON.parse(JSON.stringify({ capped })).capped).toBe(capped);
  });

  it('masks secrets in the reason with the given scrubber', () => {
    const drain = startDrain({ reason: 'token abc' }, NOW, (text) =>
      text.replace('abc', '***'),
    );
    expect(drain.state.reason).toBe('token ***');
    expect(drain.result.output).toEqual({ reason: 'token ***', until: null });
  });
});

describe('a drain in the status model and its presentation', () => {
  const drain = startDrain({ reason: 'noisy neighbour', forMs: 5_000 }, NOW);
  const passing = {
    checker: 'db',
    output: 'up',
    passed: true,
    timestamp: NOW / 1000,
    expires: NOW / 1000 + 27,
    response_time: 0.01,
  };

  it('fails the overall status while out of rotation, whatever the checks say', () => {
    expect(overallOf([passing], false)).toEqual({
      status: 'success',
      degraded: false,
    });
    expect(overallOf([passing], true)).toEqual({
      status: 'failure',
      degraded: false,
    });
  });

  it('shows the reason and the end only with details, like any output', () => {
    expect(presentResult(drain.result, true)).toBe(drain.result);
    expect(presentResult(drain.result, false)).toEqual({
      checker: 'drain',
      passed: false,
    });
  });

  it('is a failing check of the IETF format, its output only with details', () => {
    const report = assembleReport('host', [passing, drain.result], NOW);
    expect(report.status).toBe('failure');
    const full = toIetfReport(report, true);
    expect(full.status).toBe('fail');
    expect(full.checks.drain[0]).toMatchObject({
      componentId: 'drain',
      status: 'fail',
      output: JSON.stringify(drain.result.output),
    });
    expect(toIetfReport(report, false).checks.drain[0].output).toBeUndefined();
    expect(JSON.stringify(toIetfReport(report, false))).not.toContain(
      'noisy neighbour',
    );
  });

  it('makes history entries whose reason and end are shown only with details', () => {
    const started = toHistoryEntry(
      { type: 'drain', previous: undefined, current: drain.state },
      NOW,
    );
    expect(started).toEqual({
      time: NOW / 1000,
      type: 'drain',
      previous: 'serving',
      current: 'drained',
      reason: 'noisy neighbour',
      until: drain.state.until,
    });
    expect(presentHistoryEntry(started, false)).toEqual({
      time: NOW / 1000,
      type: 'drain',
      previous: 'serving',
      current: 'drained',
    });
    const replaced = toHistoryEntry(
      { type: 'drain', previous: drain.state, current: {} },
      NOW,
    );
    expect(replaced).toMatchObject({ previous: 'drained', current: 'drained' });
    const ended = toHistoryEntry(
      { type: 'drain', previous: drain.state, current: undefined },
      NOW + 5_000,
    );
    expect(ended).toEqual({
      time: (NOW + 5_000) / 1000,
      type: 'drain',
      previous: 'drained',
      current: 'serving',
    });
  });

  it("gives the event stream's snapshot the drain, its reason and end only with details", () => {
    const overall = { status: 'failure' as const, degraded: false };
    const full = snapshotPayload([], overall, [], 't', true, NOW, drain.state);
    expect(full.drain).toEqual(drain.state);
    const hidden = snapshotPayload(
      [],
      overall,
      [],
      't',
      false,
      NOW,
      drain.state,
    );
    expect(hidden.drain).toEqual({});
    expect(snapshotPayload([], overall, [], 't', true, NOW).drain).toBeNull();
  });
});

describe("the health server's server.authorize (drain and environment routes)", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  function routesWith(authorize: () => unknown) {
    const options = {
      path: 'healthcheck',
      environment: { path: 'environment' },
      ui: null,
      server: { port: 0, drainRoute: true, authorize },
    } as unknown as ResolvedHealthcheckOptions;
    const endpoints = {
      error: (status: number, message: string): HttpResponse => ({
        status,
        headers: [],
        body: message,
      }),
      environment: async (): Promise<HttpResponse> => ({
        status: 200,
        headers: [],
        body: '{}',
      }),
    } as unknown as HealthEndpoints;
    const monitor = {
      drain: jest.fn(),
      undrain: jest.fn(),
      drainState: () => undefined,
    };
    const routes = new HealthServerRoutes(
      options,
      endpoints,
      monitor as unknown as HealthMonitor,
    );
    const answer = (method: string, url: string) =>
      routes.answer(
        { method, url, headers: {}, socket: {} },
        undefined as unknown as ServerResponse,
      ) as Promise<HttpResponse>;
    return { answer, monitor };
  }

  it('answers 503 when authorize has not decided after AUTHORIZE_TIMEOUT_MS, and drains nothing', async () => {
    jest.useFakeTimers();
    const { answer, monitor } = routesWith(() => new Promise(() => {}));
    for (const [method, url] of [
      ['POST', '/healthcheck/drain'],
      ['DELETE', '/healthcheck/drain'],
      ['GET', '/environment'],
    ]) {
      let settled: HttpResponse | undefined;
      void answer(method, url).then((response) => (settled = response));
      await jest.advanceTimersByTimeAsync(AUTHORIZE_TIMEOUT_MS - 1);
      expect(settled).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect({ method, url, settled }).toEqual({
        method,
        url,
        settled: expect.objectContaining({
          status: 503,
          body: expect.stringContaining(
            JSON.stringify(authorizeTimedOut(AUTHORIZE_TIMEOUT_MS)).slice(
              1,
              -1,
            ),
          ),
        }),
      });
    }
    expect(monitor.drain).not.toHaveBeenCalled();
    expect(monitor.undrain).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('refuses with 403 an answer other than true, however soon it comes, and leaves no timer', async () => {
    jest.useFakeTimers();
    for (const decision of [undefined, false, 'yes', 1]) {
      const { answer, monitor } = routesWith(() => decision);
      const response = await answer('POST', '/healthcheck/drain');
      expect({ decision, status: response.status }).toEqual({
        decision,
        status: 403,
      });
      expect(monitor.drain).not.toHaveBeenCalled();
    }
    const { answer, monitor } = routesWith(async () => true);
    expect((await answer('POST', '/healthcheck/drain')).status).toBe(200);
    expect(monitor.drain).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
