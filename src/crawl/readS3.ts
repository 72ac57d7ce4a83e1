/**
 * S3: which account owns a bucket (list-buckets of each crawled account), then the bucket's
 * policy, location, public access block, ownership controls and default encryption. Only the
 * owner can read a bucket policy
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html), so the owner's
 * credentials are used.
 */
import type {
  GetBucketEncryptionCommandOutput,
  GetBucketLocationCommandOutput,
  GetBucketOwnershipControlsCommandOutput,
  GetBucketPolicyCommandOutput,
  GetPublicAccessBlockCommandOutput,
  ListBucketsCommandOutput,
} from '@aws-sdk/client-s3';
import type { CallOutcome, CrawlContext } from './crawlContext.js';
import { partitionHomeRegion, type Place } from './references.js';

/** The buckets an account owns, or undefined when they could not be listed. */
export async function listBuckets(
  ctx: CrawlContext,
  account: string,
): Promise<Set<string> | undefined> {
  const { ListBucketsCommand } = await ctx.sdk('s3');
  const out = await ctx.paginate<ListBucketsCommandOutput>(
    's3',
    { account, region: ctx.homeRegionOf(account) },
    // MaxBuckets turns on pagination: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
    (ContinuationToken) =>
      new ListBucketsCommand({
        MaxBuckets: 1000,
        ...(ContinuationToken ? { ContinuationToken } : {}),
      }),
    (o) => o.ContinuationToken,
    `the buckets of account \`${account}\``,
  );
  if (out.status !== 'ok') return undefined;
  return new Set(
    out.pages.flatMap((p) => p.Buckets ?? []).flatMap((b) => (b.Name ? [b.Name] : [])),
  );
}

export interface BucketRead {
  readonly place: Place;
  readonly encryption?: unknown;
}

/**
 * get-bucket-location: "Buckets in Region us-east-1 have a LocationConstraint of null" and the
 * legacy `EU` is eu-west-1 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
 * That us-east-1 is the aws partition's: a bucket lives in one partition only ("Bucket names in
 * the AWS GovCloud (US) Regions are not shared across other AWS Regions",
 * https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-s3.html), so an empty
 * constraint read with credentials of another partition cannot mean us-east-1 and is taken as
 * that partition's first region (cn-north-1, us-gov-west-1), as homeRegion is. `home` is the
 * crawl's home region (its partition is the crawled accounts'); an undefined constraint (no
 * answer) is `home` itself.
 */
export function bucketRegion(constraint: string | undefined, home: string): string {
  if (constraint === undefined) return home;
  if (constraint === '') return partitionHomeRegion(home);
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export async function readBucket(
  ctx: CrawlContext,
  account: string,
  bucket: string,
): Promise<BucketRead> {
  const s3 = await ctx.sdk('s3');
  const subject = `bucket \`${bucket}\``;
  const home: Place = { account, region: ctx.homeRegionOf(account) };
  const location = await ctx.call<GetBucketLocationCommandOutput>(
    's3',
    home,
    new s3.GetBucketLocationCommand({ Bucket: bucket }),
    subject,
  );
  const place: Place = {
    account,
    region:
      location.status === 'ok'
        ? bucketRegion(location.output.LocationConstraint ?? '', home.region)
        : home.region,
  };
  const [policy, pab, ownership, encryption] = await Promise.all([
    ctx.call<GetBucketPolicyCommandOutput>(
      's3',
      place,
      new s3.GetBucketPolicyCommand({ Bucket: bucket }),
      subject,
    ),
    ctx.call<GetPublicAccessBlockCommandOutput>(
      's3',
      place,
      new s3.GetPublicAccessBlockCommand({ Bucket: bucket }),
      subject,
    ),
    ctx.call<GetBucketOwnershipControlsCommandOutput>(
      's3',
      place,
      new s3.GetBucketOwnershipControlsCommand({ Bucket: bucket }),
      subject,
    ),
    ctx.call<GetBucketEncryptionCommandOutput>(
      's3',
      place,
      new s3.GetBucketEncryptionCommand({ Bucket: bucket }),
      subject,
    ),
  ]);
  const okOutput = <O>(o: CallOutcome<O>): O | undefined =>
    o.status === 'ok' ? o.output : undefined;
  // every field of the file is read as the bucket's setting and its absence as "none" (no
  // policy; no default encryption, so not SSE-KMS; no location, so the region of the action
  // using it), and the snapshot format has no way to say one field is unknown: a bucket with any
  // answer missing gets no file, so what depends on it is Unknown naming the file, not decided
  // on a wrong "none"
  const outcomes = [location, policy, pab, ownership, encryption];
  if (outcomes.every((o) => o.status !== 'failed')) {
    ctx.record({
      kind: 'bucket',
      account,
      bucket,
      policy: policy.status === 'ok' ? (policy.output.Policy ?? null) : null,
      ...(location.status === 'ok' ? { location: recordedLocation(location.output, place) } : {}),
      ...(pab.status === 'ok' ? { publicAccessBlock: pab.output } : {}),
      ...(ownership.status === 'ok' ? { ownershipControls: ownership.output } : {}),
      ...(encryption.status === 'ok' ? { encryption: encryption.output } : {}),
    });
  }
  const enc = okOutput(encryption)?.ServerSideEncryptionConfiguration;
  return enc ? { place, encryption: enc } : { place };
}

/**
 * The get-bucket-location answer as the snapshot keeps it: an empty constraint outside the aws
 * partition is written as the region it stands for (bucketRegion), since the snapshot reads a
 * null constraint as us-east-1, in the aws partition (src/load/snapshotS3.ts).
 */
function recordedLocation(output: GetBucketLocationCommandOutput, place: Place): unknown {
  const lc: string = output.LocationConstraint ?? '';
  if (lc !== '' || place.region === 'us-east-1') return output;
  return { ...output, LocationConstraint: place.region };
}
