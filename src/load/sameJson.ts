/**
 * Whether two parsed JSON values are the same value: equal scalars, arrays of the same values in
 * order, objects with the same keys and values (key order aside). Nesting deeper than `maxDepth`
 * counts as different (a hostile document must not exhaust the stack), and so does any value
 * `opaque` says cannot be compared (an unknown template value).
 */
export function sameJson(
  a: unknown,
  b: unknown,
  maxDepth: number,
  opaque?: (v: unknown) => boolean,
  depth = 0,
): boolean {
  if (opaque !== undefined && (opaque(a) || opaque(b))) return false;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth >= maxDepth) return false;
  const same = (x: unknown, y: unknown): boolean => sameJson(x, y, maxDepth, opaque, depth + 1);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => same(v, b[i]))
    );
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  return (
    keys.length === Object.keys(bo).length &&
    keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && same(ao[k], bo[k]))
  );
}
