import {
  readyCheckMissingOption,
  readyCheckUnknownOption,
} from '../../healthcheck.messages.js';

/**
 * Reads the one required option of a client check (`client`, `dataSource`) at bootstrap: throws when it is
 * missing, or when an option the check does not take was given (often a misspelt common option).
 */
export function clientOption(
  kind: string,
  own: object,
  option: string,
  expected: string,
): unknown {
  for (const key of Object.keys(own)) {
    if (key !== option) {
      throw new Error(readyCheckUnknownOption(kind, key, [option]));
    }
  }
  const value = (own as Record<string, unknown>)[option];
  if (value === undefined || value === null) {
    throw new Error(readyCheckMissingOption(kind, option, expected));
  }
  return value;
}
