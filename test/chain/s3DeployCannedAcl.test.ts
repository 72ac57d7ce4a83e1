/**
 * An S3 deploy with CannedACL: S3 takes the canned ACL on PutObject itself as s3:x-amz-acl (a
 * condition key of s3:PutObject, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html),
 * and a bucket policy may require it there ("Deny s3:PutObject unless s3:x-amz-acl =
 * bucket-owner-full-control", https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html).
 * AWS does not document whether CodePipeline sends the ACL with the PutObject call or only with a
 * later PutObjectAcl, so the PutObject link is evaluated both ways: the same answer is certain,
 * different answers are Unknown. Each case edits the all-providers scenario, whose PublishDocs
 * action deploys to platform-docs with CannedACL bucket-owner-full-control.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const BUCKET = 'platform-docs-111111111111';
const BUCKET_FILE = `111111111111/s3/${BUCKET}.json`;
const PIPELINE_FILE = '111111111111/us-east-1/codepipeline/platform-legacy.json';
const PUT_OBJECT = 'Deploy/PublishDocs:s3-deploy.put-object:s3:PutObject';

type Stages = { actions: { name: string; configuration: Json }[] }[];

/** The PublishDocs PutObject link, with a bucket policy statement and a CannedACL (or none). */
function putObject(statement: object, cannedAcl: string | undefined, roleAllowCondition?: object) {
  return inScenarioCopy(SCENARIO, (dir) => {
    if (roleAllowCondition)
      editJson(join(dir, '111111111111/iam.json'), (doc) => {
        for (const role of doc['RoleDetailList'] as Json[])
          for (const p of (role['RolePolicyList'] ?? []) as Json[])
            for (const st of (p['PolicyDocument'] as { Statement: Json[] }).Statement)
              if (st['Sid'] === 'DocsBucketDeploy') st['Condition'] = roleAllowCondition;
      });
    editJson(join(dir, BUCKET_FILE), (doc) => {
      const policy = JSON.parse(doc['Policy'] as string) as { Statement: unknown[] };
      policy.Statement.push(statement);
      doc['Policy'] = JSON.stringify(policy);
    });
    editJson(join(dir, PIPELINE_FILE), (doc) => {
      const stages = (doc['pipeline'] as { stages: Stages }).stages;
      const action = stages.flatMap((s) => s.actions).find((a) => a.name === 'PublishDocs')!;
      if (cannedAcl === undefined) delete action.configuration['CannedACL'];
      else action.configuration['CannedACL'] = cannedAcl;
    });
    const links = analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    return links.find((l) => l.id === PUT_OBJECT)!;
  });
}

const denyUnless = (acl: string) => ({
  Sid: 'RequireCannedAcl',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition: { StringNotEquals: { 's3:x-amz-acl': acl } },
});

describe('an S3 deploy with CannedACL, against a bucket policy that tests s3:x-amz-acl', () => {
  it('is Unknown, naming the key, when the policy requires the configured ACL on PutObject', () => {
    const link = putObject(denyUnless('bucket-owner-full-control'), 'bucket-owner-full-control');
    expect(link.decision).toBe('Unknown');
    expect(link.why).toContain('`s3:x-amz-acl`');
  });

  it('is denied either way when the policy requires another ACL', () => {
    const link = putObject(denyUnless('private'), 'bucket-owner-full-control');
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy.map((d) => d.statement)).toEqual(['RequireCannedAcl']);
  });

  it('is allowed either way when the policy only denies an ACL the action does not set', () => {
    const denyPublic = {
      ...denyUnless('unused'),
      Sid: 'DenyPublicRead',
      Condition: { StringEquals: { 's3:x-amz-acl': 'public-read' } },
    };
    expect(putObject(denyPublic, 'bucket-owner-full-control').decision).toBe('Allowed');
  });

  it('is denied when it is denied either way, implicitly one way and explicitly the other', () => {
    // with the ACL, the bucket policy denies it; without, the role's allow needs the ACL
    const denyWithAcl = {
      ...denyUnless('unused'),
      Sid: 'DenyOwnerFullControl',
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    };
    const onlyWithAcl = { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } };
    const link = putObject(denyWithAcl, 'bucket-owner-full-control', onlyWithAcl);
    // the explicit deny the call meets with the ACL is named first, then the allow it lacks
    // without; the fix must lift the deny and add the allow (mixedDenials.test.ts)
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy.map((d) => [d.policyType, d.statement, d.explicit])).toEqual([
      ['resource', 'DenyOwnerFullControl', true],
      ['identity', undefined, false],
    ]);
    expect(link.fix).toMatch(/^narrow the deny in .*, and /);
  });

  it('is denied without CannedACL: the call then carries no ACL', () => {
    const link = putObject(denyUnless('bucket-owner-full-control'), undefined);
    expect(link.decision).toBe('ExplicitlyDenied');
  });
});
