/**
 * A template resource that names none gets the name CloudFormation generates at deploy,
 * `<stack>-<logicalId>-<random suffix>`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
 * Laid over a snapshot that holds the deployed resource, the policies of the snapshot name the
 * real one: the template resource takes that name when exactly one has the generated form.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoWithRoles, overDemo } from './demoOverlay.js';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadInput } from '../../../src/cli/loadInput.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { generatedName, isGeneratedNameOf } from '../../../src/load/templateNames.js';
import type { Model } from '../../../src/model/types.js';

const ACCOUNT = '111111111111';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10`;
const BUCKET = `demo-artifacts-${ACCOUNT}-us-east-1`;
const DEPLOYED = 'demo-stack-PipelineRole-1A2B3C4D5E6F7';
const MADE_UP = generatedName('demo-stack', 'PipelineRole', 64);
const KMS_LINK = 'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey';

const TEMPLATE = {
  Resources: {
    PipelineRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'codepipeline.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'demo-pipeline-policy',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 's3:*', Resource: '*' },
                { Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: KEY },
                { Effect: 'Allow', Action: 'codecommit:*', Resource: '*' },
              ],
            },
          },
        ],
      },
    },
    Pipeline: {
      Type: 'AWS::CodePipeline::Pipeline',
      Properties: {
        Name: 'demo-gen',
        RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
        ArtifactStore: {
          Type: 'S3',
          Location: BUCKET,
          EncryptionKey: { Type: 'KMS', Id: KEY },
        },
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
                Configuration: { RepositoryName: 'demo-app', BranchName: 'main' },
                OutputArtifacts: [{ Name: 'SourceOutput' }],
              },
            ],
          },
        ],
      },
    },
  },
};

/**
 * The demo snapshot with deployed roles named `names` (copies of the demo pipeline role, at
 * path `/`), and a key policy that lets only them and the demo roles use the artifact key.
 */
function snapshot(names: readonly string[]): { dir: string; template: string } {
  const { dir, template } = demoWithRoles(
    'generated-names-',
    'demo-pipeline-role',
    names.map((name) => ({
      Path: '/',
      RoleName: name,
      RoleId: `AROA${name.slice(-13)}`,
      Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    })),
    TEMPLATE,
  );
  const keyPath = join(dir, ACCOUNT, 'us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json');
  const key = JSON.parse(readFileSync(keyPath, 'utf8')) as { Policy: string };
  key.Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Admin',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: ['kms:Describe*', 'kms:Put*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
      {
        Sid: 'Use',
        Effect: 'Allow',
        Principal: {
          AWS: [
            `arn:aws:iam::${ACCOUNT}:role/service-role/demo-pipeline-role`,
            ...names.map((n) => `arn:aws:iam::${ACCOUNT}:role/${n}`),
          ],
        },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ],
  });
  writeFileSync(keyPath, JSON.stringify(key));
  return { dir, template };
}

function load(names: readonly string[]): Model {
  const { dir, template } = snapshot(names);
  return overDemo(dir, template);
}

function kmsLink(model: Model): { principal: string; decision: string } {
  const p = analyzeModel(model).pipelines.find((x) => x.name === 'demo-gen')!;
  return p.links.find((l) => l.id === KMS_LINK)!;
}

describe('a generated role name laid over a snapshot', () => {
  it("is the snapshot's role of that form: the key policy naming it allows", () => {
    const model = load([DEPLOYED]);
    expect(kmsLink(model)).toMatchObject({
      principal: `arn:aws:iam::${ACCOUNT}:role/${DEPLOYED}`,
      decision: 'Allowed',
    });
    // the template role replaced the snapshot's (one role of that name, the template's policy)
    const roles = [...model.accounts.get(ACCOUNT)!.iam!.roles.values()].filter((r) =>
      r.name.startsWith('demo-stack-'),
    );
    expect(roles.map((r) => [r.name, r.location.file.endsWith('template.json')])).toEqual([
      [DEPLOYED, true],
    ]);
  });

  it('several of that form: none is taken, a warning says so, and the name is made up', () => {
    const model = load([DEPLOYED, 'demo-stack-PipelineRole-ZZZZZZZZZZZZ9']);
    expect(kmsLink(model).principal).toBe(`arn:aws:iam::${ACCOUNT}:role/${MADE_UP}`);
    const warnings = model.problems.filter((p) => p.id === 'template.name.ambiguous');
    expect(warnings.map((p) => [p.pointer, p.severity])).toEqual([
      ['/Resources/PipelineRole', 'warning'],
    ]);
    expect(warnings[0]!.message).toContain(DEPLOYED);
  });

  it('another stack name, or no snapshot: the made-up name, as before', () => {
    const { dir, template } = snapshot([DEPLOYED]);
    const other = loadInput(process.cwd(), {
      input: dir,
      template,
      account: ACCOUNT,
      region: 'us-east-1',
      stackName: 'other-stack',
    }).model;
    expect(kmsLink(other).principal).toBe(
      `arn:aws:iam::${ACCOUNT}:role/${generatedName('other-stack', 'PipelineRole', 64)}`,
    );
    const alone = loadSingleTemplate(template, {
      account: ACCOUNT,
      region: 'us-east-1',
      stackName: 'demo-stack',
      managedPolicies: noManagedPolicies,
    }).model;
    expect(kmsLink(alone).principal).toBe(`arn:aws:iam::${ACCOUNT}:role/${MADE_UP}`);
  });
});

