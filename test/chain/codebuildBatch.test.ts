/**
 * CodeBuild batch builds: a CodeBuild action with `BatchEnabled` = `true` starts a batch build,
 * which runs under the project's batch service role (`buildBatchConfig.serviceRole`): "CodeBuild
 * must be able to call the StartBuild, StopBuild, and RetryBuild actions on your behalf to run
 * builds as part of a batch" (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role).
 * Edits of the all-providers scenario, whose `Test/UnitTests` action runs `platform-api-test` as a
 * batch build, and a template (test/load/templates/fixtures/codebuild-batch) whose parameters
 * leave values unsettled.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { batchRoleOf } from '../../src/chain/actionFacts.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { CodeBuildProjectModel } from '../../src/model/types.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const CODEBUILD = '111111111111/us-east-1/codebuild.json';
const PIPELINE = '111111111111/us-east-1/codepipeline/platform-containers.json';
const BATCH_ROLE = 'arn:aws:iam::111111111111:role/service-role/platform-api-test-batch-role';
const PROJECT = 'arn:aws:codebuild:us-east-1:111111111111:project/platform-api-test';
const TRUST = 'Test/UnitTests:codebuild-project.assume-batch-service-role:sts:AssumeRole';
const BUILDS = 'Test/UnitTests:codebuild-project.batch-role-builds:codebuild:';
const DOC =
  'https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role';

interface Edits {
  /** the project's `buildBatchConfig`, replacing the scenario's (null: none) */
  readonly batchConfig?: Json | null | number;
  /** the batch role's policy statement actions, replacing the scenario's three */
  readonly batchActions?: readonly string[];
  /** the batch role's trust policy statements, replacing the scenario's */
  readonly trust?: readonly Json[];
  /** the action's `BatchEnabled` */
  readonly batchEnabled?: string;
}

function containers(edits: Edits = {}): ReportPipeline {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, CODEBUILD), (doc) => {
      const project = (doc['projects'] as Json[]).find((p) => p['name'] === 'platform-api-test')!;
      expect(project['buildBatchConfig']).toMatchObject({ serviceRole: BATCH_ROLE });
      if (edits.batchConfig === null) delete project['buildBatchConfig'];
      else if (edits.batchConfig !== undefined) project['buildBatchConfig'] = edits.batchConfig;
    });
    editJson(join(dir, '111111111111/iam.json'), (doc) => {
      const role = (doc['RoleDetailList'] as Json[]).find((r) => r['Arn'] === BATCH_ROLE)!;
      const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
        Statement: Json[];
      };
      expect(policy.Statement).toEqual([
        {
          Sid: 'BatchBuilds',
          Effect: 'Allow',
          Action: ['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:RetryBuild'],
          Resource: PROJECT,
        },
      ]);
      if (edits.batchActions) policy.Statement[0]!['Action'] = [...edits.batchActions];
      if (edits.trust)
        (role['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement = [...edits.trust];
    });
    if (edits.batchEnabled !== undefined)
      editJson(join(dir, PIPELINE), (doc) => {
        const stages = (doc['pipeline'] as { stages: { actions: Json[] }[] }).stages;
        const action = stages.flatMap((s) => s.actions).find((a) => a['name'] === 'UnitTests')!;
        const config = action['configuration'] as Json;
        expect(config['BatchEnabled']).toBe('true');
        config['BatchEnabled'] = edits.batchEnabled;
      });
    return analyzeModel(loadSnapshot(dir), { pipelines: ['platform-containers'] }).pipelines[0]!;
  });
}

const batchLinks = (p: ReportPipeline): ReportLink[] =>
  p.links.filter((l) => l.id === TRUST || l.id.startsWith(BUILDS));
const decisions = (p: ReportPipeline): Record<string, string> =>
  Object.fromEntries(batchLinks(p).map((l) => [l.id, l.decision]));

