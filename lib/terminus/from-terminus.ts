import type { HealthCheckOutcome } from '../interfaces/check.interface.js';
import {
  isHealthCheckError,
  readTerminusResult,
  type TerminusIndicatorFunction,
} from './terminus-result.js';

/**
 * Runs a @nestjs/terminus indicator as a health check: return it from a `@HealthCheck()` method,
 * `return fromTerminus(() => this.db.pingCheck('database'))`. It passes unless a key is `down`, with terminus'
 * result as its output, and is degraded (passing, the report marked degraded) when a key is `degraded`; a thrown
 * `HealthCheckError` fails with its causes; any other error is thrown on.
 */
export async function fromTerminus(
  indicator: TerminusIndicatorFunction,
): Promise<HealthCheckOutcome> {
  let result: unknown;
  try {
    result = await (typeof indicator === 'function' ? indicator() : indicator);
  } catch (error) {
    if (isHealthCheckError(error)) {
      return { passed: false, output: error.causes ?? null };
    }
    throw error;
  }
  return readTerminusResult(result);
}
