import { hostname } from 'node:os';
import { checkPending } from '../healthcheck.messages.js';
import type { HealthHistoryEntry } from '../history/history-entry.js';
import { withoutOutput } from '../history/history-entry.js';
import type { HealthCheckResult } from '../interfaces/check.interface.js';
import type { CheckSnapshot } from '../interfaces/health-event.interface.js';
import { overallOf, type OverallState } from '../report/overall-status.js';

/** What a check is doing, as the dashboard shows it. */
export type CheckState = 'passing' | 'failing' | 'pending' | 'not-run';

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
}

/** A new result of one check, with the overall status after it. */
export interface ResultPayload {
  time: number;
  overall: StreamOverall;
  check: StreamCheck;
}

const host = hostname();

/** The snapshot event's data. */
export function snapshotPayload(
  checks: readonly CheckSnapshot[],
  history: HealthHistoryEntry[],
  title: string,
  showDetails: boolean,
  nowMs: number,
): SnapshotPayload {
  return {
    title,
    hostname: host,
    time: nowMs / 1000,
    overall: overallOf(checks),
    checks: checks.map((check) => streamCheck(check, showDetails)),
    history: showDetails ? history : history.map(withoutOutput),
  };
}

/** A result event's data; `checks` is the snapshot after the result was recorded. */
export function resultPayload(
  name: string,
  checks: readonly CheckSnapshot[],
  showDetails: boolean,
  nowMs: number,
): ResultPayload | undefined {
  const check = checks.find((candidate) => candidate.name === name);
  if (!check) return undefined;
  return {
    time: nowMs / 1000,
    overall: overallOf(checks),
    check: streamCheck(check, showDetails),
  };
}

/** One check for the stream; without output and measurement when details are hidden. */
export function streamCheck(
  { name, tags, critical, interval, result }: CheckSnapshot,
  showDetails: boolean,
): StreamCheck {
  return {
    name,
    tags,
    critical,
    ...(interval !== undefined && { interval }),
    state: stateOf(result),
    ...(result && { result: showDetails ? result : withoutOutputs(result) }),
  };
}

function stateOf(result: HealthCheckResult | undefined): CheckState {
  if (!result) return 'not-run';
  if (result.passed) return 'passing';
  return result.output === checkPending ? 'pending' : 'failing';
}

function withoutOutputs(result: HealthCheckResult): Partial<HealthCheckResult> {
  const rest: Partial<HealthCheckResult> = { ...result };
  delete rest.output;
  delete rest.observedValue;
  delete rest.observedUnit;
  return rest;
}
