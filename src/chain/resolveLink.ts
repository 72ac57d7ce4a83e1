/**
 * Evaluate one link of the chain against the model: gather every policy that applies (the
 * caller's identity policies and boundary, the resource's policy, SCPs on the caller's side,
 * RCPs on the owner's side), ask the evaluator, and say why in plain words.
 *
 * Unknown is not allowed: when an input that could change the answer is missing from the
 * snapshot, the link is Unknown and names the file that would settle it. Only an explicit deny
 * found in what is known stays a denial, since nothing missing can undo it.
 */
import { evaluate } from '../evaluate/evaluate.js';
import { isRcpService } from '../evaluate/rcpServices.js';
import {
  matchPrincipal,
  notPrincipalApplies,
  parseRequestPrincipal,
} from '../evaluate/principal.js';
import type {
  EvaluationRequest,
  EvaluationResult,
  PolicyInput,
  PolicyType,
  RawContextValue,
  Reason,
} from '../evaluate/types.js';
import { isCompiledPolicy, parsePolicy } from '../policy/parse.js';
import type {
  CompiledCondition,
  CompiledPolicy,
  CompiledStatement,
  ResourcePattern,
  Template,
  UnknownStatement,
} from '../policy/types.js';
import { actionMatches, coversAction } from '../policy/actionMatch.js';
import { resolveTemplate, textAsPattern } from '../policy/variables.js';
import { buildContext } from '../evaluate/context.js';
import {
  compileArnGlob,
  compileGlob,
  escapeEscapes,
  escapeLiteral,
  PATTERN_ESCAPE,
} from '../policy/wildcard.js';
import type { ConditionOperatorName } from '../policy/operators.js';
import { OPERATOR_IMPLEMENTATIONS } from '../evaluate/conditions.js';
import { isAccountId, parseArn } from '../model/arn.js';
import {
  findBucket,
  findEcrRepository,
  findEventBus,
  findLambda,
  findSnsTopic,
  findRole,
  aliasTargetArn,
  isAwsManagedKeyAlias,
  isManagementAccount,
  orgMembership,
  orgPathOf,
  rcpLevels,
  resolveKmsKey,
  rolePolicies,
  scpLevels,
} from '../model/queries.js';
import type { KmsGrantModel, Model } from '../model/types.js';
import type { Problem } from '../problems.js';
import { formatStatement, policyTypeLabel, reasonPolicy } from '../report/summarize.js';
import type { LinkDecision, LinkReason, Location, ReportLink } from '../report/types.js';
import type { LinkSpec, S3ContextObjects } from './linkTypes.js';
import { accountSenderPolicy, busPolicyPlace } from './eventBusPolicy.js';
import type { SecondaryArtifactEnd } from './catalogTypes.js';
import { placeholdersInWords } from './placeholderWords.js';
import { PLACEHOLDER_PATTERN, unsettledText } from '../model/placeholders.js';
import { snapshotPath } from '../model/snapshotPath.js';
import {
  testedKeys,
  requestTagTrials,
  trialsFor,
  CONTEXT_PREFIX,
  MAX_TRIED_VALUES,
  unknownValueTrial,
  type KeyTrial,
  type UncertainKey,
} from './uncertainKeys.js';

type MutableRequest = { -readonly [K in keyof EvaluationRequest]: EvaluationRequest[K] };

interface Gathered {
  request: MutableRequest;
  /** inputs that are unknown: snapshot files or policy ARNs */
  missing: Set<string>;
  /** every compiled policy by the label reasons use, to point at its statements */
  byLabel: Map<string | number, CompiledPolicy>;
  /** the principal side's policies by label, looked up after `byLabel` (no merged copy per link) */
  moreLabels?: ReadonlyMap<string | number, CompiledPolicy>;
  /**
   * a definite failure found while gathering (a role or key that does not exist); `ofCaller`:
   * what does not exist is the caller (its fix names another caller), else the resource
   */
  absent?: { why: string; ofCaller?: true };
  resourceLabel: string;
  /** the organization target of each SCP level (root, OUs, account), to name a level in words */
  scpTargets?: readonly string[];
  /** keys whose value is unknown that the link's policies test, with the values to try */
  uncertain?: readonly KeyTrial[];
  /** the region of an S3 bucket resource (where its requests go), when known */
  resourceRegion?: string;
  /** the tags of the resource, when it is a role the input holds */
  resourceTags?: ReadonlyMap<string, string>;
  /** SCPs (caller) or RCPs (owner) that may not apply at all: the file that would settle it */
  scpsMayNotApply?: string;
  rcpsMayNotApply?: string;
  /**
   * missing inputs that can only add allows (a Lambda alias policy: AddPermission only writes
   * Allow statements; describe-organization, which can only say that guardrails do not apply):
   * an Allowed answer stands without them
   */
  allowOnly?: Set<string>;
  /**
   * missing inputs that are only the resource owner's side of a cross-account request (its
   * resource policy): when the caller's own side already lacks an allow, they cannot change the
   * answer, since across accounts both sides must allow
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
   */
  ownerSideOnly?: Set<string>;
  /**
   * the reverse: the Allow statements of the caller's own policies that a template does not
   * settle, of a cross-account request whose owner's side is known (its resource policy is in
   * the input, and nothing of it is missing). They can only allow on the caller's side: when the
   * owner's resource policy lacks the allow, they cannot change the answer (resourceSideDenies)
   */
  callerSideOnly?: Set<string>;
  /**
   * set by keyDependence: a trial of an implicitly denied link that the owner's resource policy
   * does not deny (it allows for that value, or the trial is decided otherwise), so the link's
   * own missing resource-policy allow does not hold for every value (resourceSideDenies)
   */
  ownerAllowsSomeTrial?: true;
  /** the same for the caller's side: a trial its own policies do not deny (callerSideDenies) */
  callerAllowsSomeTrial?: true;
  /** set by resourceOwner: the owner's resource policy is not in the input (see OwnerPolicyUnknown) */
  ownerPolicyUnknown?: OwnerPolicyUnknown;
  /**
   * the Allow statements with `NotPrincipal` left out of the resource policy that may cover the
   * link's action (NOT_PRINCIPAL_ALLOWS): their missing-input text, to their words (inputGaps)
   */
  notPrincipalAllows?: Map<string, string>;
  /** set by resourceOwner: a bucket whose region the input does not give (its file#pointer) */
  regionUnknownAt?: string;
  /** SCPs and RCPs that may apply at any level or none (see settleUnplaced) */
  unplacedScps?: readonly Unplaced[];
  unplacedRcps?: readonly Unplaced[];
  /** the KMS key's grants, when the resource is a key whose grants the input lists */
  kmsGrants?: readonly KmsGrantModel[];
  /** the KMS key's state when it is not `Enabled` (`Disabled`, `PendingDeletion`, ...) */
  kmsKeyNotEnabled?: { readonly state: string; readonly at: Location };
  /** the KMS key's state is not settled by the input (a template's unresolved `Enabled`) */
  kmsKeyStateUnknown?: readonly string[];
  /**
   * trials (values the input does not settle) denied the other way than the link's request:
   * implicitly where it is denied explicitly, or the reverse (see agrees)
   */
  otherDenials?: OtherDenial[];
  /**
   * set by s3ArnContext: the encryption context the request carries for a KMS call S3 makes, in
   * words, for a denial that its value decides (s3ArnNoted)
   */
  s3ArnNote?: string;
  /**
   * set by s3ArnContext: the link's KMS calls are for several objects, whose contexts differ, and
   * a policy tests the context: resolveLink resolves the call of each object (s3PerObject)
   */
  s3PerObject?: true;
  /**
   * set by s3ArnContext: the object ARN the request carries as `aws:s3:arn` ends in a name no
   * input gives (S3ContextObjects.unknownEnd), made up in the request and tried with others as
   * the ids of the link's resource are (idDependence)
   */
  s3Object?: RuntimeValue;
  /**
   * the resource as the report shows it, when the request carries made-up ids instead of the
   * `*`s the link is written with (see runtimeValue)
   */
  shownResource?: string;
}

/** What a trial tried that the input does not settle, to name it when it matters. */
interface Tried {
  /** in words: `\`aws:CurrentTime\` (the time of the run)` */
  readonly what: string;
  /**
   * each key of `what` in words, when it names several (keysTried): two trials that share a key
   * name it once when their words are put together (triedWords)
   */
  readonly parts?: readonly string[];
  /**
   * the inputs that would settle it, as the link's Unknown names them when the trial changes
   * its outcome (keyDependence, idDependence, standInMatters, settleUnplaced)
   */
  readonly settle: readonly string[];
  /**
   * set by settleUnplaced: the trial is of where SCPs or RCPs whose targets are not all known
   * are attached, not of a value the run may take, so an explicit deny it meets applies only if
   * they are attached there. In words: `the SCPs of \`<file>\` apply (not all their targets are
   * known)`
   */
  readonly placement?: string;
}

/** A trial denied the other way than the link's request (see agrees). */
interface OtherDenial {
  readonly result: EvaluationResult;
  /** the request the trial evaluated */
  readonly request: EvaluationRequest;
  readonly tried: Tried;
}

/**
 * A resource policy of the owner that no input holds. Whether it is missing for a link depends
 * on the caller (the resource side is shared by every caller), so gather decides.
 */
interface OwnerPolicyUnknown {
  /** how the missing input is named */
  readonly place: string;
  /** it can only add allows (a Lambda alias policy: AddPermission writes only Allow statements) */
  readonly allowOnly: boolean;
  /** it matters only across accounts (within the account the identity side decides, as before) */
  readonly crossAccountOnly: boolean;
}

/**
 * Allow statements with `NotPrincipal`: "NotPrincipal must be used with "Effect":"Deny". Using it
 * with "Effect":"Allow" is not supported."
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 * The evaluator reads one as written, an allow of every principal it does not list (`simulate`
 * keeps that answer, with the parser's `policy.notprincipal.allow` warning), but a link cannot
 * count on an allow AWS does not support. Such a statement of a resource policy is left out and
 * noted as an Allow that can only add allows, as an Allow a template does not settle is
 * (withoutNotPrincipalAllows, gather's `allowOnly`), in words of its own (inputGaps): a link the
 * other statements allow is Allowed. One they do not allow is resolved again with the statement
 * read as written (`asWritten`): when that is not Allowed either, the statement changes nothing
 * and that answer stands, as it was before (a denial, or Unknown for what else is missing);
 * when it is Allowed, the allow rests on the statement, and the link is the Unknown that names
 * it. `opened` counts the links whose gather found such a statement that may cover their action,
 * so that only they are resolved again. A Deny with `NotPrincipal` is supported, and read as
 * ever.
 */
const NOT_PRINCIPAL_ALLOWS = { asWritten: false, opened: 0 };

export function resolveLink(model: Model, spec: LinkSpec): ReportLink {
  if (NOT_PRINCIPAL_ALLOWS.asWritten) return resolveAsRead(model, spec);
  const opened = NOT_PRINCIPAL_ALLOWS.opened;
  const link = resolveAsRead(model, spec);
  if (link.decision === 'Allowed' || NOT_PRINCIPAL_ALLOWS.opened === opened) return link;
  let asWritten: ReportLink;
  NOT_PRINCIPAL_ALLOWS.asWritten = true;
  try {
    asWritten = resolveAsRead(model, spec);
  } finally {
    NOT_PRINCIPAL_ALLOWS.asWritten = false;
  }
  return asWritten.decision === 'Allowed' ? link : asWritten;
}

function resolveAsRead(model: Model, spec: LinkSpec): ReportLink {
  if (spec.unknownReason !== undefined) {
    // a name inside the resource that the input does not settle: decided when no name changes
    // the answer (byUnsettledName)
    const byName = spec.unsettledName && byUnsettledName(model, spec, spec.unsettledName);
    if (byName) return byName;
    // a call that is made whatever the value the input does not settle: a deny of every resource
    // by the caller's own side decides it (callerDeniesAnyResource)
    const byDeny =
      spec.callMade?.reason === spec.unknownReason
        ? callerDeniesAnyResource(model, spec)
        : undefined;
    if (byDeny) return byDeny;
    const missing = [...(spec.unknown ?? [])].sort();
    const settle = missing.length > 0 ? `; \`${missing.join('`, `')}\` would settle it` : '';
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `${spec.purpose}: ${spec.unknownReason}${settle}`,
      {
        missing,
      },
    );
  }
  if (spec.knownFailure !== undefined) {
    // a failure of the configuration (a missing RoleArn, an alias across accounts) is decided by
    // no policy: its why says what decides it
    return makeLink(
      spec,
      'ImplicitlyDenied',
      NO_REASONS,
      `${failing(spec)}: ${spec.knownFailure}`,
      { fix: spec.fix },
    );
  }
  // a stack or stack set ARN, or an Elastic Beanstalk environment's stack or group, whose ids no
  // input gives is evaluated with made-up ids; the report keeps the link as written
  // (`…:stack/<name>/*`, `…:stack/awseb-e-*-stack/*`)
  const awsKey = awsManagedKeyValue(model, spec);
  if (awsKey) spec = { ...spec, awsManagedKey: { alias: awsKey.alias } };
  const found = runtimeValues(spec);
  const runtime = awsKey ? [...(found ?? []), awsKey.value] : found;
  // a name in the resource that the input does not settle (a CodePipeline variable, a template
  // value) is tried the same way, as one more id: when every value tried gives one answer, no
  // value the run may use changes it (byUnsettledValues); else the link is what it was
  // an S3 object whose name no input gives (an artifact's): evaluated with a made-up name, and
  // others are tried when a policy may match some names and not others
  const objectName =
    spec.resourceUnknownEnd !== undefined
      ? s3ObjectValue(spec.resourceUnknownEnd, spec.resource)
      : undefined;
  const named = spec.resource.includes('unresolved-')
    ? byUnsettledValues(model, spec, runtime, objectName)
    : undefined;
  if (named && named.decision !== 'Unknown') return named;
  const all = objectName ? [...(runtime ?? []), objectName] : runtime;
  const g = gather(model, all ? withMadeUpIds(spec, all) : spec);
  if (g.s3PerObject && spec.s3Objects) return s3PerObject(model, spec, spec.s3Objects);
  if (all) {
    g.shownResource = shownIds(g.request.resource, all);
    g.resourceLabel = shownIds(g.resourceLabel, all);
  }
  const tried =
    objectName && namesMatter(g, objectName) ? [...(runtime ?? []), objectName] : runtime;
  const link = s3ArnNoted(decide(model, spec, g, withS3Object(tried, g)), g, spec);
  if (named && link.decision !== 'Unknown') {
    // the placeholder's own text decided it (a Deny written with NotResource matches it), where
    // the values tried show that the run's value may change the answer: Unknown, naming them
    const missing = new Set([...(named.missing ?? []), ...unresolvedIn(model, spec.resource)]);
    return { ...named, missing: boundedInputs([...missing].sort()) };
  }
  if (g.kmsKeyStateUnknown && link.decision === 'Allowed' && !worksInAnyKeyState(spec.permission)) {
    // the policies (or a grant) allow it, but the key may be disabled, and then KMS refuses it
    // (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html); a denial stands
    // either way
    const missing = [...g.kmsKeyStateUnknown].sort();
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `${spec.purpose} cannot be decided, though the policies allow it: it needs the kms key \`${g.resourceLabel}\` enabled, and the input does not settle its state: \`${missing.join('`, `')}\``,
      { missing },
    );
  }
  return link;
}

/**
 * resolveLink, answered once per spec object: link building resolves a few specs itself, to
 * choose between two documented resources (buildChain.ts eitherResource: resolveLinkKept), and
 * mostly keeps the spec as it was, which the analysis then resolves (resolveLinkOnce). The answer
 * depends on the model and the spec alone, and neither is changed once made. The answers kept are
 * taken once and are few (about one per pipeline).
 */
export function resolveLinkOnce(model: Model, spec: LinkSpec): ReportLink {
  const kept = KEPT.get(spec);
  if (kept !== undefined) {
    KEPT.delete(spec);
    if (kept.model === model) return kept.link;
  }
  return resolveLink(model, spec);
}

/** resolveLink, keeping the answer for resolveLinkOnce. */
export function resolveLinkKept(model: Model, spec: LinkSpec): ReportLink {
  const link = resolveLink(model, spec);
  KEPT.set(spec, { model, link });
  return link;
}

/**
 * Weak, so a kept answer whose spec was replaced (and is never asked for) goes with its spec and
 * does not keep its model alive; only these few specs are entered (an entry for every link made
 * the table, which V8 empties only in a full collection, slow to grow)
 */
const KEPT = new WeakMap<LinkSpec, { readonly model: Model; readonly link: ReportLink }>();

/**
 * A link whose resource holds a name the input does not settle (LinkSpec.unsettledName: a task
 * definition family), decided as a link with an id no input gives is (see RuntimeValue): it is
 * evaluated with a made-up name in its place, then with a second (a policy may match some names
 * and not others), then with each name a policy of the link names there by a pattern
 * (idDependence); a policy scoped to one family is met with that family. Only when every trial
 * gives the same answer is the link decided, by that answer: no name the run may use changes
 * it. Otherwise, or when the link is Unknown for another reason, undefined: it stays Unknown for
 * its name. Not tried when the resource's own policy, or its KMS key, may depend on the name:
 * buildChain allows only names of resources with no resource policy, in a resource whose
 * account and Region are settled. The link is evaluated with its request context, which
 * buildChain gives it only when every value of it is settled (an ECS TagResource's
 * `ecs:CreateAction`).
 */
function byUnsettledName(
  model: Model,
  spec: LinkSpec,
  name: { readonly placeholder: string; readonly reason: string },
): ReportLink | undefined {
  if (spec.unknownReason !== name.reason) return undefined;
  // the caller must be settled: a role the input names in full (or a service)
  if (spec.principal.kind === 'role' && !settledRole(spec.principal.arn)) return undefined;
  const role = UNSETTLED_ROLE_IDS[name.placeholder];
  if (role) {
    // a role of the caller's account, whose name no input gives (buildChain UNSETTLED_ROLE_ARNS)
    const caller = spec.principal.kind === 'role' ? parseArn(spec.principal.arn) : undefined;
    if (!caller || spec.resource !== `\${${name.placeholder}}`) return undefined;
    const parts = [`arn:${caller.partition}:iam::${caller.account}:role/`, role];
    const value: RuntimeValue = {
      written: spec.resource,
      parts,
      ids: [role],
      madeUp: render({ parts }, [role.kind.madeUp]),
    };
    const { unknownReason: _reason, unknown: _unknown, unsettledName: _name, ...decided } = spec;
    const link = decideByTrials(model, decided, [value]);
    // only an allow is certain: the task definition may have no role, and then nothing is passed
    return link?.decision === 'Allowed' ? link : undefined;
  }
  const value = unsettledNameValue(spec.resource, name.placeholder);
  if (!value) return undefined;
  const { unknownReason: _reason, unknown: _unknown, unsettledName: _name, ...decided } = spec;
  const link = decideByTrials(model, decided, [value]);
  return link?.decision === 'Unknown' ? undefined : link;
}

/**
 * The link evaluated with made-up ids in place of the ids of `values` and decided by trials of
 * other ids (decide, idDependence), for byUnsettledName and byUnsettledValues. Undefined when the
 * resource's side may depend on the ids, so that trials cannot stand for every value: a resource
 * policy, KMS key or grant was looked up, the resource was found absent or missing by a made-up
 * id, or a policy names the resource with a policy variable (namesByVariable). An Unknown link:
 * a value tried changes the answer, or each policy that denies allows some value tried (see
 * idDependence).
 */
function decideByTrials(
  model: Model,
  spec: LinkSpec,
  values: readonly RuntimeValue[],
): ReportLink | undefined {
  const g = gather(model, withMadeUpIds(spec, values));
  const madeUp = values.flatMap((v) => v.ids.map((id) => id.kind.madeUp));
  if (
    g.absent ||
    g.request.resourcePolicy !== undefined ||
    g.ownerPolicyUnknown ||
    g.kmsGrants ||
    g.kmsKeyNotEnabled ||
    g.kmsKeyStateUnknown ||
    g.s3PerObject ||
    [...g.missing].some((m) => madeUp.some((id) => m.includes(id))) ||
    namesByVariable(g)
  )
    return undefined;
  g.shownResource = shownIds(g.request.resource, values);
  g.resourceLabel = shownIds(g.resourceLabel, values);
  const link = decide(model, spec, g, withS3Object([...values], g)!);
  return link;
}

/**
 * A link whose resource ARN holds, in its resource part, a value the input does not settle (a
 * placeholder of Model.unresolved: a CodePipeline variable, a template value): each placeholder
 * is made an id no input gives (RuntimeValue), evaluated with a made-up value, a second one, and
 * each value a policy of the link names there by a pattern (idDependence). Decided only when every
 * trial gives the same answer, and when the resource's side does not depend on the value: no
 * resource policy, KMS key or grant was looked up by it, nothing was found missing by it, and the
 * resource was not found absent (a bucket, a function or a role named by a variable is looked up
 * by its name, which the trials make up); otherwise undefined, and the link is resolved as before
 * (Unknown, naming what would settle the value). An Unknown answer (a value tried changes it) is
 * kept only where the link resolved without trials is decided by the placeholder's own text.
 */
function byUnsettledValues(
  model: Model,
  spec: LinkSpec,
  runtime: RuntimeValue[] | undefined,
  objectName: RuntimeValue | undefined,
): ReportLink | undefined {
  const unresolved = model.unresolved;
  if (!unresolved || unresolved.size === 0) return undefined;
  const arn = parseArn(spec.resource);
  if (!arn || arn.account.includes('unresolved') || arn.region.includes('unresolved'))
    return undefined;
  // (an S3 object's `*` that ends the resource is a name no input gives, not the character: an
  // ObjectKey `#{variables.Dir}` extracts `<value>/<each file's path>`)
  const base = runtime?.find((v) => v.written === spec.resource) ?? objectName;
  const parts: (string | RuntimeId)[] = [];
  let names = 0;
  for (const part of base?.parts ?? [spec.resource]) {
    if (typeof part !== 'string') {
      parts.push(part);
      continue;
    }
    let rest = part;
    for (let m = PLACEHOLDER_PATTERN.exec(rest); m; m = PLACEHOLDER_PATTERN.exec(rest)) {
      const u = unresolved.get(m[0]);
      if (!u) return undefined;
      if (m.index > 0) parts.push(rest.slice(0, m.index));
      parts.push({
        kind: UNSETTLED_VALUE,
        what: `the value at \`${placeOf(u.location)}\``,
        some: `values at \`${placeOf(u.location)}\``,
        why: `which the input does not settle (${u.reason})`,
      });
      names++;
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest !== '') parts.push(rest);
  }
  if (names === 0) return undefined;
  const ids = parts.filter((p): p is RuntimeId => typeof p !== 'string');
  const value: RuntimeValue = {
    written: spec.resource,
    parts,
    ids,
    madeUp: render(
      { parts },
      ids.map((id) => id.kind.madeUp),
    ),
  };
  // an Unknown answer: a value tried changes it (resolveLink compares it with the link resolved
  // without trials)
  return decideByTrials(model, spec, [...(runtime ?? []).filter((v) => v !== base), value]);
}

/**
 * Whether a policy of the link names resources for its action with a policy variable
 * (`stack/${aws:PrincipalTag/team}-*`): the values tried for an unsettled name are made from each
 * pattern with its variables read as `*`, which the variable's own value need not match, so the
 * trials would not show that some names are allowed.
 */
function namesByVariable(g: Gathered): boolean {
  const action = g.request.action.toLowerCase();
  return policiesOf(g).some(({ policy }) =>
    idMentionsOf(policy).some((m) => m.raw.includes('${') && coversAction(m.statement, action)),
  );
}

