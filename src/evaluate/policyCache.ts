/**
 * Compile each policy document once. Raw objects are cached by identity (WeakMap), strings by
 * value (bounded), so evaluating many requests against the same documents parses each once;
 * a document object must therefore not be changed after it has been evaluated (README). Each
 * compiled document carries its statement index (ActionEntry), filled as requests come.
 * The cache is keyed by document and kind only; the caller prefixes problem pointers with the
 * document's place in its request, which only costs anything when there are problems.
 */
import type { Problem } from '../problems.js';
import { isCompiledPolicy, parsePolicy } from '../policy/parse.js';
import type { CompiledPolicy, CompiledStatement, PolicyType } from '../policy/types.js';
import type { PrincipalMatchKind } from './principal.js';

/** A policy ready for evaluation, with the label reasons use. */
export interface Labeled {
  readonly policy: CompiledPolicy;
  readonly label: string | number;
  /** the compiled input: its statement index is shared by every label */
  readonly input: CompiledInput;
}

/**
 * The statement index: per lower-cased action, the statements whose Action/NotAction matches
 * it; then, for the resource and the principal of the last request, those whose
 * Resource/NotResource and Principal/NotPrincipal match them. Only the conditions, and the
 * resource patterns that hold policy variables, are left to check per request. One slot per
 * level, not a map: an analysis names most resources once, and a map of them would only cost
 * memory, while repeated requests (and the many links of one principal on one resource) hit.
 */
export interface ActionEntry {
  /** one candidate per statement whose Action/NotAction matches */
  readonly base: readonly Candidate[];
  /** no statement tests the resource (`*` or no Resource): `base` holds for every resource */
  readonly anyResource: boolean;
  lastResource: string | undefined;
  lastPlain: readonly Candidate[];
  lastPrincipal: object | undefined;
  /** the list `lastNamed` was filtered from */
  lastNamedFrom: readonly Candidate[] | undefined;
  /** whether `lastNamed` was made for a principal with a permissions boundary (NotPrincipal) */
  lastBounded: boolean;
  lastNamed: readonly Candidate[];
  /** the first read of each watched context key by `base`'s statements (evaluate.ts keyReadsOf), made on first use */
  keyReads: readonly KeyRead[] | undefined;
}

/** A statement's read of a watched context key: the key, its bit, where in the document. */
export interface KeyRead {
  readonly key: string;
  readonly bit: number;
  readonly pointer: string;
}

export interface Candidate {
  readonly statement: CompiledStatement;
  /** how the statement's Principal names the caller (principal-checked scans only) */
  readonly kind: PrincipalMatchKind | undefined;
  /** the statement's Resource/NotResource holds policy variables: check it per request */
  readonly dynamic: boolean;
  /** the statement's conditions, or undefined when it has none (read without the statement) */
  readonly conditions: CompiledStatement['conditions'] | undefined;
  /** the statement's effect is Deny */
  readonly deny: boolean;
}

export interface CompiledInput {
  /** undefined when the document is unusable (its problems say why) */
  readonly policy: CompiledPolicy | undefined;
  /** problems with pointers relative to the document */
  readonly problems: readonly Problem[];
  /**
   * the kind it was compiled as; undefined when the input was already a compiled policy (it
   * serves every kind, and reasons use its own name)
   */
  readonly kind: PolicyKind | undefined;
  /** the policy with each label it has been given, reused across requests */
  readonly labeled: Map<string | number, Labeled>;
  /** the statement index, per lower-cased action */
  readonly byAction: Map<string, ActionEntry>;
  /** the label given last and its Labeled: requests mostly give a document the same label */
  last: Labeled | undefined;
  /** one candidate per statement of the policy, made on first use */
  candidates: readonly Candidate[] | undefined;
  /** the keys a request may leave unsettled that a statement reads, as bits (evaluate.ts WATCHED_KEYS), made on first use */
  watchedKeys: number | undefined;
  /** the action of the last request on this document, and its index entry */
  lastAction: string | undefined;
  lastEntry: ActionEntry | undefined;
}

