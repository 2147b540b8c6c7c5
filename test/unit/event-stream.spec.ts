import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { HealthMonitor } from '../../lib/checks/health.monitor.js';
import {
  applicationShuttingDown,
  streamClientsFull,
} from '../../lib/healthcheck.messages.js';
import type { HealthHistoryEntry } from '../../lib/history/history-entry.js';
import { renderBody } from '../../lib/report/http-response.js';
import {
  DASHBOARD_CSP,
  dashboardResponse,
} from '../../lib/ui/dashboard.response.js';
import {
  EventStreamHub,
  type EventStreamOptions,
} from '../../lib/ui/event-stream.js';
import {
  type ResultPayload,
  type SnapshotPayload,
  streamCheck,
} from '../../lib/ui/stream-payloads.js';
import {
  startStreamServer,
  startUiApp,
  type UiApp,
  type UiAppOptions,
} from '../fixtures/ui-app.fixture.js';
import {
  getText,
  openEventStream,
  recordingResponse,
  type SseClient,
} from '../fixtures/ui-sse-client.js';
import { createRunner } from './runner.helpers.js';

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
async function until(
  what: string,
  condition: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    await delay(10);
  }
}

/** Counts the monitor's subscriptions still active (the hub holds one while it has clients). */
function countSubscriptions(monitor: HealthMonitor) {
  const counts = { subscribed: 0, unsubscribed: 0, active: () => 0 };
  counts.active = () => counts.subscribed - counts.unsubscribed;
  const subscribe = monitor.subscribe.bind(monitor);
  jest.spyOn(monitor, 'subscribe').mockImplementation((listener) => {
    counts.subscribed++;
    const unsubscribe = subscribe(listener);
    return () => {
      counts.unsubscribed++;
      unsubscribe();
    };
  });
  return counts;
}

/** A hub over a fresh monitor, for tests that add their own checks. */
function hubWith(options: EventStreamOptions = {}) {
  const { monitor, runner } = createRunner();
  const hub = new EventStreamHub({ monitor, title: 'Health' }, options);
  return { monitor, runner, hub };
}