/** A role ARN the input settles in full: no placeholder, no \`(not known)\` stand-in. */
function settledRole(arn: string): boolean {
  return (
    parseArn(arn) !== undefined && !/\$\{|\(not known\)/.test(arn) && !PLACEHOLDER_PATTERN.test(arn)
  );
}

/**
 * A link whose call is made (LinkSpec.callMade) but whose resource, or a value of its request,
 * the input does not settle, decided when the caller's own side denies the call on every
 * resource: an explicit deny in any policy that applies wins, whatever else applies
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * step 1), and a Deny statement without conditions whose `Resource` is `*` matches the call
 * whatever its resource and its request context. Only the caller's side is read: its identity
 * policies, its permissions boundary and its account's SCPs (an explicit deny in a boundary or
 * an SCP applies as one in an identity policy does:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html);
 * the resource's own policy and its owner's RCPs depend on the resource, which is not known.
 * SCPs whose application the input does not settle (the management account, the feature set:
 * guardrailDenyUnsure) or whose targets are not all known do not count. Without such a deny, an
 * SCP level that allows the action on no resource decides it too (scpNeverAllows). The caller
 * must be a role the input names, that exists; the permission one action. Otherwise undefined:
 * the link stays Unknown.
 */
function callerDeniesAnyResource(model: Model, spec: LinkSpec): ReportLink | undefined {
  if (spec.principal.kind !== 'role' || !settledRole(spec.principal.arn)) return undefined;
  if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(spec.permission)) return undefined;
  const caller = spec.principal.arn;
  const ps = callerSide(model, caller);
  if (ps.absent) return undefined;
  const f = ps.fields;
  const scpsUnsure =
    ps.guardrailsMayNotApply !== undefined && ps.missing.includes(ps.guardrailsMayNotApply);
  const request: EvaluationRequest = {
    principal: caller,
    action: spec.permission,
    // a stand-in of the resource's kind (the denies kept below match any resource)
    resource: standInResource(spec, caller),
    context: {},
    identityPolicies: f.identityPolicies,
    permissionBoundary: f.permissionBoundary,
    scps: scpsUnsure ? undefined : f.scps,
    principalIsManagementAccount: f.principalIsManagementAccount,
  };
  const result = evaluate(request);
  const g: Gathered = {
    request,
    missing: new Set(),
    byLabel: ps.byLabel as Map<string | number, CompiledPolicy>,
    resourceLabel: spec.resource,
    shownResource: spec.resource,
  };
  if (ps.scpTargets) g.scpTargets = ps.scpTargets;
  const resource = spec.resource.startsWith('arn:') ? `\`${spec.resource}\`` : spec.resource;
  const unsettled = `so on ${resource} too, which the input does not settle (${spec.unknownReason})`;
  if (result.decision === 'ExplicitlyDenied') {
    const denies = result.deniedBy.filter(
      (d) =>
        d.explicit &&
        (d.policyType === 'identity' ||
          d.policyType === 'permissionBoundary' ||
          d.policyType === 'scp') &&
        deniesEveryResource(policyByLabel(g, d.policy), d.statement),
    );
    if (denies.length > 0)
      return makeLink(
        spec,
        'ExplicitlyDenied',
        denies.map((r) => toLinkReason(r, g)),
        `${explicitDenyWords(denies[0]!, `\`${caller}\``, `${spec.permission} on every resource, with no condition`)}, ${unsettled}`,
        { fix: denyFix(spec, denies) },
      );
  }
  // SCPs that may not apply are already out of the request (scpsUnsure); as for a link whose
  // resource is known (scpDeniesAnyway), no organization file may be missing but the tree above
  // the known levels: the caller's own files cannot supply the allow a level lacks
  if (ps.unplaced || organizationFileMissing(ps.missing)) return undefined;
  return scpNeverAllows(spec, result, g, unsettled);
}

/**
 * The other certain answer of callerDeniesAnyResource: a level of the caller's SCPs (from the
 * root to its account) with no Allow statement for the action at all, on any resource or under
 * any condition, denies it whatever the resource and whatever else allows it: every level must
 * allow, and an SCP limits what resource-based policies grant too
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
 * The evaluator's implicit deny names every level that lacks an allow, and knows whether SCPs
 * apply to the caller (not to a service-linked role, nor in the management account); an explicit
 * deny that does not decide the link (a condition) hides them, so the request is asked again
 * without the caller's own policies. Each such level is then read whole: a statement it skipped
 * as invalid, or an Allow a template does not settle, may allow the action, and then undefined
 * (the link stays Unknown).
 */
function scpNeverAllows(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
  unsettled: string,
): ReportLink | undefined {
  const levels = g.request.scps as readonly (readonly CompiledPolicy[])[] | undefined;
  if (!levels || levels.length === 0) return undefined;
  const implicit =
    result.decision === 'ExplicitlyDenied'
      ? evaluate({ ...g.request, identityPolicies: undefined, permissionBoundary: undefined })
      : result;
  if (implicit.decision !== 'ImplicitlyDenied') return undefined;
  const lacking = levelsNeverAllowing(implicit, levels, spec.permission);
  if (lacking.length === 0) return undefined;
  return makeLink(
    spec,
    'ImplicitlyDenied',
    lacking.map((r) => toLinkReason(r, g)),
    `${failing(spec)}: ${lacking.map((d) => missingAllowWords(d, spec, g, [g.request])).join('; ')}, for any resource, ${unsettled}`,
    { fix: lackingFix(spec, { ...implicit, deniedBy: lacking }, g) },
  );
}

/**
 * The level (0-based, from the root) of an SCP reason the evaluator names `level N` (a level
 * with several SCPs, evaluate.ts); undefined for one that names its SCP.
 */
function scpLevelIndex(d: Reason): number | undefined {
  const m = typeof d.policy === 'string' ? /^level (\d+)$/.exec(d.policy) : null;
  return m ? Number(m[1]) - 1 : undefined;
}

/**
 * An SCP level the evaluator names `level N` (several SCPs, none allowing) as the report names it:
 * by its target and its SCPs, `SCPs attached to ou-1 (level 2 of 3): p-1 (Name), p-2 (Name)`
 * (summarize.ts namesPolicyGroup). The level's number, counted from the top of the levels known
 * (the root's when the input gives the whole tree), stays in it: a baseline entry written when
 * the label was `level N` is matched by it (baseline.ts legacyReason). Other reasons as they are.
 */
function levelNamed(r: Reason, g: Gathered): Reason {
  const at = r.policyType === 'scp' ? scpLevelIndex(r) : undefined;
  if (at === undefined) return r;
  const levels = g.request.scps ?? [];
  const names = (levels[at] ?? []).map((p) =>
    p && typeof p === 'object' && isCompiledPolicy(p) ? p.name : '(not named)',
  );
  const target = g.scpTargets?.[at];
  const level = `level ${at + 1} of ${Math.max(levels.length, at + 1)}`;
  const where = target !== undefined ? `attached to ${target} (${level})` : `of ${level}`;
  return { ...r, policy: `SCPs ${where}: ${names.join(', ')}` };
}

/**
 * The SCP levels an implicit deny names as lacking an allow (`level N`, or the one SCP of its
 * level) that no statement of theirs could allow the action at, on any resource or under any
 * condition (neverAllows).
 */
function levelsNeverAllowing(
  result: EvaluationResult,
  levels: readonly (readonly CompiledPolicy[])[],
  permission: string,
): Reason[] {
  const lower = permission.toLowerCase();
  return result.deniedBy.filter((d) => {
    if (d.explicit || d.policyType !== 'scp') return false;
    const at = scpLevelIndex(d);
    const level =
      at !== undefined ? levels[at] : levels.find((l) => l.length === 1 && l[0]!.name === d.policy);
    return level !== undefined && level.every((p) => neverAllows(p, lower));
  });
}

/**
 * A link denied by an SCP level that no statement of its could allow the action at, on any
 * resource or under any condition (levelsNeverAllowing), while other input is missing: every
 * level from the root to the account must allow, and guardrails grant nothing
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html),
 * so no missing identity, boundary or resource policy can change the answer. Only when the
 * organization's own files are there (all but the tree above the known levels, as deniedAnyway
 * allows), no SCP's targets are unknown (one may be attached at that level and allow it) and no
 * trial was denied otherwise. Tried only where the link would be Unknown for what is missing;
 * only the SCP levels are named: the other policies' allows may be missing only because their
 * files are.
 */
function scpDeniesAnyway(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
): ReportLink | undefined {
  if (
    result.decision !== 'ImplicitlyDenied' ||
    g.unplacedScps ||
    g.otherDenials ||
    organizationFileMissing(g.missing)
  )
    return undefined;
  const levels = g.request.scps as readonly (readonly CompiledPolicy[])[] | undefined;
  if (!levels) return undefined;
  const lacking = levelsNeverAllowing(result, levels, spec.permission);
  if (lacking.length === 0) return undefined;
  const named = [...g.missing].filter((m) => !m.startsWith('unresolved/')).sort();
  const words = lacking.map((d) => missingAllowWords(d, spec, g, [g.request])).join('; ');
  return makeLink(
    spec,
    'ImplicitlyDenied',
    lacking.map((r) => toLinkReason(r, g)),
    `${failing(spec)}: ${words}, on any resource and under any condition, which nothing missing from the input${named.length > 0 ? ` (${quotedInputs(named).join(', ')})` : ''} can change`,
    { fix: lackingFix(spec, { ...result, deniedBy: lacking }, g) },
  );
}

/**
 * An organization file is missing other than the tree above the known levels (`parents.json`:
 * queries.ts keeps a broken chain's levels that have a policy attached, each read in full): an
 * SCP the input does not hold may be attached at a level and allow the action there.
 */
function organizationFileMissing(missing: Iterable<string>): boolean {
  for (const m of missing)
    if (m.startsWith('organization/') && m !== snapshotPath.orgParents) return true;
  return false;
}

/** No statement of the policy can allow the (lower-cased) action, whatever its resource. */
function neverAllows(policy: CompiledPolicy, actionLower: string): boolean {
  if (policy.skipped.length > 0) return false;
  if (policy.unknownAllows?.some((u) => mayCover(u, actionLower))) return false;
  return policy.statements.every((s) => s.effect !== 'Allow' || !coversAction(s, actionLower));
}

/**
 * An ARN the evaluator takes for a resource the input does not settle: the link's own when it
 * is one (its unsettled parts left as written), a made-up key ARN in the caller's account for
 * KMS (KMS authorizes a call by the key's ARN), else a made-up ARN of the service.
 */
function standInResource(spec: LinkSpec, caller: string): string {
  const service = serviceOf(spec.permission);
  const arn = parseArn(caller)!;
  const region = spec.region ?? 'us-east-1';
  if (service === 'kms')
    return `arn:${arn.partition}:kms:${region}:${arn.account}:key/00000000-0000-4000-8000-000000000000`;
  if (spec.resource.startsWith(`arn:${arn.partition}:`)) return spec.resource;
  return `arn:${arn.partition}:${service}:${region}:${arn.account}:unsettled`;
}

/**
 * Whether the statement a reason names (by Sid, or by index when it has none; every statement
 * so named, should a Sid be written twice) is a Deny without conditions whose `Resource`
 * includes `*`: it matches a request on any resource with any context.
 */
function deniesEveryResource(
  policy: CompiledPolicy | undefined,
  statement: string | number | undefined,
): boolean {
  if (!policy || statement === undefined) return false;
  const named = namedStatements(policy, statement);
  return (
    named.length > 0 &&
    named.every(
      (s) =>
        s.effect === 'Deny' &&
        s.conditions.length === 0 &&
        // set only without NotResource (one of them is)
        s.resource?.any === true,
    )
  );
}

/** The link's decision once its request is gathered (see resolveLink). */
function decide(
  model: Model,
  spec: LinkSpec,
  g: Gathered,
  runtime: RuntimeValue[] | undefined,
): ReportLink {
  if (g.absent) {
    // no policy can allow a caller or resource that does not exist: the fix names one that does
    const name = g.absent.ofCaller
      ? `a role that exists in place of \`${g.request.principal}\``
      : `${spec.permission.toLowerCase().startsWith('kms:') ? 'a kms key' : 'a role'} that exists in place of \`${spec.resource}\``;
    // no policy decides it: its why names what is absent, and where it was looked for
    return makeLink(spec, 'ImplicitlyDenied', NO_REASONS, g.absent.why, {
      fix: `name ${name} (or create it)`,
    });
  }
  if (g.kmsKeyNotEnabled && !worksInAnyKeyState(spec.permission)) {
    // "You can use a KMS key in cryptographic operations only when its key state is Enabled"
    // (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html): whatever the
    // policies say, the call fails
    // the key's state decides, not its policy: no policy reason, the why names the state's place
    const { state, at } = g.kmsKeyNotEnabled;
    return makeLink(
      spec,
      'ImplicitlyDenied',
      NO_REASONS,
      `${failing(spec)}: the kms key \`${g.resourceLabel}\` is not enabled (key state \`${state}\`), as \`${placeOf(at)}\` says, and KMS refuses ${spec.permission} with it whatever the policies allow`,
      { fix: `enable \`${g.resourceLabel}\` (or cancel its deletion), or use another key` },
    );
  }

  let result = evaluate(g.request);
  // allowed without the Allow statements with NotPrincipal: they are not what allows it, and no
  // missing input (NOT_PRINCIPAL_ALLOWS)
  if (result.decision === 'Allowed' && g.notPrincipalAllows)
    for (const text of g.notPrincipalAllows.keys()) g.missing.delete(text);
  if (spec.presumed !== undefined && result.decision !== 'Allowed') {
    // the link may not be needed at all: only an allow is certain
    const missing = unresolvedIn(model, spec.presumed);
    // what would deny it, so that the user sees the policy that matters if it is needed; not a
    // resource policy the request carries none of (the evaluator's `resource`: the resource is
    // the unsettled value, whose policy no input holds)
    const named = result.deniedBy.filter(
      (r) => r.policyType !== 'resource' || g.request.resourcePolicy !== undefined,
    );
    const by = named.map(
      (r) =>
        `${reasonPolicy(levelNamed(r, g), (name) => `\`${name}\``)}${r.statement !== undefined ? ` ${formatStatement(r.statement)}` : ''}${r.explicit ? ' (explicit deny)' : ' (no matching allow)'}`,
    );
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `${spec.purpose} ${by.length > 0 ? `would be denied by ${by.join(', ')}, but it ` : ''}is needed only if \`${spec.presumed}\` is what it seems, which the input does not settle`,
      { missing },
    );
  }
  if (spec.standIn !== undefined && standInMatters(g, result.decision, spec.standIn)) {
    // a policy names the resource in full, and the input does not say whether that is it
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `${spec.purpose}: a policy names \`${spec.resource.slice(0, -6)}\` with a suffix of its own, and the input does not give ${spec.standIn}`,
      { missing: [spec.standIn] },
    );
  }
  const unsure = guardrailDenyUnsure(result, g);
  if (unsure) {
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `only ${unsure.what} deny it, and they may not apply: whether the account is the organization's management account (or the organization has all features) is not known`,
      { missing: [unsure.file] },
    );
  }
  const dependsOn = keyDependence(g, result.decision);
  if (dependsOn) {
    const keys = dependsOn.map((k) => k.key).join('`, `');
    const settle = [...new Set(dependsOn.flatMap((k) => (k.settle ? [k.settle] : [])))].sort();
    // the statements that test the keys, with where they are written
    const testers = keyTesters(g, spec.permission, dependsOn);
    const by =
      testers.length > 0
        ? `: ${andList(testers)} ${testers.length > 1 ? 'test' : 'tests'} ${dependsOn.length > 1 ? 'them' : 'it'}`
        : '';
    // a key AWS sets on each call (the network path, the time, the session) no input can give
    // (not the S3 encryption context of a call S3Objects names: the bucket's setting gives it)
    // (nor a key an input would settle: a template role's RoleId, once deployed)
    const none = dependsOn.every(
      (k) =>
        setOnEachCall(k.key) && !(spec.s3Objects && k.key === S3_ARN_KEY) && k.settle === undefined,
    )
      ? `; AWS sets ${dependsOn.length > 1 ? 'them' : 'it'} on each call, and no input gives ${dependsOn.length > 1 ? 'them' : 'it'}`
      : '';
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `the answer depends on \`${keys}\`, ${dependsOn.map((k) => k.what).join('; ')}, which the input does not settle${by}${none}`,
      { missing: settle },
    );
  }
  settleUnplaced(g, result.decision);
  if (
    g.missing.size > 0 &&
    result.decision !== 'ExplicitlyDenied' &&
    !deniedAnyway(result, g) &&
    !allowedAnyway(result, g) &&
    !callerSideDenies(result, g) &&
    !resourceSideDenies(spec, result, g, runtime)
  ) {
    // an SCP level that can allow it nowhere decides it, whatever is missing (a link the
    // checks above decide keeps every reason they name)
    const byScp = scpDeniesAnyway(spec, result, g);
    if (byScp) return byScp;
    // a template value that could not be resolved is named by its template line; the snapshot
    // file its placeholder would live in (`unresolved/...`) names nothing a user can add
    const named = [...g.missing].filter((m) => !m.startsWith('unresolved/'));
    const missing = (named.length > 0 ? named : [...g.missing]).sort();
    // (an Unknown link's why never opens with "allowed": a skim or a grep would take it so)
    const already = result.decision === 'Allowed' ? ', though the known policies allow it' : '';
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `${spec.purpose} cannot be decided${already}: ${inputGaps(model, g, missing)}`,
      { missing },
    );
  }
  const refused = refusedRequest(result);
  if (refused) {
    // the evaluator could not take the request (a caller or resource it cannot read) and no
    // missing input explains it: its "ImplicitlyDenied" names no policy, and says nothing
    // about what AWS would decide
    return makeLink(
      spec,
      'Unknown',
      NO_REASONS,
      `${spec.purpose} could not be evaluated: ${refused}`,
      { missing: [] },
    );
  }
  // a kms key a template creates, whose id is made up: a policy naming another key of its
  // account and Region may name the one it gets when deployed
  const byKeyId = generatedKeyDependence(model, g, result);
  if (byKeyId)
    return makeLink(spec, 'Unknown', NO_REASONS, `${spec.purpose}: ${byKeyId.why}`, {
      missing: byKeyId.missing,
    });
  // an id no input gives (a stack's, an environment's): a policy that names one may or may not
  // name this one
  // (most links have no such id: nothing is allocated for them)
  const everyTrial = runtime ? new Set<string>() : undefined;
  const byId = runtime ? idDependence(g, runtime, result, everyTrial) : undefined;
  if (byId)
    return makeLink(spec, 'Unknown', NO_REASONS, `${spec.purpose}: ${byId}`, {
      missing: settleIds(runtime),
    });
  if (everyTrial && result.decision === 'ImplicitlyDenied')
    // the policies that deny whatever the id is (one that allows some ids denied the made-up
    // one too): only they decide
    result = { ...result, deniedBy: result.deniedBy.filter((d) => everyTrial.has(denialKey(d))) };
  if (result.decision === 'ImplicitlyDenied' && g.kmsGrants) {
    const byGrant = grantDecision(spec, result, g.kmsGrants, g.resourceLabel);
    const explicitly = g.otherDenials?.filter((o) => o.result.decision === 'ExplicitlyDenied');
    if (byGrant?.decision === 'Allowed' && explicitly && explicitly.length > 0) {
      // a grant allows it where no statement denies it, but a value the input does not settle
      // meets an explicit deny, which no grant overrides: what the trials tried would settle it
      const what = triedWords(explicitly);
      const missing = [...new Set(explicitly.flatMap((o) => o.tried.settle))].sort();
      return makeLink(
        spec,
        'Unknown',
        NO_REASONS,
        `${spec.purpose}: ${byGrant.why.replace(/^allowed: /, '')} where no statement denies it, but with some values of ${andList(what)}, which the input does not settle, ${explain(spec, explicitly[0]!.result, g)}`,
        { missing },
      );
    }
    if (byGrant) return byGrant;
  }
  if (result.decision === 'Allowed') {
    const warnings = trustWarnings(spec, result, g);
    return makeLink(spec, 'Allowed', NO_REASONS, explain(spec, result, g), {
      allowedBy: result.allowedBy.map((r) => toLinkReason(r, g)),
      ...(warnings ? { warnings } : {}),
    });
  }
  const connection =
    result.decision === 'ImplicitlyDenied' && !g.otherDenials && connectionAcross(spec, g);
  if (connection) return connectionDenied(spec, result, g, connection);
  if (result.decision === 'ImplicitlyDenied' && g.missing.size > 0 && callerSideDenies(result, g))
    return oneSideDenied('caller', spec, result, g, runtime);
  if (g.missing.size > 0 && resourceSideDenies(spec, result, g, runtime))
    return oneSideDenied('owner', spec, result, g, runtime);
  return deniedLink(spec, result, g, runtime);
}

/**
 * A cross-account link one side denies while the other side is not known, since both sides must
 * allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html):
 * - `caller`: the caller's own policies lack the allow, and the owner's side is not known (its
 *   resource policy is in no input, or has Allow statements the templates do not settle);
 * - `owner`: the owner's resource policy (a bucket or key policy, a role's trust policy), known,
 *   lacks the allow, and the caller's identity policies have Allow statements the templates do
 *   not settle.
 * What is not known could only allow on the other side, so it cannot change the answer. Only the
 * deciding side's policies are named; the why says what is not known.
 */
function oneSideDenied(
  side: 'caller' | 'owner',
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
  runtime: RuntimeValue[] | undefined,
): ReportLink {
  const deciding: EvaluationResult = {
    ...result,
    deniedBy: result.deniedBy.filter((r) =>
      side === 'caller' ? CALLER_SIDE.has(r.policyType) : r.policyType === 'resource',
    ),
  };
  const unknown = [...g.missing].sort();
  const note =
    side === 'caller'
      ? "could only allow it on the owner's side, and across accounts the caller's own policies must allow it too"
      : "could only allow it on the caller's side, and across accounts the owner's resource policy must allow it too";
  return deniedLink(
    spec,
    deciding,
    g,
    runtime,
    `; ${quotedInputs(unknown).join(', ')}, which the input does not settle, ${note}`,
  );
}

/**
 * A connection of another account than the caller's, for a connection action: the caller's
 * account and the connection's, when they differ.
 */
function connectionAcross(
  spec: LinkSpec,
  g: Gathered,
): { readonly caller: string; readonly owner: string; readonly shareable: boolean } | undefined {
  const service = serviceOf(spec.permission);
  const arn = parseArn(g.request.resource);
  if (!CONNECTION_SERVICES.has(service) || !arn || !CONNECTION_SERVICES.has(arn.service))
    return undefined;
  if (!arn.resource.startsWith('connection/')) return undefined;
  const caller = spec.principal.kind === 'role' ? parseArn(spec.principal.arn)?.account : undefined;
  if (caller === undefined || caller === arn.account) return undefined;
  return { caller, owner: arn.account, shareable: arn.service === 'codeconnections' };
}

/**
 * A connection action on a connection of another account, denied. A connection has no resource
 * policy: across accounts an AWS RAM share decides, which only a `codeconnections` connection
 * can have (https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-share.html) and
 * no snapshot holds (resourceOwner). The evaluator's missing resource-policy allow is therefore
 * no policy's: a `codestar-connections` connection is denied because it cannot be shared (the
 * why says so, with no policy reason); a `codeconnections` one reaches here only when the
 * caller's own side lacks the allow (callerSideDenies), which is what decides it.
 */
function connectionDenied(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
  across: { readonly caller: string; readonly owner: string; readonly shareable: boolean },
): ReportLink {
  const own = result.deniedBy.filter((d) => d.policyType !== 'resource');
  const lacking: EvaluationResult = { ...result, deniedBy: own };
  const reasons = own.map((r) => toLinkReason(r, g));
  const ownWhy = own.map((d) => missingAllowWords(d, spec, g, [g.request]));
  const conn = `\`${g.request.resource}\``;
  if (across.shareable) {
    return makeLink(
      spec,
      'ImplicitlyDenied',
      reasons,
      `${failing(spec)}: ${ownWhy.join('; ')} (whether ${conn} of \`${across.owner}\` is shared with \`${across.caller}\` through AWS RAM is not known, and would not be enough)`,
      { fix: lackingFix(spec, lacking, g) },
    );
  }
  const cannot = `${conn} is a \`codestar-connections\` connection of \`${across.owner}\`, which cannot be shared with \`${across.caller}\` (only a \`codeconnections\` connection can be, through AWS RAM)`;
  const use = `use a connection of \`${across.caller}\`, or a \`codeconnections\` connection shared with it through AWS RAM`;
  return makeLink(
    spec,
    'ImplicitlyDenied',
    reasons,
    `${failing(spec)}: ${[cannot, ...ownWhy].join('; ')}`,
    // the caller's own policies must allow the connection it uses instead
    {
      fix:
        own.length > 0
          ? `${use}, and allow \`${spec.permission}\` on it in the policies of \`${spec.principal.kind === 'role' ? spec.principal.arn : spec.principal.name}\``
          : use,
    },
  );
}

/**
 * A denied link. When values the input does not settle deny it the other way as well (an
 * explicit deny for some, a missing allow for others: g.otherDenials), it is explicitly denied,
 * its reasons are the explicit denies (first) and the missing allows, its why names what the
 * trials tried, and its fix lifts the denies and adds the allow: either alone would leave it
 * denied for some value. An explicit deny met only where SCPs or RCPs whose targets are not all
 * known may be attached (settleUnplaced) may not apply at all: the link is denied for its
 * missing allow (or its own explicit deny), and that deny comes last, with its "if", in the
 * reasons, why and fix, and their files are what would settle whether it applies (`missing`).
 * `note`: what the why says last, as given (see makeLink), for oneSideDenied.
 */
function deniedLink(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
  runtime: RuntimeValue[] | undefined,
  note = '',
): ReportLink {
  // trials of values the run may take, and trials of where guardrails whose targets are not all
  // known are attached (settleUnplaced): a deny met by the latter applies only if they are there
  const valued = g.otherDenials?.filter((o) => o.tried.placement === undefined) ?? [];
  const placed = g.otherDenials?.filter((o) => o.tried.placement !== undefined) ?? [];
  const seen = new Set<string>();
  const keep = (d: Reason, into: Reason[]): void => {
    const key = `${d.policyType}\u0000${typeof d.policy}:${d.policy}\u0000${typeof d.statement}:${d.statement ?? ''}\u0000${d.explicit}`;
    if (seen.has(key)) return;
    seen.add(key);
    into.push(d);
  };
  if (valued.length === 0 && result.decision === 'ExplicitlyDenied') {
    // an explicit deny is fixed by narrowing it: an allow (the catalog's fix) cannot undo it;
    // when an allow is missing behind it too, the fix adds it as well; a deny of guardrails
    // that may not be attached is named after it, with its "if"
    for (const d of result.deniedBy) keep(d, []);
    const maybe: Reason[] = [];
    for (const o of placed) for (const d of o.result.deniedBy) if (d.explicit) keep(d, maybe);
    const ifPlaced = placedDeny(spec, result, g, placed, maybe);
    const behind = allowMissingBehind(spec, g, runtime);
    if (!behind) {
      return makeLink(
        spec,
        result.decision,
        [...result.deniedBy, ...maybe].map((r) => toLinkReason(r, g)),
        `${explain(spec, result, g)}${ifPlaced.why}`,
        { fix: `${denyFix(spec, result.deniedBy)}${ifPlaced.fix}`, note, ...ifPlaced.extra },
      );
    }
    return makeLink(
      spec,
      'ExplicitlyDenied',
      [...result.deniedBy, ...behind.result.deniedBy, ...maybe].map((r) => toLinkReason(r, g)),
      `${explain(spec, result, g)}; without the ${result.deniedBy.length > 1 ? 'denies' : 'deny'}, ${explain(spec, behind.result, g, [behind.request])}${ifPlaced.why}`,
      {
        fix: `${denyFix(spec, result.deniedBy)}, and ${lackingFix(spec, behind.result, g)}${ifPlaced.fix}`,
        note,
        ...ifPlaced.extra,
      },
    );
  }
  // denied implicitly: by the missing allows of the link and of its trials, unless a trial meets
  // an explicit deny; with no trials these are the link's own (the evaluator names each once,
  // none explicit), named as they are
  const explicit: Reason[] = [];
  const missing: Reason[] = [];
  const maybe: Reason[] = [];
  // the requests whose missing allows the reasons name: the trust policy's words are about them
  const lackingIn: EvaluationRequest[] = [];
  for (const r of [{ result, request: g.request as EvaluationRequest }, ...valued]) {
    if (r.result.decision === 'ImplicitlyDenied') lackingIn.push(r.request);
    for (const d of r.result.deniedBy) keep(d, d.explicit ? explicit : missing);
  }
  for (const o of placed) for (const d of o.result.deniedBy) if (d.explicit) keep(d, maybe);
  const lacking: EvaluationResult = { ...result, decision: 'ImplicitlyDenied', deniedBy: missing };
  const { why: maybeWhy, fix: maybeFix, extra } = placedDeny(spec, result, g, placed, maybe);
  if (explicit.length === 0) {
    // only where the guardrails may be attached is it denied explicitly: it is denied for its
    // missing allow whatever they say, which is what it is denied for
    return makeLink(
      spec,
      result.decision,
      [...missing, ...maybe].map((r) => toLinkReason(r, g)),
      `${explain(spec, lacking, g, lackingIn)}${maybeWhy}`,
      { fix: `${lackingFix(spec, lacking, g)}${maybeFix}`, note, ...extra },
    );
  }
  const denied: EvaluationResult = { ...result, decision: 'ExplicitlyDenied', deniedBy: explicit };
  // what the trials tried, whichever way each is denied: their values decide which denial it is
  const what = triedWords(valued);
  const others =
    missing.length > 0 ? `; with the others, ${explain(spec, lacking, g, lackingIn)}` : '';
  return makeLink(
    spec,
    'ExplicitlyDenied',
    [...explicit, ...missing, ...maybe].map((r) => toLinkReason(r, g)),
    `${explain(spec, denied, g)} with some values of ${andList(what)}, which the input does not settle${others}${maybeWhy}`,
    {
      fix: `${denyFix(spec, explicit)}, and ${lackingFix(spec, lacking, g)}${maybeFix}`,
      note,
      ...extra,
    },
  );
}

/**
 * The explicit denies (`maybe`) that apply only if guardrails whose targets are not all known
 * are attached (the `placed` trials of settleUnplaced): named with that "if" after the link's
 * why and fix, their files are what would settle whether they apply (`missing`), and narrowing
 * them is fixed only so. Empty words when there are none.
 */
function placedDeny(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
  placed: readonly OtherDenial[],
  maybe: readonly Reason[],
): { why: string; fix: string; extra: { missing?: string[] } } {
  if (maybe.length === 0) return { why: '', fix: '', extra: {} };
  const where = [...new Set(placed.map((o) => o.tried.placement!))].join(' or ');
  const mayDeny: EvaluationResult = { ...result, decision: 'ExplicitlyDenied', deniedBy: maybe };
  return {
    why: `; if ${where}, ${explain(spec, mayDeny, g)} as well`,
    fix: `; if ${where}, also ${denyFix(spec, maybe)}`,
    extra: { missing: [...new Set(placed.flatMap((o) => o.tried.settle))].sort() },
  };
}

/**
 * The missing allows behind an explicit deny. The evaluator stops at the first explicit deny
 * (step 1 of https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
 * and names no allow, so narrowing the deny may not be enough: the request is evaluated once
 * more with every Deny statement left out (only for explicitly denied links, which are rare).
 * Returns its implicit denial, and its request, only when nothing the input does not settle
 * could supply the allow: no missing input that could (see the Unknown check in decide), no KMS
 * grant to the caller, and the same answer for every value tried (keyDependence, standInMatters,
 * idDependence). Undefined when the allow is there, or may be.
 */
function allowMissingBehind(
  spec: LinkSpec,
  g: Gathered,
  runtime: RuntimeValue[] | undefined,
): { result: EvaluationResult; request: EvaluationRequest } | undefined {
  const request = withoutDenies(g.request);
  if (!request) return undefined;
  const result = evaluate(request);
  if (result.decision !== 'ImplicitlyDenied' || result.deniedBy.length === 0) return undefined;
  if (g.missing.size > 0 && !deniedAnyway(result, g) && !callerSideDenies(result, g))
    return undefined;
  if (g.kmsGrants && grantDecision(spec, result, g.kmsGrants, g.resourceLabel)) return undefined;
  // the trials of the link, on the request without its denies (its own g: no trial's result is
  // kept for the link's words)
  // (allowMissingBehind is only asked when no trial was denied the other way: g.otherDenials
  // is unset)
  const h: Gathered = { ...g, request };
  delete h.otherDenials;
  if (keyDependence(h, result.decision)) return undefined;
  if (spec.standIn !== undefined && standInMatters(h, result.decision, spec.standIn))
    return undefined;
  if (runtime && idDependence(h, runtime, result)) return undefined;
  return { result, request };
}

/**
 * The request with every Deny statement left out of its policies. The policies are new objects
 * (the evaluator caches compiled documents by identity: they are never changed), one per policy
 * (ALLOWS_ONLY), so a deny that decides many links is compiled and indexed once; undefined when
 * one is not a compiled policy.
 */
function withoutDenies(request: MutableRequest): EvaluationRequest | undefined {
  let ok = true;
  const strip = (p: PolicyInput): PolicyInput => {
    if (!p || typeof p !== 'object' || !isCompiledPolicy(p)) {
      ok = false;
      return p;
    }
    let allows = ALLOWS_ONLY.get(p);
    if (allows === undefined) {
      allows = p.statements.some((st) => st.effect === 'Deny')
        ? { ...p, statements: p.statements.filter((st) => st.effect !== 'Deny') }
        : p;
      ALLOWS_ONLY.set(p, allows);
    }
    return allows;
  };
  const out: MutableRequest = { ...request };
  if (request.identityPolicies) out.identityPolicies = request.identityPolicies.map(strip);
  if (request.resourcePolicy !== undefined) out.resourcePolicy = strip(request.resourcePolicy);
  if (request.permissionBoundary !== undefined)
    out.permissionBoundary = strip(request.permissionBoundary);
  if (request.sessionPolicy !== undefined) out.sessionPolicy = strip(request.sessionPolicy);
  if (request.scps) out.scps = request.scps.map((level) => level.map(strip));
  if (request.rcps) out.rcps = request.rcps.map((level) => level.map(strip));
  return ok ? out : undefined;
}

/** Each compiled policy without its Deny statements (see withoutDenies). */
const ALLOWS_ONLY = new WeakMap<CompiledPolicy, CompiledPolicy>();

/**
 * The evaluator's reason for refusing the request as bad input (an implicit deny that names no
 * policy, with an error), or undefined when it evaluated it.
 */
function refusedRequest(result: EvaluationResult): string | undefined {
  if (result.decision !== 'ImplicitlyDenied' || result.deniedBy.length > 0) return undefined;
  const error = result.problems.find((p) => p.severity === 'error');
  return error ? `${error.message} (${error.id})` : undefined;
}

/**
 * KMS operations that need the key enabled: the cryptographic ones ("You can use a KMS key in
 * cryptographic operations only when its key state is Enabled",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html). DescribeKey and the
 * management operations work in other states too.
 */
export function worksInAnyKeyState(permission: string): boolean {
  const p = permission.toLowerCase();
  if (!p.startsWith('kms:')) return true;
  const op = p.slice(4);
  return !(
    op === 'encrypt' ||
    op === 'decrypt' ||
    op.startsWith('reencrypt') ||
    op.startsWith('generatedatakey') ||
    op === 'sign' ||
    op === 'verify' ||
    op === 'generatemac' ||
    op === 'verifymac' ||
    op === 'derivesharedsecret'
  );
}

/**
 * KMS grants are a third way to allow the use of a key, beside the key policy and IAM policies:
 * "No AWS principal has any permissions to a KMS key unless that permission is provided
 * explicitly and never denied" in one of them
 * (https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html; aws-facts.md 2.4).
 * A grant names one grantee principal and the operations it may perform
 * (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html). So a link denied only for
 * want of an allow in the key policy or the caller's IAM policies is allowed by a grant to the
 * caller for that operation. What a grant cannot undo, or what AWS does not document, is not
 * guessed:
 * - an explicit deny, an SCP or RCP without an allow: the link stays denied (the caller passes
 *   them as for any other allow);
 * - a permissions boundary or session policy without an allow: Unknown (whether a grant is
 *   limited by them is not documented);
 * - a grant with encryption context constraints: Unknown (the encryption context a service sends
 *   is not modelled);
 * - a caller of another account whose IAM policies do not allow it: Unknown (whether a grant to
 *   a principal of another account also needs the IAM allow that a key policy would is not
 *   documented);
 * - a grant to the caller's account (its root) rather than to the caller: Unknown.
 * Returns undefined when no grant names the caller, or a service principal the link's caller is.
 */
