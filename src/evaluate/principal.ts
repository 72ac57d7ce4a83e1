/**
 * Who is calling, and how a policy's Principal element names them.
 *
 * A request principal has a set of identities that a `Principal` element can name: the account
 * (`arn:aws:iam::A:root`, or the bare id `A` in the caller's partition), the role ARN, the role
 * session ARN, the user ARN, the STS federated user ARN, or a service principal name. How it is named decides what a resource-policy Allow achieves
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 */
import type { PrincipalMatcher } from '../policy/types.js';

export type PrincipalKind = 'role' | 'session' | 'user' | 'root' | 'federated' | 'service';

export interface RequestPrincipal {
  readonly kind: PrincipalKind;
  /** as given in the request */
  readonly raw: string;
  /** the 12-digit account, undefined for service principals */
  readonly account: string | undefined;
  readonly partition: string;
  /** `arn:aws:iam::A:root` */
  readonly accountArn: string | undefined;
  /** for roles and role sessions: the role ARN (`aws:PrincipalArn` of a session is the role ARN) */
  readonly roleArn?: string;
  /** for role sessions: the session ARN */
  readonly sessionArn?: string;
  readonly userArn?: string;
  /**
   * for STS federated users (GetFederationToken): `arn:aws:sts::A:federated-user/name`, a
   * principal of its own that a resource policy can name
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html)
   */
  readonly federatedUserArn?: string;
  /** role or user name; for a federated user, the name its caller gave GetFederationToken */
  readonly name?: string;
  /** for service principals: the lower-cased service principal name */
  readonly service?: string;
  /** a service-linked role (path /aws-service-role/): SCPs and RCPs do not apply */
  readonly serviceLinked: boolean;
}

/** How a matched Principal element names the caller; decides what an Allow achieves. */
export type PrincipalMatchKind =
  'session' | 'federated' | 'user' | 'role' | 'account' | 'wildcard' | 'service';

const ACCOUNT_RE = /^\d{12}$/;
// Inside ARNs any all-digit account is accepted: real ones have 12 digits, but CDK's test
// assemblies use shorter made-up ones, which the template loader accepts with a warning.
const ARN_ACCOUNT_RE = /^\d{1,12}$/;

const PRINCIPAL_CACHE = new Map<string, RequestPrincipal | null>();
const PRINCIPAL_CACHE_LIMIT = 10_000;

/** Parse the request's principal string (memoised). Undefined when it is not a principal form. */
export function parseRequestPrincipal(raw: string): RequestPrincipal | undefined {
  const hit = PRINCIPAL_CACHE.get(raw);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parsePrincipal(raw);
  if (PRINCIPAL_CACHE.size >= PRINCIPAL_CACHE_LIMIT) PRINCIPAL_CACHE.clear();
  PRINCIPAL_CACHE.set(raw, parsed ?? null);
  return parsed;
}

function parsePrincipal(raw: string): RequestPrincipal | undefined {
  if (ACCOUNT_RE.test(raw)) return accountRoot(raw, 'aws', raw);
  if (!raw.startsWith('arn:')) {
    // service principals: codepipeline.amazonaws.com, and the .amazonaws.com.cn forms
    if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(raw) && raw.length < 256) {
      return {
        kind: 'service',
        raw,
        account: undefined,
        partition: 'aws',
        accountArn: undefined,
        service: raw.toLowerCase(),
        serviceLinked: false,
      };
    }
    return undefined;
  }
  const parts = raw.split(':');
  if (parts.length < 6) return undefined;
  const partition = parts[1]!;
  const service = parts[2]!;
  const account = parts[4]!;
  const resource = parts.slice(5).join(':');
  if (!ARN_ACCOUNT_RE.test(account)) return undefined;
  const accountArn = `arn:${partition}:iam::${account}:root`;
  if (service === 'iam') {
    if (resource === 'root') return accountRoot(account, partition, raw);
    if (resource.startsWith('role/')) {
      const name = resource.slice(resource.lastIndexOf('/') + 1);
      return {
        kind: 'role',
        raw,
        account,
        partition,
        accountArn,
        roleArn: raw,
        name,
        serviceLinked: resource.startsWith('role/aws-service-role/'),
      };
    }
    if (resource.startsWith('user/')) {
      const name = resource.slice(resource.lastIndexOf('/') + 1);
      return {
        kind: 'user',
        raw,
        account,
        partition,
        accountArn,
        userArn: raw,
        name,
        serviceLinked: false,
      };
    }
    return undefined;
  }
  if (service === 'sts') {
    if (resource.startsWith('assumed-role/')) {
      const [, roleName, session] = resource.split('/');
      if (!roleName || session === undefined) return undefined;
      // A session ARN carries no role path; aws:PrincipalArn is the role ARN
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
      return {
        kind: 'session',
        raw,
        account,
        partition,
        accountArn,
        roleArn: `arn:${partition}:iam::${account}:role/${roleName}`,
        sessionArn: raw,
        name: roleName,
        serviceLinked: false,
      };
    }
    if (resource.startsWith('federated-user/')) {
      return {
        kind: 'federated',
        raw,
        account,
        partition,
        accountArn,
        federatedUserArn: raw,
        name: resource.slice('federated-user/'.length),
        serviceLinked: false,
      };
    }
  }
  return undefined;
}

