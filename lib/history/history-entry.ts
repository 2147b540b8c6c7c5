import type { HealthDrainChange } from '../interfaces/health-event.interface.js';
import type { HealthStatusChange } from '../interfaces/module-options.interface.js';

/** The status words of the history: a check passes or fails, the overall status succeeds or fails. */
export type HistoryStatus = 'success' | 'failure';

/** The states a drain entry moves between: in rotation (`serving`) or taken out of it (`drained`). */
export type DrainHistoryStatus = 'serving' | 'drained';

/** One status flip of a check or of the overall status, or a drain's start, replacement or end. */
export interface HealthHistoryEntry {
  /** Epoch seconds of the change: when the result that flipped it was computed. */
  time: number;
  type: 'check' | 'overall' | 'drain';
  /** The check's name; absent on an overall change. */
  name?: string;
  /** The status before; `null` when a check's first result is a failure. */
  previous: HistoryStatus | DrainHistoryStatus | null;
  current: HistoryStatus | DrainHistoryStatus;
  /** The check's output at the change (a check change only, and only when details are shown). */
  output?: unknown;
  /** The check's runbook, when its result has one. */
  runbook?: string;
  /** A drain entry: the new drain's reason (only when details are shown). */
  reason?: string;
  /** A drain entry: ISO time at which the new drain ends by itself (only when details are shown). */
  until?: string;
}

/** The history entry of a status change, at `nowMs` for an overall change or a drain. */
export function toHistoryEntry(
  change: HealthStatusChange | HealthDrainChange,
  nowMs: number,
): HealthHistoryEntry {
  if (change.type === 'overall') {
    return {
      time: nowMs / 1000,
      type: 'overall',
      previous: change.previous,
      current: change.current,
    };
  }
  if (change.type === 'drain') {
    const { previous, current } = change;
    return {
      time: nowMs / 1000,
      type: 'drain',
      previous: previous ? 'drained' : 'serving',
      current: current ? 'drained' : 'serving',
      ...(current?.reason !== undefined && { reason: current.reason }),
      ...(current?.until !== undefined && { until: current.until }),
    };
  }
  const { previous, current } = change;
  return {
    time: current.timestamp,
    type: 'check',
    name: change.name,
    previous: previous ? statusOf(previous.passed) : null,
    current: statusOf(current.passed),
    output: current.output,
    ...(current.runbook !== undefined && { runbook: current.runbook }),
  };
}

function statusOf(passed: boolean): HistoryStatus {
  return passed ? 'success' : 'failure';
}
