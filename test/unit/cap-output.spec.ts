import fc from 'fast-check';
import { outputTruncated } from '../../lib/healthcheck.messages.js';
import { capOutput } from '../../lib/serialization/cap-output.js';
import type { JsonValue } from '../../lib/serialization/to-json-safe.js';

/** Bytes the value takes in the response body. */
const serializedBytes = (value: unknown): number =>
  Buffer.byteLength(JSON.stringify(value));

/** The text kept before the marker, for a value that was truncated. */
function keptText(capped: JsonValue, marker: string): string {
  expect(typeof capped).toBe('string');
  expect((capped as string).endsWith(marker)).toBe(true);
  return (capped as string).slice(0, -marker.length);
}

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('capOutput', () => {
  it('returns a value within the limit unchanged, up to exactly the limit', () => {
    const exact = 'a'.repeat(98);
    expect(serializedBytes(exact)).toBe(100);
    expect(capOutput(exact, 100)).toBe(exact);
    const object = { status: 'up', latency: [1, 2, 3] };
    expect(capOutput(object, 100)).toBe(object);
    expect(capOutput(null, 64)).toBeNull();
    expect(capOutput(12.5, 64)).toBe(12.5);
  });

  it('truncates a string one byte over the limit', () => {
    const over = 'a'.repeat(99);
    const capped = capOutput(over, 100);
    const marker = outputTruncated(101, 100);
    expect(keptText(capped, marker)).toMatch(/^a+$/);
    expect(serializedBytes(capped)).toBeLessThanOrEqual(100);
  });

  it('keeps the start of a long string and says how long it was', () => {
    const output = 'x'.repeat(1024 * 1024);
    const capped = capOutput(output, 4_096);
    const marker = outputTruncated(1024 * 1024 + 2, 4_096);
    const kept = keptText(capped, marker);
    expect(kept).toBe('x'.repeat(kept.length));
    expect(serializedBytes(capped)).toBeLessThanOrEqual(4_096);
    // Not truncated to nothing: the limit is used, give or take the quotes.
    expect(serializedBytes(capped)).toBeGreaterThan(4_096 - 8);
  });

  it('turns a large object into the start of its JSON and the marker', () => {
    const output = {
      items: Array.from({ length: 2_000 }, (_, index) => index),
    };
    const capped = capOutput(output, 256);
    const marker = outputTruncated(serializedBytes(output), 256);
    const kept = keptText(capped, marker);
    expect(JSON.stringify(output).startsWith(kept)).toBe(true);
    expect(kept.startsWith('{"items":[0,1,2,')).toBe(true);
    expect(serializedBytes(capped)).toBeLessThanOrEqual(256);
  });

  it.each([
    ['three-byte characters', '€'],
    ['four-byte characters (surrogate pairs)', '😀'],
    ['quotes', '"'],
    ['backslashes', '\\'],
    ['control characters', '\u0001'],
    ['a mix', 'é"€\\😀\n\u0000a'],
  ])(
    'never exceeds the limit with %s, and never splits a character',
    (_label, unit) => {
      const output = unit.repeat(5_000);
      for (const limit of [64, 65, 100, 257, 1_000, 4_096]) {
        const capped = capOutput(output, limit);
        const marker = outputTruncated(serializedBytes(output), limit);
        const kept = keptText(capped, marker);
        expect(serializedBytes(capped)).toBeLessThanOrEqual(limit);
        expect(output.startsWith(kept)).toBe(true);
        expect(LONE_SURROGATE.test(kept)).toBe(false);
      }
    },
  );

  it('counts an escaped lone surrogate at its escaped size', () => {
    const output = '\uD800'.repeat(1_000);
    const capped = capOutput(output, 128);
    expect(serializedBytes(capped)).toBeLessThanOrEqual(128);
  });

  it('never exceeds the limit and leaves values within it unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 3_000 }),
          fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
        ),
        fc.integer({ min: 64, max: 2_048 }),
        (output, limit) => {
          const capped = capOutput(output, limit);
          expect(serializedBytes(capped)).toBeLessThanOrEqual(limit);
          if (serializedBytes(output) <= limit) expect(capped).toBe(output);
          else
            expect(
              (capped as string).endsWith(
                outputTruncated(serializedBytes(output), limit),
              ),
            ).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
