/**
 * Named classes of input where iam-simulate models AWS differently from the AWS documentation
 * (each is explained, with the documentation link, in known-differences.md). A predicate looks
 * only at the input, never at either answer, so it excludes exactly that class of cases, and
 * known-differences.test.ts pins permchain's behaviour for each class.
 */
import { kmsWorksAcrossAccounts } from '../../src/evaluate/kmsCrossAccount.js';
import { cidrContains, IP_WORDS, parseCidr, parseIpAddress } from '../../src/evaluate/ip.js';
import { isRcpService } from '../../src/evaluate/rcpServices.js';
import { actionResourceTypes } from '../../src/policy/actionCatalog.js';
import type { EvaluationRequest, PolicyInput } from '../../src/evaluate/types.js';
import { impliedContext, type GeneratedCase } from './generator.js';

export interface KnownDifference {
  readonly name: string;
  readonly applies: (c: GeneratedCase) => boolean;
}

type Doc = { Version?: unknown; Statement?: unknown };
type Stmt = Record<string, unknown>;

function statements(policy: PolicyInput): Stmt[] {
  const s = (policy as Doc | undefined)?.Statement;
  if (Array.isArray(s)) return s as Stmt[];
  return s && typeof s === 'object' ? [s as Stmt] : [];
}

function allPolicies(r: EvaluationRequest): PolicyInput[] {
  return [
    ...(r.identityPolicies ?? []),
    ...(r.resourcePolicy !== undefined ? [r.resourcePolicy] : []),
    ...(r.permissionBoundary !== undefined ? [r.permissionBoundary] : []),
    ...(r.sessionPolicy !== undefined ? [r.sessionPolicy] : []),
    ...(r.scps ?? []).flat(),
    ...(r.rcps ?? []).flat(),
  ];
}

function hasRcpStatements(r: EvaluationRequest): boolean {
  return (r.rcps ?? []).some((level) => level.some((p) => statements(p).length > 0));
}

/**
 * Does a NotPrincipal element name some of the caller's identities (its account by ARN or id,
 * its role, session or user) but not all of them?
 */
function namesSomeNotAll(notPrincipal: unknown, c: GeneratedCase): boolean {
  const p = c.principal;
  if (p.account === undefined) return false;
  const aws = (notPrincipal as { AWS?: unknown } | undefined)?.AWS;
  const list = (Array.isArray(aws) ? aws : [aws]).filter((x): x is string => typeof x === 'string');
  const roleName = p.roleArn?.slice(p.roleArn.lastIndexOf('/') + 1);
  const namesRole = (v: string): boolean =>
    v === p.roleArn ||
    (p.kind === 'session' &&
      v.startsWith(`arn:aws:iam::${p.account!}:role/`) &&
      v.endsWith(`/${roleName!}`));
  const named = [list.some((v) => v === p.account || v === `arn:aws:iam::${p.account!}:root`)];
  if (p.roleArn) named.push(list.some(namesRole));
  if (p.sessionArn) named.push(list.includes(p.sessionArn));
  if (p.userArn) named.push(list.includes(p.userArn));
  return named.some(Boolean) && !named.every(Boolean);
}

