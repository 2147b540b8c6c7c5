import {
  eventLoopDelayMeasured,
  eventLoopNotSampledYet,
  outsideExpected,
} from '../../healthcheck.messages.js';
import { isPositiveNumber } from '../shared/own-options.validator.js';
import { formatMs, roundMs } from '../shared/quantity.format.js';
import {
  runnableReadyCheck,
  type ReadyCheckOutcome,
  neverRejecting,
} from '../shared/runnable-ready-check.js';
import type { ReadyCheckRunOptions } from '../shared/ready-check.outcome.js';
import {
  holdEventLoopDelayMonitor,
  sharedEventLoopDelayMonitor,
  type EventLoopDelayReader,
} from './event-loop-delay.monitor.js';

/** The percentile reported when none is given. */
export const DEFAULT_EVENT_LOOP_PERCENTILE = 99;
/** The window, in ms, when none is given. */
export const DEFAULT_EVENT_LOOP_WINDOW_MS = 10_000;

/** Options of `checks.eventLoop`. */
export interface EventLoopCheckOptions {
  /** The check fails when the delay percentile is above this many ms. */
  maxDelayMs: number;
  /** Which percentile of the delay is compared, 0 < percentile <= 100. Default 99. */
  percentile?: number;
  /** The shortest window the percentile is taken over, in ms. Default 10 000. */
  windowMs?: number;
}

/** What `checks.eventLoop.run()` takes. */
export interface EventLoopRunOptions extends EventLoopCheckOptions {
  signal?: AbortSignal;
  /** Where the delay is read; by default the process-wide monitor for this percentile and window. */
  monitor?: EventLoopDelayReader;
}

/**
 * The check's logic. It may reject on options it cannot use: `checkEventLoop` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkEventLoopUnguarded(
  options: EventLoopRunOptions,
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the shape every family's run shares
  _extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const percentile = options.percentile ?? DEFAULT_EVENT_LOOP_PERCENTILE;
  const monitor =
    options.monitor ??
    sharedEventLoopDelayMonitor(
      percentile,
      options.windowMs ?? DEFAULT_EVENT_LOOP_WINDOW_MS,
    );
  const { delayMs, windowMs, samples } = monitor.read();
  if (samples === 0) {
    return { passed: true, output: eventLoopNotSampledYet(formatMs(windowMs)) };
  }
  const measured = eventLoopDelayMeasured(
    percentile,
    formatMs(delayMs),
    formatMs(windowMs),
  );
  const passed = delayMs <= options.maxDelayMs;
  return {
    passed,
    output: passed
      ? measured
      : outsideExpected(measured, [`at most ${formatMs(options.maxDelayMs)}`]),
    observedValue: roundMs(delayMs),
    observedUnit: 'ms',
  };
}

/**
 * Compares a percentile of the event-loop delay (perf_hooks.monitorEventLoopDelay) over the latest window with
 * `maxDelayMs`. Before any delay was sampled it passes and says so.
 */
export const checkEventLoop = neverRejecting(
  'eventLoop',
  checkEventLoopUnguarded,
);

/**
 * `checks.eventLoop(name, { maxDelayMs, percentile?, windowMs? })`: fails when the event loop runs timers late.
 * Checks with the same percentile and window share one histogram, started when the check is built and stopped
 * when the last of them is closed at shutdown.
 */
export const eventLoop = runnableReadyCheck<
  EventLoopCheckOptions,
  EventLoopRunOptions
>({
  kind: 'eventLoop',
  known: ['maxDelayMs', 'percentile', 'windowMs'],
  validate(options) {
    options.check(
      'maxDelayMs',
      'a number of milliseconds greater than 0',
      isPositiveNumber(),
      true,
    );
    options.check(
      'percentile',
      'a number greater than 0 and at most 100, e.g. 99',
      isPositiveNumber(100),
    );
    options.check(
      'windowMs',
      'a number of milliseconds greater than 0',
      isPositiveNumber(),
    );
  },
  run: checkEventLoop,
  create(own) {
    const { monitor, release } = holdEventLoopDelayMonitor(
      own.percentile ?? DEFAULT_EVENT_LOOP_PERCENTILE,
      own.windowMs ?? DEFAULT_EVENT_LOOP_WINDOW_MS,
    );
    // The module calls `close` at shutdown.
    return Object.assign(() => checkEventLoop({ ...own, monitor }), {
      close: release,
    });
  },
});
