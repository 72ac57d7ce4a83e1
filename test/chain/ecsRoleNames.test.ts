/**
 * The standard ECS deploy passes the task definition's roles, which a template may give by name
 * (`TaskRoleArn: !Ref TaskRole` gives the role's name; ECS takes "the short name or full ARN"):
 * a name is the role of that name in the task definition's account, with its path, and a name no
 * input defines leaves the PassRole link Unknown, naming it, never checked as a bare name.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadInput } from '../../src/cli/loadInput.js';
import type { ReportLink } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';

/** The template of the scenario's rolling ECS service, with the task role given as `taskRole`. */
function template(taskRole: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: platform
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: platform-api
      TaskRoleArn: ${taskRole}
      ExecutionRoleArn: !GetAtt ExecRole.Arn
      ContainerDefinitions:
        - Name: api
          Image: nginx
  Service:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: api
      Cluster: !Ref Cluster
      TaskDefinition: !Ref TaskDef
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: platform-api-task-exec
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: platform-api-task-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
`;
}

function passRole(taskRole: string): ReportLink[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-ecs-roles-'));
  const file = join(dir, 'ecs.yaml');
  writeFileSync(file, template(taskRole));
  const { model, problems } = loadInput(process.cwd(), {
    input: SCENARIO,
    template: file,
    account: A,
    region: 'us-east-1',
  });
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  const report = analyzeModel(model);
  return report.pipelines
    .find((p) => p.name === 'platform-containers')!
    .links.filter((l) => l.requirement === 'ecs.pass-role');
}

describe('the roles a standard ECS deploy passes', () => {
  it('a task role given by `!Ref` (its name) is the role of that name: allowed by the policy on role/platform-api-task*', () => {
    const links = passRole('!Ref TaskRole');
    expect(links.map((l) => [l.resource, l.decision]).sort()).toEqual([
      [`arn:aws:iam::${A}:role/platform-api-task-exec`, 'Allowed'],
      [`arn:aws:iam::${A}:role/platform-api-task-role`, 'Allowed'],
    ]);
  });

  it('a name of a role of iam.json is its ARN with its path', () => {
    const links = passRole('platform-api-test-role');
    expect(links.map((l) => l.resource).sort()).toEqual([
      `arn:aws:iam::${A}:role/platform-api-task-exec`,
      `arn:aws:iam::${A}:role/service-role/platform-api-test-role`,
    ]);
    for (const l of links) expect(l.resource).not.toBe('platform-api-test-role');
  });

  it('a name no input defines: Unknown, naming the role and where the template writes it', () => {
    const links = passRole('platform-api-task-nowhere');
    expect(links.map((l) => l.decision)).toEqual(['Unknown']);
    expect(links[0]!.missing).toHaveLength(1);
    expect(links[0]!.missing![0]).toMatch(
      /^the role platform-api-task-nowhere that .*ecs\.yaml#\/Resources\/TaskDef\/Properties\/TaskRoleArn names without its ARN, in account 111111111111/,
    );
  });
});
