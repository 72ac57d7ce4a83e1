/**
 * The pure half of the crawler: what was read (SDK output objects, tagged by kind) → the
 * snapshot's files (relative path + JSON text), exactly as /work/shared/snapshot-format.md lays
 * them out and as the AWS CLI would print them. No I/O; deterministic (files sorted by path,
 * keys sorted, lists AWS returns in no meaningful order sorted by their natural id).
 */
import type { CallKey } from './calls.js';
import { isObject } from '../load/jsonReader.js';
import { decodeIamPolicyDocuments, renderJsonFile } from './cliJson.js';
import {
  redactCodeBuildProject,
  redactEventTarget,
  redactLambdaConfiguration,
  redactPipeline,
} from './redact.js';

type Obj = Record<string, unknown>;

export type OrgPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

/**
 * A folder the snapshot must hold even when it is empty, because its presence is knowledge:
 * `organization/` (there is an organization, though describe-organization could not be read) and
 * `organization/scp/` / `organization/rcp/` (every policy of the type was listed: an empty folder
 * says there is none). The loader reads a folder that is there as the full set and a missing
 * one as unknown (src/load/snapshotOrganization.ts).
 */
export type SnapshotFolder = 'organization' | 'organization/scp' | 'organization/rcp';

/** One thing the crawler read; SDK output objects are kept as the SDK returned them. */
export type CrawlRecord =
  | { readonly kind: 'folder'; readonly path: SnapshotFolder }
  /**
   * A file (or a whole folder, WHOLE_FOLDERS) this crawl is responsible for, whose data it read
   * as conflicting or incomplete, so it writes none: an earlier crawl's copy (with --merge) is
   * removed, since `analyze` would read it as current (writeSnapshotFiles). The crawl records the
   * failure that says why.
   */
  | { readonly kind: 'withheld'; readonly path: string }
  | { readonly kind: 'organization'; readonly output: unknown }
  | { readonly kind: 'organization-accounts'; readonly accounts: readonly unknown[] }
  | { readonly kind: 'organization-parents'; readonly parents: Readonly<Record<string, string>> }
  | {
      readonly kind: 'organization-policy';
      readonly policyType: OrgPolicyType;
      readonly policyId: string;
      /** describe-policy's `Policy` */
      readonly policy: unknown;
      /** list-targets-for-policy's `Targets`, all pages */
      readonly targets: readonly unknown[];
    }
  | {
      readonly kind: 'iam';
      readonly account: string;
      /** get-account-authorization-details, every page */
      readonly pages: readonly unknown[];
    }
  | {
      readonly kind: 'bucket';
      readonly account: string;
      readonly bucket: string;
      /** the policy text; null when the bucket has none (NoSuchBucketPolicy) */
      readonly policy: string | null;
      /** get-bucket-location output; undefined when it could not be read */
      readonly location?: unknown;
      readonly publicAccessBlock?: unknown;
      readonly ownershipControls?: unknown;
      readonly encryption?: unknown;
    }
  | {
      readonly kind: 'pipeline';
      readonly account: string;
      readonly region: string;
      readonly output: unknown;
    }
  | {
      readonly kind: 'codebuild';
      readonly account: string;
      readonly region: string;
      /** batch-get-projects outputs, one per batch of up to 100 names */
      readonly outputs: readonly unknown[];
    }
  | {
      readonly kind: 'kms-key';
      readonly account: string;
      readonly region: string;
      readonly metadata: unknown;
      readonly policy: string | undefined;
      /**
       * list-grants, all pages; `'unknown'` when it could not be read (written as a list-grants
       * output cut short, which the loader reads as "the grants are unknown")
       */
      readonly grants: readonly unknown[] | 'unknown';
    }
  | {
      readonly kind: 'kms-aliases';
      readonly account: string;
      readonly region: string;
      readonly aliases: readonly unknown[];
    }
  | {
      readonly kind: 'lambda';
      readonly account: string;
      readonly region: string;
      readonly name: string;
      /** get-function-configuration output (a FunctionConfiguration) */
      readonly output: unknown;
      /** get-policy's `Policy`; null when the function has none */
      readonly policy: string | null;
    }
  | {
      readonly kind: 'codedeploy';
      readonly account: string;
      readonly region: string;
      readonly application: string;
      readonly group: string;
      readonly output: unknown;
    }
  | {
      readonly kind: 'events';
      readonly account: string;
      readonly region: string;
      readonly rules: readonly unknown[];
      readonly targets: Readonly<Record<string, readonly unknown[]>>;
    }
  | {
      readonly kind: 'ecr';
      readonly account: string;
      readonly region: string;
      readonly repository: string;
      /** get-repository-policy output; null when the repository has no policy */
      readonly output: unknown;
    }
  | {
      readonly kind: 'sns';
      readonly account: string;
      readonly region: string;
      readonly topic: string;
      readonly attributes: unknown;
    };

