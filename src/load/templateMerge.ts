/**
 * Lay templates over a snapshot: the result is the state after the deploy. What a template
 * defines replaces what the snapshot holds under the same identifier (role ARN or name, bucket,
 * key id, project, pipeline...); what it does not define stays as the snapshot says, including
 * whether it is known to be absent. AWS-managed policy documents come from the snapshot when it
 * holds them, from the managed policy package otherwise.
 *
 * What is written by a resource of its own is unknown unless the templates write it, when the
 * snapshot has one: a bucket's, topic's or function's resource policy (AWS::S3::BucketPolicy,
 * AWS::SNS::TopicPolicy, AWS::Lambda::Permission may live in another stack, whose stays, or in an
 * earlier version of the template, whose the deploy removes: unwrittenPolicy). A template role
 * replaces the snapshot's role, but the snapshot's policies the templates do not write (another
 * stack's AWS::IAM::Policy, or one an earlier version of the template had and this one drops)
 * may or may not be there after the deploy: they are kept as unknown policies, so the role's
 * links are Unknown naming them rather than decided without them, or with them.
 */
import { sortProblems, type Problem } from '../problems.js';
import type {
  AccountModel,
  BucketModel,
  CodeBuildModel,
  EventsModel,
  GroupModel,
  IamModel,
  InlinePolicyModel,
  ManagedPolicyModel,
  Model,
  RegionModel,
  RoleModel,
  UnresolvedValueModel,
  UserModel,
} from '../model/types.js';
import { placeholderOf } from '../model/placeholders.js';
import {
  templateExtras,
  type PendingAttachment,
  type TemplateBuildResult,
} from './templateResources.js';
import type { DeployedNames } from './templateStack.js';

/**
 * The names a snapshot holds, for templates laid over it: a template resource that names none
 * gets the name CloudFormation generated at deploy (`<stack>-<logicalId>-<suffix>`), which only
 * the snapshot knows (templateStack generatedName takes the one that has that form). Roles by
 * `iam.json`, buckets by `s3/`, functions and topics by their region's files; undefined where
 * the snapshot does not list them (no `iam.json`). And the ARN, path included, of a role a
 * template gives by name only (a CodeBuild `ServiceRole`, an instance profile's `Roles`).
 */
export function deployedNames(snapshot: Model): DeployedNames {
  // each list is made once: it is asked for every unnamed resource of a template
  const made = new Map<string, readonly string[] | undefined>();
  const list = (type: string, account: string, region: string): readonly string[] | undefined => {
    const a = snapshot.accounts.get(account);
    if (!a) return undefined;
    switch (type) {
      case 'AWS::IAM::Role':
        return a.iam ? [...new Set([...a.iam.roles.values()].map((r) => r.name))] : undefined;
      case 'AWS::S3::Bucket':
        return [...a.buckets.keys()];
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function':
        return [...(a.regions.get(region)?.lambdas.keys() ?? [])];
      case 'AWS::SNS::Topic':
        return [...(a.regions.get(region)?.snsTopics.keys() ?? [])];
    }
    return undefined;
  };
  return {
    names(type, account, region) {
      const key = `${type}|${account}|${region}`;
      if (!made.has(key)) made.set(key, list(type, account, region));
      return made.get(key);
    },
    roleArn(account, name) {
      // a role name is unique in its account whatever its case and path
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names):
      // the name given names the role of exactly that name. A truncated iam.json may leave out
      // the role, and two roles of the name in different cases are an input error the snapshot
      // loader reports: neither is taken (the role stays Unknown, as findRole says)
      const iam = snapshot.accounts.get(account)?.iam;
      if (!iam || iam.truncated) return undefined;
      const lower = name.toLowerCase();
      const same = [...iam.roles.values()].filter((r) => r.name.toLowerCase() === lower);
      return same.length === 1 && same[0]!.name === name ? same[0]!.arn : undefined;
    },
    roleId(arn) {
      const account = /^arn:[^:]+:iam::(\d{12}):role\//.exec(arn)?.[1];
      const role = account && snapshot.accounts.get(account)?.iam?.roles.get(arn);
      // a role's unique id as IAM gives it (AROA and word characters,
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids)
      const id = role ? role.roleId : undefined;
      return id !== undefined && /^AROA\w{12,124}$/.test(id) ? id : undefined;
    },
  };
}

