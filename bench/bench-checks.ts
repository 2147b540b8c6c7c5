import { setTimeout as sleep } from 'node:timers/promises';

/** How many checks every health scenario has, and how long each takes when "slow". */
export const CHECK_COUNT = 5;
export const SLOW_CHECK_MS = 20;

export const CHECK_NAMES = Array.from(
  { length: CHECK_COUNT },
  (_, index) => `dependency_${index + 1}`,
);

/** Runs of each check, by name, so the cold-cache scenario can report them. */
export const invocations: Record<string, number> = Object.fromEntries(
  CHECK_NAMES.map((name) => [name, 0]),
);

/** The work one check does: nothing, or a timer standing in for a 20 ms network call. */
export async function probeDependency(
  name: string,
  slow: boolean,
): Promise<void> {
  invocations[name]++;
  if (slow) await sleep(SLOW_CHECK_MS);
}
