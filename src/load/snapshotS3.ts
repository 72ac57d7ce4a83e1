/**
 * `<account>/s3/<bucket>.json`: get-bucket-policy, optionally merged with get-bucket-location,
 * get-public-access-block, get-bucket-ownership-controls and get-bucket-encryption.
 */
import { join } from 'node:path';
import { joinPointer, type Problem } from '../problems.js';
import { isRegionName, partitionOfRegion } from '../model/arn.js';
import { snapshotPath } from '../model/snapshotPath.js';
import type { AccountModel, BucketModel } from '../model/types.js';
import { JsonReader, type JsonObject } from './jsonReader.js';
import { jsonFilesIn, listDir, readJson, sortedMap } from './snapshotFiles.js';
import { compileSnapshotPolicy } from './snapshotPolicy.js';
import { reportDuplicate } from './snapshotUnknowns.js';

export function loadBuckets(
  root: string,
  account: string,
  problems: Problem[],
): ReadonlyMap<string, BucketModel> {
  const read: BucketFile[] = [];
  for (const name of jsonFilesIn(root, `${account}/s3`, problems, 'the bucket policy it holds')) {
    const file = readBucketFile(root, account, name, problems);
    if (file) read.push(file);
  }
  const partitions = accountPartitions(root, account, read);
  const buckets = new Map<string, BucketModel>();
  for (const file of read) buckets.set(file.name, loadBucket(account, file, partitions, problems));
  return sortedMap(buckets);
}

/** A bucket file read as an object, with its `LocationConstraint` read once. */
interface BucketFile {
  readonly name: string;
  readonly file: string;
  readonly doc: JsonObject;
  readonly r: JsonReader;
  /**
   * get-bucket-location's answer: a region (the legacy `EU` read as eu-west-1), null for a null
   * or empty constraint, undefined when the file has none or it is not a string (a problem)
   */
  readonly constraint: string | null | undefined;
}

function readBucketFile(
  root: string,
  account: string,
  name: string,
  problems: Problem[],
): BucketFile | undefined {
  const file = snapshotPath.bucket(account, name);
  const raw = readJson(root, file, problems);
  if (!raw) return undefined;
  const r = new JsonReader(file, problems);
  const doc = r.object(raw.value, '');
  if (!doc) return undefined;
  let constraint: string | null | undefined;
  if (Object.prototype.hasOwnProperty.call(doc, 'LocationConstraint')) {
    // get-bucket-location: the legacy `EU` means eu-west-1
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
    const lc = doc['LocationConstraint'] === null ? '' : r.optString(doc, 'LocationConstraint', '');
    constraint = lc === '' ? null : lc === 'EU' ? 'eu-west-1' : lc;
  }
  return { name, file, doc, r, constraint };
}

/**
 * The partitions the account folder's own content places the account in: its region folders and
 * the regions its buckets' files name. An account is in one partition
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html),
 * so one partition is the account's; none leaves the default, `aws`; more is a mixed-up folder.
 */
function accountPartitions(
  root: string,
  account: string,
  files: readonly BucketFile[],
): ReadonlySet<string> {
  const seen = new Set<string>();
  for (const e of listDir(join(root, account)))
    if (e.isDir && isRegionName(e.name)) seen.add(partitionOfRegion(e.name));
  for (const f of files)
    if (typeof f.constraint === 'string' && isRegionName(f.constraint))
      seen.add(partitionOfRegion(f.constraint));
  return seen;
}

/**
 * A bucket name is unique in its partition
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), so one bucket
 * in two account folders means one file is stale, and which one (whose policy, settings and
 * owner) is not known: an input error at each copy, so a lookup of it (model/queries.ts:
 * findBucket) is unknown, naming both, instead of decided on the expected account's copy or the
 * first. Two copies whose regions put them in different partitions are two buckets.
 */
export function reportBucketCopies(
  accounts: ReadonlyMap<string, AccountModel>,
  problems: Problem[],
): void {
  const first = new Map<string, BucketModel>();
  for (const account of accounts.values()) {
    for (const bucket of account.buckets.values()) {
      const earlier = first.get(bucket.name);
      if (!earlier) first.set(bucket.name, bucket);
      else if (
        earlier.region === undefined ||
        bucket.region === undefined ||
        partitionOfRegion(earlier.region) === partitionOfRegion(bucket.region)
      ) {
        reportDuplicate(
          problems,
          `bucket \`${bucket.name}\``,
          earlier.location,
          bucket.location,
          'bucket names are global, so one file is stale; no copy is used: what relies on it is unknown',
        );
      }
    }
  }
}