const KNOWN: KnownDifference[] = [
  {
    // iam-simulate substitutes ${...} in policies whose Version is 2008-10-17 or missing; AWS
    // treats the text as literal there.
    name: 'variables-without-version-2012',
    applies: (c) =>
      allPolicies(c.request).some(
        (p) => (p as Doc).Version !== '2012-10-17' && JSON.stringify(p).includes('${'),
      ),
  },
  {
    // iam-simulate applies RCPs to every service; AWS only to the services RCPs support.
    name: 'rcp-on-unsupported-service',
    applies: (c) => hasRcpStatements(c.request) && !isRcpService(c.request.action.split(':')[0]!),
  },
  {
    // iam-simulate applies SCPs to service principals; SCPs only affect IAM users and roles of
    // member accounts.
    name: 'scp-on-service-principal',
    applies: (c) => c.principal.kind === 'service' && (c.request.scps ?? []).length > 0,
  },
  {
    // iam-simulate applies SCPs and RCPs to service-linked roles; AWS does not.
    name: 'org-policies-on-service-linked-role',
    applies: (c) =>
      c.principal.kind === 'serviceLinkedRole' &&
      ((c.request.scps ?? []).length > 0 || hasRcpStatements(c.request)),
  },
  {
    // Deny + NotPrincipal that lists the caller but not its account (and role): AWS "might deny
    // access to the entire account"; permchain reports the deny, iam-simulate exempts the caller.
    // With a permissions boundary both apply the deny whatever NotPrincipal lists (AWS: it "will
    // always deny any IAM principal that has a permissions boundary policy attached"), so those
    // requests are compared.
    // Only a list that names some of the caller's identities but not all of them tells the two
    // apart: a list naming none applies the deny in both, one naming all exempts the caller in both.
    name: 'notprincipal-deny',
    applies: (c) =>
      c.request.permissionBoundary === undefined &&
      statements(c.request.resourcePolicy).some(
        (s) => s.Effect === 'Deny' && 'NotPrincipal' in s && namesSomeNotAll(s.NotPrincipal, c),
      ),
  },
  {
    // A KMS operation that does not work across accounts (kms:PutKeyPolicy, ScheduleKeyDeletion,
    // ...) on a key of another account: AWS says permissions for it "have no effect"; permchain
    // denies, iam-simulate allows when the key policy and the identity policy do.
    name: 'kms-cross-account-operation',
    applies: (c) => {
      const action = c.request.action.toLowerCase();
      if (!action.startsWith('kms:') || kmsWorksAcrossAccounts(action)) return false;
      const arn = /^arn:[^:]+:kms:[^:]*:(\d*):(?:key|alias)\//.exec(c.request.resource);
      if (!arn || c.principal.kind === 'service') return false;
      const owner = c.request.resourceAccount ?? arn[1];
      return owner !== c.principal.account;
    },
  },
  {
    // An sts action on a role of the caller's own account with no trust policy in the request:
    // the trust policy must allow explicitly, so permchain denies; iam-simulate allows on the
    // identity policy alone.
    name: 'trust-policy-missing',
    applies: (c) => {
      if (c.request.resourcePolicy !== undefined || c.principal.kind === 'service') return false;
      if (!c.request.action.toLowerCase().startsWith('sts:')) return false;
      const arn = /^arn:[^:]+:iam::(\d{12}):role\//.exec(c.request.resource);
      return arn !== null && arn[1] === c.principal.account;
    },
  },
];

KNOWN.push(
  {
    // RCPs on an action that authorizes no resource (no resource type in the Service
    // Authorization Reference: codepipeline:PutJobSuccessResult, s3:ListAllMyBuckets): AWS
    // applies "the RCPs of the resource owner's account" when "a resource is specified in the
    // 'Resource type' column"; permchain does not apply them, iam-simulate does.
    name: 'rcp-on-action-without-resource-type',
    applies: (c) => {
      if (!hasRcpStatements(c.request)) return false;
      const types = actionResourceTypes(c.request.action);
      return types !== undefined && types.length === 0;
    },
  },
  {
    // An action that authorizes no resource (no resource type in the Service Authorization
    // Reference: s3:ListAllMyBuckets, iam:ListRoles) on a resource ARN or resourceAccount of
    // another account: such an action has no resource owner, so permchain decides it in the
    // caller's account by its IAM policies; iam-simulate takes the account of the ARN as the
    // resource owner and asks for a resource policy it does not read.
    name: 'action-without-resource-type-in-another-account',
    applies: (c) => {
      if (c.principal.kind === 'service' || c.principal.account === undefined) return false;
      const types = actionResourceTypes(c.request.action);
      if (types === undefined || types.length > 0) return false;
      const arnAccount = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(c.request.resource)?.[1];
      const owner = c.request.resourceAccount ?? arnAccount;
      return owner !== undefined && owner !== c.principal.account;
    },
  },
  {
    // A role's trust policy that names an IAM user of the same account which has a permissions
    // boundary: AWS says the boundary "must allow the sts:AssumeRole action"; iam-simulate takes
    // the grant naming the user as final, as in other resource policies.
    name: 'trust-user-boundary',
    applies: (c) => {
      if (c.principal.kind !== 'user' || c.request.permissionBoundary === undefined) return false;
      if (!c.request.action.toLowerCase().startsWith('sts:')) return false;
      const arn = /^arn:[^:]+:iam::(\d{12}):role\//.exec(c.request.resource);
      return arn !== null && arn[1] === c.principal.account;
    },
  },
);

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = KNOWN;

