/** Slot of the main thread's last beat (monotonic milliseconds, see `monotonicMs`) in the heartbeat's shared memory. */
export const BEAT_SLOT = 0;
/** Slot that holds 1 once shutdown has begun (answers carry `Connection: close`). */
export const SHUTDOWN_SLOT = 1;

/**
 * Milliseconds of the process's monotonic clock, the same in every thread: neither a wall clock that jumps (NTP,
 * a suspended VM) nor an app that replaces `Date.now` can make a heartbeat look older or newer than it is.
 */
export function monotonicMs(): bigint {
  return process.hrtime.bigint() / 1_000_000n;
}

/**
 * The main thread's heartbeat in shared memory: a timer writes the monotonic time every `intervalMs`, so the
 * worker tells how long the event loop has been blocked from the age of the last beat, without asking it.
 */
export class Heartbeat {
  readonly memory = new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT);
  private readonly slots = new BigInt64Array(this.memory);
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly intervalMs: number) {
    this.beat();
  }

  start(): void {
    this.beat();
    this.timer ??= setInterval(() => this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** From now on every answer asks the client to close its connection. */
  markShutdown(): void {
    Atomics.store(this.slots, SHUTDOWN_SLOT, 1n);
  }

  private beat(): void {
    Atomics.store(this.slots, BEAT_SLOT, monotonicMs());
  }
}
