import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { hostname } from 'node:os';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import {
  applicationShuttingDown,
  checkRecovered,
  checkStartedFailing,
} from '../healthcheck.messages.js';
import type {
  HealthCheckFunction,
  HealthCheckOptions,
  HealthCheckResult,
  HealthReport,
} from '../interfaces/check.interface.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { assembleReport } from '../report/health-report.js';
import type { JsonValue } from '../serialization/to-json-safe.js';
import { evaluateSection } from '../sections/evaluate-section.js';
import { SectionRegistry } from '../sections/section.registry.js';
import { executeCheck } from './check.executor.js';
import { CheckRegistry, type RegisteredCheck } from './check.registry.js';

/** Keys of the report that a section cannot take. */
const REPORT_KEYS = ['hostname', 'status', 'timestamp', 'results'];

interface ReportSnapshot<T> {
  checks: readonly RegisteredCheck[];
  generation: number;
  report: T;
}

interface CheckState {
  result?: HealthCheckResult;
  /** Epoch ms after which `result` must be recomputed. */
  expiresAt: number;
  /** The run under way, shared by every caller that needs this check meanwhile. */
  inFlight?: Promise<void>;
}

/** Runs the registered checks concurrently, each with its timeout and its own cached result. */
@Injectable()
export class HealthCheckRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly hostname = hostname();
  private readonly states = new Map<RegisteredCheck, CheckState>();
  private readonly shutdown = new AbortController();
  /** Sections added to the report itself, like the seed library's `HealthCheck.add_section`. */
  private readonly sections = new SectionRegistry(REPORT_KEYS);
  /** Bumped whenever a result or a section changes, so the last report can be reused until then. */
  private generation = 0;
  private lastReport?: ReportSnapshot<HealthReport>;
  private reportInProgress?: ReportSnapshot<Promise<HealthReport>>;

  constructor(
    private readonly registry: CheckRegistry,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  /** Runs every check whose cached result has expired (all at once) and returns the report. */
  async run(): Promise<HealthReport> {
    const checks = this.registry.checks;
    const now = Date.now();
    let pending: Promise<void>[] | undefined;
    for (const check of checks) {
      const state = this.stateOf(check);
      if (state.result === undefined || now >= state.expiresAt) {
        (pending ??= []).push(this.refresh(check, state));
      }
    }
    if (pending) await Promise.all(pending);
    return this.currentReport(checks);
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
   * Adds a top-level key to the report, like the seed library's `add_section`: a value, or a function (sync,
   * Promise or Observable) evaluated whenever the report is rebuilt, i.e. when a check result changes.
   */
  addSection(name: string, section: EnvSectionSource): void {
    this.sections.add(
      name,
      section,
      `HealthCheckRunner.addSection('${String(name)}')`,
    );
    this.generation++;
  }

  onApplicationShutdown(): void {
    this.shutdown.abort(new Error(applicationShuttingDown));
  }

  private stateOf(check: RegisteredCheck): CheckState {
    let state = this.states.get(check);
    if (!state) {
      state = { expiresAt: 0 };
      this.states.set(check, state);
    }
    return state;
  }

  private refresh(check: RegisteredCheck, state: CheckState): Promise<void> {
    state.inFlight ??= executeCheck(check, this.shutdown.signal).then(
      (result) => {
        this.logTransition(check.name, state.result, result);
        state.result = result;
        state.expiresAt = result.expires * 1000;
        state.inFlight = undefined;
        this.generation++;
      },
    );
    return state.inFlight;
  }

  /** The report for the current results: reused while nothing changed, built at most once per change. */
  private currentReport(
    checks: readonly RegisteredCheck[],
  ): HealthReport | Promise<HealthReport> {
    const { generation } = this;
    const isCurrent = (snapshot?: ReportSnapshot<unknown>) =>
      snapshot?.checks === checks && snapshot.generation === generation;
    if (isCurrent(this.lastReport)) return this.lastReport!.report;
    if (isCurrent(this.reportInProgress)) return this.reportInProgress!.report;

    const results: HealthCheckResult[] = [];
    for (const check of checks) {
      const result = this.states.get(check)?.result;
      if (result) results.push(result);
    }
    if (this.sections.size === 0) {
      const report = assembleReport(this.hostname, results, Date.now());
      this.lastReport = { checks, generation, report };
      return report;
    }
    const report = this.evaluateSections().then((sections) => {
      const assembled = assembleReport(
        this.hostname,
        results,
        Date.now(),
        sections,
      );
      if (this.generation === generation)
        this.lastReport = { checks, generation, report: assembled };
      return assembled;
    });
    this.reportInProgress = { checks, generation, report };
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

  private logTransition(
    name: string,
    previous: HealthCheckResult | undefined,
    next: HealthCheckResult,
  ): void {
    const wasPassing = previous?.passed ?? true;
    if (wasPassing && !next.passed) {
      this.logger.warn(checkStartedFailing(name, summarize(next.output)));
    } else if (previous && !previous.passed && next.passed) {
      this.logger.log(checkRecovered(name));
    }
  }
}

function summarize(output: unknown): string {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
