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
    const keys = Object.keys(obj);
    let sorted = true;
    for (let i = 1; i < keys.length; i++) {
      if (keys[i - 1]! > keys[i]!) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      let changed = false;
      const children: unknown[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const v = obj[keys[i]!];
        const s = v === undefined ? v : sortKeys(v);
        children[i] = s;
        if (s !== v) changed = true;
      }
      if (!changed) return value;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++)
        if (children[i] !== undefined) out[keys[i]!] = children[i];
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys.sort()) {
      const v = obj[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}
