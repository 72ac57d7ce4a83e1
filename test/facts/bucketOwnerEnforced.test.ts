/**
 * §2.5 of the fact sheet (/work/shared/aws-facts.md): on a bucket whose Object Ownership is
 * "Bucket owner enforced", ACLs are disabled and "PUTs carrying ACLs other than
 * bucket-owner-full-control fail with AccessControlListNotSupported". AWS: "All S3 PUT requests
 * must either specify the bucket-owner-full-control canned ACL or not specify an ACL, or these
 * requests will fail" and "Requests to set ACLs or update ACLs fail with a 400 error and return
 * the AccessControlListNotSupported error code"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html).
 *
 * An S3 deploy action with CannedACL sets that ACL on every object it writes, with the PutObject
 * or with a PutObjectAcl after it (AWS does not say which: test/chain/s3DeployCannedAcl.test.ts);
 * either call fails there whatever the policies say. Edits of the all-providers scenario, whose
 * PublishDocs action deploys to platform-docs-111111111111 (BucketOwnerEnforced) with CannedACL
 * bucket-owner-full-control.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const BUCKET = 'platform-docs-111111111111';
const BUCKET_FILE = `111111111111/s3/${BUCKET}.json`;
const PIPELINE_FILE = '111111111111/us-east-1/codepipeline/platform-legacy.json';
const ACL_LINK = `Deploy/PublishDocs:s3-deploy.put-object-acl:s3:PutObjectAcl`;

type Stages = { actions: { name: string; configuration: Json }[] }[];

/** The PublishDocs links with CannedACL `acl`, the bucket's ownership set to `ownership`. */
function publishDocs(acl: string, ownership?: string | null) {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, PIPELINE_FILE), (doc) => {
      const stages = (doc['pipeline'] as { stages: Stages }).stages;
      const action = stages.flatMap((s) => s.actions).find((a) => a.name === 'PublishDocs')!;
      action.configuration['CannedACL'] = acl;
    });
    if (ownership !== undefined)
      editJson(join(dir, BUCKET_FILE), (doc) => {
        if (ownership === null) delete doc['OwnershipControls'];
        else doc['OwnershipControls'] = { Rules: [{ ObjectOwnership: ownership }] };
      });
    const p = analyzeModel(loadSnapshot(dir)).pipelines.find((x) => x.name === 'platform-legacy')!;
    return { pipeline: p, acl: p.links.find((l) => l.id === ACL_LINK)! };
  });
}

describe('§2.5 an S3 deploy CannedACL on a bucket with ACLs disabled (Bucket owner enforced)', () => {
  it('bucket-owner-full-control is accepted: decided by the policies, as before', () => {
    const { acl } = publishDocs('bucket-owner-full-control');
    expect(acl.decision).toBe('Allowed');
  });

  it('public-read fails with AccessControlListNotSupported, which no policy changes', () => {
    const { acl, pipeline } = publishDocs('public-read');
    expect(acl.decision).toBe('ImplicitlyDenied');
    expect(acl.level).toBe('required');
    // the bucket's configuration decides, not a policy
    expect(acl.deniedBy).toEqual([]);
    expect(acl.why).toContain('AccessControlListNotSupported');
    expect(acl.why).toContain(`\`${BUCKET}\``);
    expect(acl.why).toContain('`public-read`');
    expect(acl.fix).toContain('bucket-owner-full-control');
    expect(pipeline.verdict).toBe('fail');
  });

  it("private, written from the bucket owner's account, gives the bucket owner full control: Unknown (it was denied)", () => {
    // "specify bucket owner full control ACLs (such as the predefined bucket-owner-full-control
    // canned ACL or a custom ACL in XML format that grants the same permissions)"
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html): from the
    // owner's own account `private` grants those; whether S3 takes it is not documented
    const { acl, pipeline } = publishDocs('private');
    expect(acl.decision).toBe('Unknown');
    expect(acl.why).toContain('`private`');
    expect(acl.why).toContain('is not documented');
    expect(pipeline.verdict).not.toBe('pass');
  });

  it.each(['authenticated-read', 'bucket-owner-read', 'aws-exec-read'])(
    '%s fails the same way',
    (canned) => {
      expect(publishDocs(canned).acl.decision).toBe('ImplicitlyDenied');
    },
  );

  it('a bucket that keeps ACLs (ObjectWriter, BucketOwnerPreferred) takes public-read: decided by the policies', () => {
    for (const ownership of ['ObjectWriter', 'BucketOwnerPreferred']) {
      const { acl } = publishDocs('public-read', ownership);
      expect(acl.decision).toBe('Allowed');
      expect(acl.deniedBy).toEqual([]);
      expect(acl.why).not.toContain('AccessControlListNotSupported');
    }
  });

  it('a bucket file without OwnershipControls (none set: ACLs enabled) is decided by the policies', () => {
    const { acl } = publishDocs('public-read', null);
    expect(acl.why).not.toContain('AccessControlListNotSupported');
  });
});
