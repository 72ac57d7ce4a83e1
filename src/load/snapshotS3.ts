/**
 * `<account>/s3/<bucket>.json`: get-bucket-policy, optionally merged with get-bucket-location,
 * get-public-access-block, get-bucket-ownership-controls and get-bucket-encryption.
 */
import { joinPointer, type Problem } from '../problems.js';
import { partitionOfRegion } from '../model/arn.js';
import { snapshotPath } from '../model/snapshotPath.js';
import type { AccountModel, BucketModel } from '../model/types.js';
import { JsonReader } from './jsonReader.js';
import { jsonFilesIn, readJson, sortedMap } from './snapshotFiles.js';
import { compileSnapshotPolicy } from './snapshotPolicy.js';
import { reportDuplicate } from './snapshotUnknowns.js';

export function loadBuckets(
  root: string,
  account: string,
  problems: Problem[],
): ReadonlyMap<string, BucketModel> {
  const buckets = new Map<string, BucketModel>();
  for (const name of jsonFilesIn(root, `${account}/s3`, problems, 'the bucket policy it holds')) {
    const bucket = loadBucket(root, account, name, problems);
    if (bucket) buckets.set(name, bucket);
  }
  return sortedMap(buckets);
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
  root: string,
  account: string,
  name: string,
  problems: Problem[],
): BucketModel | undefined {
  const file = snapshotPath.bucket(account, name);
  const raw = readJson(root, file, problems);
  if (!raw) return undefined;
  const r = new JsonReader(file, problems);
  const doc = r.object(raw.value, '');
  if (!doc) return undefined;

  let region: string | undefined;
  if (Object.prototype.hasOwnProperty.call(doc, 'LocationConstraint')) {
    // get-bucket-location: null means us-east-1 and the legacy `EU` means eu-west-1
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
    const lc =
      doc['LocationConstraint'] === null ? 'us-east-1' : r.optString(doc, 'LocationConstraint', '');
    region = lc === '' ? 'us-east-1' : lc === 'EU' ? 'eu-west-1' : lc;
  }
  const arn = `arn:${partitionOfRegion(region)}:s3:::${name}`;

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
    encryption = {
      sseAlgorithm: d && r.optString(d, 'SSEAlgorithm', dp),
      kmsMasterKeyId: d && r.optString(d, 'KMSMasterKeyID', dp),
      bucketKeyEnabled: rule && r.optBool(rule.value, 'BucketKeyEnabled', rule.pointer),
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
