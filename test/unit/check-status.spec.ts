import type {
  HealthCheckResult,
  HeldStatus,
} from '../../lib/interfaces/check.interface.js';
import {
  type CheckStatus,
  type CheckStatusName,
  isPassing,
  isStale,
  markStale,
  observeRun,
  pendingStatus,
  type Thresholds,
} from '../../lib/status/check-status.js';

/** A run's result, `passed` and `output` as given, stamped `at` epoch seconds. */
const run = (passed: boolean, output: unknown, at = 1_000): HealthCheckResult =>
  Object.freeze({
    checker: 'db',
    output,
    passed,
    timestamp: at,
    expires: at + 10,
    response_time: 0.002,
  });

/** One run of a sequence and what the status model must show after it. */
interface Step {
  /** 'P:text' or 'F:text': a passing or failing run with `text` as its output. */
  run: string;
  status: CheckStatusName;
  /** The output shown: the run's own, or the one a threshold keeps. */
  output: string;
  streak: number;
  held?: HeldStatus;
}

const parse = (spec: string, index: number): HealthCheckResult =>
  run(spec.startsWith('P:'), spec.slice(2), 1_000 + index);

const heldFailures = (count: number, threshold: number, latest: string) => ({
  consecutive_failures: count,
  failure_threshold: threshold,
  latest_output: latest,
});
const heldSuccesses = (count: number, threshold: number, latest: string) => ({
  consecutive_successes: count,
  success_threshold: threshold,
  latest_output: latest,
});

