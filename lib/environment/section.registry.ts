import { Injectable } from '@nestjs/common';
import {
  duplicateSection,
  invalidSectionName,
} from '../healthcheck.messages.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import { describeValue } from '../serialization/describe-value.js';

/** A section of the environment dump and where it was declared (for messages). */
export interface RegisteredSection {
  readonly name: string;
  readonly source: EnvSectionSource;
  readonly where: string;
}

/** The dump's sections, in registration order. */
@Injectable()
export class SectionRegistry {
  private readonly byName = new Map<string, RegisteredSection>();

  get sections(): IterableIterator<RegisteredSection> {
    return this.byName.values();
  }

  /** Adds a section; throws when the name is not a non-empty string or is taken. */
  add(name: string, source: EnvSectionSource, where: string): void {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new Error(invalidSectionName(where, describeValue(name)));
    }
    const existing = this.byName.get(name);
    if (existing) {
      throw new Error(duplicateSection(name, existing.where, where));
    }
    this.byName.set(name, { name, source, where });
  }
}