function byKey<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function union<V>(
  base: ReadonlyMap<string, V> | undefined,
  overlay: ReadonlyMap<string, V> | undefined,
): Map<string, V> {
  return byKey(new Map([...(base ?? []), ...(overlay ?? [])]));
}

export function mergeModels(base: Model, overlay: Model): Model {
  const extras = templateExtras.get(overlay);
  const problems: Problem[] = [...base.problems];
  const snapshotManaged = new Map<string, ManagedPolicyModel>();
  for (const a of base.accounts.values()) {
    for (const [arn, p] of a.iam?.policies ?? []) if (p.isAwsManaged) snapshotManaged.set(arn, p);
  }
  const accounts = new Map<string, AccountModel>(base.accounts);
  // placeholders the merge itself makes (a snapshot role's boundary the template may drop)
  const unresolved = new Map<string, UnresolvedValueModel>();
  for (const [id, o] of overlay.accounts) {
    const b = base.accounts.get(id);
    accounts.set(id, b ? mergeAccount(b, o, extras, snapshotManaged, problems, unresolved) : o);
  }
  if (extras) unsettleSnapshotPolicies(accounts, base, extras, problems);
  // policies written for principals the templates do not define
  for (const att of extras?.attachments ?? []) {
    const applied =
      att.any === true ? applyToEveryRole(accounts, att) : applyAttachment(accounts, att);
    if (!applied) {
      const where = att.inline?.location ?? att.location;
      problems.push({
        ...(where ? { file: where.file } : {}),
        pointer: where?.pointer ?? '',
        message: `the ${att.kind} \`${att.name}\` in \`${att.account}\` is neither in the templates nor in the snapshot: its policy is left out`,
        id: 'template.attachment.target-unknown',
        severity: 'warning',
      });
    }
  }
  for (const p of overlay.problems) {
    if (p.id === 'template.managed-policy.unknown') {
      const arn = /`([^`]+)`/.exec(p.message)?.[1];
      if (arn !== undefined && snapshotManaged.has(arn)) continue;
    }
    problems.push(p);
  }
  return {
    root: base.root,
    accounts: byKey(accounts),
    organization: base.organization ?? overlay.organization,
    problems: sortProblems(problems),
    source: 'merged',
    unresolved: union(union(base.unresolved, overlay.unresolved), unresolved),
  };
}

function mergeAccount(
  b: AccountModel,
  o: AccountModel,
  extras: TemplateBuildResult | undefined,
  snapshotManaged: ReadonlyMap<string, ManagedPolicyModel>,
  problems: Problem[],
  unresolved: Map<string, UnresolvedValueModel>,
): AccountModel {
  const buckets = new Map<string, BucketModel>(b.buckets);
  for (const [name, bucket] of o.buckets) {
    const old = b.buckets.get(name);
    // a template that only writes a bucket policy changes only the policy; a template bucket
    // keeps the snapshot's policy as unknown unless the templates write one
    buckets.set(
      name,
      old && extras?.policyOnlyBuckets.has(name)
        ? { ...old, policy: bucket.policy }
        : old && extras && !extras.policiesWritten.bucket.has(name)
          ? unwrittenPolicy(bucket, old, '/Policy', problems)
          : bucket,
    );
  }
  const regions = new Map<string, RegionModel>(b.regions);
  for (const [name, r] of o.regions) {
    const old = b.regions.get(name);
    regions.set(name, old ? mergeRegion(old, r, extras, problems) : r);
  }
  return {
    id: b.id,
    iam: mergeIam(b.iam, o.iam, snapshotManaged, problems, unresolved),
    buckets: byKey(buckets),
    regions: byKey(regions),
  };
}

function mergeIam(
  b: IamModel | undefined,
  o: IamModel | undefined,
  snapshotManaged: ReadonlyMap<string, ManagedPolicyModel>,
  problems: Problem[],
  unresolved: Map<string, UnresolvedValueModel>,
): IamModel | undefined {
  const policies = new Map<string, ManagedPolicyModel>(b?.policies ?? []);
  for (const [arn, p] of o?.policies ?? []) {
    // the snapshot's copy of an AWS-managed policy is what the account really sees
    policies.set(arn, p.isAwsManaged ? (snapshotManaged.get(arn) ?? p) : p);
  }
  if (!b) return o && { ...o, policies: byKey(policies) };
  if (!o) return b;
  const roles = new Map<string, RoleModel>();
  const replaced = new Map([...o.roles.values()].map((r) => [r.name, r]));
  const old = new Map<string, RoleModel>();
  for (const [arn, r] of b.roles) {
    if (replaced.has(r.name)) old.set(r.name, r);
    else roles.set(arn, r);
  }
  for (const [arn, r] of o.roles) {
    const before = old.get(r.name);
    roles.set(arn, before ? withSnapshotExtras(r, before, problems, unresolved) : r);
  }
  return {
    roles: byKey(roles),
    users: b.users,
    groups: b.groups,
    policies: byKey(policies),
    truncated: b.truncated,
    location: b.location,
  };
}

/**
 * A template role over the snapshot's: the snapshot's inline policies of names the templates do
 * not write, and its managed policies the templates do not attach, are kept as unknown policies
 * (see the top of this file), naming where the snapshot holds them. So is a permissions boundary
 * the snapshot's role has and the template does not set: CloudFormation removes one an earlier
 * version of the template set, not one set outside it (an organization's boundary enforcement),
 * so whether the role still has it after the deploy is not known; read without it, every call
 * the boundary denies would be Allowed.
 */
function withSnapshotExtras(
  role: RoleModel,
  before: RoleModel,
  problems: Problem[],
  unresolved: Map<string, UnresolvedValueModel>,
): RoleModel {
  const boundary = keptBoundary(role, before, problems, unresolved);
  if (boundary !== undefined) role = { ...role, boundaryArn: boundary };
  const names = new Set(role.inlinePolicies.map((p) => p.name));
  const extras: InlinePolicyModel[] = [];
  const shown: string[] = [];
  for (const p of before.inlinePolicies) {
    if (names.has(p.name)) continue;
    extras.push({ name: p.name, policy: undefined, location: p.location });
    shown.push(p.name);
  }
  before.managedPolicyArns.forEach((arn, i) => {
    if (role.managedPolicyArns.includes(arn)) return;
    extras.push({
      name: arn,
      policy: undefined,
      location: {
        file: before.location.file,
        pointer: `${before.location.pointer}/AttachedManagedPolicies/${i}`,
      },
    });
    shown.push(arn);
  });
  if (extras.length === 0) return role;
  problems.push({
    file: role.location.file,
    pointer: role.location.pointer,
    message: `the snapshot's role \`${role.name}\` has policies the templates do not write (\`${shown.join('`, `')}\`): another stack may have attached them, or an earlier version of the template, so whether they stay is not known: they are unknown`,
    id: 'template.role.snapshot-policies',
    severity: 'warning',
  });
  return { ...role, inlinePolicies: [...role.inlinePolicies, ...extras] };
}

