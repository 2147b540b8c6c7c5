import type { HealthCheckFunction } from '../../lib/interfaces/check.interface.js';
import { runWithTimeout } from './broker-servers.js';

/** A server the tests can freeze with SIGSTOP and let run again with SIGCONT. */
export interface FreezableServer {
  pause(): Promise<void>;
  resume(): void;
}

/**
 * Runs the check `runs` times one after the other, each bounded by `timeoutMs`, expects every run to pass, and
 * logs `<label>: 1,000 runs in N ms` (with `perRun`, also the ms a run). Answers the elapsed ms.
 */
export async function runManyTimes(
  check: HealthCheckFunction,
  options: {
    runs?: number;
    timeoutMs: number;
    label: string;
    perRun?: boolean;
  },
): Promise<number> {
  const { runs = 1_000, timeoutMs, label, perRun = false } = options;
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) {
    const outcome = await runWithTimeout(check, timeoutMs);
    expect(outcome).toMatchObject({ passed: true });
  }
  const elapsed = performance.now() - started;
  const each = perRun ? ` (${(elapsed / runs).toFixed(2)} ms a run)` : '';
  process.stdout.write(
    `${label}: ${runs.toLocaleString('en-US')} runs in ${elapsed.toFixed(0)} ms${each}\n`,
  );
  return elapsed;
}

/** Runs the check `runs` times and expects each to fail at the `timeoutMs` time-out, not at the end of a hang. */
export async function expectTimeouts(
  check: HealthCheckFunction,
  { runs = 2, timeoutMs = 300 }: { runs?: number; timeoutMs?: number } = {},
): Promise<void> {
  for (let i = 0; i < runs; i += 1) {
    const outcome = await runWithTimeout(check, timeoutMs);
    expect(outcome).toMatchObject({
      passed: false,
      output: `timed out after ${timeoutMs} ms`,
    });
    // Failed at the time-out, not at the end of a hang: a bound with room for a busy machine.
    expect(outcome.elapsedMs).toBeLessThan(15_000);
  }
}

/** Freezes the server (SIGSTOP) for the length of `whileFrozen`, and lets it run again (SIGCONT) whatever happens. */
export async function whileFrozen(
  server: FreezableServer,
  whileFrozen: () => Promise<void>,
): Promise<void> {
  await server.pause();
  try {
    await whileFrozen();
  } finally {
    server.resume();
  }
}

/** Freezes the server, expects `runs` runs of the check to fail at the time-out, and lets the server run again. */
export const expectTimeoutsWhileFrozen = (
  check: HealthCheckFunction,
  server: FreezableServer,
  options?: { runs?: number; timeoutMs?: number },
): Promise<void> => whileFrozen(server, () => expectTimeouts(check, options));
