/**
 * The KMS calls S3 makes for an S3 deploy (and an S3 source) carry `kms:ViaService` of the
 * region S3 calls KMS in: the region of the key, which is the bucket's (S3 encrypts a bucket's
 * objects with a key of its region: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html),
 * not the action's (a review finding, session 22).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const KEY = '6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c';
const LINK = 'Deploy/PublishDocs:s3-deploy.kms-generate-data-key:kms:GenerateDataKey';

/** all-providers, the docs bucket and its key in `region`, the key allowing S3 of `via` only. */
function generateDataKey(region: string, via: string) {
  return inScenarioCopy('fixtures/scenarios/all-providers', (dir) => {
    const acct = join(dir, '111111111111');
    editJson(join(acct, 's3/platform-docs-111111111111.json'), (b) => {
      b['LocationConstraint'] = region;
    });
    editJson(join(acct, 'us-east-1/codepipeline/platform-legacy.json'), (d) => {
      for (const s of (d['pipeline'] as Json)['stages'] as Json[])
        for (const a of s['actions'] as Json[])
          if (a['name'] === 'PublishDocs')
            (a['configuration'] as Json)['KMSEncryptionKeyARN'] =
              `arn:aws:kms:${region}:111111111111:key/${KEY}`;
    });
    const key = JSON.parse(readFileSync(join(acct, `us-east-1/kms/${KEY}.json`), 'utf8')) as Json;
    const meta = key['KeyMetadata'] as Json;
    meta['Arn'] = `arn:aws:kms:${region}:111111111111:key/${KEY}`;
    const policy = JSON.parse(key['Policy'] as string) as Json;
    (policy['Statement'] as Json[]).push({
      Sid: 'OnlyViaS3',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:ViaService': `s3.${via}.amazonaws.com` } },
    });
    key['Policy'] = JSON.stringify(policy);
    mkdirSync(join(acct, `${region}/kms`), { recursive: true });
    writeFileSync(join(acct, `${region}/kms/${KEY}.json`), JSON.stringify(key));
    const links = analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    return links.find((l) => l.id === LINK)!;
  });
}

describe('kms:ViaService of the KMS calls S3 makes', () => {
  it("is S3's in the key's region, not the action's (was: s3.us-east-1, denied by a key policy allowing S3 of eu-west-1)", () => {
    expect(generateDataKey('eu-west-1', 'eu-west-1').decision).toBe('Allowed');
    // the controls: S3 of another region is denied; a key of the action's region as before
    const other = generateDataKey('eu-west-1', 'us-east-1');
    expect(other.decision).toBe('ExplicitlyDenied');
    expect(other.deniedBy[0]?.statement).toBe('OnlyViaS3');
    expect(generateDataKey('us-east-1', 'us-east-1').decision).toBe('Allowed');
  });
});
