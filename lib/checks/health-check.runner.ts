import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { hostname } from 'node:os';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import {
  applicationShuttingDown,
  healthEventListenerFailed,
} from '../healthcheck.messages.js';
import { describeThrown } from './describe-thrown.js';
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
  HealthEvent,
  HealthEventListener,
} from '../interfaces/health-event.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { assembleReport, isCriticalFailure } from '../report/health-report.js';
import { evaluateSection } from '../sections/evaluate-section.js';
import { SectionRegistry } from '../sections/section.registry.js';
import type { JsonValue } from '../serialization/to-json-safe.js';
import { executeCheck, pendingResult, staleResult } from './check.executor.js';
import { CheckRegistry, type RegisteredCheck } from './check.registry.js';
import { StatusChangeTracker } from './status-change.tracker.js';

/** Keys of the report that a section cannot take. */
const REPORT_KEYS = ['hostname', 'status', 'degraded', 'timestamp', 'results'];
/** Reports kept for reuse; past this many distinct selections the cache starts over. */
const MAX_CACHED_REPORTS = 64;

interface CheckState {
  result: HealthCheckResult | undefined;
  /** True while `result` is a stand-in (a background check's "pending"), not a real run's result. */
  placeholder: boolean;
  /** Epoch ms after which an on-demand check must run again. */
  expiresAt: number;
  /** The run under way, shared by every caller that needs this check meanwhile. */
  inFlight?: Promise<void>;
  /** The next run of a background check. */
  timer?: ReturnType<typeof setTimeout>;
}

interface ReportSnapshot {
  checks: readonly RegisteredCheck[];
  generation: number;
  report: HealthReport | Promise<HealthReport>;
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
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly states = new Map<RegisteredCheck, CheckState>();
  private readonly shutdown = new AbortController();
  /** Sections added to the full report, like the seed library's `HealthCheck.add_section`. */
  private readonly sections = new SectionRegistry(REPORT_KEYS);
  private readonly tracker: StatusChangeTracker;
  /** Bumped whenever a result or a section changes, so the last reports can be reused until then. */
  private generation = 0;
  private readonly reports = new Map<string, ReportSnapshot>();
  private bootstrapped = false;
  private readonly listeners = new Set<HealthEventListener>();

  constructor(
    private readonly registry: CheckRegistry,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {
    this.tracker = new StatusChangeTracker((change) => {
      this.emit(change);
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
    if (pending) await Promise.all(pending);
    return this.reportFor(selection, checks);
  }

  /** Registers a check by hand, like the seed library's `add_check`; `options` override the module's. */
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
   * Adds a top-level key to the full report, like the seed library's `add_section`: a value, or a function
   * (sync, Promise or Observable) evaluated whenever the report is rebuilt, i.e. when a check result changes.
   */
  addSection(name: string, section: EnvSectionSource): void {
    this.sections.add(
      name,
      section,
      `HealthCheckRunner.addSection('${String(name)}')`,
    );
    this.generation++;
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
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the transports that shutdown has begun (readiness fails from now on). */
  announceShutdown(): void {
    this.emit({ type: 'shutdown' });
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

  private emit(event: HealthEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(healthEventListenerFailed(describeThrown(error)));
      }
    }
  }

  private stateOf(check: RegisteredCheck): CheckState {
    let state = this.states.get(check);
    if (!state) {
      const placeholder = check.background !== undefined;
      state = {
        result: placeholder ? pendingResult(check) : undefined,
        placeholder,
        expiresAt: 0,
      };
      this.states.set(check, state);
    }
    return state;
  }

  private refresh(check: RegisteredCheck, state: CheckState): Promise<void> {
    state.inFlight ??= executeCheck(check, this.shutdown.signal).then(
      (result) => {
        state.inFlight = undefined;
        this.record(check, state, result);
        state.expiresAt = result.expires * 1000;
      },
    );
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
    this.generation++;
    this.emit({ type: 'result', name: check.name, result });
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
      this.record(check, state, staleResult(check, result, now));
    }
  }

  /** The report of a selection: reused while nothing changed, built at most once per change. */
  private reportFor(
    selection: HealthCheckSelection | undefined,
    checks: readonly RegisteredCheck[],
  ): HealthReport | Promise<HealthReport> {
    const key = selectionKey(selection);
    const { generation } = this;
    const all = this.registry.checks;
    const cached = this.reports.get(key);
    if (cached?.checks === all && cached.generation === generation) {
      return cached.report;
    }
    const results: HealthCheckResult[] = [];
    for (const check of checks) {
      const result = this.states.get(check)?.result;
      if (result) results.push(result);
    }
    const report =
      key === '' && this.sections.size > 0
        ? this.evaluateSections().then((sections) =>
            assembleReport(this.hostname, results, Date.now(), sections),
          )
        : assembleReport(this.hostname, results, Date.now());
    if (this.reports.size >= MAX_CACHED_REPORTS) this.reports.clear();
    this.reports.set(key, { checks: all, generation, report });
    return report;
  }

  private async evaluateSections(): Promise<Record<string, JsonValue>> {
    const sections = [...this.sections.sections];
    const values = await Promise.all(
      sections.map(({ source }) =>
        evaluateSection(source, this.options.timing.timeout),
      ),
    );
    return Object.fromEntries(
      sections.map(({ name }, index) => [name, values[index]]),
    );
  }
}

function selectionKey(selection: HealthCheckSelection = {}): string {
  const { tag, check, exclude } = selection;
  if (check === undefined && !exclude?.length) {
    return tag === undefined ? '' : `tag:${tag}`;
  }
  return JSON.stringify([tag, check, exclude ? [...exclude].sort() : []]);
}
