import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import { evaluateSection } from '../sections/evaluate-section.js';
import { SectionRegistry } from '../sections/section.registry.js';
import type { JsonValue } from '../serialization/to-json-safe.js';

/** Keys of the report that a section cannot take. */
const REPORT_KEYS = ['hostname', 'status', 'degraded', 'timestamp', 'results'];

export interface ReportSectionsOptions {
  /** Milliseconds a function section may take. */
  timeoutMs: number;
  /** Milliseconds a function section's value is reused before it is evaluated again. */
  maxAgeMs: number;
  /** Masks secrets in every section's value. */
  scrub: (value: JsonValue) => JsonValue;
}

/**
 * The extra top-level keys of the full report (the Python library's `add_section`), scrubbed like the
 * environment dump. A function section is evaluated when the report is rebuilt, at most once per `maxAgeMs`.
 */
export class ReportSections {
  private readonly registry = new SectionRegistry(REPORT_KEYS);
  private evaluated?: {
    at: number;
    values: Promise<Record<string, JsonValue>>;
  };
  private hasFunctions = false;

  constructor(private readonly options: ReportSectionsOptions) {}

  get size(): number {
    return this.registry.size;
  }

  add(name: string, source: EnvSectionSource, where: string): void {
    this.registry.add(name, source, where);
    this.hasFunctions ||= typeof source === 'function';
    this.evaluated = undefined;
  }

  /** Until when (epoch ms) the values last evaluated stay current. */
  validUntil(): number {
    if (!this.evaluated || !this.hasFunctions) {
      return this.evaluated ? Infinity : -Infinity;
    }
    return this.evaluated.at + this.options.maxAgeMs;
  }

  /** The scrubbed values, evaluated again once older than `maxAgeMs`. */
  values(now: number): Promise<Record<string, JsonValue>> {
    if (!this.evaluated || now >= this.validUntil()) {
      this.evaluated = { at: now, values: this.evaluate() };
    }
    return this.evaluated.values;
  }

  private async evaluate(): Promise<Record<string, JsonValue>> {
    const sections = [...this.registry.sections];
    const values = await Promise.all(
      sections.map(({ source }) =>
        evaluateSection(source, this.options.timeoutMs),
      ),
    );
    return Object.fromEntries(
      sections.map(({ name }, index) => [
        name,
        this.options.scrub(values[index]),
      ]),
    );
  }
}
