/**
 * The request context: lower-cased keys (condition key names are case-insensitive,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html),
 * values as strings or string lists, and the keys the principal implies filled in unless the
 * request gives them.
 */
import type { ContextValue, RequestContext } from '../policy/types.js';
import type { RawContextValue } from './types.js';
import type { RequestPrincipal } from './principal.js';

/** Whether the request's own context gives `keyLower` (key names are case-insensitive). */
export function requestGivesKey(
  raw: Readonly<Record<string, RawContextValue>> | undefined,
  keyLower: string,
): boolean {
  if (!raw) return false;
  for (const key in raw) if (lowerKey(key) === keyLower) return true;
  return false;
}

/**
 * Build the context for one request. Keys AWS sets from the principal
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * - aws:PrincipalArn: the role ARN for a role or role session, the user ARN, the root ARN, the
 *   federated user ARN. A session ARN carries no role path, so for a session this is the
 *   path-less role ARN; evaluate() warns when a policy reads the key and the request does not
 *   give it (request.principal-arn.path-unknown);
 * - aws:PrincipalAccount: always present for IAM principals;
 * - aws:PrincipalType: `AssumedRole` for role sessions (a role only ever calls through a session),
 *   `User`, `Account` for root, `FederatedUser`;
 * - aws:username: IAM users only (absent for roles);
 * - aws:userid: the account id for the root user, `account:name` for a federated user (others
 *   carry a unique id no ARN gives: absent);
 * - aws:PrincipalIsAWSService: `true` only when a service principal calls; then
 *   aws:PrincipalServiceName is that service;
 * - aws:ResourceAccount: the resource owner's account, when known;
 * - kms:CallerAccount: the caller's account, on a KMS key resource operation by an IAM principal
 *   (`kmsCallerAccount`, given by the evaluator; https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account).
 */
export function buildContext(
  raw: Readonly<Record<string, RawContextValue>> | undefined,
  principal: RequestPrincipal | undefined,
  resourceAccount: string | undefined,
  kmsCallerAccount?: string,
): Map<string, ContextValue> {
  const ctx = new Map<string, ContextValue>();
  if (raw) {
    for (const key in raw) ctx.set(lowerKey(key), normalizeValue(raw[key]!));
  }
  if (principal) for (const [k, v] of principalKeys(principal)) setDefault(ctx, k, v);
  if (resourceAccount !== undefined) setDefault(ctx, 'aws:resourceaccount', resourceAccount);
  if (kmsCallerAccount !== undefined) setDefault(ctx, KMS_CALLER_ACCOUNT, kmsCallerAccount);
  return ctx;
}

const KMS_CALLER_ACCOUNT = 'kms:calleraccount';

/**
 * The same context, for the evaluator: the first few lookups read the request's context and the
 * principal's keys directly, and the map is only built when a request looks up more keys. Most
 * requests are decided by statements without conditions or policy variables and never look.
 */
export class LazyContext implements RequestContext {
  private map: Map<string, ContextValue> | undefined;
  private lookups = 0;
  constructor(
    private readonly raw: Readonly<Record<string, RawContextValue>> | undefined,
    private readonly principal: RequestPrincipal | undefined,
    private readonly resourceAccount: string | undefined,
    private readonly kmsCallerAccount?: string,
  ) {}

  get(keyLower: string): ContextValue | undefined {
    if (this.map !== undefined) return this.map.get(keyLower);
    if (++this.lookups > DIRECT_LOOKUPS) {
      this.map = buildContext(
        this.raw,
        this.principal,
        this.resourceAccount,
        this.kmsCallerAccount,
      );
      return this.map.get(keyLower);
    }
    const raw = this.raw;
    let found: RawContextValue | undefined;
    if (raw) {
      // the last key that lower-cases to the name wins, as when the map is built
      for (const key in raw) if (lowerKey(key) === keyLower) found = raw[key];
    }
    if (found !== undefined) return normalizeValue(found);
    if (this.principal) {
      const fromPrincipal = principalKeys(this.principal).get(keyLower);
      if (fromPrincipal !== undefined) return fromPrincipal;
    }
    if (keyLower === 'aws:resourceaccount') return this.resourceAccount;
    return keyLower === KMS_CALLER_ACCOUNT ? this.kmsCallerAccount : undefined;
  }
}

const DIRECT_LOOKUPS = 2;

const PRINCIPAL_KEYS = new WeakMap<RequestPrincipal, Map<string, ContextValue>>();

/** The keys a principal implies (memoised per principal: principals are memoised themselves). */
function principalKeys(p: RequestPrincipal): Map<string, ContextValue> {
  let keys = PRINCIPAL_KEYS.get(p);
  if (!keys) {
    keys = new Map();
    fillFromPrincipal(keys, p);
    PRINCIPAL_KEYS.set(p, keys);
  }
  return keys;
}

const LOWER_KEYS = new Map<string, string>();

/** Lower-cased key names, memoised: requests repeat the same keys. */
export function lowerKey(key: string): string {
  let lower = LOWER_KEYS.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (LOWER_KEYS.size < 50_000) LOWER_KEYS.set(key, lower);
  }
  return lower;
}

function normalizeValue(value: RawContextValue): ContextValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'string')
      ? (value as readonly string[])
      : value.map((v) => String(v));
  }
  return String(value as number | boolean);
}

function setDefault(ctx: Map<string, ContextValue>, key: string, value: ContextValue): void {
  if (!ctx.has(key)) ctx.set(key, value);
}

function fillFromPrincipal(ctx: Map<string, ContextValue>, p: RequestPrincipal): void {
  if (p.kind === 'service') {
    setDefault(ctx, 'aws:principalisawsservice', 'true');
    setDefault(ctx, 'aws:principalservicename', p.service!);
    return;
  }
  setDefault(ctx, 'aws:principalisawsservice', 'false');
  if (p.account !== undefined) setDefault(ctx, 'aws:principalaccount', p.account);
  switch (p.kind) {
    case 'role':
    case 'session':
      setDefault(ctx, 'aws:principalarn', p.roleArn!);
      setDefault(ctx, 'aws:principaltype', 'AssumedRole');
      break;
    case 'user':
      setDefault(ctx, 'aws:principalarn', p.userArn!);
      setDefault(ctx, 'aws:principaltype', 'User');
      setDefault(ctx, 'aws:username', p.name!);
      break;
    // aws:userid is the account id for the root user and `account:caller-specified-name` for a
    // federated user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable);
    // for users, roles and sessions it holds a unique id (AIDA..., AROA...) that no ARN gives
    case 'root':
      setDefault(ctx, 'aws:principalarn', p.accountArn!);
      setDefault(ctx, 'aws:principaltype', 'Account');
      if (p.account !== undefined) setDefault(ctx, 'aws:userid', p.account);
      break;
    case 'federated':
      setDefault(ctx, 'aws:principalarn', p.raw);
      setDefault(ctx, 'aws:principaltype', 'FederatedUser');
      if (p.account !== undefined) setDefault(ctx, 'aws:userid', `${p.account}:${p.name!}`);
      break;
  }
}

export type { RequestContext };