const sequences: Array<{
  name: string;
  thresholds: Thresholds;
  steps: Step[];
}> = [
  {
    name: 'a first failing run is shown failing at once, however high the failure threshold',
    thresholds: { failureThreshold: 3, successThreshold: 1 },
    steps: [
      { run: 'F:refused', status: 'failing', output: 'refused', streak: 0 },
    ],
  },
  {
    name: 'a first passing run is shown passing at once, however high the success threshold',
    thresholds: { failureThreshold: 1, successThreshold: 3 },
    steps: [{ run: 'P:ok', status: 'passing', output: 'ok', streak: 0 }],
  },
  {
    name: 'a first failing run with both thresholds at 2 is failing, and stays failing until two passes',
    thresholds: { failureThreshold: 2, successThreshold: 2 },
    steps: [
      { run: 'F:down', status: 'failing', output: 'down', streak: 0 },
      {
        run: 'P:up',
        status: 'failing',
        output: 'down',
        streak: 1,
        held: heldSuccesses(1, 2, 'up'),
      },
      { run: 'P:up again', status: 'passing', output: 'up again', streak: 0 },
    ],
  },
  {
    name: 'thresholds of 1 show every run as it is',
    thresholds: { failureThreshold: 1, successThreshold: 1 },
    steps: [
      { run: 'P:a', status: 'passing', output: 'a', streak: 0 },
      { run: 'F:b', status: 'failing', output: 'b', streak: 0 },
      { run: 'F:c', status: 'failing', output: 'c', streak: 0 },
      { run: 'P:d', status: 'passing', output: 'd', streak: 0 },
    ],
  },
  {
    name: 'failureThreshold 3 holds a passing status for two failures and fails on the third',
    thresholds: { failureThreshold: 3, successThreshold: 1 },
    steps: [
      { run: 'P:ok', status: 'passing', output: 'ok', streak: 0 },
      {
        run: 'F:timeout 1',
        status: 'passing',
        output: 'ok',
        streak: 1,
        held: heldFailures(1, 3, 'timeout 1'),
      },
      {
        run: 'F:timeout 2',
        status: 'passing',
        output: 'ok',
        streak: 2,
        held: heldFailures(2, 3, 'timeout 2'),
      },
      { run: 'F:timeout 3', status: 'failing', output: 'timeout 3', streak: 0 },
      { run: 'F:timeout 4', status: 'failing', output: 'timeout 4', streak: 0 },
      { run: 'P:back', status: 'passing', output: 'back', streak: 0 },
    ],
  },
  {
    name: 'a pass while a failure threshold holds resets the streak',
    thresholds: { failureThreshold: 3, successThreshold: 1 },
    steps: [
      { run: 'P:a', status: 'passing', output: 'a', streak: 0 },
      {
        run: 'F:b',
        status: 'passing',
        output: 'a',
        streak: 1,
        held: heldFailures(1, 3, 'b'),
      },
      {
        run: 'F:c',
        status: 'passing',
        output: 'a',
        streak: 2,
        held: heldFailures(2, 3, 'c'),
      },
      { run: 'P:d', status: 'passing', output: 'd', streak: 0 },
      {
        run: 'F:e',
        status: 'passing',
        output: 'd',
        streak: 1,
        held: heldFailures(1, 3, 'e'),
      },
      {
        run: 'F:f',
        status: 'passing',
        output: 'd',
        streak: 2,
        held: heldFailures(2, 3, 'f'),
      },
      { run: 'F:g', status: 'failing', output: 'g', streak: 0 },
    ],
  },
  {
    name: 'successThreshold 3 holds a failing status for two passes and passes on the third',
    thresholds: { failureThreshold: 1, successThreshold: 3 },
    steps: [
      { run: 'F:down', status: 'failing', output: 'down', streak: 0 },
      {
        run: 'P:up 1',
        status: 'failing',
        output: 'down',
        streak: 1,
        held: heldSuccesses(1, 3, 'up 1'),
      },
      {
        run: 'P:up 2',
        status: 'failing',
        output: 'down',
        streak: 2,
        held: heldSuccesses(2, 3, 'up 2'),
      },
      { run: 'P:up 3', status: 'passing', output: 'up 3', streak: 0 },
      {
        run: 'F:down again',
        status: 'failing',
        output: 'down again',
        streak: 0,
      },
    ],
  },
  {
    name: 'a failure while a success threshold holds resets the streak and shows the new failure',
    thresholds: { failureThreshold: 1, successThreshold: 2 },
    steps: [
      { run: 'F:x', status: 'failing', output: 'x', streak: 0 },
      {
        run: 'P:y',
        status: 'failing',
        output: 'x',
        streak: 1,
        held: heldSuccesses(1, 2, 'y'),
      },
      { run: 'F:z', status: 'failing', output: 'z', streak: 0 },
      {
        run: 'P:w',
        status: 'failing',
        output: 'z',
        streak: 1,
        held: heldSuccesses(1, 2, 'w'),
      },
      { run: 'P:v', status: 'passing', output: 'v', streak: 0 },
    ],
  },
  {
    name: 'both thresholds at 2: each change waits for two disagreeing runs',
    thresholds: { failureThreshold: 2, successThreshold: 2 },
    steps: [
      { run: 'P:a', status: 'passing', output: 'a', streak: 0 },
      {
        run: 'F:b',
        status: 'passing',
        output: 'a',
        streak: 1,
        held: heldFailures(1, 2, 'b'),
      },
      { run: 'F:c', status: 'failing', output: 'c', streak: 0 },
      {
        run: 'P:d',
        status: 'failing',
        output: 'c',
        streak: 1,
        held: heldSuccesses(1, 2, 'd'),
      },
      { run: 'P:e', status: 'passing', output: 'e', streak: 0 },
    ],
  },
  {
    name: 'a held status keeps the output it showed, not the last agreeing output before it',
    thresholds: { failureThreshold: 3, successThreshold: 3 },
    steps: [
      { run: 'P:first', status: 'passing', output: 'first', streak: 0 },
      { run: 'P:second', status: 'passing', output: 'second', streak: 0 },
      {
        run: 'F:boom',
        status: 'passing',
        output: 'second',
        streak: 1,
        held: heldFailures(1, 3, 'boom'),
      },
    ],
  },
];

describe('observeRun over sequences of runs', () => {
  it.each(sequences)('$name', ({ thresholds, steps }) => {
    let status: CheckStatus = pendingStatus();
    steps.forEach((step, index) => {
      const result = parse(step.run, index);
      status = observeRun(status, result, thresholds);
      const where = `after run ${index + 1} (${step.run})`;
      expect({ where, status: status.status }).toEqual({
        where,
        status: step.status,
      });
      expect({ where, passed: status.shown?.passed }).toEqual({
        where,
        passed: step.status === 'passing',
      });
      expect({ where, output: status.shown?.output }).toEqual({
        where,
        output: step.output,
      });
      expect({ where, streak: status.streak }).toEqual({
        where,
        streak: step.streak,
      });
      expect({ where, held: status.shown?.held }).toEqual({
        where,
        held: step.held,
      });
      // The shown result is always the latest run's, timing included, whatever it says.
      expect(status.shown?.timestamp).toBe(result.timestamp);
      expect(status.shown?.checker).toBe('db');
      expect(isPassing(status)).toBe(step.status === 'passing');
    });
  });
});

