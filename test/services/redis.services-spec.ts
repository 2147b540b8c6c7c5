import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { redis } from '../../lib/ready-checks/redis/redis.check.js';
import {
  buildCheck,
  runUntil,
  runWithTimeout,
  startRedis,
} from './broker-servers.js';
import { expectTimeoutsWhileFrozen, runManyTimes } from './ready-check-runs.js';
import { waitFor } from './service-utils.js';

type Server = Awaited<ReturnType<typeof startRedis>>;

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

/** The user's client as the check sees it, plus a command of the user's own and a way to close it. */
interface UserClient {
  client: unknown;
  setAndGet(value: string): Promise<unknown>;
  quit(): Promise<unknown>;
}

const clients: Array<[string, (port: number) => Promise<UserClient>]> = [
  [
    'ioredis',
    async (port) => {
      const client = new Redis({ host: '127.0.0.1', port });
      client.on('error', () => undefined);
      await waitFor('ioredis ready', () => client.status === 'ready');
      return {
        client,
        setAndGet: async (value) => {
          await client.set('user-key', value);
          return client.get('user-key');
        },
        quit: () => client.quit(),
      };
    },
  ],
  [
    'node-redis',
    async (port) => {
      const client = createClient({ socket: { host: '127.0.0.1', port } });
      client.on('error', () => undefined);
      await client.connect();
      return {
        client,
        setAndGet: async (value) => {
          await client.set('user-key', value);
          return client.get('user-key');
        },
        quit: () => client.quit(),
      };
    },
  ],
];

/** Connections the server holds, except the redis-cli that asks. */
async function connections(server: Server): Promise<string[]> {
  const list = await server.cli(['CLIENT', 'LIST']);
  return list
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('cmd=client|list'));
}

let server: Server;

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server?.dispose();
});

describe.each(clients)(
  'checks.redis with %s against redis-server',
  (kind, connect) => {
    let user: UserClient;
    let check: ReturnType<typeof buildCheck>;

    beforeAll(async () => {
      user = await connect(server.port);
      check = buildCheck(redis('cache', { client: user.client }));
    });

    afterAll(async () => {
      await user?.quit().catch(() => undefined);
    });

    it('passes while the server is up, with the round trip in ms', async () => {
      const outcome = await check({ signal: new AbortController().signal });
      expect(outcome).toEqual({
        passed: true,
        output: expect.stringMatching(/^PING answered in \d+\.\d ms$/),
        observedValue: expect.any(Number),
        observedUnit: 'ms',
      });
    });

    it('leaves no extra connection behind after 1,000 runs', async () => {
      const before = await connections(server);
      expect(before).toHaveLength(1);
      await runManyTimes(check, { timeoutMs: ANSWER_MS, label: kind });
      expect(await connections(server)).toHaveLength(1);
    });

    it('fails at the time-out while the server hangs, and the client works after SIGCONT', async () => {
      await expectTimeoutsWhileFrozen(check, server);
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      await expect(user.setAndGet(`after-${kind}`)).resolves.toBe(
        `after-${kind}`,
      );
      expect(await connections(server)).toHaveLength(1);
    });

    it('fails with a clear output when the server stops right after a passing run, and passes again when it is back', async () => {
      expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
      await server.stop();
      // At once: the client may not have seen its socket close yet.
      const atOnce = await runWithTimeout(check, ANSWER_MS);
      expect(atOnce.passed).toBe(false);
      expect(String(atOnce.output)).toMatch(
        new RegExp(
          `^(PING against redis at 127\\.0\\.0\\.1:${server.port} failed: .+|timed out after ${ANSWER_MS} ms)$`,
        ),
      );
      const down = await runUntil(check, (outcome) => !outcome.passed);
      expect(down.output).toEqual(
        expect.stringMatching(
          new RegExp(
            `^PING against redis at 127\\.0\\.0\\.1:${server.port} failed: ` +
              `(not sent: the ${kind} client is (not ready \\(connecting or )?reconnecting|.*ECONNREFUSED|Connection is closed|Socket closed)`,
          ),
        ),
      );
      await server.start();
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      await expect(user.setAndGet('back')).resolves.toBe('back');
      expect(await connections(server)).toHaveLength(1);
    });
  },
);
