/**
 * A helper review of templates and CDK assemblies (session 22): each case was reproduced first
 * as a wrong answer (a wrong Allowed, a hang, a wrong place) and fails without its fix.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadCdkAssembly } from '../../../src/load/cdk.js';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { mergeModels } from '../../../src/load/templateMerge.js';
import { editJson, inScenarioCopy, type Json } from '../../chain/scenarioCopy.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate, loadStacksFile } from '../../../src/load/stacks.js';

const ENV = { account: '111111111111', region: 'us-east-1' };
const TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'codepipeline.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
};

/** A pipeline of one CodeCommit source and a manual approval, run by `PipelineRole`. */
function pipelineTemplate(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Resources: {
      PipelineRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'pipe-role',
          AssumeRolePolicyDocument: TRUST,
          Policies: [
            {
              PolicyName: 'p',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: ['s3:*', 'codecommit:*'], Resource: '*' }],
              },
            },
          ],
        },
      },
      Pipeline: {
        Type: 'AWS::CodePipeline::Pipeline',
        Properties: {
          Name: 'p1',
          RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
          ArtifactStore: { Type: 'S3', Location: 'art-bucket-111' },
          Stages: [
            {
              Name: 'Source',
              Actions: [
                {
                  Name: 'Source',
                  ActionTypeId: {
                    Category: 'Source',
                    Owner: 'AWS',
                    Provider: 'CodeCommit',
                    Version: '1',
                  },
                  Configuration: { RepositoryName: 'repo', BranchName: 'main' },
                  OutputArtifacts: [{ Name: 'Src' }],
                },
              ],
            },
            {
              Name: 'Approve',
              Actions: [
                {
                  Name: 'Approve',
                  ActionTypeId: {
                    Category: 'Approval',
                    Owner: 'AWS',
                    Provider: 'Manual',
                    Version: '1',
                  },
                },
              ],
            },
          ],
        },
      },
      ...extra,
    },
  };
}

function analyzeTemplate(template: unknown, name = 'template.json', stackName?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-review22-'));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(template));
  const { model } = loadSingleTemplate(file, {
    ...ENV,
    parameters: {},
    managedPolicies: noManagedPolicies,
    ...(stackName === undefined ? {} : { stackName }),
  });
  return {
    model,
    problems: model.problems.map((p) => `${p.severity} ${p.pointer} ${p.id}`),
    links: analyzeModel(model).pipelines.flatMap((p) => p.links),
  };
}

describe('values read many times', () => {
  it('role Paths made of other roles ARNs are resolved once each (was: exponential, 24 roles took 89 s)', () => {
    const roles: Record<string, unknown> = {
      R0: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: TRUST, RoleName: 'r0' },
      },
    };
    const n = 60;
    for (let i = 1; i < n; i++) {
      const prev = { 'Fn::GetAtt': [`R${i - 1}`, 'Arn'] };
      roles[`R${i}`] = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: TRUST,
          RoleName: `r${i}`,
          Path: { 'Fn::Select': [0, ['/p/', prev, prev]] },
        },
      };
    }
    const r = analyzeTemplate(pipelineTemplate(roles));
    const arn = `arn:aws:iam::${ENV.account}:role/p/r${n - 1}`;
    expect(r.model.accounts.get(ENV.account)!.iam!.roles.has(arn)).toBe(true);
  });
});

describe('the region of an environment-agnostic CDK stack', () => {
  const FIXTURES = 'test/load/templates/fixtures/review22';
  const s3Links = (dir: string, region?: string) => {
    const { model } = loadCdkAssembly(`${FIXTURES}/${dir}`, {
      managedPolicies: noManagedPolicies,
      ...(region === undefined ? {} : { region }),
    });
    return analyzeModel(model)
      .pipelines.flatMap((p) => p.links)
      .filter((l) => l.permission === 's3:PutObject' || l.permission === 's3:ListBucket');
  };

  it('a condition comparing it with a region is not known (was: decided against the placeholder text, an Allow of every bucket: wrong Allowed)', () => {
    // NotUsEast1 = !Not [!Equals [!Ref AWS::Region, us-east-1]]; the role's S3 statement is
    // !If [NotUsEast1, '*', 'arn:aws:s3:::nothing']: deployed to us-east-1, it allows nothing
    // the control: with the region given, the statement allows nothing
    for (const l of s3Links('agnostic-equals', 'us-east-1'))
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
    const links = s3Links('agnostic-equals');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain(
        '`Fn::Equals` looks up or compares a value the input does not settle',
      );
    }
  });

  it('a mapping looked up by it is not known (was: the DefaultValue, an Allow of every bucket: wrong Allowed)', () => {
    // !FindInMap [R, !Ref AWS::Region, res, {DefaultValue: '*'}], where R's us-east-1 entry
    // is `arn:aws:s3:::nothing`
    // the control: with the region given, the statement allows nothing
    for (const l of s3Links('agnostic-findinmap', 'us-east-1'))
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
    const links = s3Links('agnostic-findinmap');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('`Fn::FindInMap` looks up or compares');
    }
  });
});

