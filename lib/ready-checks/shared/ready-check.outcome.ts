/** What every ready-made check resolves with, from the `checks` namespace or its `.run`: never a rejection. */
export interface ReadyCheckOutcome {
  passed: boolean;
  /** A sentence for a person on call: what was measured, or what was tried and what came back. */
  output: string;
  /** The measurement, in `observedUnit`. */
  observedValue?: number;
  /** `ms`, `bytes`, `percent` or `ratio`. */
  observedUnit?: string;
  /** Present (true) on a pass that is worth attention (a yellow cluster): the report is marked degraded. */
  degraded?: true;
}

/** What every `.run` takes besides its client or options: all optional. */
export interface ReadyCheckRunOptions {
  /** Aborted when the check times out: the run fails at once and leaves the client usable. */
  signal?: AbortSignal;
}

/** The options of a client-less `.run` with the signal of its second argument, when one was given there. */
export function withRunOptions<T extends ReadyCheckRunOptions>(
  options: T,
  extra: ReadyCheckRunOptions | undefined,
): T {
  return extra?.signal ? { ...options, signal: extra.signal } : options;
}
