import { thrownNonError } from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';

/**
 * The message of whatever user code threw or rejected with: an Error's message, a string as it is, else a
 * description. Never throws, even for a value whose getters or proxy traps do.
 */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message || error.name);
    if (typeof error === 'string' && error !== '') return error;
    const message = (error as { message?: unknown } | null)?.message;
    if (typeof message === 'string' && message !== '') return message;
    return thrownNonError(describeValue(error));
  } catch {
    return thrownNonError(`a value that cannot be read (${typeof error})`);
  }
}
