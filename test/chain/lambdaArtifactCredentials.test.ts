/**
 * A Lambda invoke action's function reads its input artifacts and uploads its output artifacts
 * itself, with the artifactCredentials of its event: "The CodePipeline role uses a JSON event to
 * pass temporary credentials to Lambda in the artifactCredentials field"
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html). Those
 * are a session of the action role (or the pipeline role), so that role needs S3 and KMS access to
 * the artifacts (https://github.com/aws/aws-cdk/issues/3274: denied until CDK granted the action
 * role the bucket). Whether the function's code sends the SSE-KMS headers no input says.
 *
 * Each case edits the pass-with-lambda-invoke scenario: the SmokeTest action reads BuildOutput,
 * writes SmokeReport, and runs as an action role whose policy allows only lambda:InvokeFunction
 * (and lambda:ListFunctions), unless the case adds the artifact grants.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-with-lambda-invoke';
const T = '111111111111';
const BUCKET = `orders-artifacts-${T}-us-east-1`;
const KEY = `arn:aws:kms:us-east-1:${T}:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e`;
const FUNCTION = `arn:aws:lambda:us-east-1:${T}:function:orders-api-smoke-test`;
const PIPE_ROLE = `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`;
const SMOKE_ACTION_ROLE = `arn:aws:iam::${T}:role/orders-api-smoke-action`;

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
type Role = {
  RoleName: string;
  RolePolicyList: {
    PolicyName?: string;
    PolicyDocument: { Version?: string; Statement: Statement[] };
  }[];
} & Json;
type Actions = { name: string; roleArn?: string; inputArtifacts: Json[]; outputArtifacts: Json[] };

const INVOKE: Statement[] = [
  { Sid: 'Invoke', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FUNCTION },
  { Sid: 'List', Effect: 'Allow', Action: 'lambda:ListFunctions', Resource: '*' },
];
const ARTIFACTS: Statement[] = [
  {
    Sid: 'Artifacts',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: `arn:aws:s3:::${BUCKET}/*`,
  },
  {
    Sid: 'ArtifactKey',
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: KEY,
  },
];

/** The SmokeTest artifact links as `requirement permission decision`, and the links. */
function smokeArtifactLinks(
  statements: Statement[],
  options: { requireSseHeader?: boolean } = {},
): { text: string[]; links: ReportLink[] } {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, `${T}/us-east-1/codepipeline/orders-api.json`), (doc) => {
      const stages = (doc['pipeline'] as { stages: { actions: Actions[] }[] }).stages;
      const smoke = stages.flatMap((s) => s.actions).find((a) => a.name === 'SmokeTest')!;
      smoke.roleArn = SMOKE_ACTION_ROLE;
      smoke.inputArtifacts = [{ name: 'BuildOutput' }];
      smoke.outputArtifacts = [{ name: 'SmokeReport' }];
    });
    editJson(join(dir, `${T}/iam.json`), (doc) => {
      const roles = doc['RoleDetailList'] as Role[];
      roles
        .find((r) => r.RoleName === 'orders-api-pipeline-role')!
        .RolePolicyList[0]!.PolicyDocument.Statement.push({
          Sid: 'AssumeSmokeActionRole',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: SMOKE_ACTION_ROLE,
        });
      roles.push({
        Path: '/',
        RoleName: 'orders-api-smoke-action',
        RoleId: 'AROAQXAMPLESMOKEACT1',
        Arn: SMOKE_ACTION_ROLE,
        CreateDate: '2024-05-06T09:30:00+00:00',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: PIPE_ROLE }, Action: 'sts:AssumeRole' }],
        },
        InstanceProfileList: [],
        RolePolicyList: [
          {
            PolicyName: 'orders-api-smoke-action-policy',
            PolicyDocument: { Version: '2012-10-17', Statement: statements },
          },
        ],
        AttachedManagedPolicies: [],
        Tags: [],
      });
    });
    if (options.requireSseHeader === false)
      editJson(join(dir, `${T}/s3/${BUCKET}.json`), (doc) => {
        const policy = JSON.parse(doc['Policy'] as string) as { Statement: Statement[] };
        policy.Statement = policy.Statement.filter((s) => s.Sid !== 'DenyUnEncryptedObjectUploads');
        doc['Policy'] = JSON.stringify(policy);
      });
    const links = analyzeModel(loadSnapshot(dir))
      .pipelines[0]!.links.filter(
        (l) =>
          l.action === 'SmokeTest' &&
          l.level === 'required' &&
          l.requirement.startsWith('artifacts.'),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return { text: links.map((l) => `${l.requirement} ${l.permission} ${l.decision}`), links };
  });
}

describe("a Lambda invoke action's artifacts, read and written with its role's session", () => {
  it('are denied to an action role that may only invoke the function', () => {
    // the bucket's SSE-KMS requirement is left out: the upload is then denied with or without
    // the headers alike
    const { text, links } = smokeArtifactLinks(INVOKE, { requireSseHeader: false });
    expect(text).toEqual([
      'artifacts.input.get-object s3:GetObject ImplicitlyDenied',
      'artifacts.input.kms-decrypt kms:Decrypt ImplicitlyDenied',
      'artifacts.output.kms-generate-data-key kms:GenerateDataKey ImplicitlyDenied',
      'artifacts.output.put-object s3:PutObject ImplicitlyDenied',
    ]);
    for (const l of links) expect(l.principal, l.id).toBe(SMOKE_ACTION_ROLE);
    expect(links.find((l) => l.permission === 's3:GetObject')!.resource).toBe(
      `arn:aws:s3:::${BUCKET}/orders-api/BuildOutpu/*`,
    );
    expect(links.find((l) => l.permission === 's3:PutObject')!.resource).toBe(
      `arn:aws:s3:::${BUCKET}/orders-api/SmokeRepor/*`,
    );
  });

  it('are allowed with the S3 and KMS grants, the upload unknown while the bucket requires SSE-KMS', () => {
    const { text, links } = smokeArtifactLinks([...INVOKE, ...ARTIFACTS]);
    expect(text).toEqual([
      'artifacts.input.get-object s3:GetObject Allowed',
      'artifacts.input.kms-decrypt kms:Decrypt Allowed',
      'artifacts.output.kms-generate-data-key kms:GenerateDataKey Allowed',
      'artifacts.output.put-object s3:PutObject Unknown',
    ]);
    // whether the function's code sends the SSE-KMS header decides the bucket's deny
    expect(links.find((l) => l.permission === 's3:PutObject')!.why).toContain(
      '`s3:x-amz-server-side-encryption`',
    );
  });

  it('are all allowed with the grants when the bucket does not test the SSE header', () => {
    const { text } = smokeArtifactLinks([...INVOKE, ...ARTIFACTS], { requireSseHeader: false });
    expect(text).toEqual([
      'artifacts.input.get-object s3:GetObject Allowed',
      'artifacts.input.kms-decrypt kms:Decrypt Allowed',
      'artifacts.output.kms-generate-data-key kms:GenerateDataKey Allowed',
      'artifacts.output.put-object s3:PutObject Allowed',
    ]);
  });
});
