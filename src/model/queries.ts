/**
 * Pure questions over the model. Lookups say *found*, *missing* (unknown: this file would
 * settle it) or *absent* (known not to exist), so a caller can never read a gap in the
 * snapshot as "allowed".
 */
import type { CompiledPolicy } from '../policy/types.js';
import type { Problem } from '../problems.js';
import { nameOfIamArn, parseArn } from './arn.js';
import { snapshotPath } from './snapshotPath.js';
import type {
  AccountModel,
  BucketModel,
  CodeBuildProjectModel,
  DeploymentGroupModel,
  EcrRepositoryModel,
  EventBusModel,
  GroupModel,
  IamModel,
  InlinePolicyModel,
  KmsKeyModel,
  LambdaModel,
  Location,
  Lookup,
  ManagedPolicyModel,
  Model,
  OrganizationModel,
  OrgPolicyModel,
  PipelineModel,
  RegionModel,
  RoleModel,
  SnsTopicModel,
  UserModel,
} from './types.js';

export { accountOfArn, parseArn } from './arn.js';

const found = <T>(value: T): Lookup<T> => ({ kind: 'found', value });

/**
 * Problem id of an entity a snapshot defines more than once (two files, or two list entries,
 * for one pipeline, role, key, project...). The loader reports it at every copy, so a lookup of
 * the entity is missing, naming the copies, instead of decided on one of them.
 */
export const DUPLICATE_PROBLEM = 'snapshot.duplicate';

/**
 * Problem id of a list a file should hold but does not (iam.json without `RoleDetailList`): a
 * warning, yet an entity not found in the file is unknown, not absent.
 */
export const LIST_MISSING_PROBLEM = 'snapshot.list.missing';

/**
 * Problem id of a list the file holds in part only: the command's output says there is more
 * (`NextToken`, `Marker`, `IsTruncated: true`...). A warning at the list's pointer (or at the
 * file's top when every list of it is cut), yet an entity not found in the list is unknown, not
 * absent.
 */
export const LIST_TRUNCATED_PROBLEM = 'snapshot.list.truncated';

/**
 * Found, unless the loader could not read all of the entity (an input error in its JSON
 * subtree): then it is missing, naming what could not be read. Something it says (a Deny, a
 * grant, a key, a setting) may have been left out, so nothing is decided on what was left. Every
 * lookup of an entity with a location goes through here.
 */
function readable<T extends { readonly location: Location }>(model: Model, value: T): Lookup<T> {
  const unreadable = unreadableIn(model, value.location);
  if (unreadable.length === 0) return found(value);
  const twice = unreadable.some((u) => u.includes(`(${WHY_DUPLICATE}`));
  return missing(
    unreadable.join(', '),
    twice ? 'the input defines it more than once' : 'it could not be read in full',
  );
}
const missing = <T>(file: string, note?: string): Lookup<T> =>
  note === undefined ? { kind: 'missing', file } : { kind: 'missing', file, note };
const absent = <T>(file: string | undefined, note: string): Lookup<T> =>
  file === undefined ? { kind: 'absent', note } : { kind: 'absent', file, note };

// ---------------------------------------------------------------------------------------------
// IAM principals and their policies

/**
 * A role by ARN, which includes the role's path: only the exact ARN is the role. A role of the
 * same name with another path is missing, naming it (an ARN without the path does not name it).
 * A role given by name (a CodeBuild `ServiceRole: !Ref Role`) is made its ARN, path included,
 * where it is read (templateResources: templateRoleArn, else the snapshot's role of that name:
 * templateMerge deployedNames().roleArn). Not listed in a complete iam.json: absent.
 */
export function findRole(model: Model, arn: string): Lookup<RoleModel> {
  return findPrincipal(model, arn, 'role', (iam) => iam.roles);
}

export function findUser(model: Model, arn: string): Lookup<UserModel> {
  return findPrincipal(model, arn, 'user', (iam) => iam.users);
}

function findPrincipal<T extends RoleModel | UserModel>(
  model: Model,
  arn: string,
  type: 'role' | 'user',
  pick: (iam: IamModel) => ReadonlyMap<string, T>,
): Lookup<T> {
  const parsed = parseArn(arn);
  const name = nameOfIamArn(arn);
  if (!parsed || name === undefined || !parsed.resource.startsWith(`${type}/`)) {
    return absent(undefined, `\`${arn}\` is not an iam ${type} arn`);
  }
  const file = snapshotPath.iam(parsed.account);
  const iam = model.accounts.get(parsed.account)?.iam;
  if (!iam) return missing(file);
  const map = pick(iam);
  const exact = map.get(arn);
  if (exact) return readable(model, exact);
  for (const p of map.values()) {
    if (p.name !== name) continue;
    // The same name with another path: an IAM ARN holds the path
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns),
    // and AWS does not document that an ARN without it (or with another) names the ${type}. It
    // is not taken for that ${type} (its policies would decide one link and a trust policy naming
    // its real ARN another), nor for none.
    return missing(
      `${p.location.file}#${p.location.pointer} (the ${type} is \`${p.arn}\`, named \`${arn}\`: an IAM ARN includes the path)`,
    );
  }
  if (iam.truncated)
    return missing(
      file,
      `iam.json is truncated (it lists part of the account only), so \`${name}\` may be in it`,
    );
  // an element of the list that could not be read may be this very principal
  const unread = unreadableList(
    model,
    file,
    type === 'role' ? '/RoleDetailList' : '/UserDetailList',
  );
  if (unread.length === 0) return absent(file, `no ${type} named \`${name}\` in the account`);
  const noList = unread.some((u) => u.endsWith(`(${WHY_MISSING})`));
  return missing(
    unread.join(', '),
    noList
      ? `iam.json does not list the ${type}s of the account, so \`${name}\` may be one`
      : `iam.json could not be read in full, so \`${name}\` may be in it`,
  );
}

