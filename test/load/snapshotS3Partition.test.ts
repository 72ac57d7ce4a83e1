/**
 * get-bucket-location gives a null (or empty) LocationConstraint for a bucket in us-east-1, a
 * region of the aws partition. In an account folder whose regions are in another partition
 * (aws-cn, aws-us-gov) that cannot be the bucket's region, and AWS documents no other meaning:
 * the region is unknown, with a warning at `/LocationConstraint`, never us-east-1.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';

const A = '111111111111';
const ID = 'snapshot.s3.location-partition';

/** A snapshot of account A with the given region folders and bucket files. */
function snapshot(regions: readonly string[], buckets: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-s3-partition-'));
  for (const region of regions) mkdirSync(join(dir, A, region), { recursive: true });
  mkdirSync(join(dir, A, 's3'), { recursive: true });
  for (const [name, doc] of Object.entries(buckets))
    writeFileSync(join(dir, A, 's3', `${name}.json`), JSON.stringify(doc));
  const model = loadSnapshot(dir);
  const warnings = model.problems
    .filter((p) => p.id === ID)
    .map((p) => [p.file, p.pointer, p.severity]);
  return { buckets: model.accounts.get(A)!.buckets, warnings };
}

describe('a null or empty LocationConstraint outside the aws partition', () => {
  it('is an unknown region in an aws-cn account, with a warning at the pointer', () => {
    const { buckets, warnings } = snapshot(['cn-north-1'], {
      artifacts: { LocationConstraint: null },
    });
    const b = buckets.get('artifacts')!;
    expect(b.region).toBeUndefined();
    expect(b.arn).toBe('arn:aws-cn:s3:::artifacts');
    expect(warnings).toEqual([[`${A}/s3/artifacts.json`, '/LocationConstraint', 'warning']]);
  });

  it('is an unknown region in an aws-us-gov account known from another bucket of it', () => {
    const { buckets, warnings } = snapshot([], {
      empty: { LocationConstraint: '' },
      east: { LocationConstraint: 'us-gov-east-1' },
    });
    expect(buckets.get('empty')!.region).toBeUndefined();
    expect(buckets.get('empty')!.arn).toBe('arn:aws-us-gov:s3:::empty');
    expect(buckets.get('east')!.region).toBe('us-gov-east-1');
    expect(warnings).toEqual([[`${A}/s3/empty.json`, '/LocationConstraint', 'warning']]);
  });

  it('is an unknown region when the account folder names regions of two partitions', () => {
    const { buckets, warnings } = snapshot(['cn-north-1', 'us-east-1'], {
      b: { LocationConstraint: null },
    });
    expect(buckets.get('b')!.region).toBeUndefined();
    expect(warnings).toEqual([[`${A}/s3/b.json`, '/LocationConstraint', 'warning']]);
  });
});

describe('a null or empty LocationConstraint in the aws partition', () => {
  it('is us-east-1 in an account whose regions are in aws', () => {
    const { buckets, warnings } = snapshot(['eu-west-1'], {
      b: { LocationConstraint: null },
      c: { LocationConstraint: '' },
    });
    expect(buckets.get('b')!.region).toBe('us-east-1');
    expect(buckets.get('c')!.region).toBe('us-east-1');
    expect(buckets.get('b')!.arn).toBe('arn:aws:s3:::b');
    expect(warnings).toEqual([]);
  });

  it('is us-east-1 when nothing in the account folder names a partition', () => {
    const { buckets, warnings } = snapshot([], { b: { LocationConstraint: null } });
    expect(buckets.get('b')!.region).toBe('us-east-1');
    expect(warnings).toEqual([]);
  });

  it('leaves a region that is written as it is, in any partition', () => {
    const { buckets, warnings } = snapshot(['cn-north-1'], {
      b: { LocationConstraint: 'cn-northwest-1' },
      eu: { LocationConstraint: 'EU' },
    });
    expect(buckets.get('b')!.region).toBe('cn-northwest-1');
    expect(buckets.get('b')!.arn).toBe('arn:aws-cn:s3:::b');
    expect(buckets.get('eu')!.region).toBe('eu-west-1');
    expect(warnings).toEqual([]);
  });
});
