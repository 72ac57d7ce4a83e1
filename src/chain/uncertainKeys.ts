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
  'aws:sourceorgid',
  'aws:sourceorgpaths',
]);

/**
 * Keys AWS sets that the chain never knows (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * the time of the request, the role session and user id, the network path (IP, VPC, VPC
 * endpoint), and for KMS calls the encryption context S3 sends
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context)
 * and the key's aliases. By lower-cased key (key names are case-insensitive): the key as AWS
 * documents it, for the words of a link, and what it is.
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)
 */
const GENERIC: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['aws:currenttime', ['aws:CurrentTime', 'the time of the run']],
  ['aws:epochtime', ['aws:EpochTime', 'the time of the run']],
  ['aws:tokenissuetime', ['aws:TokenIssueTime', 'when the session was issued']],
  ['sts:rolesessionname', ['sts:RoleSessionName', 'the session name the service picks']],
  ['aws:userid', ['aws:userid', 'the role session id']],
  ['aws:sourceip', ['aws:SourceIp', 'the network address the call comes from']],
  ['aws:vpcsourceip', ['aws:VpcSourceIp', 'the network address the call comes from']],
  ['aws:sourcevpc', ['aws:SourceVpc', 'the VPC the call comes through']],
  ['aws:sourcevpce', ['aws:SourceVpce', 'the VPC endpoint the call comes through']],
  // "the requester's client application" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-useragent):
  // the services of a pipeline do not document what they send
  ['aws:useragent', ['aws:UserAgent', 'the client application the call comes from']],
  ['kms:resourcealiases', ['kms:ResourceAliases', "the key's aliases"]],
  // set from the call's encryption context where the link knows it (resolveLink.ts
  // encryptionContextKeys); tried otherwise
  [
    'kms:encryptioncontextkeys',
    ['kms:EncryptionContextKeys', 'the keys of the encryption context of the call'],
  ],
  // set on every link; tracked so that the STS endpoint is tried only when a policy tests it
  ['aws:requestedregion', ['aws:RequestedRegion', 'the region the call is sent to']],
  // set on every S3 link; tracked so that a presigned URL and TLS 1.3 are tried only when a
  // policy tests them (resolveLink.ts gather)
  [
    's3:authtype',
    ['s3:authType', 'whether the call is signed in its headers or is a presigned URL'],
  ],
  ['s3:tlsversion', ['s3:TlsVersion', 'the TLS version of the call']],
]);
/** The encryption context keys' prefix, lower-cased (see trialsFor). */
export const CONTEXT_PREFIX = 'kms:encryptioncontext:';
/** The KMS keys' prefix (see trialsFor). */
const KMS_PREFIX = 'kms:';
/** The EC2 keys' prefix (see GENERIC_PREFIXES). */
const EC2_PREFIX = 'ec2:';
/** lower-cased prefix, the prefix as AWS documents it, what it is */
const GENERIC_PREFIXES: readonly (readonly [string, string, string])[] = [
  // (S3's `aws:s3:arn` on the KMS calls it makes for artifacts is set in the link's context
  // instead, from the bucket's encryption: resolveLink.ts s3ArnContext; trialsFor skips it then)
  [CONTEXT_PREFIX, 'kms:EncryptionContext:', 'the encryption context of the call'],
  ['aws:resourcetag/', 'aws:ResourceTag/', "the resource's tags"],
  // EC2 sends keys of the resource a call acts on (ec2:Vpc, ec2:SubnetID, ec2:SecurityGroupID,
  // ec2:AvailabilityZone, ec2:ResourceTag/<key>, ...: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html),
  // which no input gives; tried on EC2 calls only (trialsFor), unless the link's context sets
  // them (CodeBuild's ec2:Subnet)
  [EC2_PREFIX, EC2_PREFIX, 'a property of the EC2 resource (its VPC, subnet, zone or tags)'],
];
const MULTI = new Set([
  'aws:principalorgpaths',
  'aws:resourceorgpaths',
  'aws:sourceorgpaths',
  'kms:resourcealiases',
  'kms:encryptioncontextkeys',
]);
const TIME = new Set(['aws:currenttime', 'aws:tokenissuetime']);
const EPOCH = 'aws:epochtime';
const IP = new Set(['aws:sourceip', 'aws:vpcsourceip']);

function isTracked(keyLower: string): boolean {
  if (ORG_KEYS.has(keyLower) || GENERIC.has(keyLower)) return true;
  for (const [prefix] of GENERIC_PREFIXES) if (keyLower.startsWith(prefix)) return true;
  return false;
}

type KeyValues = ReadonlyMap<string, readonly string[]>;

/** The tracked keys some policies test (see testedKeys). */
export interface TestedKeys {
  /** the values the policies compare each key with, by lower-cased key */
  readonly values: KeyValues;
  /** each key as the first policy (statement, condition) that tests it writes it */
  readonly written: ReadonlyMap<string, string>;
}

const TESTED = new WeakMap<CompiledPolicy, TestedKeys | null>();

