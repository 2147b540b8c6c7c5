import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  type INestApplicationContext,
  Injectable,
  Logger,
  Module,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { once } from 'node:events';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import type { Worker } from 'node:worker_threads';
import {
  environmentForbidden,
  environmentNeedsAuthorize,
  healthServerPortInUse,
  healthServerWorkerFailed,
  methodNotAllowed,
  noHealthRoute,
  readinessShuttingDown,
} from '../../lib/healthcheck.messages.js';
import type { HealthHistoryEntry, HealthReport } from '../../lib/index.js';
import {
  HealthCheck,
  HealthCheckRunner,
  HealthcheckModule,
  HealthcheckServer,
} from '../../lib/index.js';
import { HealthEndpoints } from '../../lib/http/health-endpoints.js';
import { HealthServerRoutes } from '../../lib/server/health-server.routes.js';
import {
  bootHealthContext,
  healthPort,
  ThreadedChecks,
} from '../fixtures/health-server-thread.fixture.js';
import { until } from '../fixtures/parity.fixture.js';
import { openEventStream } from '../fixtures/ui-sse-client.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';

/** The threaded server's private parts the tests reach: the worker and the heartbeat's timer. */
interface ThreadInternals {
  worker?: Worker;
  heartbeat: { timer?: unknown };
}

function threadOf(context: INestApplicationContext): ThreadInternals {
  const thread = (
    context.get(HealthcheckServer) as unknown as {
      thread?: { host: ThreadInternals };
    }
  ).thread;
  if (!thread) throw new Error('the health server is not on a worker thread');
  return thread.host;
}

const SERVER = { port: 0, host: '127.0.0.1', thread: true } as const;

/** Requests `path` until `accept` holds (answers a worker gets a moment after the change, or a restart). */
async function answerWhen(
  port: number,
  path: string,
  accept: (response: RawResponse) => boolean,
  what: string,
): Promise<RawResponse> {
  let last: RawResponse | string | undefined;
  await until(
    async () => {
      try {
        last = await rawRequest(port, path);
        return accept(last);
      } catch (error) {
        last = String(error);
        return false;
      }
    },
    what,
    () => last,
  );
  return last as RawResponse;
}

const checkers = (body: string) =>
  (JSON.parse(body) as HealthReport).results.map((result) => result.checker);