/** Does a resource-policy Allow statement name the caller's session ARN, or everyone? */
function grantsSessionOrEveryone(c: GeneratedCase): boolean {
  return statements(c.request.resourcePolicy).some((s) => {
    if (s.Effect !== 'Allow' || !('Principal' in s)) return false;
    const p = s.Principal as unknown;
    if (p === '*') return true;
    const aws = (p as { AWS?: unknown }).AWS;
    const list = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
    return list.some((a) => a === '*' || a === c.principal.sessionArn);
  });
}

/** Conditions of every statement of every policy, as [operator, key, values]. */
function conditions(r: EvaluationRequest): [string, string, unknown][] {
  const out: [string, string, unknown][] = [];
  for (const p of allPolicies(r)) {
    for (const s of statements(p)) {
      const c = s.Condition as Record<string, Record<string, unknown>> | undefined;
      for (const [op, block] of Object.entries(c ?? {}))
        for (const [k, v] of Object.entries(block)) out.push([op, k, v]);
    }
  }
  return out;
}

/** Context keys the request has a value for, given or implied by the principal, lower-cased. */
function knownKeys(c: GeneratedCase): Set<string> {
  const out = new Set<string>();
  const add = (ctx: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(ctx))
      if (!((Array.isArray(v) || typeof v === 'string') && v.length === 0))
        out.add(k.toLowerCase());
  };
  add(c.request.context ?? {});
  add(impliedContext(c.principal, c.request.resourceAccount));
  return out;
}

/** Does the text hold `${key}` (no default) whose key has no value? `${*}`, `${?}`, `${$}` are text. */
function hasUnresolvedVariable(text: string, known: ReadonlySet<string>): boolean {
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    const body = m[1]!;
    if (body === '*' || body === '?' || body === '$') continue;
    if (body.includes(',')) continue; // a default value
    if (!known.has(body.trim().toLowerCase())) return true;
  }
  return false;
}

/** Context keys given as an empty string, lower-cased. */
function emptyStringKeys(r: EvaluationRequest): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(r.context ?? {})) if (v === '') out.add(k.toLowerCase());
  return out;
}

/** Context keys given as an empty list or an empty string, lower-cased. */
function emptyValueKeys(r: EvaluationRequest): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(r.context ?? {}))
    if ((Array.isArray(v) || typeof v === 'string') && v.length === 0) out.add(k.toLowerCase());
  return out;
}

