/**
 * `crawl(options)`: read a read-only snapshot of real AWS accounts, starting from the pipelines
 * and following every account, role, bucket, key, project, function, topic, deployment group,
 * repository and EventBridge rule they reference. Returns the snapshot's files (see
 * snapshotWriter.ts) and what could not be read; writing them is writeSnapshotFiles' job.
 *
 * Phases keep the result deterministic: (1) identity, seed accounts and pipelines; (2) what the
 * pipelines reference (projects, functions, topics, deployment groups, repositories, rules);
 * (3) buckets, whose owner is looked up among all accounts known after (2); (4) KMS keys.
 * IAM (one get-account-authorization-details per account) and the organization run alongside.
 */
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { Account } from '@aws-sdk/client-organizations';
import { isAccountId, isRegionName, partitionOfRegion } from '../model/arn.js';
import { CRAWL_CALLS } from './calls.js';
import { CrawlContext, type CrawlContextOptions, type CrawlFailure } from './crawlContext.js';
import { readProjects } from './readCodeBuild.js';
import { readDeploymentGroup } from './readCodeDeploy.js';
import { readRepository } from './readEcr.js';
import { readRules } from './readEvents.js';
import { readIam } from './readIam.js';
import { readKey } from './readKms.js';
import { readFunction } from './readLambda.js';
import { readOrganization, settleMembership, type OrganizationRead } from './readOrganization.js';
import { readPipelines, type PipelineRead } from './readPipelines.js';
import { listBuckets, readBucket } from './readS3.js';
import { readTopic } from './readSns.js';
import {
  bucketEncryptionReferences,
  deploymentGroupReferences,
  functionReferences,
  pipelineReferences,
  projectReferences,
  ruleTargetReferences,
  topicReferences,
  partitionHomeRegion,
  type Place,
  type Reference,
} from './references.js';
import { resolveDefaultRegion } from './sdk.js';

import {
  describeRecord,
  lambdaPath,
  MAX_NAME_BYTES,
  planSnapshotFiles,
  type SnapshotFile,
  type SnapshotFolder,
} from './snapshotWriter.js';

export interface CrawlOptions extends CrawlContextOptions {
  /** regions to look for pipelines in; default: the SDK's default region, else us-east-1 */
  readonly regions?: readonly string[];
  /** only these pipelines (by name); default: every pipeline */
  readonly pipelines?: readonly string[];
  /** accounts to look for pipelines in (reached with `assumeRoleTemplate`); default: the caller's */
  readonly accounts?: readonly string[];
  /** look for pipelines in every active account of the organization (organizations:ListAccounts) */
  readonly organization?: boolean;
}

export interface CrawlResult {
  /** the identity the credentials resolved to */
  readonly callerArn: string;
  readonly callerAccount: string;
  readonly regions: readonly string[];
  /** every account that was read or tried, sorted */
  readonly accounts: readonly string[];
  /** `account/region/name` of every pipeline read, sorted */
  readonly pipelines: readonly string[];
  /** `--pipeline` names that no crawled account and region has */
  readonly missingPipelines: readonly string[];
  readonly files: readonly SnapshotFile[];
  /** folders to create even when empty (an empty `organization/rcp/` says there is no RCP) */
  readonly folders: readonly SnapshotFolder[];
  /**
   * files and whole folders this crawl is responsible for but does not write, as what it read of
   * them conflicts or is incomplete (each with its failure), sorted: with --merge an earlier
   * crawl's copy is removed, so that `analyze` reads them as unknown (writeSnapshotFiles)
   */
  readonly withheld: readonly string[];
  /** what could not be read (it stays unknown), sorted */
  readonly failures: readonly CrawlFailure[];
  /** set after writing: files (or whole folders) the file system refused as named too long */
  readonly skippedFiles?: readonly string[];
  /** set after writing: files of an earlier crawl removed, as this one withholds them, sorted */
  readonly removedFiles?: readonly string[];
}

/** A crawl that cannot start: no usable credentials, or bad options. */
export class CrawlError extends Error {
  override readonly name = 'CrawlError';
}

