import { statfs as readStatfs } from 'node:fs/promises';
import {
  diskFreeMeasured,
  diskUnreadable,
  outsideExpected,
} from '../../healthcheck.messages.js';
import { abortable } from '../shared/abortable.js';
import { describeClientError } from '../shared/describe-client-error.js';
import {
  isNonEmptyString,
  isPositiveNumber,
} from '../shared/own-options.validator.js';
import { formatBytes, trimDecimals } from '../shared/quantity.format.js';
import {
  runnableReadyCheck,
  type ReadyCheckOutcome,
  neverRejecting,
} from '../shared/runnable-ready-check.js';
import {
  withRunOptions,
  type ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';

/** Options of `checks.disk`; give `path` and at least one of the two thresholds. */
export interface DiskCheckOptions {
  /** A path on the file system to watch, e.g. `/` or `/var/lib/app`. */
  path: string;
  /** The check fails when fewer bytes than this are free for the process's user. */
  minFreeBytes?: number;
  /** The check fails when less than this percentage (0 < percent <= 100, not a ratio) of the space is free. */
  minFreePercent?: number;
}

/** The file-system figures the check reads, as `fs.statfs` gives them. */
export interface DiskReading {
  bsize: number;
  blocks: number;
  bavail: number;
}

/** What `checks.disk.run()` takes. */
export interface DiskRunOptions extends DiskCheckOptions {
  signal?: AbortSignal;
  /** Reads the file system holding `path`; `fs.promises.statfs` by default. */
  statfs?: (path: string) => Promise<DiskReading>;
}

/**
 * The check's logic. It may reject on options it cannot use: `checkDisk` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkDiskUnguarded(
  options: DiskRunOptions,
  extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const { path, signal } = withRunOptions(options, extra);
  let reading: DiskReading;
  try {
    const work = (options.statfs ?? readStatfs)(path);
    reading = await (signal ? abortable(work, signal) : work);
  } catch (error) {
    const reason = describeClientError(signal?.aborted ? signal.reason : error);
    return { passed: false, output: diskUnreadable(path, reason) };
  }
  const free = reading.bavail * reading.bsize;
  const total = reading.blocks * reading.bsize;
  const percent = total > 0 ? (free / total) * 100 : 0;
  const missed: string[] = [];
  if (
    options.minFreePercent !== undefined &&
    percent < options.minFreePercent
  ) {
    missed.push(`at least ${trimDecimals(options.minFreePercent, 2)}%`);
  }
  if (options.minFreeBytes !== undefined && free < options.minFreeBytes) {
    missed.push(`at least ${formatBytes(options.minFreeBytes)}`);
  }
  // Rounded down, so that a failing share never reads as enough.
  const shown = `${trimDecimals(Math.floor(percent * 10) / 10, 1)}%`;
  const measured = diskFreeMeasured(
    shown,
    path,
    formatBytes(free),
    formatBytes(total),
  );
  const byPercent = options.minFreePercent !== undefined;
  return {
    passed: missed.length === 0,
    output: missed.length === 0 ? measured : outsideExpected(measured, missed),
    observedValue: byPercent ? Math.floor(percent * 100) / 100 : free,
    observedUnit: byPercent ? 'percent' : 'bytes',
  };
}

/**
 * Reads the free space of the file system holding `path` (blocks available to an unprivileged user) and
 * compares it with `minFreeBytes` and/or `minFreePercent`. The observed value is the free percentage when
 * `minFreePercent` is set, else the free bytes.
 */
export const checkDisk = neverRejecting('disk', checkDiskUnguarded);

/**
 * `checks.disk(name, { path, minFreeBytes?, minFreePercent? })`: fails when the file system holding `path`
 * runs low on free space.
 */
export const disk = runnableReadyCheck<DiskCheckOptions, DiskRunOptions>({
  kind: 'disk',
  known: ['path', 'minFreeBytes', 'minFreePercent'],
  validate(options) {
    options.check(
      'path',
      "a path on the file system, e.g. '/'",
      isNonEmptyString,
      true,
    );
    options.requireOneOf(['minFreeBytes', 'minFreePercent']);
    options.check(
      'minFreeBytes',
      'a number of bytes greater than 0',
      isPositiveNumber(),
    );
    options.check(
      'minFreePercent',
      'a percentage greater than 0 and at most 100, e.g. 10 for 10%',
      isPositiveNumber(100),
    );
  },
  run: checkDisk,
});