describe('observeRun against a reference over every sequence of up to 6 runs', () => {
  /** Every sequence of passes (true) and failures (false) of `length` runs. */
  const allSequences = (length: number): boolean[][] =>
    length === 0
      ? [[]]
      : allSequences(length - 1).flatMap((head) => [
          [...head, true],
          [...head, false],
        ]);
  const thresholdPairs: Thresholds[] = [1, 2, 3].flatMap((failureThreshold) =>
    [1, 2, 3].map((successThreshold) => ({
      failureThreshold,
      successThreshold,
    })),
  );

  it.each(thresholdPairs)(
    'failureThreshold $failureThreshold, successThreshold $successThreshold',
    (thresholds) => {
      for (let length = 1; length <= 6; length++) {
        for (const runs of allSequences(length)) {
          let status: CheckStatus = pendingStatus();
          // Reference: the first run is shown as it is; afterwards the shown status flips only after
          // `threshold` consecutive runs that disagree with it, and an agreeing run resets the count.
          let shown: boolean | undefined;
          let disagreeing = 0;
          runs.forEach((passed, index) => {
            const previous = status;
            status = observeRun(
              status,
              run(passed, `run ${index}`),
              thresholds,
            );
            if (shown === undefined || passed === shown) {
              shown = passed;
              disagreeing = 0;
            } else {
              disagreeing++;
              const threshold = passed
                ? thresholds.successThreshold
                : thresholds.failureThreshold;
              if (disagreeing >= threshold) {
                shown = passed;
                disagreeing = 0;
              }
            }
            const label = `${runs.map((p) => (p ? 'P' : 'F')).join('')} @${index}`;
            expect({ label, status: status.status }).toEqual({
              label,
              status: shown ? 'passing' : 'failing',
            });
            expect({ label, streak: status.streak }).toEqual({
              label,
              streak: disagreeing,
            });
            // Thresholds only delay a change: the status is the previous one or the run's own.
            expect([previous.status, passed ? 'passing' : 'failing']).toContain(
              status.status,
            );
            // The shown output is the run's own once the status agrees with the run.
            if (shown === passed) {
              expect(status.shown?.output).toBe(`run ${index}`);
              expect(status.shown?.held).toBeUndefined();
            } else {
              expect(status.shown?.held?.latest_output).toBe(`run ${index}`);
            }
          });
        }
      }
    },
  );
});

