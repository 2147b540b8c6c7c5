import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HealthCheck } from 'nestjs-healthcheck';

const WARMUP_MS = Number(process.env.WARMUP_MS ?? 0);

/**
 * A startup check: passes once the application has booted and WARMUP_MS have gone by (a stand-in for filling
 * caches or running migrations). Once /healthcheck/startup has passed, it stays passed.
 */
@Injectable()
export class WarmupHealth implements OnApplicationBootstrap {
  private readyAt = Number.POSITIVE_INFINITY;

  onApplicationBootstrap(): void {
    this.readyAt = Date.now() + WARMUP_MS;
  }

  @HealthCheck({
    name: 'warmup',
    tags: ['startup'],
    successTtl: 60_000,
    failedTtl: 0,
  })
  warmup(): [boolean, string] {
    const remainingMs = this.readyAt - Date.now();
    return remainingMs <= 0
      ? [true, 'warmed up']
      : [false, `warming up, ${Math.ceil(remainingMs)} ms left`];
  }
}