function grantDecision(
  spec: LinkSpec,
  result: EvaluationResult,
  grants: readonly KmsGrantModel[],
  keyArn: string,
): ReportLink | undefined {
  const colon = spec.permission.indexOf(':');
  if (spec.permission.slice(0, colon).toLowerCase() !== 'kms') return undefined;
  const operation = spec.permission.slice(colon + 1).toLowerCase();
  const caller = spec.principal.kind === 'role' ? spec.principal.arn : spec.principal.name;
  const callerArn = parseArn(caller);
  const root = callerArn ? `arn:${callerArn.partition}:iam::${callerArn.account}:root` : undefined;
  const forOperation = grants.filter((gr) =>
    gr.operations.some((o) => o.toLowerCase() === operation),
  );
  const direct = forOperation.filter((gr) => gr.granteePrincipal === caller);
  const toAccount = forOperation.filter((gr) => root !== undefined && gr.granteePrincipal === root);
  if (direct.length === 0 && toAccount.length === 0) return undefined;
  const name = (gr: KmsGrantModel): string =>
    `grant \`${gr.name || gr.grantId || '(unnamed)'}\` of \`${keyArn}\``;
  const place = (gr: KmsGrantModel): string => `${gr.location.file}#${gr.location.pointer}`;
  const kinds = new Set(result.deniedBy.map((d) => d.policyType));
  // an SCP or RCP that does not allow it: a grant is an allow like any other, which they limit
  if (kinds.has('scp') || kinds.has('rcp')) return undefined;
  const unknown = (why: string, gr: KmsGrantModel): ReportLink =>
    makeLink(spec, 'Unknown', NO_REASONS, `${spec.purpose}: ${why}`, { missing: [place(gr)] });
  const unconstrained = direct.find(
    (gr) => gr.encryptionContextEquals === undefined && gr.encryptionContextSubset === undefined,
  );
  const grant = unconstrained ?? direct[0] ?? toAccount[0]!;
  if (!unconstrained && direct.length > 0)
    return unknown(
      `${name(grant)} allows it only with an encryption context, and the one the call sends is not modelled`,
      grant,
    );
  if (direct.length === 0)
    return unknown(
      `${name(grant)} is to the account \`${callerArn!.account}\`, not to the caller; how a grant to an account reaches its principals is not modelled`,
      grant,
    );
  if (kinds.has('permissionBoundary') || kinds.has('session'))
    return unknown(
      `${name(grant)} allows it, but a permissions boundary or session policy does not, and AWS does not document whether they limit a grant`,
      grant,
    );
  const keyAccount = parseArn(keyArn)?.account;
  if (kinds.has('identity') && callerArn && keyAccount && callerArn.account !== keyAccount)
    return unknown(
      `${name(grant)} allows it, but no IAM policy of the caller in \`${callerArn.account}\` does, and AWS does not document whether a grant to another account's principal needs one`,
      grant,
    );
  const reason: LinkReason = {
    explicit: false,
    location: grant.location,
    policy: `${keyArn} (grant ${grant.name || grant.grantId || '(unnamed)'})`,
    policyType: 'resource',
    statement: undefined,
  } as LinkReason;
  return makeLink(
    spec,
    'Allowed',
    NO_REASONS,
    `allowed: \`${caller}\` may ${spec.permission} through ${name(grant)} (the key policy and IAM policies alone do not allow it)`,
    { allowedBy: [reason] },
  );
}

/**
 * A role assumed through a trust policy that names the caller's whole account (its root) with
 * no condition on the calling principal: it works, but any principal of that account allowed
 * `sts:AssumeRole` on the role can assume it. CodePipeline's cross-account guide recommends
 * naming the calling role (there, the pipeline role) instead of the account; the advice names
 * the link's caller, which for a StackSets execution role is the administration role
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html).
 */
function trustWarnings(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
): string[] | undefined {
  if (spec.principal.kind !== 'role' || !spec.permission.toLowerCase().startsWith('sts:assumerole'))
    return undefined;
  const account = parseArn(spec.principal.arn)?.account;
  if (!account) return undefined;
  const root = `arn:${parseArn(spec.principal.arn)!.partition}:iam::${account}:root`;
  for (const r of result.allowedBy) {
    if (r.policyType !== 'resource') continue;
    const trust = policyByLabel(g, r.policy);
    const st =
      trust && r.statement !== undefined ? namedStatements(trust, r.statement)[0] : undefined;
    // the account as an ARN, or as a bare id (which names it in any partition)
    const trustsAccount =
      st?.principal !== undefined &&
      (st.principal.aws.includes(root) || st.principal.accounts.includes(account));
    if (!st?.principal || !trustsAccount || st.principal.aws.includes(spec.principal.arn)) continue;
    const narrowed = st.conditions.some((c) =>
      ['aws:principalarn', 'aws:userid', 'aws:username', 'aws:principaltag'].some((k) =>
        c.keyLower.startsWith(k),
      ),
    );
    if (narrowed) continue;
    return [
      `the trust policy of \`${spec.resource}\` trusts the whole account \`${account}\`, not \`${spec.principal.arn}\`: ` +
        `any principal there allowed sts:AssumeRole on it can assume it; name \`${spec.principal.arn}\` (or add an aws:PrincipalArn condition)`,
    ];
  }
  return undefined;
}

/** Shared by every link without reasons of that kind (reports are never mutated). */
const NO_REASONS: readonly LinkReason[] = Object.freeze([]);

/**
 * Every link is built by this literal (or makeLink's, with the same keys in the same order),
 * every field present (absent ones undefined, which JSON leaves out; keys sorted, so the JSON
 * report needs no copy): one hidden class for all links instead of one per spread combination,
 * which keeps a report of half a million links small.
 */
function linkOf(l: ReportLink): ReportLink {
  return {
    action: l.action,
    allowedBy: l.allowedBy,
    blocks: l.blocks,
    decision: l.decision,
    declaredAt: l.declaredAt,
    deniedBy: l.deniedBy,
    doc: l.doc,
    fix: l.fix,
    id: l.id,
    level: l.level,
    missing: l.missing,
    permission: l.permission,
    principal: l.principal,
    requirement: l.requirement,
    resource: l.resource,
    stage: l.stage,
    warnings: l.warnings,
    why: l.why,
  } as ReportLink;
}

/**
 * How a denied link's why starts: the run fails on a required link; a recommended one is what
 * working pipelines run without (README), so it would only be denied.
 */
function failing(spec: LinkSpec): string {
  return spec.level === 'recommended'
    ? `${spec.purpose} would be denied ${spec.permission}`
    : `${spec.purpose} fails`;
}

/** What a denied recommended link's why ends with: the run does not fail on it. */
const RECOMMENDED = '; it is recommended, not required: working pipelines run without it';

/**
 * What the why of `spec` ends with when it is denied: nothing for a required link; for a
 * recommended one, when the run needs it (LinkSpec.whenNeeded: a multipart upload's
 * kms:Decrypt, which only a large artifact's upload needs, and which that upload fails
 * without), else that working pipelines run without it.
 */
function deniedEnding(spec: LinkSpec): string {
  if (spec.level !== 'recommended') return '';
  return spec.whenNeeded !== undefined ? `; ${spec.whenNeeded}` : RECOMMENDED;
}

function makeLink(
  spec: LinkSpec,
  decision: LinkDecision,
  deniedBy: readonly LinkReason[],
  why: string,
  extra: {
    allowedBy?: readonly LinkReason[];
    fix?: string | undefined;
    missing?: readonly string[];
    /**
     * what the why says after `why`, as given (placeholdersInWords does not see it), and before
     * a denied recommended link's ending (oneSideDenied's note)
     */
    note?: string;
    warnings?: readonly string[];
  },
): ReportLink {
  const denied = decision === 'ImplicitlyDenied' || decision === 'ExplicitlyDenied';
  const resource = placeholdersInWords(spec.resource);
  const deciding = boundedReasons(deniedBy);
  const allowing = extra.allowedBy && boundedReasons(extra.allowedBy);
  const unlisted =
    deniedBy.length - deciding.length + (extra.allowedBy?.length ?? 0) - (allowing?.length ?? 0);
  const more =
    unlisted > 0
      ? `; ${unlisted.toLocaleString('en-US')} more statements that decide it are not listed (a link lists at most ${MAX_REASONS_OF_ONE_POLICY} of one policy, ${MAX_REASONS_OF_ONE_LINK} in all)`
      : '';
  // built in linkOf's (sorted) key order, without a copy
  return {
    action: spec.action,
    allowedBy: allowing,
    blocks: undefined,
    decision,
    declaredAt: spec.declaredAt,
    deniedBy: deciding,
    doc: spec.doc,
    fix: slotted(placeholdersInWords(extra.fix), resource),
    id: spec.id,
    level: spec.level,
    missing: extra.missing && boundedInputs(extra.missing),
    permission: spec.permission,
    // a catalog placeholder the input does not settle is named in words, never as `${Name}`
    principal: placeholdersInWords(
      spec.principal.kind === 'role' ? spec.principal.arn : spec.principal.name,
    ),
    requirement: spec.requirement,
    resource,
    stage: spec.stage,
    warnings: extra.warnings,
    why: `${placeholdersInWords(why)}${extra.note ?? ''}${more}${denied ? deniedEnding(spec) : ''}`,
  } as ReportLink;
}

/**
 * The most statements of one policy, and of all policies, a link names in `deniedBy` (and
 * `allowedBy`); its why counts the rest. The evaluator names every statement that decides: a
 * hostile role policy of 40,000 `Deny *` statements was named in full in each link of the role
 * (a 1.9 MB iam.json made a 294 MB report, and a larger one a report too large for one string: a
 * RangeError and its stack trace). No policy AWS takes holds that many statements (a key policy,
 * the largest, holds 32 KB: https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html),
 * and a real link is decided by a few.
 */
const MAX_REASONS_OF_ONE_POLICY = 10;
const MAX_REASONS_OF_ONE_LINK = 100;

function boundedReasons(list: readonly LinkReason[]): readonly LinkReason[] {
  if (list.length <= MAX_REASONS_OF_ONE_POLICY) return list;
  const perPolicy = new Map<string, number>();
  const out: LinkReason[] = [];
  for (const r of list) {
    const key = `${r.policyType}\u0000${typeof r.policy}\u0000${r.policy}`;
    const n = perPolicy.get(key) ?? 0;
    if (n === MAX_REASONS_OF_ONE_POLICY || out.length === MAX_REASONS_OF_ONE_LINK) continue;
    perPolicy.set(key, n + 1);
    out.push(r);
  }
  return out.length === list.length ? list : out;
}

/**
 * A fix naming a resource that holds a name the input does not give, in the slot notation of
 * placeholderWords.ts (`…:task-definition/<the task definition family, not known>:*`): the
 * resource is written with a short slot (`<name>`), and what goes in it in words after it, so a
 * user who pastes the ARN into a policy gets a slot to fill, not words that read as part of it.
 */
function slotted(fix: string | undefined, resource: string): string | undefined {
  if (fix === undefined || !resource.includes(', not known>')) return fix;
  const count = resource.match(SLOT)?.length ?? 0;
  const slot = (i: number): string => (count === 1 ? '<name>' : `<name-${i + 1}>`);
  const words: string[] = [];
  const arn = resource.replace(SLOT, (_m, what: string) => {
    words.push(`${what} in place of \`${slot(words.length)}\``);
    return slot(words.length - 1);
  });
  const shown = `\`${arn}\` (${andList(words)}: the input does not give ${count > 1 ? 'them' : 'it'})`;
  return fix.split(`\`${resource}\``).join(shown);
}

/** a name the input does not give, inside a value (placeholderWords.ts) */
const SLOT = /<([^<>]+), not known>/g;

/** The same link with the stages it blocks, in the same shape. */
export function withBlocks(l: ReportLink, blocks: readonly string[]): ReportLink {
  return linkOf({ ...l, blocks });
}

/** The encryption context key S3 sends on the KMS calls it makes, as AWS documents it. */
const S3_ARN_KEY = 'kms:EncryptionContext:aws:s3:arn';
const S3_ARN_LOWER = S3_ARN_KEY.toLowerCase();

/**
 * The encryption context of a KMS call S3 makes for the caller (LinkSpec.s3Objects), when a
 * policy of the link tests it: S3 sends `aws:s3:arn`, the object's ARN, or the bucket's ARN when
 * the object uses an S3 Bucket Key
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context;
 * "Changes to note before enabling an S3 Bucket Key":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html). Whether it does is the
 * bucket's setting: "If you don't specify an S3 Bucket Key for your object, Amazon S3 applies the
 * S3 Bucket Key settings for the destination bucket to the object"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key-object.html), and
 * CodePipeline and CodeBuild are not documented to send the object-level header
 * (`x-amz-server-side-encryption-bucket-key-enabled`): so the bucket's default encryption decides
 * (`BucketKeyEnabled`, false when not given). A read decrypts with the context the object was
 * written with; the artifacts were written in the same run into the same bucket, so the same
 * setting decides reads. (A Lambda function uploads with its own code, and so decides both its
 * write and the reads of what it wrote: S3ContextObjects.writerChooses.)
 *
 * The request carries a value (the key is never absent on these calls): with the bucket key
 * known off, an object's ARN; known on, the bucket's ARN; not known, an object's ARN, and the
 * bucket's is a trial (keyDependence: the link is decided only when both give the same answer,
 * else Unknown naming the bucket's encryption configuration). S3 calls KMS once per object, and
 * the link stands for all of them: it is allowed only when every object's call is. So a link of
 * several objects is resolved once for each (`s3PerObject`, set here; S3ContextObjects.one), and
 * is denied by the first denied call rather than Unknown: the input decides that one of the calls
 * fails (decideByTrials leaves such a link to resolveLink). Objects of other buckets
 * (S3ContextObjects.more: a CodeBuild project's S3 secondary artifacts, which its key encrypts
 * with its output artifacts) each follow their own bucket's setting. Returns the trial of the
 * bucket's ARN, when there is one.
 */
function s3ArnContext(
  model: Model,
  s3: S3ContextObjects,
  ps: Side,
  rs: Side,
  g: Gathered,
): KeyTrial | undefined {
  if (ps.tested?.values.has(S3_ARN_LOWER) !== true && rs.tested?.values.has(S3_ARN_LOWER) !== true)
    return undefined;
  const first = s3.one ?? s3.objects[0];
  if (first === undefined) return undefined;
  // the objects of other buckets (S3ContextObjects.more) have contexts of their own: each call
  // is resolved on its own, whatever the buckets' keys (below)
  if (s3.one === undefined && (s3.more?.length ?? 0) > 0) g.s3PerObject = true;
  // the bucket, and what its `*`s stand for, of the object whose call this is
  const group = s3.one === undefined ? s3 : groupOf(s3, s3.one);
  const total = s3.objects.length + (s3.more ?? []).reduce((n, m) => n + m.objects.length, 0);
  const bucketArn = first.slice(0, first.indexOf('/'));
  const request = g.request;
  const context = request.context as Record<string, string | readonly string[]>;
  const state = bucketKeyState(model, group);
  if (state.enabled === true) {
    context[S3_ARN_KEY] = bucketArn;
    g.s3ArnNote = `S3 sends the bucket's ARN \`${bucketArn}\` as \`aws:s3:arn\`, since the bucket uses an S3 Bucket Key (\`BucketKeyEnabled\` at \`${state.at}\`)`;
    return undefined;
  }
  // each object's call is resolved on its own by resolveLink (its trials of the other keys the
  // policies test may deny one object's call and not another's); decideByTrials leaves such a
  // link to it
  if (s3.one === undefined && total > 1) g.s3PerObject = true;
  // a name no input gives ends the object's ARN: the request carries a made-up one, and others
  // are tried (idDependence), never the `*` the link is written with, which a StringEquals on a
  // literal `…/*` would match where no real ARN does
  const end = group.unknownEnd;
  const named = s3ObjectValue(end, first);
  if (named) g.s3Object = named;
  context[S3_ARN_KEY] = named ? named.madeUp : first;
  // (its `*` is a name, not the character: say so)
  const shown = named
    ? `\`${first}\` (\`*\`: ${typeof end === 'object' ? secondaryArtifactStars(end) : end === 'artifact' ? 'the name CodePipeline gives it' : end === 'logs' ? 'the name CodeBuild gives each log object' : "each file's path"})`
    : `\`${first}\``;
  const calls =
    total > 1
      ? `S3 calls KMS once for each object, with its ARN as \`aws:s3:arn\`: this is the call for ${shown}`
      : `S3 sends the object's ARN ${shown} as \`aws:s3:arn\``;
  if (state.enabled === false) {
    g.s3ArnNote = `${calls} (the bucket uses no S3 Bucket Key)`;
    return undefined;
  }
  g.s3ArnNote = `${calls}, or the bucket's ARN \`${bucketArn}\` with an S3 Bucket Key, and either is denied`;
  const what = `the encryption context S3 sends: the object's ARN, or the bucket's (\`${bucketArn}\`) ${state.why}`;
  return {
    key:
      state.settle !== undefined
        ? { key: S3_ARN_KEY, what, settle: state.settle }
        : { key: S3_ARN_KEY, what },
    values: [bucketArn],
  };
}

const CONTEXT_KEYS = 'kms:EncryptionContextKeys';
const CONTEXT_KEYS_LOWER = CONTEXT_KEYS.toLowerCase();

/**
 * `kms:EncryptionContextKeys` of a KMS call a service makes, when the link knows the whole
 * encryption context it sends: "the keys in the encryption context of a request", a multivalued
 * key (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys).
 * S3 sends `aws:s3:arn` alone (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context;
 * CodePipeline and CodeBuild send no context of their own with an upload); a link whose catalog
 * entry sets the context's pairs (SNS's `aws:sns:topicArn`) has those. Undefined otherwise: the
 * key is then one no input gives (uncertainKeys.ts), tried when a policy tests it.
 */
function encryptionContextKeys(context: Readonly<Record<string, unknown>>): string[] | undefined {
  const keys: string[] = [];
  let s3 = false;
  for (const [k, v] of Object.entries(context)) {
    const lower = k.toLowerCase();
    if (lower.startsWith(CONTEXT_PREFIX)) keys.push(k.slice(CONTEXT_PREFIX.length));
    else if (lower === 'kms:viaservice' && typeof v === 'string' && v.startsWith('s3.')) s3 = true;
  }
  if (s3 && !keys.includes('aws:s3:arn')) keys.push('aws:s3:arn');
  return keys.length > 0 ? keys.sort() : undefined;
}

/** a key of an encryption context no policy names (writerContextKeys) */
const OTHER_CONTEXT_KEY = 'permchain-other-key';

/**
 * The trial of `kms:EncryptionContextKeys` for a KMS call S3 makes for objects written by code of
 * their own (S3ContextObjects.writerChooses: a Lambda function, a job worker, the uploader of an
 * S3 source object): an upload may add encryption context pairs, which S3 "stores as object
 * metadata and automatically gets passed on to AWS KMS for future GetObject operations on this
 * object" (`x-amz-server-side-encryption-context`,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). The request carries
 * `keys` (S3's own); the trial adds each key the policies compare the key with, all of them at
 * once, and one they do not name.
 */
function writerContextKeys(
  keys: readonly string[],
  tested: readonly (ReturnType<typeof testedKeys> | undefined)[],
): KeyTrial {
  const named = new Set<string>();
  for (const t of tested)
    for (const v of t?.values.get(CONTEXT_KEYS_LOWER) ?? []) if (!keys.includes(v)) named.add(v);
  const key = {
    key: CONTEXT_KEYS,
    what: "the keys of the encryption context S3 sends: `aws:s3:arn`, and any its writer added with its own code (S3 sends an upload's additional encryption context with each later read)",
  };
  if (named.size > MAX_TRIED_VALUES) return { key, values: [], tooMany: true };
  const sorted = [...named].sort();
  return {
    key,
    values: [
      ...sorted.map((k) => [...keys, k]),
      ...(sorted.length > 1 ? [[...keys, ...sorted]] : []),
      [...keys, OTHER_CONTEXT_KEY],
    ],
  };
}

/**
 * A link whose KMS calls S3 makes for several objects (s3ArnContext): S3 calls KMS once for each,
 * with its own context, and the link stands for them all. Each object's call is resolved as a
 * link of its own (with the trials of the other keys its policies test), and the link is the
 * first of them explicitly denied, else implicitly denied (the input decides that one call
 * fails), else Unknown, else allowed (every call is).
 */
function s3PerObject(model: Model, spec: LinkSpec, s3: S3ContextObjects): ReportLink {
  const links = [s3, ...(s3.more ?? [])].flatMap((group) =>
    group.objects.map((one) => resolveLink(model, { ...spec, s3Objects: { ...s3, one } })),
  );
  for (const d of ['ExplicitlyDenied', 'ImplicitlyDenied', 'Unknown'] as const) {
    const l = links.find((x) => x.decision === d);
    if (l) return l;
  }
  return links[0]!;
}

/**
 * The objects of `s3` (its own, or those of one of its `more`) that hold `one`, with their
 * bucket and what their `*`s stand for.
 */
function groupOf(s3: S3ContextObjects, one: string): S3ContextObjects {
  return (
    (s3.objects.includes(one) ? undefined : s3.more?.find((m) => m.objects.includes(one))) ?? s3
  );
}

/** A denial that the encryption context of a KMS call S3 makes decides says which it was. */
function s3ArnNoted(link: ReportLink, g: Gathered, spec: LinkSpec): ReportLink {
  if (
    g.s3ArnNote === undefined ||
    (link.decision !== 'ImplicitlyDenied' && link.decision !== 'ExplicitlyDenied') ||
    !link.why.toLowerCase().includes(S3_ARN_LOWER)
  )
    return link;
  // the note goes before the ending of a denied recommended link (makeLink)
  const ending = deniedEnding(spec);
  const ends = ending !== '' && link.why.endsWith(ending);
  const why = ends ? link.why.slice(0, -ending.length) : link.why;
  return { ...link, why: `${why}; ${g.s3ArnNote}${ends ? ending : ''}` };
}

/**
 * Whether the objects of a KMS call S3 makes use an S3 Bucket Key (see s3ArnContext): `enabled`
 * when the input says, with where (`at`) when it writes it; else `why` in words (after "or the
 * bucket's ARN"), and the input that would settle it.
 */
function bucketKeyState(
  model: Model,
  s3: S3ContextObjects,
): {
  readonly enabled?: boolean;
  readonly at?: string;
  readonly why: string;
  readonly settle?: string;
} {
  if (s3.writerChooses !== undefined)
    return { why: `if the object uses an S3 Bucket Key: ${s3.writerChooses}` };
  const why =
    "when the bucket's default encryption uses an S3 Bucket Key (its `BucketKeyEnabled`, as `aws s3api get-bucket-encryption` gives it)";
  const bucket = findBucket(model, s3.bucket, s3.account);
  if (bucket.kind !== 'found')
    return {
      why,
      settle:
        bucket.kind === 'missing' ? bucket.file : snapshotPath.bucket(s3.account ?? '*', s3.bucket),
    };
  const b = bucket.value;
  const enc = b.encryption;
  // a snapshot's bucket file has pointer '' (snapshotS3.ts); a template's, its resource's
  const snapshot = b.location.pointer === '';
  if (enc === undefined)
    // a bucket file without it, or a bucket a template writes only a policy for
    return {
      why,
      settle: snapshot
        ? `${b.location.file}#/ServerSideEncryptionConfiguration`
        : snapshotPath.bucket(b.account, b.name),
    };
  if (enc.bucketKeyUnknownAt !== undefined) return { why, settle: enc.bucketKeyUnknownAt };
  if (enc.bucketKeyEnabled !== true) return { enabled: false, why };
  // true is never a default: the input writes it, where the loader read it (a template's may be
  // in an `Fn::If` branch of the resource's properties)
  return { enabled: true, at: enc.bucketKeyAt ?? b.location.file, why };
}

/**
 * The caller's side and the resource's side of a link depend only on the principal and on the
 * resource, and a large organization has thousands of links per role, bucket and key: each side
 * is gathered once per model and reused.
 */
interface Side {
  readonly fields: Partial<MutableRequest>;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly missing: readonly string[];
  readonly byLabel: ReadonlyMap<string | number, CompiledPolicy>;
  /** the principal or resource does not exist (see Gathered.absent) */
  readonly absent?: { readonly why: string };
  readonly resourceLabel?: string;
  readonly scpTargets?: readonly string[];
  /** organization keys whose value is not known for this side (see keyDependence) */
  readonly uncertain?: readonly UncertainKey[];
  /** the keys of uncertainKeys.ts the side's policies test, with their values */
  readonly tested?: ReturnType<typeof testedKeys>;
  /** the resource's tags are known (a role): aws:ResourceTag is set, not uncertain */
  readonly tagsKnown?: boolean;
  /** the region an S3 bucket's requests go to, when known */
  readonly region?: string;
  /** the side's guardrails (SCPs, RCPs) may not apply at all: the file that would settle it */
  readonly guardrailsMayNotApply?: string;
  /** the owner's resource policy is in no input (resource side only) */
  readonly ownerPolicyUnknown?: OwnerPolicyUnknown;
  /** a bucket whose region is not in the input: where it would be (file#pointer) */
  readonly regionUnknownAt?: string;
  /** SCPs (principal side) or RCPs (resource side) whose targets are not all known */
  readonly unplaced?: readonly Unplaced[];
  /** a KMS key's grants, when the input lists them (resource side only) */
  readonly kmsGrants?: readonly KmsGrantModel[];
  /** a KMS key that is not enabled (resource side only) */
  readonly kmsKeyNotEnabled?: { readonly state: string; readonly at: Location };
  /** a KMS key whose state the input does not settle: what would settle it */
  readonly kmsKeyStateUnknown?: readonly string[];
  /** the resource as the words show it, when the request's is made up (a key behind an alias) */
  readonly shownResource?: string;
  /**
   * the Allow statements of the side's policies that a template does not settle, in words
   * (unknownAllowText), set by sideWithUnknownAllows: they can only add allows (`allowOnly`)
   */
  readonly unknownAllows?: readonly UnknownAllow[];
  /**
   * those of the resource's own policy, when its owner is known (resource side only): across
   * accounts they are the owner's side only (`ownerSideOnly`)
   */
  readonly ownerUnknownAllows?: readonly UnknownAllow[];
  /** the caller role's unique id, when the input gives it (principal side only; see userIdTrial) */
  readonly roleId?: string;
  /**
   * where the caller role is created, when a template creates it and `roleId` is made up
   * (RoleModel.roleIdGenerated; principal side only)
   */
  readonly roleIdMadeUpAt?: string;
}

type MutableSide = { -readonly [K in keyof Side]: Side[K] };

/**
 * An Allow statement a template does not settle, or an Allow with `NotPrincipal`: its text as a
 * missing input, and the statement; for the latter, `words` name it in a why (the policy and the
 * statement: `the bucket policy of \`…\` statement \`Sid\` (at \`…\`)`).
 */
interface UnknownAllow {
  readonly text: string;
  readonly statement: UnknownStatement;
  readonly words?: string;
}

const NO_TEXTS: readonly string[] = [];
const NO_ALLOWS: readonly UnknownAllow[] = [];

/**
 * The words of the unsettled Allow statements of `list` that may cover `permission`; the others
 * are taken out of the link's `missing`.
 */
function openAllows(
  list: readonly UnknownAllow[] | undefined,
  permission: string,
  missing: Set<string>,
): readonly string[] {
  if (list === undefined) return NO_TEXTS;
  const actionLower = permission.toLowerCase();
  const out: string[] = [];
  for (const a of list) {
    if (mayCover(a.statement, actionLower)) out.push(a.text);
    else missing.delete(a.text);
  }
  return out;
}

/**
 * Whether an unsettled Allow statement may cover the (lower-cased) action: always, unless the
 * template settles its Action or NotAction and that leaves the action out (coversAction's rule).
 */
function mayCover(u: UnknownStatement, actionLower: string): boolean {
  if (u.action) return actionMatches(u.action, actionLower);
  if (u.notAction) return !actionMatches(u.notAction, actionLower);
  return true;
}

/** A readable SCP or RCP whose targets are not all known: it may apply at any level. */
interface Unplaced {
  readonly file: string;
  readonly policy: CompiledPolicy;
}

/**
 * The sides of a model: the principal's by role ARN; the resource's by the resource its side
 * depends on (sideResource), then by service and resource account (`s3`, or `s3\u0000<account>`),
 * so the key a link looks up is a string it already holds, not one made per link.
 */
interface Sides {
  readonly principals: Map<string, Side>;
  readonly resources: Map<string, Map<string, Side>>;
  /** the same, with the Allow statements with `NotPrincipal` read as written (NOT_PRINCIPAL_ALLOWS) */
  readonly resourcesAsWritten: Map<string, Map<string, Side>>;
}

const SIDES = new WeakMap<Model, Sides>();
const EMPTY_SIDE: Side = { fields: {}, context: {}, missing: [], byLabel: new Map() };

function sidesOf(model: Model): Sides {
  let sides = SIDES.get(model);
  if (!sides) {
    sides = { principals: new Map(), resources: new Map(), resourcesAsWritten: new Map() };
    SIDES.set(model, sides);
  }
  return sides;
}

/**
 * The other values of the S3 keys gather() sets on every S3 link, tried when a policy tests the
 * key: a presigned URL, TLS 1.3 (one shared object each: no allocation per link).
 */
const S3_TRIALS: readonly { readonly lower: string; readonly trial: KeyTrial }[] = [
  {
    lower: 's3:authtype',
    trial: {
      key: {
        key: 's3:authType',
        what: 'whether the call is signed in its headers or is a presigned URL',
      },
      values: ['REST-QUERY-STRING'],
    },
  },
  {
    lower: 's3:tlsversion',
    trial: {
      key: { key: 's3:TlsVersion', what: 'the TLS version of the call (1.2 or 1.3)' },
      values: ['1.3'],
    },
  },
];

/** The caller's side of a role's links, gathered once per model (see Side). */
function callerSide(model: Model, arn: string, sides: Sides = sidesOf(model)): Side {
  let hit = sides.principals.get(arn);
  if (!hit) {
    hit = sideWithUnknownAllows(principalSide(model, arn));
    sides.principals.set(arn, hit);
  }
  return hit;
}

/**
 * The caller's side of an account's links (LinkPrincipal `account`): no policy of its own, and
 * the organization keys of the account (orgSide), which a resource policy may test.
 */
function accountSide(model: Model, arn: string, sides: Sides): Side {
  let hit = sides.principals.get(arn);
  if (!hit) {
    const context: Record<string, string | readonly string[]> = {};
    const account = parseArn(arn)?.account;
    const org =
      account !== undefined && isAccountId(account)
        ? orgSide(model, account, 'Principal', context, new Map())
        : {};
    hit = { fields: {}, context, missing: [], byLabel: new Map(), ...org };
    sides.principals.set(arn, hit);
  }
  return hit;
}

