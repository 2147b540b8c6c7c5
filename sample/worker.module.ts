import { Module } from '@nestjs/common';
import { HealthcheckModule } from 'nestjs-healthcheck';
import { runtimeChecks } from './health/runtime.checks.js';
import { QueueConsumer } from './worker/queue.consumer.js';

/**
 * A worker with no HTTP server: it consumes a queue, and the health module serves its probes on a server of its
 * own (HEALTH_PORT, default 9000).
 */
@Module({
  imports: [
    HealthcheckModule.forRoot({
      checks: runtimeChecks(),
      server: { port: Number(process.env.HEALTH_PORT ?? 9000) },
      failedStatus: 503,
      shutdownDelay: Number(process.env.SHUTDOWN_DELAY_MS ?? 0),
    }),
  ],
  providers: [QueueConsumer],
})
export class WorkerModule {}
