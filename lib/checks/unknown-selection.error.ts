import { unknownSelection } from '../healthcheck.messages.js';

/** Thrown when a report is asked for a check or tag that does not exist. */
export class UnknownSelectionError extends Error {
  constructor(
    readonly kind: 'check' | 'tag',
    readonly value: string,
  ) {
    super(unknownSelection(kind, value));
    this.name = 'UnknownSelectionError';
  }
}
