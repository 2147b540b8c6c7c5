import type { HealthCheckResult } from '../interfaces/check.interface.js';

/** A check's measurement as a metric takes it: a finite number, and its unit when the check gave one. */
export interface ObservedMeasurement {
  value: number;
  unit?: string;
}

/**
 * The measurement of a shown result, whatever its status; undefined when it has none that a metric can carry (no
 * `observedValue`, or one that is not a finite number: text, an object, NaN or an infinity made text when the
 * result was made). Only the number and its short unit leave, never the output.
 */
export function observedMeasurement(
  result: HealthCheckResult,
): ObservedMeasurement | undefined {
  const { observedValue, observedUnit } = result;
  if (typeof observedValue !== 'number' || !Number.isFinite(observedValue)) {
    return undefined;
  }
  return observedUnit === undefined
    ? { value: observedValue }
    : { value: observedValue, unit: observedUnit };
}