/**
 * A managed policy by ARN, from `account`'s iam.json first. An AWS-managed policy is one policy
 * for every account: AWS creates and updates it, and an update affects every principal it is
 * attached to (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/about-managed-policy-reference.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies),
 * so another account's copy is used when this one does not list it (awsManagedPolicyCopy). A
 * customer-managed policy is its account's own and is never read from another account.
 */
export function findManagedPolicy(
  model: Model,
  arn: string,
  account: string,
): Lookup<ManagedPolicyModel> {
  const copy = managedPolicyCopy(model, arn, account);
  if (copy) return readable(model, copy);
  return missing(snapshotPath.iam(account), `managed policy \`${arn}\` is not in \`Policies\``);
}

/** The copy of a managed policy a lookup from `account` reads; undefined: listed nowhere. */
function managedPolicyCopy(
  model: Model,
  arn: string,
  account: string,
): ManagedPolicyModel | undefined {
  const own = model.accounts.get(account)?.iam?.policies.get(arn);
  if (own || parseArn(arn)?.account !== 'aws') return own;
  return awsManagedPolicyCopy(
    model.accounts.values(),
    arn,
    (at) => unreadableIn(model, at).length > 0,
  );
}

/**
 * The copy of an AWS-managed policy to read for an account whose iam.json does not list it: of
 * the `accounts` (in id order), the first whose copy has a known document and no input error
 * (`unreadable`); when none has, the first copy, whose lookup then says what is missing;
 * undefined when no account lists it. The loader's warning (snapshotIam.ts:
 * reportUnlistedManagedPolicies) names the same copy.
 */
export function awsManagedPolicyCopy(
  accounts: Iterable<AccountModel>,
  arn: string,
  unreadable: (at: Location) => boolean,
): ManagedPolicyModel | undefined {
  let first: ManagedPolicyModel | undefined;
  for (const a of accounts) {
    const copy = a.iam?.policies.get(arn);
    if (!copy) continue;
    if (copy.policy !== undefined && !unreadable(copy.location)) return copy;
    first ??= copy;
  }
  return first;
}

/** True when a managed policy ARN (attached, or a boundary) has no document in the snapshot. */
export function isManagedPolicyMissing(model: Model, arn: string, account: string): boolean {
  const p = findManagedPolicy(model, arn, account);
  return p.kind !== 'found' || p.value.policy === undefined;
}

export interface PrincipalPolicies {
  /** inline, attached managed and (users) group policies that compiled */
  readonly identity: readonly CompiledPolicy[];
  /**
   * the permissions boundary, when set and known (set but unknown: undefined, with its document
   * in `missing`; whether one is set is the principal's `boundaryArn`)
   */
  readonly boundary: CompiledPolicy | undefined;
  /**
   * unknown inputs, sorted: ARNs of managed policies (and groups) not in the snapshot (a group
   * with why and where when its iam.json could not be read in full: `<arn> (<why>: <file#pointer
   * (why)>, ...)`),
   * `the document of <arn> (<why>, <file#pointer>)` of managed policies listed without a known
   * document, and `file#pointer` of inline documents that did not compile. Non-empty: an
   * implicit deny is unknown.
   */
  readonly missing: readonly string[];
}

export function rolePolicies(model: Model, role: RoleModel): PrincipalPolicies {
  return principalPolicies(model, role, []);
}

export function userPolicies(model: Model, user: UserModel): PrincipalPolicies {
  const groups: (GroupModel | string)[] = [];
  const iam = model.accounts.get(user.account)?.iam;
  const file = snapshotPath.iam(user.account);
  for (const name of user.groupNames) {
    let group: GroupModel | undefined;
    for (const g of iam?.groups.values() ?? []) if (g.name === name) group = g;
    if (group) {
      groups.push(group);
      continue;
    }
    const partition = parseArn(user.arn)?.partition ?? 'aws';
    const arn = `arn:${partition}:iam::${user.account}:group/${name}`;
    // an element of the list that could not be read (a group whose name IAM could not have
    // produced...) may be this very group: named with the group
    const unread = iam ? unreadableList(model, file, '/GroupDetailList') : NO_STRINGS;
    groups.push(
      unread.length === 0
        ? arn
        : `${arn} (${incompleteList(unread, 'the groups of the account')}: ${unread.join(', ')})`,
    );
  }
  return principalPolicies(model, user, groups);
}

