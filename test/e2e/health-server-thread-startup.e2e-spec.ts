import { afterEach, describe, expect, it } from '@jest/globals';
import {
  type INestApplicationContext,
  Injectable,
  Module,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  HealthCheck,
  HealthcheckModule,
  HealthcheckServer,
} from '../../lib/index.js';
import { rawRequest } from '../support/raw-http.js';

/** A readiness check whose first run waits until the test lets it answer: a dependency slow to connect. */
@Injectable()
class SlowToConnect {
  release!: (passed: boolean) => void;
  private readonly answer = new Promise<boolean>((resolve) => {
    this.release = resolve;
  });

  @HealthCheck({ tags: ['readiness'] })
  database(): Promise<boolean> {
    return this.answer;
  }
}

/** A readiness check whose first run waits for the test, then keeps the main thread's event loop busy. */
@Injectable()
class BlocksWhenReleased {
  static readonly blockMs = 1_500;
  release!: () => void;
  private readonly released = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  @HealthCheck({ tags: ['readiness'] })
  async database(): Promise<boolean> {
    await this.released;
    const end = performance.now() + BlocksWhenReleased.blockMs;
    while (performance.now() < end);
    return true;
  }
}

async function boot(
  check: typeof SlowToConnect | typeof BlocksWhenReleased = SlowToConnect,
): Promise<INestApplicationContext> {
  @Module({
    imports: [
      HealthcheckModule.forRoot({
        server: { port: 0, host: '127.0.0.1', thread: true },
      }),
    ],
    providers: [check],
  })
  class AppModule {}
  const context = await NestFactory.createApplicationContext(AppModule, {
    logger: false,
  });
  await context.init();
  return context;
}

describe('the threaded health server before a check has its first result', () => {
  let context: INestApplicationContext | undefined;

  afterEach(async () => {
    // Each test boots one of the two checks: whichever it is, its first run must end for the app to close.
    for (const check of [SlowToConnect, BlocksWhenReleased] as const) {
      try {
        context?.get(check).release(true);
      } catch {
        // not in this test's app
      }
    }
    await context?.close();
    context = undefined;
  });

  it('never answers ready without the check: it waits for the first run, as the main-thread server does', async () => {
    context = await boot();
    const port = context.get(HealthcheckServer).address()!.port;
    // Time for the worker to get whatever the main thread publishes first.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = rawRequest(port, '/healthcheck/ready');
    const report = rawRequest(port, '/healthcheck');
    let settled = false;
    void Promise.all([ready, report]).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    context.get(SlowToConnect).release(false);
    const [readyAnswer, reportAnswer] = await Promise.all([ready, report]);
    for (const answer of [readyAnswer, reportAnswer]) {
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toMatchObject({
        status: 'failure',
        results: [{ checker: 'database', passed: false }],
      });
    }
  });

  it('answers 503 when the main thread gets busy with a request handed to it, instead of waiting for the block to end', async () => {
    context = await boot(BlocksWhenReleased);
    const port = context.get(HealthcheckServer).address()!.port;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = rawRequest(port, '/healthcheck/ready');
    // The request is with the main thread, which waits for the check's first run.
    await new Promise((resolve) => setTimeout(resolve, 200));
    context.get(BlocksWhenReleased).release();
    // Read once the block is over (this test's client runs on the blocked thread): the worker answered during it.
    const answer = await ready;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'failure' });
    expect(JSON.parse(answer.body).error).toMatch(/main thread is busy/);
    const after = await rawRequest(port, '/healthcheck/ready');
    expect(after.status).toBe(200);
  });
});