function accountRoot(account: string, partition: string, raw: string): RequestPrincipal {
  return {
    kind: 'root',
    raw,
    account,
    partition,
    accountArn: `arn:${partition}:iam::${account}:root`,
    serviceLinked: false,
  };
}

/**
 * The strongest way `matcher` names the principal, or undefined when it does not name it.
 * Principal matching has no partial wildcards: values are compared literally
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 */
export function matchPrincipal(
  matcher: PrincipalMatcher,
  p: RequestPrincipal,
): PrincipalMatchKind | undefined {
  if (p.kind === 'service') {
    if (matcher.service.includes(p.service!)) return 'service';
    // `"Principal": "*"` and `{"AWS": "*"}` are documented as equivalent: every principal
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous).
    return matcher.any ? 'wildcard' : undefined;
  }
  let best: PrincipalMatchKind | undefined;
  if (matcher.aws.length > LONG_LIST) best = strongestName(p, lookupOf(matcher));
  else {
    for (const value of matcher.aws) {
      const kind = nameKind(value, p);
      if (kind && rank(kind) > rank(best)) best = kind;
    }
  }
  if (best === undefined && namesAccount(matcher, p)) best = 'account';
  // `*` next to a weaker name (`{"AWS": ["*", "111122223333"]}`, `["*", "<role ARN>"]`) still
  // names everyone: a direct grant (see RANKS)
  if (matcher.any && rank('wildcard') > rank(best)) return 'wildcard';
  return best;
}

/**
 * Above this many AWS principals a Principal element is looked up in sets rather than scanned:
 * a bucket or key policy naming every account of an organization is read once per link.
 */
const LONG_LIST = 8;

interface Lookup {
  readonly aws: ReadonlySet<string>;
  readonly accounts: ReadonlySet<string>;
  /**
   * `<partition>:<account>:<name>` of every role ARN listed with a path (`role/<path>/<name>`):
   * what names a session of that role, whose ARN has no path (see namesRole)
   */
  readonly pathedRoles: ReadonlySet<string>;
}

const LOOKUPS = new WeakMap<PrincipalMatcher, Lookup>();

const PATHED_ROLE = /^arn:([^:]+):iam::([^:]*):role\/.*\/([^/]+)$/;

function lookupOf(matcher: PrincipalMatcher): Lookup {
  let l = LOOKUPS.get(matcher);
  if (!l) {
    const pathedRoles = new Set<string>();
    for (const v of matcher.aws) {
      const m = PATHED_ROLE.exec(v);
      if (m) pathedRoles.add(`${m[1]}:${m[2]}:${m[3]}`);
    }
    l = { aws: new Set(matcher.aws), accounts: new Set(matcher.accounts), pathedRoles };
    LOOKUPS.set(matcher, l);
  }
  return l;
}

/**
 * What the value loop of matchPrincipal finds, by lookups: the caller's identities are
 * distinct strings and at most one of session, federated user and user applies, so the
 * strongest is the first that is listed, in rank order.
 */
function strongestName(p: RequestPrincipal, l: Lookup): PrincipalMatchKind | undefined {
  if (p.sessionArn !== undefined && l.aws.has(p.sessionArn)) return 'session';
  if (p.federatedUserArn !== undefined && l.aws.has(p.federatedUserArn)) return 'federated';
  if (p.userArn !== undefined && l.aws.has(p.userArn)) return 'user';
  if (
    p.roleArn !== undefined &&
    (l.aws.has(p.roleArn) ||
      (p.kind === 'session' && l.pathedRoles.has(`${p.partition}:${p.account}:${p.name}`)))
  )
    return 'role';
  // the account (ARN or id) is matchPrincipal's last test (namesAccount)
  return undefined;
}

