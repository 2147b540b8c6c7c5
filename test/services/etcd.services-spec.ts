import { jest } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import { etcd } from '../../lib/ready-checks/coordination/etcd.check.js';
import { buildCheck, runUntil, runWithTimeout } from './broker-servers.js';
import { expectTimeoutsWhileFrozen, runManyTimes } from './ready-check-runs.js';
import { startEtcd, type OwnServer } from './etcd-ldap-servers.js';

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

let server: OwnServer;
let client: Etcd3;
let check: ReturnType<typeof buildCheck>;

/** A write and a read of the user's own, on the same client the check uses. */
async function putAndGet(value: string): Promise<string | null> {
  await client.put('user-key').value(value);
  return client.get('user-key').string();
}

/** The store's revision: any write (a key, a lease) made by a run would move it. */
async function revision(): Promise<string> {
  return (await client.maintenance.status()).header.revision;
}

beforeAll(async () => {
  server = await startEtcd();
  client = new Etcd3({ hosts: `http://127.0.0.1:${server.port}` });
  await putAndGet('first');
  check = buildCheck(etcd('coordination', { client }));
});

afterAll(async () => {
  client?.close();
  await server?.dispose();
});

describe('checks.etcd with etcd3 against etcd-server', () => {
  it('passes while the server is up, naming the version, the leader and the database size', async () => {
    const outcome = await check({ signal: new AbortController().signal });
    expect(outcome).toEqual({
      passed: true,
      output: expect.stringMatching(
        /^status answered in \d+\.\d ms: etcd 3\.\d+\.\d+, leader [0-9a-f]+, database \d+(\.\d)? (bytes|KiB|MiB)$/,
      ),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
  });

  it('leaves no extra connection and writes nothing after 1,000 runs', async () => {
    const connectionsBefore = await server.connections();
    expect(connectionsBefore).toBeGreaterThanOrEqual(1);
    const revisionBefore = await revision();
    await runManyTimes(check, {
      timeoutMs: ANSWER_MS,
      label: 'etcd3',
      perRun: true,
    });
    expect(await server.connections()).toBe(connectionsBefore);
    expect(await revision()).toBe(revisionBefore);
  });

  it('fails at the time-out while the server hangs, and the client works after SIGCONT', async () => {
    const connectionsBefore = await server.connections();
    await expectTimeoutsWhileFrozen(check, server, { runs: 3 });
    // The cancelled calls were no fault to etcd3: its circuit breaker stayed closed, so the very next run passes.
    expect(await runWithTimeout(check, ANSWER_MS)).toMatchObject({
      passed: true,
    });
    await expect(putAndGet('after-hang')).resolves.toBe('after-hang');
    expect(await server.connections()).toBe(connectionsBefore);
  });

  it('fails with a clear output when the server is killed, and passes again with the same client when it is back', async () => {
    expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    await server.stop();
    const down = await runUntil(check, (outcome) => !outcome.passed);
    expect(down.output).toEqual(
      expect.stringMatching(
        new RegExp(
          `^status against etcd at 127\\.0\\.0\\.1:${server.port} failed: .+`,
        ),
      ),
    );
    process.stdout.write(`etcd down: ${String(down.output)}\n`);
    await server.start();
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
    await expect(putAndGet('back')).resolves.toBe('back');
  });
});