/** A compiled input whose document compiled. */
export type UsableInput = CompiledInput & { readonly policy: CompiledPolicy };

/** `key`: a KMS key policy, a resource policy where a statement without Resource has no effect */
export type PolicyKind = PolicyType | 'trust' | 'key';

const KINDS: readonly PolicyKind[] = [
  'identity',
  'resource',
  'trust',
  'key',
  'permissionBoundary',
  'session',
  'scp',
  'rcp',
];
const KIND_INDEX = new Map(KINDS.map((k, i) => [k, i]));

/** Compiled policies (one wrapper for every kind) and raw objects (one per kind), by identity. */
const OBJECT_CACHE = new WeakMap<object, CompiledInput | (CompiledInput | undefined)[]>();
const STRING_CACHE = new Map<string, CompiledInput>();
const STRING_CACHE_LIMIT = 10_000;
const NO_PROBLEMS: readonly Problem[] = [];

export function compilePolicyInput(input: unknown, kind: PolicyKind): CompiledInput {
  if (typeof input === 'object' && input !== null) {
    // one compiled input per object, straight from the map; an array only for an object that
    // is used as two kinds of policy
    const hit = OBJECT_CACHE.get(input);
    if (hit !== undefined && !Array.isArray(hit)) {
      if (hit.kind === undefined || hit.kind === kind) return hit;
      const perKind: (CompiledInput | undefined)[] = [];
      perKind[KIND_INDEX.get(hit.kind)!] = hit;
      const fresh = compileFresh(input, kind);
      perKind[KIND_INDEX.get(kind)!] = fresh;
      OBJECT_CACHE.set(input, perKind);
      return fresh;
    }
    if (hit === undefined) {
      const fresh = isCompiledPolicy(input)
        ? newInput(input, NO_PROBLEMS, undefined)
        : compileFresh(input, kind);
      OBJECT_CACHE.set(input, fresh);
      return fresh;
    }
    const k = KIND_INDEX.get(kind)!;
    return (hit[k] ??= compileFresh(input, kind));
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

/**
 * The usable compiled input with the label reasons give it: its policy's own name when the
 * input was a compiled policy, else `fallback` (memoised per label).
 */
export function labeledOf(c: UsableInput, fallback: string | number): Labeled {
  const label = c.kind === undefined ? c.policy.name : fallback;
  const last = c.last;
  if (last !== undefined && last.label === label) return last;
  let labeled = c.labeled.get(label);
  if (!labeled) {
    labeled = { policy: c.policy, label, input: c };
    if (c.labeled.size < 64) c.labeled.set(label, labeled);
  }
  c.last = labeled;
  return labeled;
}

/** The problems of a compiled input, with pointers under the document's place in the request. */
export function problemsAt(compiled: CompiledInput, base: string): Problem[] {
  return compiled.problems.map((p) => ({ ...p, pointer: base + p.pointer }));
}

function compileFresh(input: unknown, kind: PolicyKind): CompiledInput {
  const { policy, problems } =
    kind === 'key'
      ? parsePolicy(input, { name: kind, policyType: 'resource', keyPolicy: true })
      : parsePolicy(input, { name: kind, policyType: kind });
  return newInput(policy, problems.length ? problems : NO_PROBLEMS, kind);
}

/** Every compiled input is made here, with one shape. */
function newInput(
  policy: CompiledPolicy | undefined,
  problems: readonly Problem[],
  kind: PolicyKind | undefined,
): CompiledInput {
  return {
    policy,
    problems,
    kind,
    labeled: new Map(),
    byAction: new Map(),
    last: undefined,
    candidates: undefined,
    watchedKeys: undefined,
    lastAction: undefined,
    lastEntry: undefined,
  };
}
