/**
 * An Allow statement whose `Resource` list holds some values the template does not settle is read
 * on the ones it settles: it allows no less there (fewer resources, the same actions and
 * conditions), and what it may allow on the others stays unknown. It was left out whole, so the
 * AWS CDK's grant on `[bucket ARN, bucket ARN/<key a custom resource gives>]` left even the
 * bucket-level links of an S3 source Unknown. `NotResource` is never narrowed (fewer values would
 * allow more).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { ReportLink } from '../../../src/report/types.js';

const dir = mkdtempSync(join(tmpdir(), 'permchain-partial-resources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pipeline whose S3 source reads `source.zip` of SourceBucket with an action role. */
function template(sourceStatement: object): string {
  const t = {
    Resources: {
      SourceBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'release-sources' } },
      ArtifactBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'release-artifacts' } },
      PipelineRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'release-pipeline',
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
              PolicyName: 'assume',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'sts:AssumeRole',
                    Resource: { 'Fn::GetAtt': ['SourceRole', 'Arn'] },
                  },
                ],
              },
            },
          ],
        },
      },
      SourceRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'release-source',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] } },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'source',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  sourceStatement,
                  {
                    Effect: 'Allow',
                    Action: ['s3:PutObject', 's3:PutObjectAcl'],
                    Resource: { 'Fn::Sub': '${ArtifactBucket.Arn}/*' },
                  },
                ],
              },
            },
          ],
        },
      },
      Pipeline: {
        Type: 'AWS::CodePipeline::Pipeline',
        Properties: {
          Name: 'release',
          RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
          ArtifactStore: { Type: 'S3', Location: { Ref: 'ArtifactBucket' } },
          Stages: [
            {
              Name: 'Source',
              Actions: [
                {
                  Name: 'Source',
                  ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'S3', Version: '1' },
                  Configuration: {
                    S3Bucket: { Ref: 'SourceBucket' },
                    S3ObjectKey: 'source.zip',
                    PollForSourceChanges: 'true',
                  },
                  OutputArtifacts: [{ Name: 'Src' }],
                  RoleArn: { 'Fn::GetAtt': ['SourceRole', 'Arn'] },
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
    },
  };
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(t));
  return file;
}

const OTHER_KEY = { 'Fn::ImportValue': 'release-source-key' };

function sourceLinks(statement: object): ReportLink[] {
  const { model } = loadSingleTemplate(template(statement), {
    account: '111111111111',
    region: 'us-east-1',
  });
  return analyzeModel(model).pipelines[0]!.links.filter(
    (l) => l.requirement.startsWith('s3-source.') && l.level === 'required',
  );
}

const decisions = (links: ReportLink[]) =>
  Object.fromEntries(links.map((l) => [l.permission, l.decision]));

describe('an Allow statement with some unsettled resources', () => {
  const actions = ['s3:GetBucketVersioning', 's3:GetObject', 's3:GetObjectVersion'];
  const BUCKET = { 'Fn::GetAtt': ['SourceBucket', 'Arn'] };
  const OBJECT = { 'Fn::Sub': '${SourceBucket.Arn}/source.zip' };
  const OTHER_OBJECT = { 'Fn::Join': ['', [BUCKET, '/', OTHER_KEY]] };
  const allow = (resources: object[]) =>
    sourceLinks({ Effect: 'Allow', Action: actions, Resource: resources });

  it('allows on the resources it settles', () => {
    expect(decisions(allow([BUCKET, OBJECT, OTHER_OBJECT]))).toEqual({
      's3:GetBucketVersioning': 'Allowed',
      's3:GetObject': 'Allowed',
      's3:GetObjectVersion': 'Allowed',
    });
  });

  it('and is Unknown, not denied, where only an unsettled resource could allow', () => {
    expect(decisions(allow([BUCKET, OTHER_OBJECT]))).toEqual({
      's3:GetBucketVersioning': 'Allowed',
      's3:GetObject': 'Unknown',
      's3:GetObjectVersion': 'Unknown',
    });
  });

  it('NotResource is not narrowed: the statement stays unknown as a whole', () => {
    const links = sourceLinks({
      Effect: 'Allow',
      Action: actions,
      NotResource: [{ 'Fn::Sub': 'arn:aws:s3:::other-bucket/*' }, OTHER_KEY],
    });
    expect(new Set(links.map((l) => l.decision))).toEqual(new Set(['Unknown']));
  });
});
