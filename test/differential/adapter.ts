/**
 * Maps permchain's EvaluationRequest onto @cloud-copilot/iam-simulate's Simulation.
 *
 * iam-simulate is AGPL: only test/differential and bench import it, and only at run time.
 * This file has no runtime imports (types only): bench/run.js transpiles it on the fly.
 *
 * Mapping (see known-differences.md for what iam-simulate models differently):
 * - principal: the same string; a bare 12-digit account id becomes `arn:aws:iam::<id>:root`.
 * - action, resource: the same; resource.accountId = request.resourceAccount, else the ARN's
 *   account, else the principal's account (the same default as permchain).
 * - context: iam-simulate does not derive the keys the principal implies (its README lists
 *   "automatically populating context keys" as coming soon), so the adapter adds them, with the
 *   values AWS documents, unless the request gives them. Numbers and booleans become strings.
 * - identityPolicies -> identityPolicies [{name: `identity-<n>`}], resourcePolicy ->
 *   resourcePolicy, permissionBoundary -> permissionBoundaryPolicies [one], sessionPolicy ->
 *   sessionPolicy.
 * - scps levels -> serviceControlPolicies [{orgIdentifier: `scp-level-<n>`}] (root first), left
 *   out when principalIsManagementAccount; rcps levels -> resourceControlPolicies likewise, left
 *   out when resourceIsManagementAccount or resourceIsAwsManagedKey. Both add RCPFullAWSAccess
 *   at every level.
 */
import type { Simulation } from '@cloud-copilot/iam-simulate';
import type { EvaluationRequest, RawContextValue } from '../../src/evaluate/types.js';

const ACCOUNT_RE = /^\d{12}$/;

/** The account of an ARN (5th field) when it is a 12-digit id. */
function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':');
  const account = parts[4];
  return parts.length >= 6 && account !== undefined && ACCOUNT_RE.test(account)
    ? account
    : undefined;
}

interface PrincipalFacts {
  readonly arn: string;
  readonly account?: string;
  readonly kind: 'role' | 'session' | 'user' | 'root' | 'service' | 'federated' | 'unknown';
  readonly roleArn?: string;
  readonly userName?: string;
  readonly service?: string;
}

/** Classify a request principal string the way AWS ARNs are laid out. */
export function principalFacts(raw: string): PrincipalFacts {
  if (ACCOUNT_RE.test(raw)) return { arn: `arn:aws:iam::${raw}:root`, account: raw, kind: 'root' };
  if (!raw.startsWith('arn:')) return { arn: raw, kind: 'service', service: raw.toLowerCase() };
  const parts = raw.split(':');
  const account = arnAccount(raw);
  const resource = parts.slice(5).join(':');
  const partition = parts[1] ?? 'aws';
  if (parts[2] === 'iam' && resource === 'root') return { arn: raw, account, kind: 'root' };
  if (parts[2] === 'iam' && resource.startsWith('role/'))
    return { arn: raw, account, kind: 'role', roleArn: raw };
  if (parts[2] === 'iam' && resource.startsWith('user/')) {
    return {
      arn: raw,
      account,
      kind: 'user',
      userName: resource.slice(resource.lastIndexOf('/') + 1),
    };
  }
  if (parts[2] === 'sts' && resource.startsWith('assumed-role/')) {
    const roleName = resource.split('/')[1] ?? '';
    // aws:PrincipalArn of a role session is the role ARN; the session ARN has no path, so the
    // path is unknown here: the generator names roles so that this is the role's ARN, or gives
    // aws:PrincipalArn explicitly.
    return {
      arn: raw,
      account,
      kind: 'session',
      roleArn: `arn:${partition}:iam::${account ?? ''}:role/${roleName}`,
    };
  }
  if (parts[2] === 'sts' && resource.startsWith('federated-user/'))
    return { arn: raw, account, kind: 'federated' };
  return { arn: raw, account, kind: 'unknown' };
}

