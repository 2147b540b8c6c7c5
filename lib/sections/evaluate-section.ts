import { settle } from '../checks/settle.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import { type JsonValue, toJsonSafe } from '../serialization/to-json-safe.js';

/**
 * A section's value as JSON: a plain value as it is, a function's result (sync, Promise or Observable) within
 * `timeoutMs`; a section that throws or hangs becomes `{ error: message }`.
 */
export async function evaluateSection(
  source: EnvSectionSource,
  timeoutMs: number,
): Promise<JsonValue> {
  const settled = await settle(
    () => (typeof source === 'function' ? source() : source),
    { timeoutMs },
  );
  return settled.ok ? toJsonSafe(settled.value) : { error: settled.message };
}
