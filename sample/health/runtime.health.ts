import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { HealthCheck } from 'nestjs-healthcheck';

const MAX_EVENT_LOOP_DELAY_MS = Number(
  process.env.MAX_EVENT_LOOP_DELAY_MS ?? 200,
);
const MAX_HEAP_RATIO = Number(process.env.MAX_HEAP_RATIO ?? 0.9);

/** Checks of the process itself (liveness): a blocked event loop or a nearly full heap. */
@Injectable()
export class RuntimeHealth implements OnModuleDestroy {
  private readonly eventLoopDelay = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.eventLoopDelay.enable();
  }

  @HealthCheck({ name: 'event_loop', successTtl: 5_000, tags: ['liveness'] })
  eventLoop(): [boolean, Record<string, number>] {
    const p99Ms = this.eventLoopDelay.percentile(99) / 1e6;
    const meanMs = this.eventLoopDelay.mean / 1e6;
    this.eventLoopDelay.reset();
    return [
      p99Ms < MAX_EVENT_LOOP_DELAY_MS,
      { p99Ms, meanMs, maxMs: MAX_EVENT_LOOP_DELAY_MS },
    ];
  }

  @HealthCheck({ name: 'heap', tags: ['liveness'] })
  heap(): { passed: boolean; output: Record<string, number> } {
    const { used_heap_size: used, heap_size_limit: limit } =
      getHeapStatistics();
    const ratio = used / limit;
    return {
      passed: ratio < MAX_HEAP_RATIO,
      output: { usedBytes: used, limitBytes: limit, ratio },
    };
  }

  onModuleDestroy(): void {
    this.eventLoopDelay.disable();
  }
}