describe('a template role laid over a snapshot role that has a permissions boundary', () => {
  const BOUNDARY = 'arn:aws:iam::111111111111:policy/boundary';
  /** the demo snapshot, its pipeline role under a boundary that allows S3 and KMS only */
  const analyzeOverlay = (template: string | undefined) =>
    inScenarioCopy('fixtures/demo', (dir) => {
      editJson(join(dir, '111111111111/iam.json'), (iam) => {
        const role = (iam['RoleDetailList'] as Json[]).find(
          (r) => r['RoleName'] === 'demo-pipeline-role',
        )!;
        role['PermissionsBoundary'] = {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: BOUNDARY,
        };
        (iam['Policies'] as Json[]).push({
          PolicyName: 'boundary',
          Arn: BOUNDARY,
          Path: '/',
          DefaultVersionId: 'v1',
          AttachmentCount: 1,
          IsAttachable: true,
          PolicyVersionList: [
            {
              VersionId: 'v1',
              IsDefaultVersion: true,
              Document: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }],
              },
            },
          ],
        });
      });
      const snapshot = loadSnapshot(dir);
      const model =
        template === undefined
          ? snapshot
          : mergeModels(
              snapshot,
              loadSingleTemplate(`test/load/templates/fixtures/review22/${template}`, {
                ...ENV,
                parameters: {},
                managedPolicies: noManagedPolicies,
              }).model,
            );
      const links = analyzeModel(model).pipelines.find((p) => p.name === 'demo-app')!.links;
      return {
        getBranch: links.find((l) => l.permission === 'codecommit:GetBranch')!,
        problems: model.problems.map((p) => `${p.severity} ${p.pointer} ${p.id}`),
      };
    });

  it('the boundary the template does not set is unknown, not dropped (was: Allowed, the boundary denying it)', () => {
    // the control: the snapshot alone denies it by the boundary
    const alone = analyzeOverlay(undefined);
    expect(alone.getBranch.decision).toBe('ImplicitlyDenied');
    expect(alone.getBranch.deniedBy.map((d) => d.policyType)).toEqual(['permissionBoundary']);
    const r = analyzeOverlay('same-role-no-boundary.json');
    expect(r.getBranch.decision).toBe('Unknown');
    expect(r.getBranch.why).toContain(
      "the snapshot's role `demo-pipeline-role` has the permissions boundary",
    );
    expect(r.problems).toContain('warning /Resources/PipelineRole template.role.snapshot-boundary');
  });
});

describe('AWS::StackName', () => {
  /** the pipeline's artifact bucket `pipeline-artifacts`; its role's S3 grant on `${AWS::StackName}-artifacts/*` */
  const template = (): Record<string, unknown> => {
    const t = pipelineTemplate() as { Resources: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    t.Resources['Pipeline'].Properties.ArtifactStore.Location = 'pipeline-artifacts';
    t.Resources['Artifacts'] = {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: 'pipeline-artifacts' },
    };
    t.Resources['PipelineRole'].Properties.Policies[0].PolicyDocument.Statement = [
      { Effect: 'Allow', Action: 'codecommit:*', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: { 'Fn::Sub': 'arn:aws:s3:::${AWS::StackName}-artifacts/*' },
      },
    ];
    return t;
  };
  const put = (stackName?: string) =>
    analyzeTemplate(template(), 'pipeline.json', stackName).links.find(
      (l) => l.permission === 's3:PutObject',
    )!;

  it('not given, it is the file name, with a warning asking for it (the grant may meet the bucket by chance)', () => {
    const r = analyzeTemplate(template(), 'pipeline.json');
    expect(r.problems).toContain(
      'warning /Resources/PipelineRole/Properties/Policies/0/PolicyDocument/Statement/1/Resource/Fn::Sub template.stack-name.assumed',
    );
    expect(r.model.problems.find((p) => p.id === 'template.stack-name.assumed')!.message).toContain(
      'give --stack-name',
    );
    expect(put().decision).toBe('Allowed');
    // given, no warning
    expect(
      analyzeTemplate(template(), 'pipeline.json', 'pipeline').problems.filter((p) =>
        p.includes('stack-name'),
      ),
    ).toEqual([]);
  });

  it('a stacks file entry without `name`: the warning names the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-review22-'));
    writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(template()));
    const stacks = (name?: string) => {
      const entry = { template: 'pipeline.json', account: ENV.account, region: ENV.region };
      writeFileSync(
        join(dir, 'stacks.json'),
        JSON.stringify({ stacks: [name === undefined ? entry : { ...entry, name }] }),
      );
      const { model } = loadStacksFile(join(dir, 'stacks.json'), {
        managedPolicies: noManagedPolicies,
      });
      return {
        problem: model.problems.find((p) => p.id === 'template.stack-name.assumed')?.message,
      };
    };
    expect(stacks().problem).toMatch(/give `name` at \S*stacks\.json#\/stacks\/0/);
    expect(stacks('pipeline').problem).toBeUndefined();
  });

  it('given, it decides: the name that meets the grant allows, another denies', () => {
    expect(put('pipeline').decision).toBe('Allowed');
    expect(put('other').decision).toBe('ImplicitlyDenied');
  });
});

