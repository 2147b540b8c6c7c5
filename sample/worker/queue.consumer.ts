import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthCheck } from 'nestjs-healthcheck';

const STALL_AFTER_MS = Number(process.env.STALL_AFTER_MS ?? 30_000);

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
