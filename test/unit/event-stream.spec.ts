import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { get } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { HealthHistoryEntry } from '../../lib/history/history-entry.js';
import { renderBody } from '../../lib/report/http-response.js';
import {
  DASHBOARD_CSP,
  dashboardResponse,
} from '../../lib/ui/dashboard.response.js';
import { serveEventStream } from '../../lib/ui/event-stream.js';
import type {
  ResultPayload,
  SnapshotPayload,
} from '../../lib/ui/stream-payloads.js';
import {
  startUiApp,
  type UiApp,
  type UiAppOptions,
} from '../fixtures/ui-app.fixture.js';
import { openEventStream, type SseClient } from '../fixtures/ui-sse-client.js';
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

describe('serveEventStream', () => {
  let running: UiApp | undefined;
  const clients: SseClient[] = [];
  const start = async (options: UiAppOptions) =>
    (running = await startUiApp(options));
  const open = async () => {
    const client = await openEventStream(`${running!.baseUrl}/events`);
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await running?.close();
    running = undefined;
  });

  it('answers with the event-stream headers and a snapshot of every check', async () => {
    const app = await start({ interval: 50 });
    await until('first results', () =>
      app.runner.snapshot().every((check) => check.result?.passed),
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
      app.runner.snapshot().every((check) => check.result?.passed),
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

  it('sends a keep-alive comment every heartbeat', async () => {
    await start({ interval: 60_000, stream: { heartbeatMs: 20 } });
    const client = await open();
    await until('two heartbeats', () => client.comments.length >= 2);
    expect(client.comments[0]).toBe('keep-alive');
  });

  it('ends the stream when the application shuts down', async () => {
    const app = await start({ interval: 60_000 });
    const client = await open();
    await client.next('snapshot');
    app.runner.announceShutdown();
    await client.next('shutdown');
    await client.ended;
  });

  it('leaves no listener behind after 1,000 connects and disconnects', async () => {
    const app = await start({ interval: 20 });
    let subscribed = 0;
    let unsubscribed = 0;
    const subscribe = app.runner.subscribe.bind(app.runner);
    jest.spyOn(app.runner, 'subscribe').mockImplementation((listener) => {
      subscribed++;
      const unsubscribe = subscribe(listener);
      return () => {
        unsubscribed++;
        unsubscribe();
      };
    });

    const cycle = async () => {
      const client = await openEventStream(`${app.baseUrl}/events`);
      await client.next('snapshot');
      client.close();
    };
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(Array.from({ length: 10 }, cycle));
    }
    await until('every stream closed', () => unsubscribed === subscribed);
    expect(subscribed).toBe(1_000);
    expect(unsubscribed).toBe(1_000);
  }, 60_000);

  it('disconnects a client that stops reading', () => {
    const { runner } = createRunner();
    runner.addCheck('db', () => true);
    const response = Object.assign(new EventEmitter(), {
      writableLength: 0,
      writableEnded: false,
      destroyed: false,
      writeHead: jest.fn(),
      write: jest.fn(() => {
        response.writableLength += 600_000;
        return false;
      }),
      end: jest.fn(() => {
        response.writableEnded = true;
      }),
    });
    const unsubscribe = jest.fn();
    jest.spyOn(runner, 'subscribe').mockReturnValue(unsubscribe);
    serveEventStream(response as unknown as ServerResponse, {
      runner,
      title: 'Health',
      showDetails: true,
    });
    expect(response.end).toHaveBeenCalledTimes(1);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
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
