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
    case 'object':
      return `an object ${preview(value)}`;
    default:
      return preview(value);
  }
}

function preview(value: unknown): string {
  return inspect(value, {
    depth: 2,
    breakLength: Infinity,
    maxArrayLength: 5,
    maxStringLength: 200,
  });
}
