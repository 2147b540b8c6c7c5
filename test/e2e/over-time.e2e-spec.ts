import { jest } from '@jest/globals';
import { HealthMonitor } from '../../lib/checks/health.monitor.js';
import { type INestApplication, Module } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Registry, register } from 'prom-client';
import type { HealthHistoryEntry } from '../../lib/history/history-entry.js';
import {
  HealthCheckRunner,
  HealthcheckModule,
  type HealthcheckModuleOptions,
  HealthcheckServer,
} from '../../lib/index.js';
import { DASHBOARD_CSP } from '../../lib/ui/dashboard.response.js';
import {
  BackgroundChecks,
  CheckSwitch,
  OnDemandChecks,
  waitFor,
  X_RUNBOOK,
  xOutput,
} from '../fixtures/over-time.fixture.js';
import { openEventStream, type SseClient } from '../fixtures/ui-sse-client.js';
import { createApp, healthcheckApps, PLATFORMS } from './platforms.js';

/** A history entry or `change` event as the wire carries it. */
type Entry = HealthHistoryEntry;

/** Counts the runner subscriptions made from now on that have not been undone yet. */
function countSubscriptions(runner: HealthMonitor): () => number {
  const subscribe = runner.subscribe.bind(runner);
  let live = 0;
  jest.spyOn(runner, 'subscribe').mockImplementation((listener) => {
    const unsubscribe = subscribe(listener);
    live++;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        live--;
      }
      unsubscribe();
    };
  });
  return () => live;
}

