import { inspect } from 'node:util';

/** A short, readable description of any value, for messages about what user code returned or threw. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    return `an array of length ${value.length} (${preview(value)})`;
  }
  switch (typeof value) {
    case 'string':
      return `the string ${preview(value)}`;
    case 'number':
    case 'bigint':
      return `the number ${String(value)}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'object': {
      // An instance of a class (a client, a connection) is named, never shown: its fields may hold credentials.
      const name = classNameOf(value);
      return name ? `an instance of ${name}` : `an object ${preview(value)}`;
    }
    default:
      return preview(value);
  }
}

/** The class of an object made by a class of its own; undefined for plain and null-prototype objects. */
function classNameOf(value: object): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null || prototype === Object.prototype) return undefined;
  const name = (prototype as { constructor?: { name?: unknown } }).constructor
    ?.name;
  return typeof name === 'string' && name !== '' ? name : 'an unnamed class';
}

function preview(value: unknown): string {
  return inspect(value, {
    depth: 2,
    breakLength: Infinity,
    maxArrayLength: 5,
    maxStringLength: 200,
  });
}