describe('a CodeBuild batch build and its batch service role', () => {
  it('checks CodeBuild assuming the batch role and its StartBuild, StopBuild and RetryBuild on the project', () => {
    const p = containers();
    expect(decisions(p)).toEqual({
      [TRUST]: 'Allowed',
      [`${BUILDS}StartBuild`]: 'Allowed',
      [`${BUILDS}StopBuild`]: 'Allowed',
      [`${BUILDS}RetryBuild`]: 'Allowed',
    });
    const trust = p.links.find((l) => l.id === TRUST)!;
    expect(trust.resource).toBe(BATCH_ROLE);
    expect(trust.principal).toBe('codebuild.amazonaws.com');
    for (const l of batchLinks(p).filter((x) => x.id !== TRUST)) {
      expect(l.principal, l.id).toBe(BATCH_ROLE);
      expect(l.resource, l.id).toBe(PROJECT);
    }
    for (const l of batchLinks(p)) {
      expect(l.level, l.id).toBe('required');
      expect(l.doc, l.id).toBe(DOC);
    }
    // the pipeline role's batch calls, not the single-build ones
    const starts = p.links
      .filter((l) => l.action === 'UnitTests' && l.requirement.startsWith('codebuild.start-'))
      .map((l) => l.permission);
    expect(starts).toEqual(['codebuild:StartBuildBatch', 'codebuild:BatchGetBuildBatches']);
    // and StopBuildBatch, the batch counterpart of the recommended StopBuild
    const stops = p.links.filter(
      (l) => l.action === 'UnitTests' && l.requirement.startsWith('codebuild.stop-'),
    );
    expect(stops.map((l) => [l.permission, l.level, l.decision])).toEqual([
      ['codebuild:StopBuildBatch', 'recommended', 'Allowed'],
    ]);
  });

  it('is denied by the batch role policy that lacks RetryBuild', () => {
    const p = containers({ batchActions: ['codebuild:StartBuild', 'codebuild:StopBuild'] });
    const retry = p.links.find((l) => l.id === `${BUILDS}RetryBuild`)!;
    expect(retry.decision).toBe('ImplicitlyDenied');
    expect(retry.deniedBy.map((d) => [d.policyType, d.policy])).toEqual([
      ['identity', `${BATCH_ROLE} (inline: platform-api-test-batch-policy)`],
    ]);
    expect(p.links.find((l) => l.id === `${BUILDS}StartBuild`)?.decision).toBe('Allowed');
    expect(p.verdict).toBe('fail');
  });

  it('is denied when the batch role does not trust CodeBuild', () => {
    const p = containers({
      trust: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codepipeline.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    const trust = p.links.find((l) => l.id === TRUST)!;
    expect(trust.decision).toBe('ImplicitlyDenied');
    // the role's trust policy, its resource policy
    expect(trust.deniedBy.map((d) => [d.policyType, d.policy])).toEqual([['resource', BATCH_ROLE]]);
    expect(p.verdict).toBe('fail');
  });

  it('is Unknown when the trust policy tests aws:SourceArn, which AWS does not document for this role', () => {
    const p = containers({
      trust: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codebuild.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { ArnLike: { 'aws:SourceArn': PROJECT } },
        },
      ],
    });
    expect(p.links.find((l) => l.id === TRUST)?.decision).toBe('Unknown');
  });

  it('is Unknown, saying so, for a project without a batch configuration', () => {
    const p = containers({ batchConfig: null });
    const links = batchLinks(p);
    expect(links.map((l) => l.decision)).toEqual(['Unknown', 'Unknown', 'Unknown', 'Unknown']);
    for (const l of links) {
      expect(l.why, l.id).toContain(
        'CodeBuild project `platform-api-test` has no batch configuration (`buildBatchConfig`, 111111111111/us-east-1/codebuild.json#/projects/1)',
      );
    }
  });

  it('is Unknown, naming the place, for a batch configuration without a service role', () => {
    const p = containers({ batchConfig: { combineArtifacts: false } });
    const links = batchLinks(p);
    expect(links).toHaveLength(4);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        'names no batch service role (111111111111/us-east-1/codebuild.json#/projects/1/buildBatchConfig/serviceRole)',
      );
    }
  });

  it('is Unknown for a batch service role that is not a role ARN, or cannot be read', () => {
    const byName = batchLinks(containers({ batchConfig: { serviceRole: 'batch-role' } }));
    expect(byName).toHaveLength(4);
    for (const l of byName) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain('the batch service role `batch-role`');
      expect(l.why, l.id).toContain('is not a role ARN');
    }
    const unreadable = batchLinks(containers({ batchConfig: { serviceRole: 42 } }));
    expect(unreadable).toHaveLength(4);
    for (const l of unreadable) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([
        `${CODEBUILD}#/projects/1/buildBatchConfig/serviceRole (not readable)`,
      ]);
    }
    const notObject = batchLinks(containers({ batchConfig: 7 }));
    expect(notObject.map((l) => [l.decision, l.missing])).toEqual(
      Array(4).fill(['Unknown', [`${CODEBUILD}#/projects/1/buildBatchConfig (not readable)`]]),
    );
  });

  it('makes no batch links for a single build', () => {
    const p = containers({ batchEnabled: 'false', batchConfig: null });
    expect(batchLinks(p)).toEqual([]);
    expect(
      p.links
        .filter((l) => l.action === 'UnitTests' && l.requirement === 'codebuild.start-build')
        .map((l) => [l.permission, l.decision]),
    ).toEqual([
      ['codebuild:StartBuild', 'Allowed'],
      ['codebuild:BatchGetBuilds', 'Allowed'],
    ]);
    expect(
      p.links
        .filter((l) => l.action === 'UnitTests' && l.requirement.startsWith('codebuild.stop-'))
        .map((l) => l.permission),
    ).toEqual(['codebuild:StopBuild']);
  });

  it('is Unknown when BatchEnabled is a CodePipeline variable, as the single-build links are', () => {
    const p = containers({ batchEnabled: '#{variables.Batch}' });
    const links = batchLinks(p);
    expect(links).toHaveLength(4);
    for (const l of links) expect(l.decision, l.id).toBe('Unknown');
    const starts = p.links.filter(
      (l) => l.action === 'UnitTests' && l.requirement.startsWith('codebuild.start-build'),
    );
    expect(starts.map((l) => l.decision)).toEqual(['Unknown', 'Unknown', 'Unknown', 'Unknown']);
  });
});

