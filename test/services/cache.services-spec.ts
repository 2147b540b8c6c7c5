import { jest } from '@jest/globals';
import memjs from 'memjs';
import { isMemjsClient } from '../../lib/ready-checks/cache/memcached-client.js';
import { memcached } from '../../lib/ready-checks/cache/memcached.check.js';
import {
  buildCheck,
  runUntil,
  runWithTimeout,
  startMemcached,
} from './broker-servers.js';
import { expectTimeoutsWhileFrozen, runManyTimes } from './ready-check-runs.js';

type Server = Awaited<ReturnType<typeof startMemcached>>;

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

/** A memjs client as a user makes one, its failures kept off the console. */
function userClient(port: number): memjs.Client {
  return memjs.Client.create(`127.0.0.1:${port}`, {
    retries: 1,
    logger: { log: () => undefined },
  });
}

let server: Server;
let client: memjs.Client;
let check: ReturnType<typeof buildCheck>;

beforeAll(async () => {
  server = await startMemcached();
  client = userClient(server.port);
  check = buildCheck(memcached('cache', { client }));
});

afterAll(async () => {
  client?.close();
  await server?.dispose();
});

describe('checks.memcached with memjs against memcached', () => {
  it('passes while the server answers VERSION, with the round trip in ms', async () => {
    expect(isMemjsClient(client)).toBe(true);
    const outcome = await check({ signal: new AbortController().signal });
    expect(outcome).toEqual({
      passed: true,
      output: expect.stringMatching(/^VERSION answered in \d+\.\d ms$/),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
  });

  it('writes nothing, reads no key, and leaves no connection behind after 1,000 runs', async () => {
    await client.set('user-key', 'kept', {});
    const before = await server.stats();
    await runManyTimes(check, {
      timeoutMs: ANSWER_MS,
      label: 'memcached (memjs)',
    });
    const after = await server.stats();
    for (const stat of [
      'curr_connections',
      'curr_items',
      'cmd_get',
      'cmd_set',
      'cmd_touch',
      'get_misses',
    ]) {
      expect([stat, after[stat]]).toEqual([stat, before[stat]]);
    }
    expect((await client.get('user-key')).value?.toString()).toBe('kept');
  });

  it('fails at the time-out while the server hangs, and the client works after SIGCONT', async () => {
    const connectionsBefore = (await server.stats()).curr_connections;
    await expectTimeoutsWhileFrozen(check, server);
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
    await client.set('user-key', 'after-hang', {});
    expect((await client.get('user-key')).value?.toString()).toBe('after-hang');
    // memjs itself keeps a connection it timed out open (its own get does the same against a frozen server): the
    // check adds none of its own, so further runs leave the count where memjs left it.
    const afterHang = (await server.stats()).curr_connections;
    for (let i = 0; i < 100; i += 1) {
      expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    }
    expect((await server.stats()).curr_connections).toBe(afterHang);
    process.stdout.write(
      `memcached (memjs) connections before and after the hang: ${connectionsBefore}, ${afterHang}\n`,
    );
  });

  it('fails with a clear output when the server stops, and passes again with the same client when it is back', async () => {
    expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    await server.stop();
    const down = await runUntil(check, (outcome) => !outcome.passed);
    expect(down.output).toMatch(
      new RegExp(
        `^VERSION against memcached at 127\\.0\\.0\\.1:${server.port} failed: (connect ECONNREFUSED|read ECONNRESET|.*timed out)`,
      ),
    );
    process.stdout.write(`memcached (memjs) while down: ${down.output}\n`);
    await server.start();
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
    await client.set('user-key', 'back', {});
    expect((await client.get('user-key')).value?.toString()).toBe('back');
  });

  it('asks every server of a client with two, and names the one that is down', async () => {
    const other = await startMemcached();
    const both = memjs.Client.create(
      `127.0.0.1:${server.port},127.0.0.1:${other.port}`,
      { retries: 1, logger: { log: () => undefined } },
    );
    const twoServers = buildCheck(memcached('cache', { client: both }));
    try {
      expect((await runWithTimeout(twoServers, ANSWER_MS)).passed).toBe(true);
      await other.stop();
      const down = await runUntil(twoServers, (outcome) => !outcome.passed);
      expect(down.output).toMatch(
        new RegExp(
          `^VERSION against memcached at 127\\.0\\.0\\.1:${server.port}, 127\\.0\\.0\\.1:${other.port} failed: .*${other.port}`,
        ),
      );
    } finally {
      both.close();
      await other.dispose();
    }
  });
});