/**
 * The boundary of a template role that sets none over a snapshot role that has one: a
 * placeholder policy ARN (model/placeholders.ts: never found, so the role's links are Unknown
 * naming the snapshot's boundary), with a warning; undefined when there is nothing to keep.
 */
function keptBoundary(
  role: RoleModel,
  before: RoleModel,
  problems: Problem[],
  unresolved: Map<string, UnresolvedValueModel>,
): string | undefined {
  if (role.boundaryArn !== undefined || before.boundaryArn === undefined) return undefined;
  const partition = /^arn:([^:]+):/.exec(role.arn)?.[1] ?? 'aws';
  const placeholder = placeholderOf('policy', `boundary|${role.arn}`, partition, '');
  unresolved.set(placeholder, {
    placeholder,
    reason: `the snapshot's role \`${before.name}\` has the permissions boundary \`${before.boundaryArn}\`, which the template does not set: CloudFormation removes a boundary only when an earlier version of the template set it, so whether the role keeps it is not known`,
    location: {
      file: before.location.file,
      pointer: `${before.location.pointer}/PermissionsBoundary`,
    },
  });
  problems.push({
    file: role.location.file,
    pointer: role.location.pointer,
    message: `the snapshot's role \`${role.name}\` has the permissions boundary \`${before.boundaryArn}\` and the template sets none: it stays if it was set outside this stack, so whether it is in force is not known: it is unknown`,
    id: 'template.role.snapshot-boundary',
    severity: 'warning',
  });
  return placeholder;
}

