/**
 * A bucket setting the crawl could not read is not written as "none": the bucket file is read
 * field by field, a missing `ServerSideEncryptionConfiguration` as "not SSE-KMS" and a missing
 * `LocationConstraint` as "the action's region", and the snapshot format cannot say one field is
 * unknown, so such a bucket gets no file and its links are Unknown naming it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawlToFolder, linkDecisions, scenarioCopy } from './helpers.js';

interface PipelineJson {
  pipeline: { stages: { actions: { name: string; configuration: Record<string, string> }[] }[] };
}

const DOCS = 'platform-docs-111111111111';
const DOCS_FILE = `111111111111/s3/${DOCS}.json`;
const PUBLISH_KEY =
  'platform-legacy | Deploy/PublishDocs:s3-deploy.kms-generate-data-key:kms:GenerateDataKey';

describe('a bucket setting that cannot be read', () => {
  it('GetBucketEncryption denied: no bucket file, and the SSE-KMS link of an S3 deploy is Unknown, not dropped', async () => {
    const fixture = scenarioCopy('all-providers');
    // without a KMSEncryptionKeyARN the deploy writes with the bucket's default encryption
    const pipeline = join(fixture, '111111111111/us-east-1/codepipeline/platform-legacy.json');
    const json = JSON.parse(readFileSync(pipeline, 'utf8')) as PipelineJson;
    const publish = json.pipeline.stages
      .flatMap((s) => s.actions)
      .find((a) => a.name === 'PublishDocs');
    expect(publish?.configuration['KMSEncryptionKeyARN']).toBeDefined();
    delete publish?.configuration['KMSEncryptionKeyARN'];
    writeFileSync(pipeline, JSON.stringify(json));
    // positive control: read in full, the deploy needs kms:GenerateDataKey on the bucket's key
    const full = await crawlToFolder(fixture);
    expect((await linkDecisions(full.dir))[PUBLISH_KEY]?.decision).toBe('Allowed');

    const { result, dir } = await crawlToFolder(fixture, [
      {
        service: 's3',
        operation: 'GetBucketEncryption',
        kind: 'access-denied',
        when: (r) => r.params['Bucket'] === DOCS,
      },
    ]);
    expect(result.failures.map((f) => [f.operation, f.permission, f.subject])).toEqual([
      ['GetBucketEncryption', 's3:GetEncryptionConfiguration', `bucket \`${DOCS}\``],
    ]);
    expect(existsSync(join(dir, DOCS_FILE))).toBe(false);
    const links = await linkDecisions(dir);
    expect(links[PUBLISH_KEY]?.decision).toBe('Unknown');
    // the deploy bucket's owner is not known from the pipeline (it need not be the action's
    // account): the file is named in any account's folder, as the deploy's S3 links name it
    expect(links[PUBLISH_KEY]?.missing).toEqual([`*/s3/${DOCS}.json`]);
  });

  for (const [operation, kind, reason] of [
    ['GetBucketLocation', 'throttle', 'throttled'],
    ['GetPublicAccessBlock', 'access-denied', 'access-denied'],
    ['GetBucketOwnershipControls', 'access-denied', 'access-denied'],
  ] as const) {
    it(`${operation} ${reason}: no bucket file`, async () => {
      const fixture = scenarioCopy('all-providers');
      const { result, dir } = await crawlToFolder(fixture, [
        { service: 's3', operation, kind, when: (r) => r.params['Bucket'] === DOCS },
      ]);
      expect(result.failures.map((f) => [f.operation, f.reason])).toEqual([[operation, reason]]);
      expect(existsSync(join(dir, DOCS_FILE))).toBe(false);
      expect(
        existsSync(join(dir, '111111111111/s3/platform-artifacts-111111111111-us-east-1.json')),
      ).toBe(true);
    });
  }
});
