import { thrownNonError } from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';

/** The message of whatever user code threw or rejected with: an Error's message, a string as it is, else a description. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string' && error !== '') return error;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && message !== '') return message;
  return thrownNonError(describeValue(error));
}
