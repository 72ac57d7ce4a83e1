/**
 * `<account>/iam.json`: the output of `aws iam get-account-authorization-details` (no filter,
 * so roles, users, groups and local + attached AWS-managed policies are all there).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import { joinPointer, type Problem } from '../problems.js';
import type {
  AccountModel,
  GroupModel,
  IamModel,
  InlinePolicyModel,
  Location,
  ManagedPolicyModel,
  RoleModel,
  UserModel,
} from '../model/types.js';
import { parseArn } from '../model/arn.js';
import { LIST_MISSING_PROBLEM, awsManagedPolicyCopy, inputErrorChecker } from '../model/queries.js';
import { snapshotPath } from '../model/snapshotPath.js';
import {
  ARN_SHOWN,
  GROUP_NAME,
  NAME_INVALID,
  PATH_INVALID,
  ROLE_NAME,
  USER_NAME,
  invalidIamPath,
  invalidName,
  shown,
} from './awsNames.js';
import { JsonReader, NEXT_TOKEN, SHAPE_INVALID, describe, type JsonObject } from './jsonReader.js';
import { readJson, sortedMap } from './snapshotFiles.js';
import { compileSnapshotPolicy } from './snapshotPolicy.js';
import { parseJsonOrEncoded } from '../policy/parse.js';
import { sameJson } from './sameJson.js';
import { reportDuplicate } from './snapshotUnknowns.js';

/**
 * A managed policy that principals of `account` use but its iam.json does not list in
 * `Policies`. `pointer` is at the first principal that uses it; `owners` names each one
 * (`\`arn\``, with ` (as its permissions boundary)` for a boundary), in file order.
 */
export interface UnlistedManagedPolicy {
  readonly account: string;
  readonly arn: string;
  readonly file: string;
  readonly pointer: string;
  readonly owners: Set<string>;
}

/**
 * undefined when iam.json is absent (the caller checked) or unreadable (a problem says why).
 * AWS-managed policies used but not listed are added to `unlisted` when given (the caller then
 * calls reportUnlistedManagedPolicies once every account is read), else reported as unknown.
 */