function gather(model: Model, spec: LinkSpec): Gathered {
  const sides = sidesOf(model);
  let ps = EMPTY_SIDE;
  if (spec.principal.kind === 'role') ps = callerSide(model, spec.principal.arn, sides);
  else if (spec.principal.kind === 'account') ps = accountSide(model, spec.principal.name, sides);
  const service = serviceOf(spec.permission);
  const resourceKey = sideResource(service, spec.resource);
  const resources = NOT_PRINCIPAL_ALLOWS.asWritten ? sides.resourcesAsWritten : sides.resources;
  let byResource = resources.get(resourceKey);
  if (!byResource) resources.set(resourceKey, (byResource = new Map()));
  const subKey =
    spec.resourceAccount === undefined ? service : `${service}\u0000${spec.resourceAccount}`;
  let rs = byResource.get(subKey);
  if (!rs) {
    rs = sideWithUnknownAllows(resourceSide(model, spec, service), service);
    byResource.set(subKey, rs);
  }
  const region = requestedRegion(spec, service, rs.region);
  const context: Record<string, string | readonly string[]> =
    spec.principal.kind === 'role'
      ? {
          'aws:SecureTransport': 'true',
          // a role calling a service itself: the key is present and false; the catalog sets it
          // true on the calls a service makes for it (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice)
          'aws:ViaAWSService': 'false',
          // a role acts with temporary credentials, and a service's role session has no MFA:
          // the key "is included in the request context only when the principal uses temporary
          // credentials", and is false without MFA (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent)
          'aws:MultiFactorAuthPresent': 'false',
          'aws:RequestedRegion': region,
          ...ps.context,
          ...rs.context,
          ...spec.context,
        }
      : {
          'aws:SecureTransport': 'true',
          'aws:RequestedRegion': region,
          ...ps.context,
          ...rs.context,
          ...spec.context,
        };
  if (region === '') delete context['aws:RequestedRegion'];
  if (service === 's3') {
    // what every S3 call a service or an SDK makes carries: Signature Version 4, signed in its
    // headers, over TLS 1.2 or later (https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html;
    // AWS endpoints require TLS 1.2 at least). A presigned URL (REST-QUERY-STRING) and TLS 1.3
    // are tried below when a policy tests them. Without them a "require SigV4" Deny
    // (StringNotEquals on a missing key) denied every artifact read.
    context['s3:signatureversion'] ??= 'AWS4-HMAC-SHA256';
    context['s3:authType'] ??= 'REST-HEADER';
    context['s3:TlsVersion'] ??= '1.2';
  }
  // every request of a link has every member, in one order (absent ones undefined, which the
  // evaluator reads as not given): one object shape for all of them, where spreading the two
  // sides' fields made one per combination of them (and the evaluator's reads polymorphic)
  const pf = ps.fields;
  const rf = rs.fields;
  // (`satisfies`: a member added to the request type must be added here)
  const request: MutableRequest = {
    principal: spec.principal.kind === 'role' ? spec.principal.arn : spec.principal.name,
    action: spec.permission,
    resource: rf.resource ?? spec.resource,
    resourceAccount: rf.resourceAccount,
    context,
    identityPolicies: pf.identityPolicies,
    resourcePolicy: rf.resourcePolicy,
    permissionBoundary: pf.permissionBoundary,
    sessionPolicy: undefined,
    scps: pf.scps,
    rcps: rf.rcps,
    principalIsManagementAccount: pf.principalIsManagementAccount,
    resourceIsManagementAccount: rf.resourceIsManagementAccount,
    resourceIsAwsManagedKey: rf.resourceIsAwsManagedKey,
  } satisfies Record<keyof EvaluationRequest, unknown>;
  const missing = new Set<string>(ps.missing);
  for (const m of rs.missing) missing.add(m);
  const absent = ps.absent ?? rs.absent;
  // optional members are set only when present (no object spread per member: this runs for
  // every link and trial)
  const g: Gathered = {
    request,
    missing,
    byLabel: rs.byLabel as Map<string | number, CompiledPolicy>,
    moreLabels: ps.byLabel,
    resourceLabel: rs.resourceLabel ?? spec.resource,
  };
  if (ps.scpTargets) g.scpTargets = ps.scpTargets;
  if (ps.guardrailsMayNotApply) g.scpsMayNotApply = ps.guardrailsMayNotApply;
  if (rs.guardrailsMayNotApply) g.rcpsMayNotApply = rs.guardrailsMayNotApply;
  if (ps.unplaced) g.unplacedScps = ps.unplaced;
  if (rs.unplaced) g.unplacedRcps = rs.unplaced;
  if (rs.kmsGrants) g.kmsGrants = rs.kmsGrants;
  if (rs.kmsKeyNotEnabled) g.kmsKeyNotEnabled = rs.kmsKeyNotEnabled;
  if (rs.kmsKeyStateUnknown) g.kmsKeyStateUnknown = rs.kmsKeyStateUnknown;
  if (rs.shownResource !== undefined) g.shownResource = rs.shownResource;
  // the file that says whether SCPs (RCPs) apply at all (describe-organization: the management
  // account, the feature set) can only take them away: an answer allowed with them applied is
  // allowed without them (guardrails grant nothing: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html);
  // a denial they decide stays Unknown, naming it
  for (const file of [ps.guardrailsMayNotApply, rs.guardrailsMayNotApply])
    if (file !== undefined && missing.has(file)) (g.allowOnly ??= new Set()).add(file);
  const callerAccount =
    spec.principal.kind === 'role'
      ? parseArn(spec.principal.arn)?.account
      : spec.principal.kind === 'account'
        ? parseArn(spec.principal.name)?.account
        : undefined;
  const cross = callerAccount !== undefined && callerAccount !== rs.fields.resourceAccount;
  const unknownPolicy = rs.ownerPolicyUnknown;
  if (unknownPolicy) {
    if (cross || !unknownPolicy.crossAccountOnly) {
      missing.add(unknownPolicy.place);
      if (unknownPolicy.allowOnly) (g.allowOnly ??= new Set()).add(unknownPolicy.place);
      if (cross) (g.ownerSideOnly ??= new Set()).add(unknownPolicy.place);
    }
  }
  // an Allow statement a template does not settle can only add allows (noteSkipped names it);
  // one whose settled Action leaves this link's action out cannot even do that: it is no
  // missing input of the link (only templates have such statements: nothing to do otherwise)
  const callerOpen = openAllows(ps.unknownAllows, spec.permission, missing);
  const resourceOpen = openAllows(rs.unknownAllows, spec.permission, missing);
  const ownerOpen = openAllows(rs.ownerUnknownAllows, spec.permission, missing);
  for (const text of callerOpen) (g.allowOnly ??= new Set()).add(text);
  for (const text of resourceOpen) (g.allowOnly ??= new Set()).add(text);
  // an Allow with NotPrincipal that may cover the action: named in words of its own, and the
  // link is resolved again if it is not allowed without it (NOT_PRINCIPAL_ALLOWS)
  let opened = false;
  for (const a of rs.unknownAllows ?? NO_ALLOWS)
    if (a.words !== undefined && missing.has(a.text)) {
      (g.notPrincipalAllows ??= new Map()).set(a.text, a.words);
      opened = true;
    }
  if (opened) NOT_PRINCIPAL_ALLOWS.opened++;
  // across accounts both sides must allow
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html):
  // an unsettled Allow of the owner's resource policy cannot allow what the caller's own side
  // does not, so it is the owner's side only (callerSideDenies); the caller's identity policies'
  // unsettled Allows never are
  if (cross) for (const text of ownerOpen) (g.ownerSideOnly ??= new Set()).add(text);
  // and the reverse: an unsettled Allow of the caller's own policies cannot allow what the
  // owner's resource policy does not (resourceSideDenies), when the owner's side is known: its
  // account, its policy (no ownerPolicyUnknown) and nothing missing of it
  if (
    cross &&
    rs.fields.resourceAccount !== undefined &&
    !unknownPolicy &&
    rs.missing.length === 0 &&
    ownerOpen.length === 0
  )
    for (const text of callerOpen) (g.callerSideOnly ??= new Set()).add(text);
  const trials: KeyTrial[] = [];
  // the encryption context of a KMS call S3 makes (set in `context` before trialsFor reads it)
  if (spec.s3Objects) {
    const t = s3ArnContext(model, spec.s3Objects, ps, rs, g);
    if (t) trials.push(t);
  }
  // the keys of that encryption context, when a policy tests them and the call's context is known
  if (
    service === 'kms' &&
    (ps.tested?.values.has(CONTEXT_KEYS_LOWER) === true ||
      rs.tested?.values.has(CONTEXT_KEYS_LOWER) === true)
  ) {
    const keys = encryptionContextKeys(g.request.context as Record<string, unknown>);
    if (keys) (g.request.context as Record<string, unknown>)[CONTEXT_KEYS] = keys;
    // an object written by code of its own may carry pairs of its own as well
    if (keys && spec.s3Objects?.writerChooses !== undefined)
      trials.push(writerContextKeys(keys, [ps.tested, rs.tested]));
  }
  // keys the service may or may not send (the catalog's uncertainContext): absent, or the value
  for (const [key, value] of Object.entries(spec.uncertainContext ?? {}))
    trials.push({
      key: { key, what: 'which AWS does not document for this call' },
      values: [value],
    });
  // keys the call carries with values no input gives: absent (the decision so far), each value
  // the link's policies compare them with, or another; nothing to try when no policy tests them
  const linkPolicies =
    spec.unknownContext || spec.requestTagsUnknown
      ? [...ps.byLabel.values(), ...rs.byLabel.values()]
      : [];
  for (const [key, u] of Object.entries(spec.unknownContext ?? {})) {
    const t = unknownValueTrial({ key, what: u.why }, linkPolicies, u.multivalued);
    if (t) trials.push(t);
  }
  // a tagging call carries the tags of what it tags, which no input gives (the catalog's
  // requestTagsUnknown: an ECS task definition's, for ecs:TagResource on RegisterTaskDefinition)
  if (spec.requestTagsUnknown)
    trials.push(
      ...requestTagTrials(linkPolicies, 'the tags the call carries, which no input gives'),
    );
  // the role session id, when a condition tests it and the input gives the role's id: the id is
  // known, the session name is not (set before trialsFor, which then leaves the key alone)
  if (
    ps.roleId !== undefined &&
    (ps.tested?.values.has(USERID) === true || rs.tested?.values.has(USERID) === true) &&
    !Object.keys(context).some((k) => k.toLowerCase() === USERID)
  ) {
    context['aws:userid'] = `${ps.roleId}:${MADE_UP_SESSION}`;
    const t = userIdTrial(
      ps.roleId,
      [ps.tested, rs.tested],
      ps.roleIdMadeUpAt !== undefined ? { model, at: ps.roleIdMadeUpAt } : undefined,
    );
    if (t) trials.push(t);
  }
  if (ps.tested || rs.tested) {
    const found = trialsFor(
      [...(ps.uncertain ?? []), ...(rs.uncertain ?? []), ...sourceOrg(model, context)],
      [ps.tested, rs.tested],
      context,
      rs.tagsKnown === true,
      service,
      // S3's encryption context is `aws:s3:arn` alone
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context)
      // unless the upload added pairs with `x-amz-server-side-encryption-context`
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html), which the AWS
      // services that write artifacts do not send; code of the writer's own may (writerChooses)
      service === 'kms' &&
        spec.s3Objects !== undefined &&
        spec.s3Objects.writerChooses === undefined,
    );
    if (found) trials.push(...found);
  }
  if (service === 's3') {
    for (const t of S3_TRIALS)
      if (ps.tested?.values.has(t.lower) === true || rs.tested?.values.has(t.lower) === true)
        trials.push(t.trial);
  }
  if (
    service === 'sts' &&
    context['aws:RequestedRegion'] !== 'us-east-1' &&
    (ps.tested?.values.has('aws:requestedregion') === true ||
      rs.tested?.values.has('aws:requestedregion') === true)
  ) {
    // regional STS endpoint or the global one (us-east-1): not documented for the services
    trials.push({
      key: {
        key: 'aws:RequestedRegion',
        what: 'the STS endpoint the service calls (regional or global)',
      },
      values: ['us-east-1'],
    });
  }
  if (rs.regionUnknownAt !== undefined) {
    // the bucket's region is not known: try the regions the policies name, and another
    const named = [
      ...(ps.tested?.values.get('aws:requestedregion') ?? []),
      ...(rs.tested?.values.get('aws:requestedregion') ?? []),
    ];
    if (named.length > 0) {
      const others = [...new Set([...named, 'us-east-1', 'eu-west-1'])].filter(
        (r) => r !== context['aws:RequestedRegion'],
      );
      const key = {
        key: 'aws:RequestedRegion',
        what: "the bucket's region (its LocationConstraint)",
        settle: rs.regionUnknownAt,
      };
      // too many to try one by one: the key counts as deciding (as in uncertainKeys.ts)
      trials.push(
        others.length > 64 ? { key, values: [], tooMany: true } : { key, values: others },
      );
    }
  }
  if (trials.length > 0) g.uncertain = trials;
  if (absent) {
    g.absent =
      absent === ps.absent
        ? { why: `${absent.why}, so it cannot ${spec.permission}`, ofCaller: true }
        : absent;
  }
  return g;
}

const USERID = 'aws:userid';
/** a role's unique id as IAM gives it (RoleId: `[\w]+`, 16 to 128 characters) */
const ROLE_ID = /^\w{16,128}$/;
/** a session name no policy names (session names are `[\w+=,.@-]*`, 2 to 64 characters) */
const MADE_UP_SESSION = 'permchain-session';

/**
 * `aws:userid` of a role session is `<RoleId>:<session name>`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable),
 * and the documented way to let only some roles at a bucket is a Deny unless it is
 * `StringLike` `<RoleId>:*` (https://aws.amazon.com/blogs/security/how-to-restrict-amazon-s3-bucket-access-to-a-specific-iam-role/).
 * The input gives the role's id (RoleId); the session name is the one the service picks, which
 * AWS does not document for the services of a pipeline. The trial: the id with each session
 * name the policies' values end in (after their first `:`, with `*` read as nothing and `?` as
 * one character); the request carries a name none gives before the trials.
 */
function userIdTrial(
  roleId: string,
  tested: readonly (ReturnType<typeof testedKeys> | undefined)[],
  madeUp: { readonly model: Model; readonly at: string } | undefined,
): KeyTrial | undefined {
  const sessions = new Set<string>();
  const values: string[] = [];
  for (const t of tested)
    for (const v of t?.values.get(USERID) ?? []) {
      values.push(v);
      const colon = v.indexOf(':');
      if (colon >= 0)
        sessions.add(
          v
            .slice(colon + 1)
            .replace(/\*/g, '')
            .replace(/\?/g, 'x'),
        );
    }
  sessions.delete(MADE_UP_SESSION);
  const ids = madeUp ? deployedRoleIds(madeUp.model, roleId, values) : undefined;
  const key = {
    key: 'aws:userid',
    what:
      ids === undefined
        ? `the role session id (\`${roleId}:\` and the session name the service picks)`
        : `the role session id (the role's RoleId and the session name the service picks): the role is created by the template at \`${madeUp!.at}\` and AWS gives its RoleId when the stack is deployed (\`${roleId}\` is made up), and ${ids.words}`,
    ...(ids !== undefined ? { settle: madeUp!.at } : {}),
  };
  if (ids?.tooMany === true || sessions.size > MAX_TRIED_VALUES)
    return { key, values: [], tooMany: true };
  const tried = [...sessions].sort().map((s) => `${roleId}:${s}`);
  // each id the role may get, with the session names tried and the one no policy names
  for (const id of ids?.ids ?? [])
    for (const s of [MADE_UP_SESSION, ...[...sessions].sort()]) tried.push(`${id}:${s}`);
  if (tried.length > MAX_TRIED_VALUES) return { key, values: [], tooMany: true };
  return tried.length > 0 ? { key, values: tried } : undefined;
}

/**
 * Which RoleIds (`AROA` and word characters) a `StringLike` pattern matches: every one (`*`,
 * `AROA*`, `AR?A*`), none (`AIDA*`, a user's), or some (`AROAB*`, `*X`), which the made-up id
 * may match where the real one does not, or the other way.
 */
function roleIdPattern(pattern: string): 'all' | 'none' | 'some' {
  const star = pattern.indexOf('*');
  const head = star < 0 ? pattern : pattern.slice(0, star);
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === '?') continue;
    if (i < 4 ? c !== 'AROA'[i] : !/\w/.test(c)) return 'none';
  }
  return star >= 0 && head.length <= 4 && /^\**$/.test(pattern.slice(star)) ? 'all' : 'some';
}

/** The most RoleIds deployedRoleIds tries; more make the link Unknown. */
const MAX_ROLE_ID_CANDIDATES = 16;

/** The RoleIds of the model's roles, real or made up (each role's own): by model. */
const MODEL_ROLE_IDS = new WeakMap<Model, ReadonlySet<string>>();

function modelRoleIds(model: Model): ReadonlySet<string> {
  let ids = MODEL_ROLE_IDS.get(model);
  if (ids === undefined) {
    const found = new Set<string>();
    for (const a of model.accounts.values())
      for (const r of a.iam?.roles.values() ?? []) if (r.roleId !== undefined) found.add(r.roleId);
    ids = found;
    MODEL_ROLE_IDS.set(model, ids);
  }
  return ids;
}

/**
 * For a role a template creates, whose RoleId is made up (RoleModel.roleIdGenerated): the
 * RoleIds the `aws:userid` values of the link's policies name that may be the one AWS gives it.
 * The template's own references (`!Sub "${Role.RoleId}:*"`) carry the made-up id, as they will
 * carry the real one, and match it as they will; a role's RoleId is unique
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids),
 * so the id of another role of the model (made up for another template role, or a snapshot
 * role's) is not this one's. A literal RoleId (`AROA`, the prefix of a role's id, same page) no
 * role of the model has, written in a policy with the deployed role's id (a snapshot's policy,
 * another stack's), may be it: those are tried. An id part with a wildcard other than a lone
 * `*` (`AROAB*:*`) may or may not match the real id, whatever the made-up one does: the key is
 * then taken to matter (tooMany), as for too many ids. Undefined when the values name none.
 */
function deployedRoleIds(
  model: Model,
  roleId: string,
  values: readonly string[],
): { ids: readonly string[]; words: string; tooMany?: true } | undefined {
  const known = modelRoleIds(model);
  const ids = new Set<string>();
  const patterns = new Set<string>();
  for (const v of values) {
    const colon = v.indexOf(':');
    const id = colon >= 0 ? v.slice(0, colon) : v;
    if (id === roleId || known.has(id)) continue;
    if (/[*?]/.test(id)) {
      if (roleIdPattern(id) === 'some') patterns.add(id);
      continue;
    }
    if (id.startsWith('AROA') && ROLE_ID.test(id)) ids.add(id);
  }
  if (patterns.size > 0) {
    const first = [...patterns].sort()[0]!;
    return {
      ids: [],
      words: `a policy names RoleIds by the pattern \`${first.slice(0, 128)}\`, which the one it gets may or may not match`,
      tooMany: true,
    };
  }
  if (ids.size === 0) return undefined;
  const sorted = [...ids].sort();
  if (sorted.length > MAX_ROLE_ID_CANDIDATES)
    return {
      ids: [],
      words: `the link's policies name ${sorted.length} other RoleIds, any of them perhaps the one it gets`,
      tooMany: true,
    };
  return {
    ids: sorted,
    words: `the link's policies name the RoleId${sorted.length > 1 ? 's' : ''} ${sorted.map((i) => `\`${i}\``).join(', ')}, perhaps the one it gets`,
  };
}

/**
 * The side with the words of its unsettled Allow statements (Side.unknownAllows,
 * Side.ownerUnknownAllows), which depend on the side alone: worded once per side, not per link.
 * `service`: the service of a resource side's links, which names its resource policy in the
 * words of an Allow with `NotPrincipal` (`the bucket policy of …`).
 */
function sideWithUnknownAllows(side: Side, service?: string): Side {
  const allow = (p: CompiledPolicy, u: UnknownStatement): UnknownAllow => {
    const text = unknownAllowText(p, u);
    if (u.unsupported === undefined || service === undefined) return { text, statement: u };
    const name = u.sid !== undefined ? `statement \`${u.sid}\`` : `statement ${u.index}`;
    const file = p.source?.file;
    const at =
      file === undefined
        ? ''
        : ` (at \`${placeOf({ file, pointer: u.pointer, ...(u.line !== undefined ? { line: u.line } : {}) })}\`)`;
    return {
      text,
      statement: u,
      words: `the ${resourcePolicyKind(service)} of \`${p.name}\` ${name}${at}`,
    };
  };
  const unknownAllows: UnknownAllow[] = [];
  for (const p of side.byLabel.values())
    for (const u of p.unknownAllows ?? []) unknownAllows.push(allow(p, u));
  const ownerPolicy = side.fields.resourcePolicy;
  const ownerUnknownAllows =
    side.fields.resourceAccount !== undefined &&
    ownerPolicy &&
    typeof ownerPolicy === 'object' &&
    isCompiledPolicy(ownerPolicy)
      ? (ownerPolicy.unknownAllows ?? []).map((u) => allow(ownerPolicy, u))
      : [];
  if (unknownAllows.length === 0 && ownerUnknownAllows.length === 0) return side;
  return {
    ...side,
    ...(unknownAllows.length > 0 ? { unknownAllows } : {}),
    ...(ownerUnknownAllows.length > 0 ? { ownerUnknownAllows } : {}),
  };
}

/** The lower-cased service of a permission (`s3:GetObject` → `s3`), memoised per permission. */
function serviceOf(permission: string): string {
  let service = SERVICES.get(permission);
  if (service === undefined) {
    const colon = permission.indexOf(':');
    service = (colon < 0 ? permission : permission.slice(0, colon)).toLowerCase();
    if (SERVICES.size >= 10_000) SERVICES.clear();
    SERVICES.set(permission, service);
  }
  return service;
}

const SERVICES = new Map<string, string>();

/**
 * What a resource side depends on: the resource, except that every object of a bucket has the
 * bucket's side (its policy and owner; see resourceOwner). An analysis names a new artifact
 * object in nearly every link, so sides are kept per bucket, not per object. An object key that
 * carries an unresolved template value keeps its own side: it names what is missing.
 */
function sideResource(service: string, resource: string): string {
  if (service !== 's3' || !resource.startsWith('arn:') || resource.includes('unresolved'))
    return resource;
  const slash = resource.indexOf('/');
  return slash < 0 ? resource : resource.slice(0, slash);
}

/** Template values the loader could not resolve that this string carries, as missing inputs. */
export function unresolvedIn(model: Model, text: string): string[] {
  const unresolved = model.unresolved;
  if (!unresolved || unresolved.size === 0 || !text.includes('unresolved')) return [];
  const out: string[] = [];
  for (const [placeholder, u] of unresolved) {
    if (!text.includes(placeholder)) continue;
    out.push(unsettledText(u.location, u.reason));
  }
  return out;
}

/**
 * What is wrong with each input a link cannot be decided without, in words. A file the input
 * holds is not "missing": one the loader could not read at all (an error at its top: not JSON,
 * cut short) `could not be read`, one with input errors inside `could not be read in full`, one
 * with only warnings (a list it lacks or holds in part) `is incomplete`, all naming the problems
 * that say why; an SCP or RCP file whose targets are not all known says that (`has no
 * \`Targets\``, or lists them in part). An Allow statement with `NotPrincipal` is not missing
 * either: the allow comes from it, and AWS does not support it (NOT_PRINCIPAL_ALLOWS). The rest (a
 * file, an ARN, a document the input does not hold) is `missing from the input`.
 */
function inputGaps(model: Model, g: Gathered, missing: readonly string[]): string {
  const unplaced = new Set(
    [...(g.unplacedScps ?? []), ...(g.unplacedRcps ?? [])].map((u) => u.file),
  );
  const absent: string[] = [];
  const unread: string[] = [];
  const partly: string[] = [];
  const incomplete: string[] = [];
  const untargeted: string[] = [];
  const unsupported: string[] = [];
  for (const m of missing) {
    const words = g.notPrincipalAllows?.get(m);
    if (words !== undefined) {
      unsupported.push(words);
      continue;
    }
    const problems = problemsOfFile(model, m);
    if (unplaced.has(m))
      untargeted.push(
        problems.some((p) => p.id === TARGETS_MISSING)
          ? `\`${m}\` has no \`Targets\`, so where it applies is not known`
          : `\`${m}\` does not list all its \`Targets\`, so where it applies is not known`,
      );
    else if (problems.some((p) => p.severity === 'error' && p.pointer === '')) unread.push(m);
    else if (problems.some((p) => p.severity === 'error')) partly.push(m);
    else if (problems.length > 0) incomplete.push(m);
    else absent.push(m);
  }
  const files = (list: readonly string[]): string => andList(quotedInputs(list));
  const parts: string[] = [];
  // not missing, but present in a form AWS does not support: the link is allowed only if AWS
  // reads it as written (NOT_PRINCIPAL_ALLOWS)
  if (unsupported.length > 0)
    parts.push(
      `the allow comes from ${andList(atMostNamed(unsupported, (n) => `${n} more`))}, ${unsupported.length > 1 ? 'Allow statements' : 'an Allow statement'} with \`NotPrincipal\`, which AWS does not support (\`NotPrincipal\` must be used with \`Deny\`)`,
    );
  if (absent.length > 0) parts.push(`missing from the input: ${quotedInputs(absent).join(', ')}`);
  if (unread.length > 0) parts.push(`${files(unread)} could not be read (see problems)`);
  if (partly.length > 0) parts.push(`${files(partly)} could not be read in full (see problems)`);
  if (incomplete.length > 0)
    parts.push(
      `${files(incomplete)} ${incomplete.length > 1 ? 'are' : 'is'} incomplete (see problems)`,
    );
  // one clause each for the first MAX_INPUTS_NAMED, then one counting the rest: an organization
  // of thousands of such policies made one line of thousands of clauses
  parts.push(
    ...atMostNamed(
      untargeted,
      (n) =>
        `${n} more SCP or RCP ${n === '1' ? 'file' : 'files'} whose \`Targets\` are not all known`,
    ),
  );
  return parts.join('; ');
}

/** the loader's warning for an SCP or RCP file without `Targets` (snapshotOrganization.ts) */
const TARGETS_MISSING = 'snapshot.organization.targets-missing';

const FILE_PROBLEMS = new WeakMap<Model, Map<string, Problem[]>>();

/** The problems the loader reported on a file of the input (indexed once per model). */
function problemsOfFile(model: Model, file: string): readonly Problem[] {
  let byFile = FILE_PROBLEMS.get(model);
  if (!byFile) {
    byFile = new Map();
    for (const p of model.problems) {
      if (p.file === undefined) continue;
      const list = byFile.get(p.file);
      if (list) list.push(p);
      else byFile.set(p.file, [p]);
    }
    FILE_PROBLEMS.set(model, byFile);
  }
  return byFile.get(file) ?? [];
}

/** `file:line` (a template) or `file#pointer` (a snapshot file). */
export function placeOf(at: Location): string {
  return at.line !== undefined ? `${at.file}:${at.line}` : `${at.file}#${at.pointer ?? ''}`;
}

function policyByLabel(g: Gathered, label: string | number): CompiledPolicy | undefined {
  return g.byLabel.get(label) ?? g.moreLabels?.get(label);
}

/**
 * A policy that had invalid statements was read without them (they are reported as input
 * problems). What they would have allowed or denied is unknown, so a decision that rests on such
 * a policy is Unknown unless an explicit deny already decides it.
 */
function noteSkipped(p: CompiledPolicy, missing: Set<string>): void {
  const skipped = p.skipped.slice(0, MAX_GAPS_NAMED);
  for (const ptr of skipped)
    missing.add(`${p.source?.file ?? p.name}#${ptr} (${skippedWhat(p, ptr)})`);
  const more = p.skipped.length - skipped.length;
  if (more > 0)
    missing.add(
      `${p.source?.file ?? p.name}#${p.source?.pointer ?? ''} (${more.toLocaleString('en-US')} more statements or policy elements that could not be read: see problems)`,
    );
  // every one: gather takes out those that cannot cover the link's action (openAllows), and an
  // Allow with NotPrincipal needs its own words (NOT_PRINCIPAL_ALLOWS); the link's lists are
  // bounded where it is made (boundedInputs, quotedInputs)
  for (const u of p.unknownAllows ?? []) missing.add(unknownAllowText(p, u));
}

/**
 * The most unreadable statements and elements of one policy a link names in its `missing` list;
 * the rest are counted in one more entry. Every link that reads the policy names them, in
 * `missing` and in its `why`: a hostile RCP of 100,000 misspelt top-level elements made each of a
 * pipeline's links name all of them, a report larger than Node.js can write as one string (a
 * RangeError and its stack trace after a minute). Each one is an input error of its own in the
 * problems. (The unsettled Allow statements are not counted in with them: each may or may not
 * cover the link's action, which decides whether it is missing at all.)
 */
const MAX_GAPS_NAMED = 10;

/**
 * What a skipped pointer of a policy is (CompiledPolicy.skipped): a statement (`/Statement` or
 * under it, after the policy's own pointer), or a top-level element IAM refuses (`/Version`,
 * `/Id`, an unknown element such as a misspelt `/Statment`).
 */
function skippedWhat(p: CompiledPolicy, ptr: string): string {
  const base = p.source?.pointer ?? '';
  const rel =
    base !== '' && (ptr === base || ptr.startsWith(`${base}/`)) ? ptr.slice(base.length) : ptr;
  return rel === '/Statement' || rel.startsWith('/Statement/')
    ? 'invalid statement'
    : 'invalid policy element';
}

/**
 * An Allow statement a template does not settle, as a missing input: it can only add allows
 * (CompiledPolicy.unknownAllows), so gather also counts it in `allowOnly`.
 */
function unknownAllowText(p: CompiledPolicy, u: UnknownStatement): string {
  const line = u.line !== undefined ? `line ${u.line}: ` : '';
  if (u.unsupported !== undefined)
    return `${p.source?.file ?? p.name}#${u.pointer} (${line}${u.reason})`;
  return `${p.source?.file ?? p.name}#${u.pointer} (${line}an Allow statement the input does not settle: ${u.reason})`;
}

/**
 * The policy with its Allow statements with `NotPrincipal` left out and noted in `unknownAllows`
 * (see NOT_PRINCIPAL_ALLOWS), or the policy itself when it has none; memoised per policy (the
 * evaluator caches compiled documents by identity).
 */
function withoutNotPrincipalAllows(p: CompiledPolicy): CompiledPolicy {
  let out = NOT_PRINCIPAL_LEFT_OUT.get(p);
  if (out === undefined) {
    const unsupported = (st: CompiledStatement): boolean =>
      st.effect === 'Allow' && st.notPrincipal !== undefined;
    const left = p.statements.filter(unsupported);
    out =
      left.length === 0
        ? p
        : {
            ...p,
            // (the test again, not `left.includes`: a hostile policy of thousands of such
            // statements made this quadratic)
            statements: p.statements.filter((st) => !unsupported(st)),
            unknownAllows: [
              ...(p.unknownAllows ?? []),
              ...left.map((st): UnknownStatement => ({
                index: st.index,
                pointer: st.pointer,
                ...(st.line !== undefined ? { line: st.line } : {}),
                reason: 'an Allow statement with `NotPrincipal`, which AWS does not support',
                ...(st.action ? { action: st.action } : {}),
                ...(st.notAction ? { notAction: st.notAction } : {}),
                unsupported: 'NotPrincipal',
                ...(st.sid !== undefined ? { sid: st.sid } : {}),
              })),
            ],
          };
    NOT_PRINCIPAL_LEFT_OUT.set(p, out);
  }
  return out;
}

