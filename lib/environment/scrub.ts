import {
  SCRUBBED_VALUE,
  SENSITIVE_KEY_FRAGMENTS,
} from '../healthcheck.constants.js';
import type { JsonValue } from '../serialization/to-json-safe.js';
import { maskMatches, maskSecrets } from './secret-detectors.js';

/** Decides whether a key (an object key, a query parameter or a command-line flag) names a secret. */
export type SensitiveKeyMatcher = (key: string) => boolean;

/** Scrubs any JSON value: key names, URL credentials, secret-shaped values, flags in lists, user patterns. */
export type Scrubber = (value: JsonValue) => JsonValue;

/**
 * Fragments that name a secret in any key but the shell's own `PWD` and `OLDPWD` (the working directory): `pwd`
 * (`MYSQL_PWD`, read by the MySQL client) and `creds`.
 */
const ABBREVIATED_FRAGMENTS = ['pwd', 'creds'] as const;
const SHELL_DIRECTORY_KEYS: ReadonlySet<string> = new Set(['PWD', 'OLDPWD']);

/**
 * Matches the default fragments (key, token, pass, pwd, creds, …) and the extra patterns, case-insensitively;
 * the shell's upper-case `PWD` and `OLDPWD` are not secrets.
 */
export function createSensitiveKeyMatcher(
  extraPatterns: ReadonlyArray<string | RegExp> = [],
): SensitiveKeyMatcher {
  const defaults = [...SENSITIVE_KEY_FRAGMENTS, ...ABBREVIATED_FRAGMENTS];
  const fragments = extraPatterns
    .filter((pattern): pattern is string => typeof pattern === 'string')
    .map((pattern) => pattern.toLowerCase());
  const expressions = extraPatterns
    .filter((pattern): pattern is RegExp => pattern instanceof RegExp)
    .map(
      (pattern) =>
        new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')),
    );
  const decide = (key: string) => {
    const lower = key.toLowerCase();
    return (
      (!SHELL_DIRECTORY_KEYS.has(key) &&
        defaults.some((fragment) => lower.includes(fragment))) ||
      fragments.some((fragment) => lower.includes(fragment)) ||
      expressions.some((expression) => expression.test(key))
    );
  };
  const known = new Map<string, boolean>();
  return (key) => {
    let sensitive = known.get(key);
    if (sensitive === undefined) {
      sensitive = decide(key);
      if (known.size < KNOWN_KEYS_LIMIT) known.set(key, sensitive);
    }
    return sensitive;
  };
}

/** Keys repeat from one scrub to the next: the first decisions are remembered, up to this many keys. */
const KNOWN_KEYS_LIMIT = 2048;

/**
 * The user's RegExps, ready to mask every match inside string values (their `secret` group if they have one);
 * strings among the patterns name keys only.
 */
export function createValuePatterns(
  extraPatterns: ReadonlyArray<string | RegExp> = [],
): RegExp[] {
  return extraPatterns
    .filter((pattern): pattern is RegExp => pattern instanceof RegExp)
    .map(
      (pattern) =>
        new RegExp(pattern.source, `${pattern.flags.replace(/[gyd]/g, '')}gd`),
    );
}

/**
 * A scrubber for any JSON value, with the default rules plus `extraPatterns` (as `environment.scrub`): a string
 * names keys, a RegExp names keys and is masked wherever it matches inside a string value.
 */
export function createScrubber(
  extraPatterns: ReadonlyArray<string | RegExp> = [],
): Scrubber {
  const isSensitive = createSensitiveKeyMatcher(extraPatterns);
  const valuePatterns = createValuePatterns(extraPatterns);
  return (value) => scrub(value, isSensitive, valuePatterns);
}

/** Keys shorter than this cannot hold a secret any rule recognises (`a:b@c` URLs and tokens are longer). */
const SHORTEST_SECRET_KEY = 8;

/**
 * Scrubs a JSON value at any depth: values under sensitive keys become "********", every string gets
 * {@link scrubString}, and every list gets {@link scrubArgv}. Returns `value` itself when nothing was masked.
 */
export function scrub(
  value: JsonValue,
  isSensitive: SensitiveKeyMatcher,
  valuePatterns: readonly RegExp[] = [],
): JsonValue {
  if (typeof value === 'string')
    return scrubString(value, isSensitive, valuePatterns);
  if (Array.isArray(value)) return scrubArgv(value, isSensitive, valuePatterns);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let result: Record<string, JsonValue> | undefined;
  entries.forEach(([key, item], index) => {
    const scrubbed = isSensitive(key)
      ? SCRUBBED_VALUE
      : scrub(item, isSensitive, valuePatterns);
    // A key may carry a secret too (a URL with its password as the key of a result): the built-in rules mask
    // it; the user's RegExps name keys whose values they mask, so they leave the key itself as it is.
    const shownKey =
      key.length < SHORTEST_SECRET_KEY ? key : scrubString(key, isSensitive);
    if (result === undefined && (scrubbed !== item || shownKey !== key)) {
      result = {};
      for (const [kept, same] of entries.slice(0, index))
        setOwn(result, kept, same);
    }
    if (result !== undefined) setOwn(result, shownKey, scrubbed);
  });
  return result ?? value;
}

