import { toJsonSafe } from '../../lib/serialization/to-json-safe.js';

describe('toJsonSafe', () => {
  it('keeps plain JSON as it is', () => {
    const value = { a: 1, b: ['x', true, null], c: { d: 'e' } };
    expect(toJsonSafe(value)).toEqual(value);
  });

  it('marks circular references and keeps repeated ones', () => {
    const shared = { id: 1 };
    const root: Record<string, unknown> = { left: shared, right: shared };
    root.self = root;
    expect(toJsonSafe(root)).toEqual({
      left: { id: 1 },
      right: { id: 1 },
      self: '[Circular]',
    });
  });

  it('renders BigInt, functions, symbols and non-finite numbers as strings', () => {
    expect(
      toJsonSafe({
        big: 2n ** 70n,
        fn: () => 1,
        sym: Symbol('s'),
        nan: NaN,
        inf: -Infinity,
      }),
    ).toEqual({
      big: '1180591620717411303424',
      fn: '[Function: fn]',
      sym: 'Symbol(s)',
      nan: 'NaN',
      inf: '-Infinity',
    });
  });

  it('renders Errors, Dates, Maps and Sets readably', () => {
    expect(
      toJsonSafe({
        error: new TypeError('bad'),
        date: new Date('2026-01-01T00:00:00Z'),
        map: new Map([['k', 1]]),
        set: new Set([1, 2]),
      }),
    ).toEqual({
      error: { name: 'TypeError', message: 'bad' },
      date: '2026-01-01T00:00:00.000Z',
      map: { k: 1 },
      set: [1, 2],
    });
  });

  it('drops undefined object members and turns undefined array items into null', () => {
    expect(toJsonSafe({ a: undefined, b: [undefined] })).toEqual({ b: [null] });
  });

  it('survives getters and toJSON methods that throw', () => {
    const hostile = {
      get boom(): never {
        throw new Error('getter exploded');
      },
    };
    const badJson = {
      toJSON(): never {
        throw new Error('toJSON exploded');
      },
    };
    expect(toJsonSafe({ hostile, badJson })).toEqual({
      hostile: '[Unserializable: getter exploded]',
      badJson: '[Unserializable: toJSON exploded]',
    });
  });

  it('truncates absurdly deep values instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let level = 0; level < 10_000; level++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    expect(() => JSON.stringify(toJsonSafe(root))).not.toThrow();
    expect(JSON.stringify(toJsonSafe(root))).toContain('[Truncated]');
  });
});