describe('EventStreamHub over HTTP', () => {
  let running: UiApp | undefined;
  const clients: SseClient[] = [];
  const closers: Array<() => Promise<void>> = [];
  const start = async (options: UiAppOptions) =>
    (running = await startUiApp(options));
  const open = async (url = `${running!.baseUrl}/events`) => {
    const client = await openEventStream(url);
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const close of closers.splice(0)) await close();
    await running?.close();
    running = undefined;
  });

  it('answers with the event-stream headers and a snapshot of every check', async () => {
    const app = await start({ interval: 50 });
    await until('first results', () =>
      app.monitor.snapshot().every((check) => check.result?.passed),
    );
    const client = await open();
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toBe(
      'text/event-stream; charset=utf-8',
    );
    expect(client.response.headers['cache-control']).toMatch(/^no-cache/);
    expect(client.response.headers['x-accel-buffering']).toBe('no');

    const snapshot = await client.next<SnapshotPayload>('snapshot');
    expect(snapshot.title).toBe('Shop health');
    expect(snapshot.overall).toEqual({ status: 'success', degraded: false });
    expect(snapshot.checks.map((check) => check.name)).toEqual([
      'postgres',
      'redis',
      'payments-api',
      'search-index',
      'disk',
    ]);
    expect(snapshot.checks[0]).toMatchObject({
      name: 'postgres',
      tags: ['readiness'],
      critical: true,
      interval: 50,
      state: 'passing',
      result: {
        checker: 'postgres',
        passed: true,
        output: 'SELECT 1 answered in 2 ms',
        runbook: 'https://runbooks.example.com/postgres',
      },
    });
    expect(snapshot.checks[3]).toMatchObject({ critical: false });
    expect(snapshot.history).toEqual([]);
  });

  it('sends a result and a change event when a check flips', async () => {
    const app = await start({ interval: 50 });
    const client = await open();
    await client.next('snapshot');
    app.setPassing('redis', false);

    const result = await client.next<ResultPayload>(
      'result',
      (data) => data.check.name === 'redis' && data.check.state === 'failing',
    );
    expect(result.check.result?.output).toBe('PING timed out after 1000 ms');
    expect(result.overall).toEqual({ status: 'failure', degraded: false });
    const change = await client.next<HealthHistoryEntry>(
      'change',
      (data) => data.name === 'redis',
    );
    expect(change).toMatchObject({
      type: 'check',
      previous: 'success',
      current: 'failure',
      output: 'PING timed out after 1000 ms',
    });
    await client.next<HealthHistoryEntry>(
      'change',
      (data) => data.type === 'overall' && data.current === 'failure',
    );

    const late = await open();
    const snapshot = await late.next<SnapshotPayload>('snapshot');
    expect(snapshot.history[0]).toMatchObject({
      type: 'overall',
      current: 'failure',
    });
    expect(snapshot.checks.find((c) => c.name === 'redis')?.state).toBe(
      'failing',
    );
  });

  it('leaves outputs out of every event when showDetails is false', async () => {
    const app = await start({ interval: 50, showDetails: false });
    await until('first results', () =>
      app.monitor.snapshot().every((check) => check.result?.passed),
    );
    app.setPassing('postgres', false);
    await until(
      'the failure is recorded',
      () => app.history.entries({ showDetails: true }).length > 0,
    );
    const client = await open();
    const snapshot = await client.next<SnapshotPayload>('snapshot');
    app.setPassing('postgres', true);
    await client.next<HealthHistoryEntry>(
      'change',
      (data) => data.name === 'postgres',
    );
    await client.next('result');

    const text = JSON.stringify(client.events);
    expect(text).not.toContain('"output"');
    expect(text).not.toContain('ECONNREFUSED');
    expect(snapshot.checks[0].state).toBe('failing');
    expect(snapshot.history.length).toBeGreaterThan(0);
  });

  it('leaves the output a threshold holds out of every event when showDetails is false', async () => {
    const { monitor, runner, hub } = hubWith();
    const server = await startStreamServer(hub);
    closers.push(() => server.close());
    let passing = true;
    runner.addCheck(
      'disk',
      () =>
        passing
          ? [true, 'disk 41% full on /var']
          : [false, 'disk 97% full on /var, password=hunter2'],
      { failureThreshold: 3, successTtl: 0, failedTtl: 0 },
    );
    await monitor.current();
    const hidden = await open(server.publicUrl);
    const shown = await open(server.url);
    await hidden.next('snapshot');
    await shown.next('snapshot');

    passing = false;
    await monitor.current();
    await monitor.current();
    // Two failures of three: the threshold holds the passing status.
    expect(monitor.snapshot()[0]).toMatchObject({
      status: 'passing',
      result: { held: { consecutive_failures: 2 } },
    });
    const isHeld = (data: ResultPayload) =>
      (data.check.result?.held as { consecutive_failures?: number })
        ?.consecutive_failures === 2;
    const heldShown = await shown.next<ResultPayload>('result', isHeld);
    // The client with details sees the held output: the test would see it if it leaked.
    expect(heldShown.check.result?.held).toMatchObject({
      latest_output: expect.stringContaining('disk 97% full'),
    });
    await until(
      'both held results without details',
      () => hidden.events.filter((e) => e.event === 'result').length === 2,
    );
    for (const event of hidden.events.filter((e) => e.event === 'result')) {
      expect((event.data as ResultPayload).check).toMatchObject({
        state: 'passing',
        result: { passed: true },
      });
    }
    const text = JSON.stringify(hidden.events);
    expect(text).not.toContain('latest_output');
    expect(text).not.toContain('disk 97% full');
    expect(text).not.toContain('hunter2');
    expect(JSON.stringify(shown.events)).not.toContain('hunter2');
  });

  it('answers a client past maxClients 503 with a JSON failure while the others keep streaming', async () => {
    const { monitor, runner, hub } = hubWith({ maxClients: 2 });
    const server = await startStreamServer(hub);
    closers.push(() => server.close());
    let passing = true;
    runner.addCheck('db', () => passing, { successTtl: 0, failedTtl: 0 });
    await monitor.current();
    const first = await open(server.url);
    const second = await open(server.publicUrl);
    await first.next('snapshot');
    await second.next('snapshot');

    const refused = await getText(server.url);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(refused.body)).toEqual({
      status: 'failure',
      error: streamClientsFull(2),
    });
    expect(hub.size).toBe(2);

    passing = false;
    await monitor.current();
    for (const client of [first, second]) {
      await client.next<ResultPayload>(
        'result',
        (data) => data.check.state === 'failing',
      );
    }
  });

  it('answers 503 once shutdown has begun', async () => {
    const { monitor, hub } = hubWith();
    const response = recordingResponse();
    monitor.beginShutdown();
    hub.serve(response.response, true);
    expect(response.status).toBe(503);
    expect(JSON.parse(response.chunks.join(''))).toEqual({
      status: 'failure',
      error: applicationShuttingDown,
    });
    expect(hub.size).toBe(0);
  });

  it('builds each result event once per audience, not once per client (20 clients, 20 checks)', async () => {
    const { monitor, runner, hub } = hubWith();
    const server = await startStreamServer(hub);
    closers.push(() => server.close());
    for (let index = 0; index < 20; index++) {
      runner.addCheck(`check-${index}`, () => [true, `ok ${index}`], {
        successTtl: 0,
      });
    }
    await monitor.current();
    const streams = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        open(index % 2 ? server.publicUrl : server.url),
      ),
    );
    await Promise.all(streams.map((client) => client.next('snapshot')));

    const snapshot = jest.spyOn(monitor, 'snapshot');
    const stringify = jest.spyOn(JSON, 'stringify');
    let results = 0;
    monitor.subscribe((event) => {
      if (event.type === 'result') results++;
    });
    await monitor.current();
    // Counted before the spies are restored: only result payloads (time, overall, check) are counted.
    const payloadsBuilt = stringify.mock.calls.filter(([value]) => {
      const keys = value && typeof value === 'object' ? Object.keys(value) : [];
      return keys.join() === 'time,overall,check';
    }).length;
    const snapshots = snapshot.mock.calls.length;
    stringify.mockRestore();
    snapshot.mockRestore();

    expect(results).toBe(20);
    expect(snapshots).toBe(20);
    expect(payloadsBuilt).toBe(40);
    await Promise.all(
      streams.map((client) =>
        until(
          'every result event',
          () =>
            client.events.filter((event) => event.event === 'result').length ===
            20,
        ),
      ),
    );
    // Every client of an audience received the same text.
    const texts = streams.map((client) =>
      JSON.stringify(client.events.filter((event) => event.event === 'result')),
    );
    expect(new Set(texts.filter((_, index) => index % 2 === 0)).size).toBe(1);
    expect(new Set(texts.filter((_, index) => index % 2 === 1)).size).toBe(1);
  });

  it('sends a keep-alive comment every heartbeat', async () => {
    await start({ interval: 60_000, stream: { heartbeatMs: 20 } });
    const client = await open();
    await until('two heartbeats', () => client.comments.length >= 2);
    expect(client.comments[0]).toBe('keep-alive');
  });

  it('ends the stream when shutdown begins', async () => {
    const app = await start({ interval: 60_000 });
    const client = await open();
    await client.next('snapshot');
    app.monitor.beginShutdown();
    await client.next('shutdown');
    await client.ended;
    expect(app.hub.size).toBe(0);
  });

  it('leaves no listener behind after 1,000 connects and disconnects', async () => {
    const app = await start({ interval: 20 });
    const counts = countSubscriptions(app.monitor);

    const cycle = async () => {
      const client = await openEventStream(`${app.baseUrl}/events`);
      await client.next('snapshot');
      client.close();
    };
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(Array.from({ length: 10 }, cycle));
    }
    await until('every stream closed', () => app.hub.size === 0);
    // One subscription for all clients at once: at most one per connect, and none left.
    expect(counts.subscribed).toBeGreaterThanOrEqual(1);
    expect(counts.subscribed).toBeLessThanOrEqual(1_000);
    expect(counts.active()).toBe(0);
  }, 60_000);
});