function principalPolicies(
  model: Model,
  principal: RoleModel | UserModel,
  groups: readonly (GroupModel | string)[],
): PrincipalPolicies {
  const identity: CompiledPolicy[] = [];
  const gaps = new Set<string>();
  const addInline = (list: readonly InlinePolicyModel[]): void => {
    for (const p of list) {
      if (p.policy) identity.push(p.policy);
      else gaps.add(`${p.location.file}#${p.location.pointer}`);
    }
  };
  const addManaged = (arns: readonly string[]): void => {
    for (const arn of arns) {
      const policy = managedDocument(model, arn, principal.account);
      if (typeof policy === 'string') gaps.add(policy);
      else identity.push(policy);
    }
  };
  addInline(principal.inlinePolicies);
  addManaged(principal.managedPolicyArns);
  for (const g of groups) {
    if (typeof g === 'string') gaps.add(g);
    else {
      addInline(g.inlinePolicies);
      addManaged(g.managedPolicyArns);
    }
  }
  let boundary: CompiledPolicy | undefined;
  if (principal.boundaryArn !== undefined) {
    const policy = managedDocument(model, principal.boundaryArn, principal.account);
    if (typeof policy === 'string') gaps.add(policy);
    else boundary = policy;
  }
  return { identity, boundary, missing: [...gaps].sort() };
}

/**
 * The document in force of a managed policy, or what is missing instead: the ARN when no
 * iam.json lists the policy; when one does, `the document of <arn> (<why>, <file#pointer>)`.
 */
function managedDocument(model: Model, arn: string, account: string): CompiledPolicy | string {
  const copy = managedPolicyCopy(model, arn, account);
  if (!copy) return arn;
  const p = readable(model, copy);
  if (p.kind !== 'found')
    return `the document of ${arn} (${p.note ?? 'it could not be read'}: ${p.file})`;
  if (p.value.policy) return p.value.policy;
  const why = copy.documentUnknown?.why ?? 'it is not known';
  const at = copy.documentUnknown?.location ?? copy.location;
  return `the document of ${arn} (${why}, ${at.file}#${at.pointer})`;
}

// ---------------------------------------------------------------------------------------------
// AWS Organizations guardrails

export interface GuardrailLevels {
  /**
   * false: no guardrail of this kind applies to the account (no organization folder, the
   * management account, an account outside the organization, SCPs not enabled)
   */
  readonly applies: boolean;
  /** one list per level, root first, then each OU, then the account itself */
  readonly levels: readonly (readonly CompiledPolicy[])[];
  /** the id of each level, same order: `r-...`, `ou-...`, the account id */
  readonly targets: readonly string[];
  /** snapshot files that would settle an unknown level (sorted); non-empty: the verdict is unknown */
  readonly missing: readonly string[];
  /**
   * readable policies whose targets are not all known (each also in `missing`): they may be
   * attached at any level, or at none; the chain tries them (resolveLink)
   */
  readonly unplaced?: readonly { readonly file: string; readonly policy: CompiledPolicy }[];
  /** plain-language explanations for `applies: false` and for each missing entry */
  readonly notes: readonly string[];
  /**
   * set when the levels may not apply at all (the account may be the management account, or
   * the organization may have only consolidated billing): the file that would settle it. A deny
   * from these levels is then not certain.
   */
  readonly mayNotApply?: string;
}

/**
 * The SCPs that bound a principal of `accountId`, per level. An action must be allowed at every
 * level ("permitted by every parent"); SCPs do not apply to the management account
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
 * An empty level cannot happen in AWS (the last SCP of a target cannot be detached), so it
 * marks an incomplete `scp/` folder and is reported as missing.
 */
export function scpLevels(model: Model, accountId: string): GuardrailLevels {
  return memoGuardrails(model, accountId, 'scp');
}

/**
 * The RCPs that bound a resource owned by `accountId`, per level. `RCPFullAWSAccess` is
 * attached everywhere and cannot be detached, so an empty level is normal here: the evaluator
 * adds it (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 */
export function rcpLevels(model: Model, accountId: string): GuardrailLevels {
  return memoGuardrails(model, accountId, 'rcp');
}

/**
 * The levels of an account depend on the model alone, which is not changed once loaded, and an
 * analysis asks for them once per role and per resource: kept per model, account and kind (the
 * answer is read-only).
 */
const GUARDRAILS = new WeakMap<Model, Map<string, GuardrailLevels>>();

function memoGuardrails(model: Model, accountId: string, kind: 'scp' | 'rcp'): GuardrailLevels {
  let perModel = GUARDRAILS.get(model);
  if (!perModel) GUARDRAILS.set(model, (perModel = new Map()));
  const key = `${kind}:${accountId}`;
  let levels = perModel.get(key);
  if (!levels) perModel.set(key, (levels = guardrailLevels(model, accountId, kind)));
  return levels;
}