const NOT_PRINCIPAL_LEFT_OUT = new WeakMap<CompiledPolicy, CompiledPolicy>();

function principalSide(model: Model, arn: string): Side {
  let scpTargets: readonly string[] | undefined;
  let mayNotApply: string | undefined;
  let scpUnplaced: readonly Unplaced[] | undefined;
  const missing = new Set<string>(unresolvedIn(model, arn));
  const byLabel = new Map<string | number, CompiledPolicy>();
  const fields: Partial<MutableRequest> = {};
  const context: Record<string, string | readonly string[]> = {};
  const remember = (p: CompiledPolicy): CompiledPolicy => {
    byLabel.set(p.name, p);
    noteSkipped(p, missing);
    return p;
  };
  const principalAccount = parseArn(arn)?.account;
  const role = findRole(model, arn);
  if (role.kind === 'missing') missing.add(role.file);
  else if (role.kind === 'absent') {
    return {
      fields,
      context,
      missing: [],
      byLabel,
      absent: {
        why: `role \`${arn}\` does not exist${role.file ? ` (not in \`${role.file}\`)` : ''}`,
      },
    };
  } else {
    // the caller's tags (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag)
    for (const [k, v] of role.value.tags) context[`aws:PrincipalTag/${k}`] = v;
    const pol = rolePolicies(model, role.value);
    // a policy ARN that is a placeholder (a boundary a template does not settle, or that a
    // template may have dropped) is missing as the place that would settle it
    for (const m of pol.missing) {
      const named = unresolvedIn(model, m);
      if (named.length === 0) missing.add(m);
      for (const n of named) missing.add(n);
    }
    fields.identityPolicies = pol.identity.map(remember);
    if (pol.boundary) fields.permissionBoundary = remember(pol.boundary);
  }
  if (principalAccount && isAccountId(principalAccount)) {
    const scps = scpLevels(model, principalAccount);
    if (scps.applies && scps.unplaced) scpUnplaced = scps.unplaced;
    for (const m of scps.missing) missing.add(m);
    if (scps.applies) {
      fields.scps = scps.levels.map((l) => l.map(remember));
      scpTargets = scps.targets;
      for (const u of scps.unplaced ?? []) remember(u.policy);
      if (scps.mayNotApply) mayNotApply = scps.mayNotApply;
    }
    if (isManagementAccount(model, principalAccount)) fields.principalIsManagementAccount = true;
  }
  const org = principalAccount && isAccountId(principalAccount) ? principalAccount : undefined;
  const roleId = role.kind === 'found' ? role.value.roleId : undefined;
  const madeUpAt =
    role.kind === 'found' && role.value.roleIdGenerated === true
      ? placeOf(role.value.location)
      : undefined;
  const side: MutableSide = { fields, context, missing: [...missing], byLabel };
  if (roleId !== undefined && ROLE_ID.test(roleId)) {
    side.roleId = roleId;
    if (madeUpAt !== undefined) side.roleIdMadeUpAt = madeUpAt;
  }
  if (scpTargets) side.scpTargets = scpTargets;
  if (mayNotApply) side.guardrailsMayNotApply = mayNotApply;
  if (scpUnplaced) side.unplaced = scpUnplaced;
  withOrgSide(side, orgSide(model, org, 'Principal', context, byLabel));
  return side;
}

function resourceSide(model: Model, spec: LinkSpec, service: string): Side {
  let rcpMayNotApply: string | undefined;
  let rcpUnplaced: readonly Unplaced[] | undefined;
  const g: Gathered = {
    request: { principal: '', action: spec.permission, resource: spec.resource },
    missing: new Set<string>(),
    byLabel: new Map(),
    resourceLabel: spec.resource,
  };
  const context: Record<string, string | readonly string[]> = {};
  for (const u of unresolvedIn(model, spec.resource)) g.missing.add(u);
  const owner = resourceOwner(model, spec, g);
  const fields: Partial<MutableRequest> = {};
  const r = g.request;
  if (r.resource !== spec.resource) fields.resource = r.resource;
  if (r.resourcePolicy !== undefined) fields.resourcePolicy = r.resourcePolicy;
  if (r.resourceIsAwsManagedKey) fields.resourceIsAwsManagedKey = true;
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
  // a tag value the template does not settle leaves the tags unknown (tried, not used as text)
  if (g.resourceTags && [...g.resourceTags.values()].some((v) => unresolvedIn(model, v).length > 0))
    delete g.resourceTags;
  for (const [k, v] of g.resourceTags ?? []) context[`aws:ResourceTag/${k}`] = v;
  if (owner) {
    fields.resourceAccount = owner;
    // what is missing of the RCPs matters only where they may apply: to the services AWS lists,
    // never on an AWS-managed key (the evaluator's useRcps;
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html,
    // https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html):
    // elsewhere a missing rcp/ folder made the links of CloudFormation, CodeDeploy, IAM... Unknown
    const rcpsMayApply = isRcpService(service) && fields.resourceIsAwsManagedKey !== true;
    const rcps = rcpLevels(model, owner);
    if (rcpsMayApply) for (const m of rcps.missing) g.missing.add(m);
    if (rcps.applies && rcps.mayNotApply) rcpMayNotApply = rcps.mayNotApply;
    if (rcpsMayApply && rcps.applies && rcps.unplaced) {
      rcpUnplaced = rcps.unplaced;
      // a statement that could not be read may deny at any level, as for placed RCPs
      for (const u of rcps.unplaced) {
        g.byLabel.set(u.policy.name, u.policy);
        noteSkipped(u.policy, g.missing);
      }
    }
    if (rcps.applies) {
      fields.rcps = rcps.levels.map((l) =>
        l.map((p) => {
          g.byLabel.set(p.name, p);
          noteSkipped(p, g.missing);
          return p;
        }),
      );
    }
    if (isManagementAccount(model, owner)) fields.resourceIsManagementAccount = true;
  }
  // optional members assigned when present, not spread (each spread copies what is built so far)
  const side: MutableSide = {
    fields,
    context,
    missing: [...g.missing],
    byLabel: g.byLabel,
    resourceLabel: g.resourceLabel,
  };
  if (g.absent) side.absent = g.absent;
  if (g.resourceRegion !== undefined) side.region = g.resourceRegion;
  if (g.resourceTags) side.tagsKnown = true;
  if (rcpMayNotApply) side.guardrailsMayNotApply = rcpMayNotApply;
  if (g.ownerPolicyUnknown) side.ownerPolicyUnknown = g.ownerPolicyUnknown;
  if (g.regionUnknownAt !== undefined) side.regionUnknownAt = g.regionUnknownAt;
  if (rcpUnplaced) side.unplaced = rcpUnplaced;
  if (g.kmsGrants) side.kmsGrants = g.kmsGrants;
  if (g.kmsKeyNotEnabled) side.kmsKeyNotEnabled = g.kmsKeyNotEnabled;
  if (g.kmsKeyStateUnknown) side.kmsKeyStateUnknown = g.kmsKeyStateUnknown;
  if (g.shownResource !== undefined) side.shownResource = g.shownResource;
  withOrgSide(side, orgSide(model, owner, 'Resource', context, g.byLabel));
  return side;
}

/** each side's organization keys, written once (not made anew for every side) */
const ORG_KEYS = {
  Principal: { orgId: 'aws:PrincipalOrgID', orgPaths: 'aws:PrincipalOrgPaths' },
  Resource: { orgId: 'aws:ResourceOrgID', orgPaths: 'aws:ResourceOrgPaths' },
} as const;

/** `side` with what orgSide found of it */
function withOrgSide(side: MutableSide, org: Pick<Side, 'uncertain' | 'tested'>): void {
  if (org.uncertain) side.uncertain = org.uncertain;
  if (org.tested) side.tested = org.tested;
}

/**
 * The organization keys of one side (aws:PrincipalOrgID and aws:PrincipalOrgPaths for the
 * caller, aws:ResourceOrgID and aws:ResourceOrgPaths for the owner). The org id goes into the
 * context when the account is known to be a member; it stays out when the account is known not
 * to be one (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid:
 * present only for members); otherwise it is uncertain. The org path of a member is its path in
 * parents.json (orgPathOf), uncertain when parents.json does not lead the account to a root.
 * Uncertain keys matter only when a policy of the link tests them (orgDependence).
 */
function orgSide(
  model: Model,
  account: string | undefined,
  side: 'Principal' | 'Resource',
  context: Record<string, string | readonly string[]>,
  byLabel: ReadonlyMap<string | number, CompiledPolicy>,
): Pick<Side, 'uncertain' | 'tested'> {
  const tested = testedKeys(byLabel.values());
  if (account === undefined) return tested ? { tested } : {};
  const m = orgMembership(model, account);
  const uncertain: UncertainKey[] = [];
  const whose = side === 'Principal' ? "the caller's account" : "the resource owner's account";
  const { orgId: orgIdKey, orgPaths: orgPathsKey } = ORG_KEYS[side];
  const path = m.kind === 'member' ? orgPathOf(model, account) : undefined;
  if (m.kind === 'member') context[orgIdKey] = m.orgId;
  else if (m.kind === 'unknown')
    uncertain.push({
      key: orgIdKey,
      what: `the organization of ${whose} \`${account}\``,
      settle: m.file,
    });
  if (path !== undefined) context[orgPathsKey] = [path];
  else if (m.kind !== 'none')
    uncertain.push({
      key: orgPathsKey,
      what: `the organization path of ${whose} \`${account}\``,
      settle: m.kind === 'unknown' ? m.file : snapshotPath.orgParents,
    });
  return { ...(uncertain.length > 0 ? { uncertain } : {}), ...(tested ? { tested } : {}) };
}

/**
 * The organization of the account a service acts for (`aws:SourceAccount`, which the catalog sets
 * on the calls service principals make): `aws:SourceOrgID` in `context` when the account is known
 * to be a member, left out when it is known not to be one, uncertain otherwise; and
 * `aws:SourceOrgPaths`, its path in parents.json (orgPathOf), uncertain when that is not known.
 * Policies test them to let a service act only for the organization's resources
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html):
 * read as absent, an RCP allowing services for the organization's sources only denied every
 * service role's assumption. The uncertain ones are returned, for trialsFor.
 */
function sourceOrg(model: Model, context: Record<string, unknown>): UncertainKey[] {
  const account = context['aws:SourceAccount'];
  if (typeof account !== 'string' || !isAccountId(account)) return [];
  const m = orgMembership(model, account);
  if (m.kind === 'none') return [];
  const out: UncertainKey[] = [];
  const path = m.kind === 'member' ? orgPathOf(model, account) : undefined;
  if (m.kind === 'member') context['aws:SourceOrgID'] = m.orgId;
  else
    out.push({
      key: 'aws:SourceOrgID',
      what: `the organization of the account the service acts for, \`${account}\``,
      settle: m.file,
    });
  if (path !== undefined) context['aws:SourceOrgPaths'] = [path];
  else
    out.push({
      key: 'aws:SourceOrgPaths',
      what: `the organization path of the account the service acts for, \`${account}\``,
      settle: m.kind === 'unknown' ? m.file : snapshotPath.orgParents,
    });
  return out;
}

/**
 * aws:RequestedRegion ('' when not known), which AWS always sets: the region in the resource ARN; for S3 the
 * bucket's region; IAM's single endpoint is in us-east-1
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion);
 * otherwise the region the action runs in. STS has regional endpoints and a global one in
 * us-east-1; which one the service uses is not documented, so both are tried (keyDependence).
 */
function requestedRegion(
  spec: LinkSpec,
  service: string,
  bucketRegion: string | undefined,
): string {
  return (
    regionOfArn(spec.resource) ??
    (service === 's3'
      ? (bucketRegion ?? spec.region)
      : service === 'iam'
        ? 'us-east-1'
        : spec.region) ??
    ''
  );
}

/** The region field of an ARN (`arn:partition:service:region:...`), when it names one. */
function regionOfArn(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const a = arn.indexOf(':', 4);
  const b = a < 0 ? -1 : arn.indexOf(':', a + 1);
  const c = b < 0 ? -1 : arn.indexOf(':', b + 1);
  if (c <= b + 1) return undefined;
  const region = arn.slice(b + 1, c);
  return region === '*' || region.includes('unresolved') ? undefined : region;
}

/**
 * Whether two decisions give the same outcome: allowed, or denied (implicitly one way and
 * explicitly the other, a call is denied either way). What the input does not settle matters
 * only when it changes the outcome.
 */
function sameOutcome(a: string, b: string): boolean {
  return (a === 'Allowed') === (b === 'Allowed');
}

/**
 * Whether a trial's result gives the same outcome as `decision` (sameOutcome). A trial denied
 * the other way is kept (g.otherDenials) with its request and what it tried: the link's
 * reasons and fix must cover the explicit deny some value hits as well as the allow another
 * lacks (see deniedLink), and its words name the trial they are about. Callers test
 * `r.decision === decision` first, so the common case costs one comparison and `tried` is made
 * only when the decision differs.
 */
function agrees(
  g: Gathered,
  r: EvaluationResult,
  decision: string,
  request: EvaluationRequest,
  tried: Tried,
): boolean {
  if (r.decision === decision) return true;
  if (!sameOutcome(r.decision, decision)) return false;
  (g.otherDenials ??= []).push({ result: r, request, tried });
  return true;
}

/** What trials tried, each key or value once (a trial of every key at once repeats the others'). */
function triedWords(trials: readonly { readonly tried: Tried }[]): string[] {
  return [...new Set(trials.flatMap((o) => o.tried.parts ?? [o.tried.what]))];
}

/** A trial of uncertain keys, as keyDependence names them. */
function keysTried(keys: readonly UncertainKey[]): Tried {
  const parts = keys.map((k) => `\`${k.key}\` (${k.what})`);
  return {
    what: parts.join(', '),
    ...(parts.length > 1 ? { parts } : {}),
    settle: [...new Set(keys.flatMap((k) => (k.settle ? [k.settle] : [])))],
  };
}

/**
 * Whether the decision depends on keys whose value is not known: the link is evaluated again
 * with each uncertain key set to each value to try (the decision so far had them absent), then
 * with every uncertain key set at once to its first value (conditions that need two keys
 * together). Returns the keys that change the decision.
 */
function keyDependence(g: Gathered, decision: string): UncertainKey[] | undefined {
  const trials = g.uncertain;
  if (!trials) return undefined;
  const all: Record<string, string | readonly string[]> = {};
  for (const { key, values, tooMany } of trials) {
    if (tooMany) return [key];
    for (const v of values) {
      const request = { ...g.request, context: { ...g.request.context, [key.key]: v } };
      const r = evaluate(request);
      noteSides(g, decision, r);
      if (r.decision !== decision && !agrees(g, r, decision, request, keysTried([key])))
        return [key];
    }
    if (values.length > 0) all[key.key] = values[0]!;
  }
  if (trials.length < 2) return undefined;
  const request = { ...g.request, context: { ...g.request.context, ...all } };
  const r = evaluate(request);
  noteSides(g, decision, r);
  const keys = trials.map((t) => t.key);
  return r.decision !== decision && !agrees(g, r, decision, request, keysTried(keys))
    ? keys
    : undefined;
}

/**
 * For an implicitly denied link, a trial's answer that one side does not deny by a missing allow
 * (it allows for that value, or the trial is decided otherwise): then that side's missing allow
 * does not hold for every value, and neither resourceSideDenies nor callerSideDenies may
 * decide the link by it.
 */
function noteSides(g: Gathered, decision: string, r: EvaluationResult): void {
  // an explicit deny for that value denies whatever either side allows: it says nothing of them
  if (decision !== 'ImplicitlyDenied' || r.decision === 'ExplicitlyDenied') return;
  const implicit = r.decision === 'ImplicitlyDenied';
  if (!implicit || !r.deniedBy.some((d) => d.policyType === 'resource' && !d.explicit))
    g.ownerAllowsSomeTrial = true;
  if (!implicit || !r.deniedBy.some((d) => CALLER_SIDE.has(d.policyType) && !d.explicit))
    g.callerAllowsSomeTrial = true;
}

/**
 * Parts of a link's resource that no input gives, which the catalog writes `*`:
 * - a CloudFormation stack ARN ends in the stack's id (`…:stack/<name>/<id>`), a stack set ARN in
 *   the stack set's (`…:stackset/<name>:<id>`)
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html#awscloudformation-resources-for-iam-policies),
 *   assigned when the stack or stack set is created; the `*` is in link resources and in the
 *   `aws:SourceArn` a service sends when it assumes a role for the stack (set);
 * - an Elastic Beanstalk environment's stack is `awseb-e-<environment id>-stack`, and its Auto
 *   Scaling group `…:autoScalingGroup:<group id>:autoScalingGroupName/<name>`
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html#amazonec2autoscaling-resources-for-iam-policies)
 *   named `awseb-e-<environment id>-stack-AWSEBAutoScalingGroup-<suffix>` (elasticbeanstalk.json).
 *   Elastic Beanstalk assigns the environment id when it creates the environment, and no input
 *   gives it: the snapshot format has no Elastic Beanstalk file, and a template's
 *   AWS::ElasticBeanstalk::Environment gives its name (`Ref`) and endpoint (`Fn::GetAtt`
 *   EndpointURL), not its id
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticbeanstalk-environment.html#aws-resource-elasticbeanstalk-environment-return-values).
 *   Auto Scaling assigns the group id; CloudFormation generates the end of the group's name
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
 * That `*` is not a wildcard in the request: a real ARN holds the id, and a policy that names
 * the ARN with a literal `*` never matches it (StringEquals takes no wildcards,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * The request is therefore evaluated with made-up ids that no policy names, shaped like the real
 * ones: a UUID (36 characters: the end of the StackId that
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 * returns, of a StackSetId, and an Auto Scaling group id) for a stack, stack set or group, and
 * letters and digits for an environment id or a name's suffix, whose length AWS does not
 * document. So a pattern over every id (`…:stack/<name>/*`, `…:stackset/*`, a `?` per character
 * of a UUID, `awseb-e-*`) matches it as it matches the real id, and a pattern over fewer
 * characters (`…:<name>:?`) does not. Then the ids the link's policies name are tried
 * (idDependence). The report shows the link as written, with `*` for each id.
 */
const MADE_UP_ID = '00000000-0000-4000-8000-000000000000';
/** a second made-up id, different from the first in every character but the dashes */
const OTHER_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const ID_LENGTH = MADE_UP_ID.length;

/** How the ids of one kind are made up and matched. */
interface IdKind {
  /** the id the request carries */
  readonly madeUp: string;
  /**
   * a second made-up id, different from the first in every character it may differ in, and in
   * length where AWS documents none: a policy may match some ids and not others (`…:0*`)
   */
  readonly other: string;
  /** more made-up ids to try, of other lengths (a pattern may ask for a least length: `*??????`) */
  readonly more?: readonly string[];
  /** UUID-shaped (see isDashAt); else one or more letters and digits (or `characters`) */
  readonly uuid: boolean;
  /** the characters of an id that is not UUID-shaped, when not only letters and digits */
  readonly characters?: RegExp;
}

const UUID_ID: IdKind = { madeUp: MADE_UP_ID, other: OTHER_ID, uuid: true };
/** ten characters after `e-` as Elastic Beanstalk shows them; no length is documented */
const ENVIRONMENT_ID: IdKind = {
  madeUp: '0000000000',
  other: 'zzzzzzzzzzzz',
  more: ['z'],
  uuid: false,
};
/** thirteen characters, as CloudFormation generates them (templateNames.ts); none documented */
const NAME_SUFFIX: IdKind = {
  madeUp: '0000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
};

/**
 * A task definition family: up to 255 letters, digits, `_` and `-`
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html).
 * Two made-up families that differ in every character and in length, which no policy names by
 * accident (see byUnsettledName).
 */
const FAMILY_NAME: IdKind = {
  madeUp: '0000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[0-9A-Za-z_-]$/,
};

/**
 * A value the input does not settle (a CodePipeline variable, a template value) inside a name:
 * any text (a log group name holds `/`), so a policy's pattern is met by a value of any of its
 * characters. Two made-up values that differ in every character and in length, which no policy
 * names by accident.
 */
const UNSETTLED_VALUE: IdKind = {
  madeUp: '0000000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[\s\S]$/u,
};

/** An id no input gives, at a `*` of a link value. */
interface RuntimeId {
  readonly kind: IdKind;
  /** the id in words: the id of stack `platform-web` */
  readonly what: string;
  /** ids of its kind in words, for a policy that matches some of them: ids of stack `platform-web` */
  readonly some: string;
  /** why no input gives it: assigned when it is created */
  readonly why: string;
  /** the input that would give it, when one would (an AWS-managed key's aliases file) */
  readonly settle?: readonly string[];
}

/** A link value (resource, context value) with a `*` for each id no input gives. */
interface RuntimeValue {
  /** as the link writes it */
  readonly written: string;
  /** its literal text and its ids, in order */
  readonly parts: readonly (string | RuntimeId)[];
  readonly ids: readonly RuntimeId[];
  /** with the made-up ids: what the evaluator sees */
  readonly madeUp: string;
}

const stackId = (name: string): RuntimeId => ({
  kind: UUID_ID,
  what: `the id of stack \`${name}\``,
  some: `ids of stack \`${name}\``,
  why: 'assigned when it is created',
});

/**
 * An AWS-managed key (`alias/aws/s3`) the input does not list: KMS authorizes a call on it by
 * the key's ARN, never by the alias ("When an alias is the value of a resource element, the
 * policy applies to the alias resource, not to any KMS key that might be associated with it",
 * https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html), so the
 * request is on the key ARN with its id made up, and tried with the ids policies name. The
 * report shows the alias ARN.
 */
function awsManagedKeyValue(
  model: Model,
  spec: LinkSpec,
): { readonly value: RuntimeValue; readonly alias: string } | undefined {
  if (serviceOf(spec.permission) !== 'kms' || !isAwsManagedKeyAlias(spec.resource))
    return undefined;
  const arn = parseArn(spec.resource);
  if (!arn || arn.service !== 'kms' || arn.account === '' || arn.region === '') return undefined;
  const key = resolveKmsKey(model, arn.account, arn.region, spec.resource);
  // a key the alias points to by a listed id is that key, whose file alone is missing
  if (key.kind !== 'missing' || aliasTargetArn(model, spec.resource) !== undefined)
    return undefined;
  const id: RuntimeId = {
    kind: UUID_ID,
    what: `the id of the AWS-managed key \`${arn.resource}\``,
    some: 'key ids',
    why: `which AWS assigns when the key is first used and which only \`${key.file}\` would give`,
    settle: [key.file],
  };
  const parts = [spec.resource.slice(0, spec.resource.length - arn.resource.length) + 'key/', id];
  return {
    value: {
      written: spec.resource,
      parts,
      ids: [id],
      madeUp: render({ parts }, [id.kind.madeUp]),
    },
    alias: arn.resource,
  };
}

const stackSetId = (name: string): RuntimeId => ({
  kind: UUID_ID,
  what: `the id of stack set \`${name}\``,
  some: `ids of stack set \`${name}\``,
  why: 'assigned when it is created',
});

const ENVIRONMENT: RuntimeId = {
  kind: ENVIRONMENT_ID,
  what: 'the id of the Elastic Beanstalk environment',
  some: 'Elastic Beanstalk environment ids',
  why: 'assigned when the environment is created',
};

const GROUP_ID: RuntimeId = {
  kind: UUID_ID,
  what: "the id of the environment's Auto Scaling group",
  some: 'Auto Scaling group ids',
  why: 'assigned when the group is created',
};

const GROUP_NAME_SUFFIX: RuntimeId = {
  kind: NAME_SUFFIX,
  what: "the end of the name of the environment's Auto Scaling group (after `AWSEBAutoScalingGroup-`)",
  some: 'ends of that name',
  why: 'which CloudFormation generates when it creates the group',
};

/**
 * An EC2 id (`subnet-…`, `sg-…`: the prefix, then 8 or 17 hexadecimal digits); the made-up ones
 * differ in every digit and in length.
 */
const ec2Id = (prefix: string): IdKind => ({
  madeUp: `${prefix}-00000000000000000`,
  other: `${prefix}-ffffffff`,
  uuid: false,
  characters: /^[0-9a-z-]$/,
});

/** The number AppConfig gives a deployment when it starts: digits. */
const APPCONFIG_DEPLOYMENT: RuntimeId = {
  kind: { madeUp: '1000', other: '7', more: ['12'], uuid: false, characters: /^[0-9]$/ },
  what: 'the number of the deployment',
  some: 'deployment numbers',
  why: 'assigned when the deployment starts',
};

/**
 * The deployment strategy an AppConfig action without DeploymentStrategy uses: an id of 7
 * characters, or a predefined one such as `AppConfig.AllAtOnce`.
 */
const APPCONFIG_STRATEGY: RuntimeId = {
  kind: {
    madeUp: '0000000',
    other: 'ZZZZZZZZZZZZZZZZ',
    more: ['z'],
    uuid: false,
    characters: /^[0-9A-Za-z.]$/,
  },
  what: 'the deployment strategy the action uses',
  some: 'deployment strategies',
  why: 'which the action reference does not name when DeploymentStrategy is not set',
};

/** A subnet of the EKS cluster's VPC, which an EKS deploy action without Subnets runs in. */
const CLUSTER_SUBNET: RuntimeId = {
  kind: ec2Id('subnet'),
  what: "the subnet of the cluster's VPC the action runs in",
  some: "subnets of the cluster's VPC",
  why: 'which no input gives (no snapshot holds the cluster, and the action names no Subnets)',
};

/** The cluster security group, which an EKS deploy action without SecurityGroupIds uses. */
const CLUSTER_SECURITY_GROUP: RuntimeId = {
  kind: ec2Id('sg'),
  what: "the cluster's security group",
  some: 'security groups',
  why: 'which no input gives (no snapshot holds the cluster, and the action names no SecurityGroupIds)',
};

/** The names Elastic Beanstalk gives an environment's stack and Auto Scaling group. */
const BEANSTALK_STACK = 'awseb-e-*-stack';
const BEANSTALK_GROUP = `autoScalingGroup:*:autoScalingGroupName/${BEANSTALK_STACK}-AWSEBAutoScalingGroup-*`;

/** A name with no separator and no `*` or `?`: a stack or stack set named in full. */
const fullName = (name: string): boolean => name !== '' && !/[/:*?]/.test(name);

/** The value with `*` for ids no input gives that `value` is, if it is one. */
function runtimeValue(value: string): RuntimeValue | undefined {
  if (!value.endsWith('*')) return undefined;
  const arn = parseArn(value);
  if (!arn) return undefined;
  const head = value.slice(0, value.length - arn.resource.length);
  const r = arn.resource;
  let parts: (string | RuntimeId)[] | undefined;
  if (arn.service === 'cloudformation' && r.startsWith('stackset/') && r.endsWith(':*')) {
    const name = r.slice('stackset/'.length, -2);
    if (fullName(name)) parts = [`${head}stackset/${name}:`, stackSetId(name)];
  } else if (arn.service === 'cloudformation' && r.startsWith('stack/') && r.endsWith('/*')) {
    const name = r.slice('stack/'.length, -2);
    if (name === BEANSTALK_STACK)
      parts = [`${head}stack/awseb-e-`, ENVIRONMENT, '-stack/', stackId(name)];
    else if (fullName(name)) parts = [`${head}stack/${name}/`, stackId(name)];
  } else if (arn.service === 'appconfig' && r === 'deploymentstrategy/*') {
    parts = [`${head}deploymentstrategy/`, APPCONFIG_STRATEGY];
  } else if (
    arn.service === 'appconfig' &&
    r.startsWith('application/') &&
    r.endsWith('/deployment/*') &&
    !r.slice(0, -2).includes('*')
  ) {
    parts = [value.slice(0, -1), APPCONFIG_DEPLOYMENT];
  } else if (arn.service === 'ec2' && r === 'subnet/*') {
    parts = [`${head}subnet/`, CLUSTER_SUBNET];
  } else if (arn.service === 'ec2' && r === 'security-group/*') {
    parts = [`${head}security-group/`, CLUSTER_SECURITY_GROUP];
  } else if (arn.service === 'autoscaling' && r === BEANSTALK_GROUP) {
    parts = [
      `${head}autoScalingGroup:`,
      GROUP_ID,
      ':autoScalingGroupName/awseb-e-',
      ENVIRONMENT,
      '-stack-AWSEBAutoScalingGroup-',
      GROUP_NAME_SUFFIX,
    ];
  }
  if (!parts) return undefined;
  const ids = parts.filter((p): p is RuntimeId => typeof p !== 'string');
  const v = { written: value, parts, ids, madeUp: '' };
  return {
    ...v,
    madeUp: render(
      v,
      ids.map((id) => id.kind.madeUp),
    ),
  };
}

/**
 * Names a link's resource may hold that the input does not settle (LinkSpec.unsettledName), by
 * their catalog placeholder, as the ids of RuntimeValue are made up and matched.
 */
const UNSETTLED_NAME_IDS: Readonly<Record<string, RuntimeId>> = {
  'Ecs.TaskDefinitionFamily': {
    kind: FAMILY_NAME,
    what: 'the task definition family',
    some: 'task definition families',
    why: 'which the input does not settle',
  },
};

/**
 * A role name with its path, in a role ARN's resource after `role/`: letters, digits and
 * `+=,.@_-`, and `/` between path elements
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). Two made-up names
 * that differ in every character and in length, which no policy names by accident.
 */
const ROLE_NAME: IdKind = {
  madeUp: '0000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[\w+=,.@/-]$/,
};

/** Whole role ARNs of the caller's account a link may pass that the input does not settle. */
const UNSETTLED_ROLE_IDS: Readonly<Record<string, RuntimeId>> = {
  'Ecs.PassRoleArn': {
    kind: ROLE_NAME,
    what: 'the name of a role of the task definition',
    some: 'roles of the task definition',
    why: 'which the input does not settle',
  },
};

/** The resource as a RuntimeValue whose one id is the unsettled name `placeholder`. */
function unsettledNameValue(resource: string, placeholder: string): RuntimeValue | undefined {
  const id = UNSETTLED_NAME_IDS[placeholder];
  const marker = `\${${placeholder}}`;
  const at = resource.indexOf(marker);
  if (!id || at < 0 || resource.indexOf(marker, at + 1) >= 0) return undefined;
  const parts = [resource.slice(0, at), id, resource.slice(at + marker.length)];
  return { written: resource, parts, ids: [id], madeUp: render({ parts }, [id.kind.madeUp]) };
}

/**
 * The name CodePipeline gives an artifact's object, after `<pipeline>/<artifact>/`
 * (artifactObjectKey): not documented; the artifact locations AWS shows hold seven letters and
 * digits, at times with `.zip` (`SourceArti/1TspnN3.zip` in CodeBuild's batch-get-builds
 * example, https://docs.aws.amazon.com/cli/latest/reference/codebuild/batch-get-builds.html). No
 * `*`: a policy that compares the context with a literal `…/<artifact>/*` never matches it.
 */
const ARTIFACT_NAME: IdKind = {
  madeUp: '0000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[0-9A-Za-z.]$/,
};

/**
 * The path of a file an S3 deploy extracts from its artifact, after its prefix: any text the
 * artifact's file names hold (an object key is any UTF-8 text,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
 */
const EXTRACTED_PATH: IdKind = {
  madeUp: '0000000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[\s\S]$/u,
};

/**
 * The name of an S3 build log object CodeBuild writes under a project's location
 * (`logsConfig.s3Logs.location`, https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html):
 * not documented; the build's one log object, directly under the location (no `/`).
 */
const LOG_NAME: IdKind = {
  madeUp: '0000000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[^/]$/u,
};

/**
 * The rest of the key of a CodeBuild S3 secondary artifact's objects after the part its project
 * settles (actionFacts.ts secondaryArtifactObject): a name the buildspec gives, the paths of the
 * build output's files, in any text an object key holds
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), `/` too.
 */
const SECONDARY_ARTIFACT_KEY: IdKind = {
  madeUp: '0000000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[\s\S]$/u,
};

/**
 * The build id that namespaceType BUILD_ID puts in the key of a CodeBuild S3 secondary
 * artifact's objects, between its path and its name (`MyArtifacts/<build-ID>/MyArtifact.zip`:
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). CodeBuild
 * gives each build its id when it starts (`<project-name>:<uuid>`, the Build's `id`:
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Build.html); the key is not
 * documented to hold all of it or its UUID alone, so the id is any text of one segment of the key
 * (no `/`), and a policy that names some such ids and not others leaves the link Unknown.
 */
const BUILD_ID: IdKind = {
  madeUp: '0000000000000000',
  other: 'ZZZZZZZZZZ',
  more: ['z'],
  uuid: false,
  characters: /^[^/]$/u,
};

/**
 * The object ARN `object` of a KMS call S3 makes (S3ContextObjects) as a RuntimeValue, when it
 * ends in a name no input gives (`unknownEnd`): the `*` the link is written with is that name. A
 * CodeBuild secondary artifact's object may hold the build id before its end, or only it (a ZIP
 * object of a known name: `<path>/<build-ID>/<name>`).
 */
function s3ObjectValue(
  end: S3ContextObjects['unknownEnd'],
  object: string,
): RuntimeValue | undefined {
  if (typeof end === 'object') return secondaryArtifactValue(end, object);
  if (end === undefined || !object.endsWith('*')) return undefined;
  const head = object.slice(0, -1);
  const id: RuntimeId =
    end === 'artifact'
      ? {
          kind: ARTIFACT_NAME,
          what: `the name CodePipeline gives the artifact's object \`${object}\``,
          some: `names of the artifact's object \`${object}\``,
          why: 'which it picks when it uploads it',
        }
      : end === 'logs'
        ? {
            kind: LOG_NAME,
            what: `the name of each build log object under \`${head}\``,
            some: `names of build log objects under \`${head}\``,
            why: 'which CodeBuild gives each build (not documented)',
          }
        : {
            kind: EXTRACTED_PATH,
            what: `the path of each file extracted under \`${head}\``,
            some: `paths of files extracted under \`${head}\``,
            why: "which the artifact's contents decide",
          };
  const parts = [head, id];
  return { written: object, parts, ids: [id], madeUp: render({ parts }, [id.kind.madeUp]) };
}

/**
 * The object ARN of a CodeBuild S3 secondary artifact (CodeBuildSecondaryArtifact.objectArn) as a
 * RuntimeValue: its build id (`end.buildIdAt`) and the rest of its key (`end.holds`, the `*` at
 * its end) are ids no input gives; undefined when it holds neither (each `*` is the character).
 */
function secondaryArtifactValue(
  end: SecondaryArtifactEnd,
  object: string,
): RuntimeValue | undefined {
  const parts: (string | RuntimeId)[] = [];
  let rest = object;
  if (end.buildIdAt !== undefined && object[end.buildIdAt] === '*') {
    parts.push(object.slice(0, end.buildIdAt), {
      kind: BUILD_ID,
      what: `the build id in the key of the objects of ${end.artifacts}`,
      some: `build ids in the key of the objects of ${end.artifacts}`,
      why: 'which CodeBuild gives each build when it starts (`namespaceType` BUILD_ID)',
    });
    rest = object.slice(end.buildIdAt + 1);
  }
  if (end.holds !== undefined && rest.endsWith('*'))
    parts.push(rest.slice(0, -1), {
      kind: SECONDARY_ARTIFACT_KEY,
      what: `the rest of the key, after \`${object.slice(0, -1)}\`, of the objects of ${end.artifacts}`,
      some: `keys of the objects of ${end.artifacts}`,
      why: `which holds ${end.holds}`,
    });
  else if (rest !== '') parts.push(rest);
  const ids = parts.filter((p): p is RuntimeId => typeof p !== 'string');
  if (ids.length === 0) return undefined;
  return {
    written: object,
    parts,
    ids,
    madeUp: render(
      { parts },
      ids.map((id) => id.kind.madeUp),
    ),
  };
}

/**
 * The words for the `*`s of a CodeBuild S3 secondary artifact's object ARN (s3ArnContext): the
 * build id, and what the rest of the key holds.
 */
function secondaryArtifactStars(end: SecondaryArtifactEnd): string {
  const id = end.buildIdAt !== undefined ? 'the build id' : undefined;
  const rest =
    end.holds !== undefined ? `the rest of the key, which holds ${end.holds}` : undefined;
  return id && rest ? `${id}, then ${rest}` : (id ?? rest ?? '');
}

/**
 * The link's runtime values with the object of its S3 encryption context (Gathered.s3Object),
 * when a policy may match some of its names and not others.
 */
function withS3Object(
  runtime: RuntimeValue[] | undefined,
  g: Gathered,
): RuntimeValue[] | undefined {
  return g.s3Object && namesMatter(g, g.s3Object) ? [...(runtime ?? []), g.s3Object] : runtime;
}

/**
 * Whether a statement of the link's policies for its action names the S3 object `v` (its
 * Resource, NotResource, aws:SourceArn or aws:s3:arn condition) in a way that may match some of
 * its names and not others: it matches the made-up name and another differently, names a value
 * of the object's shape other than the made-up one (`…/<artifact>/1TspnN3.zip`), or holds a
 * policy variable. Only then are names tried (idDependence): a link whose policies name the
 * object by a pattern over every name (`<bucket>/*`), as nearly all do, costs no trial, and is
 * decided as before.
 */
function namesMatter(g: Gathered, v: RuntimeValue): boolean {
  const action = g.request.action.toLowerCase();
  // the value's text before its name (an S3 object value has one name, at its end)
  const head = typeof v.parts[0] === 'string' ? v.parts[0] : '';
  let others: string[] | undefined;
  for (const { policy } of policiesOf(g))
    for (const m of idMentionsOf(policy)) {
      if (!m.raw.includes('${') && !mayNameInside(m.raw, head)) continue;
      if (!coversAction(m.statement, action)) continue;
      if (m.raw.includes('${')) return true;
      // each id in turn another made-up one, the others the made-up ones (a secondary
      // artifact's object has two: the build id and the rest of its key)
      others ??= v.ids.flatMap((id, k) =>
        [id.kind.other, ...(id.kind.more ?? [])].map((o) =>
          render(
            v,
            v.ids.map((x, j) => (j === k ? o : x.kind.madeUp)),
          ),
        ),
      );
      const first = m.matches(v.madeUp);
      if (others.some((o) => m.matches(o) !== first)) return true;
      // one that matches every name tried names none of its own (and is not searched)
      if (first) continue;
      const ids = namedIds(m, v);
      if (ids && render(v, ids) !== v.madeUp) return true;
    }
  return false;
}

/**
 * Whether a pattern may match some names after `head` and not others (namesMatter, which runs
 * for every artifact link: most patterns are answered here, without a match): not when its text
 * before its first wildcard differs from `head` (another resource: compared without case, which
 * only keeps more), nor when it is that text and one `*` ending within `head` (every name, or
 * none alike), nor when it is text no longer than `head`.
 */
function mayNameInside(raw: string, head: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '*' || c === '?') return !(c === '*' && i === raw.length - 1 && i <= head.length);
    if (i >= head.length) return true;
    if (c !== head[i] && c.toLowerCase() !== head[i]!.toLowerCase()) return false;
  }
  // text alone: it names one value, which holds a name only past `head`
  return raw.length > head.length;
}

