/**
 * `organization/`: describe-organization, the flattened list-parents map, list-accounts and
 * one file per SCP / RCP (describe-policy merged with list-targets-for-policy).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html
 */
import { join } from 'node:path';
import { joinPointer, type Problem } from '../problems.js';
import { shown } from './awsNames.js';
import { snapshotPath } from '../model/snapshotPath.js';
import type {
  Location,
  OrgAccountModel,
  OrganizationModel,
  OrgPolicyModel,
} from '../model/types.js';
import { JsonReader, NEXT_TOKEN, describe, type JsonObject } from './jsonReader.js';
import {
  compareNames,
  jsonBaseName,
  listDir,
  readJson,
  reportJsonExtensionCase,
  reportNameCase,
  sortedMap,
} from './snapshotFiles.js';
import { compileSnapshotPolicy } from './snapshotPolicy.js';
import { reportDuplicate } from './snapshotUnknowns.js';

/** The name reasons use for an SCP or RCP: `<policy id> (<name>)`. */
export function orgPolicyName(id: string, name: string | undefined): string {
  return name === undefined ? id : `${id} (${name})`;
}

/** The files of organization/ (snapshot-format.md). */
const ORG_FILES: ReadonlySet<string> = new Set([
  'describe-organization.json',
  'parents.json',
  'accounts.json',
]);

export function loadOrganization(root: string, problems: Problem[]): OrganizationModel {
  const entries = listDir(join(root, 'organization'));
  const hasFile = (name: string): boolean => entries.some((e) => e.name === name && e.isFile);
  const hasDir = (name: string): boolean => entries.some((e) => e.name === name && e.isDir);
  reportNameCase(entries, 'organization', [...ORG_FILES, 'scp', 'rcp'], problems);
  // a folder where a file belongs (or the reverse): an input error, and what it would hold is
  // unknown, as without it (it was read as absent in silence)
  for (const e of entries) {
    const wantsFile = ORG_FILES.has(e.name);
    if (!wantsFile && e.name !== 'scp' && e.name !== 'rcp') continue;
    if (wantsFile ? e.isFile : e.isDir) continue;
    problems.push({
      file: `organization/${e.name}`,
      pointer: '',
      message: wantsFile
        ? e.isDir
          ? 'is a directory, not a file'
          : 'cannot be read (not a file)'
        : 'is not a directory: its policies are not read',
      id: 'snapshot.file.unreadable',
      severity: 'error',
    });
  }

  let id: string | undefined;
  let arn: string | undefined;
  let managementAccountId: string | undefined;
  let featureSet: string | undefined;
  const describeLoaded = hasFile('describe-organization.json');
  if (describeLoaded) {
    const opened = open(root, snapshotPath.orgDescribe, problems, false);
    const org = opened && opened.r.reqObject(opened.doc, 'Organization', '');
    if (opened && org) {
      const r = opened.r;
      id = r.optString(org, 'Id', '/Organization');
      arn = r.optString(org, 'Arn', '/Organization');
      managementAccountId = r.optString(org, 'MasterAccountId', '/Organization');
      featureSet = r.optString(org, 'FeatureSet', '/Organization');
    }
  }

  const parents = new Map<string, string>();
  const parentsLoaded = hasFile('parents.json');
  if (parentsLoaded) {
    const opened = open(root, snapshotPath.orgParents, problems, false);
    if (opened) {
      for (const child of Object.keys(opened.doc).sort(compareNames)) {
        const parent = opened.doc[child];
        if (!CHILD_ID.test(child)) {
          opened.r.report(
            joinPointer('', child),
            `expected an account id (12 digits) or an OU id (\`ou-...\`) as the key, got ${shown(child)}`,
            'snapshot.organization.id-invalid',
          );
        } else if (typeof parent === 'string' && !PARENT_ID.test(parent)) {
          opened.r.report(
            joinPointer('', child),
            `expected a root id (\`r-...\`) or an OU id (\`ou-...\`) as the parent, got ${shown(parent)}`,
            'snapshot.organization.id-invalid',
          );
        } else if (typeof parent === 'string') parents.set(child, parent);
        else {
          opened.r.report(
            joinPointer('', child),
            `expected a string (the parent id), got ${describe(parent)}`,
            'snapshot.shape.invalid',
          );
        }
      }
      reportCycles(opened.r, parents);
    }
  }

  const accounts = new Map<string, OrgAccountModel>();
  const accountsLoaded = hasFile('accounts.json');
  if (accountsLoaded) {
    const opened = open(root, snapshotPath.orgAccounts, problems, false);
    if (opened) {
      const { r, doc } = opened;
      if (doc['Accounts'] === undefined)
        r.report('', 'missing required key `Accounts`', 'snapshot.shape.invalid');
      // not an empty list: which accounts are members is not known (read as none, every account
      // was outside the organization and no SCP applied)
      else if (doc['Accounts'] === null)
        r.report('/Accounts', 'expected an array, got null', 'snapshot.shape.invalid');
      // https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
      r.truncated(
        doc,
        NEXT_TOKEN,
        '/Accounts',
        'an account not listed is unknown, not outside the organization; run `aws organizations list-accounts` without `--max-items` or `--no-paginate`',
      );
      for (const { value, pointer } of r.objectList(doc, 'Accounts', '')) {
        const accountId = r.reqString(value, 'Id', pointer);
        if (accountId === undefined || accounts.has(accountId)) continue;
        // Email is not read: it is personal data the analysis never needs
        accounts.set(accountId, {
          id: accountId,
          name: r.optString(value, 'Name', pointer),
          status: r.optString(value, 'Status', pointer),
          location: { file: r.file, pointer },
        });
      }
    }
  }

  const scpLoaded = hasDir('scp');
  const rcpLoaded = hasDir('rcp');
  const scps = scpLoaded ? loadPolicies(root, 'scp', problems) : [];
  const rcps = rcpLoaded ? loadPolicies(root, 'rcp', problems) : [];

  const rootIds = new Set<string>();
  for (const parent of parents.values()) if (parent.startsWith('r-')) rootIds.add(parent);
  for (const p of [...scps, ...rcps]) {
    for (const t of p.rootTargets) rootIds.add(t);
  }

  return {
    id,
    arn,
    managementAccountId,
    featureSet,
    rootIds: [...rootIds].sort(compareNames),
    parents: sortedMap(parents),
    accounts: sortedMap(accounts),
    scps: scps.map((p) => p.model),
    rcps: rcps.map((p) => p.model),
    loaded: {
      describe: describeLoaded,
      parents: parentsLoaded,
      accounts: accountsLoaded,
      scp: scpLoaded,
      rcp: rcpLoaded,
    },
  };
}

