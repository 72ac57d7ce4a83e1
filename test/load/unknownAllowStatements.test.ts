/**
 * A template policy with an Allow statement the templates do not settle (a principal or resource
 * from an SSM parameter, a custom resource's attribute) is read without that statement, which is
 * named on the links it could change: an Allow can only add permissions (an explicit deny wins
 * and allows only add, aws-facts Part 2), so a link the other statements allow is Allowed, and
 * one they do not is Unknown naming it. A Deny, an `Effect` or the `Statement` list the templates
 * do not settle still leaves the whole policy unknown. The whole policy was unknown for an
 * unsettled Allow too.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { displayPath, loadSingleTemplate, loadStacksFile } from '../../src/load/stacks.js';
import { findBucket, findRole, rolePolicies } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { ReportLink } from '../../src/report/types.js';

const ENV = { account: '111111111111', region: 'us-east-1' };
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/build-role';
const PIPE_ROLE = 'arn:aws:iam::111111111111:role/pipe-role';
const DOC = '/Resources/BucketPolicy/Properties/PolicyDocument';
const UNSETTLED =
  'an Allow statement the input does not settle: parameter `Partner` reads the ssm parameter `/org/partner` at deploy time, so its value is not known offline';

const TEMP = mkdtempSync(join(tmpdir(), 'permchain-unknown-allows-'));
afterAll(() => rmSync(TEMP, { recursive: true, force: true }));

/** A pipeline whose build role may use its key and logs but not S3, with `policy` as the bucket policy's statements. */
function template(statements: string, buildStatements = ''): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Partner:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /org/partner
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
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
${statements}
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
                Action: ["kms:*", "logs:*", "codebuild:*"]
                Resource: "*"
${buildStatements}
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: !GetAtt BuildRole.Arn
      EncryptionKey: !GetAtt Key.Arn
      Artifacts: { Type: CODEPIPELINE }
      Source: { Type: CODEPIPELINE }
      Environment:
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
}

const KNOWN_ALLOW = `          - Effect: Allow
            Principal: { AWS: !GetAtt BuildRole.Arn }
            Action: s3:*
            Resource: ["arn:aws:s3:::art-bucket-111", "arn:aws:s3:::art-bucket-111/*"]`;
const UNKNOWN_ALLOW = `          - Effect: Allow # unknown
            Principal: { AWS: !Ref Partner }
            Action: s3:*
            Resource: "arn:aws:s3:::art-bucket-111/*"`;
const UNKNOWN_DENY = `          - Effect: Deny
            Principal: { AWS: !Ref Partner }
            Action: s3:*
            Resource: "arn:aws:s3:::art-bucket-111/*"`;
const UNKNOWN_EFFECT = `          - Effect: !Ref Partner
            Principal: { AWS: "arn:aws:iam::111111111111:role/other" }
            Action: s3:*
            Resource: "arn:aws:s3:::art-bucket-111/*"`;

let n = 0;
function load(text: string): { model: Model; file: string; line: (marker: string) => number } {
  const path = join(TEMP, `t${++n}.yaml`);
  writeFileSync(path, text);
  const { model } = loadSingleTemplate(path, { ...ENV, managedPolicies: noManagedPolicies });
  const lines = text.split('\n');
  return {
    model,
    file: displayPath(path),
    line: (marker) => lines.findIndex((l) => l.includes(marker)) + 1,
  };
}

function links(model: Model): readonly ReportLink[] {
  return analyzeModel(model).pipelines[0]!.links;
}

const putSource = (all: readonly ReportLink[]): ReportLink =>
  all.find(
    (l) =>
      l.principal === PIPE_ROLE &&
      l.permission === 's3:PutObject' &&
      l.resource.endsWith('/app/Src/*'),
  )!;

const getObject = (all: readonly ReportLink[], role: string): ReportLink =>
  all.find(
    (l) =>
      l.principal === role && l.permission === 's3:GetObject' && l.resource.endsWith('/app/Src/*'),
  )!;