describe('EventStreamHub in process', () => {
  afterEach(() => jest.useRealTimers());

  it('drops a client that stops reading once more than maxBufferedBytes are pending, and unsubscribes', async () => {
    const { monitor, runner, hub } = hubWith({ maxBufferedBytes: 2_048 });
    const counts = countSubscriptions(monitor);
    runner.addCheck('db', () => [true, 'x'.repeat(300)], { successTtl: 0 });
    await monitor.current();
    const reader = recordingResponse();
    const stalled = recordingResponse({ unread: true });
    hub.serve(reader.response, true);
    hub.serve(stalled.response, true);
    expect(counts.active()).toBe(1);

    let runs = 0;
    let pendingBeforeLastEvent = 0;
    while (hub.size === 2) {
      pendingBeforeLastEvent = stalled.writableLength;
      await monitor.current();
      if (++runs > 100) throw new Error('the stalled client was never dropped');
    }
    // Dropped at the first event that found more than the limit still unread, not before.
    expect(pendingBeforeLastEvent).toBeGreaterThan(2_048);
    expect(stalled.writableLength).toBe(pendingBeforeLastEvent);
    expect(stalled.ended).toBe(true);
    expect(stalled.destroyed).toBe(true);
    expect(reader.ended).toBe(false);
    expect(hub.size).toBe(1);
    expect(counts.active()).toBe(1);

    // The reading client kept every result.
    expect(reader.events().filter((e) => e.event === 'result')).toHaveLength(
      runs,
    );
    reader.disconnect();
    expect(hub.size).toBe(0);
    expect(counts.active()).toBe(0);
  });

  it('sends a snapshot larger than maxBufferedBytes to a client that reads it, and keeps streaming to it', async () => {
    const { monitor, runner, hub } = hubWith({ maxBufferedBytes: 2_048 });
    runner.addCheck('db', () => [true, 'x'.repeat(4_000)], { successTtl: 0 });
    await monitor.current();
    // A real socket holds a big write unread for a moment: the client is not dropped for it.
    const slowToRead = recordingResponse({ unread: true });
    hub.serve(slowToRead.response, true);
    expect(slowToRead.writableLength).toBeGreaterThan(2_048);
    expect(slowToRead.ended).toBe(false);
    expect(hub.size).toBe(1);
    slowToRead.disconnect();

    const reader = recordingResponse();
    hub.serve(reader.response, true);
    await monitor.current();
    expect(hub.size).toBe(1);
    expect(reader.ended).toBe(false);
    expect(reader.events().map((event) => event.event)).toEqual([
      'snapshot',
      'result',
    ]);
    reader.disconnect();
  });

  it('refreshes an expired on-demand check at most once per TTL while a client is connected, and never without one', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const { monitor, runner, hub } = hubWith();
    const check = jest.fn(() => true);
    runner.addCheck('db', check, { successTtl: 1_000 });
    await monitor.current();
    expect(check).toHaveBeenCalledTimes(1);

    // No client: nothing runs, however long.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(check).toHaveBeenCalledTimes(1);

    const client = recordingResponse();
    hub.serve(client.response, true);
    for (let step = 0; step < 50; step++) {
      await jest.advanceTimersByTimeAsync(100);
    }
    const refreshes = check.mock.calls.length - 1;
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(refreshes).toBeLessThanOrEqual(5);
    // The refreshed results reached the client.
    expect(
      client.events().filter((event) => event.event === 'result'),
    ).toHaveLength(refreshes);

    client.disconnect();
    const afterClient = check.mock.calls.length;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(check).toHaveBeenCalledTimes(afterClient);
  });

  it('says in the snapshot and in every result event the overall status monitor.overall() and the report say', async () => {
    const { monitor, runner, hub } = hubWith();
    const outcomes = new Map([
      ['db', true],
      ['search', true],
    ]);
    runner.addCheck('db', () => outcomes.get('db')!, {
      successTtl: 0,
      failedTtl: 0,
    });
    runner.addCheck('search', () => outcomes.get('search')!, {
      successTtl: 0,
      failedTtl: 0,
      critical: false,
    });
    await monitor.current();
    const client = recordingResponse();
    hub.serve(client.response, false);
    const snapshot = client.events()[0].data as SnapshotPayload;
    expect(snapshot.overall).toEqual(monitor.overall());
    expect(snapshot.overall.status).toBe(
      ((await monitor.peek()) as { status: string }).status,
    );

    // Subscribed after the hub: each record sees the state the hub's payload was built from.
    const expected: unknown[] = [];
    monitor.subscribe((event) => {
      if (event.type !== 'result') return;
      const report = monitor.peek();
      if (report instanceof Promise) throw new Error('a report with sections');
      expect(report.status).toBe(monitor.overall().status);
      expect(report.degraded ?? false).toBe(monitor.overall().degraded);
      expected.push(monitor.overall());
    });
    for (const [db, search] of [
      [true, false],
      [false, false],
      [false, true],
      [true, true],
    ]) {
      outcomes.set('db', db);
      outcomes.set('search', search);
      await monitor.current();
    }
    const overalls = client
      .events()
      .filter((event) => event.event === 'result')
      .map((event) => (event.data as ResultPayload).overall);
    expect(overalls).toHaveLength(8);
    expect(overalls).toEqual(expected);
    expect(new Set(overalls.map((o) => `${o.status}/${o.degraded}`))).toEqual(
      new Set(['success/false', 'success/true', 'failure/false']),
    );
    client.disconnect();
  });
});