describe('the other generated names a snapshot lists', () => {
  it('a bucket, a function and a topic take the one of their form in their account (and region)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'generated-names-'));
    const template = join(dir, 'template.json');
    writeFileSync(
      template,
      JSON.stringify({
        Resources: {
          ArtifactBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: { Role: 'arn:aws:iam::111111111111:role/r' },
          },
          Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
        },
      }),
    );
    const listed: Record<string, string[]> = {
      'AWS::S3::Bucket': ['demo-stack-artifactbucket-abcdefghijk1', 'other-bucket'],
      'AWS::Lambda::Function': ['demo-stack-Fn-ABCDEFGHIJKL'],
      'AWS::SNS::Topic': ['demo-stack-Topic-ABCDEFGHIJKL'],
    };
    const asked: string[] = [];
    const { model } = loadSingleTemplate(template, {
      account: ACCOUNT,
      region: 'us-east-1',
      stackName: 'demo-stack',
      managedPolicies: noManagedPolicies,
      deployed: {
        names: (type, account, region) => {
          asked.push(`${type} ${account} ${region}`);
          return listed[type];
        },
      },
    });
    const a = model.accounts.get(ACCOUNT)!;
    expect([...a.buckets.keys()]).toEqual(['demo-stack-artifactbucket-abcdefghijk1']);
    const r = a.regions.get('us-east-1')!;
    expect([...r.lambdas.keys()]).toEqual(['demo-stack-Fn-ABCDEFGHIJKL']);
    expect([...r.snsTopics.keys()]).toEqual(['demo-stack-Topic-ABCDEFGHIJKL']);
    expect(asked.every((q) => q.endsWith(`${ACCOUNT} us-east-1`))).toBe(true);
  });
});

describe('isGeneratedNameOf', () => {
  it('takes the whole stack name and logical id with a random suffix', () => {
    expect(isGeneratedNameOf(DEPLOYED, 'demo-stack', 'PipelineRole', 64)).toBe(true);
    expect(isGeneratedNameOf(MADE_UP, 'demo-stack', 'PipelineRole', 64)).toBe(true);
    // another logical id, even one it begins with; no suffix; another stack
    expect(isGeneratedNameOf(DEPLOYED, 'demo-stack', 'PipelineRoleB', 64)).toBe(false);
    expect(isGeneratedNameOf(DEPLOYED, 'demo-stack', 'Pipeline', 64)).toBe(false);
    expect(
      isGeneratedNameOf('demo-stack-PipelineRole-prod', 'demo-stack', 'PipelineRole', 64),
    ).toBe(false);
    expect(isGeneratedNameOf(DEPLOYED, 'demo', 'PipelineRole', 64)).toBe(false);
  });

  it('takes shortened parts only in a name as long as the type allows', () => {
    const stack = 'a-very-long-stack-name-for-the-tools-account';
    const id = 'CodePipelineArtifactsBucketEncryptionRole';
    // 64 characters: both parts shortened, as CloudFormation does
    const name = `${stack.slice(0, 27)}-${id.slice(0, 22)}-1U44TLUZ7OR55`;
    expect(name.length).toBe(64);
    expect(isGeneratedNameOf(name, stack, id, 64)).toBe(true);
    expect(isGeneratedNameOf(name.slice(0, 40) + name.slice(-14), stack, id, 64)).toBe(false);
    expect(isGeneratedNameOf(generatedName(stack, id, 64), stack, id, 64)).toBe(true);
  });

  it('bucket names are lower case', () => {
    expect(
      isGeneratedNameOf(
        'demo-stack-artifactbucket-abcdefghijk1',
        'demo-stack',
        'ArtifactBucket',
        63,
        true,
      ),
    ).toBe(true);
  });
});