/** The sample of `healthcheck_up` for check `x` in a scrape, or undefined when there is none. */
function upOfX(scrape: string): number | undefined {
  const line = scrape
    .split('\n')
    .find((candidate) => candidate.startsWith('healthcheck_up{check="x"} '));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe.each(PLATFORMS)('health over time (%s)', (platform) => {
  const apps = healthcheckApps(platform);
  const withChecks = { providers: [CheckSwitch, BackgroundChecks] };

  afterEach(() => jest.restoreAllMocks());

  /** Listens on 127.0.0.1 and answers the app's port. */
  async function listen(app: INestApplication): Promise<number> {
    await app.listen(0, '127.0.0.1');
    return (app.getHttpServer().address() as AddressInfo).port;
  }

  /** Follows a stream through a flip of check `x` to failing, then closes it and awaits its listener's removal. */
  async function followFlip(
    app: INestApplication,
    port: number,
  ): Promise<void> {
    const subscriptions = countSubscriptions(app.get(HealthMonitor));
    const stream = await openEventStream(
      `http://127.0.0.1:${port}/healthcheck/events`,
    );
    try {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toMatch(
        /^text\/event-stream/,
      );
      expect(stream.response.headers['x-accel-buffering']).toBe('no');
      const snapshot = await stream.next<{
        title: string;
        checks: { name: string }[];
      }>('snapshot');
      expect(snapshot.title).toBe('Shop health');
      expect(snapshot.checks.map((check) => check.name)).toEqual(['x']);
      expect(stream.events[0].event).toBe('snapshot');
      expect(subscriptions()).toBe(1);

      await stream.next<{ check: { state: string } }>(
        'result',
        (data) => data.check.state === 'passing',
      );
      app.get(CheckSwitch).passing = false;
      const change = await stream.next<Entry>(
        'change',
        (data) => data.type === 'check',
      );
      expect(change).toMatchObject({
        type: 'check',
        name: 'x',
        previous: 'success',
        current: 'failure',
        output: xOutput(false),
        runbook: X_RUNBOOK,
      });
      await stream.next<Entry>(
        'change',
        (data) => data.type === 'overall' && data.current === 'failure',
      );
    } finally {
      stream.close();
    }
    await stream.ended;
    await waitFor(
      () => subscriptions() === 0,
      'the stream unsubscribes from the runner',
    );
  }

  describe('the dashboard page', () => {
    it('answers the page with its Content-Security-Policy', async () => {
      const http = await apps.boot({ ui: true });
      const response = await http.get('/healthcheck/ui').expect(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(DASHBOARD_CSP);
      expect(response.headers['content-security-policy']).toContain(
        "default-src 'none'",
      );
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.text).toMatch(/^<!doctype html>/);
    });

    it('has neither the page nor the stream when `ui` is off', async () => {
      const http = await apps.boot({});
      await http.get('/healthcheck/ui').expect(404);
      await http.get('/healthcheck/events').expect(404);
      await http.get('/healthcheck').expect(200);
    });
  });

  describe('the event stream', () => {
    it('sends a snapshot, then a change when a background check flips, and lets go of the runner when the client leaves', async () => {
      await apps.boot({ ui: { title: 'Shop health' } }, withChecks);
      const port = await listen(apps.app);
      await followFlip(apps.app, port);
    });

    it('does the same on the health server', async () => {
      await apps.boot(
        {
          ui: { title: 'Shop health' },
          server: { port: 0, host: '127.0.0.1' },
        },
        withChecks,
      );
      const address = apps.app.get(HealthcheckServer).address();
      if (!address) throw new Error('the health server is not listening');
      await followFlip(apps.app, address.port);
    });

    it('ends with a shutdown event when the app closes, so that the close does not wait for the client', async () => {
      @Module({
        imports: [HealthcheckModule.forRoot({ ui: true })],
        providers: [CheckSwitch, BackgroundChecks],
      })
      class AppModule {}
      const app = await createApp(AppModule, platform);
      let stream: SseClient | undefined;
      try {
        const port = await listen(app);
        stream = await openEventStream(
          `http://127.0.0.1:${port}/healthcheck/events`,
        );
        await stream.next('snapshot');
      } finally {
        await app.close();
      }
      await stream!.next('shutdown');
      await stream!.ended;
    });
  });

  describe('the history', () => {
    /** Boots with `options`, flips check `x` to failing and back, and answers the client. */
    async function flipTwice(options: HealthcheckModuleOptions) {
      const http = await apps.boot(options, withChecks);
      const history = async (headers: Record<string, string> = {}) =>
        (await http.get('/healthcheck/history').set(headers).expect(200))
          .body as { entries: Entry[] };
      const state = apps.app.get(CheckSwitch);
      await waitFor(() => state.runs > 0, 'the first run');
      state.passing = false;
      await waitFor(
        async () => (await history()).entries.length === 2,
        'the failure in the history',
      );
      state.passing = true;
      await waitFor(
        async () => (await history()).entries.length === 4,
        'the recovery in the history',
      );
      return history;
    }

    const flips = (details: boolean): Partial<Entry>[] => {
      const check = (previous: string, current: string, passing: boolean) => ({
        type: 'check' as const,
        name: 'x',
        previous: previous as Entry['current'],
        current: current as Entry['current'],
        runbook: X_RUNBOOK,
        ...(details && { output: xOutput(passing) }),
      });
      const overall = (previous: string, current: string) => ({
        type: 'overall' as const,
        previous: previous as Entry['current'],
        current: current as Entry['current'],
      });
      return [
        overall('failure', 'success'),
        check('failure', 'success', true),
        overall('success', 'failure'),
        check('success', 'failure', false),
      ];
    };

    const expectNewestFirst = (entries: Entry[]) => {
      const times = entries.map((entry) => entry.time);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    };

    it('lists the changes of the check and of the overall status, newest first, with outputs', async () => {
      const history = await flipTwice({});
      const { entries } = await history();
      expect(entries).toEqual(
        flips(true).map((entry) => expect.objectContaining(entry)),
      );
      expectNewestFirst(entries);
    });

    it('hides the outputs with `showDetails: false`', async () => {
      const history = await flipTwice({ showDetails: false });
      const { entries } = await history();
      expect(entries).toEqual(
        flips(false).map((entry) => expect.objectContaining(entry)),
      );
      for (const entry of entries) expect(entry).not.toHaveProperty('output');
    });

    it('hides the outputs from a caller that the `showDetails` function refuses', async () => {
      const history = await flipTwice({
        showDetails: (request) =>
          (request as { headers: Record<string, unknown> }).headers[
            'x-on-call'
          ] === 'yes',
      });
      const hidden = (await history()).entries;
      expect(hidden).toEqual(
        flips(false).map((entry) => expect.objectContaining(entry)),
      );
      for (const entry of hidden) expect(entry).not.toHaveProperty('output');
      const shown = (await history({ 'x-on-call': 'yes' })).entries;
      expect(shown).toEqual(
        flips(true).map((entry) => expect.objectContaining(entry)),
      );
    });
  });

  describe('the Prometheus metrics', () => {
    afterEach(() => register.clear());

    it('reads the latest result at scrape time without running the check', async () => {
      const registry = new Registry();
      const http = await apps.boot(
        { metrics: { registry } },
        { providers: [CheckSwitch, OnDemandChecks] },
      );
      const state = apps.app.get(CheckSwitch);
      const before = await registry.metrics();
      expect(upOfX(before)).toBeUndefined();
      expect(before).toContain('healthcheck_critical{check="x"} 1');
      expect(state.runs).toBe(0);

      await http.get('/healthcheck').expect(200);
      expect(state.runs).toBe(1);
      for (let scrape = 0; scrape < 3; scrape++) {
        expect(upOfX(await registry.metrics())).toBe(1);
      }
      expect(state.runs).toBe(1);

      state.passing = false;
      await http.get('/healthcheck').expect(500);
      expect(state.runs).toBe(2);
      const after = await registry.metrics();
      expect(upOfX(after)).toBe(0);
      expect(after).toContain('healthcheck_status 0');
      expect(after).toContain('healthcheck_status_changes_total{check="x"} 1');
      expect(state.runs).toBe(2);
      expect(await register.metrics()).not.toContain('healthcheck_');
    });

    it('follows a background check without a request', async () => {
      const registry = new Registry();
      await apps.boot({ metrics: { registry } }, withChecks);
      await waitFor(
        async () => upOfX(await registry.metrics()) === 1,
        'up = 1',
      );
      apps.app.get(CheckSwitch).passing = false;
      await waitFor(
        async () => upOfX(await registry.metrics()) === 0,
        'up = 0',
      );
    });

    it('uses the global registry with `metrics: true`', async () => {
      const http = await apps.boot(
        { metrics: true },
        { providers: [CheckSwitch, OnDemandChecks] },
      );
      await http.get('/healthcheck').expect(200);
      expect(upOfX(await register.metrics())).toBe(1);
    });

    it('keeps two apps with registries of their own apart', async () => {
      const boot = async (registry: Registry) => {
        @Module({
          imports: [HealthcheckModule.forRoot({ metrics: { registry } })],
          providers: [CheckSwitch, OnDemandChecks],
        })
        class AppModule {}
        return createApp(AppModule, platform);
      };
      const [registryA, registryB] = [new Registry(), new Registry()];
      const a = await boot(registryA);
      try {
        const b = await boot(registryB);
        try {
          b.get(CheckSwitch).passing = false;
          await a.get(HealthCheckRunner).run();
          await b.get(HealthCheckRunner).run();
          expect(upOfX(await registryA.metrics())).toBe(1);
          expect(upOfX(await registryB.metrics())).toBe(0);
          expect(a.get(CheckSwitch).runs).toBe(1);
          expect(b.get(CheckSwitch).runs).toBe(1);
        } finally {
          await b.close();
        }
        expect(upOfX(await registryA.metrics())).toBe(1);
      } finally {
        await a.close();
      }
    });
  });
});
