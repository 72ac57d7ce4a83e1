/**
 * Across accounts both the caller's side and the owner's resource policy must allow
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
 * An Allow statement of the owner's resource policy that the templates do not settle
 * (CompiledPolicy.unknownAllows) can only add an allow on the owner's side: when the caller's own
 * policies lack the allow, it cannot change the answer, and the link is denied by them; when
 * they allow, the link is Unknown naming the statement. It was Unknown either way. An unsettled
 * Allow of the caller's own identity policies is never the owner's side; the reverse holds for
 * it: it cannot allow what the owner's settled resource policy (a bucket policy, a trust policy)
 * does not, across accounts (denied by that policy), and stays Unknown within one account.
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

/** Account B's template: the source bucket, whose policy's one statement is `statement`. */
function ownerTemplate(statement: string, parameters = ''): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
${parameters}Resources:
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
${statement}
            Resource: ["arn:aws:s3:::src-bucket-222", "arn:aws:s3:::src-bucket-222/*"]
`;
}

/** Account B: the source bucket, whose policy's only statement is an unsettled Allow. */
const OWNER = ownerTemplate(
  `          - Effect: Allow # unknown
            Principal: { AWS: !Ref Partner }
            Action: s3:*`,
  `Parameters:
  Partner:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /org/partner
`,
);

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

/**
 * Account B (or `account`): the source bucket, whose policy is settled: it allows `principal`
 * to read objects.
 */
function settledOwner(principal: string): string {
  return ownerTemplate(`          - Effect: Allow
            Principal: { AWS: "${principal}" }
            Action: ["s3:GetObject*", "s3:GetBucket*", "s3:ListBucket*"]`);
}

/** The caller's Allow for s3:GetObject on the source that no input settles. */
const CALLER_UNSETTLED = `              - Effect: Allow # caller unknown
                Action: s3:GetObject*
                Resource: !Sub "arn:aws:s3:::\${Other}/*"`;

let n = 0;
function sourceLinks(
  s3Resource: string,
  extraCallerStatement = '',
  level: ReportLink['level'] = 'required',
  ownerTemplate = OWNER,
  ownerAccount = B,
): { links: ReportLink[]; statement: string; callerStatement: string } {
  n += 1;
  const ownerFile = join(TEMP, `owner${n}.yaml`);
  const callerFile = join(TEMP, `caller${n}.yaml`);
  writeFileSync(ownerFile, ownerTemplate);
  const callerText = caller(s3Resource, extraCallerStatement);
  writeFileSync(callerFile, callerText);
  const stacks = join(TEMP, `stacks${n}.yaml`);
  writeFileSync(
    stacks,
    `stacks:
  - template: ${ownerFile}
    name: owner
    account: "${ownerAccount}"
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
  const callerLine = callerText.split('\n').findIndex((l) => l.includes('# caller unknown')) + 1;
  const callerStatement = `${displayPath(callerFile)}#/Resources/PipelineRole/Properties/Policies/0/PolicyDocument/Statement/2 (line ${callerLine}: an Allow statement the input does not settle: parameter \`Other\` reads the ssm parameter \`/org/other\` at deploy time, so its value is not known offline)`;
  return { links, statement, callerStatement };
}

const ART = '["arn:aws:s3:::art-bucket-111", "arn:aws:s3:::art-bucket-111/*"]';

/**
 * A link denied by the caller's own identity policy alone, whose why names the owner's unsettled
 * Allow (`statement`) as what could only allow on the owner's side: `failing` is how the why
 * says it fails, `ending` what it ends with.
 */
function expectCallerSideDenial(
  l: ReportLink,
  statement: string,
  failing: string,
  ending: string,
): void {
  expect(l.deniedBy.map((r) => [r.policyType, r.policy])).toEqual([['identity', `${PIPE_ROLE} p`]]);
  expect(l.missing).toBeUndefined();
  expect(l.why).toBe(
    `\`Source/Src\` (S3) ${failing}: no identity policy of \`${PIPE_ROLE}\` allows ${l.permission} on it; \`${statement}\`, which the input does not settle, could only allow it on the owner's side, and across accounts the caller's own policies must allow it too${ending}`,
  );
  expect(l.fix).toBe(
    `allow \`${l.permission}\` on \`${SOURCE}\` in the policies of \`${PIPE_ROLE}\``,
  );
}

