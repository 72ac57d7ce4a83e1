import { describe, expect, it } from 'vitest';
import { sortKeys, stableJson } from '../../src/report/stableJson.js';

describe('sortKeys', () => {
  it('returns an object already in order, and everything under it, as it is', () => {
    const inner = { a: [1, { b: 2, c: 3 }], d: null };
    const value = { x: inner, y: 'text', z: [inner] };
    expect(sortKeys(value)).toBe(value);
  });
  it('sorts keys at any depth, copying only the objects on the way to a change', () => {
    const untouched = { a: 1, b: 2 };
    const value = { a: untouched, b: { k: [{ z: 1, y: 2 }] }, c: 3 };
    const out = sortKeys(value) as typeof value;
    expect(out).not.toBe(value);
    expect(out.a).toBe(untouched);
    expect(JSON.stringify(out)).toBe('{"a":{"a":1,"b":2},"b":{"k":[{"y":2,"z":1}]},"c":3}');
    // the input is not changed
    expect(JSON.stringify(value)).toBe('{"a":{"a":1,"b":2},"b":{"k":[{"z":1,"y":2}]},"c":3}');
  });
  it('keeps the members before and after the first change, and drops undefined ones', () => {
    const value = { a: 1, b: undefined, c: { y: 1, x: 2 }, d: 'x', e: undefined };
    expect(Object.keys(sortKeys(value) as object)).toEqual(['a', 'c', 'd']);
    expect(JSON.stringify(sortKeys(value))).toBe('{"a":1,"c":{"x":2,"y":1},"d":"x"}');
    const unsorted = { b: 1, a: undefined, c: { y: 1, x: 2 } };
    expect(JSON.stringify(sortKeys(unsorted))).toBe('{"b":1,"c":{"x":2,"y":1}}');
  });
  it('sorts an object whose keys are out of order after a member that changed', () => {
    // the single pass has already sorted `a` (a copy) when it meets `c` before `b`
    const value = { a: { z: 1, y: 2 }, c: 1, b: { q: 1, p: 2 }, d: undefined };
    expect(JSON.stringify(sortKeys(value))).toBe('{"a":{"y":2,"z":1},"b":{"p":2,"q":1},"c":1}');
    expect(Object.keys(sortKeys(value) as object)).toEqual(['a', 'b', 'c']);
    expect(JSON.stringify(value)).toBe('{"a":{"z":1,"y":2},"c":1,"b":{"q":1,"p":2}}');
  });
  it('stableJson: sorted keys, two-space indent, trailing newline', () => {
    expect(stableJson({ b: 1, a: [true] })).toBe('{\n  "a": [\n    true\n  ],\n  "b": 1\n}\n');
  });
});
