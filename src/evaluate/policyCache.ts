/**
 * Compile each policy document once. Raw objects are cached by identity (WeakMap), strings by
 * value (bounded), so evaluating many requests against the same documents parses each once.
 */
import type { Problem } from '../problems.js';
import { isCompiledPolicy, parsePolicy } from '../policy/parse.js';
import type { CompiledPolicy, PolicyType } from '../policy/types.js';

export interface CompiledInput {
  /** undefined when the document is unusable (its problems say why) */
  readonly policy: CompiledPolicy | undefined;
  readonly problems: readonly Problem[];
  /** the name reasons use: a compiled policy's own name, else the fallback (an index) */
  readonly label: string | number;
}

type Kind = PolicyType | 'trust';

const OBJECT_CACHE = new WeakMap<object, Map<string, CompiledInput>>();
const STRING_CACHE = new Map<string, CompiledInput>();
const STRING_CACHE_LIMIT = 10_000;

export function compilePolicyInput(
  input: unknown,
  kind: Kind,
  pointer: string,
  fallback: string | number,
): CompiledInput {
  if (isCompiledPolicy(input)) return { policy: input, problems: [], label: input.name };
  const key = `${kind}\u0000${pointer}\u0000${fallback}`;
  if (typeof input === 'object' && input !== null) {
    let perObject = OBJECT_CACHE.get(input);
    if (!perObject) {
      perObject = new Map();
      OBJECT_CACHE.set(input, perObject);
    }
    const hit = perObject.get(key);
    if (hit) return hit;
    const compiled = compileFresh(input, kind, pointer, fallback);
    perObject.set(key, compiled);
    return compiled;
  }
  if (typeof input === 'string') {
    const skey = `${key}\u0000${input}`;
    const hit = STRING_CACHE.get(skey);
    if (hit) return hit;
    const compiled = compileFresh(input, kind, pointer, fallback);
    if (STRING_CACHE.size >= STRING_CACHE_LIMIT) STRING_CACHE.clear();
    STRING_CACHE.set(skey, compiled);
    return compiled;
  }
  return compileFresh(input, kind, pointer, fallback);
}

function compileFresh(
  input: unknown,
  kind: Kind,
  pointer: string,
  fallback: string | number,
): CompiledInput {
  const { policy, problems } = parsePolicy(input, {
    name: String(fallback),
    policyType: kind,
    pointer,
  });
  return { policy, problems, label: fallback };
}
