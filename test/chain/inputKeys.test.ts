/**
 * Whoever reads an input artifact decrypts it with the key it was written with: the artifact
 * store key, except for what a CodeBuild action produced, which CodeBuild encrypts with its
 * project's key (aws-facts.md 1.3). That holds for the action role (CloudFormation), for a
 * CodeBuild project role reading another build's output, and for the instance roles of a
 * CodeDeploy group, not only for the first.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import { writeKmsKey } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/codebuild-project-key-differs';
const PIPELINE = '111111111111/us-east-1/codepipeline/orders-api.json';
const AWS_S3_KEY = /^arn:aws:kms:us-east-1:111111111111:key\//;

/** The scenario with a second CodeBuild action that tests BuildOutput. */
function withTestStage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-input-keys-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const file = join(dir, PIPELINE);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    pipeline: { stages: { name: string; actions: unknown[] }[] };
  };
  doc.pipeline.stages.splice(2, 0, {
    name: 'Test',
    actions: [
      {
        name: 'IntegrationTests',
        actionTypeId: { category: 'Test', owner: 'AWS', provider: 'CodeBuild', version: '1' },
        runOrder: 1,
        configuration: { ProjectName: 'orders-api-build' },
        inputArtifacts: [{ name: 'BuildOutput' }],
        outputArtifacts: [],
      },
    ],
  });
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return dir;
}

describe('input artifacts are decrypted with the key that wrote them', () => {
  const report = analyzeModel(loadSnapshot(withTestStage()));
  const links = report.pipelines[0]!.links;
  const storeKey = links.find(
    (l) => l.id === 'Build/Build:codebuild-project.input-kms-decrypt:kms:Decrypt',
  )!.resource;

  it('a CodeBuild action reading the source decrypts with the artifact store key', () => {
    expect(storeKey).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\//);
  });

  it("a CodeBuild action reading another build's output decrypts with that project's key", () => {
    const test = links.filter(
      (l) => l.stage === 'Test' && l.requirement === 'codebuild-project.input-kms-decrypt',
    );
    expect(test).toHaveLength(1);
    expect(test[0]!.resource).toMatch(AWS_S3_KEY);
    expect(test[0]!.resource).not.toBe(storeKey);
    expect(test[0]!.id).toBe(
      `Test/IntegrationTests:codebuild-project.input-kms-decrypt:kms:Decrypt:${test[0]!.resource}`,
    );
  });

  it('the cross-account action role reading the build output is checked on the same key', () => {
    const deploy = links.filter(
      (l) => l.stage === 'DeployProd' && l.requirement === 'artifacts.input.kms-decrypt',
    );
    expect(deploy.map((l) => l.resource)).toEqual([
      links.find(
        (l) => l.stage === 'Test' && l.requirement === 'codebuild-project.input-kms-decrypt',
      )!.resource,
    ]);
    expect(deploy[0]!.decision).not.toBe('Allowed');
  });
});

describe('the instance roles of a CodeDeploy group decrypt a build output with the project key', () => {
  const FIXTURE = 'test/load/templates/fixtures/codedeploy/pipeline.yaml';
  /** The fixture with a CodeBuild stage (its own key) between source and deploy. */
  function withBuild(): string {
    let text = readFileSync(FIXTURE, 'utf8');
    const build = [
      '  BuildKey:',
      '    Type: AWS::KMS::Key',
      '  BuildRole:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      RoleName: web-build',
      '      AssumeRolePolicyDocument:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { Service: codebuild.amazonaws.com }',
      '            Action: sts:AssumeRole',
      '  BuildProject:',
      '    Type: AWS::CodeBuild::Project',
      '    Properties:',
      '      Name: web-build',
      '      ServiceRole: !GetAtt BuildRole.Arn',
      '      EncryptionKey: !GetAtt BuildKey.Arn',
      '      Artifacts: { Type: CODEPIPELINE }',
      '      Source: { Type: CODEPIPELINE }',
      '      Environment: { Type: LINUX_CONTAINER, ComputeType: BUILD_GENERAL1_SMALL, Image: aws/codebuild/standard:7.0 }',
      '  PipelineRole:',
    ].join('\n');
    text = text.replace('  PipelineRole:', build);
    text = text.replace(
      '        - Name: Deploy\n',
      [
        '        - Name: Build',
        '          Actions:',
        '            - Name: Build',
        '              ActionTypeId: { Category: Build, Owner: AWS, Provider: CodeBuild, Version: "1" }',
        '              Configuration: { ProjectName: !Ref BuildProject }',
        '              InputArtifacts: [{ Name: App }]',
        '              OutputArtifacts: [{ Name: Bundle }]',
        '        - Name: Deploy',
        '',
      ].join('\n'),
    );
    text = text.replace(
      '                DeploymentGroupName: !Ref DeploymentGroup\n              InputArtifacts: [{ Name: App }]',
      '                DeploymentGroupName: !Ref DeploymentGroup\n              InputArtifacts: [{ Name: Bundle }]',
    );
    const dir = mkdtempSync(join(tmpdir(), 'permchain-codedeploy-build-'));
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, text);
    return file;
  }

  it('checks kms:Decrypt of each instance role on the build key, one link per role', () => {
    const { model } = loadSingleTemplate(withBuild(), {
      account: '111111111111',
      region: 'us-east-1',
    });
    const links = analyzeModel(model).pipelines[0]!.links.filter(
      (l) => l.requirement === 'codedeploy.instance-kms-decrypt',
    );
    const buildKey = links[0]?.resource ?? '';
    expect(buildKey).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\//);
    expect(links.map((l) => [l.principal, l.resource])).toEqual([
      ['arn:aws:iam::111111111111:role/web-instance', buildKey],
      ['arn:aws:iam::111111111111:role/worker-instance', buildKey],
    ]);
    // the instance policies grant kms:Decrypt on the artifact store key only
    expect(links.map((l) => l.decision)).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
    expect(new Set(links.map((l) => l.id)).size).toBe(2);
    expect(links.every((l) => l.id.endsWith(`:${buildKey}:${l.principal}`))).toBe(true);
  });
});

