import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { hostname } from 'node:os';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import { applicationShuttingDown } from '../healthcheck.messages.js';
import type {
  HealthCheckFunction,
  HealthCheckOptions,
  HealthCheckResult,
  HealthCheckSelection,
  HealthReport,
} from '../interfaces/check.interface.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import type {
  CheckSnapshot,
  HealthEventListener,
} from '../interfaces/health-event.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { createScrubber } from '../environment/scrub.js';
import { assembleReport, isCriticalFailure } from '../report/health-report.js';
import { ReportSections } from '../report/report-sections.js';
import { executeCheck, pendingResult, staleResult } from './check.executor.js';
import { CheckRegistry, type RegisteredCheck } from './check.registry.js';
import { damp, type Streak } from './damping.js';
import { HealthEventHub } from './health-event.hub.js';
import { ReportCache } from './report.cache.js';
import { StatusChangeTracker } from './status-change.tracker.js';

interface CheckState {
  /** The result shown: the latest run's, or one a threshold holds (see damping). */
  result: HealthCheckResult | undefined;
  /** True while `result` is a stand-in (a background check's "pending"), not a real run's result. */
  placeholder: boolean;
  /** Consecutive runs that disagree with the shown status. */
  streak: Streak;
  /** Epoch ms after which an on-demand check must run again. */
  expiresAt: number;
  /** The run under way, shared by every caller that needs this check meanwhile. */
  inFlight?: Promise<void>;
  /** The next run of a background check. */
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Runs checks concurrently, each with its timeout and its own cached result; background checks run on their
 * own timers. Reports are rebuilt only when a result changes.
 */
@Injectable()
export class HealthCheckRunner
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly hostname = hostname();
  private readonly states = new Map<RegisteredCheck, CheckState>();
  private readonly shutdown = new AbortController();
  /** Sections added to the full report, like the Python library's `HealthCheck.add_section`. */
  private readonly sections: ReportSections;
  private readonly reports = new ReportCache();
  private readonly tracker: StatusChangeTracker;
  private readonly events = new HealthEventHub();
  private bootstrapped = false;

  constructor(
    private readonly registry: CheckRegistry,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    options: ResolvedHealthcheckOptions,
  ) {
    this.sections = new ReportSections({
      timeoutMs: options.timing.timeout,
      maxAgeMs: options.timing.successTtl,
      scrub: createScrubber(options.environment?.scrub),
    });
    this.tracker = new StatusChangeTracker((change) => {
      this.events.emit(change);
      return options.onStatusChange?.(change);
    });
    registry.onAdd((check) => {
      if (this.bootstrapped && check.background) this.startBackground(check);
    });
  }

  /**
   * Runs every selected on-demand check whose cached result has expired (all at once) and returns the report.
   * Without a selection the report covers every check. Throws UnknownSelectionError for an unknown check or tag.
   */
  async run(selection?: HealthCheckSelection): Promise<HealthReport> {
    return this.current(selection);
  }

  /**
   * As `run`, but answers synchronously when nothing had to run and no section is being evaluated: the
   * transports' hot path, which a cached report should not cost a promise.
   */
  current(
    selection?: HealthCheckSelection,
  ): HealthReport | Promise<HealthReport> {
    const checks = this.registry.select(selection);
    const now = Date.now();
    let pending: Promise<void>[] | undefined;
    for (const check of checks) {
      const state = this.stateOf(check);
      if (check.background) {
        this.expireStale(check, state, now);
      } else if (state.result === undefined || now >= state.expiresAt) {
        (pending ??= []).push(this.refresh(check, state));
      }
    }
    if (!pending) return this.reportFor(selection, checks);
    return Promise.all(pending).then(() => this.reportFor(selection, checks));
  }

  /**
   * The report of a selection from the cached results only: nothing runs, expired results included. Throws
   * UnknownSelectionError for an unknown check or tag.
   */
  peek(selection?: HealthCheckSelection): HealthReport | Promise<HealthReport> {
    return this.reportFor(selection, this.registry.select(selection));
  }