function guardrailLevels(model: Model, accountId: string, kind: 'scp' | 'rcp'): GuardrailLevels {
  const label = kind === 'scp' ? 'scps' : 'rcps';
  const none = (note: string): GuardrailLevels => ({
    applies: false,
    levels: [],
    targets: [],
    missing: [],
    notes: [note],
  });
  const org = model.organization;
  if (!org) return none(`no \`organization/\` folder in the snapshot: no ${label} are known`);
  if (org.managementAccountId === accountId) {
    return none(`\`${accountId}\` is the management account: ${label} do not apply to it`);
  }
  // "RCPs are available only in an organization that has all features enabled", as SCPs
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html)
  if (org.featureSet === 'CONSOLIDATED_BILLING') {
    return none(`the organization has only consolidated billing features: ${label} do not apply`);
  }
  if (knownOutside(model, org, accountId))
    return none(`\`${accountId}\` is not in the organization: its ${label} do not apply`);

  const gaps = new Set<string>();
  const notes: string[] = [];
  // SCPs and RCPs do not apply to the management account, SCPs not without all features
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)
  const describeUnread =
    !org.loaded.describe ||
    org.managementAccountId === undefined ||
    (kind === 'scp' && org.featureSet === undefined) ||
    unreadableList(model, snapshotPath.orgDescribe, '').length > 0;
  if (!org.loaded.describe) {
    gaps.add(snapshotPath.orgDescribe);
    notes.push(
      `without describe-organization it is unknown whether \`${accountId}\` is the management account`,
    );
  }
  const folder = kind === 'scp' ? snapshotPath.orgScpFolder : snapshotPath.orgRcpFolder;
  if (!org.loaded[kind]) {
    gaps.add(folder);
    notes.push(`no \`${folder}\` folder: the ${label} are unknown`);
  }

  if (org.loaded.accounts && !org.accounts.has(accountId) && !org.parents.has(accountId)) {
    // not listed in an accounts.json read in part (knownOutside said no): the account may be
    // outside the organization, or a member the file leaves out
    const unread = unreadableList(model, snapshotPath.orgAccounts, '/Accounts');
    gaps.add(snapshotPath.orgAccounts);
    notes.push(
      `${incompleteList(unread, 'the accounts of the organization')}: whether \`${accountId}\` is one is unknown`,
    );
  }
  // without parents.json the chain is as broken as one that stops: only the account is known
  const chain = org.loaded.parents
    ? parentChain(org.parents, org.rootIds, accountId)
    : {
        ids: [accountId],
        error: `no \`${snapshotPath.orgParents}\`: the levels above \`${accountId}\` are unknown`,
      };
  const broken = chain.error !== undefined;
  if (chain.error !== undefined) {
    gaps.add(snapshotPath.orgParents);
    notes.push(chain.error);
    // the levels that are known still apply (the account's own, and those of the OUs its chain
    // reaches): an explicit deny in any of them decides whatever the levels above say, while
    // an allow stays unknown for want of them (the gap above). A chain that loops is corrupt:
    // nothing of it is used.
    if (chain.ids.length === 0) {
      return {
        applies: true,
        levels: [],
        targets: [],
        missing: [...gaps].sort(),
        notes,
        ...(describeUnread ? { mayNotApply: snapshotPath.orgDescribe } : {}),
      };
    }
  }

  const policies = kind === 'scp' ? org.scps : org.rcps;
  const unplaced: { file: string; policy: CompiledPolicy }[] = [];
  // a policy whose `Targets` is written twice: which list is real is not known, so neither
  // places it (the last copy attached it for certain, as JSON.parse keeps it)
  const twoWays = new Set<OrgPolicyModel>();
  for (const p of policies) {
    const before = gaps.size;
    if (p.targets === undefined) {
      gaps.add(p.location.file);
      notes.push(`\`${p.location.file}\` has no \`Targets\`: it may apply at any level`);
    } else {
      // a target that could not be read, or one a truncated list leaves out, may be any level
      // of this account
      const unread = unreadableList(model, p.location.file, '/Targets');
      if (
        inputErrors(model)
          .get(p.location.file)
          ?.some((e) => e.pointer === '/Targets' && e.why === WHY_WRITTEN_TWICE)
      )
        twoWays.add(p);
      if (unread.length > 0) {
        gaps.add(p.location.file);
        notes.push(
          isTruncated(unread)
            ? `\`${p.location.file}\` lists part of its \`Targets\` only: it may apply at any level`
            : `\`${p.location.file}\` has \`Targets\` that could not be read: it may apply at any level`,
        );
      }
    }
    if (gaps.size > before && p.policy) unplaced.push({ file: p.location.file, policy: p.policy });
  }
  const attachedNowhere =
    policies.length > 0 && policies.every((p) => p.targets !== undefined && p.targets.length === 0);
  // A broken chain keeps only its levels some policy is attached to: that is what shows the
  // level is in the organization (an account not in parents.json may be outside it, and then no
  // level applies); an empty one is left out rather than read as a level that allows nothing.
  const levels: CompiledPolicy[][] = [];
  const targets: string[] = [];
  for (const target of chain.ids) {
    const attached = policies.filter(
      (p: OrgPolicyModel) => !twoWays.has(p) && p.targets?.includes(target) === true,
    );
    if (broken && attached.length === 0) continue;
    targets.push(target);
    const level: CompiledPolicy[] = [];
    for (const p of attached) {
      if (p.policy) level.push(p.policy);
      else {
        gaps.add(p.location.file);
        notes.push(`\`${p.location.file}\` could not be read: the level \`${target}\` is unknown`);
      }
    }
    if (kind === 'scp' && attached.length === 0 && org.loaded.scp) {
      // while SCPs are enabled, "Every root, OU, and account must have at least one SCP
      // attached" (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DetachPolicy.html);
      // disabling them detaches every one (https://docs.aws.amazon.com/organizations/latest/userguide/disable-policy-type.html):
      // with none attached anywhere, the report says so rather than only naming the folder
      gaps.add(
        attachedNowhere
          ? `${folder} (no SCP in it is attached anywhere: SCPs may be disabled in the organization, and then none apply)`
          : folder,
      );
      notes.push(
        `no scp in \`${folder}\` targets \`${target}\`: every level has at least one, the folder is incomplete`,
      );
    }
    levels.push(level);
  }
  return {
    applies: true,
    levels,
    targets,
    missing: [...gaps].sort(),
    notes,
    ...(unplaced.length > 0 ? { unplaced } : {}),
    ...(describeUnread ? { mayNotApply: snapshotPath.orgDescribe } : {}),
  };
}