export function loadIam(
  root: string,
  account: string,
  problems: Problem[],
  unlisted?: UnlistedManagedPolicy[],
): IamModel | undefined {
  const file = snapshotPath.iam(account);
  const raw = readJson(root, file, problems);
  if (!raw) return undefined;
  const r = new JsonReader(file, problems);
  const doc = r.object(raw.value, '');
  if (!doc) return undefined;

  // the command without --filter always writes `RoleDetailList`; a file without it is not an
  // account without roles: every role of the account is unknown, not known not to exist
  if (doc['RoleDetailList'] === undefined || doc['RoleDetailList'] === null) {
    r.report(
      '/RoleDetailList',
      'the file has no `RoleDetailList`: the roles of the account are unknown; run the command without `--filter`',
      LIST_MISSING_PROBLEM,
      'warning',
    );
  }

  // IAM names are unique in an account whatever their case, and so are ARNs
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names)
  const seen = new Map<string, Location>();
  const unique = (key: string, what: string, at: Location): boolean => {
    const first = seen.get(key);
    if (first) reportDuplicate(problems, what, first, at);
    else seen.set(key, at);
    return first === undefined;
  };

  const policies = new Map<string, ManagedPolicyModel>();
  for (const { value, pointer } of r.objectList(doc, 'Policies', '')) {
    const p = readManagedPolicy(r, value, pointer, problems);
    if (p && unique(`policy ${p.arn}`, `managed policy \`${p.arn}\``, p.location))
      policies.set(p.arn, p);
  }

  const roles = new Map<string, RoleModel>();
  for (const { value, pointer } of r.objectList(doc, 'RoleDetailList', '')) {
    const role = readRole(r, value, pointer, account, problems);
    if (role && unique(`role ${role.name.toLowerCase()}`, `role \`${role.name}\``, role.location))
      roles.set(role.arn, role);
  }

  const groups = new Map<string, GroupModel>();
  for (const { value, pointer } of r.objectList(doc, 'GroupDetailList', '')) {
    // a name, path or ARN IAM could not have produced: the group is not read, as a role
    const id = readIdentity(r, value, pointer, 'group', account);
    if (!id) continue;
    const { arn, name, path } = id;
    if (!unique(`group ${name.toLowerCase()}`, `group \`${name}\``, { file, pointer })) continue;
    groups.set(arn, {
      kind: 'group',
      arn,
      name,
      path,
      account,
      inlinePolicies: readInline(r, value, 'GroupPolicyList', pointer, arn, problems),
      managedPolicyArns: readAttached(r, value, pointer),
      location: { file, pointer },
    });
  }

  const users = new Map<string, UserModel>();
  for (const { value, pointer } of r.objectList(doc, 'UserDetailList', '')) {
    const id = readIdentity(r, value, pointer, 'user', account);
    if (!id) continue;
    const { arn, name, path } = id;
    if (!unique(`user ${name.toLowerCase()}`, `user \`${name}\``, { file, pointer })) continue;
    users.set(arn, {
      kind: 'user',
      arn,
      name,
      path,
      userId: r.optString(value, 'UserId', pointer),
      account,
      inlinePolicies: readInline(r, value, 'UserPolicyList', pointer, arn, problems),
      managedPolicyArns: readAttached(r, value, pointer),
      groupNames: readGroupList(r, value, pointer),
      boundaryArn: readBoundary(r, value, pointer),
      tags: readTags(r, value, pointer),
      location: { file, pointer },
    });
  }

  // Attached but not listed: unknown input, never an empty policy (snapshot-format.md). One
  // problem per policy, naming every principal that uses it. An AWS-managed one may be in
  // another account's iam.json: the caller settles it once every account is read
  const attached = new Map<string, UnlistedManagedPolicy>();
  const checkAttached = (
    arns: readonly string[],
    owner: { location: { pointer: string }; arn: string },
    boundary = false,
  ): void => {
    for (const arn of arns) {
      if (policies.has(arn)) continue;
      let u = attached.get(arn);
      if (!u) {
        u = { account, arn, file, pointer: owner.location.pointer, owners: new Set() };
        attached.set(arn, u);
      }
      const name = boundary ? `\`${owner.arn}\` (as its permissions boundary)` : `\`${owner.arn}\``;
      u.owners.add(name);
    }
  };
  for (const role of roles.values()) {
    checkAttached(role.managedPolicyArns, role);
    if (role.boundaryArn !== undefined) checkAttached([role.boundaryArn], role, true);
  }
  for (const user of users.values()) {
    checkAttached(user.managedPolicyArns, user);
    if (user.boundaryArn !== undefined) checkAttached([user.boundaryArn], user, true);
  }
  for (const group of groups.values()) checkAttached(group.managedPolicyArns, group);
  for (const u of attached.values()) {
    if (unlisted && parseArn(u.arn)?.account === 'aws') unlisted.push(u);
    else reportUnlisted(problems, u, undefined);
  }

  // the API says `IsTruncated` and gives a `Marker`; the AWS CLI pages through them unless told
  // `--no-paginate`, and writes `NextToken` when `--max-items` cuts the output
  // (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-pagination.html): every list of
  // the file is then partial
  const truncated = r.truncated(
    doc,
    ['IsTruncated', 'Marker', ...NEXT_TOKEN],
    '',
    'principals and policies that are not listed are unknown; run the command without `--max-items` or `--no-paginate`',
  );

  return {
    roles: sortedMap(roles),
    users: sortedMap(users),
    groups: sortedMap(groups),
    policies: sortedMap(policies),
    truncated,
    location: { file, pointer: '' },
  };
}

/** How many principals a problem names before `and N more`. */
const OWNERS_SHOWN = 5;

/**
 * An AWS-managed policy is the same document in every account (its ARN has no account), so one
 * that an iam.json does not list is read from another account's copy, the one model/queries.ts
 * findManagedPolicy reads (awsManagedPolicyCopy: the first account by id whose copy has a known
 * document and no input error): a warning that says where its document comes from. Listed
 * nowhere, or nowhere with a known document: its permissions are unknown.
 */
