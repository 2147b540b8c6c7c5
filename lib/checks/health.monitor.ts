import { setMaxListeners } from 'node:events';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { hostname } from 'node:os';
import { createOutputScrubber } from '../environment/output-scrub.js';
import { createScrubber } from '../environment/scrub.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import {
  applicationShuttingDown,
  readinessShuttingDown,
} from '../healthcheck.messages.js';
import type {
  HealthCheckResult,
  HealthCheckSelection,
  HealthReport,
} from '../interfaces/check.interface.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import type {
  CheckSnapshot,
  DrainOptions,
  DrainState,
  HealthEventListener,
} from '../interfaces/health-event.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { assembleReport } from '../report/health-report.js';
import { ReportSections } from '../report/report-sections.js';
import {
  type CheckStatus,
  isStale,
  markStale,
  observeRun,
  pendingStatus,
} from '../status/check-status.js';
import { type Drain, drainIsOver, startDrain } from '../status/drain.js';
import { overallOf, type OverallState } from '../status/overall-status.js';
import {
  executeCheck,
  failedResult,
  pendingResult,
  staleResult,
} from './check.executor.js';
import { CheckRegistry, type RegisteredCheck } from './check.registry.js';
import { HealthEventHub } from './health-event.hub.js';
import { ReportCache } from './report.cache.js';
import { StatusChangeTracker } from './status-change.tracker.js';

interface CheckState {
  /** What the status model decided the check shows. */
  status: CheckStatus;
  /** Epoch ms after which an on-demand check must run again. */
  expiresAt: number;
  /** Epoch ms at which the last run ended, and at which the run under way started. */
  lastRunEndedAt?: number;
  runStartedAt?: number;
  /** The run under way, shared by every caller that needs this check meanwhile. */
  inFlight?: Promise<void>;
  /** The next run of a background check. */
  timer?: ReturnType<typeof setTimeout>;
  /** Added after bootstrap: its pending status counts in the recorded overall status (it is not starting up). */
  addedLate?: boolean;
  /** A background check's staleness limits, kept so that reading them costs nothing per request. */
  staleness?: { maxStaleness: number; timeout: number };
}

/**
 * Probe groups whose report does not fail when shutdown begins or while the pod is drained: a pod out of
 * rotation is still alive and started.
 */
const KEPT_THROUGH_SHUTDOWN = new Set(['liveness', 'startup']);

/** Milliseconds between two refreshes of an expired on-demand check made for the event stream. */
const MIN_STREAM_REFRESH_MS = 1_000;

/**
 * Runs the checks and keeps the one status every view reads: it schedules runs (on demand or in the background),
 * caches results, feeds each through the status model (first result as it is, thresholds, staleness), decides the
 * reports (drain and shutdown included) and tells the views of every change. Internal: users have HealthCheckRunner.
 */
