/**
 * Condition keys whose value a link's request does not settle. AWS puts many keys in every
 * request context (the time, the caller's session name and user id, the network path, the S3
 * encryption context of a KMS call...) that no snapshot or template holds; others depend on
 * organization data the input may lack. A policy that tests such a key is evaluated with the key
 * absent, set to each value the policies compare it with, and set to values they do not name;
 * if the decision changes, the link is Unknown, naming the key, instead of being decided on a
 * value the real request would not have.
 *
 * Only keys a policy of the link tests cost anything: each compiled policy's tested keys are
 * collected once.
 */
import type { CompiledPolicy } from '../policy/types.js';

/** A key whose value is not known for a link, and how to say so. */
export interface UncertainKey {
  readonly key: string;
  /** what it is, in words */
  readonly what: string;
  /** the file that would settle it, when one would */
  readonly settle?: string;
}

/** An uncertain key a policy of the link tests, with the values to try. */
export interface KeyTrial {
  readonly key: UncertainKey;
  /** single values, or one list each for multivalued keys */
  readonly values: readonly (string | readonly string[])[];
  /**
   * the policies name more values than are worth trying one by one (a hostile or generated
   * policy): the key is taken to matter, so the link is Unknown rather than slow
   */
  readonly tooMany?: true;
}

/** Named values tried per key, at most; more make the key count as deciding. */
export const MAX_TRIED_VALUES = 64;

/** a value no policy names, for a key whose real value is not known */
const OTHER_VALUE = 'permchain-other-value';

/** The organization keys; whether they are uncertain depends on the organization data. */
const ORG_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:resourceorgid',
  'aws:resourceorgpaths',
]);

/**
 * Keys AWS sets that the chain never knows (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * the time of the request, the role session and user id, the network path (IP, VPC, VPC
 * endpoint), and for KMS calls the encryption context S3 sends
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context)
 * and the key's aliases.
 */
const GENERIC: ReadonlyMap<string, string> = new Map([
  ['aws:currenttime', 'the time of the run'],
  ['aws:epochtime', 'the time of the run'],
  ['aws:tokenissuetime', 'when the session was issued'],
  ['sts:rolesessionname', 'the session name the service picks'],
  ['aws:userid', 'the role session id'],
  ['aws:sourceip', 'the network address the call comes from'],
  ['aws:vpcsourceip', 'the network address the call comes from'],
  ['aws:sourcevpc', 'the VPC the call comes through'],
  ['aws:sourcevpce', 'the VPC endpoint the call comes through'],
  ['kms:resourcealiases', "the key's aliases"],
  // set on every link; tracked so that the STS endpoint is tried only when a policy tests it
  ['aws:requestedregion', 'the region the call is sent to'],
  // set on every S3 link; tracked so that a presigned URL and TLS 1.3 are tried only when a
  // policy tests them (resolveLink.ts gather)
  ['s3:authtype', 'whether the call is signed in its headers or is a presigned URL'],
  ['s3:tlsversion', 'the TLS version of the call'],
]);
const GENERIC_PREFIXES: readonly (readonly [string, string])[] = [
  ['kms:encryptioncontext:', 'the encryption context of the call'],
  ['aws:resourcetag/', "the resource's tags, which the input does not hold"],
];
const MULTI = new Set(['aws:principalorgpaths', 'aws:resourceorgpaths', 'kms:resourcealiases']);
const TIME = new Set(['aws:currenttime', 'aws:tokenissuetime']);
const EPOCH = 'aws:epochtime';
const IP = new Set(['aws:sourceip', 'aws:vpcsourceip']);

function isTracked(keyLower: string): boolean {
  if (ORG_KEYS.has(keyLower) || GENERIC.has(keyLower)) return true;
  for (const [prefix] of GENERIC_PREFIXES) if (keyLower.startsWith(prefix)) return true;
  return false;
}

type KeyValues = ReadonlyMap<string, readonly string[]>;
const TESTED = new WeakMap<CompiledPolicy, KeyValues | null>();

/** The tracked keys the policies test, with the values they compare them with (lower-cased keys). */
export function testedKeys(policies: Iterable<CompiledPolicy>): KeyValues | undefined {
  let out: Map<string, string[]> | undefined;
  for (const p of policies) {
    let own = TESTED.get(p);
    if (own === undefined) {
      let found: Map<string, string[]> | null = null;
      for (const st of p.statements)
        for (const c of st.conditions) {
          if (!isTracked(c.keyLower)) continue;
          found ??= new Map();
          const list = found.get(c.keyLower) ?? [];
          list.push(...c.values);
          found.set(c.keyLower, list);
        }
      own = found;
      TESTED.set(p, own);
    }
    if (!own) continue;
    out ??= new Map();
    for (const [k, v] of own) out.set(k, [...(out.get(k) ?? []), ...v]);
  }
  return out;
}

