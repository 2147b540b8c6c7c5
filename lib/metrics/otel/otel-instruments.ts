import type { HealthCheckResult } from '../../interfaces/check.interface.js';
import type { CheckSnapshot } from '../../interfaces/health-event.interface.js';
import type { OverallState } from '../../status/overall-status.js';
import { observedMeasurement } from '../observed-measurement.js';

/** The instrumentation scope of the meter and logger this module asks the global providers for. */
export const INSTRUMENTATION_SCOPE = {
  name: 'nestjs-healthcheck',
  version: '0.1.0',
} as const;

/** The value of a metric attribute, as OpenTelemetry takes it. */
export type OtelAttributeValue = string | number | boolean | string[];

/** The attributes of one point. */
export type OtelAttributes = Record<string, OtelAttributeValue>;

/** What this module uses of an OpenTelemetry observable instrument (an opaque handle given back to the meter). */
export type OtelObservable = object;

/** What this module uses of an OpenTelemetry `BatchObservableResult`. */
export interface OtelBatchResult {
  observe(
    observable: OtelObservable,
    value: number,
    attributes?: OtelAttributes,
  ): void;
}

type OtelBatchCallback = (result: OtelBatchResult) => void;

/** The options an instrument is created with. */
export interface OtelInstrumentOptions {
  description: string;
  unit: string;
  advice?: { explicitBucketBoundaries: number[] };
}

/** What this module uses of an OpenTelemetry `Meter`. */
export interface OtelMeter {
  createObservableGauge(
    name: string,
    options: OtelInstrumentOptions,
  ): OtelObservable;
  createHistogram(
    name: string,
    options: OtelInstrumentOptions,
  ): { record(value: number, attributes?: OtelAttributes): void };
  createCounter(
    name: string,
    options: OtelInstrumentOptions,
  ): { add(value: number, attributes?: OtelAttributes): void };
  addBatchObservableCallback(
    callback: OtelBatchCallback,
    observables: OtelObservable[],
  ): void;
  removeBatchObservableCallback(
    callback: OtelBatchCallback,
    observables: OtelObservable[],
  ): void;
}

/** Metric names and attribute keys, after the `health_check.*` names the .NET health checks settle on. */
export const OTEL_NAMES = {
  status: 'health_check.status',
  duration: 'health_check.duration',
  overallStatus: 'health_check.overall.status',
  overallDegraded: 'health_check.overall.degraded',
  statusChanges: 'health_check.status_changes',
  observedValue: 'health_check.observed_value',
  name: 'health_check.name',
  critical: 'health_check.critical',
  tags: 'health_check.tags',
  newStatus: 'health_check.status',
  observedUnit: 'health_check.observed_unit',
} as const;

/** Bucket bounds of the duration histogram, in seconds (the SDK's defaults suit milliseconds). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30,
  60,
];

/** The instruments of one meter, shared by every application that reports through it. */
export interface HealthInstruments {
  status: OtelObservable;
  overallStatus: OtelObservable;
  overallDegraded: OtelObservable;
  observedValue: OtelObservable;
  duration: ReturnType<OtelMeter['createHistogram']>;
  statusChanges: ReturnType<OtelMeter['createCounter']>;
}

/** What one application observes at collection time: its checks and its overall status, read from the cache. */
export interface OtelBinding {
  checks(): readonly CheckSnapshot[];
  overall(): OverallState;
}

interface SharedMeter {
  instruments: HealthInstruments;
  bindings: Set<OtelBinding>;
  callback: OtelBatchCallback;
}

/**
 * The instruments made on each meter, with the applications bound to them. Kept under a global symbol, so that
 * every instance reporting through one meter (two apps in one process, a restarted app, another copy of this
 * package) adds its points to the same instruments and one callback, and removes only its own.
 */
const SHARED_METERS = Symbol.for('nestjs-healthcheck.otel-meters');

function sharedMeters(): WeakMap<OtelMeter, SharedMeter> {
  const holder = globalThis as {
    [SHARED_METERS]?: WeakMap<OtelMeter, SharedMeter>;
  };
  return (holder[SHARED_METERS] ??= new WeakMap());
}

/**
 * Binds an application to the meter's instruments (made on the first binding); answers them and the unbinding,
 * which removes the meter's callback with the last binding.
 */
