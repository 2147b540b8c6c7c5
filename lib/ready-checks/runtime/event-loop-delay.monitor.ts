import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The event-loop delay over one window. */
export interface EventLoopDelayWindow {
  /** The chosen percentile of the delay, beyond the sampling resolution, in ms. */
  delayMs: number;
  /** How long the window lasted, in ms. */
  windowMs: number;
  /** How many delays were sampled; 0 right after the monitor started. */
  samples: number;
}

/** Reads the event-loop delay over the most recent window. */
export interface EventLoopDelayReader {
  read(): EventLoopDelayWindow;
}

/** The parts of a perf_hooks histogram the monitor uses. */
export type DelayHistogram = Pick<
  IntervalHistogram,
  'enable' | 'disable' | 'reset' | 'percentile' | 'count'
>;

/** How a monitor samples and windows the delay. */
export interface EventLoopDelayMonitorOptions {
  /** The percentile reported, between 0 (exclusive) and 100. */
  percentile: number;
  /** The shortest window, in ms: a read after it has elapsed closes the window and starts a new one. */
  windowMs: number;
  /** Sampling resolution of the histogram, in ms. */
  resolutionMs?: number;
  /** A clock in ms (tests pass their own). */
  now?: () => number;
  /** Makes the histogram (tests pass their own). */
  createHistogram?: (resolutionMs: number) => DelayHistogram;
}

/** Node's default sampling resolution of `monitorEventLoopDelay`. */
export const DEFAULT_RESOLUTION_MS = 10;

const NS_PER_MS = 1e6;

/**
 * One `monitorEventLoopDelay` histogram, started on the first read (or `start()`), windowed without timers: a
 * read once `windowMs` have passed closes the window, keeps its percentile and resets the histogram. Reads
 * return the last closed window, or, before the first one closes, the time since the monitor started. The
 * histogram records whole timer intervals, so the resolution is subtracted to give the delay alone.
 */
export class EventLoopDelayMonitor implements EventLoopDelayReader {
  private histogram?: DelayHistogram;
  private windowStart = 0;
  private closed?: EventLoopDelayWindow;
  private readonly resolutionMs: number;
  private readonly now: () => number;
  private readonly createHistogram: (resolutionMs: number) => DelayHistogram;

  constructor(private readonly options: EventLoopDelayMonitorOptions) {
    this.resolutionMs = options.resolutionMs ?? DEFAULT_RESOLUTION_MS;
    this.now = options.now ?? (() => performance.now());
    this.createHistogram =
      options.createHistogram ??
      ((resolution) => monitorEventLoopDelay({ resolution }));
  }

  /** Starts sampling, once; later calls do nothing. */
  start(): void {
    if (this.histogram) return;
    this.histogram = this.createHistogram(this.resolutionMs);
    this.histogram.enable();
    this.windowStart = this.now();
  }

  read(): EventLoopDelayWindow {
    this.start();
    const now = this.now();
    const current = this.snapshot(now - this.windowStart);
    if (now - this.windowStart < this.options.windowMs) {
      return this.closed ?? current;
    }
    this.histogram?.reset();
    this.windowStart = now;
    this.closed = current;
    return current;
  }

  /** Stops sampling and forgets every window. */
  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
    this.closed = undefined;
  }

  private snapshot(windowMs: number): EventLoopDelayWindow {
    const histogram = this.histogram as DelayHistogram;
    const samples = histogram.count;
    const intervalMs =
      samples === 0
        ? 0
        : histogram.percentile(this.options.percentile) / NS_PER_MS;
    return {
      delayMs: Math.max(0, intervalMs - this.resolutionMs),
      windowMs,
      samples,
    };
  }
}

interface SharedMonitor {
  monitor: EventLoopDelayMonitor;
  /** Built checks holding it; `.run()` calls do not count. */
  holders: number;
  release?: () => void;
}

const shared = new Map<string, SharedMonitor>();

function sharedEntry(percentile: number, windowMs: number): SharedMonitor {
  const key = `${percentile}/${windowMs}`;
  let entry = shared.get(key);
  if (!entry) {
    const monitor = new EventLoopDelayMonitor({ percentile, windowMs });
    entry = { monitor, holders: 0 };
    const created = entry;
    shared.set(key, created);
    created.release = () => {
      if (shared.get(key) === created) shared.delete(key);
      monitor.stop();
    };
  }
  entry.monitor.start();
  return entry;
}

/**
 * The process-wide monitor for one percentile and window, made and started on first use: every check with the
 * same settings reads the same histogram, so running checks never adds one.
 */
export function sharedEventLoopDelayMonitor(
  percentile: number,
  windowMs: number,
): EventLoopDelayMonitor {
  return sharedEntry(percentile, windowMs).monitor;
}

/**
 * The shared monitor for a built check, with `release` for its shutdown: the histogram stops when the last
 * built check holding it is released (a later `.run()` starts a new one).
 */
export function holdEventLoopDelayMonitor(
  percentile: number,
  windowMs: number,
): { monitor: EventLoopDelayMonitor; release: () => void } {
  const entry = sharedEntry(percentile, windowMs);
  entry.holders++;
  let released = false;
  return {
    monitor: entry.monitor,
    release: () => {
      if (released) return;
      released = true;
      entry.holders--;
      if (entry.holders === 0) entry.release?.();
    },
  };
}
