import {
  ldapMessageWithheld,
  ldapResultCode,
} from '../../healthcheck.messages.js';
import { describeClientError } from '../shared/describe-client-error.js';
import { describeTarget } from '../shared/describe-target.js';
import { hasMethods } from '../shared/has-methods.js';

/** What an ldapts search resolves with, as far as the check reads it. */
export interface LdapSearchResultLike {
  searchEntries?: ReadonlyArray<Record<string, unknown>>;
}

/** The parts of an ldapts `Client` the check uses. */
export interface LdapClientLike {
  search(
    baseDN: string,
    options?: { scope?: 'base'; filter?: string; attributes?: string[] },
  ): Promise<LdapSearchResultLike>;
  bind(dn: string, password?: string): Promise<void>;
  unbind(): Promise<void>;
  compare(...args: never[]): Promise<boolean>;
  exop(...args: never[]): Promise<unknown>;
  readonly isConnected: boolean;
}

/** What the LDAP check accepts, for messages. */
export const LDAP_CLIENT_EXPECTED = 'an ldapts Client';

/** Whether `value` looks like an ldapts `Client`. */
export function isLdapClient(value: unknown): value is LdapClientLike {
  return (
    hasMethods(value, ['search', 'bind', 'unbind', 'compare', 'exop']) &&
    typeof (value as { isConnected?: unknown }).isConnected === 'boolean'
  );
}

/** `ldap at 127.0.0.1:389` or `ldaps at …`, from the URL the client was built with (host and port only). */
export function ldapTarget(client: LdapClientLike): string {
  const url = (client as { clientOptions?: { url?: unknown } }).clientOptions
    ?.url;
  const scheme =
    typeof url === 'string' && /^ldaps:/i.test(url) ? 'ldaps' : 'ldap';
  const { host, port } = client as { host?: unknown; port?: unknown };
  return describeTarget(scheme, host === undefined ? { url } : { host, port });
}

/**
 * An ldapts rejection as one line. A result code error carries the server's diagnostic message, often empty
 * (`" Code: 0x31"`), so its class name is put into words: `the server answered invalid credentials (LDAP
 * result code 49)`. What the server or the client said never shows `password` (see `withoutSecret`).
 */
export function describeLdapError(error: unknown, password?: string): string {
  const { name, code, message } = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (
    typeof code !== 'number' ||
    typeof name !== 'string' ||
    !/^[A-Za-z]+Error$/.test(name)
  ) {
    return withoutSecret(describeClientError(error), password);
  }
  const result =
    name === 'ResultCodeError'
      ? 'an error'
      : name
          .replace(/Error$/, '')
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toLowerCase();
  const diagnostic = String(message ?? '')
    .replace(/\s*Code: 0x[0-9a-f]+$/i, '')
    .trim();
  return ldapResultCode(result, code, withoutSecret(diagnostic, password));
}

/**
 * `text` with every occurrence of `secret` masked when each stands as a word of its own (`refused cn=app/***`);
 * when one is part of a longer word, the text would give the secret away around the mask (`fail***d`), so it
 * is not shown at all.
 */
function withoutSecret(text: string, secret: string | undefined): string {
  if (!secret || !text.includes(secret)) return text;
  const parts = text.split(secret);
  const standsAlone = parts.every(
    (part, index) =>
      (index === 0 || !/^\w/.test(part)) &&
      (index === parts.length - 1 || !/\w$/.test(part)),
  );
  return standsAlone ? parts.join('***') : ldapMessageWithheld;
}
