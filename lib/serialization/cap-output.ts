import { outputTruncated } from '../healthcheck.messages.js';
import type { JsonValue } from './to-json-safe.js';

/**
 * Keeps a check's output within `maxBytes` of serialized JSON (UTF-8). A longer output becomes a string: the
 * start of its text (the string itself, or its JSON) and a marker that says how long it was.
 */
export function capOutput(output: JsonValue, maxBytes: number): JsonValue {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  const serializedBytes =
    typeof output === 'string'
      ? Buffer.byteLength(JSON.stringify(output))
      : Buffer.byteLength(text);
  if (serializedBytes <= maxBytes) return output;
  const marker = outputTruncated(serializedBytes, maxBytes);
  // Escapes in the JSON string (quotes, backslashes, control characters) take up to 6 bytes per character.
  let budget = maxBytes - Buffer.byteLength(JSON.stringify(marker)) - 2;
  let kept = '';
  for (const character of text) {
    const cost = Buffer.byteLength(JSON.stringify(character)) - 2;
    if (cost > budget) break;
    kept += character;
    budget -= cost;
  }
  return kept + marker;
}
