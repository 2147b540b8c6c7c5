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

/**
 * Masks the password of `scheme://user:password@host`, of a `user:password@host` without a scheme (gRPC
 * writes its target as `dns:user:password@host:port`) and of `password=…` pairs inside a text.
 */
export function maskCredentials(text: string): string {
  return text
    .replace(/(\/\/[^:/@\s]*):[^@/\s]*@/g, '$1:***@')
    .replace(
      /(^|[\s:'"(=])([^\s:/@'"*]{1,256}):(?!\*\*\*@)[^@/\s'"]{1,256}@(?=[\w[])/g,
      '$1$2:***@',
    )
    .replace(/\b(password|pwd|pass)=([^;&\s]+)/gi, '$1=***');
}
