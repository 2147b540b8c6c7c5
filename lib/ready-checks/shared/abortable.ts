/**
 * Settles with `work`, or rejects with the signal's reason as soon as `signal` aborts, for clients that take no
 * AbortSignal of their own. `onAbort` runs once on abort (e.g. to destroy a socket); a late result of `work`
 * is ignored, and its late rejection is swallowed. Without a signal, `work` itself.
 */
export function abortable<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort?: () => void,
): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    onAbort?.();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      work.catch(() => undefined);
      try {
        onAbort?.();
      } finally {
        reject(signal.reason);
      }
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