export function reportUnlistedManagedPolicies(
  accounts: ReadonlyMap<string, AccountModel>,
  unlisted: readonly UnlistedManagedPolicy[],
  problems: Problem[],
): void {
  if (unlisted.length === 0) return;
  const byId = [...accounts.keys()].sort().map((id) => accounts.get(id)!);
  const unreadable = inputErrorChecker(problems);
  for (const u of unlisted) {
    const copy = awsManagedPolicyCopy(byId, u.arn, unreadable);
    reportUnlisted(problems, u, copy, copy !== undefined && !unreadable(copy.location));
  }
}

function reportUnlisted(
  problems: Problem[],
  u: UnlistedManagedPolicy,
  copy: ManagedPolicyModel | undefined,
  readable = false,
): void {
  const sorted = [...u.owners].sort();
  const more = sorted.length - OWNERS_SHOWN;
  const owners =
    more > 0
      ? `${sorted.slice(0, OWNERS_SHOWN).join(', ')} and ${more} more`
      : sorted.length > 1
        ? `${sorted.slice(0, -1).join(', ')} and ${sorted[sorted.length - 1]!}`
        : sorted.join('');
  const head = `managed policy \`${u.arn}\` is attached to ${owners} but not in \`Policies\``;
  const at = copy && `${copy.location.file}#${copy.location.pointer}`;
  const borrowed = readable && copy?.policy !== undefined;
  problems.push({
    file: u.file,
    pointer: u.pointer,
    message: borrowed
      ? `${head}: the document of this AWS-managed policy is read from \`${at!}\`, where another account lists it`
      : copy?.policy !== undefined
        ? `${head}, and its copy at \`${at!}\` could not be read in full: its permissions are unknown`
        : copy
          ? `${head}, and its copy at \`${at!}\` has no known document: its permissions are unknown`
          : `${head}: its permissions are unknown`,
    id: borrowed ? 'snapshot.iam.managed-policy-borrowed' : 'snapshot.iam.managed-policy-missing',
    severity: 'warning',
  });
}

function readRole(
  r: JsonReader,
  o: JsonObject,
  pointer: string,
  account: string,
  problems: Problem[],
): RoleModel | undefined {
  const id = readIdentity(r, o, pointer, 'role', account);
  if (!id) return undefined;
  const { arn, name, path } = id;
  let trustPolicy;
  if (o['AssumeRolePolicyDocument'] === undefined || o['AssumeRolePolicyDocument'] === null) {
    r.report(pointer, 'missing required key `AssumeRolePolicyDocument`', 'snapshot.shape.invalid');
  } else {
    trustPolicy = compileSnapshotPolicy(
      o['AssumeRolePolicyDocument'],
      {
        name: arn,
        policyType: 'trust',
        file: r.file,
        pointer: joinPointer(pointer, 'AssumeRolePolicyDocument'),
      },
      problems,
    );
  }
  return {
    kind: 'role',
    arn,
    name,
    path,
    roleId: r.optString(o, 'RoleId', pointer),
    account,
    trustPolicy,
    inlinePolicies: readInline(r, o, 'RolePolicyList', pointer, arn, problems),
    managedPolicyArns: readAttached(r, o, pointer),
    boundaryArn: readBoundary(r, o, pointer),
    tags: readTags(r, o, pointer),
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
    isServiceLinked: path.startsWith('/aws-service-role/'),
    location: { file: r.file, pointer },
  };
}

/** What an IAM identity is in iam.json: the key of its name, and the rule of that name. */
const IDENTITY = {
  role: { nameKey: 'RoleName', rule: ROLE_NAME },
  user: { nameKey: 'UserName', rule: USER_NAME },
  group: { nameKey: 'GroupName', rule: GROUP_NAME },
} as const;
type IdentityKind = keyof typeof IDENTITY;

