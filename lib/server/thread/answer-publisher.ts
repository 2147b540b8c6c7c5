import { randomUUID } from 'node:crypto';
import { failedResult } from '../../checks/check.executor.js';
import { CheckRegistry } from '../../checks/check.registry.js';
import { HealthMonitor } from '../../checks/health.monitor.js';
import { PROBE_TAGS } from '../../healthcheck.constants.js';
import { mainThreadBlocked } from '../../healthcheck.messages.js';
import { HealthHistory } from '../../history/health-history.service.js';
import { historyResponse } from '../../history/history.response.js';
import type {
  HealthCheckSelection,
  HealthReport,
} from '../../interfaces/check.interface.js';
import type { ResolvedHealthcheckOptions } from '../../interfaces/resolved-options.interface.js';
import { HealthResponseFactory } from '../../report/health-response.factory.js';
import type { HttpResponse } from '../../report/http-response.js';
import { dashboardResponse } from '../../ui/dashboard.response.js';
import { blockLimit, type TableEntry } from './health-server.worker.js';
import { publishAnswer } from './published-answer.js';

/** The name of the failing result a report gets while the main thread is blocked. */
export const BLOCKED_CHECKER = 'main-thread';

/** The status of every probe and report while the main thread is blocked: unavailable for now. */
const BLOCKED_STATUS = 503;

/** What a table entry was made from, to publish it again only when that changed. */
interface Source {
  response: HttpResponse;
  report?: HealthReport;
}

export interface AnswerPublisherDeps {
  monitor: HealthMonitor;
  registry: CheckRegistry;
  responses: HealthResponseFactory;
  history: HealthHistory;
  options: ResolvedHealthcheckOptions;
  limits: { notReadyAfter: number; notLiveAfter: number };
  /** Sends changed entries (null: the main thread answers that route itself) to the worker. */
  post: (entries: Array<[string, TableEntry | null]>) => void;
}

/**
 * Prepares, for the threaded health server's worker, the answer of every route it may give on its own (the
 * report, the probes, each group, the history and the page), each with its variant for a blocked main thread,
 * and hands over those that changed. It reads the cached results only: a check that hangs never holds a
 * publication (the shutdown, for one, is handed over at once).
 */
export class AnswerPublisher {
  /** Stands for the blocked time in a prepared answer; random, so that no output can contain it. */
  private readonly blockedMarker = `blocked-${randomUUID()}`;
  private readonly published = new Map<string, Source>();
  private scheduled = false;
  private running?: Promise<void>;
  private rerun = false;
  private stopped = false;

  constructor(private readonly deps: AnswerPublisherDeps) {}

  /** Publishes soon, once for any number of calls in the same turn of the event loop. */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.publish();
    });
  }

  /** Forgets what the worker has (a new worker) and publishes everything. */
  republishAll(): Promise<void> {
    this.published.clear();
    return this.publish();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Publishes what changed; a call during a publication runs once more after it. */
  publish(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.collect()
      .then((entries) => {
        if (entries.length > 0 && !this.stopped) this.deps.post(entries);
      })
      .finally(() => {
        this.running = undefined;
        if (this.rerun && !this.stopped) {
          this.rerun = false;
          void this.publish();
        }
      });
    return this.running;
  }

  private async collect(): Promise<Array<[string, TableEntry | null]>> {
    const { options, registry } = this.deps;
    const showDetails =
      typeof options.showDetails === 'boolean' ? options.showDetails : false;
    const reports: Array<[string, HealthCheckSelection | undefined, number]> = [
      ['report', undefined, blockLimit({ kind: 'report' }, this.deps.limits)!],
    ];
    // The probes and their groups answer (empty, passing) without a check of theirs: published all the same, or
    // a liveness probe of an app with no liveness check would be handed to a busy main thread and fail.
    const tags = new Set([
      ...PROBE_TAGS,
      ...registry.checks.flatMap((check) => check.tags),
    ]);
    for (const probe of PROBE_TAGS) {
      reports.push([`probe:${probe}`, { tag: probe }, this.limitOf(probe)]);
    }
    for (const tag of tags) {
      reports.push([`group:${tag}`, { tag }, this.limitOf(tag)]);
    }
    const changes: Array<[string, TableEntry | null]> = [];
    // An on-demand check that has never run has no result to show yet: a report of it would pass without it.
    // Such reports are not published; the worker hands them to the main thread, which runs the check first.
    const unshown = new Set(
      this.deps.monitor
        .snapshot()
        .filter((shown) => shown.result === undefined)
        .map((shown) => shown.name),
    );
    const neverRun = registry.checks.filter(
      (check) => !check.background && unshown.has(check.name),
    );
    const settled = await Promise.all(
      reports.map(async ([key, selection, limit]) => {
        if (
          neverRun.some(
            (check) =>
              selection === undefined || check.tags.includes(selection.tag!),
          )
        ) {
          return [key, undefined, limit] as const;
        }
        try {
          return [key, await this.deps.monitor.peek(selection), limit] as const;
        } catch {
          return [key, undefined, limit] as const;
        }
      }),
    );
    for (const [key, report, limit] of settled) {
      if (!report) {
        this.forget(key, changes);
        continue;
      }
      if (this.published.get(key)?.report === report) continue;
      const response = this.deps.responses.createFor(report, showDetails);
      this.published.set(key, { response, report });
      changes.push([
        key,
        {
          answer: publishAnswer(response),
          blocked: {
            ...publishAnswer(
              this.deps.responses.createFor(
                this.blockedReport(report, limit),
                showDetails,
              ),
              this.blockedMarker,
            ),
            status: BLOCKED_STATUS,
          },
        },
      ]);
    }
    for (const key of this.published.keys()) {
      if (!settled.some(([known]) => known === key) && key.includes(':')) {
        this.forget(key, changes);
      }
    }
    if (options.history) {
      this.offer(
        'history',
        historyResponse(this.deps.history, showDetails),
        changes,
      );
    }
    if (options.ui) this.offer('ui', dashboardResponse(), changes);
    return changes;
  }

  private offer(
    key: string,
    response: HttpResponse,
    changes: Array<[string, TableEntry | null]>,
  ): void {
    const previous = this.published.get(key)?.response;
    if (previous && sameResponse(previous, response)) return;
    this.published.set(key, { response });
    changes.push([key, { answer: publishAnswer(response) }]);
  }

  private forget(
    key: string,
    changes: Array<[string, TableEntry | null]>,
  ): void {
    if (this.published.delete(key)) changes.push([key, null]);
  }

  /** The limit the worker applies to a group's reports (`blockLimit` decides it there too). */
  private limitOf(group: string): number {
    return blockLimit({ kind: 'group', tag: group }, this.deps.limits)!;
  }

  /** The report as it reads while the main thread is blocked: failing, with the block as one more result. */
  private blockedReport(report: HealthReport, limitMs: number): HealthReport {
    const blocked = failedResult(
      { name: BLOCKED_CHECKER, critical: true },
      mainThreadBlocked(this.blockedMarker, limitMs),
      Date.now(),
    );
    const blockedReport: HealthReport = {
      ...report,
      status: 'failure',
      results: [...report.results, blocked],
    };
    delete blockedReport.degraded;
    return blockedReport;
  }
}

/** Whether two responses send the same bytes (the history is rebuilt on each read). */
function sameResponse(a: HttpResponse, b: HttpResponse): boolean {
  return a === b || (a.status === b.status && a.body === b.body);
}
