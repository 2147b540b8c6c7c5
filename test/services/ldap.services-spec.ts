import { jest } from '@jest/globals';
import { Client } from 'ldapts';
import { ldap } from '../../lib/ready-checks/directory/ldap.check.js';
import { buildCheck, runUntil, runWithTimeout } from './broker-servers.js';
import { expectTimeoutsWhileFrozen, runManyTimes } from './ready-check-runs.js';
import { SLAPD_ROOT, startSlapd, type OwnServer } from './etcd-ldap-servers.js';

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;
const BASE = 'dc=example,dc=com';
const WHO_AM_I = '1.3.6.1.4.1.4203.1.11.3';

let server: OwnServer;

/** The user's client, bound as the directory's admin the way an application binds its service account. */
async function userClient(): Promise<Client> {
  const client = new Client({
    url: `ldap://127.0.0.1:${server.port}`,
    autoRebind: true,
  });
  await client.bind(SLAPD_ROOT.dn, SLAPD_ROOT.password);
  return client;
}

/** Who the server thinks the connection is (RFC 4532), e.g. `dn:cn=admin,dc=example,dc=com`. */
async function whoAmI(client: Client): Promise<string | undefined> {
  const { value } = await client.exop(WHO_AM_I);
  return value === undefined ? undefined : String(value);
}

/** A read of the user's own, on the same client the check uses. */
async function baseEntries(client: Client): Promise<number> {
  const { searchEntries } = await client.search(BASE, { scope: 'base' });
  return searchEntries.length;
}

beforeAll(async () => {
  server = await startSlapd();
  const admin = await userClient();
  await admin.add(BASE, {
    objectClass: ['dcObject', 'organization'],
    dc: 'example',
    o: 'Example',
  });
  await admin.unbind();
});

afterAll(async () => {
  await server?.dispose();
});

const modes: Array<
  [string, { bindDN?: string; password?: string }, RegExp, string]
> = [
  [
    'a root DSE search',
    {},
    /^root DSE search answered in \d+\.\d ms: LDAP version 3$/,
    'root DSE search',
  ],
  [
    'a bind as the account the client uses',
    { bindDN: SLAPD_ROOT.dn, password: SLAPD_ROOT.password },
    /^bind as cn=admin,dc=example,dc=com answered in \d+\.\d ms$/,
    'bind as cn=admin,dc=example,dc=com',
  ],
];

describe.each(modes)(
  'checks.ldap with ldapts against slapd: %s',
  (_mode, options, answered, what) => {
    let client: Client;
    let check: ReturnType<typeof buildCheck>;

    beforeAll(async () => {
      client = await userClient();
      check = buildCheck(ldap('directory', { client, ...options }));
    });

    afterAll(async () => {
      await client?.unbind().catch(() => undefined);
    });

    it('passes while the server is up, with the round trip in ms', async () => {
      const outcome = await check({ signal: new AbortController().signal });
      expect(outcome).toEqual({
        passed: true,
        output: expect.stringMatching(answered),
        observedValue: expect.any(Number),
        observedUnit: 'ms',
      });
      expect(await whoAmI(client)).toBe(`dn:${SLAPD_ROOT.dn}`);
    });

    it('leaves no extra connection and the identity of the connection unchanged after 1,000 runs', async () => {
      const before = await server.connections();
      expect(before).toBe(1);
      await runManyTimes(check, {
        timeoutMs: ANSWER_MS,
        label: `ldapts ${what}`,
        perRun: true,
      });
      expect(await server.connections()).toBe(before);
      expect(await whoAmI(client)).toBe(`dn:${SLAPD_ROOT.dn}`);
    });

    it('fails at the time-out while the server hangs, and the client works after SIGCONT', async () => {
      await expectTimeoutsWhileFrozen(check, server, { runs: 3 });
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      await expect(baseEntries(client)).resolves.toBe(1);
      expect(await whoAmI(client)).toBe(`dn:${SLAPD_ROOT.dn}`);
      expect(await server.connections()).toBe(1);
    });

    it('fails with a clear output when the server is killed, and passes again with the same client when it is back', async () => {
      expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
      await server.stop();
      const down = await runUntil(check, (outcome) => !outcome.passed);
      expect(String(down.output)).toMatch(
        new RegExp(
          `^${what} against ldap at 127\\.0\\.0\\.1:${server.port} failed: .+`,
        ),
      );
      process.stdout.write(`ldap down: ${String(down.output)}\n`);
      await server.start();
      expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
        passed: true,
      });
      await expect(baseEntries(client)).resolves.toBe(1);
      expect(await whoAmI(client)).toBe(`dn:${SLAPD_ROOT.dn}`);
      expect(await server.connections()).toBe(1);
    });
  },
);

describe('checks.ldap with a wrong password against slapd', () => {
  it('fails naming the account and the server, never the password', async () => {
    const client = new Client({ url: `ldap://127.0.0.1:${server.port}` });
    const wrong = 'not-the-secret-4711';
    const check = buildCheck(
      ldap('directory', { client, bindDN: SLAPD_ROOT.dn, password: wrong }),
    );
    const outcome = await runWithTimeout(check, ANSWER_MS);
    expect(outcome.passed).toBe(false);
    expect(String(outcome.output)).toMatch(
      new RegExp(
        `^bind as cn=admin,dc=example,dc=com against ldap at 127\\.0\\.0\\.1:${server.port} failed: ` +
          `the server answered invalid credentials \\(LDAP result code 49\\)`,
      ),
    );
    expect(String(outcome.output)).not.toContain(wrong);
    process.stdout.write(`ldap wrong password: ${String(outcome.output)}\n`);
    await client.unbind();
  });
});
