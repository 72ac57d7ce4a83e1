/**
 * A CodeBuild project's `ServiceRole: !Ref BuildRole` gives the role's name, and a role name is
 * unique in its account whatever the path: the project's role is the template's role, with its
 * path in its ARN. It was made `role/<name>`, which names no role of a path (findRole), so every
 * link of the build role was Unknown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { projectOf, templateModel } from './templateModel.js';

const TEMPLATE = (serviceRole: string, roleName: string): string => `
Resources:
  ArtifactBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: artifacts-111111111111
  PipelineRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: pipeline-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: codepipeline.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: all
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "codebuild:*"]
                Resource: "*"
  BuildRole:
    Type: AWS::IAM::Role
    Properties:
${roleName}      Path: /service-role/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: codebuild.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: all
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "logs:*", "codebuild:*"]
                Resource: "*"
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: ${serviceRole}
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
      ArtifactStore: { Type: S3, Location: !Ref ArtifactBucket }
      Stages:
        - Name: Source
          Actions:
            - Name: Source
              ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: "1" }
              Configuration: { S3Bucket: !Ref ArtifactBucket, S3ObjectKey: src.zip }
              OutputArtifacts: [{ Name: Src }]
        - Name: Build
          Actions:
            - Name: Build
              ActionTypeId: { Category: Build, Owner: AWS, Provider: CodeBuild, Version: "1" }
              Configuration: { ProjectName: !Ref Project }
              InputArtifacts: [{ Name: Src }]
              OutputArtifacts: [{ Name: Out }]
`;

function analyze(serviceRole: string, roleName = '') {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-service-role-'));
  try {
    const file = join(dir, 't.yaml');
    writeFileSync(file, TEMPLATE(serviceRole, roleName));
    const model = templateModel(file);
    const project = projectOf(model, 'build');
    const links = analyzeModel(model).pipelines[0]!.links;
    return { project, links };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a CodeBuild service role given by name, of a role with a path', () => {
  const ROLE = 'arn:aws:iam::111111111111:role/service-role/build-role';

  it.each([
    ['!Ref of a named role', '!Ref BuildRole', '      RoleName: build-role\n'],
    ['the name written out', 'build-role', '      RoleName: build-role\n'],
    ['!GetAtt Arn (as before)', '!GetAtt BuildRole.Arn', '      RoleName: build-role\n'],
  ])('%s is the role with its path, and its links are decided', (_, serviceRole, roleName) => {
    const { project, links } = analyze(serviceRole, roleName);
    expect(project?.serviceRole).toBe(ROLE);
    const mine = links.filter((l) => l.principal === ROLE);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((l) => l.decision !== 'Allowed').map((l) => [l.id, l.decision])).toEqual([]);
  });

  it('finds a role of a generated name by !Ref', () => {
    const { project, links } = analyze('!Ref BuildRole');
    expect(project?.serviceRole).toMatch(/^arn:aws:iam::111111111111:role\/service-role\/.+/);
    const mine = links.filter((l) => l.principal === project?.serviceRole);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((l) => l.decision === 'Allowed')).toBe(true);
  });

  it('keeps role/<name> for a name no template role has (its links are Unknown)', () => {
    const { project, links } = analyze('other-role', '      RoleName: build-role\n');
    expect(project?.serviceRole).toBe('arn:aws:iam::111111111111:role/other-role');
    const mine = links.filter((l) => l.principal === project?.serviceRole);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((l) => l.decision === 'Unknown')).toBe(true);
  });
});