describe('a bucket policy with an Allow statement the templates do not settle', () => {
  it('with a known Allow for the caller: the link is Allowed by it', () => {
    const { model } = load(template([KNOWN_ALLOW, UNKNOWN_ALLOW].join('\n')));
    const read = getObject(links(model), BUILD_ROLE);
    expect(read.decision).toBe('Allowed');
    expect(read.allowedBy!.map((r) => [r.policyType, r.statement, r.location?.pointer])).toEqual([
      ['resource', 1, `${DOC}/Statement/0`],
    ]);
  });

  it('the policy is read without it, the other statements keep their place', () => {
    const { model, file, line } = load(template([UNKNOWN_ALLOW, KNOWN_ALLOW].join('\n')));
    const bucket = findBucket(model, 'art-bucket-111');
    if (bucket.kind !== 'found') throw new Error('no bucket');
    const policy = bucket.value.policy!;
    expect(policy.statements.map((s) => [s.index, s.pointer, s.effect])).toEqual([
      [2, `${DOC}/Statement/1`, 'Allow'],
    ]);
    expect(policy.skipped).toEqual([]);
    expect(policy.unknownAllows!.map(({ action: _a, ...rest }) => rest)).toEqual([
      {
        index: 1,
        pointer: `${DOC}/Statement/0`,
        line: line('# unknown'),
        reason:
          'parameter `Partner` reads the ssm parameter `/org/partner` at deploy time, so its value is not known offline',
      },
    ]);
    // its Action is settled (`s3:*`): it may allow S3 calls only
    const open = policy.unknownAllows![0]!.action!;
    expect([open.any, [...open.exact], open.patterns.map((g) => g.source)]).toEqual([
      false,
      [],
      ['s3:*'],
    ]);
    expect(
      model.problems
        .filter((p) => p.id === 'template.value.unresolved' || p.id.startsWith('policy.'))
        .map((p) => [p.id, p.file, p.pointer, p.message]),
    ).toEqual([
      [
        'template.value.unresolved',
        file,
        `${DOC}/Statement/0/Principal/AWS/Ref`,
        'policy `arn:aws:s3:::art-bucket-111`: parameter `Partner` reads the ssm parameter `/org/partner` at deploy time, so its value is not known offline: statement 1, an Allow, is left out: what it allows is unknown',
      ],
    ]);
    const read = getObject(links(model), BUILD_ROLE);
    expect(read.decision).toBe('Allowed');
    expect(
      read.allowedBy!.map((r) => [r.statement, r.location?.pointer, r.location?.line]),
    ).toEqual([[2, `${DOC}/Statement/1`, line('# unknown') + 4]]);
  });

  it('alone: a link nothing else allows is Unknown naming it; one the caller allows is Allowed', () => {
    const { model, file, line } = load(template(UNKNOWN_ALLOW));
    const all = links(model);
    const read = getObject(all, BUILD_ROLE);
    expect(read.decision).toBe('Unknown');
    expect(read.missing).toEqual([
      `${file}#${DOC}/Statement/0 (line ${line('# unknown')}: ${UNSETTLED})`,
    ]);
    // the pipeline role's own policy allows it: the statement can only add to that
    const own = all.filter((l) => l.principal === PIPE_ROLE);
    expect(own.length).toBeGreaterThan(5);
    for (const l of own) expect([l.id, l.decision]).toEqual([l.id, 'Allowed']);
  });

  it('an unsettled Deny leaves the policy unknown: what it could deny is not known', () => {
    const { model, file } = load(template([KNOWN_ALLOW, UNKNOWN_DENY].join('\n')));
    const all = links(model);
    const read = getObject(all, BUILD_ROLE);
    expect(read.decision).toBe('Unknown');
    expect(read.missing).toEqual([`${file}#${DOC}`]);
    // it may deny the pipeline role too
    expect(putSource(all).decision).toBe('Unknown');
    expect(
      model.problems.filter((p) => p.id === 'template.value.unresolved').map((p) => p.message),
    ).toEqual([
      'policy `arn:aws:s3:::art-bucket-111`: parameter `Partner` reads the ssm parameter `/org/partner` at deploy time, so its value is not known offline: the policy is unknown',
    ]);
  });

  it('an unsettled Effect leaves the policy unknown', () => {
    const { model, file } = load(template([KNOWN_ALLOW, UNKNOWN_EFFECT].join('\n')));
    const all = links(model);
    expect(getObject(all, BUILD_ROLE).decision).toBe('Unknown');
    expect(getObject(all, BUILD_ROLE).missing).toEqual([`${file}#${DOC}`]);
    expect(putSource(all).decision).toBe('Unknown');
  });

  it('an explicit deny still decides', () => {
    const deny = `          - Effect: Deny
            Principal: "*"
            Action: s3:GetObject
            Resource: "arn:aws:s3:::art-bucket-111/*"`;
    const { model } = load(template([KNOWN_ALLOW, UNKNOWN_ALLOW, deny].join('\n')));
    const read = getObject(links(model), BUILD_ROLE);
    expect(read.decision).toBe('ExplicitlyDenied');
    expect(read.missing ?? []).toEqual([]);
  });
});

