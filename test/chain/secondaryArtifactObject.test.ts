/**
 * The objects a CodeBuild project's S3 secondary artifact writes are named by its location (the
 * bucket), path, namespaceType, name, packaging and overrideArtifactName
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). They
 * were checked as `arn:aws:s3:::<bucket>/*` with the `*` the literal character, so a role allowed
 * `<bucket>/builds/*` was denied the upload of `builds/app.zip`. Edits of the pass-cross-account
 * scenario: project `orders-api-build` gains an S3 secondary artifact in `release-bucket`, and its
 * role a statement on that bucket.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Problem } from '../../src/problems.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PUT = 'codebuild-project.secondary-artifact-put-object';

const RELEASE: Json = {
  type: 'S3',
  location: 'release-bucket',
  path: 'builds',
  name: 'app.zip',
  namespaceType: 'NONE',
  packaging: 'ZIP',
  artifactIdentifier: 'rel',
};

const BUCKET: Json = {
  Policy: null,
  LocationConstraint: null,
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
  ServerSideEncryptionConfiguration: {
    Rules: [
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
    ],
  },
};

/** withArtifact's pipeline, with the problems of loading the snapshot. */
function withArtifactModel(
  artifact: Json,
  resources: string | string[],
): { pipeline: ReportPipeline; problems: readonly Problem[] } {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '111111111111/us-east-1/codebuild.json'), (doc) => {
      (doc['projects'] as Json[])[0]!['secondaryArtifacts'] = [{ ...RELEASE, ...artifact }];
    });
    writeFileSync(join(dir, '111111111111/s3/release-bucket.json'), JSON.stringify(BUCKET));
    editJson(join(dir, '111111111111/iam.json'), (doc) => {
      const role = (doc['RoleDetailList'] as Json[]).find(
        (r) => r['RoleName'] === 'orders-api-build-role',
      )!;
      const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
        Statement: Json[];
      };
      policy.Statement.push({ Effect: 'Allow', Action: 's3:PutObject', Resource: resources });
    });
    const model = loadSnapshot(dir);
    const report = analyzeModel(model);
    expect(report.pipelines).toHaveLength(1);
    return { pipeline: report.pipelines[0]!, problems: model.problems };
  });
}

/** The one upload link of the secondary artifact. */
function put(p: ReportPipeline): ReportLink {
  const links = p.links.filter((l) => l.requirement === PUT);
  expect(links).toHaveLength(1);
  return links[0]!;
}

describe('a secondary artifact field of the wrong shape in a snapshot', () => {
  it.each([
    ['path', 5, 'expected a string'],
    ['name', ['app.zip'], 'expected a string'],
    ['namespaceType', true, 'expected a string'],
    ['packaging', {}, 'expected a string'],
    ['overrideArtifactName', 'yes', 'expected a boolean'],
  ])(
    '%s: %j is an input error at its pointer, and the upload is Unknown naming it',
    (key, value, message) => {
      const { pipeline, problems } = withArtifactModel(
        { [key]: value },
        'arn:aws:s3:::release-bucket/*',
      );
      const pointer = `/projects/0/secondaryArtifacts/0/${key}`;
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => [p.file, p.pointer])).toEqual([
        ['111111111111/us-east-1/codebuild.json', pointer],
      ]);
      expect(errors[0]!.message).toContain(message);
      const link = put(pipeline);
      expect(link.decision).toBe('Unknown');
      expect(link.missing).toEqual([
        `111111111111/us-east-1/codebuild.json#${pointer} (not readable)`,
      ]);
    },
  );
});