/** Keeps every key of `value` and masks every leaf (arrays keep their length): `showValues: 'never'`. */
export function maskValues(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(maskValues);
  if (value === null || typeof value !== 'object') return SCRUBBED_VALUE;
  const result: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value))
    setOwn(result, key, maskValues(item));
  return result;
}

/** A key such as `__proto__` stays an ordinary key. */
function setOwn(
  target: Record<string, JsonValue>,
  key: string,
  value: JsonValue,
): void {
  if (key !== '__proto__') {
    target[key] = value;
    return;
  }
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The part of a URL from `://` (any scheme, or none) up to whitespace, `"`, `<`, `>` or a backtick. */
const URL_PATTERN = /:\/\/[^\s"<>`]*/g;
/** `user:password@host` without `//`, as gRPC targets have it (`dns:user:password@host`); bounded, so linear. */
const BARE_CREDENTIALS_PATTERN =
  /(^|[\s:'"(=,])([^\s:/@'"*]{1,256}):(?!\*{8}@)[^@/\s'":]{1,256}@(?=[\w[])/g;
const QUERY_PARAMETER_PATTERN = /([?&;#])([^=&;#?]+)=([^&;#]*)/g;

/**
 * `NAME=value` and `--name=value` (quoted or up to whitespace, `&` or `;`) where NAME starts a word; query
 * parameters (after `?`, `&` or `#`) are left to the URL rule.
 */
const ASSIGNMENT_PATTERN =
  /(?<![\w./?&#-])(-{0,2})([A-Za-z_][\w.-]*)=("[^"]*"?|'[^']*'?|[^\s"'&;]+)/g;
/** `--name value` and `-name value` inside one string; a value starting with `-` is the next flag. */
const SPACED_FLAG_PATTERN =
  /(?<![\w-])(-{1,2}[A-Za-z][\w.-]*)([ \t]+)("[^"]*"?|'[^']*'?|[^\s"'-][^\s"']*)/g;
/** A MySQL or MariaDB client program, named alone or by its path. */
const MYSQL_CLIENT =
  /(?<![\w.-])(?:mysql(?:dump|admin|import|check|show|pump|binlog|slap)?|mariadb(?:-(?:dump|admin|import|check|show|binlog|slap))?)(?:\.exe)?(?![\w.-])/;
/** The `-p<password>` of a MySQL client, glued to its flag. */
const MYSQL_PASSWORD_FLAG = /(?<![^\s"'])-p(?<secret>[^\s"']+)/dg;

/**
 * Masks URL passwords and sensitive query parameters, then every secret a detector recognises, then, next to a
 * MySQL client, `-p<password>`, then the values of sensitive `NAME=value`, `--name=value` and `--name value`,
 * then every match of the user's patterns; the rest of the string is kept.
 */
export function scrubString(
  text: string,
  isSensitive: SensitiveKeyMatcher,
  valuePatterns: readonly RegExp[] = [],
): string {
  let result = text.includes('://')
    ? text.replace(URL_PATTERN, (url) => scrubUrl(url, isSensitive))
    : text;
  if (result.includes('@')) {
    result = result.replace(
      BARE_CREDENTIALS_PATTERN,
      `$1$2:${SCRUBBED_VALUE}@`,
    );
  }
  result = maskSecrets(result);
  if (
    (result.includes('mysql') || result.includes('mariadb')) &&
    MYSQL_CLIENT.test(result)
  )
    result = maskMatches(result, MYSQL_PASSWORD_FLAG);
  result = maskNamedValues(result, isSensitive);
  for (const pattern of valuePatterns) result = maskMatches(result, pattern);
  return result;
}

/** Masks the value of every `NAME=value`, `--name=value` and `--name value` whose name names a secret. */
function maskNamedValues(text: string, isSensitive: SensitiveKeyMatcher) {
  let result = text;
  if (result.includes('='))
    result = result.replace(
      ASSIGNMENT_PATTERN,
      (match, dashes: string, name: string) =>
        isSensitive(name) ? `${dashes}${name}=${SCRUBBED_VALUE}` : match,
    );
  if (result.includes('-'))
    result = result.replace(
      SPACED_FLAG_PATTERN,
      (match, flag: string, space: string) =>
        isSensitive(flag.replace(/^-+/, ''))
          ? `${flag}${space}${SCRUBBED_VALUE}`
          : match,
    );
  return result;
}

/**
 * Masks everything between `user:` and the last `@` of the URL (the WHATWG reading of the authority, extended
 * to passwords holding unencoded `/`, `?` or `#`), the password of any URL nested in it (`?next=https://u:pw@h`),
 * and the values of query and fragment parameters whose name names a secret.
 */
function scrubUrl(url: string, isSensitive: SensitiveKeyMatcher): string {
  return maskUserinfoPasswords(url).replace(
    QUERY_PARAMETER_PATTERN,
    (parameter, separator: string, name: string) =>
      isSensitive(safeDecode(name))
        ? `${separator}${name}=${SCRUBBED_VALUE}`
        : parameter,
  );
}

/**
 * Walks the URL's `://` one after the other: the first that has `user:` before the next `/ ? #` gets everything up
 * to the last `@` masked (no later URL can hold a password after that `@`). Linear: each scan stops at the next
 * `:`, at the latest the one of the next `://`.
 */
function maskUserinfoPasswords(url: string): string {
  const at = url.lastIndexOf('@');
  for (let start = 0; start !== -1; start = url.indexOf('://', start + 3)) {
    let colon = start + '://'.length;
    while (colon < url.length && !':/?#'.includes(url[colon])) colon++;
    if (url[colon] === ':' && at > colon + 1)
      return `${url.slice(0, colon + 1)}${SCRUBBED_VALUE}${url.slice(at)}`;
  }
  return url;
}

/** Begins a private key whose END line is in a later entry of the same list. */
const PRIVATE_KEY_BEGIN =
  /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const PRIVATE_KEY_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
/** An entry that ends with an AWS access key id, and the shape of the secret access key that goes with it. */
const AWS_KEY_ID_AT_END = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}$/;
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;
const MYSQL_CLIENT_ENTRY = new RegExp(
  `^(?:.*[/\\\\])?${MYSQL_CLIENT.source.replace('(?<![\\w.-])', '')}$`,
);
const GLUED_P_FLAG = /^-p(.+)$/s;

/**
 * Scrubs a list such as `argv`; besides scrubbing every entry like any value, it masks:
 * - `--flag=value`, and the entry after a `--flag` given without `=`, whatever that entry is, when the flag
 *   names a secret;
 * - every entry from one that begins a private key (`-----BEGIN … PRIVATE KEY-----`) to the one holding its END
 *   line, or to the end of the list;
 * - the entry after one ending with an AWS access key id (`AKIA…`, `ASIA…`) when it has the shape of a secret
 *   access key (40 characters of letters, digits, `/` and `+`);
 * - `-p<password>` (glued to its flag) when an entry names a MySQL or MariaDB client (`mysql`, `mysqldump`, …);
 *   a separate `-p` and flags such as `-port` of other programs stay.
 * Returns `argv` itself when nothing was masked.
 */
export function scrubArgv(
  argv: JsonValue[],
  isSensitive: SensitiveKeyMatcher,
  valuePatterns: readonly RegExp[] = [],
): JsonValue[] {
  const mysql = argv.some(
    (entry) => typeof entry === 'string' && MYSQL_CLIENT_ENTRY.test(entry),
  );
  const result: JsonValue[] = [];
  let changed = false;
  let maskNext = false;
  let inPrivateKey = false;
  const push = (entry: JsonValue, scrubbed: JsonValue) => {
    result.push(scrubbed);
    if (scrubbed !== entry) changed = true;
  };
  for (const entry of argv) {
    if (inPrivateKey) {
      inPrivateKey = !(
        typeof entry === 'string' && PRIVATE_KEY_END.test(entry)
      );
      push(entry, SCRUBBED_VALUE);
      continue;
    }
    if (maskNext) {
      push(entry, SCRUBBED_VALUE);
      maskNext = false;
      continue;
    }
    if (typeof entry !== 'string') {
      push(entry, scrub(entry, isSensitive, valuePatterns));
      continue;
    }
    if (beginsSplitPrivateKey(entry)) {
      inPrivateKey = true;
      push(entry, SCRUBBED_VALUE);
      continue;
    }
    const glued = mysql ? GLUED_P_FLAG.exec(entry) : null;
    if (glued) {
      push(entry, `-p${SCRUBBED_VALUE}`);
      continue;
    }
    const flag = /^(-{1,2}[^=\s-][^=\s]*)(=.*)?$/s.exec(entry);
    if (flag && isSensitive(flag[1].replace(/^-+/, ''))) {
      if (flag[2] === undefined) {
        maskNext = true;
        push(entry, entry);
      } else {
        push(entry, `${flag[1]}=${SCRUBBED_VALUE}`);
      }
      continue;
    }
    push(entry, scrubString(entry, isSensitive, valuePatterns));
    maskNext = AWS_KEY_ID_AT_END.test(entry) && isAwsSecretKey(argv, result);
  }
  return changed ? result : argv;
}

function beginsSplitPrivateKey(entry: string): boolean {
  const begin = PRIVATE_KEY_BEGIN.exec(entry);
  return (
    begin !== null &&
    !PRIVATE_KEY_END.test(entry.slice(begin.index + begin[0].length))
  );
}

/** Whether the entry after the last one pushed has the shape of an AWS secret access key. */
function isAwsSecretKey(argv: JsonValue[], done: JsonValue[]): boolean {
  const next = argv[done.length];
  return typeof next === 'string' && AWS_SECRET_KEY.test(next);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
