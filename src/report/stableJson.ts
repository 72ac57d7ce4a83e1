import { breakWorkflowCommandsInJson } from './sanitize.js';

/** JSON with object keys sorted (code-unit order), 2-space indent and a trailing newline. */
export function stableJson(value: unknown): string {
  return breakWorkflowCommandsInJson(JSON.stringify(sortKeys(value), null, 2) + '\n');
}

/**
 * A value whose objects have their keys sorted (code-unit order) and undefined members dropped.
 * Objects that are already in order are returned as they are (JSON leaves undefined members
 * out anyway), so a report built with sorted keys is serialised without being copied.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown;
      const s = sortKeys(v);
      if (s !== v && !out) out = value.slice(0, i);
      if (out) out.push(s);
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    // most objects of a report are built in order: check that without listing the keys, and
    // copy one only when it, or something under it, changes
    let sorted = true;
    let prev: string | undefined;
    for (const k in obj) {
      if (prev !== undefined && prev > k) {
        sorted = false;
        break;
      }
      prev = k;
    }
    if (sorted) {
      let out: Record<string, unknown> | undefined;
      for (const k in obj) {
        const v = obj[k];
        const s = v !== null && typeof v === 'object' ? sortKeys(v) : v;
        if (out === undefined) {
          if (s === v) continue;
          // the first change: the members before it are kept as they are
          out = {};
          for (const j in obj) {
            if (j === k) break;
            if (obj[j] !== undefined) out[j] = obj[j];
          }
        }
        if (s !== undefined) out[k] = s;
      }
      return out ?? value;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj).sort()) {
      const v = obj[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}