export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  // the check the snapshot loader makes of a region folder's name (so every region it reads,
  // `eusc-de-east-1` included, can be crawled)
  for (const r of options.regions ?? []) {
    if (!isRegionName(r)) throw new CrawlError(`invalid region \`${r}\``);
  }
  for (const a of options.accounts ?? []) {
    if (!isAccountId(a)) throw new CrawlError(`invalid account id \`${a}\` (expected 12 digits)`);
  }
  if (
    options.assumeRoleTemplate !== undefined &&
    !options.assumeRoleTemplate.includes('{account}')
  ) {
    throw new CrawlError(
      `--assume-role template \`${options.assumeRoleTemplate}\` has no \`{account}\``,
    );
  }
  const ctx = new CrawlContext(options);
  try {
    return await run(ctx, options);
  } finally {
    await ctx.destroy();
  }
}

async function run(ctx: CrawlContext, options: CrawlOptions): Promise<CrawlResult> {
  const configured = await resolveDefaultRegion(options.profile);
  const regions = options.regions?.length
    ? [...new Set(options.regions)].sort()
    : [configured ?? 'us-east-1'];
  // STS, IAM, Organizations and S3's bucket listing go to the home region, which must not be a
  // --region the account may not have enabled (an opt-in region such as af-south-1 is disabled
  // until enabled: https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html)
  // the configured region only when it is of the partition crawled: credentials of one partition
  // are not valid in another
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_cross_partition.html)
  const first = regions[0] ?? 'us-east-1';
  ctx.homeRegion =
    configured !== undefined && partitionOfRegion(configured) === partitionOfRegion(first)
      ? configured
      : partitionHomeRegion(first);

  // 0. who are we
  const { GetCallerIdentityCommand } = await ctx.sdk('sts');
  const identity = await ctx.call<GetCallerIdentityCommandOutput>(
    'sts',
    { account: '', region: ctx.homeRegion },
    new GetCallerIdentityCommand({}),
    'the caller identity',
  );
  if (identity.status !== 'ok' || !identity.output.Account) {
    const f = ctx.failures[ctx.failures.length - 1];
    throw new CrawlError(
      `could not resolve AWS credentials: ${f ? `${f.errorCode}: ${f.message}` : 'no account in the caller identity'}`,
    );
  }
  ctx.callerAccount = identity.output.Account;

  const known = new Set<string>();
  const noteAccount = (account: string): void => {
    if (!isAccountId(account) || known.has(account)) return;
    known.add(account);
    ctx.schedule(`iam|${account}`, () => readIam(ctx, account));
  };

  // seed accounts
  let seeds: string[];
  let callerOrganization: OrganizationRead | undefined;
  if (options.organization) {
    const org = await readOrganization(ctx);
    callerOrganization = org;
    seeds = org.accounts ? activeAccounts(org.accounts) : [ctx.callerAccount];
  } else {
    ctx.schedule('organization', async () => {
      callerOrganization = await readOrganization(ctx);
    });
    seeds = options.accounts?.length ? [...new Set(options.accounts)].sort() : [ctx.callerAccount];
  }
  seeds.forEach(noteAccount);

  // 1. pipelines
  const wanted = options.pipelines?.length ? new Set(options.pipelines) : undefined;
  const searched = await Promise.all(
    seeds.flatMap((account) =>
      regions.map((region) => readPipelines(ctx, { account, region }, wanted)),
    ),
  );
  const pipelines: PipelineRead[] = searched.flatMap((s) => s.pipelines);
  // a name is "not found" only when every account and region was listed and no get-pipeline of
  // it failed; otherwise the failure (listed with the others) is what is reported
  const unread = new Set(searched.flatMap((s) => s.unread));
  const missingPipelines =
    wanted && searched.every((s) => s.listed)
      ? [...wanted].filter((n) => !pipelines.some((p) => p.name === n) && !unread.has(n)).sort()
      : [];

  // 2. what the pipelines reference
  const buckets = new Map<string, string>(); // bucket → likely owner
  const keys = new Map<string, { place: Place; key: string }>();
  const projects = new Map<string, { place: Place; names: string[] }>();
  const rules = new Map<string, { place: Place; arns: string[] }>();
  const functions = new Map<string, { place: Place; name: string; qualifiers: string[] }>();
  const placeKey = (p: Place): string => `${p.account}|${p.region}`;
  const follow = (refs: readonly Reference[]): void => {
    for (const ref of refs) {
      switch (ref.kind) {
        case 'account':
          noteAccount(ref.account);
          break;
        case 'bucket':
          if (!buckets.has(ref.bucket)) buckets.set(ref.bucket, ref.likelyAccount);
          break;
        case 'key':
          keys.set(`${placeKey(ref.place)}|${ref.key}`, ref);
          break;
        case 'project': {
          const entry = projects.get(placeKey(ref.place)) ?? { place: ref.place, names: [] };
          entry.names.push(ref.name);
          projects.set(placeKey(ref.place), entry);
          break;
        }
        case 'pipeline-rules': {
          const entry = rules.get(placeKey(ref.place)) ?? { place: ref.place, arns: [] };
          entry.arns.push(ref.pipelineArn);
          rules.set(placeKey(ref.place), entry);
          break;
        }
        case 'function': {
          noteAccount(ref.place.account);
          const key = `${placeKey(ref.place)}|${ref.name}`;
          const entry = functions.get(key) ?? { place: ref.place, name: ref.name, qualifiers: [] };
          entry.qualifiers.push(ref.qualifier ?? '');
          functions.set(key, entry);
          break;
        }
        case 'topic':
          noteAccount(ref.place.account);
          ctx.schedule(`sns|${placeKey(ref.place)}|${ref.name}`, async () => {
            const attributes = await readTopic(ctx, ref.place, ref.name);
            if (attributes) follow(topicReferences(attributes, ref.place));
          });
          break;
        case 'deployment-group':
          noteAccount(ref.place.account);
          ctx.schedule(
            `codedeploy|${placeKey(ref.place)}|${ref.application}|${ref.group}`,
            async () => {
              const out = await readDeploymentGroup(ctx, ref.place, ref.application, ref.group);
              if (out) follow(deploymentGroupReferences(out.deploymentGroupInfo));
            },
          );
          break;
        case 'repository':
          noteAccount(ref.place.account);
          ctx.schedule(`ecr|${placeKey(ref.place)}|${ref.name}`, () =>
            readRepository(ctx, ref.place, ref.name),
          );
          break;
      }
    }
  };
  for (const p of sortPipelines(pipelines)) follow(pipelineReferences(p.output, p.place));
  for (const { place, names } of projects.values()) {
    noteAccount(place.account);
    ctx.schedule(`codebuild|${placeKey(place)}`, async () => {
      const read = await readProjects(ctx, place, names);
      for (const project of read) follow(projectReferences(project, place));
    });
  }
  for (const { place, name, qualifiers } of functions.values()) {
    const distinct = [...new Set(qualifiers)].sort();
    if (distinct.length > 1) {
      // versions may differ in everything, execution role included, and the snapshot has one
      // file per function name: none is written, so the function's links are Unknown
      const shown = distinct.map((q) => `\`${q === '' ? name : `${name}:${q}`}\``).join(', ');
      ctx.recordFailure(
        CRAWL_CALLS['lambda.GetFunctionConfiguration'],
        place,
        `Lambda function \`${name}\``,
        {
          reason: 'error',
          code: 'QualifierConflict',
          message:
            `the pipelines invoke ${shown}, which may run different versions (each with its own ` +
            `role and policy); the snapshot holds one file per function name, so none is written`,
        },
      );
      ctx.record({ kind: 'withheld', path: lambdaPath(place, name) });
      continue;
    }
    const qualifier = distinct[0] || undefined;
    ctx.schedule(`lambda|${placeKey(place)}|${name}`, async () => {
      const out = await readFunction(ctx, place, name, qualifier);
      if (out) follow(functionReferences(out, place));
    });
  }
  for (const { place, arns } of rules.values()) {
    ctx.schedule(`events|${placeKey(place)}`, async () => {
      follow(ruleTargetReferences(await readRules(ctx, place, arns)));
    });
  }
  await ctx.settle();

  // 3. buckets, each read in its owner's account
  const candidates = [...known].sort();
  const owned = new Map<string, Promise<Set<string> | undefined>>();
  const ownedBy = (account: string): Promise<Set<string> | undefined> => {
    let p = owned.get(account);
    if (!p) {
      p = listBuckets(ctx, account);
      owned.set(account, p);
    }
    return p;
  };
  await Promise.all(
    [...buckets.entries()].sort().map(async ([bucket, likely]) => {
      const owner = await findOwner(bucket, likely, candidates, ownedBy);
      if (owner === undefined) {
        ctx.recordFailure(
          CRAWL_CALLS['s3.ListBuckets'],
          { account: likely, region: '' },
          `bucket \`${bucket}\``,
          {
            reason: 'not-found',
            code: 'BucketOwnerNotCrawled',
            message: `bucket \`${bucket}\` is not owned by any crawled account`,
          },
        );
        return;
      }
      const read = await readBucket(ctx, owner, bucket);
      if (read.encryption) follow(bucketEncryptionReferences(read.encryption, read.place));
    }),
  );
  await ctx.settle();

  // 4. KMS keys (and the aliases of their regions)
  for (const [id, { place, key }] of [...keys.entries()].sort()) {
    noteAccount(place.account);
    ctx.schedule(`kms-ref|${id}`, () => readKey(ctx, place, key));
  }
  await ctx.settle();

  // 5. can the organization files say which crawled accounts are outside the organization? (the
  // caller in no organization: are the other accounts in one? the caller in one: is every
  // crawled account it does not list in none?)
  await settleMembership(ctx, callerOrganization, [...known]);

  // 6. the files; one that cannot be written is a failure, and unknown
  const plan = planSnapshotFiles(ctx.records);
  for (const d of plan.dropped) {
    const first = describeRecord(d.records[0]!);
    const message =
      d.reason === 'collision'
        ? `${d.records.map((r) => describeRecord(r).subject).join(' and ')} would both be written to \`${d.path}\`: neither is written`
        : `the file name \`${d.path}\` is longer than ${MAX_NAME_BYTES} bytes, which a file system cannot hold: it is not written`;
    ctx.recordFailure(
      CRAWL_CALLS[first.call],
      { account: first.account, region: first.region },
      first.subject,
      {
        reason: 'error',
        code: d.reason === 'collision' ? 'FileNameCollision' : 'FileNameTooLong',
        message,
      },
    );
  }

  return {
    callerArn: identity.output.Arn ?? '',
    callerAccount: ctx.callerAccount,
    regions,
    accounts: [...known].sort(),
    pipelines: pipelines.map((p) => `${p.place.account}/${p.place.region}/${p.name}`).sort(),
    missingPipelines,
    files: plan.files,
    folders: plan.folders,
    withheld: plan.withheld,
    failures: sortFailures(ctx.failures),
  };
}

