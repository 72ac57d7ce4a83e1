/**
 * Fields of a template pipeline action of a shape CloudFormation rejects were read as absent:
 * `InputArtifacts: BuildOutput` (a string, not a list) as no inputs, so the denied key link of
 * the deploy action vanished and the run passed; an action `RoleArn:` left empty (null) as no
 * role, so the action ran as the pipeline role. Each is an input error at its pointer, and what
 * depends on the value is Unknown, never dropped or defaulted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';
import { isPlaceholder } from '../../../src/model/placeholders.js';
import { linkStatus } from '../../../src/report/summarize.js';
import type { ActionModel, Model } from '../../../src/model/types.js';

const DEMO = readFileSync('fixtures/templates/demo-pipeline-v2.yaml', 'utf8');
const DEPLOY = '/Resources/PipelineV2/Properties/Stages/2/Actions/0';
const ROLE_LINE =
  '              RoleArn: !Sub arn:${AWS::Partition}:iam::${ProdAccount}:role/demo-deploy-action\n';

/** The demo template with `from` replaced by `to`, laid over the demo snapshot. */
function load(from: string, to: string) {
  expect(DEMO).toContain(from);
  const dir = mkdtempSync(join(tmpdir(), 'permchain-shapes-'));
  try {
    const file = join(dir, 't.yaml');
    writeFileSync(file, DEMO.replace(from, to));
    const template = loadSingleTemplate(file, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    const model = mergeModels(loadSnapshot('fixtures/demo'), template.model);
    const report = analyzeModel(model, { pipelines: ['demo-app-v2'] });
    return {
      model,
      errors: template.problems
        .filter((p) => p.severity === 'error')
        .map((p) => [p.pointer, p.id, p.message]),
      pipeline: report.pipelines[0]!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function action(model: Model, stage: string, name: string): ActionModel {
  const p = model.accounts.get('111111111111')!.regions.get('us-east-1')!.pipelines;
  const s = p.get('demo-app-v2')!.stages.find((x) => x.name === stage)!;
  return s.actions.find((a) => a.name === name)!;
}

describe('a template action field of the wrong shape', () => {
  it('as written, the demo template fails on the deploy action reading the artifact key', () => {
    const { errors, pipeline } = load('', '');
    expect(errors).toEqual([]);
    expect(pipeline.verdict).toBe('fail');
  });

  it('`InputArtifacts` as a string is an error, and the action one Unknown link (not passed)', () => {
    const { errors, pipeline } = load(
      'InputArtifacts: [{ Name: BuildOutput }]',
      'InputArtifacts: BuildOutput',
    );
    expect(errors).toEqual([
      [
        `${DEPLOY}/InputArtifacts`,
        'template.shape.invalid',
        '`InputArtifacts` must be a list of `{ Name: ... }`, not `BuildOutput`',
      ],
    ]);
    expect(pipeline.verdict).not.toBe('pass');
    const unknown = pipeline.links.filter((l) => l.requirement === 'action.not-settled');
    expect(unknown.map((l) => l.action)).toEqual(['DeployStack']);
  });

  it('an artifact without a `Name` or with a list for one is an error too', () => {
    for (const [to, pointer] of [
      ['InputArtifacts: [{ Nom: BuildOutput }]', `${DEPLOY}/InputArtifacts/0`],
      ['InputArtifacts: [{ Name: [BuildOutput] }]', `${DEPLOY}/InputArtifacts/0/Name`],
      ['InputArtifacts: [BuildOutput]', `${DEPLOY}/InputArtifacts/0`],
    ] as const) {
      const { errors, pipeline } = load('InputArtifacts: [{ Name: BuildOutput }]', to);
      expect(errors.map((e) => e[0])).toEqual([pointer]);
      expect(
        pipeline.links.filter((l) => l.requirement === 'action.not-settled').map((l) => l.action),
      ).toEqual(['DeployStack']);
    }
  });

  it('an action `RoleArn:` left empty is an error and an unknown role, not the pipeline role', () => {
    const { model, errors, pipeline } = load(ROLE_LINE, '              RoleArn:\n');
    expect(errors).toEqual([
      [
        `${DEPLOY}/RoleArn`,
        'template.shape.invalid',
        '`null` (an empty value): CloudFormation rejects null values',
      ],
    ]);
    const deploy = action(model, 'DeployProd', 'DeployStack');
    // a placeholder role (`arn:aws:iam::unresolved:role/unresolved-...`) naming the element
    expect(model.unresolved?.get(deploy.roleArn!)?.location.pointer).toBe(`${DEPLOY}/RoleArn`);
    // the deploy action's links are the unknown role's, Unknown; the pipeline role only assumes
    // it (was: every link of the action decided as the pipeline role)
    const links = pipeline.links.filter((l) => l.action === 'DeployStack');
    const byRole = links.filter((l) => l.principal === deploy.roleArn);
    expect(byRole.length).toBeGreaterThan(5);
    expect(byRole.filter((l) => linkStatus(l) !== 'unknown')).toEqual([]);
    expect(links.find((l) => l.permission === 'cloudformation:CreateStack')?.principal).toBe(
      deploy.roleArn,
    );
    expect(
      links.filter((l) => l.principal.includes('demo-pipeline-role')).map((l) => l.requirement),
    ).toEqual(['action.assume-action-role']);
  });

  it('an action `RoleArn` that is a list is an error and an unknown role', () => {
    const { model, errors } = load(ROLE_LINE, '              RoleArn: [a, b]\n');
    expect(errors.map((e) => [e[0], e[2]])).toEqual([
      [`${DEPLOY}/RoleArn`, '`RoleArn` must be a string, not a list'],
    ]);
    const role = action(model, 'DeployProd', 'DeployStack').roleArn!;
    expect(model.unresolved?.get(role)?.location.pointer).toBe(`${DEPLOY}/RoleArn`);
  });

  it('a type field, `Configuration`, `Region` of the wrong shape make the action Unknown', () => {
    const typeId = '{ Category: Deploy, Owner: AWS, Provider: CloudFormation, Version: "1" }';
    for (const [from, to, pointer] of [
      [
        typeId,
        '{ Category: Deploy, Owner: AWS, Provider: CloudFormation }',
        `${DEPLOY}/ActionTypeId`,
      ],
      [
        typeId,
        '{ Category: , Owner: AWS, Provider: CloudFormation, Version: "1" }',
        `${DEPLOY}/ActionTypeId/Category`,
      ],
      [typeId, 'CloudFormation', `${DEPLOY}/ActionTypeId`],
      [ROLE_LINE, `${ROLE_LINE}              Region: [us-east-1]\n`, `${DEPLOY}/Region`],
      [
        '              Configuration:\n                ActionMode',
        '              Configuration: ActionMode\n              Configurations:\n                ActionMode',
        `${DEPLOY}/Configuration`,
      ],
    ] as const) {
      const { errors, pipeline } = load(from, to);
      expect(errors.map((e) => [e[0], e[1]])).toEqual([[pointer, 'template.shape.invalid']]);
      expect(
        pipeline.links.filter((l) => l.requirement === 'action.not-settled').map((l) => l.action),
      ).toEqual(['DeployStack']);
    }
  });

  it('a `Configuration` value that is null or an object is an error and an unknown value', () => {
    for (const [value, message] of [
      ['', '`null` (an empty value): CloudFormation rejects null values'],
      [' { a: 1 }', 'an object'],
    ] as const) {
      const { model, errors } = load('StackName: demo-app\n', `StackName:${value}\n`);
      expect(errors.map((e) => e[0])).toEqual([`${DEPLOY}/Configuration/StackName`]);
      expect(errors[0]![2]).toContain(message);
      const v = action(model, 'DeployProd', 'DeployStack').configuration['StackName'];
      expect(v).toBeDefined();
      expect(isPlaceholder(v!)).toBe(true);
    }
  });

  it('a `Namespace` that is not a string is an error and an unknown namespace', () => {
    const { model, errors } = load(ROLE_LINE, `${ROLE_LINE}              Namespace: { a: 1 }\n`);
    expect(errors.map((e) => [e[0], e[2]])).toEqual([
      [`${DEPLOY}/Namespace`, '`Namespace` must be a string, not an object'],
    ]);
    expect(isPlaceholder(action(model, 'DeployProd', 'DeployStack').namespace!)).toBe(true);
  });

  it('a `Name` or `RunOrder` of the wrong shape is an error; the action is still read', () => {
    const named = load('- Name: DeployStack\n', '- Name: [DeployStack]\n');
    expect(named.errors.map((e) => [e[0], e[2]])).toEqual([
      [`${DEPLOY}/Name`, '`Name` must be a string, not a list'],
    ]);
    expect(action(named.model, 'DeployProd', '(action 1)').roleArn).toContain('demo-deploy-action');
    for (const order of ['0', 'two', '1.5', '']) {
      const { errors } = load(ROLE_LINE, `${ROLE_LINE}              RunOrder: ${order}\n`);
      expect(errors.map((e) => e[0])).toEqual([`${DEPLOY}/RunOrder`]);
    }
    expect(load(ROLE_LINE, `${ROLE_LINE}              RunOrder: "2"\n`).errors).toEqual([]);
  });

  it('a stage `Name:` left empty is an error', () => {
    const { model, errors } = load('- Name: DeployProd\n', '- Name:\n');
    expect(errors.map((e) => e[0])).toEqual(['/Resources/PipelineV2/Properties/Stages/2/Name']);
    expect(action(model, '(stage 3)', 'DeployStack')).toBeDefined();
  });
});

describe('a template artifact store of the wrong shape', () => {
  it('is an error, never a store of the stack region read from nothing', () => {
    const store = [
      '      ArtifactStore:',
      '        Type: S3',
      '        Location: !Sub demo-artifacts-${AWS::AccountId}-${AWS::Region}',
      '        EncryptionKey:',
      '          Id: !Ref ArtifactKeyArn',
      '          Type: KMS',
      '',
    ].join('\n');
    const { errors } = load(store, '      ArtifactStores: [5, { ArtifactStore: 7 }]\n');
    expect(errors.map((e) => e[0])).toEqual([
      '/Resources/PipelineV2/Properties',
      '/Resources/PipelineV2/Properties/ArtifactStores/0',
      '/Resources/PipelineV2/Properties/ArtifactStores/1/ArtifactStore',
      '/Resources/PipelineV2/Properties/ArtifactStores/1/Region',
    ]);
  });
});

describe("a template CodeBuild action's EnvironmentVariables that cannot be read", () => {
  const BUILD = 'Configuration: { ProjectName: demo-build }';
  const vars = (text: string) =>
    `Configuration: { ProjectName: demo-build, EnvironmentVariables: '${text}' }`;
  const ssm = (p: ReturnType<typeof load>['pipeline']) =>
    p.links
      .filter((l) => l.permission.startsWith('ssm:'))
      .map((l) => `${l.permission} ${l.decision}`);

  it('read, a PARAMETER_STORE variable is checked (denied in the demo)', () => {
    const { errors, pipeline } = load(
      BUILD,
      vars('[{"name":"DB","value":"/prod/db","type":"PARAMETER_STORE"}]'),
    );
    expect(errors).toEqual([]);
    expect(ssm(pipeline)).toEqual(['ssm:GetParameters ImplicitlyDenied']);
  });

  it('not JSON: an input error at its pointer, and the parameter links Unknown, never dropped (was silently no link)', () => {
    const { errors, pipeline } = load(
      BUILD,
      vars('[{"name":"DB","value":"/prod/db","type":"PARAMETER_STORE"}'),
    );
    expect(errors.map(([pointer, id]) => `${pointer} ${id}`)).toEqual([
      '/Resources/PipelineV2/Properties/Stages/1/Actions/0/Configuration/EnvironmentVariables template.shape.invalid',
    ]);
    expect(ssm(pipeline)).toEqual(['ssm:GetParameters Unknown']);
  });
});

describe("a template CodeBuild action's EnvironmentVariables holding a placeholder inside", () => {
  // an environment-agnostic stack's account, or any value the template does not settle, is a
  // placeholder inside the JSON text (written here as one): the text is still JSON, and read
  it('are still read, and their PLAINTEXT values are not kept (the secret stayed in the model)', () => {
    const { model, errors } = load(
      'Configuration: { ProjectName: demo-build }',
      `Configuration: { ProjectName: demo-build, EnvironmentVariables: '[{"name":"A","value":"hunter2","type":"PLAINTEXT"},{"name":"B","value":"/p/unresolved-0123456789","type":"PARAMETER_STORE"}]' }`,
    );
    expect(errors).toEqual([]);
    const kept = action(model, 'Build', 'Build').configuration['EnvironmentVariables']!;
    expect(kept).not.toContain('hunter2');
    expect(JSON.parse(kept)).toEqual([
      { name: 'A', type: 'PLAINTEXT' },
      { name: 'B', type: 'PARAMETER_STORE', value: '/p/unresolved-0123456789' },
    ]);
  });

  it('an action `Region` that is no region name is an error, and the action one Unknown link (was: ARNs built in region "", denied)', () => {
    for (const [region, message] of [
      ["''", '`Region` is empty: not an AWS region name'],
      ['US-EAST-1', '`Region` `US-EAST-1` is not an AWS region name'],
    ] as const) {
      const { errors, pipeline } = load(ROLE_LINE, `${ROLE_LINE}              Region: ${region}\n`);
      expect(errors).toEqual([[`${DEPLOY}/Region`, 'template.shape.invalid', message]]);
      const unknown = pipeline.links.filter((l) => l.requirement === 'action.not-settled');
      expect(unknown.map((l) => l.action)).toEqual(['DeployStack']);
      expect(pipeline.links.some((l) => /:(kms|s3|cloudformation)::\d/.test(l.resource))).toBe(
        false,
      );
    }
  });
});
