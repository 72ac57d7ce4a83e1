/**
 * An S3 secondary artifact's `bucketOwnerAccess` READ_ONLY or FULL: "To use this property, your
 * CodeBuild service role must have the s3:PutBucketAcl permission. This permission allows
 * CodeBuild to modify the access control list for the bucket"
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). It was
 * not read, so a build role without s3:PutBucketAcl passed. Edits of the pass-cross-account
 * scenario: project `orders-api-build` gains an S3 secondary artifact in `release-bucket`, and its
 * role s3:PutObject on it (and s3:PutBucketAcl on the bucket unless told not to).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Problem } from '../../src/problems.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';
import { RELEASE } from './codebuildProjects.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const ACL = 'codebuild-project.secondary-artifact-put-bucket-acl';

/** The scenario with these secondary artifacts (RELEASE with these changes); its report. */
function withArtifacts(
  artifacts: Json[],
  aclGrant = true,
): { pipeline: ReportPipeline; problems: readonly Problem[] } {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '111111111111/us-east-1/codebuild.json'), (doc) => {
      (doc['projects'] as Json[])[0]!['secondaryArtifacts'] = artifacts.map((a) => ({
        ...RELEASE,
        ...a,
      }));
    });
    writeFileSync(
      join(dir, '111111111111/s3/release-bucket.json'),
      JSON.stringify({ Policy: null, LocationConstraint: null }),
    );
    editJson(join(dir, '111111111111/iam.json'), (doc) => {
      const role = (doc['RoleDetailList'] as Json[]).find(
        (r) => r['RoleName'] === 'orders-api-build-role',
      )!;
      const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
        Statement: Json[];
      };
      policy.Statement.push({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::release-bucket/*',
      });
      if (aclGrant)
        policy.Statement.push({
          Effect: 'Allow',
          Action: 's3:PutBucketAcl',
          Resource: 'arn:aws:s3:::release-bucket',
        });
    });
    const model = loadSnapshot(dir);
    const report = analyzeModel(model);
    return { pipeline: report.pipelines[0]!, problems: model.problems };
  });
}

const acl = (p: ReportPipeline): ReportLink[] => p.links.filter((l) => l.requirement === ACL);

describe('an S3 secondary artifact with bucketOwnerAccess', () => {
  it('READ_ONLY and FULL need s3:PutBucketAcl on its bucket for the project role', () => {
    for (const access of ['READ_ONLY', 'full']) {
      const { pipeline } = withArtifacts([{ bucketOwnerAccess: access }]);
      const links = acl(pipeline);
      expect(links.map((l) => [l.resource, l.permission, l.level, l.decision])).toEqual([
        ['arn:aws:s3:::release-bucket', 's3:PutBucketAcl', 'required', 'Allowed'],
      ]);
      expect(links[0]!.principal).toBe(
        'arn:aws:iam::111111111111:role/service-role/orders-api-build-role',
      );
      expect(links[0]!.doc).toBe(
        'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html',
      );
    }
  });

  it('is denied to a role without s3:PutBucketAcl', () => {
    const { pipeline } = withArtifacts([{ bucketOwnerAccess: 'FULL' }], false);
    expect(acl(pipeline).map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
    expect(pipeline.verdict).toBe('fail');
  });

  it('checks each bucket once', () => {
    const { pipeline } = withArtifacts([
      { bucketOwnerAccess: 'FULL' },
      { bucketOwnerAccess: 'READ_ONLY', name: 'other.zip', artifactIdentifier: 'o' },
    ]);
    expect(acl(pipeline).map((l) => l.resource)).toEqual(['arn:aws:s3:::release-bucket']);
  });

  it('makes no link for NONE (the default) or without bucketOwnerAccess, nor for a non-S3 artifact', () => {
    for (const artifacts of [
      [{ bucketOwnerAccess: 'NONE' }],
      [{}],
      [{ type: 'NO_ARTIFACTS', bucketOwnerAccess: 'FULL' }],
    ]) {
      const { pipeline } = withArtifacts(artifacts, false);
      expect(acl(pipeline)).toEqual([]);
      expect(pipeline.verdict).toBe('pass');
    }
  });

  it('is Unknown for a value that is none of NONE, READ_ONLY and FULL, naming it', () => {
    const { pipeline } = withArtifacts([{ bucketOwnerAccess: 'OWNER' }]);
    const [link, ...rest] = acl(pipeline);
    expect(rest).toEqual([]);
    expect(link?.decision).toBe('Unknown');
    expect(JSON.stringify([link?.why, link?.missing])).toContain('bucketOwnerAccess `OWNER`');
  });

  it('is an input error at its pointer when not a string, and the link Unknown naming it', () => {
    const { pipeline, problems } = withArtifacts([{ bucketOwnerAccess: 7 }]);
    const pointer = '/projects/0/secondaryArtifacts/0/bucketOwnerAccess';
    expect(problems.filter((p) => p.severity === 'error').map((p) => [p.file, p.pointer])).toEqual([
      ['111111111111/us-east-1/codebuild.json', pointer],
    ]);
    const [link] = acl(pipeline);
    expect(link?.decision).toBe('Unknown');
    expect(link?.missing).toEqual([
      `111111111111/us-east-1/codebuild.json#${pointer} (not readable)`,
    ]);
  });
});