function activeAccounts(accounts: readonly Account[]): string[] {
  return accounts
    .filter((a) => (a.State ?? a.Status) === 'ACTIVE')
    .flatMap((a) => (a.Id ? [a.Id] : []))
    .sort();
}

function sortPipelines(pipelines: readonly PipelineRead[]): PipelineRead[] {
  const key = (p: PipelineRead): string => `${p.place.account}/${p.place.region}/${p.name}`;
  return [...pipelines].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * The account that owns `bucket`: the account that referenced it first, then every other known
 * account. When some listing failed and no listing shows the bucket, the likely owner is tried.
 */
async function findOwner(
  bucket: string,
  likely: string,
  accounts: readonly string[],
  ownedBy: (account: string) => Promise<Set<string> | undefined>,
): Promise<string | undefined> {
  let listingFailed = false;
  for (const account of [likely, ...accounts.filter((a) => a !== likely)]) {
    const owned = await ownedBy(account);
    if (owned === undefined) listingFailed = true;
    else if (owned.has(bucket)) return account;
  }
  return listingFailed ? likely : undefined;
}

function sortFailures(failures: readonly CrawlFailure[]): CrawlFailure[] {
  const key = (f: CrawlFailure): string =>
    [f.account, f.region ?? '', f.subject, f.operation, f.errorCode].join('\u0000');
  const unique = new Map<string, CrawlFailure>();
  for (const f of failures) if (!unique.has(key(f))) unique.set(key(f), f);
  return [...unique.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