/** The value with `ids` (one per id, in order) in place of its `*`s. */
function render(v: Pick<RuntimeValue, 'parts'>, ids: readonly string[]): string {
  let k = 0;
  return v.parts.map((p) => (typeof p === 'string' ? p : ids[k++]!)).join('');
}

/** The values with `*` for ids in the link's resource and context. */
function runtimeValues(spec: LinkSpec): RuntimeValue[] | undefined {
  // most links have none: nothing is allocated for them (this runs for every link)
  let found: Map<string, RuntimeValue> | undefined;
  const look = (v: string): void => {
    const a = runtimeValue(v);
    if (!a) return;
    found ??= new Map();
    if (!found.has(a.written)) found.set(a.written, a);
  };
  look(spec.resource);
  for (const v of Object.values(spec.context))
    if (typeof v === 'string') look(v);
    else for (const x of v) look(x);
  return found ? [...found.values()] : undefined;
}

/** The link with the made-up ids in place of each `*` id: what the evaluator sees. */
function withMadeUpIds(spec: LinkSpec, values: readonly RuntimeValue[]): LinkSpec {
  const madeUp = new Map(values.map((v) => [v.written, v.madeUp]));
  const swap = (v: string): string => madeUp.get(v) ?? v;
  const context: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(spec.context))
    context[k] = typeof v === 'string' ? swap(v) : v.map(swap);
  return { ...spec, resource: swap(spec.resource), context };
}

/** `text` as the report shows it: `*` again for the made-up ids. */
function shownIds(text: string, values: readonly RuntimeValue[]): string {
  let out = text;
  for (const v of values) out = out.split(v.madeUp).join(v.written);
  return out;
}

/** The request with `to` in place of the value `from` (resource and context). */
function withValue(request: MutableRequest, from: string, to: string): EvaluationRequest {
  const context: Record<string, RawContextValue> = {};
  for (const [k, v] of Object.entries(request.context ?? {}))
    context[k] = v === from ? to : Array.isArray(v) ? v.map((x) => (x === from ? to : x)) : v;
  return { ...request, resource: request.resource === from ? to : request.resource, context };
}

/** A resource ARN (or pattern) that a statement names. */
interface IdMention {
  readonly raw: string;
  readonly where: 'Resource' | 'NotResource' | 'aws:SourceArn' | typeof S3_ARN_KEY;
  readonly statement: CompiledStatement;
  /**
   * whether it matches a value as the evaluator matches it: a Resource by ARN segments, case
   * and all; a condition value by its operator (StringEquals takes no wildcards, IgnoreCase
   * ignores case); a policy variable may be any text
   */
  readonly matches: (value: string) => boolean;
  /**
   * its text with policy variables (and escapes), when it holds any; `forPattern`: its `*` and
   * `?` are wildcards (Resource, StringLike, ArnLike), else text (StringEquals)
   */
  readonly template?: { readonly t: Template; readonly forPattern: boolean };
}

/**
 * A template's text as a wildcard pattern, in pattern text with escapes (wildcard.ts
 * PATTERN_ESCAPE): each policy variable `*` (its value may be any text), its text as written
 * where `wildcards`, else (and for an escape such as `${*}`) literal.
 */
function variablePattern(t: Template, wildcards: boolean): string {
  let out = '';
  for (const part of t.parts) {
    if (part.kind === 'var') out += '*';
    else out += wildcards ? textAsPattern(part) : escapeLiteral(part.text);
  }
  return out;
}

/** The matcher of a Resource or NotResource pattern (see IdMention.matches). */
function resourceMatcher(p: ResourcePattern): (value: string) => boolean {
  const glob =
    p.glob ??
    (p.template
      ? compileArnGlob(variablePattern(p.template, true), true, true)
      : compileArnGlob(p.raw));
  return (value) => glob.test(value);
}

/** The matcher of a condition's value `i` (see IdMention.matches). */
function conditionMatcher(c: CompiledCondition, i: number): (value: string) => boolean {
  const impl = Object.prototype.hasOwnProperty.call(OPERATOR_IMPLEMENTATIONS, c.base)
    ? OPERATOR_IMPLEMENTATIONS[c.base as ConditionOperatorName]
    : undefined;
  if (!impl || impl.testsPresence) return () => false;
  const template = c.templates?.[i];
  let policyValue = c.values[i]!;
  if (template && !impl.forPattern && c.base.startsWith('String')) {
    // StringEquals(IgnoreCase) with a variable: the variable may be any text, the rest is exact
    const glob = compileGlob(impl.prepare(variablePattern(template, false)) as string, true);
    return (value) => {
      const r = impl.parseRequest(value);
      return typeof r === 'string' && glob.test(r);
    };
  }
  const escaped = template !== undefined && impl.forPattern;
  if (escaped) policyValue = variablePattern(template, true);
  const prepared = impl.prepare(policyValue, escaped);
  if (prepared === undefined) return () => false;
  return (value) => {
    const r = impl.parseRequest(value);
    return r !== undefined && impl.matches(prepared, r);
  };
}

const ID_MENTIONS = new WeakMap<CompiledPolicy, readonly IdMention[]>();

/**
 * The resources a policy names: Resource, NotResource, aws:SourceArn and
 * kms:EncryptionContext:aws:s3:arn values (but `*`).
 */
function idMentionsOf(policy: CompiledPolicy): readonly IdMention[] {
  const hit = ID_MENTIONS.get(policy);
  if (hit) return hit;
  const out: IdMention[] = [];
  const names = (v: string): boolean => v !== '*';
  for (const st of policy.statements) {
    for (const p of st.resource?.patterns ?? [])
      if (names(p.raw))
        out.push({
          raw: p.raw,
          where: 'Resource',
          statement: st,
          matches: resourceMatcher(p),
          ...(p.template ? { template: { t: p.template, forPattern: true } } : {}),
        });
    for (const p of st.notResource?.patterns ?? [])
      if (names(p.raw))
        out.push({
          raw: p.raw,
          where: 'NotResource',
          statement: st,
          matches: resourceMatcher(p),
          ...(p.template ? { template: { t: p.template, forPattern: true } } : {}),
        });
    for (const c of st.conditions) {
      // (and the S3 object whose encryption context a KMS call carries: s3ObjectValue)
      const where =
        c.keyLower === 'aws:sourcearn'
          ? 'aws:SourceArn'
          : c.keyLower === S3_ARN_LOWER
            ? S3_ARN_KEY
            : undefined;
      if (where !== undefined)
        c.values.forEach((v, i) => {
          if (!names(v)) return;
          const t = c.templates?.[i];
          const forPattern = Object.prototype.hasOwnProperty.call(OPERATOR_IMPLEMENTATIONS, c.base)
            ? OPERATOR_IMPLEMENTATIONS[c.base as ConditionOperatorName].forPattern
            : false;
          out.push({
            raw: v,
            where,
            statement: st,
            matches: conditionMatcher(c, i),
            ...(t ? { template: { t, forPattern } } : {}),
          });
        });
    }
  }
  ID_MENTIONS.set(policy, out);
  return out;
}

/** Every policy that applies to the link, with its type (unplaced SCPs and RCPs included). */
function policiesOf(g: Gathered): { policy: CompiledPolicy; type: PolicyType }[] {
  const r = g.request;
  const out: { policy: CompiledPolicy; type: PolicyType }[] = [];
  const add = (p: PolicyInput | undefined, type: PolicyType): void => {
    if (p && typeof p === 'object' && isCompiledPolicy(p)) out.push({ policy: p, type });
  };
  for (const p of r.identityPolicies ?? []) add(p, 'identity');
  add(r.permissionBoundary, 'permissionBoundary');
  add(r.sessionPolicy, 'session');
  add(r.resourcePolicy, 'resource');
  for (const level of r.scps ?? []) for (const p of level) add(p, 'scp');
  for (const u of g.unplacedScps ?? []) add(u.policy, 'scp');
  for (const level of r.rcps ?? []) for (const p of level) add(p, 'rcp');
  for (const u of g.unplacedRcps ?? []) add(u.policy, 'rcp');
  return out;
}

const NAMED_IDS = new WeakMap<IdMention, Map<string, readonly string[] | null>>();

/**
 * The ids a mention names for the value, one per id of the value, to try: a value the mention
 * matches, with each id filled in to one of its shape, or left the made-up one where the mention
 * matches that too (it names only the others). Undefined when the mention matches no value of
 * this shape (another stack, account or region). A policy variable is read as the request's
 * value of its key (`context`, the link's request as the evaluator reads it), so that a
 * statement on `<bucket>/docs/${aws:PrincipalAccount}/*` names `docs/111111111111/…`, which a
 * variable read as any text (`docs/*` + `/*`) would not lead to. Without `context`, or a value
 * of a variable in it, a variable may be any text (the evaluator decides each value tried: an
 * unresolved variable matches nothing,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
function namedIds(
  m: IdMention,
  v: RuntimeValue,
  context?: RequestContextOf,
): readonly string[] | undefined {
  let byValue = NAMED_IDS.get(m);
  if (!byValue) NAMED_IDS.set(m, (byValue = new Map()));
  // (a variable the context here does not give, which the evaluator may: read as any text)
  const resolved = (m.template && context && resolvedMention(m.template, context)) ?? undefined;
  const cacheKey = resolved === undefined ? v.written : `${v.written}\u0000${resolved}`;
  let ids = byValue.get(cacheKey);
  if (ids === undefined) {
    const pattern =
      resolved ?? escapeEscapes(m.raw.includes('${') ? m.raw.replace(/\$\{[^}]*\}/g, '*') : m.raw);
    const found = valueMatching(pattern, v);
    if (found && resolved === undefined) {
      // matched as the evaluator matches it (a resource with case): a Deny on `stack/P*` does not
      // match a made-up `p…`, and is tried
      v.ids.forEach((id, k) => {
        const with_ = found.map((x, j) => (j === k ? id.kind.madeUp : x));
        if (m.matches(render(v, with_))) found[k] = id.kind.madeUp;
      });
    }
    ids = found ?? null;
    byValue.set(cacheKey, ids);
  }
  return ids ?? undefined;
}

/** the request context as resolveTemplate reads it */
type RequestContextOf = Parameters<typeof resolveTemplate>[1];

/**
 * A mention's text with its policy variables read from `context`, as valueMatching reads a
 * pattern (pattern text with escapes, wildcard.ts PATTERN_ESCAPE); null when a variable has no
 * value there.
 */
function resolvedMention(
  template: NonNullable<IdMention['template']>,
  context: RequestContextOf,
): string | null {
  const text = resolveTemplate(template.t, context, template.forPattern);
  if (text === undefined) return null;
  return template.forPattern ? text : escapeLiteral(text);
}

/** The request's context as the evaluator reads it: its keys and those its principal implies. */
function requestContextOf(request: EvaluationRequest): RequestContextOf {
  const principal = parseRequestPrincipal(request.principal);
  return buildContext(request.context, principal, undefined);
}

/** Position `p` of a UUID-shaped id is a dash. */
const isDashAt = (p: number): boolean => p === 8 || p === 13 || p === 18 || p === 23;

/** One character of a value: fixed text, or a character of its id `id` (`run`: any number). */
interface Item {
  readonly text?: string;
  readonly id?: number;
  readonly run?: boolean;
}

/** The characters of the value, its ids by their shape. */
function itemsOf(v: RuntimeValue): readonly Item[] {
  if (v === itemsOfValue) return lastItems;
  const out: Item[] = [];
  let k = 0;
  for (const p of v.parts) {
    if (typeof p === 'string') {
      for (const c of p) out.push({ text: c });
      continue;
    }
    const id = k++;
    if (p.kind.uuid)
      for (let i = 0; i < ID_LENGTH; i++) out.push(isDashAt(i) ? { text: '-', id } : { id });
    else out.push({ id }, { id, run: true });
  }
  itemsOfValue = v;
  lastItems = out;
  return out;
}

/**
 * itemsOf's last value and answer: a link asks valueMatching once per resource its policies
 * name, with the same value, and the next link has values of its own
 */
let itemsOfValue: RuntimeValue | undefined;
let lastItems: readonly Item[] = [];

const ID_CHARACTER = /^[0-9A-Za-z]$/;

/**
 * The ids of a value of `v`'s shape (its text, each id of its kind: a UUID, letters and digits)
 * that `pattern` (`*` and `?` wildcards, in pattern text with escapes: wildcard.ts
 * PATTERN_ESCAPE) matches, or every pattern of a list matches at once
 * (jointTrial), or undefined when none does. Text is compared without case: the evaluator
 * decides whether the value it gives matches.
 */
function valueMatching(pattern: string | readonly string[], v: RuntimeValue): string[] | undefined {
  const patterns = typeof pattern === 'string' ? [pattern] : pattern;
  const items = itemsOf(v);
  // most patterns name another resource: their text before the first wildcard differs
  for (const pat of patterns) {
    for (let i = 0; i < pat.length && i < items.length; i++) {
      const c = pat[i]!;
      const t = items[i]!.text;
      if (c === '*' || c === '?' || c === PATTERN_ESCAPE) break;
      if (t === undefined || items[i]!.id !== undefined) break;
      if (c.toLowerCase() !== t.toLowerCase()) return undefined;
    }
  }
  const k = patterns.length;
  const m = items.length;
  const width = m + 1;
  // a state is (each pattern's position, the value's position), in mixed radix
  const stride: number[] = new Array<number>(k);
  let size = width;
  for (let x = k - 1; x >= 0; x--) {
    stride[x] = size;
    size *= patterns[x]!.length + 1;
  }
  // a breadth-first search of the states, each reached once; the search's tables are kept
  // between calls (an analysis asks this for every resource a policy names, per value), and
  // only the states reached are cleared after it; a search larger than any usual one (a hostile
  // pattern) gets tables of its own, not kept
  let tables: SearchTables;
  if (size > KEPT_SEARCH) tables = searchTables(size);
  else {
    if (SEARCH.seen.length < size)
      SEARCH = searchTables(Math.min(KEPT_SEARCH, Math.max(size, 2 * SEARCH.seen.length)));
    tables = SEARCH;
  }
  const { seen, from, char, took, queue } = tables;
  let tail = 0;
  queue[tail++] = 0;
  seen[0] = 1;
  // `c`: the code point taken to reach a state (NO_CHAR: none), `at` the value position
  const reach = (s: number, next: number, c: number, at: number): void => {
    if (seen[next]) return;
    seen[next] = 1;
    from[next] = s;
    char[next] = c;
    took[next] = at;
    queue[tail++] = next;
  };
  let goal = m;
  for (let x = 0; x < k; x++) goal += patterns[x]!.length * stride[x]!;
  // each pattern's position after the value's character is taken (two on past an escape)
  const after = new Array<number>(k);
  // the kept tables are cleared whatever happens, so that no later search starts from this one
  try {
    for (let q = 0; q < tail && !seen[goal]; q++) {
      const s = queue[q]!;
      const j = s % width;
      const t = items[j];
      let allStars = true;
      let exhausted = false;
      let literal: string | undefined;
      let clash = false;
      for (let x = 0; x < k; x++) {
        const pat = patterns[x]!;
        const i = Math.floor(s / stride[x]!) % (pat.length + 1);
        let p = pat[i];
        if (p === '*') reach(s, s + stride[x]!, NO_CHAR, -1);
        if (p === undefined) exhausted = true;
        if (p !== '*') allStars = false;
        after[x] = p === '*' ? i : i + 1;
        const escaped = p === PATTERN_ESCAPE && i + 1 < pat.length;
        if (escaped) {
          // the character after an escape is literal, `*` and `?` too (pattern text with escapes)
          p = pat[i + 1]!;
          after[x] = i + 2;
        }
        if (p !== undefined && (escaped || (p !== '*' && p !== '?'))) {
          if (literal === undefined) literal = p;
          else if (literal.toLowerCase() !== p.toLowerCase()) clash = true;
        }
      }
      if (t?.run) reach(s, s + 1, NO_CHAR, -1);
      if (exhausted || clash || t === undefined || (allStars && t.run)) continue;
      let c: string | undefined;
      if (t.text !== undefined)
        c =
          literal === undefined || literal.toLowerCase() === t.text.toLowerCase()
            ? t.text
            : undefined;
      else if (literal === undefined) c = '0';
      else c = (v.ids[t.id!]!.kind.characters ?? ID_CHARACTER).test(literal) ? literal : undefined;
      if (c === undefined) continue;
      let next = t.run ? j : j + 1;
      for (let x = 0; x < k; x++) next += after[x]! * stride[x]!;
      reach(s, next, c.codePointAt(0)!, j);
    }
    let ids: string[] | undefined;
    if (seen[goal]) {
      ids = v.ids.map(() => '');
      for (let s = goal; s !== 0; s = from[s]!) {
        const c = char[s]!;
        const id = c === NO_CHAR ? undefined : items[took[s]!]!.id;
        if (id !== undefined) ids[id] = String.fromCodePoint(c) + ids[id]!;
      }
    }
    return ids;
  } finally {
    for (let q = 0; q < tail; q++) seen[queue[q]!] = 0;
  }
}

const NO_CHAR = -1;

/** The largest search whose tables are kept between calls (about 1 MB of them). */
const KEPT_SEARCH = 1 << 16;

interface SearchTables {
  readonly seen: Uint8Array;
  readonly from: Int32Array;
  readonly char: Int32Array;
  readonly took: Int32Array;
  readonly queue: Int32Array;
}

function searchTables(size: number): SearchTables {
  return {
    seen: new Uint8Array(size),
    from: new Int32Array(size),
    char: new Int32Array(size),
    took: new Int32Array(size),
    queue: new Int32Array(size),
  };
}

/** valueMatching's kept tables, grown to the largest search so far; every `seen` entry is 0 between calls. */
let SEARCH = searchTables(0);

/**
 * Whether the answer depends on an id no input gives: the request (with the made-up ids) is
 * evaluated again with each id in turn a second made-up one (a policy may match some ids and not
 * others, `…:0*`), and with the ids each of the link's policies names for the same resource; the
 * first that changes the decision says why the link is Unknown. No input gives the ids, so
 * whether a named one is this resource's is not known. An implicit denial that every trial
 * gives is Unknown too when each policy that denied allowed some id tried (two policies that
 * must both allow, each on ids of its own pattern, may both allow an id none of the trials
 * made); otherwise `neverAllowed` is left holding the policies that denied in every trial.
 */
function idDependence(
  g: Gathered,
  values: readonly RuntimeValue[],
  base: EvaluationResult,
  neverAllowed = new Set<string>(),
): string | undefined {
  const decision = base.decision;
  const action = g.request.action.toLowerCase();
  // for an implicit denial: the policies that allowed in no trial (a policy type, an SCP level),
  // left in `neverAllowed` for the caller (denialKey); when each allowed with some value, a
  // value that meets them all may be allowed
  neverAllowed.clear();
  for (const d of base.deniedBy) neverAllowed.add(denialKey(d));
  // every policy that denied in some trial (an implicit denial's only), by denialKey
  type Denier = EvaluationResult['deniedBy'][number];
  const everDenied =
    decision === 'ImplicitlyDenied'
      ? new Map<string, Denier>(base.deniedBy.map((d) => [denialKey(d), d]))
      : undefined;
  const relevant = policiesOf(g).flatMap(({ policy, type }) =>
    idMentionsOf(policy)
      .filter((m) => coversAction(m.statement, action))
      .map((mention) => ({ mention, policy, type })),
  );
  // (a mention's policy variables are read from the request: built once, when one has any)
  let context: RequestContextOf | undefined;
  for (const v of values) {
    const madeUp = v.ids.map((id) => id.kind.madeUp);
    // each value a mention names, with the mentions that name it (their text is compared
    // without case to find it: see namedIds)
    const named = new Map<string, { ids: readonly string[]; by: (typeof relevant)[number][] }>();
    for (const by of relevant) {
      if (by.mention.template) context ??= requestContextOf(g.request);
      const ids = namedIds(by.mention, v, context);
      if (!ids) continue;
      const value = render(v, ids);
      if (value === v.madeUp) continue;
      const hit = named.get(value);
      if (hit) hit.by.push(by);
      else named.set(value, { ids, by: [by] });
    }
    const tries: { ids: readonly string[]; by?: (typeof relevant)[number][] }[] = [
      ...v.ids.flatMap((id, k) =>
        [id.kind.other, ...(id.kind.more ?? [])].map((other) => ({
          ids: madeUp.map((x, j) => (j === k ? other : x)),
        })),
      ),
      ...[...named.keys()].sort().map((value) => named.get(value)!),
    ];
    for (const t of tries) {
      const value = render(v, t.ids);
      const request = withValue(g.request, v.madeUp, value);
      const r = evaluate(request);
      if (r.decision === decision) {
        // (every trial's denying policies count, also once none is left in neverAllowed: a
        // third one makes the joint search of two patterns stand for nothing)
        if (decision === 'ImplicitlyDenied') {
          const denied = new Map(r.deniedBy.map((d) => [denialKey(d), d]));
          for (const k of neverAllowed) if (!denied.has(k)) neverAllowed.delete(k);
          for (const [k, d] of denied) if (!everDenied!.has(k)) everDenied!.set(k, d);
        }
        continue;
      }
      const ids = v.ids.filter((id, k) => t.ids[k] !== id.kind.madeUp);
      // no input gives an id: nothing to add settles it (the Unknown below names no input),
      // but for an id an input would give (RuntimeId.settle)
      const tried = {
        what: andList(ids.map((id) => `${id.what} (${id.why})`)),
        settle: settleIds(values),
      };
      if (agrees(g, r, decision, request, tried)) continue;
      const unknownIds = `no input gives ${ids.map((id) => `${id.what}, ${id.why}`).join('; nor ')}`;
      const some = andList(ids.map((id) => id.some));
      // a mention that matches one value and not the other, as the evaluator matches it: one
      // that names the value first, else any of the link's policies
      const differs = (x: (typeof relevant)[number]): boolean =>
        x.mention.matches(value) !== x.mention.matches(v.madeUp);
      // (a mention with a policy variable, which `matches` reads as any text, may differ only
      // by its variable's value: it named this value)
      const by = t.by?.find(differs) ?? relevant.find(differs) ?? t.by?.[0];
      if (!by) return `a policy matches some ${some} and not others, and ${unknownIds}`;
      const m = by.mention;
      const where =
        m.where === 'Resource' || m.where === 'NotResource'
          ? `in its ${m.where} element`
          : `in a condition on \`${m.where}\``;
      const names = `${idPolicyLabel(by.policy, by.type, m.statement, g)} names \`${m.raw}\` ${where}`;
      return t.by && m.matches(value)
        ? `${names}, and whether that is ${andList(ids.map((id) => id.what))} is not known: ${unknownIds}`
        : `${names}, which matches some ${some} and not others, and ${unknownIds}`;
    }
  }
  if (decision === 'ImplicitlyDenied' && base.deniedBy.length > 0 && neverAllowed.size === 0) {
    // every trial was denied, but each policy that denied allowed some value tried (an identity
    // policy on `stack/app-*`, a boundary on `stack/*-prod/*`): a value that meets both
    // (`app-prod`) may be allowed. Two policies: a value that both patterns meet is searched
    // for and tried (jointTrial); when none is allowed, no value is (`a*` and `b*`)
    const joint = everDenied!.size <= 2 ? jointTrial(g, values, relevant, decision) : 'unsearched';
    if (joint === undefined) {
      for (const d of base.deniedBy) neverAllowed.add(denialKey(d));
      return undefined;
    }
    const ids = values.flatMap((v) => v.ids);
    // (every policy that denied some value tried: a third may deny only values the first two allow)
    const who = andList(
      [
        ...new Set(
          [...everDenied!.values()].map((d) =>
            reasonPolicy(levelNamed(d, g), (name) => `\`${name}\``),
          ),
        ),
      ].sort(),
    );
    return `${who} each allow some ${andList(ids.map((id) => id.some))} and not others, so one that all of them allow may be allowed, and no input gives ${ids.map((id) => `${id.what}, ${id.why}`).join('; nor ')}`;
  }
  return undefined;
}

