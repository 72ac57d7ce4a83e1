/**
 * A CodeBuild project's key encrypts its S3 secondary artifacts as it does the action's output
 * artifacts, unless an artifact sets encryptionDisabled
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html), and S3
 * sends each object's ARN (or its bucket's, with an S3 Bucket Key) as the encryption context of
 * the KMS calls it makes for the upload
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context).
 * The project key's upload links (codebuild-project.output-kms-generate-data-key and
 * output-multipart-kms-decrypt) gave the context of the output artifacts only when the project
 * had no encrypted secondary artifact; with one, the context was an unknown key, and a key
 * policy that tests it made the link Unknown. Edits of the pass-cross-account scenario: project
 * `orders-api-build` (key KEY, which is the artifact store's) gains an S3 secondary artifact in
 * `release-bucket`.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { RELEASE } from './codebuildProjects.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const STORE = 'arn:aws:s3:::orders-artifacts-111111111111-us-east-1';
const RELEASE_BUCKET = 'arn:aws:s3:::release-bucket';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';
const WRITE = 'codebuild-project.output-kms-generate-data-key';
const MULTIPART = 'codebuild-project.output-multipart-kms-decrypt';

/** the release bucket's file: its default encryption uses an S3 Bucket Key or not */
const bucketFile = (bucketKey: boolean | 'not read'): Json => ({
  Policy: null,
  LocationConstraint: null,
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  ...(bucketKey === 'not read'
    ? {}
    : {
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
              BucketKeyEnabled: bucketKey,
            },
          ],
        },
      }),
});

interface Setup {
  /** the secondary artifact: RELEASE with these changes */
  readonly artifact?: Json;
  /** the objects the key policy lets data keys be made for (StringNotLike Deny of the others) */
  readonly objects: string[];
  /** the release bucket's BucketKeyEnabled (false when not given); `not read`: its encryption is not in its file */
  readonly bucketKey?: boolean | 'not read';
}

/** The project key's upload links of the build role (kms:GenerateDataKey, the multipart Decrypt). */
function uploadLinks({ artifact = {}, objects, bucketKey = false }: Setup): {
  write: ReportLink;
  multipart: ReportLink;
} {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '111111111111/us-east-1/codebuild.json'), (doc) => {
      (doc['projects'] as Json[])[0]!['secondaryArtifacts'] = [{ ...RELEASE, ...artifact }];
    });
    writeFileSync(
      join(dir, '111111111111/s3/release-bucket.json'),
      JSON.stringify(bucketFile(bucketKey)),
    );
    const folder = join(dir, '111111111111/us-east-1/kms');
    editJson(
      join(
        folder,
        readdirSync(folder).find((f) => f !== 'aliases.json')!,
      ),
      (key) => {
        const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
        policy.Statement.push({
          Sid: 'OnlyKnownObjects',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': objects } },
        });
        key['Policy'] = JSON.stringify(policy);
      },
    );
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    const one = (requirement: string): ReportLink => {
      const found = links.filter(
        (l) => l.principal === BUILD_ROLE && l.requirement === requirement,
      );
      expect(found).toHaveLength(1);
      expect(found[0]!.resource).toBe(KEY);
      return found[0]!;
    };
    return { write: one(WRITE), multipart: one(MULTIPART) };
  });
}

describe("the project key's upload links carry each encrypted secondary artifact's object as aws:s3:arn", () => {
  it('are allowed by a key policy on the store and the artifact, for both calls (were Unknown)', () => {
    const { write, multipart } = uploadLinks({
      objects: [`${STORE}/*`, `${RELEASE_BUCKET}/builds/*`],
    });
    expect(write.decision).toBe('Allowed');
    expect(multipart.decision).toBe('Allowed');
  });

  it("are denied, by the artifact's call, by a key policy on the store's objects alone (were Unknown)", () => {
    const { write } = uploadLinks({ objects: [`${STORE}/*`] });
    expect(write.decision).toBe('ExplicitlyDenied');
    expect(write.why).toContain('OnlyKnownObjects');
  });

  it('leave out an artifact that sets encryptionDisabled: it makes no KMS call', () => {
    const { write } = uploadLinks({
      artifact: { encryptionDisabled: true },
      objects: [`${STORE}/*`],
    });
    expect(write.decision).toBe('Allowed');
  });

  it("try the build id of a BUILD_ID artifact's key, as its upload link does", () => {
    const BUILD_ID = { namespaceType: 'BUILD_ID' };
    const whole = uploadLinks({
      artifact: BUILD_ID,
      objects: [`${STORE}/*`, `${RELEASE_BUCKET}/builds/*/app.zip`],
    });
    expect(whole.write.decision).toBe('Allowed');
    // `builds/app.zip` is no key a build writes
    const without = uploadLinks({
      artifact: BUILD_ID,
      objects: [`${STORE}/*`, `${RELEASE_BUCKET}/builds/app.zip`],
    });
    expect(without.write.decision).toBe('ExplicitlyDenied');
    const some = uploadLinks({
      artifact: BUILD_ID,
      objects: [`${STORE}/*`, `${RELEASE_BUCKET}/builds/orders-api-build:*/app.zip`],
    });
    expect(some.write.decision).toBe('Unknown');
    expect(some.write.why).toContain('the build id');
  });

  it("send the artifact bucket's ARN when that bucket uses an S3 Bucket Key, and are Unknown when its setting is not known", () => {
    const objects = [`${STORE}/*`, `${RELEASE_BUCKET}/*`];
    expect(uploadLinks({ objects }).write.decision).toBe('Allowed');
    const bucketKey = uploadLinks({ objects, bucketKey: true }).write;
    expect(bucketKey.decision).toBe('ExplicitlyDenied');
    // the store's bucket key alone does not decide the artifact bucket's
    expect(
      uploadLinks({ objects: [...objects, RELEASE_BUCKET], bucketKey: true }).write.decision,
    ).toBe('Allowed');
    const notRead = uploadLinks({ objects, bucketKey: 'not read' }).write;
    expect(notRead.decision).toBe('Unknown');
    expect(notRead.missing).toContain(
      '111111111111/s3/release-bucket.json#/ServerSideEncryptionConfiguration',
    );
  });
});
