import {
  duplicateSection,
  invalidSectionName,
  reservedSectionName,
} from '../healthcheck.messages.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import { describeValue } from '../serialization/describe-value.js';

/** A named section (of the environment dump or the health report) and where it was declared (for messages). */
export interface RegisteredSection {
  readonly name: string;
  readonly source: EnvSectionSource;
  readonly where: string;
}

/** Named sections in registration order; `reserved` names cannot be taken. */
export class SectionRegistry {
  constructor(private readonly reserved: readonly string[] = []) {}

  private readonly byName = new Map<string, RegisteredSection>();

  get sections(): IterableIterator<RegisteredSection> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }

  /** Adds a section; throws when the name is not a non-empty string or is taken. */
  add(name: string, source: EnvSectionSource, where: string): void {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new Error(invalidSectionName(where, describeValue(name)));
    }
    if (this.reserved.includes(name)) {
      throw new Error(reservedSectionName(name, where, this.reserved));
    }
    const existing = this.byName.get(name);
    if (existing) {
      throw new Error(duplicateSection(name, existing.where, where));
    }
    this.byName.set(name, { name, source, where });
  }
}
