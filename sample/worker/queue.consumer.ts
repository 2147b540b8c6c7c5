import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthCheck } from 'nestjs-healthcheck';

const STALL_AFTER_MS = Number(process.env.STALL_AFTER_MS ?? 30_000);
/** Every tenth job keeps the event loop busy this long (ms), as a CPU-heavy job would. Default 0. */
const BUSY_JOB_MS = Number(process.env.BUSY_JOB_MS ?? 0);

/**
 * Stands in for a queue consumer: it takes a job every second. Its readiness check fails when no job was taken
 * for STALL_AFTER_MS, which is what a stuck consumer looks like from outside.
 */
@Injectable()
export class QueueConsumer
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('Worker');
  private lastJobAt = Date.now();
  private jobs = 0;
  private timer?: ReturnType<typeof setInterval>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.jobs++;
      if (BUSY_JOB_MS > 0 && this.jobs % 10 === 0) busyFor(BUSY_JOB_MS);
      this.lastJobAt = Date.now();
    }, 1_000);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.logger.log(`stopped after ${this.jobs} jobs`);
  }

  @HealthCheck({
    name: 'queue_consumer',
    tags: ['readiness'],
    successTtl: 5_000,
  })
  consuming(): [boolean, Record<string, number>] {
    const idleMs = Date.now() - this.lastJobAt;
    return [idleMs < STALL_AFTER_MS, { jobs: this.jobs, idleMs }];
  }
}

/** Spins on the event loop, as parsing a large file or resizing an image would. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}
