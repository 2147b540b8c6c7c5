import {
  invalidCheckOption,
  ldapBindOptionsPair,
  ldapRootDseDetails,
} from '../../healthcheck.messages.js';
import type { CommonCheckOptions } from '../health-check.definition.js';
import { clientOption } from '../shared/client-option.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import {
  isNonEmptyString,
  OwnOptions,
} from '../shared/own-options.validator.js';
import { readyCheck } from '../shared/ready-check.js';
import type { ReadyCheckOutcome } from '../shared/ready-check.outcome.js';
import { timedRoundTrip, type RoundTripOptions } from '../shared/round-trip.js';
import {
  describeLdapError,
  isLdapClient,
  LDAP_CLIENT_EXPECTED,
  ldapTarget,
  type LdapClientLike,
} from './ldap-client.js';

const ROOT_DSE_SEARCH = 'root DSE search';
const VERSION_ATTRIBUTE = 'supportedLDAPVersion';

/** Options of `checks.ldap`. */
export interface LdapCheckOptions {
  /** An ldapts `Client`, or its DI token. */
  client: unknown;
  /**
   * The DN the client itself binds as: the check then binds with it instead of searching the root DSE. A bind
   * sets the identity of the client's connection, so give the account your application uses, never another.
   */
  bindDN?: string;
  /** The password of `bindDN`; it appears in no output. */
  password?: string;
}

/** What `checkLdap` takes besides the client. */
export interface LdapRunOptions extends RoundTripOptions {
  bindDN?: string;
  password?: string;
}

/**
 * One LDAP round trip on the user's client: a base-scope search of the root DSE (reads `supportedLDAPVersion`,
 * nothing written), or, with `bindDN` and `password`, a simple bind as that account, which proves the account
 * is still accepted. No unbind follows: ldapts closes the connection on unbind, and the application's next
 * operation would reconnect unauthenticated. ldapts cannot cancel a request, so one abandoned at a time-out
 * is answered once the server wakes; until then the next run waits for it rather than adding another.
 */
export function checkLdap(
  client: LdapClientLike,
  { signal, bindDN, password }: LdapRunOptions = {},
): Promise<ReadyCheckOutcome> {
  if (bindDN !== undefined) {
    const what = `bind as ${bindDN}`;
    return timedRoundTrip(
      what,
      () => ldapTarget(client),
      signal,
      () =>
        detachedProbe(client, what, signal, () =>
          client.bind(bindDN, password).catch((error: unknown) => {
            throw new Error(describeLdapError(error, password), {
              cause: error,
            });
          }),
        ),
    );
  }
  let details = '';
  return timedRoundTrip(
    ROOT_DSE_SEARCH,
    () => ldapTarget(client),
    signal,
    async () => {
      const result = await detachedProbe(client, ROOT_DSE_SEARCH, signal, () =>
        client
          .search('', {
            scope: 'base',
            filter: '(objectClass=*)',
            attributes: [VERSION_ATTRIBUTE],
          })
          .catch(rethrowDescribed),
      );
      details = ldapRootDseDetails(supportedVersions(result.searchEntries));
    },
  ).then((outcome) =>
    outcome.passed
      ? { ...outcome, output: `${outcome.output}: ${details}` }
      : outcome,
  );
}

function rethrowDescribed(error: unknown): never {
  throw new Error(describeLdapError(error), { cause: error });
}

function supportedVersions(
  entries: ReadonlyArray<Record<string, unknown>> | undefined,
): string {
  const value = entries?.[0]?.[VERSION_ATTRIBUTE];
  const versions = (Array.isArray(value) ? value : [value])
    .filter((version) => version !== undefined && version !== null)
    .map(String);
  return versions.join(', ');
}

function validate(options: OwnOptions, password: unknown): void {
  options.check('bindDN', 'a non-empty string (a DN)', isNonEmptyString);
  if (password !== undefined && typeof password !== 'string') {
    // The usual message repeats the value given: not for a password.
    throw new Error(
      invalidCheckOption(
        options.where,
        'password',
        'a string',
        `a value of type ${password === null ? 'null' : typeof password}`,
      ),
    );
  }
  const given = ['bindDN', 'password'].filter((key) => options.has(key));
  if (given.length === 1) {
    throw new Error(ldapBindOptionsPair(options.where, given[0]));
  }
}

const build = readyCheck<LdapCheckOptions>(
  'ldap',
  ['client', 'bindDN', 'password'],
  (own, resolve) => {
    const client = resolve(
      'client',
      clientOption('ldap', own, 'client', LDAP_CLIENT_EXPECTED),
      isLdapClient,
      LDAP_CLIENT_EXPECTED,
    );
    const { bindDN, password } = own;
    return ({ signal }) => checkLdap(client, { signal, bindDN, password });
  },
);

/**
 * `checks.ldap(name, { client, bindDN?, password? })`: a root DSE search, or a bind as the application's
 * account, through an ldapts Client.
 */
export const ldap = Object.assign(
  (name: string, options: LdapCheckOptions & CommonCheckOptions) => {
    const given = new OwnOptions('ldap', name, options);
    const definition = build(name, options);
    validate(given, options.password);
    return definition;
  },
  { run: checkLdap },
);
