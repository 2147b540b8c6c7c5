import { getHeapStatistics } from 'node:v8';
import { heapMeasured, outsideExpected } from '../../healthcheck.messages.js';
import { isPositiveNumber } from '../shared/own-options.validator.js';
import { formatBytes, trimDecimals } from '../shared/quantity.format.js';
import {
  runnableReadyCheck,
  type ReadyCheckOutcome,
  neverRejecting,
} from '../shared/runnable-ready-check.js';
import type { ReadyCheckRunOptions } from '../shared/ready-check.outcome.js';

/** Options of `checks.heap`; give at least one. */
export interface HeapCheckOptions {
  /** The check fails when the V8 heap in use is above this many bytes. */
  maxUsedBytes?: number;
  /** The check fails when the heap in use is above this share of V8's heap size limit, 0 < ratio <= 1. */
  maxUsedRatio?: number;
}

/** The V8 heap figures the check reads. */
export interface HeapReading {
  used_heap_size: number;
  heap_size_limit: number;
}

/** What `checks.heap.run()` takes. */
export interface HeapRunOptions extends HeapCheckOptions {
  signal?: AbortSignal;
  /** Reads the heap; `v8.getHeapStatistics` by default. */
  readHeap?: () => HeapReading;
}

/**
 * The check's logic. It may reject on options it cannot use: `checkHeap` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkHeapUnguarded(
  options: HeapRunOptions,
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the shape every family's run shares
  _extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const { used_heap_size: used, heap_size_limit: limit } = (
    options.readHeap ?? getHeapStatistics
  )();
  const ratio = limit > 0 ? used / limit : 0;
  const missed: string[] = [];
  if (options.maxUsedRatio !== undefined && ratio > options.maxUsedRatio) {
    missed.push(`at most ${percentText(options.maxUsedRatio)} of the limit`);
  }
  if (options.maxUsedBytes !== undefined && used > options.maxUsedBytes) {
    missed.push(`at most ${formatBytes(options.maxUsedBytes)}`);
  }
  // Rounded up, so that a failing share never reads as within its limit.
  const shown = `${trimDecimals(Math.ceil(ratio * 1000) / 10, 1)}%`;
  const measured = heapMeasured(formatBytes(used), shown, formatBytes(limit));
  return {
    passed: missed.length === 0,
    output: missed.length === 0 ? measured : outsideExpected(measured, missed),
    observedValue: Math.round(ratio * 10_000) / 10_000,
    observedUnit: 'ratio',
  };
}

/**
 * Compares the V8 heap in use with `maxUsedBytes` and/or `maxUsedRatio` of `heap_size_limit`. The observed
 * value is the used ratio (0..1).
 */
export const checkHeap = neverRejecting('heap', checkHeapUnguarded);

function percentText(ratio: number): string {
  return `${trimDecimals(ratio * 100, 2)}%`;
}

/** `checks.heap(name, { maxUsedBytes?, maxUsedRatio? })`: fails when the V8 heap grows past a limit. */
export const heap = runnableReadyCheck<HeapCheckOptions, HeapRunOptions>({
  kind: 'heap',
  known: ['maxUsedBytes', 'maxUsedRatio'],
  validate(options) {
    options.requireOneOf(['maxUsedBytes', 'maxUsedRatio']);
    options.check(
      'maxUsedBytes',
      'a number of bytes greater than 0',
      isPositiveNumber(),
    );
    options.check(
      'maxUsedRatio',
      'a ratio greater than 0 and at most 1, e.g. 0.9 for 90%',
      isPositiveNumber(1),
    );
  },
  run: checkHeap,
});
