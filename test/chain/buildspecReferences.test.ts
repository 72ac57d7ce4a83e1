/**
 * CodeBuild reads the parameters and secrets an inline buildspec names in `env.parameter-store`
 * and `env.secrets-manager` with the project's service role before the build starts, as it reads
 * PARAMETER_STORE and SECRETS_MANAGER environment variables
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager).
 * The snapshot cases edit the all-providers scenario, whose `platform-web-build` project (the
 * third in codebuild.json) names the file `buildspec.yml`, reads `/platform/web/api-url` and the
 * secret `platform/npm-token-Xy12Ab` through environment variables, and whose role allows
 * `parameter/platform/web/*` (statement `BuildParameters`) and `secret:platform/npm-token-*`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { Model } from '../../src/model/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';
const CODEBUILD = `${A}/us-east-1/codebuild.json`;
const IAM = `${A}/iam.json`;
const PARAMETERS = `arn:aws:ssm:us-east-1:${A}:parameter`;
const SECRETS = `arn:aws:secretsmanager:us-east-1:${A}:secret`;
const DB_PASSWORD = `${PARAMETERS}/app/db-password`;
const BUILDSPEC_POINTER = '/projects/2/source/buildspec';

const INLINE = [
  'version: 0.2',
  'env:',
  '  variables:',
  '    LOG_LEVEL: debug',
  '  parameter-store:',
  '    DB_PASSWORD: /app/db-password',
  'phases:',
  '  build:',
  '    commands:',
  '      - npm ci',
].join('\n');

interface Found {
  text: string[];
  missing: string[];
  why: string[];
  problems: string[];
  model: Model;
}

/** The web build's parameter and secret links, as `decision permission resource`, after `edit`. */
function links(edit: (dir: string) => void): Found {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const model = loadSnapshot(dir);
    const p = analyzeModel(model, { pipelines: ['platform-web'] }).pipelines[0]!;
    // the secret of a secondary source's auth is a link of its own (secondarySecrets.test.ts)
    const found = p.links.filter(
      (l) =>
        /^(ssm|secretsmanager):/.test(l.permission) &&
        l.requirement !== 'codebuild-project.secondary-source-secret',
    );
    return {
      text: found.map((l) => `${l.decision} ${l.permission} ${l.resource}`),
      missing: found.flatMap((l) => l.missing ?? []),
      why: found.map((l) => l.why),
      problems: model.problems
        .filter((x) => x.pointer.endsWith('/buildspec'))
        .map((x) => `${x.severity} ${x.file}#${x.pointer} ${x.id}`),
      model,
    };
  });
}

function setBuildspec(dir: string, buildspec: unknown): void {
  editJson(join(dir, CODEBUILD), (doc) => {
    const project = (doc['projects'] as Json[]).find((p) => p['name'] === 'platform-web-build')!;
    (project['source'] as Json)['buildspec'] = buildspec;
  });
}

/** Set the Resource of the build role's statement `sid`. */
function grant(dir: string, sid: string, resource: unknown): void {
  editJson(join(dir, IAM), (doc) => {
    for (const role of doc['RoleDetailList'] as Json[]) {
      for (const p of (role['RolePolicyList'] as Json[] | undefined) ?? []) {
        const d = p['PolicyDocument'] as { Statement: Json[] };
        for (const s of d.Statement) if (s['Sid'] === sid) s['Resource'] = resource;
      }
    }
  });
}

function webSource(model: Model): Json {
  const project = model.accounts
    .get(A)!
    .regions.get('us-east-1')!
    .codebuild!.projects.get('platform-web-build')!;
  return project.source as unknown as Json;
}