describe('a build output whose project the input does not hold', () => {
  it('is not assumed to be encrypted with the artifact store key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-input-keys-missing-'));
    cpSync('fixtures/demo', dir, { recursive: true });
    rmSync(join(dir, '111111111111/us-east-1/codebuild.json'));
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter(
      (l) => l.requirement === 'artifacts.input.kms-decrypt' && l.stage === 'DeployProd',
    );
    expect(links.map((l) => [l.id.split(':').slice(-2).join(':'), l.decision])).toEqual([
      ['key-of-codebuild-project:demo-build', 'Unknown'],
    ]);
    expect(links[0]!.missing).toEqual(['111111111111/us-east-1/codebuild.json']);
  });
});

describe('an action of another region reads the copy in its own artifact store', () => {
  const WEST_KEY = 'arn:aws:kms:us-west-2:111111111111:key/aaaa1111-3b2f-4a6d-8e5c-1f0a9b8c7d6e';

  /**
   * pass-cross-account with the deploy action in us-west-2, which has its own artifact store and
   * key: CodePipeline copies the build output there, encrypted with that key (aws-facts 1.1
   * [CP-XREG]). The us-west-2 key trusts the pipeline and build roles only.
   */
  function crossRegion(deployInput: 'BuildOutput' | 'SourceOutput'): string {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-input-keys-region-'));
    cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
    const file = join(dir, PIPELINE);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      pipeline: {
        artifactStore?: unknown;
        artifactStores?: Record<string, unknown>;
        stages: {
          name: string;
          actions: {
            region?: string;
            inputArtifacts: { name: string }[];
            configuration: Record<string, string>;
          }[];
        }[];
      };
    };
    const east = doc.pipeline.artifactStore;
    delete doc.pipeline.artifactStore;
    doc.pipeline.artifactStores = {
      'us-east-1': east,
      'us-west-2': {
        type: 'S3',
        location: 'orders-artifacts-111111111111-us-west-2',
        encryptionKey: { id: WEST_KEY, type: 'KMS' },
      },
    };
    const deploy = doc.pipeline.stages.find((s) => s.name === 'DeployProd')!.actions[0]!;
    deploy.region = 'us-west-2';
    deploy.inputArtifacts = [{ name: deployInput }];
    deploy.configuration['TemplatePath'] = `${deployInput}::packaged.yaml`;
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const bucket = readFileSync(
      join(dir, '111111111111/s3/orders-artifacts-111111111111-us-east-1.json'),
      'utf8',
    ).replaceAll('us-east-1', 'us-west-2');
    writeFileSync(
      join(dir, '111111111111/s3/orders-artifacts-111111111111-us-west-2.json'),
      bucket,
    );
    const roles = [
      'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role',
      'arn:aws:iam::111111111111:role/service-role/orders-api-build-role',
    ];
    writeKmsKey(dir, WEST_KEY, [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Principal: { AWS: roles },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ]);
    return dir;
  }

  const decrypts = (dir: string): [string, string][] =>
    analyzeModel(loadSnapshot(dir))
      .pipelines[0]!.links.filter(
        (l) => l.stage === 'DeployProd' && l.requirement === 'artifacts.input.kms-decrypt',
      )
      .map((l) => [l.resource, l.decision]);

  it('a build output is decrypted with the store key of the reader region, not the project key', () => {
    // the project key (the us-east-1 store key) is one the deploy role may use; the us-west-2
    // store key does not trust it
    expect(decrypts(crossRegion('BuildOutput'))).toEqual([[WEST_KEY, 'ImplicitlyDenied']]);
  });

  it('as a source output is (the control)', () => {
    expect(decrypts(crossRegion('SourceOutput'))).toEqual([[WEST_KEY, 'ImplicitlyDenied']]);
  });
});
