import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { generatedName } from '../../../src/load/templateNames.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/ecs/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };

function links(parameters: Record<string, string> = {}): readonly ReportLink[] {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  return analyzeModel(model).pipelines[0]!.links;
}

describe('ECS deploy actions read their task definition from the template', () => {
  it('models the service, the cluster and the task definition with its two roles', () => {
    const { model } = loadSingleTemplate(TEMPLATE, ENV);
    const region = model.accounts.get('111111111111')!.regions.get('us-east-1')!;
    expect(region.ecsServices?.get('web/web')).toMatchObject({
      cluster: 'web',
      name: 'web',
      taskDefinitionFamily: 'web',
    });
    expect(region.ecsTaskDefinitions?.get('web')).toMatchObject({
      taskRoleArn: 'arn:aws:iam::111111111111:role/web-task',
      executionRoleArn: 'arn:aws:iam::111111111111:role/web-execution',
    });
  });

  it('checks iam:PassRole of each role and registering the family (ecs.pass-role passes)', () => {
    const ecs = links().filter((l) => l.requirement.startsWith('ecs.'));
    const byId = Object.fromEntries(ecs.map((l) => [l.id, l.decision]));
    expect(byId).toMatchObject({
      'Deploy/Deploy:ecs.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-task': 'Allowed',
      'Deploy/Deploy:ecs.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-execution':
        'Allowed',
      'Deploy/Deploy:ecs.register-task-definition:ecs:RegisterTaskDefinition': 'Allowed',
    });
    expect(ecs.filter((l) => l.decision === 'Unknown')).toEqual([]);
  });

  it('finds a pipeline role that may not register the task definition (ecs.register-task-definition fails)', () => {
    const register = links({ AllowRegister: 'false' }).filter(
      (l) => l.requirement === 'ecs.register-task-definition',
    );
    expect(register.map((l) => [l.resource, l.decision])).toEqual([
      ['arn:aws:ecs:us-east-1:111111111111:task-definition/web:*', 'ImplicitlyDenied'],
    ]);
  });

  it('finds the execution role the pipeline role may not pass (ecs.pass-role fails)', () => {
    const pass = links({ PassExecutionRole: 'false' }).filter(
      (l) => l.requirement === 'ecs.pass-role',
    );
    const denied = pass.filter((l) => l.decision !== 'Allowed');
    expect(denied.map((l) => l.resource)).toEqual(['arn:aws:iam::111111111111:role/web-execution']);
    expect(denied[0]!.deniedBy[0]).toMatchObject({ policyType: 'identity' });
  });

  // the AWS CDK's EcsDeployAction names the service by `Fn::GetAtt <service>.Name`, of a service
  // that names none: the attribute was "not known offline", which left the service's links
  // Unknown and its task definition's roles unfound
  it('a service named by `Fn::GetAtt Name` of one that names none: the name it is modelled with', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-ecs-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const text = readFileSync(TEMPLATE, 'utf8');
    const edited = text
      .replace('      ServiceName: web\n', '')
      .replace(
        'Configuration: { ClusterName: web, ServiceName: web,',
        'Configuration: { ClusterName: !Ref Cluster, ServiceName: !GetAtt Service.Name,',
      );
    expect(edited).not.toContain('ServiceName: web');
    expect(edited).toContain('ServiceName: !GetAtt Service.Name');
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(file, edited);
    const { model } = loadSingleTemplate(file, ENV);
    expect(model.problems).toEqual([]);
    const name = generatedName('pipeline', 'Service', 255);
    const region = model.accounts.get('111111111111')!.regions.get('us-east-1')!;
    expect(region.ecsServices?.get(`web/${name}`)).toMatchObject({ taskDefinitionFamily: 'web' });
    const ecs = analyzeModel(model).pipelines[0]!.links.filter((l) =>
      l.requirement.startsWith('ecs.'),
    );
    expect(ecs.filter((l) => l.decision !== 'Allowed').map((l) => l.id)).toEqual([]);
    expect(ecs.find((l) => l.permission === 'ecs:UpdateService')?.resource).toBe(
      `arn:aws:ecs:us-east-1:111111111111:service/web/${name}`,
    );
  });
});
