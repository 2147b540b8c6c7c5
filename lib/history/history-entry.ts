import type { HealthStatusChange } from '../interfaces/module-options.interface.js';

/** The status words of the history: a check passes or fails, the overall status succeeds or fails. */
export type HistoryStatus = 'success' | 'failure';

/** One status flip of a check or of the overall status. */
export interface HealthHistoryEntry {
  /** Epoch seconds of the change: when the result that flipped it was computed. */
  time: number;
  type: 'check' | 'overall';
  /** The check's name; absent on an overall change. */
  name?: string;
  /** The status before; `null` when a check's first result is a failure. */
  previous: HistoryStatus | null;
  current: HistoryStatus;
  /** The check's output at the change (a check change only, and only when details are shown). */
  output?: unknown;
  /** The check's runbook, when its result has one. */
  runbook?: string;
}

/** The history entry of a status change, at `nowMs` for an overall change. */
export function toHistoryEntry(
  change: HealthStatusChange,
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
