import type { HealthCheckResult } from '../interfaces/check.interface.js';
import { toJsonSafe } from '../serialization/to-json-safe.js';
import { normalizeOutcome } from './check-outcome.normalizer.js';
import type { RegisteredCheck } from './check.registry.js';
import { settle } from './settle.js';

/**
 * Runs one check within its timeout and turns whatever happened into a frozen seed-format result. Never
 * rejects. `shutdown` abandons the check when aborted.
 */
export async function executeCheck(
  check: RegisteredCheck,
  shutdown: AbortSignal,
): Promise<HealthCheckResult> {
  const startedAt = performance.now();
  const settled = await settle((signal) => check.run({ signal }), {
    timeoutMs: check.timing.timeout,
    signal: shutdown,
  });
  const responseTime = (performance.now() - startedAt) / 1000;
  const { passed, output } = settled.ok
    ? normalizeOutcome(settled.value)
    : { passed: false, output: settled.message };
  const computedAt = Date.now();
  const ttl = passed ? check.timing.successTtl : check.timing.failedTtl;
  return Object.freeze({
    checker: check.name,
    output: toJsonSafe(output),
    passed,
    timestamp: computedAt / 1000,
    expires: (computedAt + ttl) / 1000,
    response_time: responseTime,
  });
}
