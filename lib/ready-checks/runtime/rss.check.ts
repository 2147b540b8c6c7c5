import { outsideExpected, rssMeasured } from '../../healthcheck.messages.js';
import { isPositiveNumber } from '../shared/own-options.validator.js';
import { formatBytes } from '../shared/quantity.format.js';
import {
  runnableReadyCheck,
  type ReadyCheckOutcome,
  neverRejecting,
} from '../shared/runnable-ready-check.js';
import type { ReadyCheckRunOptions } from '../shared/ready-check.outcome.js';

/** Options of `checks.rss`. */
export interface RssCheckOptions {
  /** The check fails when the process's resident set size is above this many bytes. */
  maxBytes: number;
}

/** What `checks.rss.run()` takes. */
export interface RssRunOptions extends RssCheckOptions {
  signal?: AbortSignal;
  /** Reads the resident set size in bytes; `process.memoryUsage.rss` by default. */
  readRss?: () => number;
}

/**
 * The check's logic. It may reject on options it cannot use: `checkRss` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkRssUnguarded(
  options: RssRunOptions,
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the shape every family's run shares
  _extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const rss = (options.readRss ?? process.memoryUsage.rss)();
  const measured = rssMeasured(formatBytes(rss));
  const passed = rss <= options.maxBytes;
  return {
    passed,
    output: passed
      ? measured
      : outsideExpected(measured, [`at most ${formatBytes(options.maxBytes)}`]),
    observedValue: rss,
    observedUnit: 'bytes',
  };
}

/** Compares the resident set size of the process with `maxBytes`; the observed value is in bytes. */
export const checkRss = neverRejecting('rss', checkRssUnguarded);

/** `checks.rss(name, { maxBytes })`: fails when the process uses more memory than `maxBytes`. */
export const rss = runnableReadyCheck<RssCheckOptions, RssRunOptions>({
  kind: 'rss',
  known: ['maxBytes'],
  validate(options) {
    options.check(
      'maxBytes',
      'a number of bytes greater than 0',
      isPositiveNumber(),
      true,
    );
  },
  run: checkRss,
});