/**
 * Policies the templates may write to a bucket, topic or function they do not settle: every one
 * of the account (topics, functions: of the region) has an unknown policy; and topic policies
 * for topics the templates do not define are applied to the snapshot's.
 */
function unsettleSnapshotPolicies(
  accounts: Map<string, AccountModel>,
  base: Model,
  extras: TemplateBuildResult,
  problems: Problem[],
): void {
  // the templates' topic policies for snapshot topics first; then every policy a template may
  // write to a target it does not settle is unknown, whatever else was written (as the builder
  // does: templateResources finishUnsettled)
  for (const tp of extras.topicPolicies) {
    const a = accounts.get(tp.account);
    const r = a?.regions.get(tp.region);
    const topic = r?.snsTopics.get(tp.name);
    if (!a || !r || !topic) {
      // not in the snapshot either: the topic is unknown, and so is its policy
      if (!base.accounts.get(tp.account)?.regions.get(tp.region)?.snsTopics.has(tp.name))
        problems.push({
          file: tp.location.file,
          pointer: tp.location.pointer,
          message: `the topic \`${tp.name}\` in \`${tp.account}\` \`${tp.region}\` is neither in the templates nor in the snapshot: its policy is left out`,
          id: 'template.attachment.target-unknown',
          severity: 'warning',
        });
      continue;
    }
    // the template's policy replaces the snapshot's, and so does where it is unknown
    const { policyUnknownAt: _replaced, ...rest } = topic;
    const applied = {
      ...rest,
      policy: tp.policy,
      ...(tp.policyUnknownAt !== undefined ? { policyUnknownAt: tp.policyUnknownAt } : {}),
    };
    const snsTopics = new Map([...r.snsTopics, [tp.name, applied]]);
    accounts.set(tp.account, {
      ...a,
      regions: new Map([...a.regions, [tp.region, { ...r, snsTopics }]]),
    });
  }
  for (const any of extras.unknownPolicyTargets) {
    const a = accounts.get(any.account);
    if (!a) continue;
    if (any.kind === 'bucket') {
      const buckets = new Map<string, BucketModel>();
      for (const [name, bk] of a.buckets)
        buckets.set(name, { ...bk, policy: undefined, policyUnknownAt: any.at });
      accounts.set(any.account, { ...a, buckets });
      continue;
    }
    const r = any.region === undefined ? undefined : a.regions.get(any.region);
    if (!r || any.region === undefined) continue;
    const next: RegionModel =
      any.kind === 'topic'
        ? {
            ...r,
            snsTopics: mapValues(r.snsTopics, (t) => ({
              ...t,
              policy: undefined,
              policyUnknownAt: any.at,
            })),
          }
        : {
            ...r,
            lambdas: mapValues(r.lambdas, (f) => ({
              ...f,
              policy: undefined,
              policyUnknownAt: any.at,
            })),
          };
    accounts.set(any.account, { ...a, regions: new Map([...a.regions, [any.region, next]]) });
  }
}

