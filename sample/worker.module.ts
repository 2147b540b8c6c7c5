import { Module } from '@nestjs/common';
import {
  HealthcheckModule,
  type HealthServerThreadOptions,
} from 'nestjs-healthcheck';
import { runtimeChecks } from './health/runtime.checks.js';
import { QueueConsumer } from './worker/queue.consumer.js';

/**
 * HEALTH_THREAD=1 serves the probes from a worker thread, so they are answered while a job keeps the event loop
 * busy: readiness fails once the loop has been blocked for NOT_READY_AFTER_MS, liveness for NOT_LIVE_AFTER_MS.
 */
const thread: HealthServerThreadOptions | false =
  process.env.HEALTH_THREAD === '1'
    ? {
        notReadyAfter: Number(process.env.NOT_READY_AFTER_MS ?? 2_000),
        notLiveAfter: Number(process.env.NOT_LIVE_AFTER_MS ?? 30_000),
      }
    : false;

/**
 * A worker with no HTTP server: it consumes a queue, and the health module serves its probes on a server of its
 * own (HEALTH_PORT, default 9000), on a thread of its own with HEALTH_THREAD=1.
 */
@Module({
  imports: [
    HealthcheckModule.forRoot({
      checks: runtimeChecks({ threaded: thread !== false }),
      server: { port: Number(process.env.HEALTH_PORT ?? 9000), thread },
      failedStatus: 503,
      shutdownDelay: Number(process.env.SHUTDOWN_DELAY_MS ?? 0),
    }),
  ],
  providers: [QueueConsumer],
})
export class WorkerModule {}