describe('a CodeBuild batch build from a template', () => {
  const FILE = 'test/load/templates/fixtures/codebuild-batch/pipeline.yaml';
  function links(parameters: Record<string, string> = {}): ReportLink[] {
    const { model } = loadSingleTemplate(FILE, {
      account: '111111111111',
      region: 'us-east-1',
      parameters,
      managedPolicies: noManagedPolicies,
    });
    return analyzeModel(model).pipelines[0]!.links.filter((l) =>
      /batch-service-role|batch-role-builds/.test(l.requirement),
    );
  }
  const ROLE = 'arn:aws:iam::111111111111:role/batch-role';

  it('reads BuildBatchConfig.ServiceRole: allowed, and denied by the role policy without a grant', () => {
    const ok = links();
    expect(ok.map((l) => [l.permission, l.principal, l.decision])).toEqual([
      ['sts:AssumeRole', 'codebuild.amazonaws.com', 'Allowed'],
      ['codebuild:StartBuild', ROLE, 'Allowed'],
      ['codebuild:StopBuild', ROLE, 'Allowed'],
      ['codebuild:RetryBuild', ROLE, 'Allowed'],
    ]);
    const retry = links({ BatchRetryGrant: 'false' }).find(
      (l) => l.permission === 'codebuild:RetryBuild',
    )!;
    expect(retry.decision).toBe('ImplicitlyDenied');
    expect(retry.deniedBy.map((d) => d.policy)).toEqual([`${ROLE} batch`]);
  });

  it('is Unknown without BuildBatchConfig, naming the project', () => {
    for (const l of links({ BatchConfig: 'none' })) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        `has no batch configuration (\`BuildBatchConfig\`, ${FILE}#/Resources/Project)`,
      );
    }
  });

  it('is Unknown naming the line of a batch role or a BatchEnabled the template does not settle', () => {
    for (const [parameters, line, name, ssm] of [
      [{ BatchConfig: 'ssm' }, 145, 'SsmBatchRole', '/build/batch-role'],
      [{ BatchFromSsm: 'true' }, 169, 'SsmBatchEnabled', '/build/batch-enabled'],
    ] as const) {
      const found = links(parameters);
      expect(found, JSON.stringify(parameters)).toHaveLength(4);
      for (const l of found) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toEqual([
          `${FILE}:${line} (parameter \`${name}\` reads the ssm parameter \`${ssm}\` at deploy time, so its value is not known offline)`,
        ]);
      }
    }
  });

  it('reads an unsettled S3 logs BucketOwnerAccess as unknown, not as not set', () => {
    const { model } = loadSingleTemplate(FILE, {
      account: '111111111111',
      region: 'us-east-1',
      parameters: { LogsOwnerAccess: 'ssm' },
      managedPolicies: noManagedPolicies,
    });
    const acl = analyzeModel(model).pipelines[0]!.links.filter(
      (l) => l.requirement === 'codebuild-project.s3-logs-put-bucket-acl',
    );
    expect(acl.map((l) => [l.decision, l.missing])).toEqual([
      [
        'Unknown',
        [
          `${FILE}:141 (parameter \`SsmOwnerAccess\` reads the ssm parameter \`/build/owner-access\` at deploy time, so its value is not known offline)`,
        ],
      ],
    ]);
  });
});

describe('batchRoleOf', () => {
  const project = (buildBatchConfig: unknown, pointer = '/projects/0'): CodeBuildProjectModel =>
    ({
      name: 'p',
      location: { file: 'f.json', pointer },
      ...(buildBatchConfig !== undefined ? { buildBatchConfig } : {}),
    }) as unknown as CodeBuildProjectModel;
  const at = { file: 'f.json', pointer: '/projects/0/buildBatchConfig' };

  it('takes the batch configuration role ARN', () => {
    expect(batchRoleOf(project({ serviceRole: 'arn:aws:iam::1:role/b', location: at }))).toEqual({
      batchServiceRoleArn: 'arn:aws:iam::1:role/b',
    });
    // a placeholder is kept: its links name its place
    const open = 'arn:aws:iam::unresolved:role/unresolved-0123456789';
    expect(batchRoleOf(project({ serviceRole: open, location: at }))).toEqual({
      batchServiceRoleArn: open,
    });
  });

  it('says why the role is not known', () => {
    expect(batchRoleOf(project(undefined)).batchServiceRoleUnknown).toContain(
      'has no batch configuration (`buildBatchConfig`, f.json#/projects/0)',
    );
    expect(batchRoleOf(project(undefined, '/Resources/P')).batchServiceRoleUnknown).toContain(
      '(`BuildBatchConfig`, f.json#/Resources/P)',
    );
    expect(
      batchRoleOf(project({ serviceRole: undefined, location: at })).batchServiceRoleUnknown,
    ).toContain('names no batch service role (f.json#/projects/0/buildBatchConfig/serviceRole)');
    expect(
      batchRoleOf(project({ serviceRole: 'arn:aws:s3:::b', location: at })).batchServiceRoleUnknown,
    ).toContain('is not a role ARN');
  });
});
