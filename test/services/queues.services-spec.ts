import { jest } from '@jest/globals';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { isBullmqQueue } from '../../lib/ready-checks/queues/bullmq-queue.js';
import { bullmq } from '../../lib/ready-checks/queues/bullmq.check.js';
import {
  buildCheck,
  runUntil,
  runWithTimeout,
  startRedis,
} from './broker-servers.js';
import { expectTimeoutsWhileFrozen, runManyTimes } from './ready-check-runs.js';

type Server = Awaited<ReturnType<typeof startRedis>>;

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

/** Connections the server holds, except the redis-cli that asks. */
async function connections(server: Server): Promise<string[]> {
  const list = await server.cli(['CLIENT', 'LIST']);
  return list
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('cmd=client|list'));
}

/** Every key on the server, sorted. */
async function keys(server: Server): Promise<string[]> {
  const list = await server.cli(['--scan']);
  return list
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}

/** How the user made the queue: connection options (BullMQ's own ioredis) or an ioredis client of their own. */
const connectionKinds: Array<
  [string, (port: number) => { connection: object; close(): void }]
> = [
  [
    'connection options',
    (port) => ({
      connection: { host: '127.0.0.1', port },
      close: () => undefined,
    }),
  ],
  [
    'a shared ioredis client',
    (port) => {
      const client = new Redis({
        host: '127.0.0.1',
        port,
        maxRetriesPerRequest: null,
      });
      client.on('error', () => undefined);
      return { connection: client, close: () => client.disconnect() };
    },
  ],
];

let server: Server;

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server?.dispose();
});

describe.each(connectionKinds)(
  'checks.bullmq on a queue made with %s, against redis-server',
  (kind, connect) => {
    const queueName = `emails-${kind.replace(/\W+/g, '-')}`;
    let made: ReturnType<typeof connect>;
    let queue: Queue;
    let check: ReturnType<typeof buildCheck>;

    beforeAll(async () => {
      made = connect(server.port);
      queue = new Queue(queueName, {
        connection: made.connection as never,
      });
      queue.on('error', () => undefined);
      await queue.waitUntilReady();
      check = buildCheck(bullmq('emails', { queue, maxWaiting: 2 }));
    });

    afterAll(async () => {
      await queue?.obliterate({ force: true }).catch(() => undefined);
      await queue?.close().catch(() => undefined);
      made?.close();
    });

    it('passes while Redis answers and the counts are within the limits, giving the counts', async () => {
      const outcome = await check({ signal: new AbortController().signal });
      expect(isBullmqQueue(queue)).toBe(true);
      // The queue the user holds, typed as BullMQ types it, is what `.run` takes.
      expect((await bullmq.run(queue, { maxWaiting: 0 })).passed).toBe(true);
      expect(outcome).toEqual({
        passed: true,
        output: expect.stringMatching(
          /^BullMQ queue "[\w-]+": 0 waiting, 0 active, 0 delayed, 0 failed \(read in \d+\.\d ms\)$/,
        ),
        observedValue: expect.any(Number),
        observedUnit: 'ms',
      });
    });

    it('fails when more jobs wait than maxWaiting allows, and passes once they are gone', async () => {
      await queue.addBulk(
        ['a', 'b', 'c'].map((name) => ({ name, data: { to: name } })),
      );
      const over = await runWithTimeout(check, ANSWER_MS);
      expect(over).toMatchObject({
        passed: false,
        output: expect.stringMatching(
          /^BullMQ queue "[\w-]+": 3 waiting, 0 active, 0 delayed, 0 failed \(read in \d+\.\d ms\), expected at most 2 waiting \(option "maxWaiting"\)$/,
        ),
      });
      await queue.drain();
      expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    });

    it('with requireWorkers, fails while no worker runs and passes while one does', async () => {
      const withWorkers = buildCheck(
        bullmq('emails', { queue, requireWorkers: true, maxFailed: 0 }),
      );
      const none = await runWithTimeout(withWorkers, ANSWER_MS);
      expect(none).toMatchObject({
        passed: false,
        output: expect.stringMatching(
          /, 0 workers \(read in \d+\.\d ms\), expected at least one worker connected \(option "requireWorkers"\)$/,
        ),
      });
      const worker = new Worker(
        queueName,
        async () => {
          throw new Error('refused');
        },
        { connection: { host: '127.0.0.1', port: server.port } },
      );
      worker.on('error', () => undefined);
      expect(isBullmqQueue(worker)).toBe(false);
      try {
        await worker.waitUntilReady();
        const one = await runUntil(withWorkers, (outcome) =>
          String(outcome.output).includes('1 worker'),
        );
        expect(one.passed).toBe(true);
        await queue.add('bounce', {}, { attempts: 1 });
        const failed = await runUntil(
          withWorkers,
          (outcome) => !outcome.passed,
        );
        expect(failed.output).toMatch(
          /0 waiting, 0 active, 0 delayed, 1 failed, 1 worker \(read in \d+\.\d ms\), expected at most 0 failed \(option "maxFailed"\)$/,
        );
      } finally {
        await worker.close();
        await queue.clean(0, 100, 'failed');
      }
    });

    it('leaves no connection and no key behind after 1,000 runs', async () => {
      const connectionsBefore = await connections(server);
      const keysBefore = await keys(server);
      await runManyTimes(check, {
        timeoutMs: ANSWER_MS,
        label: `bullmq (${kind})`,
      });
      expect(await connections(server)).toHaveLength(connectionsBefore.length);
      expect(await keys(server)).toEqual(keysBefore);
    });

    it('fails at the time-out while Redis hangs, and the queue works after SIGCONT', async () => {
      const connectionsBefore = await connections(server);
      await expectTimeoutsWhileFrozen(check, server);
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      const job = await queue.add('after-hang', {});
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
      await job.remove();
      expect(await connections(server)).toHaveLength(connectionsBefore.length);
    });

    it('fails with a clear output when Redis stops, and passes again with the same queue when it is back', async () => {
      expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
      await server.stop();
      const down = await runUntil(check, (outcome) => !outcome.passed, 2_000);
      expect(String(down.output)).toMatch(
        new RegExp(
          `^getJobCounts against BullMQ queue "[\\w-]+" on redis at 127\\.0\\.0\\.1:${server.port} failed: .+|^timed out after 2000 ms$`,
        ),
      );
      process.stdout.write(`bullmq (${kind}) while down: ${down.output}\n`);
      await server.start();
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      const job = await queue.add('back', {});
      await job.remove();
    });
  },
);
