/**
 * Across accounts both the caller's side and the owner's resource policy must allow
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
 * An Allow statement of the owner's resource policy that the templates do not settle
 * (CompiledPolicy.unknownAllows) can only add an allow on the owner's side: when the caller's own
 * policies lack the allow, it cannot change the answer, and the link is denied by them; when
 * they allow, the link is Unknown naming the statement. It was Unknown either way. An unsettled
 * Allow of the caller's own identity policies is never the owner's side.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { displayPath, loadStacksFile } from '../../src/load/stacks.js';
import type { ReportLink } from '../../src/report/types.js';

const A = '111111111111';
const B = '222222222222';
const PIPE_ROLE = `arn:aws:iam::${A}:role/pipe-role`;
const SOURCE = 'arn:aws:s3:::src-bucket-222/src.zip';
const DOC = '/Resources/SourcePolicy/Properties/PolicyDocument';
const UNSETTLED =
  'an Allow statement the input does not settle: parameter `Partner` reads the ssm parameter `/org/partner` at deploy time, so its value is not known offline';

const TEMP = mkdtempSync(join(tmpdir(), 'permchain-owner-allows-'));
afterAll(() => rmSync(TEMP, { recursive: true, force: true }));

/** Account B: the source bucket, whose policy's only statement is an unsettled Allow. */
const OWNER = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Partner:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /org/partner
Resources:
  Source:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: src-bucket-222
      VersioningConfiguration: { Status: Enabled }
  SourcePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Source
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow # unknown
            Principal: { AWS: !Ref Partner }
            Action: s3:*
            Resource: ["arn:aws:s3:::src-bucket-222", "arn:aws:s3:::src-bucket-222/*"]
`;

/**
 * Account A: the pipeline, whose role may use S3 on `s3Resource` (and what `extraStatement`
 * allows), reading its source from B.
 */
function caller(s3Resource: string, extraStatement: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Other:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /org/other
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
                Action: ["s3:*"]
                Resource: ${s3Resource}
              - Effect: Allow
                Action: ["kms:*"]
                Resource: "*"
${extraStatement}
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
              Configuration: { S3Bucket: src-bucket-222, S3ObjectKey: src.zip, PollForSourceChanges: true }
              OutputArtifacts: [{ Name: Src }]
`;
}

let n = 0;
function sourceLinks(
  s3Resource: string,
  extraCallerStatement = '',
  level: ReportLink['level'] = 'required',
): { links: ReportLink[]; statement: string } {
  n += 1;
  const ownerFile = join(TEMP, `owner${n}.yaml`);
  const callerFile = join(TEMP, `caller${n}.yaml`);
  writeFileSync(ownerFile, OWNER);
  writeFileSync(callerFile, caller(s3Resource, extraCallerStatement));
  const stacks = join(TEMP, `stacks${n}.yaml`);
  writeFileSync(
    stacks,
    `stacks:
  - template: ${ownerFile}
    name: owner
    account: "${B}"
    region: us-east-1
  - template: ${callerFile}
    name: caller
    account: "${A}"
    region: us-east-1
`,
  );
  const { model } = loadStacksFile(stacks, { managedPolicies: noManagedPolicies });
  const links = analyzeModel(model)
    .pipelines[0]!.links.filter(
      (l) => l.principal === PIPE_ROLE && l.resource === SOURCE && l.level === level,
    )
    .sort((x, y) => (x.id < y.id ? -1 : 1));
  const line = OWNER.split('\n').findIndex((l) => l.includes('# unknown')) + 1;
  const statement = `${displayPath(ownerFile)}#${DOC}/Statement/0 (line ${line}: ${UNSETTLED})`;
  return { links, statement };
}

const ART = '["arn:aws:s3:::art-bucket-111", "arn:aws:s3:::art-bucket-111/*"]';

describe("an unsettled Allow of another account's resource policy", () => {
  it("cannot allow what the caller's own policies do not: denied, naming them only", () => {
    const { links, statement } = sourceLinks(ART);
    expect(links.map((l) => [l.decision, l.permission])).toEqual([
      ['ImplicitlyDenied', 's3:GetObject'],
      ['ImplicitlyDenied', 's3:GetObjectVersion'],
    ]);
    for (const l of links) {
      expect(l.deniedBy.map((r) => [r.policyType, r.policy])).toEqual([
        ['identity', `${PIPE_ROLE} p`],
      ]);
      expect(l.missing).toBeUndefined();
      expect(l.why).toBe(
        `\`Source/Src\` (S3) fails: no identity policy of \`${PIPE_ROLE}\` allows ${l.permission} on it; \`${statement}\`, which the input does not settle, could only allow it on the owner's side, and across accounts the caller's own policies must allow it too`,
      );
      expect(l.fix).toBe(
        `allow \`${l.permission}\` on \`${SOURCE}\` in the policies of \`${PIPE_ROLE}\``,
      );
    }
  });

  it("decides when the caller's own policies allow: Unknown, naming the statement", () => {
    const { links, statement } = sourceLinks('"*"');
    expect(links.map((l) => [l.decision, l.permission, l.missing])).toEqual([
      ['Unknown', 's3:GetObject', [statement]],
      ['Unknown', 's3:GetObjectVersion', [statement]],
    ]);
  });

  it("an unsettled Allow of the caller's own policies is not the owner's side: Unknown", () => {
    const { links, statement } = sourceLinks(
      ART,
      `              - Effect: Allow
                Action: s3:*
                Resource: !Sub "arn:aws:s3:::\${Other}/*"`,
    );
    expect(links.map((l) => l.permission)).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain(statement);
      expect(l.missing!.length, l.id).toBe(2);
    }
  });
});

// callerSideDenied: on a recommended link, the note on the owner's unsettled Allow comes before
// the recommended ending, which ends every denied recommended link's why (makeLink)
describe("a recommended link the caller's own policies deny across accounts", () => {
  it('names the unsettled Allow of the owner before the recommended ending', () => {
    const { links, statement } = sourceLinks(ART, '', 'recommended');
    expect(links.map((l) => [l.decision, l.permission])).toEqual([
      ['ImplicitlyDenied', 's3:GetObjectTagging'],
      ['ImplicitlyDenied', 's3:GetObjectVersionTagging'],
    ]);
    for (const l of links) {
      expect(l.deniedBy.map((r) => [r.policyType, r.policy])).toEqual([
        ['identity', `${PIPE_ROLE} p`],
      ]);
      expect(l.missing).toBeUndefined();
      expect(l.why).toBe(
        `\`Source/Src\` (S3) would be denied ${l.permission}: no identity policy of \`${PIPE_ROLE}\` allows ${l.permission} on it; \`${statement}\`, which the input does not settle, could only allow it on the owner's side, and across accounts the caller's own policies must allow it too; it is recommended, not required: working pipelines run without it`,
      );
      expect(l.fix).toBe(
        `allow \`${l.permission}\` on \`${SOURCE}\` in the policies of \`${PIPE_ROLE}\``,
      );
    }
  });
});
