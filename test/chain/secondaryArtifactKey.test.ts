/**
 * A CodeBuild project encrypts its S3 secondary artifacts with its key unless they set
 * encryptionDisabled (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html),
 * so the project role needs kms:GenerateDataKey on that key to upload one, whether or not the
 * pipeline action has output artifacts. Edits of the all-providers scenario: the
 * `platform-containers` action `Test/UnitTests` (project `platform-api-test`) has no output
 * artifacts; it gains an S3 secondary artifact, and its role the upload to that bucket.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportPipeline } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const GENERATE =
  'Test/UnitTests:codebuild-project.output-kms-generate-data-key:kms:GenerateDataKey';

type Json = Record<string, unknown>;

function edit(dir: string, file: string, change: (doc: Json) => void): void {
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
  change(doc);
  writeFileSync(path, JSON.stringify(doc, null, 2));
}

/**
 * The scenario with `platform-api-test` uploading an S3 secondary artifact (encrypted unless
 * `encryptionDisabled`), its role allowed to put it, and `generateDataKey` saying whether the
 * role may generate data keys with the project key.
 */
function containers(opts: {
  encryptionDisabled: boolean;
  generateDataKey: boolean;
}): ReportPipeline {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-secondary-key-'));
  cpSync(SCENARIO, dir, { recursive: true });
  edit(dir, '111111111111/us-east-1/codebuild.json', (doc) => {
    const project = (doc['projects'] as Json[]).find((p) => p['name'] === 'platform-api-test')!;
    expect(project['encryptionKey']).toBe(KEY);
    project['secondaryArtifacts'] = [
      {
        type: 'S3',
        location: 'platform-build-reports-111111111111',
        path: 'api',
        namespaceType: 'BUILD_ID',
        name: 'coverage',
        packaging: 'ZIP',
        encryptionDisabled: opts.encryptionDisabled,
        artifactIdentifier: 'coverage',
      },
    ];
  });
  edit(dir, '111111111111/iam.json', (doc) => {
    const role = (doc['RoleDetailList'] as Json[]).find(
      (r) => r['RoleName'] === 'platform-api-test-role',
    )!;
    const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
      Statement: Json[];
    };
    policy.Statement.push({
      Sid: 'Coverage',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::platform-build-reports-111111111111/*',
    });
    // the key policy names the role itself: only a deny takes the grant away
    if (!opts.generateDataKey)
      policy.Statement.push({
        Sid: 'NoDataKeys',
        Effect: 'Deny',
        Action: 'kms:GenerateDataKey*',
        Resource: KEY,
      });
  });
  const report = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-containers'] });
  return report.pipelines[0]!;
}

describe('an encrypted S3 secondary artifact of a build without output artifacts', () => {
  it('needs kms:GenerateDataKey on the project key', () => {
    const p = containers({ encryptionDisabled: false, generateDataKey: true });
    const link = p.links.find((l) => l.id === GENERATE);
    expect(link?.resource).toBe(KEY);
    expect(link?.principal).toBe(
      'arn:aws:iam::111111111111:role/service-role/platform-api-test-role',
    );
    expect(link?.decision).toBe('Allowed');
  });

  it('is denied when the project role may not generate data keys with the key', () => {
    const p = containers({ encryptionDisabled: false, generateDataKey: false });
    const link = p.links.find((l) => l.id === GENERATE);
    expect(link?.decision).toBe('ExplicitlyDenied');
    expect(p.verdict).toBe('fail');
  });

  it('needs no key when the artifact sets encryptionDisabled', () => {
    const p = containers({ encryptionDisabled: true, generateDataKey: false });
    expect(p.links.filter((l) => l.id === GENERATE)).toEqual([]);
  });
});
