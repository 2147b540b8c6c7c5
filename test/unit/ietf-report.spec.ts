import type { HealthReport } from '../../lib/index.js';
import { renderBody } from '../../lib/report/http-response.js';
import { toIetfReport } from '../../lib/report/ietf-report.js';
import { presentReport } from '../../lib/report/presentation.js';
import { formatReportBody } from '../../lib/report/report-body.js';

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

  it('maps a degraded check to warn with its output, in a degraded report', () => {
    const degraded = report({
      degraded: true,
      results: [
        {
          checker: 'search',
          output: 'cluster is yellow',
          passed: true,
          degraded: true,
          timestamp: at,
          expires: at + 9,
          response_time: 0.01,
          observedValue: 4,
          observedUnit: 'ms',
        },
        { ...report().results[0] },
      ],
    });
    const ietf = toIetfReport(degraded, true);
    expect(ietf.status).toBe('warn');
    expect(ietf.checks.search[0]).toEqual({
      componentId: 'search',
      status: 'warn',
      time: '2026-01-01T00:00:00.000Z',
      output: 'cluster is yellow',
      observedValue: 4,
      observedUnit: 'ms',
    });
    expect(ietf.checks.database[0].status).toBe('pass');
    const hidden = toIetfReport(degraded, false);
    expect(hidden.checks.search[0]).toEqual({
      componentId: 'search',
      status: 'warn',
      time: '2026-01-01T00:00:00.000Z',
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
  const answeredAt = Date.UTC(2026, 0, 1, 0, 0, 30);
  const render = (body: ReturnType<typeof formatReportBody>) =>
    JSON.parse(
      renderBody({ status: 200, headers: [], body }, answeredAt),
    ) as unknown;

  it('serves the JSON report as it is, with the time of the answer as its timestamp', () => {
    expect(
      render(formatReportBody(report(), { format: 'json', showDetails: true })),
    ).toEqual({ ...report(), timestamp: answeredAt / 1000 });
  });

  it('keeps the key order of the report, sections first', () => {
    const withSection = { application: { name: 'api' }, ...report() };
    const body = formatReportBody(withSection, {
      format: 'json',
      showDetails: true,
    });
    expect(Object.keys(render(body) as object)).toEqual([
      'application',
      'hostname',
      'status',
      'timestamp',
      'results',
    ]);
  });

  it('reduces results to names and outcomes when details are hidden', () => {
    expect(
      render(
        formatReportBody(report(), { format: 'json', showDetails: false }),
      ),
    ).toEqual({
      hostname: 'api-1',
      status: 'success',
      timestamp: answeredAt / 1000,
      results: [{ checker: 'database', passed: true }],
    });
  });

  it('hands the handler the report without details when they are hidden', () => {
    let seen: HealthReport | undefined;
    formatReportBody(report(), {
      format: 'json',
      showDetails: false,
      handler: (given) => (seen = given),
    });
    expect(seen).toEqual(presentReport(report(), false));
  });
});
