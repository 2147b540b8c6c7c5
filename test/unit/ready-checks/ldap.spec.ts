import { jest } from '@jest/globals';
import { Client, InvalidCredentialsError, NoSuchObjectError } from 'ldapts';
import {
  checkOptionsNotObject,
  invalidCheckOption,
  ldapBindOptionsPair,
  ldapMessageWithheld,
  ldapResultCode,
  ldapRootDseDetails,
  readyCheckMissingOption,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import { checks } from '../../../lib/ready-checks/checks.js';
import { directoryChecks } from '../../../lib/ready-checks/directory/index.js';
import {
  checkLdap,
  ldap,
} from '../../../lib/ready-checks/directory/ldap.check.js';
import {
  describeLdapError,
  isLdapClient,
  ldapTarget,
  type LdapClientLike,
  type LdapSearchResultLike,
} from '../../../lib/ready-checks/directory/ldap-client.js';
import { describeValue } from '../../../lib/serialization/describe-value.js';
import type { DependencyResolver } from '../../../lib/ready-checks/health-check.definition.js';
import { closedPort, passThrough } from '../../support/ready-check.helpers.js';

const EXPECTED = 'an ldapts Client';
const URL = 'ldap://10.0.0.5:389';

/** A real ldapts Client (never connected) whose search and bind are replaced. */
function fakeClient(
  search: () => Promise<LdapSearchResultLike>,
  bind: () => Promise<void> = async () => undefined,
): Client & { search: jest.Mock; bind: jest.Mock; unbind: jest.Mock } {
  const client = new Client({ url: URL });
  return Object.assign(client, {
    search: jest.fn(search),
    bind: jest.fn(bind),
    unbind: jest.fn(async () => undefined),
  });
}

describe('ldap client detection', () => {
  it('accepts an ldapts Client and refuses tokens and look-alikes', () => {
    expect(isLdapClient(new Client({ url: URL }))).toBe(true);
    for (const value of [
      'LDAP',
      Symbol('LDAP'),
      class Ldap {},
      null,
      { search: () => undefined, bind: () => undefined },
    ]) {
      expect(isLdapClient(value)).toBe(false);
    }
  });

  it('names the server from the URL the client was built with', () => {
    expect(ldapTarget(new Client({ url: 'ldap://127.0.0.1:1389' }))).toBe(
      'ldap at 127.0.0.1:1389',
    );
    expect(ldapTarget(new Client({ url: 'ldaps://dir.internal' }))).toBe(
      'ldaps at dir.internal:636',
    );
    expect(ldapTarget(new Client({ url: 'ldap://dir.internal' }))).toBe(
      'ldap at dir.internal:389',
    );
  });

  it('puts result code errors into words, the diagnostic message kept', () => {
    expect(describeLdapError(new InvalidCredentialsError(''))).toBe(
      ldapResultCode('invalid credentials', 49, ''),
    );
    expect(describeLdapError(new NoSuchObjectError('no such base'))).toBe(
      'the server answered no such object (LDAP result code 32): no such base',
    );
    expect(describeLdapError(new Error('connect ECONNREFUSED'))).toBe(
      'connect ECONNREFUSED',
    );
  });
});

describe('checks.ldap options', () => {
  it('is the ldap entry of the family and of the checks namespace', () => {
    expect(directoryChecks).toEqual({ ldap });
    expect(checks.ldap).toBe(ldap);
    expect(ldap.run).toBe(checkLdap);
  });

  it('hands the client option, instance or token, to the resolver at bootstrap', () => {
    const resolve = jest.fn(() => new Client({ url: URL }));
    const definition = ldap('directory', {
      client: 'LDAP',
      bindDN: 'cn=app,dc=example,dc=com',
      password: 'pw',
      timeout: 500,
      tags: ['readiness'],
    });
    expect(definition).toMatchObject({
      name: 'directory',
      source: "checks.ldap('directory')",
      options: { timeout: 500, tags: ['readiness'] },
    });
    definition.build(resolve as unknown as DependencyResolver);
    expect(resolve).toHaveBeenCalledWith(
      'client',
      'LDAP',
      isLdapClient,
      EXPECTED,
    );
  });

  it('throws at bootstrap without a client', () => {
    expect(() => ldap('d', {} as never).build(passThrough)).toThrow(
      readyCheckMissingOption('ldap', 'client', EXPECTED),
    );
  });

  it('refuses at once an option it does not take, or options that are not an object', () => {
    expect(() => ldap('d', { client: {}, bindDn: 'cn=x' } as never)).toThrow(
      unknownCheckOption("checks.ldap('d')", 'bindDn', [
        'client',
        'bindDN',
        'password',
      ]),
    );
    expect(() => ldap('d', null as never)).toThrow(
      checkOptionsNotObject("checks.ldap('d')", 'null'),
    );
  });

  it('refuses an empty bindDN, and a password that is not a string without repeating it', () => {
    expect(() =>
      ldap('d', { client: {}, bindDN: ' ', password: 'pw' }),
    ).toThrow(
      invalidCheckOption(
        "checks.ldap('d')",
        'bindDN',
        'a non-empty string (a DN)',
        describeValue(' '),
      ),
    );
    let message = '';
    try {
      ldap('d', { client: {}, bindDN: 'cn=x', password: 987654 as never });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      invalidCheckOption(
        "checks.ldap('d')",
        'password',
        'a string',
        'a value of type number',
      ),
    );
    expect(message).not.toContain('987654');
  });

  it('takes bindDN and password together only', () => {
    expect(() => ldap('d', { client: {}, bindDN: 'cn=x' })).toThrow(
      ldapBindOptionsPair("checks.ldap('d')", 'bindDN'),
    );
    expect(() => ldap('d', { client: {}, password: 'pw' })).toThrow(
      ldapBindOptionsPair("checks.ldap('d')", 'password'),
    );
  });
});

describe('checkLdap outcomes (an ldapts Client with search and bind replaced)', () => {
  it('searches the root DSE at base scope for the supported versions, and names them', async () => {
    const client = fakeClient(async () => ({
      searchEntries: [{ dn: '', supportedLDAPVersion: ['2', '3'] }],
    }));
    expect(await checkLdap(client)).toEqual({
      passed: true,
      output: expect.stringMatching(
        /^root DSE search answered in \d+\.\d ms: LDAP version 2, 3$/,
      ),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
    expect(client.search).toHaveBeenCalledWith('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['supportedLDAPVersion'],
    });
    expect(client.bind).not.toHaveBeenCalled();
  });

  it('passes and says so when the root DSE entry is hidden from the connection', async () => {
    const client = fakeClient(async () => ({ searchEntries: [] }));
    const outcome = await checkLdap(client);
    expect(outcome.passed).toBe(true);
    expect(outcome.output.endsWith(`: ${ldapRootDseDetails('')}`)).toBe(true);
  });

  it('binds with the given account, sends nothing else and never unbinds', async () => {
    const client = fakeClient(async () => ({ searchEntries: [] }));
    const outcome = await checkLdap(client, {
      bindDN: 'cn=app,dc=example,dc=com',
      password: 'hunter22',
    });
    expect(outcome.output).toMatch(
      /^bind as cn=app,dc=example,dc=com answered in \d+\.\d ms$/,
    );
    expect(client.bind).toHaveBeenCalledWith(
      'cn=app,dc=example,dc=com',
      'hunter22',
    );
    expect(client.search).not.toHaveBeenCalled();
    expect(client.unbind).not.toHaveBeenCalled();
  });

  it('fails with the result in words, naming the account and the server', async () => {
    const client = fakeClient(
      async () => ({ searchEntries: [] }),
      () => Promise.reject(new InvalidCredentialsError('')),
    );
    expect(
      await checkLdap(client, { bindDN: 'cn=app', password: 'hunter22' }),
    ).toEqual({
      passed: false,
      output: `bind as cn=app against ldap at 10.0.0.5:389 failed: ${ldapResultCode('invalid credentials', 49, '')}`,
    });
  });

  it('never shows the password, even when an error echoes it', async () => {
    const client = fakeClient(
      async () => ({ searchEntries: [] }),
      () => Promise.reject(new Error('proxy refused cn=app/hunter22')),
    );
    const outcome = await checkLdap(client, {
      bindDN: 'cn=app',
      password: 'hunter22',
    });
    expect(outcome).toEqual({
      passed: false,
      output:
        'bind as cn=app against ldap at 10.0.0.5:389 failed: proxy refused cn=app/***',
    });
  });

  it('keeps its own words whole with a short password, and withholds a server message that would give it away', async () => {
    const client = fakeClient(
      async () => ({ searchEntries: [] }),
      () =>
        Promise.reject(
          new InvalidCredentialsError('password e rejected for cn=example'),
        ),
    );
    const outcome = await checkLdap(client, {
      bindDN: 'cn=admin,dc=example,dc=com',
      password: 'e',
    });
    expect(outcome).toEqual({
      passed: false,
      output: `bind as cn=admin,dc=example,dc=com against ldap at 10.0.0.5:389 failed: ${ldapResultCode('invalid credentials', 49, ldapMessageWithheld)}`,
    });
  });

  it('fails when the signal aborts, and the next run waits for the unanswered search instead of adding one', async () => {
    let answer: (value: LdapSearchResultLike) => void = () => undefined;
    const client = fakeClient(
      () => new Promise((resolve) => (answer = resolve)),
    );

    const first = new AbortController();
    const run = checkLdap(client, { signal: first.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    first.abort(new Error('timed out after 50 ms'));
    expect(await run).toEqual({
      passed: false,
      output:
        'root DSE search against ldap at 10.0.0.5:389 failed: timed out after 50 ms',
    });

    const second = new AbortController();
    const next = checkLdap(client, { signal: second.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    second.abort(new Error('timed out after 10 ms'));
    expect((await next).output).toMatch(
      /failed: timed out after 10 ms; the root DSE search sent \d+\.\d s earlier on the same client has not been answered yet$/,
    );
    expect(client.search).toHaveBeenCalledTimes(1);

    answer({ searchEntries: [{ supportedLDAPVersion: '3' }] });
    client.search.mockImplementation(async () => ({ searchEntries: [] }));
    expect((await checkLdap(client)).passed).toBe(true);
  });

  it('names the probe still unanswered on a client two checks share, not the one that waited for it', async () => {
    const client = fakeClient(() => new Promise(() => undefined));
    const search = checkLdap(client, {
      signal: AbortSignal.timeout(5),
    });
    expect((await search).passed).toBe(false);
    const bind = await checkLdap(client, {
      bindDN: 'cn=app',
      password: 'hunter22',
      signal: AbortSignal.timeout(5),
    });
    expect(bind.output).toMatch(
      /^bind as cn=app against ldap at 10\.0\.0\.5:389 failed: .*; the root DSE search sent \d+\.\d s earlier on the same client has not been answered yet$/,
    );
    expect(client.bind).not.toHaveBeenCalled();
  });

  it('fails at once for a signal that is already aborted, sending nothing', async () => {
    const client = fakeClient(async () => ({ searchEntries: [] }));
    const outcome = await checkLdap(client, {
      signal: AbortSignal.abort(new Error('shutting down')),
    });
    expect(outcome).toEqual({
      passed: false,
      output:
        'root DSE search against ldap at 10.0.0.5:389 failed: shutting down',
    });
    expect(client.search).not.toHaveBeenCalled();
  });
});

describe('checkLdap against a closed port (a real client)', () => {
  it('fails with the connection error, naming the server', async () => {
    const port = await closedPort();
    const client = new Client({ url: `ldap://127.0.0.1:${port}` });
    expect(
      await checkLdap(client as LdapClientLike, {
        signal: AbortSignal.timeout(20_000),
      }),
    ).toEqual({
      passed: false,
      output: `root DSE search against ldap at 127.0.0.1:${port} failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });
});
