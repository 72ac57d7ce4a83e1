/**
 * The loaders read a CodeBuild project's batch service role (`buildBatchConfig.serviceRole`,
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectBuildBatchConfig.html)
 * and its S3 logs' `bucketOwnerAccess`
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html): a snapshot's
 * batch-get-projects output and a template's AWS::CodeBuild::Project.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { CodeBuildProjectModel, Model } from '../../src/model/types.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const CODEBUILD = '111111111111/us-east-1/codebuild.json';
const BATCH_ROLE = 'arn:aws:iam::111111111111:role/service-role/platform-api-test-batch-role';

function projectOf(model: Model, name: string): CodeBuildProjectModel {
  return model.accounts
    .get('111111111111')!
    .regions.get('us-east-1')!
    .codebuild!.projects.get(name)!;
}

describe('a snapshot project', () => {
  function load(edit: (projects: Json[]) => void): Model {
    return inScenarioCopy('fixtures/scenarios/all-providers', (dir) => {
      editJson(join(dir, CODEBUILD), (doc) => edit(doc['projects'] as Json[]));
      return loadSnapshot(dir);
    });
  }

  it('keeps the batch service role and where the batch configuration is', () => {
    const model = load((projects) => {
      projects[1]!['buildBatchConfig'] = { serviceRole: BATCH_ROLE, timeoutInMins: 60 };
      delete projects[0]!['buildBatchConfig'];
    });
    expect(projectOf(model, 'platform-api-test').buildBatchConfig).toEqual({
      serviceRole: BATCH_ROLE,
      location: { file: CODEBUILD, pointer: '/projects/1/buildBatchConfig' },
    });
    expect(projectOf(model, 'platform-api-package').buildBatchConfig).toBeUndefined();
    // a configuration without a role
    const none = load((projects) => {
      projects[1]!['buildBatchConfig'] = { combineArtifacts: false };
    });
    expect(projectOf(none, 'platform-api-test').buildBatchConfig?.serviceRole).toBeUndefined();
  });

  it('keeps the S3 logs bucketOwnerAccess', () => {
    const model = load((projects) => {
      const logs = projects[2]!['logsConfig'] as Json;
      logs['s3Logs'] = { status: 'ENABLED', location: 'b/p', bucketOwnerAccess: 'READ_ONLY' };
    });
    expect(projectOf(model, 'platform-web-build').logsConfig?.s3Logs?.bucketOwnerAccess).toBe(
      'READ_ONLY',
    );
  });
});

describe('a template project', () => {
  const FILE = 'test/load/templates/fixtures/codebuild-batch/pipeline.yaml';
  const load = (parameters: Record<string, string> = {}): CodeBuildProjectModel => {
    const { model } = loadSingleTemplate(FILE, {
      account: '111111111111',
      region: 'us-east-1',
      parameters,
      managedPolicies: noManagedPolicies,
    });
    return projectOf(model, 'tests');
  };

  it('reads BuildBatchConfig.ServiceRole and S3Logs.BucketOwnerAccess', () => {
    const p = load();
    expect(p.buildBatchConfig).toMatchObject({
      serviceRole: 'arn:aws:iam::111111111111:role/batch-role',
      location: { file: FILE, pointer: '/Resources/Project/Properties/BuildBatchConfig' },
    });
    expect(p.logsConfig?.s3Logs?.bucketOwnerAccess).toBe('FULL');
    expect(load({ BatchConfig: 'none' }).buildBatchConfig).toBeUndefined();
  });

  it('makes a value the template does not settle a placeholder, not absent', () => {
    expect(load({ BatchConfig: 'ssm' }).buildBatchConfig?.serviceRole).toMatch(
      /^arn:aws:iam::unresolved:role\/unresolved-[0-9a-f]{10}$/,
    );
    expect(load({ LogsOwnerAccess: 'ssm' }).logsConfig?.s3Logs?.bucketOwnerAccess).toMatch(
      /^unresolved-[0-9a-f]{10}$/,
    );
  });
});
