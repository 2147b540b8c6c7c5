import { hostname } from 'node:os';
import type { HealthHistoryEntry } from '../history/history-entry.js';
import type { HealthCheckResult } from '../interfaces/check.interface.js';
import type {
  CheckSnapshot,
  DrainState,
} from '../interfaces/health-event.interface.js';
import { presentDrain, presentResult } from '../report/presentation.js';
import type { OverallState } from '../status/overall-status.js';

/** What a check is doing, as the dashboard shows it; `degraded` is a passing check that said it is degraded. */
export type CheckState =
  'passing' | 'degraded' | 'failing' | 'pending' | 'not-run';

/** A check as the event stream sends it. */
export interface StreamCheck {
  name: string;
  tags: readonly string[];
  critical: boolean;
  interval?: number;
  state: CheckState;
  result?: Partial<HealthCheckResult>;
}

/** The overall status, as the health report computes it from the same results. */
export type StreamOverall = OverallState;

/** The first event of a stream: everything the page needs to draw itself. */
export interface SnapshotPayload {
  title: string;
  hostname: string;
  /** Epoch seconds on the server, so the page can correct for a skewed client clock. */
  time: number;
  overall: StreamOverall;
  checks: StreamCheck[];
  history: HealthHistoryEntry[];
  /** The drain under way (its reason and end only with details), or null; `change` events of type `drain` follow. */
  drain: DrainState | null;
}

/** A new result of one check, with the overall status after it. */
export interface ResultPayload {
  time: number;
  overall: StreamOverall;
  check: StreamCheck;
}

const host = hostname();

/** The snapshot event's data; `history` is already presented to the audience. */
export function snapshotPayload(
  checks: readonly CheckSnapshot[],
  overall: OverallState,
  history: HealthHistoryEntry[],
  title: string,
  showDetails: boolean,
  nowMs: number,
  drain?: DrainState,
): SnapshotPayload {
  return {
    title,
    hostname: host,
    time: nowMs / 1000,
    overall,
    checks: checks.map((check) => streamCheck(check, showDetails)),
    history,
    drain: drain ? presentDrain(drain, showDetails) : null,
  };
}

/** A result event's data; `checks` is the snapshot after the result was recorded. */
export function resultPayload(
  name: string,
  checks: readonly CheckSnapshot[],
  overall: OverallState,
  showDetails: boolean,
  nowMs: number,
): ResultPayload | undefined {
  const check = checks.find((candidate) => candidate.name === name);
  if (!check) return undefined;
  return {
    time: nowMs / 1000,
    overall,
    check: streamCheck(check, showDetails),
  };
}

/** One check for the stream, its result presented to the audience. */
export function streamCheck(
  { name, tags, critical, interval, status, result }: CheckSnapshot,
  showDetails: boolean,
): StreamCheck {
  return {
    name,
    tags,
    critical,
    ...(interval !== undefined && { interval }),
    state: stateOf(status, result),
    ...(result && { result: presentResult(result, showDetails) }),
  };
}

function stateOf(
  status: CheckSnapshot['status'],
  result: HealthCheckResult | undefined,
): CheckState {
  if (status === 'pending' && !result) return 'not-run';
  return status === 'passing' && result?.degraded ? 'degraded' : status;
}