KNOWN.push(
  {
    // A key given as an empty list or an empty string: permchain treats it as absent (AWS sends
    // no multivalued key rather than an empty one, and calls an empty string a "null dataset"),
    // iam-simulate as present. Only Null tells the two apart.
    name: 'null-on-empty-value',
    applies: (c) => {
      const empty = emptyValueKeys(c.request);
      return (
        empty.size > 0 &&
        conditions(c.request).some(([op, k]) => /^null$/i.test(op) && empty.has(k.toLowerCase()))
      );
    },
  },
  {
    // ForAllValues on a key given as an empty string: AWS "returns true if ... the context key
    // value resolves to a null dataset, such as an empty string"; iam-simulate compares the
    // empty string as a value (a 150,000-case run, seed 2003, found it with
    // ForAllValues:StringNotEqualsIgnoreCase and "" among the policy values).
    name: 'for-all-values-on-empty-string',
    applies: (c) => {
      const empty = emptyStringKeys(c.request);
      return (
        empty.size > 0 &&
        conditions(c.request).some(
          ([op, k]) => /^forallvalues:/i.test(op) && empty.has(k.toLowerCase()),
        )
      );
    },
  },
  {
    // iam-simulate ignores IfExists under ForAnyValue: an absent (or empty) key makes
    // ForAnyValue:...IfExists false there; AWS: "If the key is not present, evaluate the
    // condition element as true" for every ...IfExists operator.
    // Only a key that is absent or empty tells the two apart.
    name: 'for-any-value-if-exists',
    applies: (c) => {
      const known = knownKeys(c);
      return conditions(c.request).some(
        ([op, k]) => /^foranyvalue:.*ifexists$/i.test(op) && !known.has(k.toLowerCase()),
      );
    },
  },
  {
    // iam-simulate does not substitute policy variables in ARN condition operators; AWS allows
    // them with "the string operators or the ARN operators".
    name: 'variables-in-arn-conditions',
    applies: (c) =>
      conditions(c.request).some(
        ([op, , v]) => /arn/i.test(op) && JSON.stringify(v).includes('${'),
      ),
  },
  {
    // iam-simulate gives the account root no permissions of its own; AWS: "all requests are
    // implicitly denied with the exception of the AWS account root user, which has full access".
    // And the root user cannot call sts:AssumeRole at all ("You cannot use AWS account root user
    // credentials to call AssumeRole", API_AssumeRole), which iam-simulate does not model either.
    name: 'root-user-full-access',
    applies: (c) => c.principal.kind === 'root',
  },
  {
    // iam-simulate voids a whole statement when a policy variable has no value; AWS says a
    // Resource/NotResource entry with such a variable "will not match any resource" (so a
    // NotResource excludes nothing) and that "inverted condition operators like
    // StringNotEquals or StringNotLike do match against a null value".
    // Only a variable with no value in the request (nor one the principal implies) and no
    // default is unresolved; a resolved one is compared.
    name: 'unresolved-variable-in-notresource-or-negated-condition',
    applies: (c) => {
      const known = knownKeys(c);
      const unresolvedIn = (x: unknown): boolean => hasUnresolvedVariable(JSON.stringify(x), known);
      return allPolicies(c.request).some(
        (p) =>
          (p as Doc).Version === '2012-10-17' &&
          statements(p).some(
            (s) =>
              unresolvedIn(s.NotResource ?? '') ||
              Object.entries((s.Condition as Record<string, unknown> | undefined) ?? {}).some(
                ([op, block]) => /not/i.test(op) && unresolvedIn(block),
              ),
          ),
      );
    },
  },
  {
    // iam-simulate compares a bare address (no `/prefix`) with the caller's by text and only
    // within one family, so NotIpAddress with an IPv4 address is false for an IPv6 caller (and
    // the other way round); AWS: a bare address is that address's /32 (/128), which a caller of
    // the other family is not in, so NotIpAddress is true.
    name: 'not-ip-address-bare-address-other-family',
    applies: (c) => {
      const ip = Object.entries(c.request.context ?? {}).find(
        ([k]) => k.toLowerCase() === 'aws:sourceip',
      )?.[1];
      if (typeof ip !== 'string') return false;
      const v6 = ip.includes(':');
      return conditions(c.request).some(
        ([op, k, v]) =>
          /notipaddress/i.test(op) &&
          k.toLowerCase() === 'aws:sourceip' &&
          (Array.isArray(v) ? v : [v]).some(
            (a) => typeof a === 'string' && !a.includes('/') && a.includes(':') !== v6,
          ),
      );
    },
  },
  {
    // iam-simulate lets a session policy cap every resource-policy grant; AWS: a grant to the
    // session ARN "is not limited by the session policy" (and permchain treats Principal "*" like it).
    name: 'session-policy-vs-direct-grant',
    applies: (c) => c.request.sessionPolicy !== undefined && grantsSessionOrEveryone(c),
  },
);