function loadBucket(
  account: string,
  bucket: BucketFile,
  partitions: ReadonlySet<string>,
  problems: Problem[],
): BucketModel {
  const { name, file, doc, r, constraint } = bucket;
  const only = partitions.size === 1 ? [...partitions][0]! : undefined;
  let region: string | undefined;
  if (constraint !== null) region = constraint;
  else if (partitions.size === 0 || only === 'aws') {
    // "Buckets in Region us-east-1 have a LocationConstraint of null"
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html)
    region = 'us-east-1';
  } else {
    // That us-east-1 is the aws partition's: a bucket lives in its account's partition only
    // ("Bucket names in the AWS GovCloud (US) Regions are not shared across other AWS Regions",
    // https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-s3.html), and AWS
    // documents no meaning for a null constraint in aws-cn or aws-us-gov (GetBucketLocation
    // above). `permchain crawl` writes the partition's first region there instead
    // (src/crawl/readS3.ts: bucketRegion). So the region is unknown: what depends on it
    // (aws:RequestedRegion) is Unknown naming `/LocationConstraint` (chain/resolveLink.ts)
    const where =
      only !== undefined
        ? `the account's regions are in partition \`${only}\``
        : `the account's regions are in partitions ${[...partitions]
            .sort()
            .map((p) => `\`${p}\``)
            .join(', ')}`;
    r.report(
      '/LocationConstraint',
      `\`LocationConstraint\` is null or empty, which AWS documents only for us-east-1 (partition \`aws\`), but ${where}: the bucket's region is unknown; write the region the bucket is in (\`permchain crawl\` does)`,
      'snapshot.s3.location-partition',
      'warning',
    );
  }
  // with no region read, the ARN is in the account's partition when its folder says which
  const arn = `arn:${region === undefined && only !== undefined ? only : partitionOfRegion(region)}:s3:::${name}`;

  let policy: BucketModel['policy'] = null;
  if (doc['Policy'] !== undefined && doc['Policy'] !== null) {
    policy = compileSnapshotPolicy(
      doc['Policy'],
      { name: arn, policyType: 'resource', file, pointer: '/Policy' },
      problems,
    );
  }

  let encryption: BucketModel['encryption'];
  const sse = r.optObject(doc, 'ServerSideEncryptionConfiguration', '');
  if (sse) {
    const rules = r.objectList(sse, 'Rules', '/ServerSideEncryptionConfiguration');
    const rule = rules[0];
    const d = rule && r.optObject(rule.value, 'ApplyServerSideEncryptionByDefault', rule.pointer);
    const dp = rule ? joinPointer(rule.pointer, 'ApplyServerSideEncryptionByDefault') : '';
    const bucketKey = rule && r.optBool(rule.value, 'BucketKeyEnabled', rule.pointer);
    const given = rule?.value['BucketKeyEnabled'];
    encryption = {
      sseAlgorithm: d && r.optString(d, 'SSEAlgorithm', dp),
      kmsMasterKeyId: d && r.optString(d, 'KMSMasterKeyID', dp),
      bucketKeyEnabled: bucketKey,
      // no rule, or a value that is not a Boolean (a problem says so): whether the bucket uses
      // an S3 Bucket Key is not known, not its default
      ...(!rule
        ? { bucketKeyUnknownAt: `${file}#/ServerSideEncryptionConfiguration/Rules` }
        : bucketKey === undefined && given !== undefined && given !== null
          ? { bucketKeyUnknownAt: `${file}#${joinPointer(rule.pointer, 'BucketKeyEnabled')}` }
          : bucketKey === true
            ? { bucketKeyAt: `${file}#${joinPointer(rule.pointer, 'BucketKeyEnabled')}` }
            : {}),
    };
  }

  let ownership: string | undefined;
  const oc = r.optObject(doc, 'OwnershipControls', '');
  if (oc) {
    const rule = r.objectList(oc, 'Rules', '/OwnershipControls')[0];
    ownership = rule && r.optString(rule.value, 'ObjectOwnership', rule.pointer);
  }

  const pab = r.optObject(doc, 'PublicAccessBlockConfiguration', '');
  const pp = '/PublicAccessBlockConfiguration';
  return {
    name,
    arn,
    account,
    policy,
    region,
    encryption,
    ownership,
    publicAccessBlock: pab && {
      blockPublicAcls: r.optBool(pab, 'BlockPublicAcls', pp),
      ignorePublicAcls: r.optBool(pab, 'IgnorePublicAcls', pp),
      blockPublicPolicy: r.optBool(pab, 'BlockPublicPolicy', pp),
      restrictPublicBuckets: r.optBool(pab, 'RestrictPublicBuckets', pp),
    },
    location: { file, pointer: '' },
  };
}
