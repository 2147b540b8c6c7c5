import type { HealthHistoryEntry } from '../../lib/history/history-entry.js';
import type {
  HealthCheckResult,
  HealthReport,
} from '../../lib/interfaces/check.interface.js';
import {
  presentHistoryEntry,
  presentReport,
  presentResult,
} from '../../lib/report/presentation.js';

const SECRET = 'password=hunter2';

const measured: HealthCheckResult = Object.freeze({
  checker: 'db',
  output: `connected with ${SECRET}`,
  passed: true,
  timestamp: 1_000,
  expires: 1_010,
  response_time: 0.004,
  observedValue: 42,
  observedUnit: 'ms',
  runbook: 'https://runbooks.example.com/db',
});

const heldFailing: HealthCheckResult = Object.freeze({
  checker: 'cache',
  output: 'PONG',
  passed: true,
  timestamp: 1_000,
  expires: 1_010,
  response_time: 0.001,
  critical: false,
  held: {
    consecutive_failures: 2,
    failure_threshold: 3,
    latest_output: `AUTH failed for ${SECRET}`,
  },
});

const heldPassing: HealthCheckResult = Object.freeze({
  checker: 'queue',
  output: 'down',
  passed: false,
  timestamp: 1_000,
  expires: 1_010,
  response_time: 0.001,
  held: {
    consecutive_successes: 1,
    success_threshold: 2,
    latest_output: { url: `amqp://guest:${SECRET}@mq` },
  },
});

describe('presentResult', () => {
  it('hidden: drops output, observedValue and observedUnit, keeps name, outcome and runbook', () => {
    const shown = presentResult(measured, false);
    expect(shown).toMatchObject({
      checker: 'db',
      passed: true,
      runbook: 'https://runbooks.example.com/db',
    });
    expect(shown).not.toHaveProperty('output');
    expect(shown).not.toHaveProperty('observedValue');
    expect(shown).not.toHaveProperty('observedUnit');
    expect(JSON.stringify(shown)).not.toContain('hunter2');
  });

  it('hidden: keeps degraded, a status and not a detail, beside passed', () => {
    const degraded: HealthCheckResult = Object.freeze({
      ...measured,
      degraded: true,
    });
    const shown = presentResult(degraded, false);
    expect(shown).toEqual({
      checker: 'db',
      passed: true,
      degraded: true,
      runbook: 'https://runbooks.example.com/db',
    });
    expect(presentResult(degraded, true)).toBe(degraded);
    expect(presentResult(measured, false)).not.toHaveProperty('degraded');
  });

  it('hidden: keeps a non-critical mark', () => {
    expect(presentResult(heldFailing, false)).toMatchObject({
      checker: 'cache',
      critical: false,
    });
  });

  it.each([
    ['failure', heldFailing],
    ['success', heldPassing],
  ] as const)(
    'hidden: a held %s keeps its name and shown outcome only, without held or its output',
    (_kind, result) => {
      const shown = presentResult(result, false);
      expect(shown).not.toHaveProperty('held');
      expect(Object.keys(shown).sort()).toEqual(
        Object.keys(result)
          .filter((key) =>
            ['checker', 'critical', 'passed', 'runbook'].includes(key),
          )
          .sort(),
      );
      expect(shown.passed).toBe(result.passed);
      expect(JSON.stringify(shown)).not.toContain('hunter2');
    },
  );

  it('hidden: leaves the given result untouched', () => {
    presentResult(heldFailing, false);
    presentResult(measured, false);
    expect(heldFailing.held).toHaveProperty('latest_output');
    expect(measured.output).toBe(`connected with ${SECRET}`);
  });

  it('details: returns the very same result', () => {
    for (const result of [measured, heldFailing, heldPassing]) {
      expect(presentResult(result, true)).toBe(result);
    }
  });
});

describe('presentReport', () => {
  const report: HealthReport = {
    hostname: 'web-1',
    status: 'success',
    degraded: true,
    timestamp: 1_000,
    results: [measured, heldFailing],
    environment: { database: `postgres://app:${SECRET}@db` },
  } as HealthReport;

  it('hidden: drops sections and every output, keeps status, degraded, times and results', () => {
    const shown = presentReport(report, false);
    expect(Object.keys(shown).sort()).toEqual(
      ['degraded', 'hostname', 'results', 'status', 'timestamp'].sort(),
    );
    expect(shown).toMatchObject({
      hostname: 'web-1',
      status: 'success',
      degraded: true,
      timestamp: 1_000,
    });
    expect(shown.results).toEqual([
      presentResult(measured, false),
      presentResult(heldFailing, false),
    ]);
    expect(JSON.stringify(shown)).not.toContain('hunter2');
  });

  it('hidden: a report that is not degraded says nothing of it', () => {
    const shown = presentReport(
      { ...report, status: 'failure', degraded: undefined } as HealthReport,
      false,
    );
    expect(shown).not.toHaveProperty('degraded');
    expect(shown.status).toBe('failure');
  });

  it('details: returns the very same report', () => {
    expect(presentReport(report, true)).toBe(report);
  });
});

describe('presentHistoryEntry', () => {
  const change: HealthHistoryEntry = {
    type: 'check',
    name: 'db',
    previous: 'success',
    current: 'failure',
    output: `refused for ${SECRET}`,
    time: 1_000,
  };
  const overall: HealthHistoryEntry = {
    type: 'overall',
    previous: 'success',
    current: 'failure',
    time: 1_000,
  };

  it('hidden: drops the output and keeps the rest', () => {
    const shown = presentHistoryEntry(change, false);
    expect(shown).not.toHaveProperty('output');
    expect(shown).toMatchObject({
      type: 'check',
      name: 'db',
      previous: 'success',
      current: 'failure',
    });
    expect(change).toHaveProperty('output');
  });

  it('returns an entry without output, and any entry with details, as it is', () => {
    expect(presentHistoryEntry(overall, false)).toBe(overall);
    expect(presentHistoryEntry(change, true)).toBe(change);
  });
});
