/** An object that may emit 'error' (a pooled connection, a channel), as far as the guard uses it. */
export interface ErrorEmitterLike {
  on?(event: 'error', listener: (error: unknown) => void): unknown;
  removeListener?(event: 'error', listener: (error: unknown) => void): unknown;
}

/** The error listener a check keeps on a connection or channel while it holds it. */
export interface CheckedOutGuard {
  /** The first error the connection emitted while held, if any: it is not to be trusted with the next query. */
  readonly error: Error | undefined;
  /** Removes the listener; call it right after the connection went back (its owner listens again). */
  dispose(): void;
}

/**
 * Listens for 'error' on a connection or channel the check has taken out of a pool: a pool stops listening to
 * a connection while it is out, so a server that goes away meanwhile would otherwise raise an 'error' event
 * nobody handles, and take the application down. The error is kept, for the release to destroy the connection.
 */
export function guardCheckedOut(resource: unknown): CheckedOutGuard {
  const emitter = resource as ErrorEmitterLike | null;
  let first: Error | undefined;
  const listener = (error: unknown): void => {
    first ??= error instanceof Error ? error : new Error(String(error));
  };
  const listening = typeof emitter?.on === 'function';
  if (listening) emitter.on?.('error', listener);
  return {
    get error() {
      return first;
    },
    dispose() {
      if (listening) emitter?.removeListener?.('error', listener);
    },
  };
}