/**
 * The trials for one link: the organization keys the sides say are uncertain, and the generic
 * keys its policies test that its context does not set. `resourceTagsKnown`: the resource side
 * knows the resource's tags (a role), so aws:ResourceTag is not uncertain.
 */
export function trialsFor(
  orgUncertain: readonly UncertainKey[],
  tested: readonly (KeyValues | undefined)[],
  context: Readonly<Record<string, unknown>>,
  resourceTagsKnown: boolean,
): KeyTrial[] | undefined {
  const values = (k: string): string[] => {
    const all: string[] = [];
    for (const t of tested) all.push(...(t?.get(k) ?? []));
    return [...new Set(all)].sort();
  };
  const out: KeyTrial[] = [];
  for (const key of orgUncertain) {
    const k = key.key.toLowerCase();
    const v = values(k);
    if (v.length > 0) out.push(trial(key, k, v));
  }
  let set: Set<string> | undefined;
  const keys = new Set<string>();
  for (const t of tested) for (const k of t?.keys() ?? []) if (!ORG_KEYS.has(k)) keys.add(k);
  for (const k of [...keys].sort()) {
    if (resourceTagsKnown && k.startsWith('aws:resourcetag/')) continue;
    set ??= new Set(Object.keys(context).map((c) => c.toLowerCase()));
    if (set.has(k)) continue;
    const what =
      GENERIC.get(k) ?? GENERIC_PREFIXES.find(([prefix]) => k.startsWith(prefix))?.[1] ?? k;
    out.push(trial({ key: k, what }, k, values(k)));
  }
  return out.length > 0 ? out : undefined;
}

function trial(key: UncertainKey, k: string, named: readonly string[]): KeyTrial {
  return named.length > MAX_TRIED_VALUES
    ? { key, values: [], tooMany: true }
    : { key, values: candidates(k, named) };
}

/**
 * Values to try: those the policies name, and some they do not (another organization, a time
 * long past and far ahead, an address in no range they name).
 */
function candidates(k: string, named: readonly string[]): (string | readonly string[])[] {
  let tries: string[];
  if (TIME.has(k)) tries = [...named, '1970-01-02T00:00:00Z', '2999-01-01T00:00:00Z'];
  else if (k === EPOCH) tries = [...named, '86400', '32472144000'];
  else if (IP.has(k))
    // a CIDR names its network; an address in no range the policy names is a documentation one
    tries = [...named.map((v) => v.replace(/\/\d+$/, '')), '192.0.2.123'];
  else if (k.endsWith('orgpaths')) tries = [...named, 'o-permchainother/r-other/'];
  else if (k.endsWith('orgid')) tries = [...named, 'o-permchainother'];
  else tries = [...named, OTHER_VALUE];
  return MULTI.has(k) ? tries.map((v) => [v]) : tries;
}

/** Per policy, the values its conditions compare each key with (lower-cased keys). */
const CONDITION_VALUES = new WeakMap<CompiledPolicy, ReadonlyMap<string, readonly string[]>>();

function conditionValues(p: CompiledPolicy): ReadonlyMap<string, readonly string[]> {
  let own = CONDITION_VALUES.get(p);
  if (own === undefined) {
    const found = new Map<string, string[]>();
    for (const st of p.statements)
      for (const c of st.conditions) {
        const list = found.get(c.keyLower);
        if (list) list.push(...c.values);
        else found.set(c.keyLower, [...c.values]);
      }
    own = found;
    CONDITION_VALUES.set(p, own);
  }
  return own;
}

/**
 * The trial of a key the call carries with values no input gives (LinkSpec.unknownContext): each
 * value the policies compare it with, and one they do not; undefined when no policy tests it.
 */
export function unknownValueTrial(
  key: UncertainKey,
  policies: Iterable<CompiledPolicy>,
  multivalued: boolean,
): KeyTrial | undefined {
  const keyLower = key.key.toLowerCase();
  const named = new Set<string>();
  for (const p of policies) for (const v of conditionValues(p).get(keyLower) ?? []) named.add(v);
  if (named.size === 0) return undefined;
  const sorted = [...named].sort();
  if (sorted.length > MAX_TRIED_VALUES) return { key, values: [], tooMany: true };
  const tries = [...sorted, OTHER_VALUE];
  return { key, values: multivalued ? tries.map((v) => [v]) : tries };
}