/**
 * root → OUs → account; an error when the chain is broken, loops or does not reach a root. A
 * broken chain keeps the part that is known (from the highest level reached down to the
 * account); a loop keeps nothing.
 */
function parentChain(
  parents: ReadonlyMap<string, string>,
  rootIds: readonly string[],
  accountId: string,
): { ids: string[]; error?: string | undefined } {
  if (!parents.has(accountId)) {
    return {
      ids: [accountId],
      error: `\`${accountId}\` is not in \`${snapshotPath.orgParents}\`: the levels above it are unknown`,
    };
  }
  const ids = [accountId];
  const seen = new Set(ids);
  let current = accountId;
  // AWS allows five OU levels under the root; the bound only guards against bad files
  for (let depth = 0; depth < 16; depth++) {
    const parent = parents.get(current);
    if (parent === undefined) break;
    if (seen.has(parent)) return { ids: [], error: `the parent chain of \`${accountId}\` loops` };
    seen.add(parent);
    ids.push(parent);
    current = parent;
  }
  if (!current.startsWith('r-') && !rootIds.includes(current)) {
    return {
      ids: ids.reverse(),
      error: `the parent chain of \`${accountId}\` ends at \`${current}\`, not at a root: the levels above it are unknown`,
    };
  }
  return { ids: ids.reverse() };
}

/**
 * Whether an account is in an organization, and which (aws:PrincipalOrgID, aws:ResourceOrgID):
 * a member, known not to be one (not listed in the organization's accounts, read in full), or
 * unknown (no organization data, no describe-organization, or a list that could not be read in
 * full), naming the file that would settle it.
 */
