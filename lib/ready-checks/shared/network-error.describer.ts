import { describeClientError } from './describe-client-error.js';

/**
 * Why a network call failed, as one line: the signal's reason when it aborted (e.g. `timed out after 100 ms`),
 * else the innermost `cause` of a wrapper error (fetch's `fetch failed` hides `connect ECONNREFUSED …`).
 */
export function describeNetworkError(
  error: unknown,
  signal?: AbortSignal,
): string {
  if (signal?.aborted) return describeClientError(signal.reason);
  let inner = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (inner as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    inner = cause;
  }
  return describeClientError(inner);
}