/**
 * The keys AWS sets from the principal and the resource owner
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 */
export function impliedKeys(
  principal: string,
  resourceAccount: string | undefined,
  kmsKeyOperation = false,
): Record<string, string> {
  const p = principalFacts(principal);
  const ctx: Record<string, string> = {};
  if (p.kind === 'service') {
    ctx['aws:PrincipalIsAWSService'] = 'true';
    ctx['aws:PrincipalServiceName'] = p.service!;
  } else {
    ctx['aws:PrincipalIsAWSService'] = 'false';
    if (p.account) ctx['aws:PrincipalAccount'] = p.account;
    if (p.kind === 'user') {
      ctx['aws:PrincipalArn'] = p.arn;
      ctx['aws:PrincipalType'] = 'User';
      ctx['aws:username'] = p.userName!;
    } else if (p.kind === 'root') {
      ctx['aws:PrincipalArn'] = p.arn;
      ctx['aws:PrincipalType'] = 'Account';
    } else if (p.kind === 'role' || p.kind === 'session') {
      ctx['aws:PrincipalArn'] = p.roleArn!;
      ctx['aws:PrincipalType'] = 'AssumedRole';
    } else if (p.kind === 'federated') {
      ctx['aws:PrincipalArn'] = p.arn;
      ctx['aws:PrincipalType'] = 'FederatedUser';
    }
  }
  if (resourceAccount !== undefined) ctx['aws:ResourceAccount'] = resourceAccount;
  // the caller's account on a KMS key operation
  // (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account)
  if (kmsKeyOperation && p.kind !== 'service' && p.account) ctx['kms:CallerAccount'] = p.account;
  return ctx;
}

function contextValue(v: RawContextValue): string | string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : String(v as string | number | boolean);
}

/** The resource owner, with permchain's default: the ARN's account, else the principal's. */
export function resourceAccountOf(request: EvaluationRequest): string {
  return (
    request.resourceAccount ??
    arnAccount(request.resource) ??
    principalFacts(request.principal).account ??
    ''
  );
}

type PolicyDoc = Simulation['resourcePolicy'];

export function toSimulation(request: EvaluationRequest): Simulation {
  const p = principalFacts(request.principal);
  const resourceAccount = resourceAccountOf(request);
  const contextVariables: Record<string, string | string[]> = {};
  const given = new Set(Object.keys(request.context ?? {}).map((k) => k.toLowerCase()));
  const kmsKeyOperation =
    request.action.toLowerCase().startsWith('kms:') &&
    /^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(request.resource);
  for (const [k, v] of Object.entries(
    impliedKeys(request.principal, resourceAccount, kmsKeyOperation),
  )) {
    if (!given.has(k.toLowerCase())) contextVariables[k] = v;
  }
  for (const [k, v] of Object.entries(request.context ?? {})) contextVariables[k] = contextValue(v);

  const scps = request.principalIsManagementAccount ? [] : (request.scps ?? []);
  const rcps =
    request.resourceIsManagementAccount || request.resourceIsAwsManagedKey
      ? []
      : (request.rcps ?? []);
  const simulation: Simulation = {
    request: {
      principal: p.kind === 'root' ? p.arn : request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables,
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({
      name: `identity-${i + 1}`,
      policy: policy as PolicyDoc,
    })),
    serviceControlPolicies: scps.map((level, i) => ({
      orgIdentifier: `scp-level-${i + 1}`,
      policies: level.map((policy, j) => ({
        name: `scp-${i + 1}-${j + 1}`,
        policy: policy as PolicyDoc,
      })),
    })),
    resourceControlPolicies: rcps.map((level, i) => ({
      orgIdentifier: `rcp-level-${i + 1}`,
      policies: level.map((policy, j) => ({
        name: `rcp-${i + 1}-${j + 1}`,
        policy: policy as PolicyDoc,
      })),
    })),
  };
  if (request.resourcePolicy !== undefined)
    simulation.resourcePolicy = request.resourcePolicy as PolicyDoc;
  if (request.permissionBoundary !== undefined) {
    simulation.permissionBoundaryPolicies = [
      { name: 'boundary', policy: request.permissionBoundary as PolicyDoc },
    ];
  }
  if (request.sessionPolicy !== undefined)
    simulation.sessionPolicy = request.sessionPolicy as PolicyDoc;
  return simulation;
}
