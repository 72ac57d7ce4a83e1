/**
 * The EC2 deploy action sends its instances' tag as `aws:ResourceTag/<InstanceTagKey>`: a tag key
 * the template does not settle is a key of the request whose name is not known, so the link is
 * Unknown naming it (a policy may test that key), never decided on the placeholder's text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';

const dir = mkdtempSync(join(tmpdir(), 'permchain-ec2-tag-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sendCommand(tagKey: unknown, tagValue = 'fleet'): { decision: string; why: string } {
  const trust = (principal: object) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });
  const template = {
    Resources: {
      Artifacts: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'fleet-artifacts' } },
      PipelineRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'fleet-pipeline',
          AssumeRolePolicyDocument: trust({ Service: 'codepipeline.amazonaws.com' }),
          Policies: [
            {
              PolicyName: 'deploy',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'ssm:SendCommand',
                    Resource: 'arn:aws:ec2:us-east-1:111111111111:instance/*',
                    Condition: { StringEquals: { 'aws:ResourceTag/app': 'fleet' } },
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
          Name: 'fleet',
          PipelineType: 'V2',
          RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
          ArtifactStore: { Type: 'S3', Location: { Ref: 'Artifacts' } },
          Stages: [
            {
              Name: 'Source',
              Actions: [
                {
                  Name: 'Source',
                  ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'S3', Version: '1' },
                  Configuration: { S3Bucket: { Ref: 'Artifacts' }, S3ObjectKey: 'app.zip' },
                  OutputArtifacts: [{ Name: 'App' }],
                },
              ],
            },
            {
              Name: 'Deploy',
              Actions: [
                {
                  Name: 'Fleet',
                  ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'EC2', Version: '1' },
                  Configuration: {
                    InstanceTagKey: tagKey,
                    InstanceTagValue: tagValue,
                    InstanceType: 'EC2',
                    TargetDirectory: '/opt/fleet',
                    PostScript: 'start.sh',
                  },
                  InputArtifacts: [{ Name: 'App' }],
                },
              ],
            },
          ],
        },
      },
    },
  };
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(template));
  const { model } = loadSingleTemplate(file, { account: '111111111111', region: 'us-east-1' });
  return analyzeModel(model).pipelines[0]!.links.find(
    (l) => l.requirement === 'ec2-deploy.send-command-instances',
  )!;
}

describe('the tag key of an EC2 deploy action', () => {
  it('settled: the request carries aws:ResourceTag/<key> and the grant on it decides', () => {
    expect(sendCommand('app').decision).toBe('Allowed');
    expect(sendCommand('app', 'web').decision).toBe('ImplicitlyDenied');
  });

  it('not settled by the template: Unknown, naming the key whose name is not known', () => {
    const link = sendCommand({ 'Fn::ImportValue': 'fleet-tag-key' });
    expect(link.decision).toBe('Unknown');
    expect(link.why).toContain('whose name the input does not settle');
  });
});