  /** Every check with its latest result, read from the cache; nothing runs. */
  snapshot(): CheckSnapshot[] {
    return this.registry.checks.map((check) => {
      const state = this.states.get(check);
      return {
        name: check.name,
        tags: check.tags,
        critical: check.critical,
        ...(check.background && { interval: check.background.interval }),
        ...(state?.result && { result: state.result }),
      };
    });
  }

  /** Calls `listener` with every new result, status flip and the start of shutdown; returns the unsubscribe. */
  subscribe(listener: HealthEventListener): () => void {
    return this.events.subscribe(listener);
  }

  /** Tells the transports that shutdown has begun (readiness fails from now on). */
  announceShutdown(): void {
    this.events.emit({ type: 'shutdown' });
  }

  /** Registers a check by hand, like the Python library's `add_check`; `options` override the module's. */
  addCheck(
    name: string,
    check: HealthCheckFunction,
    options: Omit<HealthCheckOptions, 'name'> = {},
  ): void {
    this.registry.register(
      check,
      { ...options, name },
      name,
      `HealthCheckRunner.addCheck('${String(name)}')`,
    );
  }

  /**
   * Adds a top-level key to the full report, like the Python library's `add_section`: a value, or a function
   * (sync, Promise or Observable) evaluated when the report is rebuilt, and at least once per `successTtl`.
   * Secrets in it are scrubbed as in the environment dump.
   */
  addSection(name: string, section: EnvSectionSource): void {
    this.sections.add(
      name,
      section,
      `HealthCheckRunner.addSection('${String(name)}')`,
    );
    this.reports.invalidate();
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    for (const check of this.registry.checks) {
      if (check.background) this.startBackground(check);
    }
  }

  onApplicationShutdown(): void {
    this.shutdown.abort(new Error(applicationShuttingDown));
    for (const state of this.states.values()) clearTimeout(state.timer);
  }

  private stateOf(check: RegisteredCheck): CheckState {
    let state = this.states.get(check);
    if (!state) {
      const placeholder = check.background !== undefined;
      state = {
        result: placeholder ? pendingResult(check) : undefined,
        placeholder,
        streak: { count: 0 },
        expiresAt: 0,
      };
      this.states.set(check, state);
    }
    return state;
  }

  private refresh(check: RegisteredCheck, state: CheckState): Promise<void> {
    state.inFlight ??= executeCheck(check, this.shutdown.signal).then((run) => {
      state.inFlight = undefined;
      const previous = state.placeholder ? undefined : state.result;
      const { shown, streak } = damp(previous, state.streak, run, check);
      state.streak = streak;
      this.record(check, state, shown);
      state.expiresAt = run.expires * 1000;
    });
    return state.inFlight;
  }

  private record(
    check: RegisteredCheck,
    state: CheckState,
    result: HealthCheckResult,
  ): void {
    const previous = state.placeholder ? undefined : state.result;
    state.result = result;
    state.placeholder = false;
    this.reports.invalidate();
    this.events.emit({ type: 'result', name: check.name, result });
    this.tracker.checkResult(check.name, previous, result);
    this.tracker.overallStatus(this.overallStatus());
  }

  /** Status of all checks together, leaving out stand-ins that no run has produced yet. */
  private overallStatus(): HealthReport['status'] {
    for (const state of this.states.values()) {
      if (
        !state.placeholder &&
        state.result &&
        isCriticalFailure(state.result)
      ) {
        return 'failure';
      }
    }
    return 'success';
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

  private expireStale(
    check: RegisteredCheck,
    state: CheckState,
    now: number,
  ): void {
    const { result } = state;
    if (!result || state.placeholder || !result.passed) return;
    if (now - result.timestamp * 1000 > check.background!.maxStaleness) {
      state.streak = { count: 0 };
      this.record(check, state, staleResult(check, result, now));
    }
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
    if (cached) return cached;
    const results: HealthCheckResult[] = [];
    for (const check of checks) {
      const result = this.states.get(check)?.result;
      if (result) results.push(result);
    }
    if (key !== '' || this.sections.size === 0) {
      const report = assembleReport(this.hostname, results, now);
      this.reports.set(key, all, report);
      return report;
    }
    const report = this.sections
      .values(now)
      .then((sections) =>
        assembleReport(this.hostname, results, now, sections),
      );
    this.reports.set(key, all, report, this.sections.validUntil());
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
