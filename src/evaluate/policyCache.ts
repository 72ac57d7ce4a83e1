/**
 * Compile each policy document once. Raw objects are cached by identity (WeakMap), strings by
 * value (bounded), so evaluating many requests against the same documents parses each once.
 * The cache is keyed by document and kind only; the caller prefixes problem pointers with the
 * document's place in its request, which only costs anything when there are problems.
 */
import type { Problem } from '../problems.js';
import { isCompiledPolicy, parsePolicy } from '../policy/parse.js';
import type { CompiledPolicy, PolicyType } from '../policy/types.js';

export interface CompiledInput {
  /** undefined when the document is unusable (its problems say why) */
  readonly policy: CompiledPolicy | undefined;
  /** problems with pointers relative to the document */
  readonly problems: readonly Problem[];
  /** true when the input was already a compiled policy: reasons use its own name */
  readonly named: boolean;
  /** the policy with each label it has been given, reused across requests */
  readonly labeled: Map<
    string | number,
    { readonly policy: CompiledPolicy; readonly label: string | number }
  >;
}

export type PolicyKind = PolicyType | 'trust';

const KINDS: readonly PolicyKind[] = [
  'identity',
  'resource',
  'trust',
  'permissionBoundary',
  'session',
  'scp',
  'rcp',
];
const KIND_INDEX = new Map(KINDS.map((k, i) => [k, i]));

const NAMED = new WeakMap<CompiledPolicy, CompiledInput>();
const OBJECT_CACHE = new WeakMap<object, (CompiledInput | undefined)[]>();
const STRING_CACHE = new Map<string, CompiledInput>();
const STRING_CACHE_LIMIT = 10_000;
const NO_PROBLEMS: readonly Problem[] = [];

export function compilePolicyInput(input: unknown, kind: PolicyKind): CompiledInput {
  if (isCompiledPolicy(input)) {
    let wrapped = NAMED.get(input);
    if (!wrapped) {
      wrapped = { policy: input, problems: NO_PROBLEMS, named: true, labeled: new Map() };
      NAMED.set(input, wrapped);
    }
    return wrapped;
  }
  if (typeof input === 'object' && input !== null) {
    let perKind = OBJECT_CACHE.get(input);
    if (!perKind) {
      perKind = [];
      OBJECT_CACHE.set(input, perKind);
    }
    const k = KIND_INDEX.get(kind)!;
    return (perKind[k] ??= compileFresh(input, kind));
  }
  if (typeof input === 'string') {
    const key = `${kind}\u0000${input}`;
    const hit = STRING_CACHE.get(key);
    if (hit) return hit;
    const compiled = compileFresh(input, kind);
    if (STRING_CACHE.size >= STRING_CACHE_LIMIT) STRING_CACHE.clear();
    STRING_CACHE.set(key, compiled);
    return compiled;
  }
  return compileFresh(input, kind);
}

/** The problems of a compiled input, with pointers under the document's place in the request. */
export function problemsAt(compiled: CompiledInput, base: string): Problem[] {
  return compiled.problems.map((p) => ({ ...p, pointer: base + p.pointer }));
}

function compileFresh(input: unknown, kind: PolicyKind): CompiledInput {
  const { policy, problems } = parsePolicy(input, { name: kind, policyType: kind });
  return {
    policy,
    problems: problems.length ? problems : NO_PROBLEMS,
    named: false,
    labeled: new Map(),
  };
}
