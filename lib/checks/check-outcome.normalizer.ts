import { unexpectedCheckReturn } from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';

export interface CheckOutcome {
  passed: boolean;
  output: unknown;
  observedValue?: unknown;
  observedUnit?: string;
  /** Only ever true, and only on a passing outcome. */
  degraded?: true;
}

/**
 * Reads what a check returned: `[passed, output]`, `{ passed, output, observedValue?, observedUnit?, degraded? }`
 * or a bare boolean. Anything else is a failure whose output says what came back. `degraded` counts only when it
 * is `true` and the check passed: a failure is a failure, and a `degraded` that is not a boolean is ignored as an
 * `observedUnit` that is not a string is (an optional advisory field must not fail a passing check).
 */
export function normalizeOutcome(value: unknown): CheckOutcome {
  if (typeof value === 'boolean') return { passed: value, output: null };
  if (Array.isArray(value)) {
    if (value.length === 2 && typeof value[0] === 'boolean') {
      return { passed: value[0], output: value[1] ?? null };
    }
  } else if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { passed?: unknown }).passed === 'boolean'
  ) {
    const { passed, output, observedValue, observedUnit, degraded } = value as {
      degraded?: unknown;
    } & Omit<CheckOutcome, 'degraded'>;
    return {
      passed,
      output: output ?? null,
      ...(observedValue !== undefined && { observedValue }),
      ...(typeof observedUnit === 'string' && { observedUnit }),
      ...(passed && degraded === true && { degraded: true as const }),
    };
  }
  return { passed: false, output: unexpectedCheckReturn(describeValue(value)) };
}
