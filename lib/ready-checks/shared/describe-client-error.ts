import { describeThrown } from '../../checks/describe-thrown.js';

/**
 * What a client library rejected with, as one line for a person on call: the message, else the error code,
 * the messages inside an AggregateError (a connect to every address of a host name), with credentials masked.
 */
export function describeClientError(error: unknown): string {
  const inner = (error as { errors?: unknown } | null)?.errors;
  const code = (error as { code?: unknown } | null)?.code;
  let text: string;
  if (Array.isArray(inner) && inner.length > 0) {
    text = [...new Set(inner.map((each) => describeThrown(each)))].join('; ');
  } else if (
    error instanceof Error &&
    error.message === '' &&
    typeof code === 'string'
  ) {
    text = code;
  } else {
    text = describeThrown(error);
  }
  return maskCredentials(text);
}

/** Masks the password of `scheme://user:password@host` and of `password=…` pairs inside a text. */
export function maskCredentials(text: string): string {
  return text
    .replace(/(\/\/[^:/@\s]*):[^@/\s]*@/g, '$1:***@')
    .replace(/\b(password|pwd|pass)=([^;&\s]+)/gi, '$1=***');
}
