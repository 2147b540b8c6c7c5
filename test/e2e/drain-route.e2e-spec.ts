import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import {
  drainForbidden,
  drainedThrough,
  drainNeedsAuthorize,
  drainRouteDurationInvalid,
  methodNotAllowed,
  noHealthRoute,
} from '../../lib/healthcheck.messages.js';
import {
  HealthCheckRunner,
  type HealthcheckModuleOptions,
  type HealthReport,
} from '../../lib/index.js';
import { MAX_DRAIN_MS } from '../../lib/status/drain.js';
import {
  bootHealthContext,
  healthPort,
} from '../fixtures/health-server-thread.fixture.js';
import { until } from '../fixtures/parity.fixture.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';

const TOKEN = { 'x-token': 'drainer' };

/** Lets through the requests that carry TOKEN; asynchronous, as a lookup of the caller would be. */
const authorize = async (request: { headers: Record<string, unknown> }) =>
  request.headers['x-token'] === 'drainer';

const MODES = [
  ['on the main thread', false],
  ['on a worker thread', true],
] as const;

describe.each(MODES)(
  'the drain route (health server %s)',
  (_mode, threaded) => {
    let context: INestApplicationContext | undefined;
    afterEach(async () => {
      await context?.close();
      context = undefined;
    });

    async function boot(
      server: Partial<NonNullable<HealthcheckModuleOptions['server']>> = {
        drainRoute: true,
        authorize,
      },
      options: Omit<HealthcheckModuleOptions, 'server'> = {},
    ) {
      context = await bootHealthContext({
        ...options,
        server: {
          port: 0,
          host: '127.0.0.1',
          ...(threaded && { thread: true }),
          ...server,
        },
      });
      const port = healthPort(context);
      const runner = context.get(HealthCheckRunner);
      // The worker answers once it has its first publication; the main-thread server at once.
      await statusOf(port, '/healthcheck/ready', 200);
      return { port, runner };
    }

    /** The answer to `path` once its status is `status`: the worker gets a change a moment after the main thread. */
    async function statusOf(
      port: number,
      path: string,
      status: number,
    ): Promise<RawResponse> {
      let last: RawResponse | undefined;
      await until(
        async () => (last = await rawRequest(port, path)).status === status,
        `${path} answers ${status}`,
        () => last,
      );
      return last!;
    }

    const drainRequest = (
      port: number,
      query = '',
      { method = 'POST', headers = TOKEN as Record<string, string> } = {},
    ) => rawRequest(port, `/healthcheck/drain${query}`, { method, headers });

    const results = (response: RawResponse) =>
      (JSON.parse(response.body) as HealthReport).results;

    it('POST drains: readiness, the report and other groups fail with the drain result, liveness and startup stay up; DELETE ends it', async () => {
      const { port, runner } = await boot();
      const drained = await drainRequest(port);
      expect(drained.status).toBe(200);
      expect(drained.headers['content-type']).toMatch(/^application\/json/);
      const reason = drainedThrough('POST', '127.0.0.1');
      expect(JSON.parse(drained.body)).toEqual({ drained: { reason } });
      expect(runner.drainState()).toEqual({ reason });

      const ready = await statusOf(port, '/healthcheck/ready', 500);
      expect(results(ready).map((r) => [r.checker, r.passed])).toEqual([
        ['queue', true],
        ['drain', false],
      ]);
      expect(results(ready).at(-1)!.output).toEqual({ reason, until: null });
      const report = await statusOf(port, '/healthcheck', 500);
      expect(results(report).at(-1)).toMatchObject({
        checker: 'drain',
        passed: false,
      });
      expect((await rawRequest(port, '/healthcheck/group/queue')).status).toBe(
        500,
      );
      expect((await rawRequest(port, '/healthcheck/live')).status).toBe(200);
      expect((await rawRequest(port, '/healthcheck/startup')).status).toBe(200);

      const undrained = await drainRequest(port, '', { method: 'DELETE' });
      expect(undrained.status).toBe(200);
      expect(JSON.parse(undrained.body)).toEqual({ drained: false });
      expect(runner.drainState()).toBeUndefined();
      await statusOf(port, '/healthcheck/ready', 200);
      const after = await statusOf(port, '/healthcheck', 200);
      expect(results(after).map((r) => r.checker)).not.toContain('drain');
      // DELETE without a drain under way changes nothing and says so.
      expect(
        JSON.parse((await drainRequest(port, '', { method: 'DELETE' })).body),
      ).toEqual({ drained: false });
    });

    it('?forMs= ends the drain by itself; ?reason= shows with details', async () => {
      const { port, runner } = await boot(undefined, { showDetails: true });
      const before = Date.now();
      const drained = await drainRequest(
        port,
        '?forMs=300&reason=db%20migration',
      );
      const after = Date.now();
      expect(drained.status).toBe(200);
      const { until: end, reason } = JSON.parse(drained.body).drained as {
        until: string;
        reason: string;
      };
      expect(reason).toBe('db migration');
      expect(Date.parse(end)).toBeGreaterThanOrEqual(before + 300);
      expect(Date.parse(end)).toBeLessThanOrEqual(after + 300);
      const ready = await statusOf(port, '/healthcheck/ready', 500);
      expect(results(ready).at(-1)).toMatchObject({
        checker: 'drain',
        passed: false,
        output: { reason: 'db migration', until: end },
      });
      await statusOf(port, '/healthcheck/ready', 200);
      expect(runner.drainState()).toBeUndefined();
      await statusOf(port, '/healthcheck', 200);
    });

    it('without details the reports say drained and nothing of the reason', async () => {
      const { port } = await boot(undefined, { showDetails: false });
      await drainRequest(port, '?reason=secret-ish');
      const ready = await statusOf(port, '/healthcheck/ready', 500);
      expect(results(ready).at(-1)).toEqual({
        checker: 'drain',
        passed: false,
      });
      expect(ready.body).not.toContain('secret-ish');
      expect((await statusOf(port, '/healthcheck', 500)).body).not.toContain(
        'secret-ish',
      );
    });

    it('refuses with 403 when authorize says no, and drains nothing', async () => {
      const { port, runner } = await boot();
      for (const [method, headers] of [
        ['POST', {}],
        ['POST', { 'x-token': 'guess' }],
        ['DELETE', {}],
      ] as const) {
        const refused = await drainRequest(port, '?forMs=60000', {
          method,
          headers,
        });
        expect({ method, status: refused.status }).toEqual({
          method,
          status: 403,
        });
        expect(JSON.parse(refused.body)).toEqual({
          status: 'failure',
          error: drainForbidden,
        });
      }
      expect(runner.drainState()).toBeUndefined();
      expect((await rawRequest(port, '/healthcheck/ready')).status).toBe(200);
    });

    it('refuses with 403 without server.authorize, and drains nothing', async () => {
      const { port, runner } = await boot({ drainRoute: true });
      for (const method of ['POST', 'DELETE']) {
        const refused = await drainRequest(port, '', { method });
        expect(refused.status).toBe(403);
        expect(JSON.parse(refused.body).error).toBe(drainNeedsAuthorize);
      }
      expect(runner.drainState()).toBeUndefined();
      expect((await rawRequest(port, '/healthcheck/ready')).status).toBe(200);
    });

    it('answers 405 with Allow: POST, DELETE to other methods', async () => {
      const { port, runner } = await boot();
      for (const method of ['GET', 'PUT', 'PATCH']) {
        const response = await drainRequest(port, '', { method });
        expect({ method, status: response.status }).toEqual({
          method,
          status: 405,
        });
        expect(response.headers.allow).toBe('POST, DELETE');
        expect(JSON.parse(response.body)).toEqual({
          status: 'failure',
          error: methodNotAllowed(method),
        });
      }
      const head = await drainRequest(port, '', { method: 'HEAD' });
      expect(head.status).toBe(405);
      expect(head.headers.allow).toBe('POST, DELETE');
      expect(runner.drainState()).toBeUndefined();
    });

    it.each(['abc', '0', '-1', '1.5', '', '0x10', '1e3', '2147483648'])(
      'answers 400 to forMs=%p and drains nothing',
      async (forMs) => {
        const { port, runner } = await boot();
        const response = await drainRequest(port, `?forMs=${forMs}`);
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body)).toEqual({
          status: 'failure',
          error: drainRouteDurationInvalid(forMs, MAX_DRAIN_MS),
        });
        expect(runner.drainState()).toBeUndefined();
        expect((await rawRequest(port, '/healthcheck/ready')).status).toBe(200);
      },
    );

    it('does not exist unless server.drainRoute is true', async () => {
      const { port, runner } = await boot({ authorize });
      const response = await drainRequest(port);
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body).error).toBe(
        noHealthRoute('/healthcheck/drain'),
      );
      expect(runner.drainState()).toBeUndefined();
      expect((await rawRequest(port, '/healthcheck/ready')).status).toBe(200);
    });
  },
);
