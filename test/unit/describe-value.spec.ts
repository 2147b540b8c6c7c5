import { describe, expect, it } from '@jest/globals';
import { describeValue } from '../../lib/serialization/describe-value.js';

describe('describeValue', () => {
  it('names an instance of a class without showing its fields, which may hold credentials', () => {
    class CacheClient {
      readonly password = 'hunter2';
      readonly servers = ['bob:hunter2@127.0.0.1:11211'];
    }
    const described = describeValue(new CacheClient());
    expect(described).toBe('an instance of CacheClient');
    expect(described).not.toContain('hunter2');
  });

  it('shows a plain object, an array and a primitive, as messages about returned values need', () => {
    expect(describeValue({ ok: true })).toBe('an object { ok: true }');
    expect(describeValue(Object.create(null))).toBe(
      'an object [Object: null prototype] {}',
    );
    expect(describeValue([1, 2])).toBe('an array of length 2 ([ 1, 2 ])');
    expect(describeValue('yes')).toBe("the string 'yes'");
    expect(describeValue(5)).toBe('the number 5');
  });
});