describe("an unsettled Allow of another account's resource policy", () => {
  it("cannot allow what the caller's own policies do not: denied, naming them only", () => {
    const { links, statement } = sourceLinks(ART);
    expect(links.map((l) => [l.decision, l.permission])).toEqual([
      ['ImplicitlyDenied', 's3:GetObject'],
      ['ImplicitlyDenied', 's3:GetObjectVersion'],
    ]);
    for (const l of links) expectCallerSideDenial(l, statement, 'fails', '');
  });

  // a value of a key the request does not settle (the caller's network address) for which the
  // caller's own policies allow: the owner's unsettled Allow then decides, so the link is not
  // known to be denied; for which they deny: denied either way
  it.each([
    ['Allow', 'Unknown'],
    ['Deny', 'ExplicitlyDenied'],
  ])('a caller %s for some value of a key no input gives: %s', (effect, decision) => {
    const { links } = sourceLinks(
      ART,
      `              - Effect: ${effect}
                Action: ["s3:GetObject", "s3:GetObjectVersion"]
                Resource: "${SOURCE}"
                Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }`,
    );
    expect(links.map((l) => [l.decision, l.permission])).toEqual([
      [decision, 's3:GetObject'],
      [decision, 's3:GetObjectVersion'],
    ]);
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
    for (const l of links)
      expectCallerSideDenial(
        l,
        statement,
        `would be denied ${l.permission}`,
        '; it is recommended, not required: working pipelines run without it',
      );
  });
});

// the reverse (resourceSideDenied): an unsettled Allow of the caller's own policies can only
// allow on the caller's side; across accounts the owner's resource policy must allow too
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
describe("an unsettled Allow of the caller's own policies across accounts", () => {
  it("cannot allow what the owner's settled bucket policy does not: denied by it", () => {
    const { links, callerStatement } = sourceLinks(
      ART,
      CALLER_UNSETTLED,
      'required',
      settledOwner('arn:aws:iam::333333333333:root'),
    );
    expect(links.map((l) => [l.decision, l.permission])).toEqual([
      ['ImplicitlyDenied', 's3:GetObject'],
      ['ImplicitlyDenied', 's3:GetObjectVersion'],
    ]);
    for (const l of links) {
      expect(l.deniedBy.map((r) => [r.policyType, r.policy])).toEqual([
        ['resource', 'arn:aws:s3:::src-bucket-222'],
      ]);
      expect(l.missing).toBeUndefined();
      expect(l.why).toBe(
        `\`Source/Src\` (S3) fails: the resource policy of \`arn:aws:s3:::src-bucket-222\` does not allow \`${PIPE_ROLE}\`; \`${callerStatement}\`, which the input does not settle, could only allow it on the caller's side, and across accounts the owner's resource policy must allow it too`,
      );
      expect(l.fix).toBe(
        `allow \`${PIPE_ROLE}\` \`${l.permission}\` on \`${SOURCE}\` in the bucket policy of \`arn:aws:s3:::src-bucket-222\``,
      );
    }
  });

  it("is what decides when the owner's bucket policy allows the caller: Unknown", () => {
    const { links, callerStatement } = sourceLinks(
      ART,
      CALLER_UNSETTLED,
      'required',
      settledOwner(`arn:aws:iam::${A}:root`),
    );
    expect(links.map((l) => [l.decision, l.permission, l.missing])).toEqual([
      ['Unknown', 's3:GetObject', [callerStatement]],
      ['Unknown', 's3:GetObjectVersion', [callerStatement]],
    ]);
  });

  it('same account, an identity Allow alone may suffice: Unknown', () => {
    const { links, callerStatement } = sourceLinks(
      ART,
      CALLER_UNSETTLED,
      'required',
      settledOwner('arn:aws:iam::333333333333:root'),
      A,
    );
    expect(links.map((l) => [l.decision, l.permission, l.missing])).toEqual([
      ['Unknown', 's3:GetObject', [callerStatement]],
      ['Unknown', 's3:GetObjectVersion', [callerStatement]],
    ]);
  });

  it("the owner's bucket policy has an unsettled Allow of its own: Unknown", () => {
    const { links, statement, callerStatement } = sourceLinks(ART, CALLER_UNSETTLED);
    expect(links.map((l) => [l.decision, l.permission, l.missing])).toEqual([
      ['Unknown', 's3:GetObject', [callerStatement, statement].sort()],
      ['Unknown', 's3:GetObjectVersion', [callerStatement, statement].sort()],
    ]);
  });
});

