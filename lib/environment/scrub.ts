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

/** Matches the default fragments (key, token, pass, …) and the extra patterns, case-insensitively. */
export function createSensitiveKeyMatcher(
  extraPatterns: ReadonlyArray<string | RegExp> = [],
): SensitiveKeyMatcher {
  const fragments = [
    ...SENSITIVE_KEY_FRAGMENTS,
    ...extraPatterns
      .filter((pattern): pattern is string => typeof pattern === 'string')
      .map((pattern) => pattern.toLowerCase()),
  ];
  const expressions = extraPatterns
    .filter((pattern): pattern is RegExp => pattern instanceof RegExp)
    .map(
      (pattern) =>
        new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')),
    );
  return (key) => {
    const lower = key.toLowerCase();
    return (
      fragments.some((fragment) => lower.includes(fragment)) ||
      expressions.some((expression) => expression.test(key))
    );
  };
}

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

/**
 * Scrubs a JSON value at any depth: values under sensitive keys become "********", every string gets
 * {@link scrubString}, and every list gets {@link scrubArgv}.
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
  const result: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    setOwn(
      result,
      key,
      isSensitive(key)
        ? SCRUBBED_VALUE
        : scrub(item, isSensitive, valuePatterns),
    );
  }
  return result;
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
const QUERY_PARAMETER_PATTERN = /([?&;#])([^=&;#?]+)=([^&;#]*)/g;

/**
 * Masks URL passwords and sensitive query parameters, then every secret a detector recognises, then every match
 * of the user's patterns; the rest of the string is kept.
 */
export function scrubString(
  text: string,
  isSensitive: SensitiveKeyMatcher,
  valuePatterns: readonly RegExp[] = [],
): string {
  let result = text.includes('://')
    ? text.replace(URL_PATTERN, (url) => scrubUrl(url, isSensitive))
    : text;
  result = maskSecrets(result);
  for (const pattern of valuePatterns) result = maskMatches(result, pattern);
  return result;
}

/**
 * Masks everything between `user:` and the last `@` of the URL (the WHATWG reading of the authority, extended
 * to passwords holding unencoded `/`, `?` or `#`), and the values of query and fragment parameters whose name
 * names a secret.
 */
function scrubUrl(url: string, isSensitive: SensitiveKeyMatcher): string {
  return maskUserinfoPassword(url).replace(
    QUERY_PARAMETER_PATTERN,
    (parameter, separator: string, name: string) =>
      isSensitive(safeDecode(name))
        ? `${separator}${name}=${SCRUBBED_VALUE}`
        : parameter,
  );
}

function maskUserinfoPassword(url: string): string {
  let colon = '://'.length;
  while (colon < url.length && !':/?#'.includes(url[colon])) colon++;
  if (url[colon] !== ':') return url;
  const at = url.lastIndexOf('@');
  if (at <= colon + 1) return url;
  return `${url.slice(0, colon + 1)}${SCRUBBED_VALUE}${url.slice(at)}`;
}

/**
 * Scrubs a list such as `argv`: masks `--flag=value`, and the entry after a `--flag` given without `=`, whatever
 * that entry is, when the flag names a secret; every other entry is scrubbed like any value.
 */
export function scrubArgv(
  argv: JsonValue[],
  isSensitive: SensitiveKeyMatcher,
  valuePatterns: readonly RegExp[] = [],
): JsonValue[] {
  const result: JsonValue[] = [];
  let maskNext = false;
  for (const entry of argv) {
    if (maskNext) {
      result.push(SCRUBBED_VALUE);
      maskNext = false;
      continue;
    }
    if (typeof entry !== 'string') {
      result.push(scrub(entry, isSensitive, valuePatterns));
      continue;
    }
    const flag = /^(-{1,2}[^=\s-][^=\s]*)(=.*)?$/s.exec(entry);
    if (flag && isSensitive(flag[1].replace(/^-+/, ''))) {
      if (flag[2] === undefined) {
        maskNext = true;
        result.push(entry);
      } else {
        result.push(`${flag[1]}=${SCRUBBED_VALUE}`);
      }
      continue;
    }
    result.push(scrubString(entry, isSensitive, valuePatterns));
  }
  return result;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