/** The request's value of a context key (any case), if it is a string. */
function contextString(r: EvaluationRequest, key: string): string | undefined {
  const v = Object.entries(r.context ?? {}).find(([k]) => k.toLowerCase() === key)?.[1];
  return typeof v === 'string' ? v : undefined;
}

/** Condition values as a list of strings. */
function valueList(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

const EPOCH = /^\d+$/;

KNOWN.push(
  {
    // A Date operator whose policy value and request value are written differently, one in epoch
    // seconds and the other in ISO 8601: AWS takes either format; iam-simulate reads epoch values
    // as seconds and ISO values as milliseconds, so it compares numbers 1000 times apart.
    name: 'date-epoch-vs-iso',
    applies: (c) =>
      conditions(c.request).some(([op, k, v]) => {
        if (!/^(forallvalues:|foranyvalue:)?date/i.test(op)) return false;
        const request = contextString(c.request, k.toLowerCase());
        if (request === undefined) return false;
        return valueList(v).some((x) => EPOCH.test(x) !== EPOCH.test(request));
      }),
  },
  {
    // `${*}`, `${?}`, `${$}` under an operator without wildcards (StringEquals, StringNotEquals
    // and their IgnoreCase forms): AWS reads them as `*`, `?`, `$`; iam-simulate compares the
    // five characters `${*}` as they are written (it only turns them into the character under
    // the Like operators and in Resource).
    name: 'special-character-variables-in-string-equals',
    applies: (c) =>
      conditions(c.request).some(
        ([op, , v]) =>
          /^(forallvalues:|foranyvalue:)?string(not)?equals(ignorecase)?(ifexists)?$/i.test(op) &&
          valueList(v).some((x) => /\$\{[*?$]\}/.test(x)),
      ),
  },
  {
    // An IPv4 range with prefix /0 (0.0.0.0/0, every IPv4 address) and an IPv4 caller:
    // iam-simulate builds the mask as `-1 << 32`, which JavaScript reads as `-1 << 0`, so its
    // /0 is a /32 and matches only the one address.
    name: 'ipv4-prefix-zero',
    applies: (c) => {
      const ip = contextString(c.request, 'aws:sourceip');
      if (ip === undefined || ip.includes(':')) return false;
      return conditions(c.request).some(
        ([op, k, v]) =>
          /ipaddress/i.test(op) &&
          k.toLowerCase() === 'aws:sourceip' &&
          valueList(v).some((x) => !x.includes(':') && /\/0+$/.test(x)),
      );
    },
  },
  {
    // A bare IPv6 address (no /prefix) and an IPv6 caller in that address's /32 but not the
    // address itself: AWS says a value without a prefix gets "the default prefix value of /32";
    // iam-simulate compares the single address. (permchain reads such a value as /32 where
    // that denies more or allows less, and warns about it.)
    name: 'bare-ipv6-address',
    applies: (c) => {
      const ip = contextString(c.request, 'aws:sourceip');
      if (ip === undefined || !ip.includes(':')) return false;
      const caller = new Uint32Array(IP_WORDS);
      if (parseIpAddress(ip, caller) !== 6) return false;
      return conditions(c.request).some(
        ([op, k, v]) =>
          /ipaddress/i.test(op) &&
          k.toLowerCase() === 'aws:sourceip' &&
          valueList(v).some((x) => {
            if (x.includes('/') || !x.includes(':')) return false;
            const wide = parseCidr(`${x}/32`);
            const exact = parseCidr(x);
            return (
              wide !== undefined &&
              exact !== undefined &&
              cidrContains(wide, 6, caller) &&
              !cidrContains(exact, 6, caller)
            );
          }),
      );
    },
  },
);

export function knownDifferenceOf(c: GeneratedCase): string | undefined {
  for (const k of KNOWN_DIFFERENCES) if (k.applies(c)) return k.name;
  return undefined;
}
