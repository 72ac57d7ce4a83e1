/**
 * An empty get-bucket-location constraint is us-east-1 only in the aws partition: crawling an
 * aws-cn or aws-us-gov account, it is that partition's first region, both for the calls that
 * read the bucket and in the snapshot (which reads a null constraint as us-east-1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CrawlContext } from '../../src/crawl/crawlContext.js';
import { bucketRegion, readBucket } from '../../src/crawl/readS3.js';
import { buildSnapshotFiles } from '../../src/crawl/snapshotWriter.js';
import { FAKE_CALLER_KEY, startFakeAws, type FakeAws } from './fakeAws.js';
import { FIXTURE, parseFiles } from './helpers.js';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const BUCKET = 'tooling-source-111111111111'; // LocationConstraint null in the fixture
const FILE = `111111111111/s3/${BUCKET}.json`;

async function readIn(homeRegion: string) {
  fake = await startFakeAws({ fixture: FIXTURE });
  const ctx = new CrawlContext({
    endpoint: fake.endpoint,
    credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' },
    maxAttempts: 1,
  });
  ctx.callerAccount = '111111111111';
  ctx.homeRegion = homeRegion;
  try {
    const read = await readBucket(ctx, '111111111111', BUCKET);
    const regions = fake.requests
      .filter((r) => r.service === 's3' && r.operation !== 'GetBucketLocation')
      .map((r) => r.region);
    return {
      read,
      failures: ctx.failures,
      regions,
      files: parseFiles(buildSnapshotFiles(ctx.records)),
    };
  } finally {
    await ctx.destroy();
  }
}

describe('a bucket with no location constraint', () => {
  it('is in us-east-1 in the aws partition, and written as null', async () => {
    const { read, failures, regions, files } = await readIn('eu-west-2');
    expect(failures).toEqual([]);
    expect(read.place).toEqual({ account: '111111111111', region: 'us-east-1' });
    expect([...new Set(regions)]).toEqual(['us-east-1']);
    expect(files[FILE]).toMatchObject({ LocationConstraint: null });
  });

  it('is in cn-north-1 when the crawl is in aws-cn, and written so', async () => {
    const { read, failures, regions, files } = await readIn('cn-northwest-1');
    expect(failures).toEqual([]);
    expect(read.place).toEqual({ account: '111111111111', region: 'cn-north-1' });
    expect([...new Set(regions)]).toEqual(['cn-north-1']);
    expect(files[FILE]).toMatchObject({ LocationConstraint: 'cn-north-1' });
  });

  it('is in us-gov-west-1 when the crawl is in aws-us-gov', async () => {
    const { read, files } = await readIn('us-gov-east-1');
    expect(read.place.region).toBe('us-gov-west-1');
    expect(files[FILE]).toMatchObject({ LocationConstraint: 'us-gov-west-1' });
  });

  it('bucketRegion follows the partition of the home region', () => {
    expect(bucketRegion('', 'eu-west-2')).toBe('us-east-1');
    expect(bucketRegion('', 'cn-north-1')).toBe('cn-north-1');
    expect(bucketRegion('', 'cn-northwest-1')).toBe('cn-north-1');
    expect(bucketRegion('', 'us-gov-east-1')).toBe('us-gov-west-1');
    expect(bucketRegion('cn-northwest-1', 'cn-north-1')).toBe('cn-northwest-1');
    expect(bucketRegion(undefined, 'cn-northwest-1')).toBe('cn-northwest-1');
  });
});