/**
 * The ARN, name and path (absent: `/`) of the role, user or group `o` at `pointer`, or undefined
 * when it is not read: an `Arn` or name missing or not a string, or a name, path or ARN IAM could
 * not have produced, each an error at its pointer. Such an element is not read at all, so a
 * lookup of a principal of the account is unknown (the list holds an input error), never absent,
 * and never decided for an identity the file names two ways (awsNames.ts).
 */
function readIdentity(
  r: JsonReader,
  o: JsonObject,
  pointer: string,
  kind: IdentityKind,
  account: string,
): { arn: string; name: string; path: string } | undefined {
  const { nameKey, rule } = IDENTITY[kind];
  const arn = r.reqString(o, 'Arn', pointer);
  const name = r.reqString(o, nameKey, pointer);
  if (arn === undefined || name === undefined) return undefined;
  const badName = invalidName(name, rule);
  if (badName !== undefined) {
    r.report(joinPointer(pointer, nameKey), `${badName}: the ${kind} is not read`, NAME_INVALID);
    return undefined;
  }
  const given = r.optString(o, 'Path', pointer);
  // a path IAM could not have produced: not read, as for its name
  const badPath = given === undefined ? undefined : invalidIamPath(given, kind);
  if (badPath !== undefined) {
    r.report(joinPointer(pointer, 'Path'), `${badPath}: the ${kind} is not read`, PATH_INVALID);
    return undefined;
  }
  // the ARN is the identity's name for trust policies, pipelines, group members and lookups,
  // and its name, path and account say it again: a file where they disagree (hand-edited or
  // pieced together) would analyze it under one of them while a policy names it by the other,
  // so neither is taken on its word and it is not read (a lookup of it is unknown)
  const disagreement = iamArnDisagreement(kind, arn, name, given, account);
  if (disagreement !== undefined) {
    r.report(pointer, `${disagreement}: the ${kind} is not read`, IAM_ARN_MISMATCH);
    return undefined;
  }
  return { arn, name, path: given ?? '/' };
}

/**
 * A user's `GroupList`: the names of its groups. An entry that is not a string, or not a group
 * name IAM could have produced, is an error at the entry and is left out: the user's groups, and
 * so its permissions, are then unknown (a lookup of the user finds the input error in its
 * subtree), never read as the groups that are left.
 */
function readGroupList(r: JsonReader, o: JsonObject, base: string): string[] {
  const out: string[] = [];
  const list = r.optArray(o, 'GroupList', base);
  list?.forEach((item, i) => {
    const at = joinPointer(base, 'GroupList', i);
    if (typeof item !== 'string') {
      r.report(at, `expected a string, got ${describe(item)}`, SHAPE_INVALID);
      return;
    }
    const bad = invalidName(item, GROUP_NAME);
    if (bad !== undefined)
      r.report(at, `${bad}: the user's groups, and so its permissions, are unknown`, NAME_INVALID);
    else out.push(item);
  });
  return out;
}

/**
 * The problem id of a role, user or group whose `Arn` is not the ARN of its name and path in its
 * account.
 */
export const IAM_ARN_MISMATCH = 'snapshot.iam.arn-mismatch';

/**
 * Why `arn` is not the ARN of the `kind` (role, user or group) `name` with the path `path`
 * (absent: `/`) in `account` (the account folder the file is in: loadSnapshot reads only 12-digit
 * folders), or undefined when it is. Such an ARN is
 * `arn:<partition>:iam::<account>:<kind><path><name>`, the Region empty
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 * The partition is not the folder's to say (IAM is global): any is taken.
 */