/**
 * The ids list-parents takes and gives: a child is an account (12 digits) or an OU, a parent a
 * root or an OU (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html:
 * `r-` and `ou-` ids of lower-case letters, digits and `-`). Checked loosely (any length), so
 * hand-written snapshots with short made-up ids still load; what is refused is not an id at all.
 */
const CHILD_ID = /^(?:\d{12}|ou-[0-9a-z][0-9a-z-]*)$/;
const PARENT_ID = /^(?:r|ou)-[0-9a-z][0-9a-z-]*$/;

/**
 * `holdsPolicies`: the file holds a policy document (an SCP or RCP file), so a member name
 * written twice makes only what holds it unknown; describe-organization, parents and accounts
 * hold none, and one with a member written twice is not read at all (a second MasterAccountId
 * or parent would be read as the last, which may exempt an account from every SCP).
 */
function open(
  root: string,
  file: string,
  problems: Problem[],
  holdsPolicies: boolean,
): { r: JsonReader; doc: JsonObject } | undefined {
  const raw = readJson(root, file, problems, holdsPolicies);
  if (!raw) return undefined;
  const r = new JsonReader(file, problems);
  const doc = r.object(raw.value, '');
  return doc ? { r, doc } : undefined;
}

/** A parent chain that loops would make every level computation meaningless: say so once. */
function reportCycles(r: JsonReader, parents: ReadonlyMap<string, string>): void {
  // each id is walked once (a chain of n OUs takes n steps, not n squared: a hostile
  // parents.json of 40,000 entries made every start walk the whole chain): `done` holds the ids
  // whose chain is known to end or to loop
  const done = new Set<string>();
  for (const start of parents.keys()) {
    if (done.has(start)) continue;
    const path = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && !path.has(current)) {
      path.add(current);
      current = parents.get(current);
    }
    // back to an id of this walk: a loop, reported once at the first id met again
    if (current !== undefined && path.has(current))
      r.report(
        joinPointer('', current),
        `the parent chain of \`${current}\` loops back to itself`,
        'snapshot.organization.parents-cycle',
      );
    for (const id of path) done.add(id);
  }
}