/**
 * A role's trust policy is the resource side of sts:AssumeRole: across accounts it must trust
 * the caller whatever the caller's identity policies allow
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). The pipeline role,
 * whose only sts:AssumeRole Allow is unsettled, assumes `act-role` of `account`, which trusts
 * another account only.
 */
function assumeLinks(account: string): { links: ReportLink[]; callerStatement: string } {
  n += 1;
  const ownerFile = join(TEMP, `trust-owner${n}.yaml`);
  const callerFile = join(TEMP, `trust-caller${n}.yaml`);
  writeFileSync(
    ownerFile,
    `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ActRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: act-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: "arn:aws:iam::333333333333:root" }
            Action: sts:AssumeRole
`,
  );
  const callerText = caller(
    '"*"',
    `              - Effect: Allow # caller unknown
                Action: sts:AssumeRole
                Resource: !Sub "arn:aws:iam::\${Other}:role/*"`,
  ).replace(
    '              OutputArtifacts: [{ Name: Src }]\n',
    `              OutputArtifacts: [{ Name: Src }]
        - Name: Deploy
          Actions:
            - Name: Dep
              RoleArn: arn:aws:iam::${account}:role/act-role
              ActionTypeId: { Category: Deploy, Owner: AWS, Provider: S3, Version: "1" }
              Configuration: { BucketName: art-bucket-111, Extract: true }
              InputArtifacts: [{ Name: Src }]
`,
  );
  writeFileSync(callerFile, callerText);
  const stacks = join(TEMP, `trust-stacks${n}.yaml`);
  writeFileSync(
    stacks,
    `stacks:
  - template: ${ownerFile}
    name: owner
    account: "${account}"
    region: us-east-1
  - template: ${callerFile}
    name: caller
    account: "${A}"
    region: us-east-1
`,
  );
  const { model } = loadStacksFile(stacks, { managedPolicies: noManagedPolicies });
  const links = analyzeModel(model).pipelines[0]!.links.filter(
    (l) => l.principal === PIPE_ROLE && l.permission === 'sts:AssumeRole',
  );
  const callerLine = callerText.split('\n').findIndex((l) => l.includes('# caller unknown')) + 1;
  const callerStatement = `${displayPath(callerFile)}#/Resources/PipelineRole/Properties/Policies/0/PolicyDocument/Statement/2 (line ${callerLine}: an Allow statement the input does not settle: parameter \`Other\` reads the ssm parameter \`/org/other\` at deploy time, so its value is not known offline)`;
  return { links, callerStatement };
}

describe("an unsettled sts:AssumeRole Allow of the caller's own policies", () => {
  it('cannot assume a role of another account whose trust policy does not trust it: denied', () => {
    const { links, callerStatement } = assumeLinks(B);
    const role = `arn:aws:iam::${B}:role/act-role`;
    expect(links.map((l) => [l.decision, l.resource])).toEqual([['ImplicitlyDenied', role]]);
    const l = links[0]!;
    expect(l.deniedBy.map((r) => [r.policyType, r.policy])).toEqual([['resource', role]]);
    expect(l.missing).toBeUndefined();
    expect(l.why).toBe(
      `\`Deploy/Dep\` (S3) fails: the trust policy of \`${role}\` does not trust \`${PIPE_ROLE}\`; \`${callerStatement}\`, which the input does not settle, could only allow it on the caller's side, and across accounts the owner's resource policy must allow it too`,
    );
    expect(l.fix).toBe(
      `let \`${PIPE_ROLE}\` call \`sts:AssumeRole\` in the trust policy of \`${role}\``,
    );
  });

  // within one account a trust policy must allow too, but the rule is for two accounts only:
  // the link stays as it was
  it('same account: Unknown, naming the statement', () => {
    const { links, callerStatement } = assumeLinks(A);
    expect(links.map((l) => [l.decision, l.resource, l.missing])).toEqual([
      ['Unknown', `arn:aws:iam::${A}:role/act-role`, [callerStatement]],
    ]);
  });
});