/**
 * The template's functions or topics, each keeping the snapshot's policy when no template wrote
 * one for it (a template that defines a resource but not its policy says nothing of the policy).
 */
function keepUnwrittenPolicies<V extends PolicyHolder & { readonly arn: string }>(
  snapshot: ReadonlyMap<string, V>,
  templates: ReadonlyMap<string, V>,
  written: ReadonlySet<string> | undefined,
  policyPointer: string,
  problems: Problem[],
): Map<string, V> {
  return mapValues(templates, (v) => {
    const old = snapshot.get(v.name);
    return old && written && !written.has(v.arn)
      ? unwrittenPolicy(v, old, policyPointer, problems)
      : v;
  });
}

/** A bucket, topic or function: its resource policy and where it is. */
interface PolicyHolder {
  readonly name: string;
  /** null: none; undefined: not known (policyUnknownAt says why) */
  readonly policy: unknown;
  readonly policyUnknownAt?: string;
  readonly location: { readonly file: string; readonly pointer?: string };
}

/**
 * A template bucket, topic or function whose resource policy no template writes, over the
 * snapshot's (`old`): with no policy in the snapshot, none after the deploy; with one, the
 * deploy keeps it if another stack (or a hand) wrote it, and removes it if an earlier version
 * of this template did: whether it is there is not known, as for a role's policies (see the top
 * of this file), with a warning. It was kept as known, so a change that drops the policy
 * resource from the template left the policy in force.
 */
function unwrittenPolicy<V extends PolicyHolder>(
  v: V,
  old: PolicyHolder,
  policyPointer: string,
  problems: Problem[],
): V {
  if (old.policy === null) return { ...v, policy: null };
  if (old.policy === undefined)
    return {
      ...v,
      policy: undefined,
      ...(old.policyUnknownAt !== undefined ? { policyUnknownAt: old.policyUnknownAt } : {}),
    };
  problems.push({
    file: v.location.file,
    pointer: v.location.pointer ?? '',
    message: `the snapshot's \`${v.name}\` has a resource policy that no template writes: another stack's stays, one an earlier version of the template wrote is removed, so whether it is in force is not known: it is unknown`,
    id: 'template.resource.snapshot-policy',
    severity: 'warning',
  });
  return {
    ...v,
    policy: undefined,
    policyUnknownAt: `${old.location.file}#${policyPointer} (the snapshot's policy, which no template writes: whether the deploy keeps it is not known)`,
  };
}

function mapValues<V>(m: ReadonlyMap<string, V>, f: (v: V) => V): Map<string, V> {
  return new Map([...m].map(([k, v]) => [k, f(v)]));
}

