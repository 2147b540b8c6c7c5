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

async function boot(): Promise<INestApplicationContext> {
  @Module({
    imports: [
      HealthcheckModule.forRoot({
        server: { port: 0, host: '127.0.0.1', thread: true },
      }),
    ],
    providers: [SlowToConnect],
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
    context?.get(SlowToConnect).release(true);
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
});
