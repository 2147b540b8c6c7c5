import type { HealthReport } from '../interfaces/check.interface.js';
import type { RegisteredCheck } from './check.registry.js';

/** Reports kept for reuse; past this many distinct selections the cache starts over. */
const MAX_CACHED_REPORTS = 64;

interface ReportSnapshot {
  checks: readonly RegisteredCheck[];
  generation: number;
  validUntil: number;
  report: HealthReport | Promise<HealthReport>;
}

/** The last report of each selection, reused until a result changes (`invalidate`) or it reaches `validUntil`. */
export class ReportCache {
  private generation = 0;
  private readonly reports = new Map<string, ReportSnapshot>();

  /** A result or a section changed: every cached report is out of date. */
  invalidate(): void {
    this.generation++;
  }

  /** The cached report of `key` if it was built for this list of checks, since the last change, and is valid. */
  get(
    key: string,
    checks: readonly RegisteredCheck[],
    now: number,
  ): HealthReport | Promise<HealthReport> | undefined {
    const cached = this.reports.get(key);
    if (
      cached?.checks === checks &&
      cached.generation === this.generation &&
      now < cached.validUntil
    ) {
      return cached.report;
    }
    return undefined;
  }

  set(
    key: string,
    checks: readonly RegisteredCheck[],
    report: HealthReport | Promise<HealthReport>,
    validUntil = Infinity,
  ): void {
    if (this.reports.size >= MAX_CACHED_REPORTS) this.reports.clear();
    this.reports.set(key, {
      checks,
      generation: this.generation,
      validUntil,
      report,
    });
  }
}