/** NotPrincipal applies unless every identity of the caller is listed (see notPrincipalApplies). */
function nameKind(value: string, p: RequestPrincipal): PrincipalMatchKind | undefined {
  if (p.sessionArn !== undefined && value === p.sessionArn) return 'session';
  // A resource policy can name the federated user session itself
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html).
  if (p.federatedUserArn !== undefined && value === p.federatedUserArn) return 'federated';
  if (p.userArn !== undefined && value === p.userArn) return 'user';
  if (p.roleArn !== undefined && namesRole(value, p)) return 'role';
  if (p.accountArn !== undefined && value === p.accountArn) return 'account';
  return undefined;
}

/**
 * Whether the Principal element names the caller's account: by its account ARN (in the
 * caller's partition), or by the bare 12-digit id. "The account ID and the account ARN behave
 * the same" and an id carries no partition: it names the account in the caller's own partition
 * (`aws`, `aws-us-gov`, `aws-cn`): a principal outside that partition could not call the
 * resource anyway
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
 */
function namesAccount(matcher: PrincipalMatcher, p: RequestPrincipal): boolean {
  if (p.account === undefined) return false;
  if (matcher.aws.length > LONG_LIST || matcher.accounts.length > LONG_LIST) {
    const l = lookupOf(matcher);
    return (p.accountArn !== undefined && l.aws.has(p.accountArn)) || l.accounts.has(p.account);
  }
  if (p.accountArn !== undefined && matcher.aws.includes(p.accountArn)) return true;
  return matcher.accounts.includes(p.account);
}

/**
 * Whether a principal value names the caller's role. A session ARN carries no role path, and
 * role names are unique within an account whatever their path, so for a session the role is
 * matched by account and name: `role/pipeline/BuildRole` names the sessions of `BuildRole`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 */
function namesRole(value: string, p: RequestPrincipal): boolean {
  if (value === p.roleArn) return true;
  if (p.kind !== 'session') return false;
  const prefix = `arn:${p.partition}:iam::${p.account}:role/`;
  return (
    value.startsWith(prefix) &&
    value.endsWith(`/${p.name}`) &&
    value.length > prefix.length + p.name!.length
  );
}

/**
 * How much a resource-policy Allow achieves by each way of naming the caller (sameAccountResource
 * Decision in evaluate.ts): when one statement names the caller several ways, the strongest is
 * taken, so adding a name to a Principal element never weakens its grant. Within the account, an
 * account principal only delegates to the identity policy (1); a role ARN needs no identity
 * allow but is still limited by the boundary and session policy (2); a user, role-session or
 * federated-user ARN, and `*`, grant directly (3): the evaluation-logic page sets an Allow to
 * `"*"` (narrowed by an `aws:PrincipalArn` condition) apart from one to the role ARN, as not
 * limited by the boundary or session policy
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 * So `{"AWS": ["*", "<role ARN>"]}` names the caller as `"*"` does. A service principal
 * is named only by its name or `*`, and either is all a request of it reads.
 */
const RANKS: Record<PrincipalMatchKind, number> = {
  account: 1,
  role: 2,
  wildcard: 3,
  service: 3,
  user: 3,
  session: 3,
  federated: 3,
};

function rank(kind: PrincipalMatchKind | undefined): number {
  return kind ? RANKS[kind] : 0;
}

/**
 * A statement with NotPrincipal applies to the caller unless every one of the caller's
 * identities (account, role, session, user, federated user) is listed. That is why AWS says a
 * Deny with NotPrincipal must list the account ARN as well as the role and session, "or the
 * account or role itself may be denied"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 * A federated user session (GetFederationToken) is a principal of its own, named by its
 * `federated-user/` ARN: listing its account alone does not exempt it, any more than it exempts
 * the account's users or role sessions (same page: the Deny applies to "all principals except
 * the principal specified", and a principal can be "an IAM user, AWS STS federated user
 * principal, IAM role, assumed role session, AWS account...").
 * A Deny with NotPrincipal also applies to every IAM principal that has a permissions boundary,
 * whatever it lists (same page); the caller (principalCandidates in evaluate.ts) checks that
 * first, since the boundary is part of the request, not of the principal.
 */
export function notPrincipalApplies(matcher: PrincipalMatcher, p: RequestPrincipal): boolean {
  if (matcher.any) return false;
  if (p.kind === 'service') return !matcher.service.includes(p.service!);
  if (p.account !== undefined && !namesAccount(matcher, p)) return true;
  if (p.roleArn && !matcher.aws.some((v) => namesRole(v, p))) return true;
  if (p.sessionArn && !matcher.aws.includes(p.sessionArn)) return true;
  if (p.userArn && !matcher.aws.includes(p.userArn)) return true;
  if (p.federatedUserArn && !matcher.aws.includes(p.federatedUserArn)) return true;
  return false;
}