function iamArnDisagreement(
  kind: IdentityKind,
  arn: string,
  name: string,
  path: string | undefined,
  account: string,
): string | undefined {
  const parsed = parseArn(arn);
  if (
    !parsed ||
    parsed.service !== 'iam' ||
    parsed.region !== '' ||
    !parsed.resource.startsWith(`${kind}/`)
  )
    return `the ${kind} \`Arn\` ${shown(arn, ARN_SHOWN)} is not an IAM ${kind} ARN (\`arn:<partition>:iam::<account>:${kind}<path><name>\`)`;
  const made = `${kind}${path ?? '/'}${name}`;
  const wrong: string[] = [];
  if (parsed.account !== account)
    wrong.push(
      `its account ${shown(parsed.account)} is not that of the account folder, \`${account}\``,
    );
  if (parsed.resource !== made) {
    const p = path === undefined ? 'no `Path` (so `/`)' : `\`Path\` ${shown(path)}`;
    wrong.push(
      `it names ${shown(parsed.resource)} where ${p} and \`${IDENTITY[kind].nameKey}\` ${shown(name)} make ${shown(made)}`,
    );
  }
  return wrong.length === 0
    ? undefined
    : `the ${kind} \`Arn\` ${shown(arn, ARN_SHOWN)} disagrees with the ${kind}: ${wrong.join(', and ')}`;
}

/** Inline policy name for reasons: readable and unique, e.g. `arn:aws:iam::1:role/x (inline: Name)`. */
export function inlinePolicyName(ownerArn: string, policyName: string): string {
  return `${ownerArn} (inline: ${policyName})`;
}

function readInline(
  r: JsonReader,
  o: JsonObject,
  key: string,
  base: string,
  ownerArn: string,
  problems: Problem[],
): InlinePolicyModel[] {
  const out: InlinePolicyModel[] = [];
  for (const { value, pointer } of r.objectList(o, key, base)) {
    const name = r.reqString(value, 'PolicyName', pointer);
    if (name === undefined) continue;
    const docPointer = joinPointer(pointer, 'PolicyDocument');
    const policy = compileSnapshotPolicy(
      value['PolicyDocument'],
      {
        name: inlinePolicyName(ownerArn, name),
        policyType: 'identity',
        file: r.file,
        pointer: docPointer,
      },
      problems,
    );
    out.push({ name, policy, location: { file: r.file, pointer: docPointer } });
  }
  return out;
}

function readAttached(r: JsonReader, o: JsonObject, base: string): string[] {
  const out: string[] = [];
  for (const { value, pointer } of r.objectList(o, 'AttachedManagedPolicies', base)) {
    const arn = r.reqString(value, 'PolicyArn', pointer);
    if (arn !== undefined && !out.includes(arn)) out.push(arn);
  }
  return out;
}

function readBoundary(r: JsonReader, o: JsonObject, base: string): string | undefined {
  const b = r.optObject(o, 'PermissionsBoundary', base);
  return b
    ? r.reqString(b, 'PermissionsBoundaryArn', joinPointer(base, 'PermissionsBoundary'))
    : undefined;
}

function readTags(r: JsonReader, o: JsonObject, base: string): ReadonlyMap<string, string> {
  const tags = new Map<string, string>();
  for (const { value, pointer } of r.objectList(o, 'Tags', base)) {
    const key = r.reqString(value, 'Key', pointer);
    const v = r.optString(value, 'Value', pointer);
    if (key !== undefined) tags.set(key, v ?? '');
  }
  return sortedMap(tags);
}