/** A record that is written as a file. */
type FileRecord = Exclude<CrawlRecord, { kind: 'folder' | 'withheld' }>;

export interface SnapshotFile {
  /** relative, `/`-separated */
  readonly path: string;
  readonly content: string;
}

/**
 * The folders `analyze` reads as the complete set of their policies
 * (src/load/snapshotOrganization.ts): a policy left out may be the one that denies, so a folder
 * is written with every file of it or not at all.
 */
const WHOLE_FOLDERS = ['organization/scp', 'organization/rcp'] as const;

/** The folder `path` is or is in that is written whole (WHOLE_FOLDERS), or undefined. */
export function wholeFolderOf(path: string): (typeof WHOLE_FOLDERS)[number] | undefined {
  return WHOLE_FOLDERS.find((w) => isAtOrUnder(path, w));
}

/**
 * What is left out of the snapshot when `path` is: its whole folder when it is in one (the rest
 * of it alone would read as the full set), else the path itself. The one place of that rule:
 * planSnapshotFiles and writeSnapshotFiles both use it.
 */
export function leftOutWith(path: string): string {
  return wholeFolderOf(path) ?? path;
}

/** Whether `path` is `folder` or a path inside it. */
function isAtOrUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/**
 * One path segment from an AWS name: names cannot normally hold `/` (ECR repository names can,
 * and are split into folders first), but a snapshot must never escape its folder, so `/`, `\`,
 * `%`, control characters and the names `.`/`..` are percent-encoded.
 */
