/**
 * An AWS::CodeBuild::Project's SecondaryArtifacts: Path, Name, NamespaceType, Packaging and
 * OverrideArtifactName make the key of an S3 artifact's objects
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-artifacts.html,
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). They
 * were not read, so the upload was checked on `<bucket>/*` with the `*` the literal character:
 * a role allowed `release-bucket/builds/*` was denied it. A value the template does not settle
 * is a placeholder; one of a shape CloudFormation rejects an input error at its pointer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { isPlaceholder } from '../../../src/model/placeholders.js';
import type { CodeBuildProjectModel, Model } from '../../../src/model/types.js';
import type { Problem } from '../../../src/problems.js';
import type { ReportLink } from '../../../src/report/types.js';

const ARTIFACTS = `      SecondaryArtifacts:
        - Type: S3
          Location: !Ref ReleaseBucket
          Path: !Ref ArtifactPath
          Name: app.zip
          NamespaceType: NONE
          Packaging: ZIP
          OverrideArtifactName: false
          ArtifactIdentifier: rel
        - Type: S3
          Location: release-bucket
          Path: builds
          Name: app.zip
          NamespaceType: !Ref Namespace
          Packaging: zip
          OverrideArtifactName: !Ref Override
          ArtifactIdentifier: open
`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ArtifactPath:
    Type: String
    Default: builds
  Namespace:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /build/namespace
  Override:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /build/override
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root" }
            Action: kms:*
            Resource: "*"
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: art-bucket-111
  ReleaseBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: release-bucket
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
                Action: ["s3:*", "kms:*", "codebuild:*"]
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
                Action: ["s3:*"]
                Resource: ["arn:aws:s3:::art-bucket-111", "arn:aws:s3:::art-bucket-111/*"]
              - Effect: Allow
                Action: s3:PutObject
                Resource: arn:aws:s3:::release-bucket/builds/*
              - Effect: Allow
                Action: ["kms:*", "logs:*"]
                Resource: "*"
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: !GetAtt BuildRole.Arn
      EncryptionKey: !GetAtt Key.Arn
      Artifacts: { Type: CODEPIPELINE }
      Source: { Type: CODEPIPELINE }
${ARTIFACTS}      Environment:
        Type: LINUX_CONTAINER
        Image: aws/codebuild/standard:7.0
        ComputeType: BUILD_GENERAL1_SMALL
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Name: app
      RoleArn: !GetAtt PipelineRole.Arn
      ArtifactStore:
        Type: S3
        Location: !Ref Bucket
        EncryptionKey: { Id: !GetAtt Key.Arn, Type: KMS }
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

/** The template with `from` replaced by `to`, loaded (with `parameters`). */
function load(
  from = '',
  to = '',
  parameters: Record<string, string> = {},
): { model: Model; problems: readonly Problem[] } {
  expect(TEMPLATE).toContain(from);
  const dir = mkdtempSync(join(tmpdir(), 'permchain-secondary-key-'));
  try {
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, TEMPLATE.replace(from, to));
    const { model, problems } = loadSingleTemplate(file, {
      account: '111111111111',
      region: 'us-east-1',
      parameters,
      managedPolicies: noManagedPolicies,
    });
    return { model, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const project = (model: Model): CodeBuildProjectModel =>
  model.accounts.get('111111111111')!.regions.get('us-east-1')!.codebuild!.projects.get('build')!;

const puts = (model: Model): ReportLink[] =>
  analyzeModel(model).pipelines[0]!.links.filter(
    (l) => l.requirement === 'codebuild-project.secondary-artifact-put-object',
  );

describe('the SecondaryArtifacts of a template project', () => {
  it('keep Path, Name, NamespaceType, Packaging and OverrideArtifactName', () => {
    const { model } = load();
    const [rel, open] = project(model).secondaryArtifacts;
    expect(rel).toMatchObject({
      type: 'S3',
      location: 'release-bucket',
      path: 'builds',
      name: 'app.zip',
      namespaceType: 'NONE',
      packaging: 'ZIP',
      overrideArtifactName: false,
      artifactIdentifier: 'rel',
    });
    // values the template does not settle are placeholders
    expect(isPlaceholder(open!.namespaceType!)).toBe(true);
    expect(isPlaceholder(String(open!.overrideArtifactName))).toBe(true);
    expect(open!.packaging).toBe('zip');
  });

  it('check the upload on the key they make, or its settled part', () => {
    const links = puts(load().model);
    expect(links.map((l) => `${l.decision} ${l.resource}`)).toEqual([
      // the namespace and the override are not settled: the key after `builds/` is open, and
      // every key after it is under `builds/*`
      'Allowed arn:aws:s3:::release-bucket/builds/*',
      // one ZIP object without the build id: its key, allowed by `builds/*`
      'Allowed arn:aws:s3:::release-bucket/builds/app.zip',
    ]);
  });

  it('follow a path the template settles: a path the role may not write to is denied', () => {
    const links = puts(load('', '', { ArtifactPath: 'other' }).model);
    expect(links.map((l) => `${l.decision} ${l.resource}`)).toEqual([
      'Allowed arn:aws:s3:::release-bucket/builds/*',
      'ImplicitlyDenied arn:aws:s3:::release-bucket/other/app.zip',
    ]);
  });

  it('leave a Path the template does not settle in the key: the upload is Unknown naming its line', () => {
    const links = puts(
      load(
        '  ArtifactPath:\n    Type: String\n',
        '  ArtifactPath:\n    Type: AWS::SSM::Parameter::Value<String>\n',
      ).model,
    );
    const rel = links.find((l) => l.decision !== 'Allowed');
    expect(rel?.decision).toBe('Unknown');
    expect(rel?.resource).toMatch(
      /^arn:aws:s3:::release-bucket\/unresolved-[0-9a-f]{10}\/app\.zip$/,
    );
    expect(rel?.missing).toEqual([
      expect.stringMatching(
        /pipeline\.yaml:\d+ \(parameter `ArtifactPath` reads the ssm parameter/,
      ),
    ]);
  });

  it('take a Path of a shape CloudFormation rejects as an input error at its pointer, and the upload Unknown naming it', () => {
    const { model, problems } = load('          Path: builds\n', '          Path: [builds]\n');
    expect(
      problems.filter((p) => p.severity === 'error').map((p) => [p.pointer, p.id, p.message]),
    ).toEqual([
      [
        '/Resources/Project/Properties/SecondaryArtifacts/1/Path',
        'template.shape.invalid',
        '`Path` must be a string, not a list',
      ],
    ]);
    const open = puts(model).find((l) => l.decision !== 'Allowed');
    expect(open?.decision).toBe('Unknown');
    // an input error under the project leaves it unreadable: what it makes is Unknown, naming
    // the place
    expect(open?.missing).toEqual([
      expect.stringMatching(
        /pipeline\.yaml#\/Resources\/Project\/Properties\/SecondaryArtifacts\/1\/Path \(not readable\)$/,
      ),
    ]);
  });
});

/**
 * With OverrideArtifactName the name the inline BuildSpec's `artifacts.secondary-artifacts`
 * definition of the artifact gives replaces Name
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.secondary-artifacts).
 */
describe("the name a template project's inline BuildSpec gives a secondary artifact", () => {
  const SOURCE = '      Source: { Type: CODEPIPELINE }\n';
  const WITH_BUILDSPEC = `      Source:
        Type: CODEPIPELINE
        BuildSpec: |
          version: 0.2
          phases:
            build:
              commands: [make]
          artifacts:
            secondary-artifacts:
              rel:
                name: release-1.zip
                files: [dist/**/*]
`;

  it('is the key of the upload with OverrideArtifactName (was `builds/*`)', () => {
    const text = TEMPLATE.replace(SOURCE, WITH_BUILDSPEC).replace(
      '          OverrideArtifactName: false\n',
      '          OverrideArtifactName: true\n',
    );
    expect(text).toContain('OverrideArtifactName: true');
    const { model, problems } = load(TEMPLATE, text);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(puts(model).map((l) => `${l.decision} ${l.resource}`)).toEqual([
      'Allowed arn:aws:s3:::release-bucket/builds/*',
      'Allowed arn:aws:s3:::release-bucket/builds/release-1.zip',
    ]);
  });
});

/**
 * An entry of SecondaryArtifacts that is an `Fn::If` on a condition the template does not settle
 * was unknown as a whole when its branches differed at all: its type and bucket were unknown,
 * and its upload link Unknown, though both branches name the same bucket and key. It is now read
 * field by field: what both branches give alike is known.
 */
describe('an SecondaryArtifacts entry chosen by `Fn::If` on a condition not known', () => {
  const CONDITIONS = 'Resources:\n';
  const WITH_CONDITION = 'Conditions:\n  IsProd: !Equals [!Ref Namespace, prod]\nResources:\n';
  /** the template with the artifacts `entries` (YAML list items) and the condition IsProd */
  const withEntries = (entries: string): string =>
    TEMPLATE.replace(ARTIFACTS, `      SecondaryArtifacts:\n${entries}`).replace(
      CONDITIONS,
      WITH_CONDITION,
    );
  const entry = (yes: string, no: string): string =>
    `        - !If\n          - IsProd\n          - ${yes}\n          - ${no}\n`;
  const S3 = 'Type: S3, Location: release-bucket, Packaging: ZIP';

  it('is known where both branches agree: branches that differ in the identifier alone', () => {
    const { model, problems } = load(
      TEMPLATE,
      withEntries(
        entry(
          `{ ${S3}, Path: builds, Name: app.zip, ArtifactIdentifier: rel }`,
          `{ ${S3}, Path: builds, Name: app.zip, ArtifactIdentifier: rel-dev }`,
        ),
      ),
    );
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const [a] = project(model).secondaryArtifacts;
    expect(a).toMatchObject({ type: 'S3', location: 'release-bucket', path: 'builds' });
    expect(isPlaceholder(a!.artifactIdentifier!)).toBe(true);
    expect(puts(model).map((l) => `${l.decision} ${l.resource}`)).toEqual([
      'Allowed arn:aws:s3:::release-bucket/builds/app.zip',
    ]);
  });

  it('leaves a Name the branches give differently unknown in the key, naming the condition', () => {
    const { model } = load(
      TEMPLATE,
      withEntries(
        entry(
          `{ ${S3}, Path: builds, Name: app.zip, ArtifactIdentifier: rel }`,
          `{ ${S3}, Path: builds, Name: dev.zip, ArtifactIdentifier: rel }`,
        ),
      ),
    );
    const [link, ...rest] = puts(model);
    expect(rest).toEqual([]);
    expect(link!.resource).toMatch(
      /^arn:aws:s3:::release-bucket\/builds\/unresolved-[0-9a-f]{10}$/,
    );
    // every name under `builds/` is allowed
    expect(link!.decision).toBe('Allowed');
    const other = load(
      TEMPLATE,
      withEntries(
        entry(
          `{ ${S3}, Path: builds, Name: app.zip, ArtifactIdentifier: rel }`,
          `{ ${S3}, Path: other, Name: app.zip, ArtifactIdentifier: rel }`,
        ),
      ),
    );
    const [open] = puts(other.model);
    expect(open!.decision).toBe('Unknown');
    expect(open!.missing).toEqual([expect.stringMatching(/pipeline\.yaml:\d+ \(/)]);
  });

  it('stays unknown as a whole when a branch leaves it out, or the key has another shape', () => {
    for (const [yes, no] of [
      [`{ ${S3}, Path: builds, Name: app.zip }`, '!Ref AWS::NoValue'],
      // no Path: the object is at the bucket's root, which no path tried in its place makes
      [`{ ${S3}, Path: builds, Name: app.zip }`, `{ ${S3}, Name: app.zip }`],
      [`{ ${S3}, Path: builds, Name: app.zip }`, `{ ${S3}, Path: "/", Name: app.zip }`],
    ]) {
      const { model } = load(TEMPLATE, withEntries(entry(yes!, no!)));
      const [a] = project(model).secondaryArtifacts;
      expect(isPlaceholder(a!.type!), no).toBe(true);
      expect(
        puts(model).map((l) => l.decision),
        no,
      ).toEqual(['Unknown']);
    }
  });
});

/**
 * BucketOwnerAccess READ_ONLY or FULL: "your CodeBuild service role must have the s3:PutBucketAcl
 * permission" (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html).
 * It was not read, so the build role's missing s3:PutBucketAcl went unseen.
 */
describe('the BucketOwnerAccess of a template secondary artifact', () => {
  const ACL = 'codebuild-project.secondary-artifact-put-bucket-acl';
  const acl = (model: Model): ReportLink[] =>
    analyzeModel(model).pipelines[0]!.links.filter((l) => l.requirement === ACL);
  const FIRST = '          ArtifactIdentifier: rel\n';

  it('is kept, and READ_ONLY needs s3:PutBucketAcl on the bucket (denied: the role lacks it)', () => {
    const { model } = load(FIRST, `${FIRST}          BucketOwnerAccess: READ_ONLY\n`);
    expect(project(model).secondaryArtifacts[0]!.bucketOwnerAccess).toBe('READ_ONLY');
    expect(acl(model).map((l) => `${l.decision} ${l.permission} ${l.resource}`)).toEqual([
      'ImplicitlyDenied s3:PutBucketAcl arn:aws:s3:::release-bucket',
    ]);
  });

  it('makes no link for NONE', () => {
    const { model } = load(FIRST, `${FIRST}          BucketOwnerAccess: NONE\n`);
    expect(acl(model)).toEqual([]);
  });

  it('is a placeholder when the template does not settle it: the link is Unknown naming its line', () => {
    const { model } = load(FIRST, `${FIRST}          BucketOwnerAccess: !Ref Namespace\n`);
    expect(isPlaceholder(project(model).secondaryArtifacts[0]!.bucketOwnerAccess!)).toBe(true);
    const [link, ...rest] = acl(model);
    expect(rest).toEqual([]);
    expect(link?.decision).toBe('Unknown');
    expect(link?.missing).toEqual([
      expect.stringMatching(/pipeline\.yaml:\d+ \(parameter `Namespace` reads the ssm parameter/),
    ]);
  });

  it('of a shape CloudFormation rejects is an input error at its pointer, and the link Unknown', () => {
    const { model, problems } = load(FIRST, `${FIRST}          BucketOwnerAccess: [FULL]\n`);
    expect(
      problems.filter((p) => p.severity === 'error').map((p) => [p.pointer, p.id, p.message]),
    ).toEqual([
      [
        '/Resources/Project/Properties/SecondaryArtifacts/0/BucketOwnerAccess',
        'template.shape.invalid',
        '`BucketOwnerAccess` must be a string, not a list',
      ],
    ]);
    expect(acl(model).map((l) => l.decision)).toEqual(['Unknown']);
  });
});
