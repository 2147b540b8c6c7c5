import { SCRUBBED_VALUE } from '../healthcheck.constants.js';
import type { JsonValue } from '../serialization/to-json-safe.js';
import {
  createSensitiveKeyMatcher,
  createValuePatterns,
  scrub,
} from './scrub.js';

/** Masks the secrets of a check's output; the very same value when there was nothing to mask. */
export type OutputScrubber = (output: unknown) => unknown;

/**
 * The scrubber of check outputs, with the rules of the environment dump and the user's `environment.scrub`
 * patterns: URL passwords, secrets recognised by their shape, sensitive `NAME=value` and flags, values under
 * sensitive keys, matches of the user's RegExps. Its input is already JSON-safe; it returns that same value
 * (`===`) when nothing was masked, and never throws: if scrubbing fails, the output is replaced by the mask.
 */
export function createOutputScrubber(
  rules: ReadonlyArray<string | RegExp> = [],
): OutputScrubber {
  const isSensitive = createSensitiveKeyMatcher(rules);
  const valuePatterns = createValuePatterns(rules);
  return (output) => {
    try {
      return scrub(output as JsonValue, isSensitive, valuePatterns);
    } catch {
      return SCRUBBED_VALUE;
    }
  };
}
