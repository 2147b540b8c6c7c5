import type { HealthReport } from '../../lib/index.js';
import { toIetfReport } from '../../lib/report/ietf-report.js';
import {
  formatReportBody,
  withoutDetails,
} from '../../lib/report/report-body.js';

const at = Date.parse('2026-01-01T00:00:00Z') / 1000;

function report(overrides: Partial<HealthReport> = {}): HealthReport {
  return {
    hostname: 'api-1',
    status: 'success',
    timestamp: at,
    results: [
      {
        checker: 'database',
        output: 'db ok',
        passed: true,
        timestamp: at,
        expires: at + 27,
        response_time: 0.002,
        observedValue: 12,
        observedUnit: 'ms',
      },
    ],
    ...overrides,
  };
}

describe('toIetfReport (draft-inadarei-api-health-check)', () => {
  it('maps a passing report: status pass, checks keyed by name, no output on pass', () => {
    expect(toIetfReport(report(), true)).toEqual({
      status: 'pass',
      description: 'health of api-1',
      checks: {
        database: [
          {
            componentId: 'database',
            status: 'pass',
            time: '2026-01-01T00:00:00.000Z',
            observedValue: 12,
            observedUnit: 'ms',
          },
        ],
      },
    });
  });

  it('maps a failed critical check to fail with its output as a string', () => {
    const failing = report({
      status: 'failure',
      results: [
        {
          checker: 'queue',
          output: { depth: 5000 },
          passed: false,
          timestamp: at,
          expires: at + 9,
          response_time: 0.1,
        },
      ],
    });
    const ietf = toIetfReport(failing, true);
    expect(ietf.status).toBe('fail');
    expect(ietf.checks.queue[0]).toEqual({
      componentId: 'queue',
      status: 'fail',
      time: '2026-01-01T00:00:00.000Z',
      output: '{"depth":5000}',
    });
  });

  it('maps a failed non-critical check to warn, and a degraded report to warn', () => {
    const degraded = report({
      degraded: true,
      results: [
        {
          checker: 'recommendations',
          output: 'slow',
          passed: false,
          critical: false,
          timestamp: at,
          expires: at + 9,
          response_time: 1,
        },
      ],
    });
    const ietf = toIetfReport(degraded, true);
    expect(ietf.status).toBe('warn');
    expect(ietf.checks.recommendations[0]).toMatchObject({
      status: 'warn',
      output: 'slow',
    });
  });

  it('leaves out outputs and measurements when details are hidden', () => {
    expect(toIetfReport(report(), false).checks.database[0]).toEqual({
      componentId: 'database',
      status: 'pass',
      time: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('formatReportBody', () => {
  it('serves the seed report as it is by default', () => {
    expect(
      JSON.parse(
        formatReportBody(report(), { format: 'seed', showDetails: true }),
      ),
    ).toEqual(report());
  });

  it('reduces results to names and outcomes when details are hidden', () => {
    expect(
      JSON.parse(
        formatReportBody(report(), { format: 'seed', showDetails: false }),
      ),
    ).toEqual({
      hostname: 'api-1',
      status: 'success',
      timestamp: at,
      results: [{ checker: 'database', passed: true }],
    });
  });

  it('hands the handler the report without details when they are hidden', () => {
    let seen: HealthReport | undefined;
    formatReportBody(report(), {
      format: 'seed',
      showDetails: false,
      handler: (given) => (seen = given),
    });
    expect(seen).toEqual(withoutDetails(report()));
  });
});