export type OrgMembership =
  | { readonly kind: 'member'; readonly orgId: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown'; readonly file: string };

export function orgMembership(model: Model, accountId: string): OrgMembership {
  const org = model.organization;
  if (!org || org.id === undefined) return { kind: 'unknown', file: snapshotPath.orgDescribe };
  if (
    org.managementAccountId === accountId ||
    org.accounts.has(accountId) ||
    org.parents.has(accountId)
  )
    return { kind: 'member', orgId: org.id };
  return knownOutside(model, org, accountId)
    ? { kind: 'none' }
    : { kind: 'unknown', file: snapshotPath.orgAccounts };
}

/**
 * Known not to be a member: not listed in an accounts.json read in full (an entry that could
 * not be read may be it), nor in parents.json, nor a target of an SCP or RCP (an attachment
 * lists an account of the organization: list-targets-for-policy lists "the roots, OUs, and
 * accounts" of the organization a policy is attached to,
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html;
 * the files disagree, and what the account's guardrails are is not known).
 */
function knownOutside(model: Model, org: OrganizationModel, accountId: string): boolean {
  return (
    org.loaded.accounts &&
    !org.accounts.has(accountId) &&
    !org.parents.has(accountId) &&
    !isPolicyTarget(org, accountId) &&
    unreadableList(model, snapshotPath.orgAccounts, '/Accounts').length === 0
  );
}

function isPolicyTarget(org: OrganizationModel, accountId: string): boolean {
  for (const p of org.scps) if (p.targets?.includes(accountId)) return true;
  for (const p of org.rcps) if (p.targets?.includes(accountId)) return true;
  return false;
}

/**
 * The organization path of a member account, as `aws:PrincipalOrgPaths`, `aws:ResourceOrgPaths`
 * and `aws:SourceOrgPaths` carry it: the organization id, the root and each OU down to the
 * account's parent, each followed by `/` (the account itself is not in it:
 * `ForAnyValue:StringEquals` on `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/` "returns
 * true for principals in accounts that are attached directly to the ou-ab12-22222222 OU",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths).
 * Undefined when the account is not known to be a member, or parents.json does not lead from it
 * to a root.
 */
export function orgPathOf(model: Model, accountId: string): string | undefined {
  const org = model.organization;
  if (!org || org.id === undefined || !org.loaded.parents) return undefined;
  if (orgMembership(model, accountId).kind !== 'member') return undefined;
  const chain = parentChain(org.parents, org.rootIds, accountId);
  if (chain.error !== undefined || chain.ids.length < 2) return undefined;
  return `${org.id}/${chain.ids.slice(0, -1).join('/')}/`;
}

/** The organization id of an account, when the snapshot shows it is a member. */
export function orgIdOf(model: Model, accountId: string): string | undefined {
  const m = orgMembership(model, accountId);
  return m.kind === 'member' ? m.orgId : undefined;
}

/** true / false when describe-organization says; undefined when unknown. */
export function isManagementAccount(model: Model, accountId: string): boolean | undefined {
  const org = model.organization;
  if (!org) return undefined;
  if (org.managementAccountId !== undefined) return org.managementAccountId === accountId;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Regional resources

function regionOf(model: Model, account: string, region: string): RegionModel | undefined {
  return model.accounts.get(account)?.regions.get(region);
}

/** `alias/aws/<service>`: an AWS-managed key. RCPs do not apply to them and their policy is fixed. */
export function isAwsManagedKeyAlias(idOrArnOrAlias: string): boolean {
  const arn = parseArn(idOrArnOrAlias);
  const resource = arn ? arn.resource : idOrArnOrAlias;
  return resource.startsWith('alias/aws/');
}

/**
 * A KMS key from a key id, key ARN, alias name (`alias/x`) or alias ARN. An ARN decides the
 * account and region; otherwise `account` and `region` do. Aliases are looked up in the
 * account's kms/aliases.json; note that AWS does not resolve an alias across accounts
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html),
 * which is for the caller to judge.
 */
export function resolveKmsKey(
  model: Model,
  account: string,
  region: string,
  idOrArnOrAlias: string,
): Lookup<KmsKeyModel> {
  let ref = idOrArnOrAlias;
  let acct = account;
  let reg = region;
  const arn = parseArn(idOrArnOrAlias);
  if (arn) {
    if (arn.service !== 'kms')
      return absent(undefined, `\`${idOrArnOrAlias}\` is not a kms key arn`);
    acct = arn.account;
    reg = arn.region;
    ref = arn.resource;
  }
  if (ref.startsWith('alias/')) {
    const aliasesFile = snapshotPath.kmsAliases(acct, reg);
    const aliases = regionOf(model, acct, reg)?.aliases;
    if (!aliases) return missing(aliasesFile);
    const alias = aliases.get(ref);
    // an alias listed twice may point at either key
    const unreadAlias = alias ? unreadableIn(model, alias.location) : NO_STRINGS;
    if (unreadAlias.length > 0)
      return missing(unreadAlias.join(', '), `the alias \`${ref}\` could not be read in full`);
    if (!alias || alias.targetKeyId === undefined) {
      // AWS creates an AWS-managed key (alias/aws/s3...) on first use, so its absence from
      // list-aliases does not mean it cannot exist
      if (ref.startsWith('alias/aws/'))
        return missing(aliasesFile, `the aws-managed key \`${ref}\` is not in the snapshot`);
      if (regionOf(model, acct, reg)?.aliasesPartial === true)
        return missing(aliasesFile, `the input lists some aliases only, so \`${ref}\` may be one`);
      const unread = unreadableList(model, aliasesFile, '/Aliases');
      return unread.length > 0
        ? missing(
            unread.join(', '),
            `${incompleteList(unread, 'the aliases')}, so \`${ref}\` may be one`,
          )
        : absent(aliasesFile, `no alias \`${ref}\``);
    }
    const target = parseArn(alias.targetKeyId);
    ref = target ? target.resource.replace(/^key\//, '') : alias.targetKeyId;
  } else if (ref.startsWith('key/')) {
    ref = ref.slice(4);
  }
  const key = regionOf(model, acct, reg)?.kmsKeys.get(ref);
  return key ? readable(model, key) : missing(snapshotPath.kmsKey(acct, reg, ref));
}

/**
 * The ARN of the key an alias ARN points to, when the input lists the alias with its target (and
 * the entry was read in full); undefined otherwise, or when `aliasArn` is not an alias ARN.
 */
export function aliasTargetArn(model: Model, aliasArn: string): string | undefined {
  const arn = parseArn(aliasArn);
  if (!arn || arn.service !== 'kms' || !arn.resource.startsWith('alias/')) return undefined;
  const alias = regionOf(model, arn.account, arn.region)?.aliases?.get(arn.resource);
  if (!alias || alias.targetKeyId === undefined) return undefined;
  if (unreadableIn(model, alias.location).length > 0) return undefined;
  const target = parseArn(alias.targetKeyId);
  if (target)
    return target.service === 'kms' && target.resource.startsWith('key/')
      ? alias.targetKeyId
      : undefined;
  return `arn:${arn.partition}:kms:${arn.region}:${arn.account}:key/${alias.targetKeyId}`;
}

/**
 * A bucket by name. Bucket ARNs carry no account, so the file is looked for in every account;
 * `expectedAccount` (the owner the caller expects) names the file that would settle it. A bucket
 * file in two account folders is a duplicate (load/snapshotS3.ts: reportBucketCopies), so either
 * copy is missing here, naming both.
 */
export function findBucket(
  model: Model,
  name: string,
  expectedAccount?: string,
): Lookup<BucketModel> {
  const preferred = expectedAccount === undefined ? undefined : model.accounts.get(expectedAccount);
  const own = preferred?.buckets.get(name);
  if (own) return readable(model, own);
  for (const a of model.accounts.values()) {
    const b = a.buckets.get(name);
    if (b) return readable(model, b);
  }
  return missing(snapshotPath.bucket(expectedAccount ?? '*', name));
}

/** A CodeBuild project by name or ARN; `projectsNotFound` in codebuild.json means absent. */
export function findCodeBuildProject(
  model: Model,
  account: string,
  region: string,
  nameOrArn: string,
): Lookup<CodeBuildProjectModel> {
  let name = nameOrArn;
  const arn = parseArn(nameOrArn);
  if (arn) {
    account = arn.account;
    region = arn.region;
    name = arn.resource.replace(/^project\//, '');
  }
  const file = snapshotPath.codebuild(account, region);
  const cb = regionOf(model, account, region)?.codebuild;
  if (!cb) return missing(file);
  const project = cb.projects.get(name);
  if (project) return readable(model, project);
  if (cb.notFound.includes(name))
    return absent(file, `codebuild reports project \`${name}\` as not found`);
  return missing(file, `project \`${name}\` is not in the file`);
}

/** A Lambda function by name or ARN (a qualified ARN's version or alias is ignored). */
export function findLambda(
  model: Model,
  account: string,
  region: string,
  nameOrArn: string,
): Lookup<LambdaModel> {
  // FunctionName may be a name, a name with a version or alias (`name:live`), a partial ARN
  // (`123456789012:function:name`) or a full ARN, qualified or not
  // (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#lambda-Invoke-request-FunctionName);
  // the snapshot holds the function itself (get-function of the unqualified name)
  let name = nameOrArn.split(':')[0]!;
  const arn = parseArn(nameOrArn);
  const partial = /^(\d{12}):function:([^:]+)/.exec(nameOrArn);
  if (arn) {
    account = arn.account;
    region = arn.region;
    const parts = arn.resource.split(':');
    name = parts[0] === 'function' ? (parts[1] ?? '') : arn.resource;
  } else if (partial) {
    account = partial[1]!;
    name = partial[2]!;
  }
  const fn = regionOf(model, account, region)?.lambdas.get(name);
  return fn ? readable(model, fn) : missing(snapshotPath.lambda(account, region, name));
}

/** The `deploymentGroups` key of a CodeDeploy group. */
export function deploymentGroupKey(application: string, group: string): string {
  return `${application}/${group}`;
}

export function findDeploymentGroup(
  model: Model,
  account: string,
  region: string,
  application: string,
  group: string,
): Lookup<DeploymentGroupModel> {
  const g = regionOf(model, account, region)?.deploymentGroups.get(
    deploymentGroupKey(application, group),
  );
  return g
    ? readable(model, g)
    : missing(snapshotPath.deploymentGroup(account, region, application, group));
}

/** An ECR repository by name. */
export function findEcrRepository(
  model: Model,
  account: string,
  region: string,
  name: string,
): Lookup<EcrRepositoryModel> {
  const repo = regionOf(model, account, region)?.ecrRepositories.get(name);
  return repo ? readable(model, repo) : missing(snapshotPath.ecrRepository(account, region, name));
}

/** An SNS topic by name. */
export function findSnsTopic(
  model: Model,
  account: string,
  region: string,
  name: string,
): Lookup<SnsTopicModel> {
  const topic = regionOf(model, account, region)?.snsTopics.get(name);
  return topic ? readable(model, topic) : missing(snapshotPath.snsTopic(account, region, name));
}

/**
 * An event bus whose resource policy the templates write (RegionModel.eventBuses), by name;
 * undefined when no input gives its policy (a snapshot holds none).
 */
export function findEventBus(
  model: Model,
  account: string,
  region: string,
  name: string,
): EventBusModel | undefined {
  return regionOf(model, account, region)?.eventBuses?.get(name);
}

/** Every pipeline, sorted by account, region, name. */
export function listPipelines(model: Model): PipelineModel[] {
  const out: PipelineModel[] = [];
  for (const a of model.accounts.values()) {
    for (const r of a.regions.values()) out.push(...r.pipelines.values());
  }
  return out;
}

/** The first pipeline with that name (or ARN), optionally narrowed to an account and region. */
export function findPipeline(
  model: Model,
  nameOrArn: string,
  where: { readonly account?: string; readonly region?: string } = {},
): PipelineModel | undefined {
  return listPipelines(model).find(
    (p) =>
      (p.name === nameOrArn || p.arn === nameOrArn) &&
      (where.account === undefined || p.account === where.account) &&
      (where.region === undefined || p.region === where.region),
  );
}

/**
 * The parts of an entity the loader could not read: the input errors in its JSON subtree.
 * Grammar problems of policy documents are not counted here: a document that does not compile
 * is missing from its owner already, and an invalid statement is noted as skipped by the
 * compiled policy itself (chain/resolveLink.ts: noteSkipped).
 */
function unreadableIn(
  model: Model,
  at: { readonly file: string; readonly pointer: string },
  withFileTop = false,
): string[] {
  const errors = inputErrors(model).get(at.file);
  if (!errors) return NO_STRINGS;
  const out: string[] = [];
  let more = 0;
  for (const { pointer: p, why } of errors) {
    if (
      at.pointer === '' ||
      p === at.pointer ||
      p.startsWith(`${at.pointer}/`) ||
      (withFileTop && p === '')
    ) {
      // a few name the place; thousands (80,000 bad elements of one list) would be repeated in
      // every link they leave Unknown, past what a report can hold
      if (out.length < MAX_UNREADABLE_NAMED) out.push(`${at.file}#${p} (${why})`);
      else more++;
    }
  }
  if (more > 0) out.push(`${at.file} (${more} more input errors)`);
  return out;
}

/** How many input errors of one entity a lookup names (unreadableIn). */
const MAX_UNREADABLE_NAMED = 10;

/**
 * The input errors of a file at the list `listPointer`, in it, or at the file's top: an element
 * that could not be read may be the entity a lookup did not find, so "not in the list" is not
 * known.
 */
function unreadableList(model: Model, file: string, listPointer: string): string[] {
  return unreadableIn(model, { file, pointer: listPointer }, true);
}

const NO_STRINGS: string[] = [];
const WHY_UNREADABLE = 'not readable';
const WHY_DUPLICATE = 'defined more than once';
const WHY_MISSING = 'missing';
const WHY_TRUNCATED = 'truncated';
/** a member name written twice in one object of the file's JSON (snapshotFiles.readJson) */
const WHY_WRITTEN_TWICE = 'written twice';

/** Is one of the entries of unreadableList a truncated list? */
function isTruncated(unread: readonly string[]): boolean {
  return unread.some((u) => u.endsWith(`(${WHY_TRUNCATED})`));
}

/** Why a list is not read as complete, in words: `what` is the list (`the aliases`). */
function incompleteList(unread: readonly string[], what: string): string {
  if (isTruncated(unread)) return `${what} are listed in part only`;
  if (unread.some((u) => u.endsWith(`(${WHY_MISSING})`))) return `${what} are not listed`;
  return `${what} could not be read in full`;
}

interface InputError {
  readonly pointer: string;
  /** `not readable`, `defined more than once, also at <file#pointer>` or `missing` */
  readonly why: string;
}
const INPUT_ERRORS = new WeakMap<Model, Map<string, InputError[]>>();

/**
 * The model's input errors (not policy grammar), by file, each pointer once: errors, the lists a
 * file lacks (LIST_MISSING_PROBLEM) and the lists it holds in part (LIST_TRUNCATED_PROBLEM),
 * both warnings.
 */
function inputErrors(model: Model): Map<string, InputError[]> {
  let byFile = INPUT_ERRORS.get(model);
  if (!byFile) {
    byFile = indexInputErrors(model.problems);
    INPUT_ERRORS.set(model, byFile);
  }
  return byFile;
}

/**
 * For a loader, before the model is built: does the entity at `at` have an input error in its
 * JSON subtree (as a lookup of it in the model would find, readable)?
 */
export function inputErrorChecker(problems: readonly Problem[]): (at: Location) => boolean {
  const byFile = indexInputErrors(problems);
  return (at) => {
    for (const { pointer: p } of byFile.get(at.file) ?? [])
      if (at.pointer === '' || p === at.pointer || p.startsWith(`${at.pointer}/`)) return true;
    return false;
  };
}

function indexInputErrors(problems: readonly Problem[]): Map<string, InputError[]> {
  const byFile = new Map<string, InputError[]>();
  // each pointer and why once, found in a set (a search of the file's list for each problem
  // took 23 s for 80,000 bad elements of one list)
  const seen = new Set<string>();
  for (const p of problems) {
    if (p.file === undefined || p.id.startsWith('policy.')) continue;
    if (p.severity !== 'error' && p.id !== LIST_MISSING_PROBLEM && p.id !== LIST_TRUNCATED_PROBLEM)
      continue;
    // a duplicate's problem names the other copy: `(also at \`file#pointer\`)`
    const other =
      p.id === DUPLICATE_PROBLEM ? /\(also at `([^`]+)`\)/.exec(p.message)?.[1] : undefined;
    const why =
      p.id === DUPLICATE_PROBLEM
        ? `${WHY_DUPLICATE}${other !== undefined ? `, also at ${other}` : ''}`
        : p.id === LIST_MISSING_PROBLEM
          ? WHY_MISSING
          : p.id === LIST_TRUNCATED_PROBLEM
            ? WHY_TRUNCATED
            : p.id === 'snapshot.json.duplicate-key'
              ? WHY_WRITTEN_TWICE
              : WHY_UNREADABLE;
    const key = `${p.file}\u0000${p.pointer}\u0000${why}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byFile.get(p.file);
    if (list) list.push({ pointer: p.pointer, why });
    else byFile.set(p.file, [{ pointer: p.pointer, why }]);
  }
  return byFile;
}