/** The most key ARNs generatedKeyDependence tries; more make the link Unknown. */
const MAX_KEY_CANDIDATES = 16;

/**
 * A kms key a template creates gets its id when the stack is deployed; the model gives it a
 * made-up one (templateStack keyArn), which the template's own references (`!GetAtt Key.Arn`,
 * `!Ref Key`) carry too, so they match it as they will match the real one. A policy that names a
 * key of the same account and Region by a literal ARN (a role of the snapshot, or of another
 * stack, written with the deployed key's ARN) may name this very key once deployed: the request
 * is evaluated again on each such ARN, and when one is decided otherwise the link is Unknown,
 * naming the statement (denied, it was a wrong denial of a working pipeline; allowed, an explicit
 * deny of that key was missed). Only ARNs the link's statements for its action name in full are
 * tried (a pattern matches the made-up id as it matches the real one), and not those of other keys
 * a template creates (each its own key). Undefined for other links.
 */
function generatedKeyDependence(
  model: Model,
  g: Gathered,
  base: EvaluationResult,
): { why: string; missing: string[] } | undefined {
  const resource = g.request.resource;
  if (!resource.includes(':kms:') || !resource.includes(':key/')) return undefined;
  const arn = parseArn(resource);
  if (!arn || arn.service !== 'kms') return undefined;
  const key = resolveKmsKey(model, arn.account, arn.region, resource);
  if (key.kind !== 'found' || key.value.generated !== true || key.value.arn !== resource)
    return undefined;
  const prefix = resource.slice(0, resource.length - arn.resource.length);
  const action = g.request.action.toLowerCase();
  const named = new Map<
    string,
    { policy: CompiledPolicy; type: PolicyType; st: CompiledStatement }
  >();
  for (const { policy, type } of policiesOf(g))
    for (const m of idMentionsOf(policy)) {
      if (m.where === 'aws:SourceArn' || m.where === S3_ARN_KEY) continue;
      if (!coversAction(m.statement, action)) continue;
      if (!m.raw.startsWith(`${prefix}key/`) || m.raw === resource) continue;
      // a literal key ARN: a pattern (`key/*`) matches the made-up id as it matches the real one
      if (/[*?]|\$\{/.test(m.raw)) continue;
      if (named.has(m.raw)) continue;
      // another key a template creates is another key (its made-up id is its own)
      const other = resolveKmsKey(model, arn.account, arn.region, m.raw);
      if (other.kind === 'found' && other.value.generated === true) continue;
      named.set(m.raw, { policy, type, st: m.statement });
    }
  if (named.size === 0) return undefined;
  const where = placeOf(key.value.location);
  const created = `the kms key \`${resource}\` is created by the template at \`${where}\`, and AWS gives it its id when the stack is deployed (the id here is made up)`;
  if (named.size > MAX_KEY_CANDIDATES)
    return {
      why: `${created}; the link's policies name ${named.size} other keys of its account and Region, any of which may be it`,
      missing: [where],
    };
  for (const candidate of [...named.keys()].sort()) {
    const r = evaluate({ ...g.request, resource: candidate });
    if (r.decision === base.decision) continue;
    const by = named.get(candidate)!;
    return {
      why: `${created}; ${idPolicyLabel(by.policy, by.type, by.st, g)} names the key \`${candidate}\` of the same account and Region, which may be it once deployed: with that id the call is ${callWords(r.decision)}, with the id made up ${callWords(base.decision)}`,
      missing: [where],
    };
  }
  return undefined;
}

/** A decision as generatedKeyDependence says what happens to the call. */
function callWords(decision: EvaluationResult['decision']): string {
  return decision === 'Allowed'
    ? 'allowed'
    : decision === 'ExplicitlyDenied'
      ? 'explicitly denied'
      : 'denied';
}

/** The most pairs of Allow patterns jointTrial tries before it gives up (Unknown). */
const MAX_JOINT_PAIRS = 256;
/** The largest search of two patterns at once jointTrial makes (its tables: 17 bytes a state). */
const MAX_JOINT_SEARCH = 1 << 21;

/**
 * For idDependence, when two policies that must both allow each allowed some value tried and
 * none allowed both: a value that an Allow pattern of one and an Allow pattern of the other both
 * meet (valueMatching with both patterns), evaluated. Its text when a value is decided otherwise
 * than `decision`, `unsearched` when the search cannot stand for every value (a NotResource
 * Allow, a pattern with a policy variable, too many pairs), undefined when no value both meet
 * is decided otherwise: the denial holds whatever the value.
 */
function jointTrial(
  g: Gathered,
  values: readonly RuntimeValue[],
  relevant: readonly { readonly mention: IdMention; readonly policy: CompiledPolicy }[],
  decision: string,
): string | undefined {
  const allows = relevant.filter((x) => x.mention.statement.effect === 'Allow');
  if (allows.some((x) => x.mention.where === 'NotResource' || x.mention.raw.includes('${')))
    return 'unsearched';
  let pairs = 0;
  for (let a = 0; a < allows.length; a++) {
    for (let b = a + 1; b < allows.length; b++) {
      if (allows[a]!.policy === allows[b]!.policy) continue;
      if (++pairs > MAX_JOINT_PAIRS) return 'unsearched';
      // (no policy variable here: the text as written, in pattern text with escapes)
      const pa = escapeEscapes(allows[a]!.mention.raw);
      const pb = escapeEscapes(allows[b]!.mention.raw);
      for (const v of values) {
        // a search past a few million states (hostile patterns) is not made: Unknown
        if ((pa.length + 1) * (pb.length + 1) * (itemsOf(v).length + 1) > MAX_JOINT_SEARCH)
          return 'unsearched';
        const ids = valueMatching([pa, pb], v);
        if (!ids) continue;
        const value = render(v, ids);
        if (evaluate(withValue(g.request, v.madeUp, value)).decision !== decision) return value;
      }
    }
  }
  return undefined;
}

/** The inputs that would give ids of `values` (RuntimeId.settle), sorted. */
function settleIds(values: readonly RuntimeValue[] | undefined): string[] {
  const out = new Set<string>();
  for (const v of values ?? []) for (const id of v.ids) for (const s of id.settle ?? []) out.add(s);
  return [...out].sort();
}

/** An implicit denial's policy, for idDependence: its type and name (an SCP level's own). */
function denialKey(d: { readonly policyType: string; readonly policy?: string | number }): string {
  return `${d.policyType}\u0000${String(d.policy)}`;
}

/**
 * The most inputs a link names, in its `missing` list and in its why; the rest are counted. A
 * role of an iam.json attached to 5,000 managed policies the file does not hold named all 5,000
 * in each of its links, in `missing` and again in the why (a 400 KB file made a 10 MB report; a
 * few MB more, a report too large for one string). A role takes at most 20 managed policies
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and a real link
 * lacks a few inputs.
 */
const MAX_INPUTS_NAMED = 20;

/**
 * The first MAX_INPUTS_NAMED of `items`, then, when there are more, the entry `more` makes of
 * their count (`1,234`): a link's `missing` list, the inputs and the policies its words name.
 */
function atMostNamed(items: readonly string[], more: (count: string) => string): readonly string[] {
  if (items.length <= MAX_INPUTS_NAMED) return items;
  return [
    ...items.slice(0, MAX_INPUTS_NAMED),
    more((items.length - MAX_INPUTS_NAMED).toLocaleString('en-US')),
  ];
}

/** `missing` as a link lists it: the first MAX_INPUTS_NAMED, then one entry counting the rest. */
function boundedInputs(missing: readonly string[]): readonly string[] {
  return atMostNamed(missing, (n) => `(${n} more inputs, not listed)`);
}

/** Inputs named in a why, each in backticks: the first MAX_INPUTS_NAMED, then `N more`. */
function quotedInputs(items: readonly string[]): string[] {
  return atMostNamed(items, (n) => `${n} more`).map((m, i) =>
    i < MAX_INPUTS_NAMED ? `\`${m}\`` : m,
  );
}

/** `a`, `a and b`, `a, b and c` */
function andList(items: readonly string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** How a policy is named in words: `the trust policy of R`, `identity policy P statement S`. */
function idPolicyLabel(
  policy: CompiledPolicy,
  type: PolicyType,
  st: CompiledStatement,
  g: Gathered,
): string {
  const stmt = statementName(st);
  if (type === 'resource')
    return `the ${resourcePolicyKind(serviceOf(g.request.action))} of \`${g.resourceLabel}\` (${stmt})`;
  return `${policyTypeLabel(type)} \`${policy.name}\` ${stmt}`;
}

/**
 * When a trust policy refuses the caller in `request` (the link's, or a trial's: the values
 * tried decide which conditions hold): the statement that would trust it but for its
 * conditions, and the conditions that do not hold (each is tried alone; conditions of a
 * statement must all hold). Undefined when no statement trusts the caller even without
 * conditions.
 */
function unmetTrustConditions(
  spec: LinkSpec,
  request: EvaluationRequest,
): { names: boolean; keys: string[] } | undefined {
  const trust = request.resourcePolicy;
  if (!trust || typeof trust !== 'object' || !isCompiledPolicy(trust)) return undefined;
  const refuses = (st: CompiledStatement): boolean =>
    evaluate({ ...request, resourcePolicy: { ...trust, statements: [st] } }).deniedBy.some(
      (d) => d.policyType === 'resource' && !d.explicit,
    );
  for (const st of trust.statements) {
    if (st.effect !== 'Allow' || st.conditions.length === 0) continue;
    if (refuses({ ...st, conditions: [] })) continue;
    const keys = new Map<string, string>();
    for (const c of st.conditions)
      if (!keys.has(c.keyLower) && refuses({ ...st, conditions: [c] })) keys.set(c.keyLower, c.key);
    if (keys.size === 0) continue;
    const p = st.principal;
    const names =
      p !== undefined &&
      (spec.principal.kind === 'role'
        ? p.aws.includes(spec.principal.arn)
        : p.service.includes(spec.principal.name.toLowerCase()));
    return { names, keys: [...keys.values()].sort() };
  }
  return undefined;
}

/**
 * Keys AWS puts in the context of each call, which no snapshot, template or option gives: the
 * network path, the time, the session (uncertainKeys.ts GENERIC), and the encryption context of
 * a KMS call (but S3's `aws:s3:arn` on an artifact's call, which the bucket's encryption gives:
 * s3ArnContext; decide does not say this of it).
 */
function setOnEachCall(key: string): boolean {
  const k = key.toLowerCase();
  return PER_CALL_KEYS.has(k) || k.startsWith(CONTEXT_PREFIX);
}
const PER_CALL_KEYS: ReadonlySet<string> = new Set([
  'aws:sourceip',
  'aws:vpcsourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:useragent',
  'aws:currenttime',
  'aws:epochtime',
  'aws:tokenissuetime',
  'aws:userid',
  'sts:rolesessionname',
  's3:authtype',
  's3:tlsversion',
]);

/** How many statements testing a key an Unknown link names, at most. */
const MAX_TESTERS_NAMED = 4;

/**
 * The statements of the link's policies that test the keys an Unknown link depends on
 * (keyDependence), in words: `key policy \`…\` statement \`DenyOutsideVpce\` (at \`file#pointer\`)`,
 * with the key each tests when there are several. Only those that cover the link's action, its
 * resource and (a resource policy's) its caller; at most MAX_TESTERS_NAMED, then how many more.
 */
function keyTesters(g: Gathered, permission: string, keys: readonly UncertainKey[]): string[] {
  const lower = permission.toLowerCase();
  const wanted = new Map(keys.map((k) => [k.key.toLowerCase(), k.key]));
  const caller = parseRequestPrincipal(g.request.principal);
  const resource = g.request.resource;
  const applies = (st: CompiledStatement): boolean => {
    if (!coversAction(st, lower)) return false;
    const m = st.resource ?? st.notResource;
    if (m) {
      const hit = m.any || m.patterns.some((p) => resourceMatcher(p)(resource));
      if (hit !== (st.resource !== undefined)) return false;
    }
    if (caller && st.principal && !matchPrincipal(st.principal, caller)) return false;
    if (caller && st.notPrincipal && !notPrincipalApplies(st.notPrincipal, caller)) return false;
    return true;
  };
  const out: string[] = [];
  let more = 0;
  for (const { policy, type } of policiesOf(g))
    for (const st of policy.statements) {
      const tested = [...new Set(st.conditions.flatMap((c) => wanted.get(c.keyLower) ?? []))];
      if (tested.length === 0 || !applies(st)) continue;
      if (out.length >= MAX_TESTERS_NAMED) {
        more++;
        continue;
      }
      const whose =
        type === 'resource'
          ? `the ${resourcePolicyKind(serviceOf(g.request.action))} of \`${g.resourceLabel}\``
          : `${policyTypeLabel(type)} \`${policy.name}\``;
      const which = keys.length > 1 ? ` (on \`${tested.join('`, `')}\`)` : '';
      out.push(`${whose} ${statementAt(policy, st)}${which}`);
    }
  if (more > 0) out.push(`${more} more ${more === 1 ? 'statement' : 'statements'}`);
  return out;
}

/**
 * An Allow statement of one side of a request (the caller's identity policies, or the resource's
 * policy) that matches the request's action, resource and principal, and that only its
 * conditions keep from allowing (unmetAllows).
 */
interface UnmetAllow {
  readonly policy: CompiledPolicy;
  readonly statement: CompiledStatement;
  /** the conditions that do not hold: each alone keeps the statement from allowing */
  readonly unmet: readonly CompiledCondition[];
}

/** How many such statements a link names, at most. */
const MAX_UNMET_NAMED = 3;
const UNMET_ALLOWS = new WeakMap<EvaluationRequest, Map<string, readonly UnmetAllow[]>>();

/**
 * The Allow statements of `side` that would give that side's allow with their conditions left
 * out, each with the conditions that do not hold for the request: why a policy that reads as
 * allowing the caller "does not allow" it. Asked only to word a denied link (its why and fix),
 * never on the way to a decision or for an allowed link; each statement is evaluated alone
 * (the policy's other statements and every Deny statement left out), with its conditions left
 * out and then with each alone. Memoised per request; at most MAX_UNMET_NAMED.
 */
function unmetAllows(
  request: EvaluationRequest,
  side: 'identity' | 'resource',
): readonly UnmetAllow[] {
  let memo = UNMET_ALLOWS.get(request);
  const known = memo?.get(side);
  if (known) return known;
  const found = findUnmetAllows(request, side);
  if (!memo) UNMET_ALLOWS.set(request, (memo = new Map()));
  memo.set(side, found);
  return found;
}

function findUnmetAllows(
  request: EvaluationRequest,
  side: 'identity' | 'resource',
): readonly UnmetAllow[] {
  const base = withoutDenies(request as MutableRequest);
  if (!base) return NO_UNMET;
  const lower = request.action.toLowerCase();
  const policies =
    side === 'resource' ? [request.resourcePolicy] : (request.identityPolicies ?? []);
  // the side still lacks its allow with only this statement (or the answer says nothing of it:
  // a request the evaluator refused)
  const lacks = (p: CompiledPolicy, st: CompiledStatement): boolean => {
    const alone: CompiledPolicy = { ...p, statements: [st] };
    const r = evaluate(
      side === 'resource'
        ? { ...base, resourcePolicy: alone }
        : { ...base, identityPolicies: [alone] },
    );
    if (r.decision === 'Allowed') return false;
    if (r.deniedBy.length === 0 || r.deniedBy.some((d) => d.explicit)) return true;
    return r.deniedBy.some((d) => d.policyType === side);
  };
  const out: UnmetAllow[] = [];
  for (const p of policies) {
    if (!p || typeof p !== 'object' || !isCompiledPolicy(p)) continue;
    for (const st of p.statements) {
      if (out.length >= MAX_UNMET_NAMED) return out;
      if (st.effect !== 'Allow' || st.conditions.length === 0 || !coversAction(st, lower)) continue;
      if (lacks(p, { ...st, conditions: [] })) continue;
      const unmet = st.conditions.filter((c) => lacks(p, { ...st, conditions: [c] }));
      if (unmet.length > 0) out.push({ policy: p, statement: st, unmet });
    }
  }
  return out;
}

const NO_UNMET: readonly UnmetAllow[] = Object.freeze([]);

/**
 * The unmet allows of the side `d` names (an identity or resource policy's missing allow), when
 * the words are about the link's own request alone: a link whose trials (values the input does
 * not settle) are denied otherwise is worded as before.
 */
function unmetFor(d: Reason, g: Gathered, request: EvaluationRequest): readonly UnmetAllow[] {
  if (d.explicit || g.otherDenials) return NO_UNMET;
  if (d.policyType !== 'identity' && d.policyType !== 'resource') return NO_UNMET;
  return unmetAllows(request, d.policyType);
}

/** `statement \`Sid\`` or `statement 2` */
function statementName(st: CompiledStatement): string {
  return st.sid !== undefined ? `statement \`${st.sid}\`` : `statement ${st.index}`;
}

/** `statement \`Sid\`` or `statement 2`, and where it is written */
function statementAt(p: CompiledPolicy, st: CompiledStatement): string {
  const name = statementName(st);
  const file = p.source?.file;
  if (file === undefined) return name;
  return `${name} (at \`${placeOf({ file, pointer: st.pointer, ...(st.line !== undefined ? { line: st.line } : {}) })}\`)`;
}

/** `\`StringEquals\` on \`aws:PrincipalTag/team\``, several joined with `and` */
function conditionWords(conditions: readonly CompiledCondition[]): string {
  return andList(conditions.map((c) => `\`${c.operator}\` on \`${c.key}\``));
}

/**
 * Why a side that has an Allow for the caller does not allow: `<lead> only under conditions the
 * request does not meet: statement X (at …) tests …; …`. `owner`: the policy each statement is
 * in, when the lead does not name it (the caller's identity policies).
 */
function unmetWords(lead: string, unmet: readonly UnmetAllow[], owner: boolean): string {
  const each = unmet.map(
    (u) =>
      `${owner ? `identity policy \`${u.policy.name}\` ` : ''}${statementAt(u.policy, u.statement)} tests ${conditionWords(u.unmet)}`,
  );
  return `${lead} only under ${unmet.length === 1 && unmet[0]!.unmet.length === 1 ? 'a condition' : 'conditions'} the request does not meet: ${each.join('; ')}`;
}

/**
 * The fix of an unmet allow: the first statement's failing conditions changed to hold, or the
 * request made to meet them (a tag on the caller or the resource, for a tag key).
 */
function unmetFix(u: UnmetAllow, where: string, who: string, resource: string): string {
  const first = u.unmet.length > 1 ? 'conditions' : 'condition';
  const tags = u.unmet.flatMap((c) => {
    const owner = /^aws:principaltag\/./.test(c.keyLower)
      ? who
      : /^aws:resourcetag\/./.test(c.keyLower)
        ? resource
        : undefined;
    if (owner === undefined) return [];
    const name = `the tag \`${c.key.slice(c.key.indexOf('/') + 1)}\``;
    // what the condition asks of the tag: to be there with a value it names, to be absent
    // (`Null` true), to be there (`Null` false), or to have another value (a negated operator)
    if (c.base === 'Null')
      return c.values.every((v) => v.toLowerCase() === 'true')
        ? [`remove ${name} from \`${owner}\` (${c.operator} tests that it is absent)`]
        : c.values.every((v) => v.toLowerCase() === 'false')
          ? [`give \`${owner}\` ${name} (${c.operator} tests that it is there)`]
          : [];
    if (/Not/.test(c.base)) return [`change ${name} of \`${owner}\`, which ${c.operator} tests`];
    return [`give \`${owner}\` ${name} ${c.operator} tests`];
  });
  const meet = tags.length > 0 ? ` (${andList([...new Set(tags)])})` : '';
  return `change the ${first} ${conditionWords(u.unmet)} of ${statementName(u.statement)} in ${where} so that ${u.unmet.length > 1 ? 'they hold' : 'it holds'} for \`${who}\`, or make the request meet ${u.unmet.length > 1 ? 'them' : 'it'}${meet}`;
}

/**
 * For a resource whose last six characters stand in for ones the input does not give (a secret
 * named by name, see secretStandIn): whether a policy of the request names the resource with a
 * suffix of its own (`…:secret:name-AbCdEf`) that would change the answer. Patterns that cover
 * any suffix (`name-*`, `name-??????`, `*`) already decided on the stand-in.
 */
function standInMatters(g: Gathered, decision: string, standIn: string): boolean {
  const resource = g.request.resource;
  const stem = resource.slice(0, -6);
  const suffixes = new Set<string>();
  const look = (p: PolicyInput | undefined): void => {
    if (!p || typeof p !== 'object' || !isCompiledPolicy(p)) return;
    for (const st of p.statements) {
      for (const m of [st.resource, st.notResource]) {
        for (const pattern of m?.patterns ?? []) {
          const raw = pattern.raw;
          if (
            raw.length === resource.length &&
            raw.startsWith(stem) &&
            /[A-Za-z0-9]{6}$/.test(raw.slice(-6))
          )
            suffixes.add(raw.slice(-6));
        }
      }
    }
  };
  const r = g.request;
  for (const p of r.identityPolicies ?? []) look(p);
  look(r.resourcePolicy);
  look(r.permissionBoundary);
  look(r.sessionPolicy);
  for (const level of [...(r.scps ?? []), ...(r.rcps ?? [])]) for (const p of level) look(p);
  for (const suffix of [...suffixes].sort()) {
    const request = { ...r, resource: stem + suffix };
    const result = evaluate(request);
    if (result.decision === decision) continue;
    if (!agrees(g, result, decision, request, { what: standIn, settle: [standIn] })) return true;
  }
  return false;
}

/**
 * An explicit deny that comes only from SCPs or RCPs that may not apply at all (the management
 * account, an organization without all features): not certain.
 */
function guardrailDenyUnsure(
  result: EvaluationResult,
  g: Gathered,
): { what: string; file: string } | undefined {
  if (result.decision !== 'ExplicitlyDenied' || result.deniedBy.length === 0) return undefined;
  let file: string | undefined;
  const kinds = new Set<string>();
  for (const r of result.deniedBy) {
    const unsure =
      r.policyType === 'scp'
        ? g.scpsMayNotApply
        : r.policyType === 'rcp'
          ? g.rcpsMayNotApply
          : undefined;
    if (!unsure) return undefined;
    file = unsure;
    kinds.add(r.policyType === 'scp' ? 'SCPs' : 'RCPs');
  }
  return file ? { what: [...kinds].sort().join(' and '), file } : undefined;
}

/**
 * A cross-account implicit deny the caller's side decides: its identity policies, boundary,
 * session policy or SCPs lack an allow, and every missing input is the owner's side only.
 */
function callerSideDenies(result: EvaluationResult, g: Gathered): boolean {
  if (result.decision !== 'ImplicitlyDenied' || !g.ownerSideOnly) return false;
  for (const m of g.missing) if (!g.ownerSideOnly.has(m)) return false;
  // a value tried for a key no input gives for which the caller's side allows: the owner's
  // unsettled Allow then decides (keyDependence, noteSides)
  if (g.callerAllowsSomeTrial) return false;
  return result.deniedBy.some((r) => CALLER_SIDE.has(r.policyType));
}

/**
 * A cross-account implicit deny the owner's side decides: the owner's resource policy, known,
 * lacks an allow (a `resource` reason), and every missing input is an unsettled Allow of the
 * caller's own policies (callerSideOnly), which can only add allows on the caller's side; both
 * sides must allow across accounts
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html),
 * also for a KMS key policy (it must name the caller's account:
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html)
 * and a role's trust policy (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 * Not same-account (callerSideOnly is set only across accounts): there an identity Allow alone
 * may suffice. It must hold for every value tried: no trial denied the other way (an explicit
 * deny in question), none the resource policy allows (ownerAllowsSomeTrial), and no ids or
 * stand-in tried (their trials keep no results). Not a connection (connectionAcross: it has no
 * resource policy, an AWS RAM share no input holds may share it), nor a KMS key whose grants
 * may allow it.
 */
function resourceSideDenies(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
  runtime: RuntimeValue[] | undefined,
): boolean {
  if (result.decision !== 'ImplicitlyDenied' || !g.callerSideOnly || g.missing.size === 0)
    return false;
  for (const m of g.missing) if (!g.callerSideOnly.has(m)) return false;
  if (!result.deniedBy.some((r) => r.policyType === 'resource' && !r.explicit)) return false;
  if (g.otherDenials || g.ownerAllowsSomeTrial || g.kmsGrants) return false;
  if (runtime || spec.standIn !== undefined) return false;
  // a connection has no resource policy: connectionDenied words its denial
  return !connectionAcross(spec, g);
}

const CALLER_SIDE: ReadonlySet<string> = new Set([
  'identity',
  'permissionBoundary',
  'session',
  'scp',
]);

/** The most unplaced SCPs (RCPs) of a link tried one by one at each level (settleUnplaced). */
const MAX_UNPLACED_ALONE = 16;

/**
 * SCPs and RCPs whose targets are not all known may be attached at any level of the caller's
 * (resource owner's) chain, or at none. The link is evaluated with them added at each level in
 * turn and at every level at once; when every answer is the one without them, they do not
 * decide it and are no longer missing (a deny on kms:* cannot change an s3: link). An explicit
 * deny they add to an implicit one is kept as a trial of their placement (Tried.placement): the
 * link is denied whatever their targets, but their deny is named with an "if" (deniedLink).
 * An explicitly denied link is decided whatever they say: adding policies only adds statements,
 * and an explicit deny in any applicable policy wins (step 1 of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
 * so they are tried only for a deny of their own, named with its "if" as well.
 */
function settleUnplaced(g: Gathered, decision: string): void {
  const r = g.request;
  const explicit = decision === 'ExplicitlyDenied';
  for (const [field, unplaced] of [
    ['scps', g.unplacedScps],
    ['rcps', g.unplacedRcps],
  ] as const) {
    if (!unplaced || !unplaced.some((u) => g.missing.has(u.file))) continue;
    const levels = r[field];
    if (!levels || levels.length === 0) continue;
    const extra = unplaced.map((u) => u.policy);
    const tries: (readonly (readonly PolicyInput[])[])[] = levels.map((_, i) =>
      levels.map((l, j) => (i === j ? [...l, ...extra] : l)),
    );
    tries.push(levels.map((l) => [...l, ...extra]));
    // each one alone too, for a denial: one may sit on the level that lacks an allow while
    // another, that denies, sits elsewhere (all together, its deny hid the allow); bounded, as
    // an organization has few policies whose targets are not all known
    if (!explicit && extra.length > 1 && extra.length <= MAX_UNPLACED_ALONE)
      for (const p of extra)
        for (let i = 0; i < levels.length; i++)
          tries.push(levels.map((l, j) => (i === j ? [...l, p] : l)));
    const kind = field === 'scps' ? 'SCPs' : 'RCPs';
    const stable = tries.every((t) => {
      const request = { ...r, [field]: t };
      const result = evaluate(request);
      // the common case first: the same answer, nothing to name (agrees' contract)
      if (!explicit && result.decision === decision) return true;
      // the files whose own statements deny it in this trial: only they can make a deny apply
      const denying = denyingFiles(result, unplaced, field === 'scps' ? 'scp' : 'rcp');
      if (explicit && denying.length === 0) return true;
      const files = denying.length > 0 ? denying : unplaced.map((u) => u.file);
      // the first MAX_INPUTS_NAMED, then their count (`settle` keeps them all; the link's
      // `missing` bounds them: boundedInputs)
      const quoted = quotedInputs(files);
      const named = files.length > MAX_INPUTS_NAMED ? andList(quoted) : quoted.join(', ');
      const tried = {
        what: `the levels the ${kind} of ${named} apply at (not all their targets are known)`,
        settle: files,
        placement: `the ${kind} of ${named} apply (not all their targets are known)`,
      };
      if (explicit) {
        // decided by the link's own deny; theirs is named with its "if"
        (g.otherDenials ??= []).push({ result, request, tried });
        return true;
      }
      return agrees(g, result, decision, request, tried);
    });
    // an explicitly denied link keeps them missing (allowMissingBehind: an unplaced SCP may be
    // the allow a level lacks); nothing lists an explicitly denied link's missing inputs but
    // the files of a deny named with its "if"
    if (stable && !explicit) for (const u of unplaced) g.missing.delete(u.file);
  }
}

/**
 * The files of the SCPs (RCPs) among `unplaced` whose statements explicitly deny in `result`
 * (the evaluator names every explicit deny it meets), in their order.
 */
