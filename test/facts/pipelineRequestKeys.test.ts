/**
 * §2.10 of the fact sheet (/work/shared/aws-facts.md): the global keys of the calls a pipeline
 * run makes with role credentials (the pipeline role, a CodeBuild project role, a cross-account
 * action role). Each row adds to the artifact bucket policy of pass-cross-account a Deny of s3:*
 * to everyone under one condition, and reads the decisions of every S3 link on that bucket: the
 * pipeline role's, the build role's and the prod deploy role's (another account).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const T = '111111111111';
const P = '222222222222';
const BUCKET = `orders-artifacts-${T}-us-east-1`;
const BUCKET_FILE = `${T}/s3/${BUCKET}.json`;
const ROLES = [
  `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`,
  `arn:aws:iam::${T}:role/service-role/orders-api-build-role`,
  `arn:aws:iam::${P}:role/orders-api-deploy-action`,
];

/** `<role name> <decision>` of every S3 link on the artifact bucket, with the Deny added. */
function underDeny(condition: Json): string[] {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(join(dir, BUCKET_FILE), (doc) => {
      const policy = JSON.parse(doc['Policy'] as string) as { Statement: Json[] };
      policy.Statement.push({
        Sid: 'KeyTest',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: condition,
      });
      doc['Policy'] = JSON.stringify(policy);
    });
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    const seen = new Set<string>();
    for (const l of links)
      if (l.permission.startsWith('s3:') && l.resource.includes(BUCKET))
        seen.add(`${l.principal.split('/').pop()!} ${l.decision}`);
    return [...seen].sort();
  });
}

const all = (decision: string) =>
  ['orders-api-build-role', 'orders-api-deploy-action', 'orders-api-pipeline-role'].map(
    (r) => `${r} ${decision}`,
  );

describe('§2.10 keys of the calls made with role credentials', () => {
  it.each<[string, Json]>([
    [
      'aws:PrincipalArn is the role ARN, path included',
      { ArnNotEquals: { 'aws:PrincipalArn': ROLES } },
    ],
    [
      'aws:PrincipalAccount is the role account',
      { StringNotEquals: { 'aws:PrincipalAccount': [T, P] } },
    ],
    [
      'aws:PrincipalType is AssumedRole',
      { StringNotEquals: { 'aws:PrincipalType': 'AssumedRole' } },
    ],
    ['aws:username is absent for roles', { Null: { 'aws:username': 'false' } }],
    ['aws:PrincipalIsAWSService is false', { Bool: { 'aws:PrincipalIsAWSService': 'true' } }],
    ['aws:PrincipalServiceName is absent', { Null: { 'aws:PrincipalServiceName': 'false' } }],
    ['aws:CalledVia is absent on direct calls', { Null: { 'aws:CalledVia': 'false' } }],
    ['aws:ViaAWSService is false on direct calls', { Bool: { 'aws:ViaAWSService': 'true' } }],
    [
      'aws:SourceArn is absent (CodePipeline documents none)',
      { Null: { 'aws:SourceArn': 'false' } },
    ],
    ['aws:SourceAccount is absent', { Null: { 'aws:SourceAccount': 'false' } }],
    [
      'aws:ResourceAccount is the bucket owner, for the prod role too',
      { StringNotEquals: { 'aws:ResourceAccount': T } },
    ],
    ['aws:SecureTransport is always present', { Null: { 'aws:SecureTransport': 'true' } }],
    [
      'aws:PrincipalOrgID is present for accounts of an organization',
      { Null: { 'aws:PrincipalOrgID': 'true' } },
    ],
  ])('%s: a Deny unless so denies nothing', (_what, condition) => {
    expect(underDeny(condition)).toEqual(all('Allowed'));
  });

  it('the opposite conditions deny every call: the keys are read, not ignored', () => {
    expect(underDeny({ StringEquals: { 'aws:ResourceAccount': T } })).toEqual(
      all('ExplicitlyDenied'),
    );
    expect(underDeny({ ArnEquals: { 'aws:PrincipalArn': ROLES } })).toEqual(
      all('ExplicitlyDenied'),
    );
    expect(underDeny({ Bool: { 'aws:ViaAWSService': 'false' } })).toEqual(all('ExplicitlyDenied'));
  });

  it('a session ARN has no path: the path-less role ARN is not aws:PrincipalArn', () => {
    const pathless = `arn:aws:iam::${T}:role/orders-api-pipeline-role`;
    expect(underDeny({ ArnEquals: { 'aws:PrincipalArn': pathless } })).toEqual(all('Allowed'));
  });

  it('aws:SourceIp: the calling service address for service calls, absent through a VPC endpoint: not known, so Unknown', () => {
    expect(underDeny({ Null: { 'aws:SourceIp': 'false' } })).toEqual(all('Unknown'));
  });
});
