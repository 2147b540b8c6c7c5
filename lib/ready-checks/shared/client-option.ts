import { readyCheckMissingOption } from '../../healthcheck.messages.js';

/** Reads the one required option of a client check (`client`, `dataSource`) at bootstrap: throws when it is missing. */
export function clientOption(
  kind: string,
  own: object,
  option: string,
  expected: string,
): unknown {
  const value = (own as Record<string, unknown>)[option];
  if (value === undefined || value === null) {
    throw new Error(readyCheckMissingOption(kind, option, expected));
  }
  return value;
}