function readManagedPolicy(
  r: JsonReader,
  o: JsonObject,
  pointer: string,
  problems: Problem[],
): ManagedPolicyModel | undefined {
  const arn = r.reqString(o, 'Arn', pointer);
  if (arn === undefined) return undefined;
  const defaultVersionId = r.optString(o, 'DefaultVersionId', pointer);
  const versions: PolicyVersion[] = [];
  for (const v of r.objectList(o, 'PolicyVersionList', pointer)) {
    versions.push({
      id: r.optString(v.value, 'VersionId', v.pointer),
      isDefault: r.optBool(v.value, 'IsDefaultVersion', v.pointer),
      document: v.value['Document'],
      pointer: v.pointer,
    });
  }
  const compile = (v: PolicyVersion) =>
    compileSnapshotPolicy(
      v.document,
      {
        name: arn,
        policyType: 'identity',
        file: r.file,
        pointer: joinPointer(v.pointer, 'Document'),
      },
      problems,
    );
  const at = (where: string): Location => ({ file: r.file, pointer: where });

  const choice = defaultVersion(r.file, arn, pointer, defaultVersionId, versions);
  if (choice.warning) r.report(choice.at, choice.warning.message, choice.warning.id, 'warning');
  const [first, ...others] = choice.marked ?? [];
  if (first) {
    // which of them is in force is not known; the first is still compiled, so its own problems
    // are reported
    compile(first);
    for (const v of others)
      reportDuplicate(
        problems,
        `the default version of \`${arn}\``,
        at(first.pointer),
        at(v.pointer),
      );
  }
  let policy;
  let documentUnknown: ManagedPolicyModel['documentUnknown'];
  if (choice.use) {
    policy = compile(choice.use);
    // a document that does not compile is why the one in force is unknown, and says where
    if (!policy) {
      const id = choice.use.id;
      documentUnknown = {
        why: `the document of its default version${id !== undefined ? ` ${id}` : ''} could not be read`,
        location: at(joinPointer(choice.use.pointer, 'Document')),
      };
    }
  } else if (choice.why !== undefined) {
    documentUnknown = { why: choice.why, location: at(choice.at) };
  }
  const parsed = parseArn(arn);
  return {
    arn,
    name: r.optString(o, 'PolicyName', pointer) ?? arn.slice(arn.lastIndexOf('/') + 1),
    path: r.optString(o, 'Path', pointer) ?? '/',
    policyId: r.optString(o, 'PolicyId', pointer),
    isAwsManaged: parsed?.account === 'aws',
    defaultVersionId,
    policy,
    ...(documentUnknown ? { documentUnknown } : {}),
    location: at(pointer),
  };
}

/** One entry of a managed policy's `PolicyVersionList`. */
interface PolicyVersion {
  readonly id: string | undefined;
  readonly isDefault: boolean | undefined;
  readonly document: unknown;
  readonly pointer: string;
}

/**
 * What `DefaultVersionId` and the `IsDefaultVersion` marks say of a managed policy's document in
 * force: the version to `use`, or `why` it is unknown; a `warning` says what is wrong with them.
 */
interface DefaultVersion {
  /** the version whose document is in force */
  readonly use?: PolicyVersion;
  /** without `use`: why the document in force is unknown */
  readonly why?: string;
  /** the pointer of the warning and of `why` */
  readonly at: string;
  readonly warning?: { readonly id: string; readonly message: string };
  /** the versions marked as the default, when there are several */
  readonly marked?: readonly PolicyVersion[];
}

const VERSION_CONFLICT = 'snapshot.iam.default-version-conflict';
const VERSION_MISSING = 'snapshot.iam.default-version-missing';

