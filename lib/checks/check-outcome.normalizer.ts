import { unexpectedCheckReturn } from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';

export interface CheckOutcome {
  passed: boolean;
  output: unknown;
  observedValue?: unknown;
  observedUnit?: string;
}

/**
 * Reads what a check returned: `[passed, output]`, `{ passed, output, observedValue?, observedUnit? }` or a
 * bare boolean. Anything else is a failure whose output says what came back.
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
    const { passed, output, observedValue, observedUnit } =
      value as CheckOutcome;
    return {
      passed,
      output: output ?? null,
      ...(observedValue !== undefined && { observedValue }),
      ...(typeof observedUnit === 'string' && { observedUnit }),
    };
  }
  return { passed: false, output: unexpectedCheckReturn(describeValue(value)) };
}