/** The tracked keys the policies test, with the values they compare them with. */
export function testedKeys(policies: Iterable<CompiledPolicy>): TestedKeys | undefined {
  let values: Map<string, string[]> | undefined;
  let written: Map<string, string> | undefined;
  for (const p of policies) {
    let own = TESTED.get(p);
    if (own === undefined) {
      let found: { values: Map<string, string[]>; written: Map<string, string> } | null = null;
      for (const st of p.statements)
        for (const c of st.conditions) {
          if (!isTracked(c.keyLower)) continue;
          found ??= { values: new Map(), written: new Map() };
          const list = found.values.get(c.keyLower) ?? [];
          list.push(...c.values);
          found.values.set(c.keyLower, list);
          if (!found.written.has(c.keyLower)) found.written.set(c.keyLower, c.key);
        }
      own = found;
      TESTED.set(p, own);
    }
    if (!own) continue;
    values ??= new Map();
    written ??= new Map();
    for (const [k, v] of own.values) values.set(k, [...(values.get(k) ?? []), ...v]);
    for (const [k, w] of own.written) if (!written.has(k)) written.set(k, w);
  }
  return values && written ? { values, written } : undefined;
}

/**
 * A tracked key as a link names it: as AWS documents it, with the part after a documented
 * prefix (a tag key, an encryption context key) as the policy wrote it. The evaluator reads
 * keys case-insensitively, so the trial's context takes this spelling as well.
 */
function keyName(k: string, written: string | undefined): string {
  const documented = GENERIC.get(k)?.[0];
  if (documented !== undefined) return documented;
  const prefix = GENERIC_PREFIXES.find(([lower]) => k.startsWith(lower));
  if (prefix) return prefix[1] + (written ?? k).slice(prefix[0].length);
  return written ?? k;
}

/**
 * The trials for one link: the organization keys the sides say are uncertain, and the generic
 * keys its policies test that its context does not set. `resourceTagsKnown`: the resource side
 * knows the resource's tags (a role), so aws:ResourceTag is not uncertain. `service`: the call's
 * service prefix (EC2's keys are tried on EC2 calls only). `encryptionContextKnown`: the call's
 * encryption context is all in `context` (a KMS call S3 makes for an object an AWS service wrote:
 * `aws:s3:arn` alone), so the `kms:EncryptionContext:` keys it does not set are absent.
 */
export function trialsFor(
  orgUncertain: readonly UncertainKey[],
  tested: readonly (TestedKeys | undefined)[],
  context: Readonly<Record<string, unknown>>,
  resourceTagsKnown: boolean,
  service?: string,
  encryptionContextKnown = false,
): KeyTrial[] | undefined {
  const values = (k: string): string[] => {
    const all: string[] = [];
    for (const t of tested) all.push(...(t?.values.get(k) ?? []));
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
  for (const t of tested) for (const k of t?.values.keys() ?? []) if (!ORG_KEYS.has(k)) keys.add(k);
  for (const k of [...keys].sort()) {
    if (resourceTagsKnown && k.startsWith('aws:resourcetag/')) continue;
    // another service's call does not carry EC2's keys: they are absent, as the evaluator reads them
    if (k.startsWith(EC2_PREFIX) && service !== 'ec2') continue;
    // nor KMS's: a KMS key's policy or an identity policy with `kms:` keys on another call
    // (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html: KMS sets them
    // on KMS operations)
    if (k.startsWith(KMS_PREFIX) && service !== undefined && service !== 'kms') continue;
    if (encryptionContextKnown && k.startsWith(CONTEXT_PREFIX)) continue;
    set ??= new Set(Object.keys(context).map((c) => c.toLowerCase()));
    if (set.has(k)) continue;
    const written = tested.find((t) => t?.written.has(k))?.written.get(k);
    const what =
      GENERIC.get(k)?.[1] ?? GENERIC_PREFIXES.find(([prefix]) => k.startsWith(prefix))?.[2] ?? k;
    out.push(trial({ key: keyName(k, written), what }, k, values(k)));
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

/**
 * The trials of the request tags a tagging call carries when no input gives them: `aws:TagKeys`
 * (multivalued) and each `aws:RequestTag/<key>` some policy of the link tests, each absent (the
 * decision so far), set to every value the policies compare it with, and to one they do not
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html#access_tags_control-requests).
 */
export function requestTagTrials(policies: Iterable<CompiledPolicy>, what: string): KeyTrial[] {
  const list = [...policies];
  const keys = new Set<string>();
  for (const p of list)
    for (const k of conditionValues(p).keys())
      if (k === TAG_KEYS || k.startsWith(REQUEST_TAG)) keys.add(k);
  const out: KeyTrial[] = [];
  for (const k of [...keys].sort()) {
    const written = writtenKey(list, k);
    const key =
      k === TAG_KEYS ? 'aws:TagKeys' : `aws:RequestTag/${written.slice(REQUEST_TAG.length)}`;
    const t = unknownValueTrial({ key, what }, list, k === TAG_KEYS);
    if (t) out.push(t);
  }
  return out;
}

const TAG_KEYS = 'aws:tagkeys';
const REQUEST_TAG = 'aws:requesttag/';

/** The key `keyLower` as the first condition that tests it writes it. */
function writtenKey(policies: readonly CompiledPolicy[], keyLower: string): string {
  for (const p of policies)
    for (const st of p.statements)
      for (const c of st.conditions) if (c.keyLower === keyLower) return c.key;
  return keyLower;
}