export function safeSegment(name: string): string {
  // eslint-disable-next-line no-control-regex
  const encoded = name.replace(/[%/\\\u0000-\u001f\u007f]/g, (c) => {
    return '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
  });
  if (encoded === '' || encoded === '.' || encoded === '..') {
    return encoded.replace(/\./g, '%2E') || '%00';
  }
  return encoded;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function sortBy(items: readonly unknown[], key: string): unknown[] {
  return [...items].sort((a, b) => {
    const x = str(obj(a)[key]);
    const y = str(obj(b)[key]);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function regional(r: { account: string; region: string }, ...rest: string[]): string {
  return [r.account, safeSegment(r.region), ...rest].join('/');
}

/** `<account>/<region>/lambda/<name>.json`: the one file of a function, however it is qualified. */
export function lambdaPath(place: { account: string; region: string }, name: string): string {
  return regional(place, 'lambda', `${safeSegment(name)}.json`);
}

/** get-account-authorization-details pages merged as the CLI's auto-pagination merges them. */
function mergeIamPages(pages: readonly unknown[]): Obj {
  const lists: Record<string, { key: string; items: unknown[] }> = {
    UserDetailList: { key: 'UserName', items: [] },
    GroupDetailList: { key: 'GroupName', items: [] },
    RoleDetailList: { key: 'RoleName', items: [] },
    Policies: { key: 'Arn', items: [] },
  };
  for (const page of pages) {
    for (const [name, list] of Object.entries(lists)) list.items.push(...arr(obj(page)[name]));
  }
  // when and where a role was last used changes with every use (the crawl's own AssumeRole of its
  // audit role included), so two crawls of an unchanged account would differ; `analyze` does not
  // read it (https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleLastUsed.html)
  lists['RoleDetailList']!.items = lists['RoleDetailList']!.items.map((role) => {
    if (!isObject(role) || !('RoleLastUsed' in role)) return role;
    const { RoleLastUsed: _lastUsed, ...rest } = role;
    return rest;
  });
  const out: Obj = {};
  for (const [name, list] of Object.entries(lists)) out[name] = sortBy(list.items, list.key);
  return decodeIamPolicyDocuments(out) as Obj;
}

function fileOf(record: FileRecord): {
  path: string;
  value: unknown;
} {
  switch (record.kind) {
    case 'organization':
      return { path: 'organization/describe-organization.json', value: record.output };
    case 'organization-accounts':
      return {
        path: 'organization/accounts.json',
        value: { Accounts: sortBy(record.accounts, 'Id') },
      };
    case 'organization-parents':
      return { path: 'organization/parents.json', value: record.parents };
    case 'organization-policy': {
      const folder = record.policyType === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp';
      return {
        path: `organization/${folder}/${safeSegment(record.policyId)}.json`,
        value: { Policy: record.policy, Targets: sortBy(record.targets, 'TargetId') },
      };
    }
    case 'iam':
      return { path: `${record.account}/iam.json`, value: mergeIamPages(record.pages) };
    case 'bucket': {
      const value: Obj = {};
      if (record.policy !== null) value['Policy'] = record.policy;
      if (record.location !== undefined) {
        // us-east-1 buckets have no location constraint; the CLI prints null for it
        const lc = obj(record.location)['LocationConstraint'];
        value['LocationConstraint'] = typeof lc === 'string' && lc !== '' ? lc : null;
      }
      const merge = (output: unknown, key: string): void => {
        if (output !== undefined && obj(output)[key] !== undefined) value[key] = obj(output)[key];
      };
      merge(record.publicAccessBlock, 'PublicAccessBlockConfiguration');
      merge(record.ownershipControls, 'OwnershipControls');
      merge(record.encryption, 'ServerSideEncryptionConfiguration');
      return { path: `${record.account}/s3/${safeSegment(record.bucket)}.json`, value };
    }
    case 'pipeline': {
      const out = obj(record.output);
      const name = str(obj(out['pipeline'])['name']);
      const value = redactPipeline({ pipeline: out['pipeline'], metadata: out['metadata'] });
      return { path: regional(record, 'codepipeline', `${safeSegment(name)}.json`), value };
    }
    case 'codebuild': {
      const projects = record.outputs.flatMap((o) => arr(obj(o)['projects']));
      const notFound = record.outputs.flatMap((o) => arr(obj(o)['projectsNotFound']));
      return {
        path: regional(record, 'codebuild.json'),
        value: {
          projects: sortBy(projects, 'name').map(redactCodeBuildProject),
          projectsNotFound: notFound.map(String).sort(),
        },
      };
    }
    case 'kms-key': {
      const value: Obj = { KeyMetadata: record.metadata };
      if (record.policy !== undefined) value['Policy'] = record.policy;
      // A key without its grants is not a key without grants: a grant alone can allow an
      // operation (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html). The
      // snapshot says so as list-grants does when there is more to read, `Truncated: true`
      // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html), which the
      // loader reads as unknown grants; a file without `Grants` would mean "no grants".
      if (record.grants === 'unknown') {
        value['Grants'] = [];
        value['Truncated'] = true;
      } else value['Grants'] = sortBy(record.grants, 'GrantId');
      const keyId = str(obj(record.metadata)['KeyId']);
      return { path: regional(record, 'kms', `${safeSegment(keyId)}.json`), value };
    }
    case 'kms-aliases':
      return {
        path: regional(record, 'kms', 'aliases.json'),
        value: { Aliases: sortBy(record.aliases, 'AliasName') },
      };
    case 'lambda': {
      // get-function-configuration's output is get-function's `Configuration`, as the snapshot
      // format lays the file out; the SDK's `$metadata` is not part of it
      const { $metadata: _metadata, ...config } = obj(record.output);
      const value: Obj = { Configuration: redactLambdaConfiguration(config) };
      if (record.policy !== null) value['Policy'] = record.policy;
      return { path: lambdaPath(record, record.name), value };
    }
    case 'codedeploy':
      return {
        path: regional(
          record,
          'codedeploy',
          `${safeSegment(record.application)}.${safeSegment(record.group)}.json`,
        ),
        value: { deploymentGroupInfo: obj(record.output)['deploymentGroupInfo'] },
      };
    case 'events': {
      const targets: Obj = {};
      for (const name of Object.keys(record.targets).sort()) {
        targets[name] = sortBy(record.targets[name] ?? [], 'Id').map(redactEventTarget);
      }
      return {
        path: regional(record, 'events.json'),
        value: { Rules: sortBy(record.rules, 'Name'), Targets: targets },
      };
    }
    case 'ecr': {
      const out = obj(record.output);
      const value: Obj = {};
      for (const key of ['registryId', 'repositoryName', 'policyText']) {
        if (out[key] !== undefined) value[key] = out[key];
      }
      // a repository name may hold `/` (`team/app`): one folder per part, as the contract lays it
      // out and the loader walks it (the name is the path under ecr/ when the file has none)
      const parts = record.repository.split('/').map(safeSegment);
      return { path: `${regional(record, 'ecr', ...parts)}.json`, value };
    }
    case 'sns':
      return {
        path: regional(record, 'sns', `${safeSegment(record.topic)}.json`),
        value: { Attributes: record.attributes },
      };
  }
}

/**
 * The longest file or folder name most file systems take, in bytes of UTF-8 (NAME_MAX on Linux
 * and macOS). An SNS topic name may have 256 characters
 * (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html), and an ECR repository name
 * part nearly as many: such a file cannot be written, and is left out (unknown) rather than
 * stop the whole snapshot.
 */
export const MAX_NAME_BYTES = 255;

/** A file of the snapshot that is not written, and why (the crawl lists it as a failure). */
interface DroppedFile {
  readonly path: string;
  /** what would have gone there: two or more for a collision */
  readonly records: readonly FileRecord[];
  readonly reason: 'collision' | 'name-too-long';
}

/**
 * What makes two records the same thing, where two different things can map to one file name:
 * CodeDeploy's `<app>.<group>.json` (`web.api` + `prod` and `web` + `api.prod`). Elsewhere the
 * name is the thing's own id (records of one path are one thing, read twice).
 */
function identityOf(record: FileRecord): string | undefined {
  return record.kind === 'codedeploy'
    ? JSON.stringify([record.application, record.group])
    : undefined;
}

/**
 * Map what was read to the snapshot's files, sorted by path; a path two different things map to
 * (identityOf) is written for neither, since which one it holds could not be told and the other
 * would read as the same, and a path with a name too long to write (MAX_NAME_BYTES) is left out.
 * `withheld`: every path the crawl leaves out on purpose, sorted: those two kinds and the
 * `withheld` records, each as leftOutWith says (a dropped file of `organization/scp/` or `rcp/`
 * withholds the folder, which is read as the full set); nothing in them is written, and with
 * --merge an earlier copy of them is removed (writeSnapshotFiles).
 */
export function planSnapshotFiles(records: readonly CrawlRecord[]): {
  files: SnapshotFile[];
  folders: SnapshotFolder[];
  dropped: DroppedFile[];
  withheld: string[];
} {
  const byPath = new Map<
    string,
    { value: unknown; records: FileRecord[]; identities: Set<string> }
  >();
  const withheld = new Set<string>();
  for (const record of records) {
    if (record.kind === 'folder') continue;
    if (record.kind === 'withheld') {
      withheld.add(leftOutWith(record.path));
      continue;
    }
    const { path, value } = fileOf(record);
    const entry = byPath.get(path) ?? { value, records: [], identities: new Set<string>() };
    entry.value = value;
    const identity = identityOf(record) ?? path;
    if (!entry.identities.has(identity)) entry.records.push(record);
    entry.identities.add(identity);
    byPath.set(path, entry);
  }
  const files: SnapshotFile[] = [];
  const dropped: DroppedFile[] = [];
  for (const [path, entry] of byPath) {
    const tooLong = path.split('/').some((n) => Buffer.byteLength(n, 'utf8') > MAX_NAME_BYTES);
    if (entry.identities.size > 1) {
      // in the order of their identities, not of the calls' completion
      const key = (r: (typeof entry.records)[number]): string => identityOf(r) ?? path;
      const sorted = [...entry.records].sort((a, b) => (key(a) < key(b) ? -1 : 1));
      dropped.push({ path, records: sorted, reason: 'collision' });
    } else if (tooLong) dropped.push({ path, records: entry.records, reason: 'name-too-long' });
    else files.push({ path, content: renderJsonFile(entry.value) });
  }
  for (const d of dropped) withheld.add(leftOutWith(d.path));
  // what is withheld is not written, even when something else of it was read
  const isWithheld = (path: string): boolean => [...withheld].some((w) => isAtOrUnder(path, w));
  const byName = (a: { path: string }, b: { path: string }): number =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  return {
    files: files.filter((f) => !isWithheld(f.path)).sort(byName),
    folders: buildSnapshotFolders(records).filter((f) => !isWithheld(f)),
    dropped: dropped.sort(byName),
    withheld: [...withheld].sort(),
  };
}

/** Map what was read to the snapshot's files, sorted by path (planSnapshotFiles' files). */
export function buildSnapshotFiles(records: readonly CrawlRecord[]): SnapshotFile[] {
  return planSnapshotFiles(records).files;
}

/** The call that read a record, where, and what it is: for the failure of a dropped file. */
export function describeRecord(record: FileRecord): {
  call: CallKey;
  account: string;
  region: string;
  subject: string;
} {
  const at = (call: CallKey, subject: string, account = '', region = '') => ({
    call,
    account,
    region,
    subject,
  });
  switch (record.kind) {
    case 'organization':
      return at('organizations.DescribeOrganization', 'the organization');
    case 'organization-accounts':
      return at('organizations.ListAccounts', 'the organization accounts');
    case 'organization-parents':
      return at('organizations.ListChildren', 'the organization tree');
    case 'organization-policy':
      return at('organizations.DescribePolicy', `policy \`${record.policyId}\``);
    case 'iam':
      return at(
        'iam.GetAccountAuthorizationDetails',
        `authorization details of account \`${record.account}\``,
        record.account,
      );
    case 'bucket':
      return at('s3.GetBucketPolicy', `bucket \`${record.bucket}\``, record.account);
    case 'pipeline':
      return at(
        'codepipeline.GetPipeline',
        `pipeline \`${str(obj(obj(record.output)['pipeline'])['name'])}\``,
        record.account,
        record.region,
      );
    case 'codebuild':
      return at('codebuild.BatchGetProjects', 'CodeBuild projects', record.account, record.region);
    case 'kms-key':
      return at(
        'kms.DescribeKey',
        `KMS key \`${str(obj(record.metadata)['KeyId'])}\``,
        record.account,
        record.region,
      );
    case 'kms-aliases':
      return at('kms.ListAliases', 'the KMS aliases', record.account, record.region);
    case 'lambda':
      return at(
        'lambda.GetFunctionConfiguration',
        `Lambda function \`${record.name}\``,
        record.account,
        record.region,
      );
    case 'codedeploy':
      return at(
        'codedeploy.GetDeploymentGroup',
        `CodeDeploy deployment group \`${record.group}\` of application \`${record.application}\``,
        record.account,
        record.region,
      );
    case 'events':
      return at('eventbridge.ListRules', 'the EventBridge rules', record.account, record.region);
    case 'ecr':
      return at(
        'ecr.GetRepositoryPolicy',
        `ECR repository \`${record.repository}\``,
        record.account,
        record.region,
      );
    case 'sns':
      return at(
        'sns.GetTopicAttributes',
        `SNS topic \`${record.topic}\``,
        record.account,
        record.region,
      );
  }
}

/** The folders the snapshot must hold even when empty (see SnapshotFolder), sorted. */
function buildSnapshotFolders(records: readonly CrawlRecord[]): SnapshotFolder[] {
  const folders = new Set<SnapshotFolder>();
  for (const record of records) if (record.kind === 'folder') folders.add(record.path);
  return [...folders].sort();
}