describe('dashboardResponse', () => {
  const response = dashboardResponse();
  const html = renderBody(response);
  const header = (name: string) =>
    response.headers.find(([key]) => key.toLowerCase() === name)?.[1];
  const sha256 = (text: string) =>
    `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

  it('is the static page with a strict policy', () => {
    expect(response.status).toBe(200);
    expect(header('content-type')).toBe('text/html; charset=utf-8');
    expect(header('cache-control')).toBe('no-store');
    expect(header('content-security-policy')).toBe(DASHBOARD_CSP);
    for (const directive of [
      "default-src 'none'",
      "connect-src 'self'",
      'img-src data:',
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(DASHBOARD_CSP).toContain(directive);
    }
    expect(html).not.toMatch(
      /<(script|link|img)[^>]+(src|href)="(https?:)?\/\//,
    );
  });

  it('allows exactly its inline script and style', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    expect(DASHBOARD_CSP).toContain(`script-src ${sha256(script)};`);
    expect(DASHBOARD_CSP).toContain(`style-src ${sha256(style)};`);
  });

  it('is generated from lib/ui/dashboard.html', () => {
    expect(html).toBe(readFileSync('lib/ui/dashboard.html', 'utf8'));
    expect(() =>
      execFileSync(
        process.execPath,
        ['scripts/embed-dashboard.mjs', '--check'],
        {
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  });

  it('is served by the test app as the browser suite loads it', async () => {
    const app = await startUiApp({ interval: 60_000 });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        get(`${app.baseUrl}/ui`, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe(html);
    } finally {
      await app.close();
    }
  });
});

describe('streamCheck states', () => {
  const base = {
    name: 'search',
    tags: ['readiness'],
    critical: true,
  };
  const result = {
    checker: 'search',
    output: 'cluster is yellow',
    passed: true,
    timestamp: 1_000,
    expires: 1_010,
    response_time: 0.01,
  };

  it('shows a passing check that says it is degraded as degraded, its result passing and degraded with or without details', () => {
    const snapshot = {
      ...base,
      status: 'passing' as const,
      result: { ...result, degraded: true as const },
    };
    for (const showDetails of [true, false]) {
      const check = streamCheck(snapshot, showDetails);
      expect(check.state).toBe('degraded');
      expect(check.result).toMatchObject({ passed: true, degraded: true });
    }
  });

  it.each([
    ['passing', 'passing', { ...result }],
    ['failing', 'failing', { ...result, passed: false }],
    ['pending', 'pending', { ...result, passed: false }],
    ['pending', 'not-run', undefined],
  ] as const)('shows %s as %s otherwise', (status, state, shown) => {
    expect(
      streamCheck({ ...base, status, ...(shown && { result: shown }) }, true)
        .state,
    ).toBe(state);
  });
});
