/** Deepest nesting kept; anything deeper is replaced by a marker. */
const MAX_DEPTH = 64;

type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Turns any value into one that `JSON.stringify` encodes without throwing: circular references, BigInt,
 * functions, symbols, Errors, Maps, Sets and throwing getters or `toJSON` methods are rendered as readable
 * stand-ins. Repeated (non-circular) references are kept.
 */
export function toJsonSafe(value: unknown): JsonValue {
  return convert(value, new Set<object>(), 0);
}

function convert(
  value: unknown,
  ancestors: Set<object>,
  depth: number,
): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function${value.name ? `: ${value.name}` : ''}]`;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  ancestors.add(object);
  try {
    return convertObject(object, ancestors, depth + 1);
  } catch (error) {
    return `[Unserializable: ${error instanceof Error ? error.message : String(error)}]`;
  } finally {
    ancestors.delete(object);
  }
}

function convertObject(
  object: object,
  ancestors: Set<object>,
  depth: number,
): JsonValue {
  if (object instanceof Error) {
    return { name: object.name, message: object.message };
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    const json = (object as { toJSON: () => unknown }).toJSON();
    return json === object ? '[Circular]' : convert(json, ancestors, depth);
  }
  if (Array.isArray(object)) {
    return object.map((item) => convert(item, ancestors, depth));
  }
  if (object instanceof Map) {
    const entries: Record<string, JsonValue> = {};
    for (const [key, item] of object) {
      entries[String(key)] = convert(item, ancestors, depth);
    }
    return entries;
  }
  if (object instanceof Set) {
    return [...object].map((item) => convert(item, ancestors, depth));
  }
  const result: Record<string, JsonValue> = {};
  for (const key of Object.keys(object)) {
    const item = (object as Record<string, unknown>)[key];
    if (item === undefined) continue;
    result[key] = convert(item, ancestors, depth);
  }
  return result;
}

export type { JsonValue };
