import {
  SCRUBBED_VALUE,
  SENSITIVE_KEY_FRAGMENTS,
} from '../healthcheck.constants.js';
import type { JsonValue } from '../serialization/to-json-safe.js';

/** Decides whether a key (an object key, a query parameter or a command-line flag) names a secret. */
export type SensitiveKeyMatcher = (key: string) => boolean;

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
 * Scrubs a JSON value at any depth: values under sensitive keys become "********", passwords and sensitive
 * query parameters in URLs are masked, and sensitive command-line flags in `argv`/`execArgv` lists are masked.
 */
export function scrub(
  value: JsonValue,
  isSensitive: SensitiveKeyMatcher,
): JsonValue {
  if (typeof value === 'string') return scrubString(value, isSensitive);
  if (Array.isArray(value))
    return value.map((item) => scrub(item, isSensitive));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSensitive(key)) {
      result[key] = SCRUBBED_VALUE;
    } else if (isArgvKey(key) && Array.isArray(item)) {
      result[key] = scrubArgv(item, isSensitive);
    } else {
      result[key] = scrub(item, isSensitive);
    }
  }
  return result;
}

function isArgvKey(key: string): boolean {
  return /argv$/i.test(key);
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
const USERINFO_PATTERN = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#\s]*):([^@/?#\s]*)@/i;
const QUERY_PARAMETER_PATTERN = /([?&;])([^=&;#]+)=([^&;#]*)/g;

/** Masks the password and the sensitive query parameters of every URL inside a string; the rest is kept. */
export function scrubString(
  text: string,
  isSensitive: SensitiveKeyMatcher,
): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_PATTERN, (url) =>
    url
      .replace(USERINFO_PATTERN, `$1:${SCRUBBED_VALUE}@`)
      .replace(
        QUERY_PARAMETER_PATTERN,
        (parameter, separator: string, name: string) =>
          isSensitive(safeDecode(name))
            ? `${separator}${name}=${SCRUBBED_VALUE}`
            : parameter,
      ),
  );
}

/** Masks `--flag=value` and `--flag value` where the flag names a secret; other entries get URL scrubbing. */
export function scrubArgv(
  argv: JsonValue[],
  isSensitive: SensitiveKeyMatcher,
): JsonValue[] {
  const result: JsonValue[] = [];
  let maskNext = false;
  for (const entry of argv) {
    if (typeof entry !== 'string') {
      result.push(scrub(entry, isSensitive));
      maskNext = false;
      continue;
    }
    if (maskNext && !entry.startsWith('-')) {
      result.push(SCRUBBED_VALUE);
      maskNext = false;
      continue;
    }
    const flag = /^(-{1,2}[^=\s]+)(=.*)?$/s.exec(entry);
    maskNext = false;
    if (flag && isSensitive(flag[1].replace(/^-+/, ''))) {
      if (flag[2] === undefined) {
        maskNext = true;
        result.push(entry);
      } else {
        result.push(`${flag[1]}=${SCRUBBED_VALUE}`);
      }
      continue;
    }
    result.push(scrubString(entry, isSensitive));
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