describe('a role policy with an Allow statement the templates do not settle', () => {
  const unknownResource = `        - PolicyName: more
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow # unknown
                Action: s3:*
                Resource: !Ref Partner`;
  const knownS3 = `              - Effect: Allow
                Action: s3:*
                Resource: "*"`;

  it('with a known Allow: Allowed', () => {
    const { model } = load(template(UNKNOWN_ALLOW, `${knownS3}\n${unknownResource}`));
    const role = findRole(model, BUILD_ROLE);
    if (role.kind !== 'found') throw new Error('no role');
    const identity = rolePolicies(model, role.value).identity;
    expect(identity.map((p) => (p.unknownAllows ?? []).map((u) => u.pointer))).toEqual([
      [],
      ['/Resources/BuildRole/Properties/Policies/1/PolicyDocument/Statement/0'],
    ]);
    // the bucket policy's unknown Allow cannot undo the role's own allow either
    expect(getObject(links(model), BUILD_ROLE).decision).toBe('Allowed');
  });

  it('alone: Unknown naming it', () => {
    const { model, file, line } = load(
      template(KNOWN_ALLOW.replace('BuildRole', 'PipelineRole'), unknownResource),
    );
    const read = getObject(links(model), BUILD_ROLE);
    expect(read.decision).toBe('Unknown');
    expect(read.missing).toEqual([
      `${file}#/Resources/BuildRole/Properties/Policies/1/PolicyDocument/Statement/0 (line ${line('# unknown')}: ${UNSETTLED})`,
    ]);
  });
});

const CORPUS = '../shared/corpus';
describe.skipIf(!existsSync(`${CORPUS}/SOURCES.md`))(
  'corpus: davidkelley-cross-account-codepipeline',
  () => {
    const set = 'fixtures/stacks/davidkelley-cross-account-codepipeline/stacks.yaml';
    const TEMPLATE = `${CORPUS}/davidkelley-cross-account-codepipeline/template.yml`;
    // loaded by the first test, not while collecting: a skipped describe still runs its body
    let loaded: readonly ReportLink[] | undefined;
    const allLinks = (): readonly ReportLink[] =>
      (loaded ??= links(loadStacksFile(set, { managedPolicies: noManagedPolicies }).model));
    const BUILD =
      'arn:aws:iam::111111111111:role/codepipeline-deployer-CodeBuildExecutionRole-134F0CUR80HB8';

    it('the CodeBuild role reads its input by the bucket policy statement that names it', () => {
      const read = allLinks().find(
        (l) => l.principal === BUILD && l.permission === 's3:GetObject',
      )!;
      expect(read.decision).toBe('Allowed');
      expect(read.allowedBy!.map((r) => [r.policyType, r.statement, r.location?.pointer])).toEqual([
        ['resource', 4, '/Resources/ArtifactsPolicy/Properties/PolicyDocument/Statement/3'],
      ]);
    });

    it('the links the unsettled Allow could change are Unknown naming it, with its line', () => {
      const counts = new Map<string, number>();
      for (const l of allLinks()) counts.set(l.decision, (counts.get(l.decision) ?? 0) + 1);
      // (its GitHub version 1 source calls nothing of its own: no provider-not-modelled link)
      // (the source's and the build's uploads each have a recommended kms:Decrypt for a
      // multipart upload: Allowed)
      expect(Object.fromEntries(counts)).toEqual({ Unknown: 16, Allowed: 23, ImplicitlyDenied: 5 });
      const named = allLinks().filter((l) =>
        (l.missing ?? []).includes(
          `${TEMPLATE}#/Resources/ArtifactsPolicy/Properties/PolicyDocument/Statement/2 (line 213: an Allow statement the input does not settle: the attribute \`Result\` of \`Custom::Format\` is not known offline)`,
        ),
      );
      expect(named.length).toBeGreaterThan(0);
      for (const l of named) expect([l.id, l.decision]).toEqual([l.id, 'Unknown']);
    });
  },
);