describe('the health server on a worker thread', () => {
  let context: INestApplicationContext | undefined;
  afterEach(async () => {
    jest.restoreAllMocks();
    await context?.close();
    context = undefined;
  });

  async function boot(
    options: Parameters<typeof bootHealthContext>[0] = { server: SERVER },
  ) {
    context = await bootHealthContext(options);
    const port = healthPort(context);
    const routes = context.get(HealthServerRoutes);
    const handedOver = jest.spyOn(routes, 'answer');
    // The first publication follows the start: wait until the worker has the report.
    await answerWhen(
      port,
      '/healthcheck',
      (response) => response.status === 200,
      'the worker has the report',
    );
    handedOver.mockClear();
    return { port, handedOver, checks: context.get(ThreadedChecks) };
  }

  it('serves the report, the probes, a group, the history and the page from the worker, without asking the main thread', async () => {
    const { port, handedOver } = await boot({ server: SERVER, ui: true });
    const report = await rawRequest(port, '/healthcheck');
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toMatch(/^application\/json/);
    expect(checkers(report.body)).toEqual(['process', 'queue', 'warmup']);
    expect(JSON.parse(report.body).results[1].output).toBe('queue ok');
    for (const path of [
      '/healthcheck/live',
      '/healthcheck/ready',
      '/healthcheck/startup',
      '/healthcheck/group/queue',
      '/healthcheck/ready/',
    ]) {
      const probe = await rawRequest(port, path);
      expect({ path, status: probe.status }).toEqual({ path, status: 200 });
    }
    expect(
      checkers((await rawRequest(port, '/healthcheck/group/queue')).body),
    ).toEqual(['queue']);
    const history = await rawRequest(port, '/healthcheck/history');
    expect(history.status).toBe(200);
    expect(JSON.parse(history.body)).toHaveProperty('entries');
    const page = await rawRequest(port, '/healthcheck/ui');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const head = await rawRequest(port, '/healthcheck/ready', {
      method: 'HEAD',
    });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(handedOver).not.toHaveBeenCalled();
  });

  it('follows a check that fails and recovers, without a request to the main thread', async () => {
    const { port, handedOver, checks } = await boot();
    checks.queueUp = false;
    const failing = await answerWhen(
      port,
      '/healthcheck/ready',
      (response) => response.status !== 200,
      'readiness fails once the check fails',
    );
    expect(failing.status).toBe(500);
    expect(JSON.parse(failing.body).results[0].output).toBe('queue down');
    expect((await rawRequest(port, '/healthcheck/live')).status).toBe(200);
    checks.queueUp = true;
    await answerWhen(
      port,
      '/healthcheck/ready',
      (response) => response.status === 200,
      'readiness passes again',
    );
    expect(handedOver).not.toHaveBeenCalled();
  });

  it('answers the probes and their groups from the worker in an app with no check tagged for them', async () => {
    @Injectable()
    class UntaggedChecks {
      @HealthCheck()
      database(): boolean {
        return true;
      }
    }
    @Module({
      imports: [HealthcheckModule.forRoot({ server: SERVER })],
      providers: [UntaggedChecks],
    })
    class UntaggedModule {}
    context = await NestFactory.createApplicationContext(UntaggedModule, {
      logger: false,
    });
    const port = healthPort(context);
    const handedOver = jest.spyOn(context.get(HealthServerRoutes), 'answer');
    // The report comes in the same publication as the probes: once the worker answers it, it has them all.
    await answerWhen(
      port,
      '/healthcheck',
      () => {
        const answeredByWorker = handedOver.mock.calls.length === 0;
        handedOver.mockClear();
        return answeredByWorker;
      },
      'the worker has the report',
    );
    for (const path of [
      '/healthcheck/live',
      '/healthcheck/ready',
      '/healthcheck/startup',
      '/healthcheck/group/liveness',
    ]) {
      const probe = await rawRequest(port, path);
      expect({ path, status: probe.status }).toEqual({ path, status: 200 });
      expect(JSON.parse(probe.body).results).toEqual([]);
    }
    // Handed to the main thread, these would fail with 503 whenever it is busy: the liveness probe most of all.
    expect(handedOver).not.toHaveBeenCalled();
  });

  it("keeps the probes passing when the app's Date.now runs an hour behind or ahead: the heartbeat's age is monotonic", async () => {
    const { port } = await boot();
    const realNow = Date.now.bind(Date);
    for (const shift of [-3_600_000, 3_600_000]) {
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
      // Past a few beats written under the shifted clock.
      await new Promise((resolve) => setTimeout(resolve, 350));
      for (const path of ['/healthcheck/live', '/healthcheck/ready']) {
        const probe = await rawRequest(port, path);
        expect({ shift, path, status: probe.status }).toEqual({
          shift,
          path,
          status: 200,
        });
      }
      jest.restoreAllMocks();
    }
  });

  it('hands ?check= and ?exclude= selections to the main thread', async () => {
    const { port, handedOver } = await boot();
    const selected = await rawRequest(port, '/healthcheck?check=queue');
    expect(selected.status).toBe(200);
    expect(checkers(selected.body)).toEqual(['queue']);
    const excluded = await rawRequest(
      port,
      '/healthcheck?exclude=queue&exclude=process',
    );
    expect(checkers(excluded.body)).toEqual(['warmup']);
    const unknown = await rawRequest(port, '/healthcheck?check=nope');
    expect(unknown.status).toBe(404);
    expect(handedOver.mock.calls.map(([request]) => request.url)).toEqual([
      '/healthcheck?check=queue',
      '/healthcheck?exclude=queue&exclude=process',
      '/healthcheck?check=nope',
    ]);
  });

  it('hands 404 and 405 to the main thread, which answers them as on the main-thread server', async () => {
    const { port, handedOver } = await boot();
    const missing = await rawRequest(port, '/elsewhere');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      status: 'failure',
      error: noHealthRoute('/elsewhere'),
    });
    const post = await rawRequest(port, '/healthcheck/ready', {
      method: 'POST',
    });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(post.body)).toEqual({
      status: 'failure',
      error: methodNotAllowed('POST'),
    });
    const noGroup = await rawRequest(port, '/healthcheck/group/nope');
    expect(noGroup.status).toBe(404);
    expect(handedOver.mock.calls.map(([request]) => request.method)).toEqual([
      'GET',
      'POST',
      'GET',
    ]);
  });

  it('serves the environment only to requests that server.authorize lets through, and never without it', async () => {
    const { port } = await boot({
      server: {
        ...SERVER,
        authorize: (request) => request.headers['x-token'] === 'let-me-in',
      },
      environment: true,
    });
    const refused = await rawRequest(port, '/environment');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toBe(environmentForbidden);
    const allowed = await rawRequest(port, '/environment', {
      headers: { 'x-token': 'let-me-in' },
    });
    expect(allowed.status).toBe(200);
    expect(Object.keys(JSON.parse(allowed.body))).toEqual(
      expect.arrayContaining(['os', 'process']),
    );
    await context!.close();
    context = undefined;
    const closed = await boot({ server: SERVER, environment: true });
    const response = await rawRequest(closed.port, '/environment');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error).toBe(environmentNeedsAuthorize);
  });

  it('streams the events through the worker: the snapshot, then a change as it happens', async () => {
    const { port, checks } = await boot({ server: SERVER, ui: true });
    const stream = await openEventStream(
      `http://127.0.0.1:${port}/healthcheck/events`,
    );
    try {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toMatch(
        /^text\/event-stream/,
      );
      await stream.next('snapshot');
      checks.queueUp = false;
      const change = await stream.next<HealthHistoryEntry>(
        'change',
        (entry) => entry.type === 'check' && entry.name === 'queue',
      );
      expect(change).toMatchObject({
        previous: 'success',
        current: 'failure',
        output: 'queue down',
      });
    } finally {
      stream.close();
    }
  });

  it('streams a snapshot larger than the backlog limit to a client that reads it, and keeps streaming after it', async () => {
    const { port, checks } = await boot({
      server: SERVER,
      ui: true,
      showDetails: true,
    });
    // Outputs are capped at a few KiB each: many of them make a snapshot well over the 64 KiB limit.
    const runner = context!.get(HealthCheckRunner);
    const output = 'x'.repeat(4_000);
    for (let index = 0; index < 40; index += 1) {
      runner.addCheck(`big-${index}`, () => [true, output]);
    }
    await answerWhen(
      port,
      '/healthcheck',
      (response) =>
        response.status === 200 &&
        (JSON.parse(response.body) as HealthReport).results.length === 43,
      'the worker has every result',
    );
    const stream = await openEventStream(
      `http://127.0.0.1:${port}/healthcheck/events`,
    );
    try {
      const snapshot = await stream.next<{
        checks: Array<{ name: string; result?: { output: unknown } }>;
      }>('snapshot');
      expect(snapshot.checks).toHaveLength(43);
      expect(
        snapshot.checks.find((check) => check.name === 'big-39')?.result
          ?.output,
      ).toBe(output);
      checks.queueUp = false;
      await stream.next<HealthHistoryEntry>(
        'change',
        (entry) => entry.type === 'check' && entry.name === 'queue',
      );
    } finally {
      stream.close();
    }
  });

  it('decides details per request when showDetails is a function (the function runs on the main thread)', async () => {
    const showDetails = jest.fn(
      (request: { headers: Record<string, unknown> }) =>
        request.headers['x-details'] === 'yes',
    );
    const { port } = await boot({ server: SERVER, showDetails });
    showDetails.mockClear();
    for (const path of ['/healthcheck', '/healthcheck/ready']) {
      const allowed = await rawRequest(port, path, {
        headers: { 'x-details': 'yes' },
      });
      expect(allowed.status).toBe(200);
      const shown = (JSON.parse(allowed.body) as HealthReport).results;
      expect(shown.find((r) => r.checker === 'queue')?.output).toBe('queue ok');
      const other = await rawRequest(port, path, {
        headers: { 'x-details': 'no' },
      });
      expect(other.status).toBe(200);
      for (const result of (JSON.parse(other.body) as HealthReport).results) {
        expect(result).not.toHaveProperty('output');
      }
    }
    expect(showDetails).toHaveBeenCalledTimes(4);
  });

  it('during the shutdown delay: Connection: close on every answer, readiness failing with the shutdown result, liveness up', async () => {
    const { port } = await boot({ server: SERVER, shutdownDelay: 1_500 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await rawRequest(port, '/healthcheck/live', { agent });
      expect(before.headers.connection).toBe('keep-alive');
      const closing = context!.close();
      const closed = context!;
      context = undefined;
      const ready = await answerWhen(
        port,
        '/healthcheck/ready',
        (response) => response.status !== 200,
        'readiness fails once shutdown begins',
      );
      expect(ready.status).toBe(500);
      expect((JSON.parse(ready.body) as HealthReport).results).toEqual([
        expect.objectContaining({ checker: 'queue', passed: true }),
        expect.objectContaining({
          checker: 'shutdown',
          passed: false,
          output: readinessShuttingDown,
        }),
      ]);
      expect(ready.headers.connection).toBe('close');
      const live = await rawRequest(port, '/healthcheck/live', { agent });
      expect(live.status).toBe(200);
      expect(live.headers.connection).toBe('close');
      const report = await rawRequest(port, '/healthcheck');
      expect(report.status).toBe(500);
      expect(report.headers.connection).toBe('close');
      await closing;
      expect(closed.get(HealthcheckServer).address()).toBeNull();
      await expect(rawRequest(port, '/healthcheck/live')).rejects.toThrow(
        /ECONNREFUSED/,
      );
    } finally {
      agent.destroy();
    }
  });

  it('logs a worker that stops and starts a new one on the same port', async () => {
    const error = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const { port, checks } = await boot();
    const thread = threadOf(context!);
    const first = thread.worker!;
    const exited = once(first, 'exit');
    await first.terminate();
    const [code] = (await exited) as [number];
    const restarted = await answerWhen(
      port,
      '/healthcheck/live',
      (response) => response.status === 200,
      'the new worker answers on the same port',
    );
    expect(restarted.status).toBe(200);
    expect(thread.worker).toBeDefined();
    expect(thread.worker).not.toBe(first);
    expect(healthPort(context!)).toBe(port);
    expect(error).toHaveBeenCalledWith(
      healthServerWorkerFailed(`exit code ${code}`),
    );
    // The new worker gets every answer again, and the changes after.
    checks.queueUp = false;
    await answerWhen(
      port,
      '/healthcheck/ready',
      (response) => response.status === 500,
      'the new worker follows a change',
    );
  });

  it('doubles the restart delay for a worker that stops again soon after each start, instead of restarting it every 100 ms', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { port } = await boot();
    const thread = threadOf(context!) as ThreadInternals & {
      restartDelay: number;
    };
    const nextDelays: number[] = [];
    for (let crash = 0; crash < 3; crash += 1) {
      const worker = thread.worker!;
      await worker.terminate();
      await until(
        () => thread.worker !== undefined && thread.worker !== worker,
        'a new worker is started',
      );
      await answerWhen(
        port,
        '/healthcheck/live',
        (response) => response.status === 200,
        'the new worker answers',
      );
      nextDelays.push(thread.restartDelay);
    }
    expect(nextDelays).toEqual([200, 400, 800]);
  });

  it('keeps restarting a stopped worker while its port is taken, and serves again once it is free', async () => {
    const error = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const { port } = await boot();
    const thread = threadOf(context!) as ThreadInternals & {
      scheduleRestart(): void;
    };
    const blocker = createServer();
    const restart = jest.spyOn(thread, 'scheduleRestart');
    // The first restart finds the port taken by another server.
    restart.mockImplementationOnce(function (this: typeof thread) {
      blocker.listen(port, '127.0.0.1', () => {
        restart.mockRestore();
        thread.scheduleRestart();
      });
    });
    try {
      await thread.worker!.terminate();
      await until(
        () =>
          error.mock.calls.some(([message]) =>
            String(message).includes(healthServerPortInUse('127.0.0.1', port)),
          ),
        'the failed restart is logged, naming the port',
        () => error.mock.calls,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    await answerWhen(
      port,
      '/healthcheck/live',
      (response) => response.status === 200,
      'a later restart listens once the port is free',
    );
    expect(healthPort(context!)).toBe(port);
  }, 20_000);

  it('ends the event streams it forwards when shutdown begins, and forgets a client that goes', async () => {
    const { port } = await boot({ server: SERVER, ui: true });
    const hub = () =>
      (
        context!.get(HealthEndpoints) as unknown as {
          streams?: { size: number };
        }
      ).streams?.size ?? 0;
    const url = `http://127.0.0.1:${port}/healthcheck/events`;
    const leaving = await openEventStream(url);
    await leaving.next('snapshot');
    const staying = await openEventStream(url);
    await staying.next('snapshot');
    expect(hub()).toBe(2);
    leaving.close();
    await until(() => hub() === 1, 'the hub forgets the client that went');
    const head = await rawRequest(port, '/healthcheck/events', {
      method: 'HEAD',
    });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(head.body).toBe('');
    const closing = context!.close();
    context = undefined;
    await staying.ended;
    expect(staying.events.at(-1)?.event).toBe('shutdown');
    await closing;
  });

  it('answers a request handed to the main thread that is still in progress when the server closes', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    const { port } = await boot({
      server: {
        ...SERVER,
        authorize: async () => {
          asked = true;
          await released;
          return true;
        },
      },
      environment: true,
    });
    const inProgress = rawRequest(port, '/environment');
    await until(() => asked, 'authorize is asked');
    const closing = context!.close();
    context = undefined;
    // The server has stopped taking connections: the close has reached the worker.
    await until(
      () =>
        rawRequest(port, '/healthcheck/live').then(
          () => false,
          () => true,
        ),
      'the worker stops taking connections',
    );
    release();
    const answer = await inProgress;
    expect(answer.status).toBe(200);
    expect(Object.keys(JSON.parse(answer.body))).toContain('process');
    await closing;
  }, 15_000);

  it('stops the bootstrap with a message naming a port already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(0, '127.0.0.1', resolve),
    );
    const { port } = blocker.address() as { port: number };
    try {
      await expect(
        bootHealthContext({ server: { ...SERVER, port } }),
      ).rejects.toThrow(healthServerPortInUse('127.0.0.1', port));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('leaves nothing of the worker after close: it has exited, the heartbeat stopped, the port is free', async () => {
    const { port } = await boot();
    const thread = threadOf(context!);
    const worker = thread.worker!;
    let exitCode: number | undefined;
    worker.once('exit', (code: number) => (exitCode = code));
    expect(thread.heartbeat.timer).toBeDefined();
    await context!.close();
    context = undefined;
    await until(() => exitCode !== undefined, 'the worker exits');
    expect(thread.worker).toBeUndefined();
    expect(thread.heartbeat.timer).toBeUndefined();
    await expect(rawRequest(port, '/healthcheck/live')).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