describe('observeRun', () => {
  it('leaves its input untouched and returns frozen values', () => {
    const before = observeRun(pendingStatus(), run(true, 'ok'), {
      failureThreshold: 3,
      successThreshold: 1,
    });
    const after = observeRun(before, run(false, 'down'), {
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(before).toMatchObject({ status: 'passing', streak: 0 });
    expect(before.shown).toMatchObject({ passed: true, output: 'ok' });
    expect(before.shown?.held).toBeUndefined();
    expect(Object.isFrozen(after)).toBe(true);
    expect(Object.isFrozen(after.shown)).toBe(true);
  });

  it('shows the first run of a background check as it is, replacing its pending stand-in', () => {
    const placeholder = run(false, 'pending');
    const pending = pendingStatus(placeholder);
    expect(pending).toEqual({
      status: 'pending',
      shown: placeholder,
      streak: 0,
    });
    expect(isPassing(pending)).toBe(false);

    const failed = observeRun(pending, run(false, 'refused'), {
      failureThreshold: 3,
      successThreshold: 3,
    });
    expect(failed.status).toBe('failing');
    expect(failed.shown?.output).toBe('refused');
    expect(failed.shown?.held).toBeUndefined();

    const passed = observeRun(pending, run(true, 'ok'), {
      failureThreshold: 3,
      successThreshold: 3,
    });
    expect(passed.status).toBe('passing');
    expect(passed.shown?.output).toBe('ok');
  });
});

describe('markStale', () => {
  const stale = run(false, 'no result for 301 ms (maxStaleness 300 ms)');
  const thresholds = { failureThreshold: 3, successThreshold: 3 };

  it('fails a passing status at once, whatever its failure threshold', () => {
    const passing = observeRun(pendingStatus(), run(true, 'ok'), thresholds);
    const next = markStale(passing, stale);
    expect(next).toEqual({ status: 'failing', shown: stale, streak: 0 });
  });

  it('fails a passing status that a failure threshold is holding', () => {
    const passing = observeRun(pendingStatus(), run(true, 'ok'), thresholds);
    const holding = observeRun(passing, run(false, 'down'), thresholds);
    expect(holding.status).toBe('passing');
    expect(markStale(holding, stale)).toEqual({
      status: 'failing',
      shown: stale,
      streak: 0,
    });
  });

  it('leaves a failing status as it is', () => {
    const failing = observeRun(pendingStatus(), run(false, 'down'), thresholds);
    expect(markStale(failing, stale)).toBe(failing);
    const holding = observeRun(failing, run(true, 'up'), thresholds);
    expect(holding.status).toBe('failing');
    expect(markStale(holding, stale)).toBe(holding);
  });

  it('leaves a pending status as it is', () => {
    const pending = pendingStatus(run(false, 'pending'));
    expect(markStale(pending, stale)).toBe(pending);
    const empty = pendingStatus();
    expect(markStale(empty, stale)).toBe(empty);
  });
});

describe('isStale', () => {
  const limits = { maxStaleness: 300, timeout: 1_000 };

  it.each([
    {
      what: 'no run yet and none under way',
      timing: {},
      now: 1e9,
      stale: false,
    },
    {
      what: 'last run ended exactly maxStaleness ago',
      timing: { lastRunEndedAt: 10_000 },
      now: 10_300,
      stale: false,
    },
    {
      what: 'last run ended just over maxStaleness ago',
      timing: { lastRunEndedAt: 10_000 },
      now: 10_301,
      stale: true,
    },
    {
      what: 'a run under way for a while, the last one long ago',
      timing: { lastRunEndedAt: 0, runStartedAt: 10_000 },
      now: 10_500,
      stale: false,
    },
    {
      what: 'a first run under way for exactly timeout + maxStaleness',
      timing: { runStartedAt: 10_000 },
      now: 11_300,
      stale: false,
    },
    {
      what: 'a run under way for longer than timeout + maxStaleness',
      timing: { lastRunEndedAt: 9_900, runStartedAt: 10_000 },
      now: 11_301,
      stale: true,
    },
  ])('$what: stale $stale', ({ timing, now, stale }) => {
    expect(isStale(timing, limits, now)).toBe(stale);
  });

  /**
   * A loop of runs taking `runMs` each, the next starting `intervalMs` after the previous ended, from 0 until
   * `stopAt` (no run starts after it); the timing the monitor would hold at `now`.
   */
  function timingAt(
    now: number,
    {
      runMs,
      intervalMs,
      stopAt,
    }: { runMs: number; intervalMs: number; stopAt: number },
  ): { lastRunEndedAt?: number; runStartedAt?: number } {
    let start = 0;
    let lastRunEndedAt: number | undefined;
    while (start <= now && start <= stopAt) {
      const end = start + runMs;
      if (now < end) return { lastRunEndedAt, runStartedAt: start };
      lastRunEndedAt = end;
      start = end + intervalMs;
    }
    return { lastRunEndedAt };
  }

  it('never calls a check stale that keeps running and passing, its runs longer than its interval', () => {
    const loop = { runMs: 250, intervalMs: 100, stopAt: Infinity };
    for (let now = 0; now <= 10_000; now++) {
      const timing = timingAt(now, loop);
      // Either a run is under way or the last one ended less than maxStaleness ago.
      expect(
        timing.runStartedAt !== undefined ||
          now - timing.lastRunEndedAt! < limits.maxStaleness,
      ).toBe(true);
      if (isStale(timing, limits, now)) {
        throw new Error(`stale at ${now} ms with ${JSON.stringify(timing)}`);
      }
    }
  });

  it('calls a stopped loop stale once maxStaleness has passed since its last run ended', () => {
    const loop = { runMs: 250, intervalMs: 100, stopAt: 2_000 };
    // Runs start at 0, 350, ..., 1750 (the last before 2000) and the last ends at 2000.
    const lastEnd = timingAt(5_000, loop).lastRunEndedAt!;
    expect(lastEnd).toBe(2_000);
    for (let now = 0; now <= 5_000; now++) {
      const stale = isStale(timingAt(now, loop), limits, now);
      expect({ now, stale }).toEqual({
        now,
        stale: now > lastEnd + limits.maxStaleness,
      });
    }
  });

  it('calls a run stale once it has been under way for longer than timeout + maxStaleness', () => {
    // Two normal runs, then a run that starts at 700 and never ends.
    const loop = { runMs: 250, intervalMs: 100, stopAt: 700 };
    const hung = (now: number) => {
      const timing = timingAt(now, loop);
      return now >= 700 ? { lastRunEndedAt: 600, runStartedAt: 700 } : timing;
    };
    for (let now = 0; now <= 4_000; now++) {
      const stale = isStale(hung(now), limits, now);
      expect({ now, stale }).toEqual({
        now,
        stale: now > 700 + limits.timeout + limits.maxStaleness,
      });
    }
  });
});

describe('observeRun with degraded runs', () => {
  const degradedRun = (output: string, at = 1_000): HealthCheckResult =>
    Object.freeze({ ...run(true, output, at), degraded: true as const });
  const thresholds = { failureThreshold: 3, successThreshold: 2 };

  it('a degraded run of a passing check agrees with it: shown at once, degraded, no streak', () => {
    const passing = observeRun(pendingStatus(), run(true, 'green'), thresholds);
    const next = observeRun(passing, degradedRun('yellow'), thresholds);
    expect(next).toEqual({
      status: 'passing',
      shown: degradedRun('yellow'),
      streak: 0,
    });
    const back = observeRun(next, run(true, 'green', 1_001), thresholds);
    expect(back.shown).toEqual(run(true, 'green', 1_001));
    expect(back.shown).not.toHaveProperty('degraded');
  });

  it('a first degraded run is shown passing and degraded', () => {
    const first = observeRun(
      pendingStatus(),
      degradedRun('yellow'),
      thresholds,
    );
    expect(first.status).toBe('passing');
    expect(first.shown?.degraded).toBe(true);
  });

  it('a held passing status keeps the degraded flag of the result it holds', () => {
    const degraded = observeRun(
      pendingStatus(),
      degradedRun('yellow'),
      thresholds,
    );
    const held = observeRun(degraded, run(false, 'red', 1_001), thresholds);
    expect(held.status).toBe('passing');
    expect(held.shown).toMatchObject({
      passed: true,
      degraded: true,
      output: 'yellow',
      held: { consecutive_failures: 1, latest_output: 'red' },
    });
  });

  it('a held passing status that was not degraded stays not degraded', () => {
    const passing = observeRun(pendingStatus(), run(true, 'green'), thresholds);
    const held = observeRun(passing, run(false, 'red', 1_001), thresholds);
    expect(held.shown?.passed).toBe(true);
    expect(held.shown).not.toHaveProperty('degraded');
  });

  it('a held failing status never takes the degraded flag of the passing run it holds back', () => {
    const failing = observeRun(pendingStatus(), run(false, 'red'), thresholds);
    const held = observeRun(failing, degradedRun('yellow', 1_001), thresholds);
    expect(held.status).toBe('failing');
    expect(held.shown).toMatchObject({
      passed: false,
      output: 'red',
      held: { consecutive_successes: 1, latest_output: 'yellow' },
    });
    expect(held.shown).not.toHaveProperty('degraded');
    const recovered = observeRun(
      held,
      degradedRun('still yellow', 1_002),
      thresholds,
    );
    expect(recovered).toEqual({
      status: 'passing',
      shown: degradedRun('still yellow', 1_002),
      streak: 0,
    });
  });
});