function denyingFiles(
  result: EvaluationResult,
  unplaced: readonly Unplaced[],
  policyType: 'scp' | 'rcp',
): string[] {
  if (result.decision !== 'ExplicitlyDenied') return [];
  const names = new Set<string | number>();
  for (const d of result.deniedBy)
    if (d.explicit && d.policyType === policyType) names.add(d.policy);
  return [...new Set(unplaced.filter((u) => names.has(u.policy.name)).map((u) => u.file))];
}

/** An allow that nothing missing can undo: every missing input can only add allows. */
function allowedAnyway(result: EvaluationResult, g: Gathered): boolean {
  if (result.decision !== 'Allowed' || !g.allowOnly) return false;
  for (const m of g.missing) if (!g.allowOnly.has(m)) return false;
  return true;
}

/**
 * An implicit deny that nothing missing can undo: every missing input is an organization file
 * (SCPs and RCPs, their targets, the tree), and an allow other than a guardrail's is among the
 * reasons. Guardrails grant nothing, they only take permissions away (SCPs:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
 * RCPs: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html),
 * so whatever the missing ones say, the allow the deny lacks (an identity, boundary or resource
 * policy) is still missing.
 */
function deniedAnyway(result: EvaluationResult, g: Gathered): boolean {
  if (result.decision !== 'ImplicitlyDenied') return false;
  let treeOnly = true;
  for (const m of g.missing) {
    if (!m.startsWith('organization/')) return false;
    if (m !== snapshotPath.orgParents) treeOnly = false;
  }
  // one missing allow that is not a guardrail's is enough: guardrails cannot supply it
  if (result.deniedBy.some((r) => r.policyType !== 'scp' && r.policyType !== 'rcp')) return true;
  // an SCP level that lacks an allow, when only the tree above the known levels is missing
  // (queries.ts: a broken chain keeps its levels with a policy attached, each read in full):
  // the levels above can only take more away
  // (called only with something missing)
  return treeOnly && result.deniedBy.some((r) => r.policyType === 'scp');
}

/** Find the resource's policy (bucket, key, trust, function) and owner; record what is missing. */
function resourceOwner(model: Model, spec: LinkSpec, g: Gathered): string | undefined {
  const { request, missing } = g;
  // (an Allow statement with NotPrincipal is left out, unless it is read as written: see
  // NOT_PRINCIPAL_ALLOWS)
  const remember = (read: CompiledPolicy): CompiledPolicy => {
    const p = NOT_PRINCIPAL_ALLOWS.asWritten ? read : withoutNotPrincipalAllows(read);
    g.byLabel.set(p.name, p);
    noteSkipped(p, g.missing);
    return p;
  };
  const arn = parseArn(spec.resource);
  if (!arn) return spec.resourceAccount;
  const service = serviceOf(spec.permission);
  if (arn.service === 's3' && service === 's3') {
    const bucketName = arn.resource.split('/')[0]!;
    const bucket = findBucket(model, bucketName, spec.resourceAccount);
    g.resourceLabel = `arn:${arn.partition}:s3:::${bucketName}`;
    if (bucket.kind === 'found') {
      const b = bucket.value;
      if (b.region !== undefined) g.resourceRegion = b.region;
      // get-bucket-location not read: the region requests go to (aws:RequestedRegion) is not
      // known; a template bucket is in its stack's region, a policy-only one is not known either
      else
        g.regionUnknownAt = b.location.pointer.startsWith('/Resources/')
          ? `${b.location.file}#${b.location.pointer}`
          : `${b.location.file}#/LocationConstraint`;
      if (b.policy === undefined) missing.add(b.policyUnknownAt ?? `${b.location.file}#/Policy`);
      else if (b.policy !== null) request.resourcePolicy = remember(b.policy);
      return b.account;
    }
    if (bucket.kind === 'missing') missing.add(bucket.file);
    return spec.resourceAccount;
  }
  if (arn.service === 'kms' && service === 'kms') {
    if (spec.awsManagedKey) {
      // An AWS-managed key the input does not list (awsManagedKeyValue): the request is on a
      // made-up key ARN, and the key's policy is fixed and documented: every principal of the
      // account may use it through the service, nobody else
      // (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk).
      request.resourceIsAwsManagedKey = true;
      request.resourcePolicy = remember(
        awsManagedKeyPolicy(arn.account, arn.region, spec.awsManagedKey.alias, arn.partition),
      );
      return arn.account;
    }
    if (isAwsManagedKeyAlias(spec.resource)) request.resourceIsAwsManagedKey = true;
    const key = resolveKmsKey(model, arn.account, arn.region, spec.resource);
    if (key.kind === 'found') {
      const k = key.value;
      if (k.keyManager === 'AWS') request.resourceIsAwsManagedKey = true;
      if (k.policy) request.resourcePolicy = remember(k.policy);
      else {
        // a snapshot key file's `/Policy`, a template key's `KeyPolicy` property
        const at = k.policyLocation;
        missing.add(at ? `${at.file}#${at.pointer}` : `${k.location.file}#/Policy`);
      }
      request.resource = k.arn;
      g.resourceLabel = k.arn;
      if (k.grants && k.grants.length > 0) g.kmsGrants = k.grants;
      const state = k.keyState ?? (k.enabled === false ? 'Disabled' : undefined);
      if (k.keyState === undefined && k.enabled === undefined) {
        // a key file without its state (describe-key always gives KeyState): the key may be
        // disabled, which the input does not say
        g.kmsKeyStateUnknown = [`${k.location.file}#/KeyMetadata/KeyState`];
      } else if (state !== undefined && PLACEHOLDER_PATTERN.test(state)) {
        // a template's `Enabled` that the template does not settle: the key may be disabled
        const at = k.stateLocation;
        const settle = unresolvedIn(model, state);
        g.kmsKeyStateUnknown =
          settle.length > 0 ? settle : [at ? `${at.file}#${at.pointer}` : k.location.file];
      } else if (state !== undefined && state !== 'Enabled')
        g.kmsKeyNotEnabled = {
          state,
          at: k.stateLocation ?? {
            file: k.location.file,
            pointer: k.keyState ? '/KeyMetadata/KeyState' : '/KeyMetadata/Enabled',
          },
        };
      return k.account;
    }
    if (key.kind === 'missing' && arn.resource.startsWith('alias/')) {
      // KMS authorizes the call on the key the alias points to, never on the alias (the
      // evaluator refuses an alias ARN): the listed target's ARN, else a made-up one, so that
      // a Deny of every key still decides while the key's file is missing
      // (https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html)
      const target = aliasTargetArn(model, spec.resource);
      request.resource =
        target ?? `arn:${arn.partition}:kms:${arn.region}:${arn.account}:key/${MADE_UP_ID}`;
      // the words name the key by the alias, never by a made-up id
      if (!target) g.shownResource = spec.resource;
      if (target && isAwsManagedKeyAlias(spec.resource)) {
        // an AWS-managed key: its policy is fixed and documented (see above)
        request.resourcePolicy = remember(
          awsManagedKeyPolicy(arn.account, arn.region, arn.resource, arn.partition),
        );
        return arn.account;
      }
    }
    if (key.kind === 'missing') missing.add(key.file);
    else {
      g.absent = {
        why: `kms key \`${spec.resource}\` does not exist${key.note ? `: ${key.note}` : ''}`,
      };
    }
    return arn.account;
  }
  if (arn.service === 'iam' && service === 'sts' && arn.resource.startsWith('role/')) {
    const role = findRole(model, spec.resource);
    if (role.kind === 'found') {
      g.resourceTags = role.value.tags;
      if (role.value.trustPolicy) request.resourcePolicy = remember(role.value.trustPolicy);
      else
        missing.add(
          `${role.value.location.file}#${role.value.location.pointer}/AssumeRolePolicyDocument`,
        );
    } else if (role.kind === 'missing') missing.add(role.file);
    else {
      g.absent = {
        why: `role \`${spec.resource}\` does not exist${role.file ? ` (not in \`${role.file}\`)` : ''}, so nobody can assume it`,
      };
    }
    return arn.account;
  }
  if (arn.service === 'lambda' && service === 'lambda' && arn.resource.startsWith('function:')) {
    const fn = findLambda(model, arn.account, arn.region, spec.resource);
    const qualifier = arn.resource.split(':')[2];
    if (fn.kind === 'found' && qualifier !== undefined) {
      // a version or alias has a policy of its own, which get-policy without --qualifier does
      // not return, and the function's does not apply to it
      // (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html).
      // It is read as one that can only add allows, as AddPermission writes it; a full policy
      // (PutResourcePolicy, AWS::Lambda::ResourcePolicy, same page) may also deny, which a
      // snapshot cannot show (README, Known limits)
      g.ownerPolicyUnknown = {
        place: `the resource policy of \`${spec.resource}\` (get-policy --qualifier ${qualifier}; a snapshot holds the function's only)`,
        allowOnly: true,
        crossAccountOnly: false,
      };
    } else if (fn.kind === 'found') {
      if (fn.value.policy === undefined)
        missing.add(fn.value.policyUnknownAt ?? `${fn.value.location.file}#/Policy`);
      else if (fn.value.policy !== null) request.resourcePolicy = remember(fn.value.policy);
    } else if (fn.kind === 'missing') missing.add(fn.file);
    return arn.account;
  }
  if (arn.service === 'ecr' && service === 'ecr' && arn.resource.startsWith('repository/')) {
    // the repository policy: for CodeBuild pulls with CODEBUILD credentials it must name
    // codebuild.amazonaws.com (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-ecr.html)
    const repo = findEcrRepository(
      model,
      arn.account,
      arn.region,
      arn.resource.slice('repository/'.length),
    );
    if (repo.kind === 'found') {
      const r = repo.value;
      if (r.policy === undefined) missing.add(`${r.location.file}#/policyText`);
      else if (r.policy !== null) request.resourcePolicy = remember(r.policy);
    } else if (repo.kind === 'missing') missing.add(repo.file);
    return arn.account;
  }
  if (arn.service === 'sns' && service === 'sns') {
    const topic = findSnsTopic(model, arn.account, arn.region, arn.resource);
    if (topic.kind === 'found') {
      const t = topic.value;
      if (t.policy === undefined)
        missing.add(t.policyUnknownAt ?? `${t.location.file}#/Attributes/Policy`);
      else if (t.policy !== null) request.resourcePolicy = remember(t.policy);
    } else if (topic.kind === 'missing') missing.add(topic.file);
    return arn.account;
  }
  if (arn.service === 'events' && service === 'events' && arn.resource.startsWith('event-bus/')) {
    // an event bus's resource policy, which templates write (AWS::Events::EventBusPolicy) and no
    // snapshot holds; as the account that sends events itself sees it (accountSenderPolicy),
    // the only caller of a bus's links (trigger.cross-account-put-events)
    const name = arn.resource.slice('event-bus/'.length);
    const bus = findEventBus(model, arn.account, arn.region, name);
    g.resourceLabel = bus?.arn ?? spec.resource;
    if (!bus) missing.add(busPolicyPlace(model, spec.resource, arn.account));
    else if (bus.policy === undefined) missing.add(bus.policyUnknownAt ?? placeOf(bus.location));
    else {
      const sender = accountSenderPolicy(bus.policy);
      request.resourcePolicy = remember(sender.policy);
      // An AWS::Events::EventBusPolicy adds one statement to the bus's policy, as PutPermission
      // does; it is not the whole policy, as an AWS::S3::BucketPolicy is: the default bus of
      // every account has one whatever the templates say, which other stacks or put-permission
      // may have given statements that let the account in
      // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html). So
      // the statements the templates write decide an allow, or an explicit deny, and a link
      // they do not allow is Unknown, naming the rest of the policy (a missing input that adds
      // allows, as the statements PutPermission writes do)
      const rest = `the statements of the resource policy of event bus \`${bus.arn}\` that the templates do not write (\`aws events describe-event-bus\` in \`${arn.account}\`)`;
      g.ownerPolicyUnknown = {
        place: sender.roleMayDiffer
          ? `${rest}, and the role the EventBridge rule of the sending account puts events on \`${bus.arn}\` with (its target's \`RoleArn\`), which its resource policy may allow where it does not allow the account itself`
          : rest,
        allowOnly: true,
        crossAccountOnly: false,
      };
    }
    return arn.account;
  }
  if (arn.service === 'iam' && arn.resource.startsWith('role/')) {
    // a role passed or read: its tags are known when the input holds it
    const role = findRole(model, spec.resource);
    if (role.kind === 'found') g.resourceTags = role.value.tags;
  }
  if (arn.service === service && policyNotInSnapshots(arn)) {
    // a secret or shared parameter: across accounts its resource policy decides, and no
    // snapshot file holds it
    g.ownerPolicyUnknown = {
      place: `the resource policy of \`${spec.resource}\` (a snapshot holds none)`,
      allowOnly: false,
      crossAccountOnly: true,
    };
  }
  if (
    arn.service === 'codeconnections' &&
    CONNECTION_SERVICES.has(service) &&
    arn.resource.startsWith('connection/')
  ) {
    // A `codeconnections` connection can be shared with other accounts through AWS RAM (a
    // `codestar-connections` one cannot): across accounts the share decides, and no snapshot
    // holds it (https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-share.html).
    // A share only grants, so a caller side that denies still denies.
    g.ownerPolicyUnknown = {
      place: `the AWS RAM share of \`${spec.resource}\` with the caller's account (a snapshot holds none)`,
      allowOnly: true,
      crossAccountOnly: true,
    };
  }
  return isAccountId(arn.account) ? arn.account : spec.resourceAccount;
}

/** The two service prefixes of connection actions (codestar-connections renamed codeconnections). */
const CONNECTION_SERVICES: ReadonlySet<string> = new Set([
  'codeconnections',
  'codestar-connections',
]);

/**
 * Whether the resource may carry a resource policy that snapshots do not hold: a Secrets
 * Manager secret (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html)
 * and a Parameter Store parameter shared with other accounts
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html).
 * Across accounts the answer then depends on it.
 */
function policyNotInSnapshots(arn: {
  readonly service: string;
  readonly resource: string;
}): boolean {
  // of Systems Manager's resources, parameters only: an SSM document is shared by permissions of
  // its own, and one of AWS's (`document/AWS-RunShellScript`, no account) is public
  return (
    arn.service === 'secretsmanager' ||
    (arn.service === 'ssm' && arn.resource.startsWith('parameter/'))
  );
}

const AWS_MANAGED_KEY_POLICIES = new Map<string, CompiledPolicy>();

/** The documented key policy of an AWS-managed key such as `aws/s3`. */
function awsManagedKeyPolicy(
  account: string,
  region: string,
  alias: string,
  partition: string,
): CompiledPolicy {
  const service = alias.replace(/^alias\/aws\//, '');
  const cacheKey = `${partition}:${account}:${region}:${service}`;
  const hit = AWS_MANAGED_KEY_POLICIES.get(cacheKey);
  if (hit) return hit;
  const doc = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Allow access through the service for all principals in the account that are authorized to use it',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:DescribeKey',
        ],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': account,
            'kms:ViaService': `${service}.${region}.amazonaws.com`,
          },
        },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
    ],
  };
  const name = `arn:${partition}:kms:${region}:${account}:${alias} (aws-managed key policy)`;
  const { policy } = parsePolicy(doc, { name, policyType: 'resource' });
  AWS_MANAGED_KEY_POLICIES.set(cacheKey, policy!);
  return policy!;
}

/**
 * Reasons are interned per compiled policy: the same statement allows thousands of links in a
 * large organization, and one shared immutable object each keeps the report small.
 */
const REASONS = new WeakMap<CompiledPolicy, Map<string | number | undefined, LinkReason[]>>();

function toLinkReason(r: Reason, g: Gathered): LinkReason {
  const policy = policyByLabel(g, r.policy);
  if (!policy) return makeReason(levelNamed(r, g), undefined);
  let perPolicy = REASONS.get(policy);
  if (!perPolicy) {
    perPolicy = new Map();
    REASONS.set(policy, perPolicy);
  }
  // by statement (a Sid, or the index of a statement without one: `"1"` and `1` are two
  // statements), then the few ways it is named (policy type, label, explicit)
  let named = perPolicy.get(r.statement);
  if (!named) perPolicy.set(r.statement, (named = []));
  for (const reason of named)
    if (
      reason.policyType === r.policyType &&
      reason.policy === r.policy &&
      reason.explicit === r.explicit
    )
      return reason;
  const reason = makeReason(r, locate(policy, r.statement));
  named.push(reason);
  return reason;
}

function makeReason(r: Reason, location: Location | undefined): LinkReason {
  // keys in sorted order, so the JSON report needs no copy of them
  return {
    explicit: r.explicit,
    location,
    policy: r.policy,
    policyType: r.policyType,
    statement: r.statement,
  } as LinkReason;
}

/**
 * The statements a reason names: by Sid, or by its 1-based index when it has none (`"1"` and `1`
 * are two statements); several when a Sid is written twice.
 */
function namedStatements(
  policy: CompiledPolicy,
  statement: string | number,
): readonly CompiledStatement[] {
  return policy.statements.filter((s) =>
    typeof statement === 'number'
      ? s.sid === undefined && s.index === statement
      : s.sid === statement,
  );
}

function locate(
  policy: CompiledPolicy,
  statement: string | number | undefined,
): Location | undefined {
  const src = policy.source;
  if (!src?.file) return undefined;
  const st = statement === undefined ? undefined : namedStatements(policy, statement)[0];
  const pointer = st ? st.pointer : src.pointer;
  const line = st?.line ?? src.line;
  return { file: src.file, line, pointer } as Location;
}

/**
 * The decision in words. `from`: the requests whose missing allows `result` names (the trials
 * they come from), when not the link's own request; the trust policy's words are about them.
 */
function explain(
  spec: LinkSpec,
  result: EvaluationResult,
  g: Gathered,
  from?: readonly EvaluationRequest[],
): string {
  const who =
    spec.principal.kind === 'role' ? `\`${spec.principal.arn}\`` : `\`${spec.principal.name}\``;
  const what = `${spec.permission} on \`${g.shownResource ?? g.request.resource}\``;
  // allowed: the resource and the deciding statements are in their own fields
  if (result.decision === 'Allowed') return `allowed: ${who} may ${spec.permission}`;
  if (result.decision === 'ExplicitlyDenied')
    return explicitDenyWords(result.deniedBy[0]!, who, what);
  const parts = result.deniedBy.map((d) => missingAllowWords(d, spec, g, from ?? [g.request]));
  return `${failing(spec)}: ${parts.join('; ')}`;
}

/** `<policy type> \`<policy>\` statement <Sid or index> explicitly denies <who> <what>` */
function explicitDenyWords(d: Reason, who: string, what: string): string {
  const stmt =
    d.statement === undefined
      ? ''
      : typeof d.statement === 'number'
        ? ` statement ${d.statement}`
        : ` statement \`${d.statement}\``;
  return `${policyTypeLabel(d.policyType)} \`${d.policy}\`${stmt} explicitly denies ${who} ${what}`;
}

function missingAllowWords(
  d: Reason,
  spec: LinkSpec,
  g: Gathered,
  from: readonly EvaluationRequest[],
): string {
  const who =
    spec.principal.kind === 'role' ? `\`${spec.principal.arn}\`` : `\`${spec.principal.name}\``;
  const service = serviceOf(spec.permission);
  // an Allow that only its conditions keep from allowing is named, with them (unmetAllows)
  const unmet = from.length === 1 ? unmetFor(d, g, from[0]!) : NO_UNMET;
  switch (d.policyType) {
    case 'identity':
      if (unmet.length > 0)
        return unmetWords(
          `the identity policies of ${who} allow ${spec.permission} on it`,
          unmet,
          true,
        );
      return `no identity policy of ${who} allows ${spec.permission} on it`;
    case 'resource': {
      if (unmet.length > 0 && service !== 'sts')
        return unmetWords(
          `the ${resourcePolicyKind(service)} of \`${g.resourceLabel}\` allows ${who} ${spec.permission}`,
          unmet,
          false,
        );
      if (service === 'kms') {
        return `the key policy of \`${g.resourceLabel}\` does not allow ${who} (nor its account, to delegate to IAM)`;
      }
      if (service === 'sts') {
        // the trials the missing allow comes from (the link's request, or values tried for what
        // the input does not settle): the words are theirs, or none when they differ
        const each = from.map((request) => unmetTrustConditions(spec, request));
        const unmet = each[0];
        const same = each.every(
          (u) =>
            u === unmet ||
            (u !== undefined &&
              unmet !== undefined &&
              u.names === unmet.names &&
              u.keys.join('\u0000') === unmet.keys.join('\u0000')),
        );
        if (!same) return `the trust policy of \`${g.resourceLabel}\` does not allow ${who}`;
        if (unmet)
          return `the trust policy of \`${g.resourceLabel}\` ${unmet.names ? `names ${who}` : `allows ${who} only under conditions`}, but its ${unmet.keys.length > 1 ? 'conditions' : 'condition'} on \`${unmet.keys.join('`, `')}\` ${unmet.keys.length > 1 ? 'do' : 'does'} not hold`;
        return `the trust policy of \`${g.resourceLabel}\` does not trust ${who}`;
      }
      if (!g.request.resourcePolicy) {
        return spec.principal.kind === 'service'
          ? `\`${g.resourceLabel}\` has no resource policy naming ${who}`
          : `\`${g.resourceLabel}\` has no resource policy, and another account's principal needs one`;
      }
      return `the resource policy of \`${g.resourceLabel}\` does not allow ${who}`;
    }
    case 'permissionBoundary':
      return `the permissions boundary \`${d.policy}\` does not allow ${spec.permission}`;
    case 'session':
      return `the session policy does not allow ${spec.permission}`;
    case 'scp': {
      // a level with several SCPs is reported as `level N`: name its target (root, OU, account)
      const at = scpLevelIndex(d);
      const target = at !== undefined ? g.scpTargets?.[at] : undefined;
      return target
        ? `no SCP attached to \`${target}\` allows ${spec.permission}`
        : `SCP \`${d.policy}\` has no statement allowing ${spec.permission}`;
    }
    case 'rcp':
      return `RCP \`${d.policy}\` does not allow ${spec.permission}`;
  }
}

/**
 * The fix of an explicit deny: every policy whose deny decides it is narrowed (an allow, the
 * catalog's fix, cannot undo an explicit deny).
 */
function denyFix(spec: LinkSpec, denies: readonly Reason[]): string {
  const who = spec.principal.kind === 'role' ? spec.principal.arn : spec.principal.name;
  const policies = [
    ...new Set(denies.map((d) => `${policyTypeLabel(d.policyType)} \`${d.policy}\``)),
  ];
  const deny = policies.length > 1 ? 'denies' : 'deny';
  // a hostile role of 5,000 inline policies each denying everything named all 5,000 in the fix of
  // each of its links (a 600 KB iam.json made a 10 MB report): the first MAX_INPUTS_NAMED, and
  // a count
  const named = atMostNamed(policies, (n) => `${n} more policies`);
  return `narrow the ${deny} in ${andList(named)} so ${policies.length > 1 ? 'they do' : 'it does'} not cover ${spec.permission} for \`${who}\``;
}

/**
 * The fix of a link denied for want of allows: one clause per policy whose allow is missing
 * (`result.deniedBy`, in its order), naming that policy, since that is where the allow goes: the
 * caller's policies, its permissions boundary, the resource's policy (a bucket, key, trust or
 * repository policy), an SCP. Across accounts both sides must allow, so both are named when both
 * lack it. The catalog's fix is used only for the side it is about (LinkSpec.fixSide): it may
 * carry what the allow needs (an `iam:PassedToService` condition, `*` for an action without
 * resource-level permissions). A KMS key whose policy cannot allow the caller (an AWS managed
 * key, whose key policy cannot be edited and allows only its own account's principals through
 * the service) is fixed by choosing another key where the link's key is chosen (keyChoice).
 */
function lackingFix(spec: LinkSpec, result: EvaluationResult, g: Gathered): string {
  const who = spec.principal.kind === 'role' ? spec.principal.arn : spec.principal.name;
  const first = result.deniedBy[0];
  if (!first) return `allow \`${spec.permission}\` on \`${spec.resource}\` for \`${who}\``;
  if (first.explicit) return denyFix(spec, result.deniedBy);
  const kinds = new Set(result.deniedBy.map((d) => d.policyType));
  const service = serviceOf(spec.permission);
  if (service === 'kms' && kinds.has('resource') && g.request.resourceIsAwsManagedKey === true)
    return awsManagedKeyFix(spec, who, g);
  if (spec.fix !== undefined && spec.fixSide === 'both' && kinds.size === 2) {
    // (not when a side has an Allow that only its conditions keep from allowing: its clause
    // names them)
    if (
      kinds.has('identity') &&
      kinds.has('resource') &&
      result.deniedBy.every((d) => catalogNames(spec, d, unmetFor(d, g, g.request)).length === 0)
    )
      return withKeyChoice(spec.fix, spec);
  }
  const clauses: string[] = [];
  const seen = new Set<string>();
  for (const d of result.deniedBy) {
    const clause = lackingClause(d, spec, who, service, g);
    if (seen.has(clause)) continue;
    seen.add(clause);
    clauses.push(clause);
  }
  return withKeyChoice(clauses.join('; and '), spec);
}

/**
 * The unmet allows of a side whose fix the catalog gives (LinkSpec.fixSide) with a value for a
 * key they test: none (the catalog's fix, which says what the condition must hold, is kept);
 * else as they are.
 */
function catalogNames(
  spec: LinkSpec,
  d: Reason,
  unmet: readonly UnmetAllow[],
): readonly UnmetAllow[] {
  if (unmet.length === 0 || spec.fix === undefined) return unmet;
  if (spec.fixSide !== d.policyType && spec.fixSide !== 'both') return unmet;
  const fix = spec.fix.toLowerCase();
  return unmet[0]!.unmet.some((c) => fix.includes(c.keyLower)) ? NO_UNMET : unmet;
}

/** What the resource's policy is called for a service. */
function resourcePolicyKind(service: string): string {
  switch (service) {
    case 'kms':
      return 'key policy';
    case 's3':
      return 'bucket policy';
    case 'sts':
      return 'trust policy';
    default:
      return 'resource policy';
  }
}

/** The fix for one missing allow (see lackingFix). */
function lackingClause(
  d: Reason,
  spec: LinkSpec,
  who: string,
  service: string,
  g: Gathered,
): string {
  const action = `\`${spec.permission}\``;
  const resource = g.shownResource ?? spec.resource;
  const on = `on \`${resource}\``;
  // an Allow that only its conditions keep from allowing: the fix is about them (unmetAllows),
  // unless the catalog's fix for that side says what they must be (`iam:PassedToService` = …)
  const unmet = catalogNames(spec, d, unmetFor(d, g, g.request));
  switch (d.policyType) {
    case 'identity':
      if (unmet.length > 0)
        return unmetFix(unmet[0]!, `identity policy \`${unmet[0]!.policy.name}\``, who, resource);
      return spec.fix !== undefined && spec.fixSide === 'identity'
        ? spec.fix
        : `allow ${action} ${on} in the policies of \`${who}\``;
    case 'resource': {
      if (unmet.length > 0 && service !== 'sts')
        return unmetFix(
          unmet[0]!,
          `the ${resourcePolicyKind(service)} of \`${g.resourceLabel}\``,
          who,
          resource,
        );
      if (spec.fix !== undefined && spec.fixSide === 'resource') return spec.fix;
      const label = g.resourceLabel;
      if (service === 'kms') return `allow \`${who}\` ${action} in the key policy of \`${label}\``;
      if (service === 'sts')
        return `let \`${who}\` call ${action} in the trust policy of \`${label}\``;
      const kind = resourcePolicyKind(service);
      // a bucket's own call needs no `on`: the policy is the bucket's
      const where = resource === label ? '' : ` ${on}`;
      return g.request.resourcePolicy
        ? `allow \`${who}\` ${action}${where} in the ${kind} of \`${label}\``
        : `give \`${label}\` a ${kind} that allows \`${who}\` ${action}${where}`;
    }
    case 'permissionBoundary':
      return `allow ${action} ${on} in the permissions boundary \`${d.policy}\` of \`${who}\``;
    case 'session':
      return `allow ${action} ${on} in the session policy of \`${who}\``;
    case 'scp': {
      // a level with several SCPs is reported as `level N`: any SCP attached there may allow it
      const at = scpLevelIndex(d);
      const target = at !== undefined ? g.scpTargets?.[at] : undefined;
      if (at !== undefined)
        return target
          ? `allow ${action} in an SCP attached to \`${target}\``
          : `allow ${action} in an SCP at ${d.policy} of the organization`;
      return `allow ${action} in SCP \`${d.policy}\``;
    }
    case 'rcp':
      return `allow ${action} in RCP \`${d.policy}\``;
  }
}

/**
 * The fix of a link whose key is an AWS managed key that does not allow the caller: its key
 * policy cannot be edited, and allows only principals of its own account, through the service
 * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk), so
 * another key must be chosen: a customer managed key for the artifact store
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/S3-artifact-encryption.html), or the
 * store's key for a CodeBuild project that encrypted the artifact with its own.
 */
function awsManagedKeyFix(spec: LinkSpec, who: string, g: Gathered): string {
  const keyAccount = parseArn(g.resourceLabel)?.account;
  const cannot = `the key policy of the AWS managed key \`${g.resourceLabel}\` cannot be edited, and it allows only principals of ${keyAccount ? `\`${keyAccount}\`` : 'its own account'}, through the service`;
  const c = spec.keyChoice;
  if (c?.kind === 'codebuildProject')
    return `set \`encryptionKey\` of CodeBuild project \`${c.project}\` to the artifact store key \`${c.storeKey}\`: ${cannot}`;
  // across accounts the caller's own policies must allow the new key too
  const across = parseArn(who)?.account !== keyAccount;
  const key = `a customer managed key whose key policy allows \`${who}\` \`${spec.permission}\`${across ? `, and allow it on that key in the policies of \`${who}\`` : ''}`;
  if (c?.kind === 'artifactStore')
    return `give the artifact store of pipeline \`${c.pipeline}\` in \`${c.region}\` (its \`encryptionKey\`) ${key}: ${cannot}`;
  return `use ${key}, in place of \`${g.resourceLabel}\`: ${cannot}`;
}

/**
 * A fix on a key a CodeBuild project chose (its encryptionKey, not the artifact store's key):
 * choosing the store's key is the other way to fix it.
 */
function withKeyChoice(fix: string, spec: LinkSpec): string {
  const c = spec.keyChoice;
  return c?.kind === 'codebuildProject'
    ? `${fix}; or set \`encryptionKey\` of CodeBuild project \`${c.project}\` to the artifact store key \`${c.storeKey}\``
    : fix;
}