export function bindToMeter(
  meter: OtelMeter,
  binding: OtelBinding,
): { instruments: HealthInstruments; unbind: () => void } {
  const meters = sharedMeters();
  let shared = meters.get(meter);
  if (!shared) {
    const instruments = createInstruments(meter);
    const bindings = new Set<OtelBinding>();
    const callback: OtelBatchCallback = (result) =>
      observeAll(result, instruments, bindings);
    meter.addBatchObservableCallback(callback, observablesOf(instruments));
    shared = { instruments, bindings, callback };
    meters.set(meter, shared);
  }
  shared.bindings.add(binding);
  const bound = shared;
  return {
    instruments: bound.instruments,
    unbind: () => {
      if (!bound.bindings.delete(binding) || bound.bindings.size > 0) return;
      meter.removeBatchObservableCallback(
        bound.callback,
        observablesOf(bound.instruments),
      );
      if (meters.get(meter) === bound) meters.delete(meter);
    },
  };
}

/** The attributes of a check's points: its name, criticality and groups (tags, sorted). */
export function checkAttributes(check: {
  name: string;
  critical: boolean;
  tags: readonly string[];
}): OtelAttributes {
  return {
    [OTEL_NAMES.name]: check.name,
    [OTEL_NAMES.critical]: check.critical,
    [OTEL_NAMES.tags]: [...check.tags].sort(),
  };
}

/** 1 for passing, 0 for failing; what a status gauge reports. */
const asGaugeValue = (up: boolean): number => (up ? 1 : 0);

function createInstruments(meter: OtelMeter): HealthInstruments {
  return {
    status: meter.createObservableGauge(OTEL_NAMES.status, {
      description:
        'Whether the health check shows passing (1) or failing (0), as the health report shows it.',
      unit: '1',
    }),
    overallStatus: meter.createObservableGauge(OTEL_NAMES.overallStatus, {
      description:
        'Overall health: 1 when no critical check is failing (degraded included), 0 when failing or shutting down.',
      unit: '1',
    }),
    overallDegraded: meter.createObservableGauge(OTEL_NAMES.overallDegraded, {
      description:
        'Overall health is up but a non-critical check is failing or a passing check says it is degraded: 1, else 0.',
      unit: '1',
    }),
    observedValue: meter.createObservableGauge(OTEL_NAMES.observedValue, {
      description:
        'The measurement (observedValue) of the shown result of the health check, in the unit of its health_check.observed_unit attribute.',
      // Each check gives its own unit, so the instrument has none: the attribute carries it.
      unit: '',
    }),
    duration: meter.createHistogram(OTEL_NAMES.duration, {
      description: 'Seconds each completed run of the health check took.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    statusChanges: meter.createCounter(OTEL_NAMES.statusChanges, {
      description:
        'Times the health check flipped between passing and failing (a first result that fails counts).',
      unit: '{change}',
    }),
  };
}

const observablesOf = (instruments: HealthInstruments): OtelObservable[] => [
  instruments.status,
  instruments.overallStatus,
  instruments.overallDegraded,
  instruments.observedValue,
];

/**
 * The points of every bound application, read from its cache when the meter collects. Points with the same
 * attributes (the overall status, or checks of the same name in two apps) are the last bound application's.
 */
function observeAll(
  result: OtelBatchResult,
  instruments: HealthInstruments,
  bindings: ReadonlySet<OtelBinding>,
): void {
  for (const binding of bindings) {
    for (const check of binding.checks()) {
      // A check that has not run has no point; a background check waiting for its first run shows its
      // failing "pending" stand-in, as the report does.
      if (!check.result) continue;
      result.observe(
        instruments.status,
        asGaugeValue(check.result.passed),
        checkAttributes(check),
      );
      observeMeasurement(result, instruments, check.name, check.result);
    }
    const overall = binding.overall();
    result.observe(
      instruments.overallStatus,
      asGaugeValue(overall.status === 'success'),
    );
    result.observe(instruments.overallDegraded, asGaugeValue(overall.degraded));
  }
}

/** The point of a check whose shown result carries a finite number as its measurement, whatever its status. */
function observeMeasurement(
  result: OtelBatchResult,
  instruments: HealthInstruments,
  name: string,
  shown: HealthCheckResult,
): void {
  const measurement = observedMeasurement(shown);
  if (!measurement) return;
  const attributes: OtelAttributes = { [OTEL_NAMES.name]: name };
  if (measurement.unit !== undefined) {
    attributes[OTEL_NAMES.observedUnit] = measurement.unit;
  }
  result.observe(instruments.observedValue, measurement.value, attributes);
}
