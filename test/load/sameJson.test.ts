import { describe, expect, it } from 'vitest';
import { sameJson } from '../../src/load/sameJson.js';

describe('sameJson', () => {
  it('compares values, not key order; arrays in order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }, 64)).toBe(true);
    expect(sameJson([1, 2], [2, 1], 64)).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined }, 64)).toBe(false);
    expect(sameJson([1], { 0: 1 }, 64)).toBe(false);
  });

  it('counts nesting past the bound as different, without recursing further', () => {
    let a: unknown = 1;
    let b: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      a = [a];
      b = [b];
    }
    expect(sameJson(a, b, 64)).toBe(false);
    expect(sameJson([[1]], [[1]], 2)).toBe(true);
    expect(sameJson([[1]], [[1]], 1)).toBe(false);
  });

  it('never calls an opaque value the same, not even itself', () => {
    const unknown = { opaque: true };
    const opaque = (v: unknown) => v === unknown;
    expect(sameJson(unknown, unknown, 64, opaque)).toBe(false);
    expect(sameJson({ a: unknown }, { a: unknown }, 64, opaque)).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1 }, 64, opaque)).toBe(true);
  });
});
