import type { CheckSnapshot } from '../interfaces/health-event.interface.js';
import type { OverallState } from '../status/overall-status.js';
import { observedMeasurement } from './observed-measurement.js';
import type { MetricLabels } from './prom-client.loader.js';

/** What the metrics are computed from at scrape time: the cached checks and the flips counted so far. */
export interface MetricsState {
  checks: readonly CheckSnapshot[];
  /** The overall status, as the status model decides it (shutdown included). */
  overall: OverallState;
  /** Status flips per check since start. */
  changes: ReadonlyMap<string, number>;
  /** A drain is under way (HealthCheckRunner.drain). */
  drained: boolean;
}

/** One sample of a metric. */
export interface MetricSample {
  labels: MetricLabels;
  value: number;
}

/** One metric this module exports, with the name after the prefix and how its samples are read. */
export interface MetricDefinition {
  suffix: string;
  type: 'gauge' | 'counter';
  help: string;
  labelNames: readonly string[];
  samples(state: MetricsState): MetricSample[];
}

const CHECK_LABEL = ['check'] as const;

/** Every metric, in the order they are registered. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    suffix: 'up',
    type: 'gauge',
    help: 'Whether the latest result of the health check passed (1) or failed (0).',
    labelNames: CHECK_LABEL,
    samples: perResult((check) => (check.result.passed ? 1 : 0)),
  },
  {
    suffix: 'response_time_seconds',
    type: 'gauge',
    help: 'Seconds the latest run of the health check took.',
    labelNames: CHECK_LABEL,
    samples: perResult((check) => check.result.response_time),
  },
  {
    suffix: 'last_run_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time at which the latest result of the health check was computed.',
    labelNames: CHECK_LABEL,
    samples: perResult((check) => check.result.timestamp),
  },
  {
    suffix: 'critical',
    type: 'gauge',
    help: 'Whether a failure of the health check fails the overall status (1) or only degrades it (0).',
    labelNames: CHECK_LABEL,
    samples: ({ checks }) =>
      checks.map((check) => ({
        labels: { check: check.name },
        value: check.critical ? 1 : 0,
      })),
  },
  {
    suffix: 'status_changes_total',
    type: 'counter',
    help: 'Times the health check flipped between passing and failing since the process started.',
    labelNames: CHECK_LABEL,
    samples: ({ checks, changes }) =>
      checks.map((check) => ({
        labels: { check: check.name },
        value: changes.get(check.name) ?? 0,
      })),
  },
  {
    suffix: 'observed_value',
    type: 'gauge',
    help: 'The measurement (observedValue) of the shown result of the health check, in the unit of the unit label.',
    labelNames: ['check', 'unit'],
    samples: observedValues,
  },
  {
    suffix: 'status',
    type: 'gauge',
    help: 'Overall health: 1 when no critical check is failing, else 0.',
    labelNames: [],
    samples: (state) => [
      {
        labels: {},
        value: state.overall.status === 'success' ? 1 : 0,
      },
    ],
  },
  {
    suffix: 'degraded',
    type: 'gauge',
    help: 'Overall health is up but a non-critical check is failing or a passing check says it is degraded: 1, else 0.',
    labelNames: [],
    samples: (state) => [{ labels: {}, value: state.overall.degraded ? 1 : 0 }],
  },
  {
    suffix: 'drained',
    type: 'gauge',
    help: 'Taken out of rotation with HealthCheckRunner.drain() (readiness fails, checks still run): 1, else 0.',
    labelNames: [],
    samples: (state) => [{ labels: {}, value: state.drained ? 1 : 0 }],
  },
];

type CheckWithResult = CheckSnapshot & Required<Pick<CheckSnapshot, 'result'>>;

/** Samples of the checks that have a result; a check that has not run yet has none. */
function perResult(
  value: (check: CheckWithResult) => number,
): MetricDefinition['samples'] {
  return ({ checks }) => {
    const samples: MetricSample[] = [];
    for (const check of checks) {
      if (check.result) {
        samples.push({
          labels: { check: check.name },
          value: value(check as CheckWithResult),
        });
      }
    }
    return samples;
  };
}

/**
 * One sample per check whose shown result carries a finite number as its measurement, whatever its status; the
 * `unit` label only when the check gave a unit.
 */
function observedValues({ checks }: MetricsState): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const check of checks) {
    const measurement = check.result && observedMeasurement(check.result);
    if (!measurement) continue;
    samples.push({
      labels:
        measurement.unit === undefined
          ? { check: check.name }
          : { check: check.name, unit: measurement.unit },
      value: measurement.value,
    });
  }
  return samples;
}