/** The default version of the managed policy `arn` at `pointer` of `file`, as DefaultVersion says. */
function defaultVersion(
  file: string,
  arn: string,
  pointer: string,
  defaultVersionId: string | undefined,
  versions: readonly PolicyVersion[],
): DefaultVersion {
  // where `DefaultVersionId` is in the list, when it is
  const named =
    defaultVersionId === undefined ? undefined : versions.find((v) => v.id === defaultVersionId);
  // the versions marked as the default; a hand-made file without `IsDefaultVersion` is read by
  // `DefaultVersionId`
  const marked = versions.filter(
    (v) =>
      v.isDefault === true ||
      (v.isDefault === undefined && v.id !== undefined && v.id === defaultVersionId),
  );
  const idPointer = joinPointer(pointer, 'DefaultVersionId');
  const first = marked[0];
  if (first && marked.length > 1) {
    // a policy has one default version: which of them is in force is not known
    return {
      why: `${marked.length} versions are marked as the default`,
      at: first.pointer,
      marked,
    };
  }
  if (first && named && named !== first) {
    // `DefaultVersionId` is the policy's own record of its default (operative) version, and
    // `IsDefaultVersion` each version's; GetAccountAuthorizationDetails writes both from one
    // state, so a file where they name two versions was edited or pieced together, and neither
    // is taken on its word (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ManagedPolicyDetail.html,
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html)
    const same = sameDocument(named.document, first.document);
    const both = `\`DefaultVersionId\` of managed policy \`${arn}\` names version \`${defaultVersionId!}\` (\`${file}#${named.pointer}\`), but \`PolicyVersionList\` marks version \`${first.id ?? '?'}\` (\`${file}#${first.pointer}\`) as the default`;
    const warning = {
      id: VERSION_CONFLICT,
      message: same
        ? `${both}: both have the same document, which is used`
        : `${both}: their documents differ, so which is in force, and so its permissions, are unknown`,
    };
    if (same) return { use: named, at: idPointer, warning };
    return {
      why: `DefaultVersionId names version ${defaultVersionId!} but PolicyVersionList marks version ${first.id ?? '?'} as the default`,
      at: idPointer,
      warning,
    };
  }
  if (first && defaultVersionId !== undefined && !named) {
    // the same contradiction, but the version `DefaultVersionId` names is not in the list: its
    // document cannot be compared with the marked one's, so neither is taken on its word and
    // the document in force is unknown (same sources as above)
    return {
      why: `DefaultVersionId names version ${defaultVersionId}, which is not in PolicyVersionList, but PolicyVersionList marks version ${first.id ?? '?'} as the default`,
      at: idPointer,
      warning: {
        id: VERSION_CONFLICT,
        message: `\`DefaultVersionId\` of managed policy \`${arn}\` names version \`${defaultVersionId}\` (\`${file}#${idPointer}\`), which is not in \`PolicyVersionList\`, but \`PolicyVersionList\` marks version \`${first.id ?? '?'}\` (\`${file}#${first.pointer}\`) as the default: the named version's document is absent, so which is in force, and so its permissions, are unknown`,
      },
    };
  }
  if (first) return { use: first, at: first.pointer };
  if (defaultVersionId !== undefined && !named) {
    // the policy is listed; it is the document in force that is unknown, and the message says
    // which version that is when `DefaultVersionId` names it
    return {
      why: `default version ${defaultVersionId} is not in PolicyVersionList`,
      at: idPointer,
      warning: {
        id: VERSION_MISSING,
        message: `the default version \`${defaultVersionId}\` of managed policy \`${arn}\` is not in \`PolicyVersionList\`: its document, and so its permissions, are unknown`,
      },
    };
  }
  if (named) {
    return {
      why: `DefaultVersionId names version ${defaultVersionId!}, which PolicyVersionList marks as not the default`,
      at: joinPointer(named.pointer, 'IsDefaultVersion'),
      warning: {
        id: VERSION_MISSING,
        message: `\`DefaultVersionId\` of managed policy \`${arn}\` names version \`${defaultVersionId!}\`, but \`PolicyVersionList\` marks it as not the default: which document is in force, and so its permissions, are unknown`,
      },
    };
  }
  return {
    why: 'no DefaultVersionId and no version in PolicyVersionList marked IsDefaultVersion',
    at: pointer,
    warning: {
      id: VERSION_MISSING,
      message: `managed policy \`${arn}\` has no \`DefaultVersionId\` and no version in \`PolicyVersionList\` marked \`IsDefaultVersion\`: its document, and so its permissions, are unknown`,
    },
  };
}

/**
 * Do two policy documents say the same? Each may be an object, a JSON string or a URL-encoded
 * JSON string (snapshot-format.md); they are compared as JSON values (key order aside). One
 * that cannot be decoded is not the same as anything.
 */
function sameDocument(a: unknown, b: unknown): boolean {
  const x = decodedDocument(a);
  const y = decodedDocument(b);
  return x !== undefined && y !== undefined && sameJson(x, y, MAX_COMPARED_DEPTH);
}

function decodedDocument(d: unknown): unknown {
  if (typeof d !== 'string') return d ?? undefined;
  const read = parseJsonOrEncoded(d.charCodeAt(0) === 0xfeff ? d.slice(1) : d);
  return read.ok ? read.value : undefined;
}

/** Deeper than this, two documents are not taken for the same (a hostile nesting). */
const MAX_COMPARED_DEPTH = 64;