describe('parameters and secrets an inline buildspec names (snapshot)', () => {
  it('a role without ssm:GetParameters on the parameter is denied it; granted, it passes', () => {
    const denied = links((dir) => setBuildspec(dir, INLINE));
    expect(denied.text).toEqual([
      `ImplicitlyDenied ssm:GetParameters ${DB_PASSWORD}`,
      `Allowed ssm:GetParameters ${PARAMETERS}/platform/web/api-url`,
      `Allowed secretsmanager:GetSecretValue ${SECRETS}:platform/npm-token-Xy12Ab`,
    ]);
    // the model keeps the buildspec reduced to what is read: no command, no variable value
    expect(webSource(denied.model)['buildspec']).toBe(
      JSON.stringify({
        version: '0.2',
        env: { 'parameter-store': { DB_PASSWORD: '/app/db-password' } },
        artifacts: false,
      }),
    );
    const granted = links((dir) => {
      setBuildspec(dir, INLINE);
      grant(dir, 'BuildParameters', [`${PARAMETERS}/platform/web/*`, DB_PASSWORD]);
    });
    expect(granted.text).toEqual([
      `Allowed ssm:GetParameters ${DB_PASSWORD}`,
      `Allowed ssm:GetParameters ${PARAMETERS}/platform/web/api-url`,
      `Allowed secretsmanager:GetSecretValue ${SECRETS}:platform/npm-token-Xy12Ab`,
    ]);
  });

  it('reads secrets-manager references by name or by ARN, json-key and version dropped', () => {
    const { text } = links((dir) =>
      setBuildspec(
        dir,
        [
          'version: 0.2',
          'env:',
          '  secrets-manager:',
          '    NPM: platform/npm-token:token',
          `    DB: "${SECRETS}:prod/db-AbCdEf:password:AWSCURRENT:"`,
        ].join('\n'),
      ),
    );
    expect(text).toEqual([
      `Allowed ssm:GetParameters ${PARAMETERS}/platform/web/api-url`,
      `Allowed secretsmanager:GetSecretValue ${SECRETS}:platform/npm-token-Xy12Ab`,
      `ImplicitlyDenied secretsmanager:GetSecretValue ${SECRETS}:prod/db-AbCdEf`,
      `Allowed secretsmanager:GetSecretValue ${SECRETS}:platform/npm-token-??????`,
    ]);
  });

  it('reads a buildspec the crawler reduced the same way', () => {
    const { text } = links((dir) =>
      setBuildspec(
        dir,
        JSON.stringify({
          version: '0.2',
          env: { 'parameter-store': { DB_PASSWORD: '/app/db-password' } },
        }),
      ),
    );
    expect(text[0]).toBe(`ImplicitlyDenied ssm:GetParameters ${DB_PASSWORD}`);
  });

  it('reads nothing of a buildspec file of the source or of S3', () => {
    const baseline = links(() => {});
    for (const name of ['ci/buildspec.yml', 'arn:aws:s3:::platform-build-specs/web.yml', '']) {
      const found = links((dir) => setBuildspec(dir, name));
      expect(found.text, name).toEqual(baseline.text);
      expect(found.problems, name).toEqual([]);
    }
  });

  it('is Unknown, naming the pointer, for an inline buildspec that cannot be read', () => {
    for (const spec of [
      'version: 0.2\nenv:\n  parameter-store: {DB: /app/db\n',
      'version: 0.2\nenv:\n  parameter-store: [/app/db-password]',
      'version: 0.2\nenv:\n  secrets-manager:\n    DB: {id: db}',
      'env:\n  parameter-store:\n    DB: /app/db-password',
    ]) {
      const found = links((dir) => setBuildspec(dir, spec));
      expect(found.text, spec).toEqual([
        'Unknown ssm:GetParameters the Parameter Store parameters the build reads (not known)',
        'Unknown secretsmanager:GetSecretValue the Secrets Manager secrets the build reads (not known)',
      ]);
      expect(found.missing.length, spec).toBe(2);
      for (const m of found.missing)
        expect(m, spec).toMatch(
          new RegExp(
            `^${CODEBUILD}#${BUILDSPEC_POINTER} \\(the inline buildspec cannot be read \\(.+\\), so the parameters and secrets it names are not known\\)$`,
          ),
        );
      expect(found.problems).toEqual([
        `warning ${CODEBUILD}#${BUILDSPEC_POINTER} snapshot.codebuild.buildspec-invalid`,
      ]);
    }
  });

  it('is Unknown, naming the pointer, where the crawler redacted the buildspec', () => {
    const found = links((dir) => setBuildspec(dir, '<redacted by permchain>'));
    expect(found.text).toEqual([
      'Unknown ssm:GetParameters the Parameter Store parameters the build reads (not known)',
      'Unknown secretsmanager:GetSecretValue the Secrets Manager secrets the build reads (not known)',
    ]);
    expect([...new Set(found.missing)]).toEqual([
      `${CODEBUILD}#${BUILDSPEC_POINTER} (the crawler could not read this inline buildspec and redacted it, so the parameters and secrets it names are not known)`,
    ]);
  });

  it('is Unknown for a buildspec that is not a string', () => {
    const found = links((dir) => setBuildspec(dir, { version: 0.2 }));
    expect(found.text).toEqual([
      'Unknown ssm:GetParameters the Parameter Store parameters the build reads (not known)',
      'Unknown secretsmanager:GetSecretValue the Secrets Manager secrets the build reads (not known)',
    ]);
    expect([...new Set(found.missing)]).toEqual([
      `${CODEBUILD}#${BUILDSPEC_POINTER} (not readable)`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SpecFromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /build/spec
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: art-bucket-111
  PipelineRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: pipe-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: codepipeline.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "codebuild:*"]
                Resource: "*"
  BuildRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: build-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: codebuild.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "logs:*"]
                Resource: "*"
              - Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: !Sub "arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:ci/*"
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: !GetAtt BuildRole.Arn
      Artifacts: { Type: CODEPIPELINE }
      Source:
        Type: CODEPIPELINE
        BuildSpec: |
          version: 0.2
          env:
            parameter-store:
              DB_PASSWORD: /app/db-password
            secrets-manager:
              TOKEN: ci/token:value
          phases:
            build:
              commands:
                - make
      Environment:
        Type: LINUX_CONTAINER
        Image: aws/codebuild/standard:7.0
        ComputeType: BUILD_GENERAL1_SMALL
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Name: app
      RoleArn: !GetAtt PipelineRole.Arn
      ArtifactStore: { Type: S3, Location: !Ref Bucket }
      Stages:
        - Name: Source
          Actions:
            - Name: Src
              ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: "1" }
              Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip, PollForSourceChanges: true }
              OutputArtifacts: [{ Name: Src }]
        - Name: Build
          Actions:
            - Name: Build
              ActionTypeId: { Category: Build, Owner: AWS, Provider: CodeBuild, Version: "1" }
              Configuration: { ProjectName: !Ref Project }
              InputArtifacts: [{ Name: Src }]
              OutputArtifacts: [{ Name: Out }]
`;

/** The template's parameter and secret links, and what the Unknown ones miss (file name only). */
function templateLinks(text: string): { text: string[]; missing: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-buildspec-'));
  try {
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, text);
    const { model } = loadSingleTemplate(file, { account: A, region: 'us-east-1' });
    const p = analyzeModel(model).pipelines[0]!;
    const found = p.links.filter((l) => /^(ssm|secretsmanager):/.test(l.permission));
    return {
      text: found.map((l) => `${l.decision} ${l.permission} ${l.resource}`),
      missing: [
        ...new Set(
          found
            .flatMap((l) => l.missing ?? [])
            .map((m) => m.replace(/^.*pipeline\.yaml/, 'pipeline.yaml')),
        ),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SOURCE_BLOCK = / {8}BuildSpec: \|\n(?: {10}.*\n)+/;

describe('parameters and secrets an inline buildspec names (template)', () => {
  it('are checked on the project role', () => {
    expect(TEMPLATE).toMatch(SOURCE_BLOCK);
    expect(templateLinks(TEMPLATE).text).toEqual([
      `ImplicitlyDenied ssm:GetParameters ${DB_PASSWORD}`,
      `Allowed secretsmanager:GetSecretValue ${SECRETS}:ci/token-??????`,
    ]);
  });

  it('are Unknown naming the line of a BuildSpec the template does not settle', () => {
    const open = TEMPLATE.replace(SOURCE_BLOCK, '        BuildSpec: !Ref SpecFromSsm\n');
    const found = templateLinks(open);
    expect(found.text).toEqual([
      'Unknown ssm:GetParameters the Parameter Store parameters the build reads (not known)',
      'Unknown secretsmanager:GetSecretValue the Secrets Manager secrets the build reads (not known)',
    ]);
    expect(found.missing).toEqual([
      'pipeline.yaml:58 (parameter `SpecFromSsm` reads the ssm parameter `/build/spec` at deploy time, so its value is not known offline)',
    ]);
  });

  it('are Unknown naming the line of an inline BuildSpec that cannot be read', () => {
    const bad = TEMPLATE.replace(
      SOURCE_BLOCK,
      '        BuildSpec: "version: 0.2\\nenv:\\n  parameter-store: [/app/db-password]\\n"\n',
    );
    const found = templateLinks(bad);
    expect(found.text).toEqual([
      'Unknown ssm:GetParameters the Parameter Store parameters the build reads (not known)',
      'Unknown secretsmanager:GetSecretValue the Secrets Manager secrets the build reads (not known)',
    ]);
    expect(found.missing).toEqual([
      'pipeline.yaml:58 (the inline buildspec cannot be read (`env.parameter-store` is not a map of variable names to names), so the parameters and secrets it names are not known)',
    ]);
  });

  it('read nothing of a BuildSpec file name', () => {
    const named = TEMPLATE.replace(SOURCE_BLOCK, '        BuildSpec: ci/buildspec.yml\n');
    expect(templateLinks(named).text).toEqual([]);
  });
});
