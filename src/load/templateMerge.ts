/**
 * Lay templates over a snapshot: the result is the state after the deploy. What a template
 * defines replaces what the snapshot holds under the same identifier (role ARN or name, bucket,
 * key id, project, pipeline...); what it does not define stays as the snapshot says, including
 * whether it is known to be absent. AWS-managed policy documents come from the snapshot when it
 * holds them, from the managed policy package otherwise.
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
  UserModel,
} from '../model/types.js';
import { templateExtras, type PendingAttachment } from './templateResources.js';

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
  for (const [id, o] of overlay.accounts) {
    const b = base.accounts.get(id);
    accounts.set(id, b ? mergeAccount(b, o, extras?.policyOnlyBuckets, snapshotManaged) : o);
  }
  // policies written for principals the templates do not define
  for (const att of extras?.attachments ?? []) {
    const applied = applyAttachment(accounts, att);
    if (!applied) {
      const where = att.inline?.location;
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
    unresolved: union(base.unresolved, overlay.unresolved),
  };
}

function mergeAccount(
  b: AccountModel,
  o: AccountModel,
  policyOnly: ReadonlySet<string> | undefined,
  snapshotManaged: ReadonlyMap<string, ManagedPolicyModel>,
): AccountModel {
  const buckets = new Map<string, BucketModel>(b.buckets);
  for (const [name, bucket] of o.buckets) {
    const old = b.buckets.get(name);
    // a template that only writes a bucket policy changes only the policy
    buckets.set(name, old && policyOnly?.has(name) ? { ...old, policy: bucket.policy } : bucket);
  }
  const regions = new Map<string, RegionModel>(b.regions);
  for (const [name, r] of o.regions) {
    const old = b.regions.get(name);
    regions.set(name, old ? mergeRegion(old, r) : r);
  }
  return {
    id: b.id,
    iam: mergeIam(b.iam, o.iam, snapshotManaged),
    buckets: byKey(buckets),
    regions: byKey(regions),
  };
}

function mergeIam(
  b: IamModel | undefined,
  o: IamModel | undefined,
  snapshotManaged: ReadonlyMap<string, ManagedPolicyModel>,
): IamModel | undefined {
  const policies = new Map<string, ManagedPolicyModel>(b?.policies ?? []);
  for (const [arn, p] of o?.policies ?? []) {
    // the snapshot's copy of an AWS-managed policy is what the account really sees
    policies.set(arn, p.isAwsManaged ? (snapshotManaged.get(arn) ?? p) : p);
  }
  if (!b) return o && { ...o, policies: byKey(policies) };
  if (!o) return b;
  const roles = new Map<string, RoleModel>();
  const replaced = new Set([...o.roles.values()].map((r) => r.name));
  for (const [arn, r] of b.roles) if (!replaced.has(r.name)) roles.set(arn, r);
  for (const [arn, r] of o.roles) roles.set(arn, r);
  return {
    roles: byKey(roles),
    users: b.users,
    groups: b.groups,
    policies: byKey(policies),
    truncated: b.truncated,
    location: b.location,
  };
}

function mergeRegion(b: RegionModel, o: RegionModel): RegionModel {
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
    lambdas: union(b.lambdas, o.lambdas),
    deploymentGroups: union(b.deploymentGroups, o.deploymentGroups),
    events,
    ecrRepositories: union(b.ecrRepositories, o.ecrRepositories),
    snsTopics: union(b.snsTopics, o.snsTopics),
    ...(b.ecsTaskDefinitions || o.ecsTaskDefinitions
      ? { ecsTaskDefinitions: union(b.ecsTaskDefinitions, o.ecsTaskDefinitions) }
      : {}),
    ...(b.ecsServices || o.ecsServices ? { ecsServices: union(b.ecsServices, o.ecsServices) } : {}),
  };
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
