import { jest } from '@jest/globals';
import {
  HealthIndicatorService,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { executeCheck } from '../../lib/checks/check.executor.js';
import { createOutputScrubber } from '../../lib/environment/output-scrub.js';
import {
  checkTimedOut,
  terminusBadEntry,
  terminusEmptyResult,
  terminusNotAResult,
} from '../../lib/healthcheck.messages.js';
import type { HealthCheckOutcome } from '../../lib/interfaces/check.interface.js';
import { fromTerminus } from '../../lib/terminus/from-terminus.js';
import type { TerminusIndicatorFunction } from '../../lib/terminus/terminus-result.js';

// Every indicator terminus' HealthCheckService takes is one fromTerminus takes: checked by the compiler.
const anyTerminusIndicator: HealthIndicatorFunction = () => ({
  db: { status: 'up' },
});
const accepted: TerminusIndicatorFunction = anyTerminusIndicator;

/** terminus 11's HealthCheckError as it was built: a flag and the causes, its name left as 'Error'. */
class Terminus11HealthCheckError extends Error {
  isHealthCheckError = true;
  constructor(
    message: string,
    readonly causes: unknown,
  ) {
    super(message);
  }
}

type Outcome = { passed: boolean; output: unknown };

/** Runs the outcome of fromTerminus through the module's executor, as a `@HealthCheck()` method would. */
async function execute(run: () => unknown, timeout = 1_000) {
  const check = {
    name: 'terminus',
    critical: true,
    tags: [],
    timing: { timeout, successTtl: 0, failedTtl: 0 },
    failureThreshold: 1,
    successThreshold: 1,
    run,
    source: 'test',
  } as unknown as Parameters<typeof executeCheck>[0];
  return executeCheck(
    check,
    new AbortController().signal,
    createOutputScrubber(),
  );
}

const indicator = new HealthIndicatorService();

describe('fromTerminus', () => {
  it('accepts every terminus HealthIndicatorFunction and runs it', async () => {
    expect(await fromTerminus(accepted)).toEqual({
      passed: true,
      output: { db: { status: 'up' } },
    });
  });

  it('passes on an up result and shows the whole result as the output', async () => {
    const outcome = await fromTerminus(() =>
      indicator.check('database').up({ latencyMs: 3 }),
    );
    expect(outcome).toEqual({
      passed: true,
      output: { database: { status: 'up', latencyMs: 3 } },
    });
  });

  it('fails on a down result, with its details', async () => {
    const outcome = await fromTerminus(async () =>
      indicator.check('database').down('connection refused'),
    );
    expect(outcome).toEqual({
      passed: false,
      output: { database: { status: 'down', message: 'connection refused' } },
    });
  });

  it('fails when any key of a result with several keys is down', async () => {
    const outcome = (await fromTerminus(() => ({
      ...indicator.check('primary').up(),
      ...indicator.check('replica').down(),
      ...indicator.check('cache').up(),
    }))) as Outcome;
    expect(outcome.passed).toBe(false);
    expect(Object.keys(outcome.output as object)).toEqual([
      'primary',
      'replica',
      'cache',
    ]);
  });

  it('passes degraded on a degraded result, as terminus passes it, showing the key as degraded', async () => {
    const outcome = await fromTerminus(() => ({
      ...indicator.check('primary').up(),
      ...indicator.check('search').degraded('slow'),
    }));
    expect(outcome).toEqual({
      passed: true,
      degraded: true,
      output: {
        primary: { status: 'up' },
        search: { status: 'degraded', message: 'slow' },
      },
    });
  });

  it('fails, without degraded, when one key is degraded and another down', async () => {
    const outcome = await fromTerminus(() => ({
      ...indicator.check('search').degraded('slow'),
      ...indicator.check('primary').down('gone'),
    }));
    expect(outcome).toEqual({
      passed: false,
      output: {
        search: { status: 'degraded', message: 'slow' },
        primary: { status: 'down', message: 'gone' },
      },
    });
  });

  it('a degraded result becomes a passing check result marked degraded', async () => {
    const result = await execute(() =>
      fromTerminus(() => indicator.check('search').degraded('slow')),
    );
    expect(result).toMatchObject({
      passed: true,
      degraded: true,
      output: { search: { status: 'degraded', message: 'slow' } },
    });
  });

  it('runs a HealthCheckAttempt given as it is, afresh on every call', async () => {
    let answer = true;
    const attempt = indicator
      .check('queue')
      .attempt(async () => {
        if (!answer) throw new Error('broker gone');
        return { depth: 0 };
      })
      .withTimeout(500);
    const up = (await fromTerminus(attempt)) as Outcome;
    expect(up.passed).toBe(true);
    expect(up.output).toEqual({
      queue: { status: 'up', depth: 0, responseTime: expect.any(Number) },
    });
    answer = false;
    const down = (await fromTerminus(attempt)) as Outcome;
    expect(down.passed).toBe(false);
    expect(down.output).toEqual({
      queue: {
        status: 'down',
        message: 'broker gone',
        responseTime: expect.any(Number),
      },
    });
  });

  it('runs a function returning a HealthCheckAttempt, and the attempt times out down', async () => {
    const outcome = (await fromTerminus(() =>
      indicator
        .check('slow')
        .attempt(() => new Promise(() => undefined))
        .withTimeout(20),
    )) as Outcome;
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toEqual({
      slow: expect.objectContaining({
        status: 'down',
        message: 'timeout of 20ms exceeded',
      }),
    });
  });

  it('turns a thrown HealthCheckError (terminus 11, flagged) into a failure with its causes', async () => {
    const causes = {
      disk: {
        status: 'down',
        message: 'Used disk storage exceeded the set threshold',
      },
    };
    const outcome = await fromTerminus(async () => {
      throw new Terminus11HealthCheckError('Disk check failed', causes);
    });
    expect(outcome).toEqual({ passed: false, output: causes });
  });

  it('recognises a HealthCheckError by its name too, as older releases built it', async () => {
    const error = Object.assign(new Error('Redis check failed'), {
      name: 'HealthCheckError',
      causes: { redis: { status: 'down' } },
    });
    const outcome = await fromTerminus(() => {
      throw error;
    });
    expect(outcome).toEqual({
      passed: false,
      output: { redis: { status: 'down' } },
    });
  });

  it('throws any other error on, unchanged, for the executor to report', async () => {
    const error = new Error('ECONNREFUSED 127.0.0.1:5432');
    await expect(
      fromTerminus(() => {
        throw error;
      }),
    ).rejects.toBe(error);
    const withCausesOnly = Object.assign(new Error('plain'), { causes: {} });
    await expect(
      fromTerminus(() => Promise.reject(withCausesOnly)),
    ).rejects.toBe(withCausesOnly);
  });

  it.each<[string, unknown, string]>([
    ['undefined', undefined, terminusNotAResult('undefined')],
    ['a string', 'up', terminusNotAResult("the string 'up'")],
    ['an array', [], terminusNotAResult('an array of length 0 ([])')],
    ['an empty object', {}, terminusEmptyResult],
    [
      'a key without status',
      { db: { message: 'ok' } },
      terminusBadEntry('db', "an object { message: 'ok' }"),
    ],
    [
      'an unknown status',
      { db: { status: 'fine' } },
      terminusBadEntry('db', "an object { status: 'fine' }"),
    ],
    [
      'a key that is not an object',
      { db: 'up' },
      terminusBadEntry('db', "the string 'up'"),
    ],
  ])(
    'fails with a sentence when the indicator gives %s',
    async (_name, value, message) => {
      const outcome = await fromTerminus(
        (() => value) as unknown as TerminusIndicatorFunction,
      );
      expect(outcome).toEqual({ passed: false, output: message });
    },
  );
});

describe('fromTerminus through the executor', () => {
  it('a result becomes the check result: passed and the details as output', async () => {
    const result = await execute(() =>
      fromTerminus(() => indicator.check('db').down({ code: 'ECONNREFUSED' })),
    );
    expect(result.passed).toBe(false);
    expect(result.output).toEqual({
      db: { status: 'down', code: 'ECONNREFUSED' },
    });
  });

  it('a thrown string fails the check with that string', async () => {
    const result = await execute(() =>
      fromTerminus(() => {
        throw 'redis is down';
      }),
    );
    expect(result).toEqual(
      expect.objectContaining({ passed: false, output: 'redis is down' }),
    );
  });

  it('a thrown error and a result are scrubbed like any output', async () => {
    const result = await execute(() =>
      fromTerminus(async () => {
        throw new Error(
          'connect to postgres://app:hunter2secret@db:5432 failed',
        );
      }),
    );
    expect(result.passed).toBe(false);
    expect(String(result.output)).not.toContain('hunter2secret');
    const down = await execute(() =>
      fromTerminus(() => indicator.check('db').down({ password: 'hunter2' })),
    );
    expect(JSON.stringify(down.output)).not.toContain('hunter2');
    expect(down.output).toEqual({
      db: { status: 'down', password: expect.any(String) },
    });
  });

  it('an indicator that hangs fails at the module timeout', async () => {
    jest.useFakeTimers();
    try {
      const pending = execute(
        () => fromTerminus(() => new Promise<never>(() => undefined)),
        250,
      );
      await jest.advanceTimersByTimeAsync(250);
      const result = await pending;
      expect(result).toEqual(
        expect.objectContaining({ passed: false, output: checkTimedOut(250) }),
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('its outcome is one the module reads as it is', async () => {
    const outcome: HealthCheckOutcome = await fromTerminus(() =>
      indicator.check('db').up(),
    );
    expect(typeof outcome === 'object' && 'passed' in outcome).toBe(true);
  });
});

describe('@nestjs/terminus stays optional', () => {
  it('no file of lib/ imports it, not even its types (the public .d.ts names no terminus type)', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const files = (await readdir('lib', { recursive: true })).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(files).toContain('terminus/from-terminus.ts');
    for (const file of files) {
      const source = await readFile(`lib/${file}`, 'utf8');
      expect({
        file,
        imports: /['"]@nestjs\/terminus['"/]/.test(source),
      }).toEqual({ file, imports: false });
    }
  });
});
