import { normalizeOutcome } from '../../lib/checks/check-outcome.normalizer.js';
import { executeCheck } from '../../lib/checks/check.executor.js';

/** Runs `run` through the executor as the runner would, with one check's usual settings. */
async function execute(run: () => unknown) {
  const check = {
    name: 'search',
    critical: true,
    tags: [],
    timing: { timeout: 1_000, successTtl: 0, failedTtl: 0 },
    failureThreshold: 1,
    successThreshold: 1,
    run,
    source: 'test',
  } as unknown as Parameters<typeof executeCheck>[0];
  return executeCheck(check, new AbortController().signal);
}

describe('normalizeOutcome: degraded', () => {
  it('keeps degraded: true on a passing outcome', () => {
    expect(
      normalizeOutcome({ passed: true, degraded: true, output: 'yellow' }),
    ).toEqual({ passed: true, degraded: true, output: 'yellow' });
  });

  it('drops degraded: true on a failing outcome: failing wins', () => {
    const outcome = normalizeOutcome({
      passed: false,
      degraded: true,
      output: 'red',
    });
    expect(outcome).toEqual({ passed: false, output: 'red' });
    expect('degraded' in outcome).toBe(false);
  });

  it('leaves degraded out when it is false or absent', () => {
    for (const value of [
      { passed: true, degraded: false, output: 'green' },
      { passed: true, output: 'green' },
    ]) {
      const outcome = normalizeOutcome(value);
      expect(outcome).toEqual({ passed: true, output: 'green' });
      expect('degraded' in outcome).toBe(false);
    }
  });

  it.each([
    ['a string', 'yes'],
    ['the number 1', 1],
    ['an object', { reason: 'slow' }],
    ['null', null],
  ])(
    'ignores a degraded that is %s: the check passes, not degraded (an advisory field never fails a check)',
    (_what, degraded) => {
      const outcome = normalizeOutcome({ passed: true, degraded, output: 'x' });
      expect(outcome).toEqual({ passed: true, output: 'x' });
      expect('degraded' in outcome).toBe(false);
    },
  );

  it('tuples and booleans are never degraded', () => {
    expect('degraded' in normalizeOutcome([true, 'ok'])).toBe(false);
    expect('degraded' in normalizeOutcome(true)).toBe(false);
  });
});

describe('executeCheck: degraded', () => {
  it('a passing degraded outcome makes a passing result marked degraded, beside passed', async () => {
    const result = await execute(() => ({
      passed: true,
      degraded: true,
      output: 'cluster is yellow',
      observedValue: 3,
      observedUnit: 'ms',
    }));
    expect(result).toMatchObject({
      checker: 'search',
      passed: true,
      degraded: true,
      output: 'cluster is yellow',
      observedValue: 3,
      observedUnit: 'ms',
    });
    expect(Object.keys(result).slice(0, 4)).toEqual([
      'checker',
      'output',
      'passed',
      'degraded',
    ]);
  });

  it('an async (Promise) degraded outcome counts alike', async () => {
    const result = await execute(async () => ({
      passed: true,
      degraded: true,
    }));
    expect(result).toMatchObject({ passed: true, degraded: true });
  });

  it('a failing outcome that says degraded is a plain failure', async () => {
    const result = await execute(() => ({
      passed: false,
      degraded: true,
      output: 'cluster is red',
    }));
    expect(result.passed).toBe(false);
    expect('degraded' in result).toBe(false);
  });

  it('a non-boolean degraded is ignored: the check passes, not degraded', async () => {
    const result = await execute(() => ({
      passed: true,
      degraded: 'yes',
      output: 'ok',
    }));
    expect(result.passed).toBe(true);
    expect('degraded' in result).toBe(false);
  });

  it('a degraded getter that throws fails the run with what it threw, never a rejection', async () => {
    const result = await execute(() => ({
      passed: true,
      get degraded(): boolean {
        throw new Error('degraded getter');
      },
    }));
    expect(result.passed).toBe(false);
    expect(String(result.output)).toContain('degraded getter');
    expect('degraded' in result).toBe(false);
  });
});

describe('executeCheck: observedUnit', () => {
  it('cuts a long unit at 32 UTF-16 units without splitting a character in two', async () => {
    const result = await execute(() => ({
      passed: true,
      observedValue: 1,
      observedUnit: `${'x'.repeat(31)}😀 per second`,
    }));
    expect(result.observedUnit).toBe('x'.repeat(31));
    // A lone surrogate has no UTF-8 form: a Prometheus label or an OTLP string would carry U+FFFD instead.
    expect(result.observedUnit).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('keeps a character that ends at the 32nd unit whole', async () => {
    const result = await execute(() => ({
      passed: true,
      observedValue: 1,
      observedUnit: `${'x'.repeat(30)}😀 per second`,
    }));
    expect(result.observedUnit).toBe(`${'x'.repeat(30)}😀`);
  });
});
