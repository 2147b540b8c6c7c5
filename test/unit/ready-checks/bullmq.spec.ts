import { jest } from '@jest/globals';
import {
  checkOptionsNotObject,
  invalidCheckOption,
  readyCheckMissingOption,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import {
  bullmqTarget,
  isBullmqQueue,
} from '../../../lib/ready-checks/queues/bullmq-queue.js';
import {
  bullmq,
  checkBullmq,
  judgeJobCounts,
} from '../../../lib/ready-checks/queues/bullmq.check.js';
import { queueChecks } from '../../../lib/ready-checks/queues/index.js';
import { passThrough } from '../../support/ready-check.helpers.js';

type Counts = Record<string, number>;

/** A structural BullMQ queue whose answers the test decides. */
function fakeQueue(
  counts: Counts = {},
  workers = 0,
  connection: unknown = { host: 'queue-host', port: 6380 },
) {
  return {
    name: 'emails',
    opts: { connection },
    getJobCounts: jest.fn(async (...states: string[]) =>
      Object.fromEntries(states.map((state) => [state, counts[state] ?? 0])),
    ),
    getWorkersCount: jest.fn(async () => workers),
    add: async () => undefined,
    close: async () => undefined,
  };
}

describe('BullMQ queue detection', () => {
  it('recognises a queue by its shape and refuses tokens and other shapes (a real Queue and Worker: services spec)', () => {
    expect(isBullmqQueue(fakeQueue())).toBe(true);
    for (const value of [
      'QUEUE',
      Symbol('QUEUE'),
      null,
      { name: 'w', close: () => undefined, run: () => undefined },
      { ...fakeQueue(), name: undefined },
    ]) {
      expect(isBullmqQueue(value)).toBe(false);
    }
  });

  it('names the queue and its Redis from the connection options, never a password', () => {
    expect(
      bullmqTarget(
        fakeQueue({}, 0, { host: 'h', port: 7000, password: 'hunter2' }),
      ),
    ).toBe('BullMQ queue "emails" on redis at h:7000');
    expect(bullmqTarget(fakeQueue({}, 0, {}))).toBe(
      'BullMQ queue "emails" on redis at localhost:6379',
    );
  });
});

describe('judgeJobCounts', () => {
  it('passes within the limits and gives every count', () => {
    expect(
      judgeJobCounts(
        'emails',
        { waiting: 5, active: 1, delayed: 2, failed: 0 },
        undefined,
        { maxWaiting: 5, maxDelayed: 2, maxFailed: 0 },
        1.23,
      ),
    ).toEqual({
      passed: true,
      output:
        'BullMQ queue "emails": 5 waiting, 1 active, 2 delayed, 0 failed (read in 1.2 ms)',
    });
  });

  it('names every limit that is exceeded, and a missing worker', () => {
    expect(
      judgeJobCounts(
        'emails',
        { waiting: 6, active: 0, delayed: 3, failed: 1 },
        0,
        { maxWaiting: 5, maxDelayed: 2, maxFailed: 0, requireWorkers: true },
        2,
      ),
    ).toEqual({
      passed: false,
      output:
        'BullMQ queue "emails": 6 waiting, 0 active, 3 delayed, 1 failed, 0 workers (read in 2.0 ms), expected ' +
        'at most 5 waiting (option "maxWaiting") and at most 2 delayed (option "maxDelayed") and at most 0 failed ' +
        '(option "maxFailed") and at least one worker connected (option "requireWorkers")',
    });
  });

  it('counts a missing state as 0 and says "1 worker"', () => {
    expect(judgeJobCounts('q', {}, 1, { requireWorkers: true }, 0).output).toBe(
      'BullMQ queue "q": 0 waiting, 0 active, 0 delayed, 0 failed, 1 worker (read in 0.0 ms)',
    );
  });
});

describe('checkBullmq with a structural queue', () => {
  it('reads the counts in one call, and the workers only when they are required', async () => {
    const queue = fakeQueue({ waiting: 1 }, 2);
    const outcome = await checkBullmq(queue, { maxWaiting: 1 });
    expect(outcome).toEqual({
      passed: true,
      output: expect.stringMatching(
        /^BullMQ queue "emails": 1 waiting, 0 active, 0 delayed, 0 failed \(read in \d+\.\d ms\)$/,
      ),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
    expect(queue.getJobCounts).toHaveBeenCalledTimes(1);
    expect(queue.getJobCounts).toHaveBeenCalledWith(
      'waiting',
      'active',
      'delayed',
      'failed',
    );
    expect(queue.getWorkersCount).not.toHaveBeenCalled();
    const withWorkers = await checkBullmq(queue, { requireWorkers: true });
    expect(withWorkers.output).toContain(', 2 workers (read in');
    expect(queue.getWorkersCount).toHaveBeenCalledTimes(1);
  });

  it('fails with what the queue rejected with, naming the queue and its Redis', async () => {
    const queue = fakeQueue();
    queue.getJobCounts.mockRejectedValueOnce(
      new Error('connect ECONNREFUSED 10.0.0.1:6380'),
    );
    expect(await checkBullmq(queue)).toEqual({
      passed: false,
      output:
        'getJobCounts against BullMQ queue "emails" on redis at queue-host:6380 failed: connect ECONNREFUSED 10.0.0.1:6380',
    });
  });

  it('fails at once, sending nothing, while the shared ioredis connection reconnects', async () => {
    const connection = {
      status: 'reconnecting',
      sendCommand: () => undefined,
      options: { host: '10.1.1.1', port: 6379 },
    };
    const queue = fakeQueue({}, 0, connection);
    expect(await checkBullmq(queue)).toEqual({
      passed: false,
      output:
        'getJobCounts against BullMQ queue "emails" on redis at 10.1.1.1:6379 failed: not sent: the queue\'s ' +
        'ioredis connection is reconnecting (status "reconnecting")',
    });
    expect(queue.getJobCounts).not.toHaveBeenCalled();
  });

  it('fails when the signal aborts; the next run waits for the unanswered read instead of adding one', async () => {
    const queue = fakeQueue();
    let answer: (counts: Counts) => void = () => undefined;
    queue.getJobCounts.mockImplementationOnce(
      () => new Promise<Counts>((resolve) => (answer = resolve)),
    );
    const first = new AbortController();
    const hung = checkBullmq(queue, { signal: first.signal });
    await new Promise((resolve) => setImmediate(resolve));
    first.abort(new Error('timed out after 300 ms'));
    expect(await hung).toEqual({
      passed: false,
      output:
        'getJobCounts against BullMQ queue "emails" on redis at queue-host:6380 failed: timed out after 300 ms',
    });
    const second = new AbortController();
    const waiting = checkBullmq(queue, { signal: second.signal });
    await new Promise((resolve) => setImmediate(resolve));
    second.abort(new Error('timed out after 300 ms'));
    expect((await waiting).output).toMatch(
      /failed: timed out after 300 ms; the getJobCounts sent \d+\.\d s earlier on the same client has not been answered yet$/,
    );
    expect(queue.getJobCounts).toHaveBeenCalledTimes(1);
    answer({});
    expect((await checkBullmq(queue)).passed).toBe(true);
  });
});

describe('checks.bullmq options', () => {
  it('is the bullmq entry of the family and carries its pure function as run', () => {
    expect(queueChecks).toEqual({ bullmq });
    expect(bullmq.run).toBe(checkBullmq);
  });

  it('hands the queue option, instance or token, to the resolver at bootstrap', async () => {
    const queue = fakeQueue({ waiting: 4 });
    const resolve = jest.fn(() => queue);
    const definition = bullmq('emails', {
      queue: 'BullQueue_emails',
      maxWaiting: 3,
      tags: ['readiness'],
    });
    expect(definition).toMatchObject({
      name: 'emails',
      source: "checks.bullmq('emails')",
      options: { tags: ['readiness'] },
    });
    const run = definition.build(resolve as unknown as DependencyResolver);
    expect(resolve).toHaveBeenCalledWith(
      'queue',
      'BullQueue_emails',
      isBullmqQueue,
      'a BullMQ Queue',
    );
    const outcome = (await run({
      signal: new AbortController().signal,
    })) as { passed: boolean };
    expect(outcome.passed).toBe(false);
  });

  it.each([
    ['maxWaiting', -1],
    ['maxDelayed', 1.5],
    ['maxFailed', '10'],
    ['maxWaiting', Number.NaN],
  ])('refuses %s: %p when the builder is called', (option, value) => {
    expect(() =>
      bullmq('emails', { queue: fakeQueue(), [option]: value }),
    ).toThrow(
      invalidCheckOption(
        "checks.bullmq('emails')",
        option,
        'a whole number of jobs, 0 or more',
        expect.any(String) as unknown as string,
      ).split(', got')[0],
    );
  });

  it('refuses a requireWorkers that is not a boolean, a missing queue, an unknown option and non-object options', () => {
    expect(() =>
      bullmq('emails', { queue: fakeQueue(), requireWorkers: 'yes' as never }),
    ).toThrow(
      invalidCheckOption(
        "checks.bullmq('emails')",
        'requireWorkers',
        'true or false',
        "the string 'yes'",
      ),
    );
    expect(() => bullmq('emails', {} as never)).toThrow(
      readyCheckMissingOption('bullmq', 'queue', 'a BullMQ Queue'),
    );
    expect(() =>
      bullmq('emails', { queue: fakeQueue(), maxWaitng: 3 } as never),
    ).toThrow(
      unknownCheckOption("checks.bullmq('emails')", 'maxWaitng', [
        'queue',
        'maxWaiting',
        'maxDelayed',
        'maxFailed',
        'requireWorkers',
      ]),
    );
    expect(() => bullmq('emails', null as never)).toThrow(
      checkOptionsNotObject("checks.bullmq('emails')", 'null'),
    );
  });

  it('refuses a queue of the wrong kind at bootstrap', () => {
    expect(() =>
      bullmq('emails', { queue: { name: 'x' } }).build(passThrough),
    ).toThrow('queue: expected a BullMQ Queue');
  });
});