function mergeRegion(
  b: RegionModel,
  o: RegionModel,
  extras: TemplateBuildResult | undefined,
  problems: Problem[],
): RegionModel {
  let codebuild: CodeBuildModel | undefined = b.codebuild ?? o.codebuild;
  if (b.codebuild && o.codebuild) {
    const names = o.codebuild.projects;
    codebuild = {
      projects: union(b.codebuild.projects, names),
      notFound: b.codebuild.notFound.filter((n) => !names.has(n)),
      location: b.codebuild.location,
    };
  }
  let events: EventsModel | undefined = b.events ?? o.events;
  if (b.events && o.events) {
    events = { rules: union(b.events.rules, o.events.rules), location: b.events.location };
  }
  return {
    name: b.name,
    account: b.account,
    pipelines: union(b.pipelines, o.pipelines),
    codebuild,
    kmsKeys: union(b.kmsKeys, o.kmsKeys),
    aliases: b.aliases || o.aliases ? union(b.aliases, o.aliases) : undefined,
    // the snapshot's kms/aliases.json lists every alias; the templates' only theirs
    ...(!b.aliases && o.aliasesPartial === true ? { aliasesPartial: true } : {}),
    lambdas: union(
      b.lambdas,
      keepUnwrittenPolicies(
        b.lambdas,
        o.lambdas,
        extras?.policiesWritten.function,
        '/Policy',
        problems,
      ),
    ),
    deploymentGroups: union(b.deploymentGroups, o.deploymentGroups),
    events,
    ecrRepositories: union(b.ecrRepositories, o.ecrRepositories),
    snsTopics: union(
      b.snsTopics,
      keepUnwrittenPolicies(
        b.snsTopics,
        o.snsTopics,
        extras?.policiesWritten.topic,
        '/Attributes/Policy',
        problems,
      ),
    ),
    ...(b.ecsTaskDefinitions || o.ecsTaskDefinitions
      ? { ecsTaskDefinitions: union(b.ecsTaskDefinitions, o.ecsTaskDefinitions) }
      : {}),
    ...(b.ecsServices || o.ecsServices ? { ecsServices: union(b.ecsServices, o.ecsServices) } : {}),
    ...(b.stateMachines || o.stateMachines
      ? { stateMachines: union(b.stateMachines, o.stateMachines) }
      : {}),
    // a snapshot holds no event bus policy (the snapshot format has no file for it): the
    // templates' are the only ones known
    ...(b.eventBuses || o.eventBuses ? { eventBuses: union(b.eventBuses, o.eventBuses) } : {}),
  };
}

/** A policy whose role the templates do not settle: every role of the account may have it. */
function applyToEveryRole(accounts: Map<string, AccountModel>, att: PendingAttachment): boolean {
  const account = accounts.get(att.account);
  const iam = account?.iam;
  if (!account || !iam || !att.inline) return true;
  const inline = att.inline;
  const roles = mapValues(iam.roles, (r) => ({
    ...r,
    inlinePolicies: [...r.inlinePolicies.filter((p) => p !== inline), inline],
  }));
  accounts.set(att.account, { ...account, iam: { ...iam, roles } });
  return true;
}

/** Add a template's policy to a snapshot principal; false when there is no such principal. */
function applyAttachment(accounts: Map<string, AccountModel>, att: PendingAttachment): boolean {
  const account = accounts.get(att.account);
  const iam = account?.iam;
  if (!account || !iam) return false;
  const withPolicy = <T extends RoleModel | UserModel | GroupModel>(p: T): T => {
    const inlinePolicies: InlinePolicyModel[] = att.inline
      ? [...p.inlinePolicies.filter((x) => x.name !== att.inline!.name), att.inline]
      : [...p.inlinePolicies];
    const managedPolicyArns =
      att.managedArn !== undefined && !p.managedPolicyArns.includes(att.managedArn)
        ? [...p.managedPolicyArns, att.managedArn]
        : p.managedPolicyArns;
    return { ...p, inlinePolicies, managedPolicyArns };
  };
  const replace = <T extends RoleModel | UserModel | GroupModel>(
    map: ReadonlyMap<string, T>,
  ): Map<string, T> | undefined => {
    for (const [key, p] of map) {
      if (p.name === att.name) return new Map([...map, [key, withPolicy(p)]]);
    }
    return undefined;
  };
  let next: IamModel | undefined;
  if (att.kind === 'role') {
    const roles = replace(iam.roles);
    if (roles) next = { ...iam, roles };
  } else if (att.kind === 'user') {
    const users = replace(iam.users);
    if (users) next = { ...iam, users };
  } else {
    const groups = replace(iam.groups);
    if (groups) next = { ...iam, groups };
  }
  if (!next) return false;
  accounts.set(att.account, { ...account, iam: next });
  return true;
}

export { isStacksFile } from './stacks.js';
export { isCdkAssembly } from './cdk.js';
