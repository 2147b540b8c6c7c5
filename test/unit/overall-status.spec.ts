import type { HealthCheckResult } from '../../lib/interfaces/check.interface.js';
import { overallOf } from '../../lib/status/overall-status.js';

const result = (
  name: string,
  passed: boolean,
  critical = true,
): HealthCheckResult => ({
  checker: name,
  output: passed ? 'ok' : 'down',
  passed,
  timestamp: 1_000,
  expires: 1_010,
  response_time: 0.001,
  ...(!critical && { critical: false as const }),
});

/** A passing result whose check said it is degraded. */
const degradedResult = (name: string, critical = true): HealthCheckResult => ({
  ...result(name, true, critical),
  degraded: true,
});

describe('overallOf', () => {
  it.each([
    { what: 'no results', results: [], status: 'success', degraded: false },
    {
      what: 'every check passing',
      results: [result('db', true), result('cache', true, false)],
      status: 'success',
      degraded: false,
    },
    {
      what: 'only a non-critical check failing',
      results: [result('db', true), result('search', false, false)],
      status: 'success',
      degraded: true,
    },
    {
      what: 'a critical check failing',
      results: [result('db', false), result('cache', true)],
      status: 'failure',
      degraded: false,
    },
    {
      what: 'a critical and a non-critical check failing (a failure is never also degraded)',
      results: [result('search', false, false), result('db', false)],
      status: 'failure',
      degraded: false,
    },
    {
      what: "a background check's pending stand-in (a failed critical result)",
      results: [result('db', true), result('queue', false)],
      status: 'failure',
      degraded: false,
    },
    {
      what: 'a passing check that says it is degraded',
      results: [result('db', true), degradedResult('search')],
      status: 'success',
      degraded: true,
    },
    {
      what: 'a degraded check and a critical failure (a failure is never also degraded)',
      results: [degradedResult('search'), result('db', false)],
      status: 'failure',
      degraded: false,
    },
    {
      what: 'a degraded non-critical check and a failing non-critical one',
      results: [degradedResult('search', false), result('recs', false, false)],
      status: 'success',
      degraded: true,
    },
  ])('$what: $status, degraded $degraded', ({ results, status, degraded }) => {
    expect(overallOf(results)).toEqual({ status, degraded });
    expect(overallOf(results, false)).toEqual({ status, degraded });
  });

  it.each([
    { what: 'no results', results: [] },
    { what: 'every check passing', results: [result('db', true)] },
    {
      what: 'a non-critical check failing',
      results: [result('db', true), result('search', false, false)],
    },
    { what: 'a degraded check', results: [degradedResult('search')] },
  ])('fails during shutdown with $what', ({ results }) => {
    expect(overallOf(results, true)).toEqual({
      status: 'failure',
      degraded: false,
    });
  });

  it('reads any iterable once, a generator included', () => {
    let reads = 0;
    function* results(): Generator<HealthCheckResult> {
      reads++;
      yield result('db', true);
      yield result('search', false, false);
    }
    expect(overallOf(results())).toEqual({ status: 'success', degraded: true });
    expect(reads).toBe(1);
  });
});