@Injectable()
export class HealthMonitor
  implements
    OnApplicationBootstrap,
    BeforeApplicationShutdown,
    OnApplicationShutdown
{
  private readonly hostname = hostname();
  private readonly states = new Map<RegisteredCheck, CheckState>();
  private readonly shutdown = new AbortController();
  /** Sections added to the full report, like the Python library's `HealthCheck.add_section`. */
  private readonly sections: ReportSections;
  private readonly reports = new ReportCache();
  private readonly tracker: StatusChangeTracker;
  private readonly events = new HealthEventHub();
  private readonly scrubOutput: (output: unknown) => unknown;
  private bootstrapped = false;
  private shutdownResult?: HealthCheckResult;
  private startupPassed?: HealthReport;
  /** The drain under way, if any; its timer ends it when its time is up. */
  private drained?: Drain;
  private drainTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly registry: CheckRegistry,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    options: ResolvedHealthcheckOptions,
  ) {
    // Every run in progress listens to this one signal: as many listeners as checks, not a leak.
    setMaxListeners(0, this.shutdown.signal);
    const rules = options.environment?.scrub;
    this.scrubOutput = createOutputScrubber(rules);
    this.sections = new ReportSections({
      timeoutMs: options.timing.timeout,
      maxAgeMs: options.timing.successTtl,
      scrub: createScrubber(rules),
    });
    this.tracker = new StatusChangeTracker((change) => {
      this.events.emit(change);
      return options.onStatusChange?.(change);
    });
    registry.onAdd((check) => {
      this.reports.invalidate();
      const state = check.background ? this.stateOf(check) : undefined;
      if (!this.bootstrapped) return;
      if (state) {
        // Its pending stand-in is shown from now on: views that follow events (the event stream, gRPC Watch)
        // must hear of it, as the report and the probes already show it.
        state.addedLate = true;
        const result = state.status.shown!;
        this.events.emit({ type: 'result', name: check.name, result });
        this.startBackground(check);
      }
      this.tracker.overallStatus(this.settledOverall());
    });
  }

  /** True from the moment shutdown begins. */
  get shuttingDown(): boolean {
    return this.shutdownResult !== undefined;
  }

  /**
   * The report of a selection, after running its on-demand checks whose cached result has expired (all at once);
   * synchronous when nothing had to run. During shutdown nothing runs, and every report but liveness and startup
   * fails. Throws UnknownSelectionError for an unknown check or tag.
   */
  current(
    selection?: HealthCheckSelection,
  ): HealthReport | Promise<HealthReport> {
    if (selection?.tag === 'startup' && this.startupPassed) {
      return this.startupPassed;
    }
    const checks = this.registry.select(selection);
    const now = Date.now();
    if (this.drained !== undefined) this.endDrainIfOver(now);
    const runs =
      !this.shuttingDown || KEPT_THROUGH_SHUTDOWN.has(selection?.tag ?? '');
    let pending: Promise<void>[] | undefined;
    for (const check of checks) {
      const state = this.stateOf(check);
      if (check.background) {
        this.expireIfStale(check, state, now);
      } else if (
        runs &&
        (state.status.shown === undefined || now >= state.expiresAt)
      ) {
        (pending ??= []).push(this.refresh(check, state));
      }
    }
    if (!pending) return this.reportFor(selection, checks);
    return Promise.all(pending).then(() => this.reportFor(selection, checks));
  }

  /** As `current`, from the cached results only: nothing runs. */
  peek(selection?: HealthCheckSelection): HealthReport | Promise<HealthReport> {
    if (selection?.tag === 'startup' && this.startupPassed) {
      return this.startupPassed;
    }
    const checks = this.registry.select(selection);
    const now = Date.now();
    if (this.drained !== undefined) this.endDrainIfOver(now);
    this.applyStaleness(checks, now);
    return this.reportFor(selection, checks);
  }

  /** Every check with its shown status and result, read from the cache; nothing runs. */
  snapshot(): CheckSnapshot[] {
    const checks = this.registry.checks;
    this.applyStaleness(checks, Date.now());
    return checks.map((check) => {
      const status = this.states.get(check)?.status ?? pendingStatus();
      return {
        name: check.name,
        tags: check.tags,
        critical: check.critical,
        ...(check.background && { interval: check.background.interval }),
        status: status.status,
        ...(status.shown && { result: status.shown }),
      };
    });
  }

  /** The overall status of every check's shown result, shutdown and drain included: what the full report says. */
  overall(): OverallState {
    const now = Date.now();
    if (this.drained !== undefined) this.endDrainIfOver(now);
    this.applyStaleness(this.registry.checks, now);
    return this.currentOverall();
  }

  /** The drain under way (its reason and end), or undefined; always undefined once shutdown has begun. */
  drainState(): DrainState | undefined {
    if (this.drained !== undefined) this.endDrainIfOver(Date.now());
    return this.drained?.state;
  }

  /**
   * Takes the application out of rotation without stopping it (see HealthCheckRunner.drain); a drain under way
   * is replaced. Throws on invalid options. Changes nothing once shutdown has begun: shutdown wins.
   */
  drain(options?: DrainOptions): void {
    const now = Date.now();
    const next = startDrain(options, now, (text) =>
      String(this.scrubOutput(text)),
    );
    if (this.shuttingDown) return;
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    const previous = this.drained?.state;
    this.drained = next;
    if (next.endsAt !== undefined) {
      const drain = next;
      this.drainTimer = setTimeout(() => {
        if (this.drained === drain) this.endDrain();
      }, next.endsAt - now);
      this.drainTimer.unref?.();
    }
    this.drainChanged(previous, next.state);
  }

  /** Ends the drain under way at once; does nothing when there is none. */
  undrain(): void {
    if (this.drained !== undefined) this.endDrain();
  }

  /** Adds a report section (see HealthCheckRunner.addSection). */
  addSection(name: string, section: EnvSectionSource): void {
    this.sections.add(
      name,
      section,
      `HealthCheckRunner.addSection('${String(name)}')`,
    );
    this.reports.invalidate();
  }

  /** Calls `listener` with every new result, status change and the start of shutdown; returns the unsubscribe. */
  subscribe(listener: HealthEventListener): () => void {
    return this.events.subscribe(listener);
  }

  /**
   * Shutdown begins: every report but liveness and startup fails from now on, and the views are told; a drain
   * under way ends (its `drain` event comes before the `shutdown` one).
   */
  beginShutdown(): void {
    if (this.shuttingDown) return;
    const now = Date.now();
    this.shutdownResult = failedResult(
      { name: 'shutdown', critical: true },
      readinessShuttingDown,
      now,
    );
    // Shutdown supersedes the drain: it ends here (its timer can undo nothing), and the views hear so first.
    const superseded = this.drained?.state;
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    this.drained = undefined;
    this.reports.invalidate();
    this.tracker.overallStatus(this.settledOverall());
    if (superseded) {
      this.events.emit({
        type: 'drain',
        previous: superseded,
        current: undefined,
      });
    }
    this.events.emit({ type: 'shutdown' });
  }

  /**
   * Starts a run of every on-demand check whose result has expired, as a probe would, at most once a second per
   * check, and applies staleness; for views that show results while nobody probes (the event stream). Nothing
   * runs during shutdown.
   */
  refreshExpired(): void {
    if (this.shuttingDown) return;
    const now = Date.now();
    if (this.drained !== undefined) this.endDrainIfOver(now);
    this.applyStaleness(this.registry.checks, now);
    for (const check of this.registry.checks) {
      const state = this.states.get(check);
      if (
        !check.background &&
        state?.status.shown !== undefined &&
        now >= state.expiresAt &&
        now - (state.lastRunEndedAt ?? 0) >= MIN_STREAM_REFRESH_MS
      ) {
        void this.refresh(check, state);
      }
    }
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    for (const check of this.registry.checks) {
      if (check.background) this.startBackground(check);
    }
  }

  /**
   * Once the shutdown delay is over and before Nest closes the HTTP servers: every run under way is abandoned,
   * so that a request waiting on a hung check answers at once instead of holding the close until its timeout.
   */
  beforeApplicationShutdown(): void {
    this.shutdown.abort(new Error(applicationShuttingDown));
  }

  onApplicationShutdown(): void {
    this.shutdown.abort(new Error(applicationShuttingDown));
    for (const state of this.states.values()) clearTimeout(state.timer);
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
  }

  private stateOf(check: RegisteredCheck): CheckState {
    let state = this.states.get(check);
    if (!state) {
      const { background } = check;
      state = {
        status: pendingStatus(background ? pendingResult(check) : undefined),
        expiresAt: 0,
        ...(background && {
          staleness: {
            maxStaleness: background.maxStaleness,
            timeout: check.timing.timeout,
          },
        }),
      };
      this.states.set(check, state);
    }
    return state;
  }

  private refresh(check: RegisteredCheck, state: CheckState): Promise<void> {
    if (!state.inFlight) {
      state.runStartedAt = Date.now();
      state.inFlight = executeCheck(
        check,
        this.shutdown.signal,
        this.scrubOutput,
      ).then((run) => {
        state.inFlight = undefined;
        state.runStartedAt = undefined;
        // A run cut off at the end of the shutdown delay says nothing about the dependency: no status change,
        // no alert, no duration for it.
        if (this.shutdown.signal.aborted) return;
        state.lastRunEndedAt = Date.now();
        state.expiresAt = run.expires * 1000;
        this.record(check, state, observeRun(state.status, run, check));
      });
    }
    return state.inFlight;
  }

  private record(
    check: RegisteredCheck,
    state: CheckState,
    next: CheckStatus,
  ): void {
    const previous = state.status;
    state.status = next;
    this.reports.invalidate();
    const result = next.shown!;
    this.events.emit({ type: 'result', name: check.name, result });
    this.tracker.checkResult(
      check.name,
      previous.status === 'pending' ? undefined : previous.shown,
      result,
    );
    this.tracker.overallStatus(this.settledOverall());
  }

  private currentOverall(): OverallState {
    return overallOf(this.shownResults(true), this.outOfRotation);
  }

  /** Shutdown has begun or a drain is under way: every report but liveness and startup fails. */
  private get outOfRotation(): boolean {
    return this.shuttingDown || this.drained !== undefined;
  }

  /** Ends the drain when its time is up, for a read that comes before its timer (a clock moved by a test). */
  private endDrainIfOver(now: number): void {
    if (drainIsOver(this.drained!, now)) this.endDrain();
  }

  private endDrain(): void {
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    const previous = this.drained?.state;
    this.drained = undefined;
    this.drainChanged(previous, undefined);
  }

  /** Every view hears of a drain's start, replacement or end at once, then of the overall flip it makes. */
  private drainChanged(
    previous: DrainState | undefined,
    current: DrainState | undefined,
  ): void {
    this.reports.invalidate();
    this.tracker.drainChanged(current);
    this.events.emit({ type: 'drain', previous, current });
    this.tracker.overallStatus(this.settledOverall());
  }

  /**
   * The overall status that changes are recorded against (history, onStatusChange, logs): as `overall()`, but
   * a check still waiting for its first result is left out, so that starting up is not recorded as a recovery.
   * A check added after bootstrap is not starting up: its pending result counts, as in every other view.
   */
  private settledOverall(): OverallState['status'] {
    return overallOf(this.shownResults(false), this.outOfRotation).status;
  }

  private *shownResults(withPending: boolean): Generator<HealthCheckResult> {
    for (const { status, addedLate } of this.states.values()) {
      if (
        status.shown &&
        (withPending || addedLate || status.status !== 'pending')
      ) {
        yield status.shown;
      }
    }
  }

  private startBackground(check: RegisteredCheck): void {
    const state = this.stateOf(check);
    if (state.timer !== undefined || state.inFlight) return;
    const tick = (): void => {
      state.timer = undefined;
      void this.refresh(check, state).then(() => {
        if (this.shutdown.signal.aborted) return;
        state.timer = setTimeout(tick, check.background!.interval);
        state.timer.unref?.();
      });
    };
    tick();
  }

  /** Fails, at once, every passing background check of `checks` whose results have stopped coming. */
  private applyStaleness(
    checks: readonly RegisteredCheck[],
    now: number,
  ): void {
    for (const check of checks) {
      const state = this.states.get(check);
      if (state) this.expireIfStale(check, state, now);
    }
  }

  /** Fails a passing background check at once when its results have stopped coming. */
  private expireIfStale(
    check: RegisteredCheck,
    state: CheckState,
    now: number,
  ): void {
    const { staleness } = state;
    if (
      !staleness ||
      state.status.status !== 'passing' ||
      !isStale(state, staleness, now)
    ) {
      return;
    }
    const since = state.runStartedAt ?? state.lastRunEndedAt ?? now;
    this.record(
      check,
      state,
      markStale(state.status, staleResult(check, now - since, now)),
    );
  }

  /** The report of a selection: reused while nothing changed, built at most once per change. */
  private reportFor(
    selection: HealthCheckSelection | undefined,
    checks: readonly RegisteredCheck[],
  ): HealthReport | Promise<HealthReport> {
    const key = selectionKey(selection);
    const all = this.registry.checks;
    const now = Date.now();
    const cached = this.reports.get(key, all, now);
    if (cached) return this.latchStartup(selection, cached);
    const results: HealthCheckResult[] = [];
    for (const check of checks) {
      const result = this.states.get(check)?.status.shown;
      if (result) results.push(result);
    }
    const outOfRotationResult = this.shutdownResult ?? this.drained?.result;
    if (
      outOfRotationResult &&
      !KEPT_THROUGH_SHUTDOWN.has(selection?.tag ?? '')
    ) {
      results.push(outOfRotationResult);
    }
    if (key !== '' || this.sections.size === 0) {
      const report = assembleReport(this.hostname, results, now);
      this.reports.set(key, all, report);
      return this.latchStartup(selection, report);
    }
    const report = this.sections
      .values(now)
      .then((sections) =>
        assembleReport(this.hostname, results, now, sections),
      );
    this.reports.set(key, all, report, this.sections.validUntil());
    return report;
  }

  /** Startup stays passed once it has passed: a started pod does not start again. */
  private latchStartup(
    selection: HealthCheckSelection | undefined,
    report: HealthReport | Promise<HealthReport>,
  ): HealthReport | Promise<HealthReport> {
    if (
      selection?.tag === 'startup' &&
      selection.check === undefined &&
      !selection.exclude?.length &&
      !(report instanceof Promise) &&
      report.status === 'success'
    ) {
      this.startupPassed = report;
    }
    return report;
  }
}

function selectionKey(selection: HealthCheckSelection = {}): string {
  const { tag, check, exclude } = selection;
  if (check === undefined && !exclude?.length) {
    return tag === undefined ? '' : `tag:${tag}`;
  }
  return JSON.stringify([tag, check, exclude ? [...exclude].sort() : []]);
}