describe('CDK assembly paths and names', () => {
  const DIR = 'test/load/templates/fixtures/review22/cdk-paths';
  const loaded = () => {
    const { model, problems } = loadCdkAssembly(DIR, { managedPolicies: noManagedPolicies });
    return {
      pipelines: analyzeModel(model).pipelines.map((p) => p.account),
      problems: problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}`),
    };
  };

  it('says each problem where the manifest names the path (was: a missing template at /template, a missing nested assembly at its own manifest.json)', () => {
    const r = loaded();
    expect(r.problems).toContain(
      `error ${DIR}/manifest.json#/artifacts/D/properties/templateFile stacks.template.missing`,
    );
    expect(r.problems).toContain(
      `error ${DIR}/manifest.json#/artifacts/Missing/properties/directoryName cdk.assembly.missing`,
    );
    expect(r.problems.some((p) => p.includes('nope/manifest.json'))).toBe(false);
  });

  it('reads no nested assembly or template outside the assembly folder (was: read in silence)', () => {
    const r = loaded();
    expect(r.problems).toContain(
      `error ${DIR}/manifest.json#/artifacts/C/properties/templateFile cdk.path.outside`,
    );
    expect(r.problems).toContain(
      `error ${DIR}/manifest.json#/artifacts/Esc/properties/directoryName cdk.path.outside`,
    );
    // the outside folder's pipeline is in 333333333333: not read
    expect(r.pipelines).not.toContain('333333333333');
    expect(r.pipelines.length).toBeGreaterThan(0);
  });

  it('an assembly reached through a link: a missing template is missing, not outside the assembly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-review22-'));
    mkdirSync(join(dir, 'real'));
    writeFileSync(
      join(dir, 'real/manifest.json'),
      JSON.stringify({
        version: '36.0.0',
        artifacts: {
          App: {
            type: 'aws:cloudformation:stack',
            environment: 'aws://111111111111/us-east-1',
            properties: { templateFile: 'App.template.json' },
          },
        },
      }),
    );
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const { problems } = loadCdkAssembly(join(dir, 'link'), { managedPolicies: noManagedPolicies });
    expect(problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
      '/artifacts/App/properties/templateFile stacks.template.missing',
    ]);
  });

  it('warns of two stacks of one name only in one account and region, at their stackName', () => {
    const dup = loaded().problems.filter((p) => p.includes('stacks.stack.duplicate'));
    // B and E: `same` in 111111111111 us-east-1; inner A: `same` in 222222222222, an app's stage
    expect(dup).toEqual([
      `warning ${DIR}/manifest.json#/artifacts/E/properties/stackName stacks.stack.duplicate`,
    ]);
  });
});

describe('templates CloudFormation rejects', () => {
  it('a condition that depends on itself is an error (was: a warning where it was used)', () => {
    const t = pipelineTemplate();
    t['Conditions'] = {
      A: { 'Fn::Not': [{ Condition: 'B' }] },
      B: { 'Fn::Not': [{ Condition: 'A' }] },
    };
    (t['Resources'] as Record<string, any>)['Extra'] = { Type: 'AWS::SNS::Topic', Condition: 'A' }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = analyzeTemplate(t, 'cycles.json', 'x');
    expect(r.problems.filter((p) => p.includes('template.condition.circular'))).toEqual([
      'error /Conditions/B/Fn::Not/0/Condition template.condition.circular',
    ]);
  });

  it('DependsOn that loops, or names no resource, is an error (was: nothing said)', () => {
    const t = pipelineTemplate({
      Topic: { Type: 'AWS::SNS::Topic', DependsOn: ['Nowhere'] },
    });
    const res = t['Resources'] as Record<string, Record<string, unknown>>;
    res['PipelineRole']!['DependsOn'] = 'Pipeline';
    res['Pipeline']!['DependsOn'] = ['PipelineRole'];
    const r = analyzeTemplate(t, 'cycles.json', 'x');
    expect(r.problems.filter((p) => p.includes('template.dependson'))).toEqual([
      'error /Resources/PipelineRole/DependsOn template.dependson.circular',
      'error /Resources/Topic/DependsOn/0 template.dependson.invalid',
    ]);
    // the control: DependsOn that does not loop says nothing
    delete res['Pipeline']!['DependsOn'];
    delete res['Topic'];
    expect(
      analyzeTemplate(t, 'cycles.json', 'x').problems.filter((p) => p.includes('dependson')),
    ).toEqual([]);
  });
});