function loadPolicies(
  root: string,
  kind: 'scp' | 'rcp',
  problems: Problem[],
): { model: OrgPolicyModel; rootTargets: string[] }[] {
  interface Read {
    file: string;
    r: JsonReader;
    doc: JsonObject;
    policy: JsonObject | undefined;
    id: string;
    name: string | undefined;
    summary: JsonObject | undefined;
    idAt: Location;
  }
  const read: Read[] = [];
  const first = new Map<string, Read>();
  const copies = new Set<string>();
  // The folder is read as the full set of policies, so a `.json` entry that cannot be read (not
  // a regular file, a dangling link, not JSON, not an object) is a policy that is there but not
  // known: it may deny anything at any level, so links it could decide are Unknown. Skipping it
  // read the remaining set as complete, and what it denies as allowed.
  const unreadable: { model: OrgPolicyModel; rootTargets: string[] }[] = [];
  const unknownPolicy = (fileId: string, file: string): void => {
    unreadable.push({
      model: {
        id: fileId,
        name: undefined,
        arn: undefined,
        awsManaged: undefined,
        policy: undefined,
        targets: undefined,
        location: { file, pointer: '' },
      },
      rootTargets: [],
    });
  };
  for (const e of listDir(join(root, 'organization', kind))) {
    const fileId = jsonBaseName(e.name);
    if (fileId === undefined) {
      reportJsonExtensionCase(e, `organization/${kind}/${e.name}`, problems);
      continue;
    }
    const file = kind === 'scp' ? snapshotPath.orgScp(fileId) : snapshotPath.orgRcp(fileId);
    if (!e.isFile) {
      problems.push({
        file,
        pointer: '',
        message: `not a readable regular file: the ${kind === 'scp' ? 'SCP' : 'RCP'} it holds cannot be known`,
        id: 'snapshot.file.unreadable',
        severity: 'error',
      });
      unknownPolicy(fileId, file);
      continue;
    }
    const opened = open(root, file, problems, true);
    if (!opened) {
      unknownPolicy(fileId, file);
      continue;
    }
    const { r, doc } = opened;
    const policy = r.reqObject(doc, 'Policy', '');
    const summary = policy && r.optObject(policy, 'PolicySummary', '/Policy');
    const sp = '/Policy/PolicySummary';
    const summaryId = summary && r.optString(summary, 'Id', sp);
    const id = summaryId ?? fileId;
    const p: Read = {
      file,
      r,
      doc,
      policy,
      id,
      name: summary && r.optString(summary, 'Name', sp),
      summary,
      idAt: { file, pointer: summaryId !== undefined ? `${sp}/Id` : '/Policy' },
    };
    const earlier = first.get(id);
    if (earlier) {
      // Two files for one policy: one is stale, and which is not known. A guardrail only takes
      // permissions away, so applying both can only turn an allow into a deny, never the reverse
      // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html)
      reportDuplicate(
        problems,
        `${kind} \`${id}\``,
        earlier.idAt,
        p.idAt,
        `both copies are applied, since ${kind === 'scp' ? 'an scp' : 'an rcp'} only takes permissions away`,
      );
      copies.add(id);
    } else first.set(id, p);
    read.push(p);
  }

  const out: { model: OrgPolicyModel; rootTargets: string[] }[] = [];
  for (const { file, r, doc, policy, id, name, summary } of read) {
    const sp = '/Policy/PolicySummary';
    // copies of one id keep apart in reasons: each names its file
    const label = copies.has(id)
      ? `${orgPolicyName(id, name)} in ${file}`
      : orgPolicyName(id, name);
    let compiled;
    if (policy && (policy['Content'] === undefined || policy['Content'] === null)) {
      r.report('/Policy', 'missing required key `Content`', 'snapshot.shape.invalid');
    } else if (policy) {
      compiled = compileSnapshotPolicy(
        policy['Content'],
        { name: label, policyType: kind, file, pointer: '/Policy/Content' },
        problems,
      );
    }
    let targets: string[] | undefined;
    const rootTargets: string[] = [];
    if (doc['Targets'] !== undefined && doc['Targets'] !== null) {
      // https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html
      r.truncated(
        doc,
        NEXT_TOKEN,
        '/Targets',
        'a target not listed is unknown, so the policy may apply at any level; merge every page of `aws organizations list-targets-for-policy`',
      );
      targets = [];
      for (const t of r.objectList(doc, 'Targets', '')) {
        const targetId = r.reqString(t.value, 'TargetId', t.pointer);
        if (targetId === undefined) continue;
        targets.push(targetId);
        if (r.optString(t.value, 'Type', t.pointer) === 'ROOT') rootTargets.push(targetId);
      }
      targets.sort(compareNames);
    } else {
      r.report(
        '',
        'the policy file has no `Targets`: where it is attached is unknown; merge `aws organizations list-targets-for-policy`',
        'snapshot.organization.targets-missing',
        'warning',
      );
    }
    out.push({
      model: {
        id,
        name,
        arn: summary && r.optString(summary, 'Arn', sp),
        awsManaged: summary && r.optBool(summary, 'AwsManaged', sp),
        policy: compiled,
        targets,
        location: { file, pointer: '/Policy/Content' },
      },
      rootTargets,
    });
  }
  return [...out, ...unreadable];
}
