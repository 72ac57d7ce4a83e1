/**
 * A stack parameter that a CDK manifest or a stacks file gives as something other than a string
 * (null, a list, an object) is unknown. It was a stand-in text (CDK) or left out for the
 * template's default (stacks file), so `Fn::Equals` on it decided (false) and `Fn::If` picked a
 * branch: a pipeline whose action role is chosen by the parameter was checked on the dev role.
 * Now what depends on it is Unknown, naming the parameter, its stack and the place that gives
 * it (manifest.json or the stacks file, and the pointer of the value), not the template.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadCdkAssembly } from '../../../src/load/cdk.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacksFile, type TemplateLoadResult } from '../../../src/load/stacks.js';
import type { ActionModel, Model } from '../../../src/model/types.js';
import type { ReportLink } from '../../../src/report/types.js';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
/** a placeholder: a name, or a role ARN in the account `unresolved` */
const PLACEHOLDER = /^(arn:aws:iam::unresolved:role\/)?unresolved-[0-9a-f]{10}$/;
const trust = (service: string): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});
const role = (name: string, assume: Record<string, unknown>): Record<string, unknown> => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: name,
    AssumeRolePolicyDocument: assume,
    Policies: [
      {
        PolicyName: 'p',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:*', 'logs:*'], Resource: '*' }],
        },
      },
    ],
  },
});
const arnOf = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/**
 * `Env` chooses, through `IsProd: Fn::Equals [Ref Env, prod]`, the deploy action's role and the
 * build project's service role; `Fn::Sub` writes it into the deploy bucket's key.
 */
const TEMPLATE = {
  Parameters: { Env: { Type: 'String', Default: 'dev' } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'art-bucket-111' } },
    PipelineRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'pipe-role',
        AssumeRolePolicyDocument: trust('codepipeline.amazonaws.com'),
        Policies: [
          {
            PolicyName: 'p',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['s3:*', 'codebuild:*', 'sts:AssumeRole'],
                  Resource: '*',
                },
              ],
            },
          },
        ],
      },
    },
    DeployProd: role('deploy-prod', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: arnOf('pipe-role') }, Action: 'sts:AssumeRole' },
      ],
    }),
    DeployDev: role('deploy-dev', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: arnOf('pipe-role') }, Action: 'sts:AssumeRole' },
      ],
    }),
    BuildProd: role('build-prod', trust('codebuild.amazonaws.com')),
    BuildDev: role('build-dev', trust('codebuild.amazonaws.com')),
    Project: {
      Type: 'AWS::CodeBuild::Project',
      Properties: {
        Name: 'build',
        ServiceRole: {
          'Fn::If': [
            'IsProd',
            { 'Fn::GetAtt': ['BuildProd', 'Arn'] },
            { 'Fn::GetAtt': ['BuildDev', 'Arn'] },
          ],
        },
        Artifacts: { Type: 'CODEPIPELINE' },
        Source: { Type: 'CODEPIPELINE' },
        Environment: {
          Type: 'LINUX_CONTAINER',
          Image: 'aws/codebuild/standard:7.0',
          ComputeType: 'BUILD_GENERAL1_SMALL',
        },
      },
    },
    Pipeline: {
      Type: 'AWS::CodePipeline::Pipeline',
      Properties: {
        Name: 'app',
        RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
        ArtifactStore: { Type: 'S3', Location: { Ref: 'Bucket' } },
        Stages: [
          {
            Name: 'Source',
            Actions: [
              {
                Name: 'Src',
                ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'S3', Version: '1' },
                Configuration: { S3Bucket: { Ref: 'Bucket' }, S3ObjectKey: 'src.zip' },
                OutputArtifacts: [{ Name: 'Src' }],
              },
            ],
          },
          {
            Name: 'Build',
            Actions: [
              {
                Name: 'Build',
                ActionTypeId: {
                  Category: 'Build',
                  Owner: 'AWS',
                  Provider: 'CodeBuild',
                  Version: '1',
                },
                Configuration: { ProjectName: { Ref: 'Project' } },
                InputArtifacts: [{ Name: 'Src' }],
                OutputArtifacts: [{ Name: 'Out' }],
              },
            ],
          },
          {
            Name: 'Deploy',
            Actions: [
              {
                Name: 'Publish',
                ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'S3', Version: '1' },
                RoleArn: {
                  'Fn::If': [
                    'IsProd',
                    { 'Fn::GetAtt': ['DeployProd', 'Arn'] },
                    { 'Fn::GetAtt': ['DeployDev', 'Arn'] },
                  ],
                },
                Configuration: {
                  BucketName: { Ref: 'Bucket' },
                  Extract: 'false',
                  ObjectKey: { 'Fn::Sub': 'site-${Env}.zip' },
                },
                InputArtifacts: [{ Name: 'Out' }],
              },
            ],
          },
        ],
      },
    },
  },
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-unknown-param-'));
  dirs.push(dir);
  return dir;
}

/** A cdk.out whose stack `Tools` gives `Env` as `env` (or `parameters` as given). */
function loadCdk(env: unknown, parameters: unknown = { Env: env }): TemplateLoadResult {
  const dir = tempDir();
  writeFileSync(join(dir, 'Tools.template.json'), JSON.stringify(TEMPLATE));
  const manifest = {
    version: '36.0.0',
    artifacts: {
      Tools: {
        type: 'aws:cloudformation:stack',
        environment: `aws://${ACCOUNT}/${REGION}`,
        properties: { templateFile: 'Tools.template.json', parameters },
      },
    },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return loadCdkAssembly(dir, { managedPolicies: noManagedPolicies });
}

/** A stacks file whose stack `tools` gives `Env` as `env` (or `parameters` as given). */
function loadStacks(env: unknown, parameters: unknown = { Env: env }): TemplateLoadResult {
  const dir = tempDir();
  writeFileSync(join(dir, 'tools.json'), JSON.stringify(TEMPLATE));
  const stacks = {
    stacks: [
      {
        name: 'tools',
        template: 'tools.json',
        account: ACCOUNT,
        region: REGION,
        parameters,
      },
    ],
  };
  writeFileSync(join(dir, 'stacks.json'), JSON.stringify(stacks));
  return loadStacksFile(join(dir, 'stacks.json'), { managedPolicies: noManagedPolicies });
}

function action(model: Model, stage: string): ActionModel {
  const p = model.accounts.get(ACCOUNT)!.regions.get(REGION)!.pipelines.get('app')!;
  return p.stages.find((s) => s.name === stage)!.actions[0]!;
}

function serviceRole(model: Model): string | undefined {
  return model.accounts.get(ACCOUNT)!.regions.get(REGION)!.codebuild!.projects.get('build')!
    .serviceRole;
}

const links = (model: Model): readonly ReportLink[] => analyzeModel(model).pipelines[0]!.links;

describe('a CDK stack parameter that is not a string', () => {
  const POINTER = '/artifacts/Tools/properties/parameters/Env';

  for (const [shown, value, reason] of [
    ['null', null, 'null'],
    ['a list', ['prod'], 'a list'],
    ['an object', { v: 'prod' }, 'an object'],
  ] as const) {
    it(`given as ${shown}: the role chosen by Fn::If on it is unknown, naming manifest.json`, () => {
      const { model, problems } = loadCdk(value);
      const because = `parameter \`Env\` of stack \`Tools\` is ${reason}, not a string`;
      // the problem cdk.ts reports is kept
      expect(
        problems
          .filter((p) => p.severity === 'error')
          .map((p) => [p.id, (p.file ?? '').replace(/.*\//, ''), p.pointer]),
      ).toEqual([['cdk.stack.invalid', 'manifest.json', POINTER]]);
      // neither branch is picked: the deploy role and the build role are placeholders, each
      // its own (two Fn::If on one condition choose between different roles)
      const deploy = action(model, 'Deploy');
      const build = serviceRole(model)!;
      const chosen = `\`Fn::If\` on condition \`IsProd\`, which is not known: ${because}`;
      expect(deploy.roleArn).not.toBe(build);
      for (const [v, reason] of [
        [deploy.roleArn!, chosen],
        [build, chosen],
        [deploy.configuration['ObjectKey']!, because],
      ] as const) {
        expect(v).toMatch(PLACEHOLDER);
        const u = model.unresolved!.get(v)!;
        expect(u.reason).toBe(reason);
        expect(u.location.file).toMatch(/(^|\/)manifest\.json$/);
        expect(u.location.pointer).toBe(POINTER);
      }
      // the links that need them are Unknown, naming the parameter and the manifest
      const named = `manifest.json#${POINTER} (${chosen})`;
      const all = links(model);
      const publish = all.filter((l) => l.stage === 'Deploy' && l.principal === deploy.roleArn);
      const builds = all.filter((l) => l.principal === build);
      const assume = all.filter(
        (l) => l.permission === 'sts:AssumeRole' && l.resource === deploy.roleArn,
      );
      for (const set of [publish, builds, assume]) {
        expect(set.length).toBeGreaterThan(0);
        for (const l of set) {
          expect(l.decision, l.id).toBe('Unknown');
          expect(
            (l.missing ?? []).some((m) => m.endsWith(named)),
            l.id,
          ).toBe(true);
        }
      }
      // no link is checked on either branch's role
      const principals = new Set(all.flatMap((l) => [l.principal, l.resource]));
      for (const name of ['deploy-prod', 'deploy-dev', 'build-prod', 'build-dev'])
        expect(principals.has(arnOf(name))).toBe(false);
    });
  }

  it('given as a string, it still decides the condition', () => {
    for (const [env, deployRole, buildRole] of [
      ['prod', 'deploy-prod', 'build-prod'],
      ['dev', 'deploy-dev', 'build-dev'],
    ] as const) {
      const { model, problems } = loadCdk(env);
      expect(problems).toEqual([]);
      expect(action(model, 'Deploy').roleArn).toBe(arnOf(deployRole));
      expect(action(model, 'Deploy').configuration['ObjectKey']).toBe(`site-${env}.zip`);
      expect(serviceRole(model)).toBe(arnOf(buildRole));
      expect(model.unresolved?.size ?? 0).toBe(0);
    }
  });
});

describe('a stacks-file parameter that is not a string', () => {
  const POINTER = '/stacks/0/parameters/Env';

  for (const [shown, value, reason] of [
    ['null', null, 'null'],
    ['a list of other than strings', ['prod', { x: 1 }], 'a list of other than strings'],
    ['an object', { fromStack: 'other' }, 'an object'],
  ] as const) {
    it(`given as ${shown}: it is an input error and the role chosen by Fn::If on it is unknown, not the default's`, () => {
      const { model, problems } = loadStacks(value);
      const because = `parameter \`Env\` of stack \`tools\` is ${reason}, not a string, \`{fromStack, output}\` or \`{fromStack, resource}\``;
      expect(
        problems
          .filter((p) => p.severity === 'error')
          .map((p) => [p.id, (p.file ?? '').replace(/.*\//, ''), p.pointer]),
      ).toEqual([['stacks.parameter.invalid', 'stacks.json', POINTER]]);
      const deploy = action(model, 'Deploy');
      // the default (`dev`) would pick deploy-dev
      expect(deploy.roleArn).toMatch(PLACEHOLDER);
      expect(serviceRole(model)).toMatch(PLACEHOLDER);
      expect(deploy.roleArn).not.toBe(serviceRole(model));
      const u = model.unresolved!.get(deploy.roleArn!)!;
      const chosen = `\`Fn::If\` on condition \`IsProd\`, which is not known: ${because}`;
      expect(u.reason).toBe(chosen);
      expect(u.location.file).toMatch(/(^|\/)stacks\.json$/);
      expect(u.location.pointer).toBe(POINTER);
      const publish = links(model).filter(
        (l) => l.stage === 'Deploy' && l.principal === deploy.roleArn,
      );
      expect(publish.length).toBeGreaterThan(0);
      for (const l of publish) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(
          (l.missing ?? []).some((m) => m.endsWith(`stacks.json#${POINTER} (${chosen})`)),
        ).toBe(true);
      }
    });
  }

  it('given as a string or a list of strings, it still decides the condition', () => {
    for (const [env, deployRole] of [
      ['prod', 'deploy-prod'],
      [['prod'], 'deploy-prod'],
      ['dev', 'deploy-dev'],
    ] as const) {
      const { model, problems } = loadStacks(env);
      expect(problems).toEqual([]);
      expect(action(model, 'Deploy').roleArn).toBe(arnOf(deployRole));
    }
  });
});

/**
 * `parameters` that is not a map: the values given there cannot be read, so no parameter the
 * template declares is known to take its default (`dev` would pick the dev roles). Each is an
 * unknown value naming `parameters` and its file and pointer.
 */
describe('stack `parameters` that is not a map', () => {
  for (const [loader, load, file, stack, pointer, error] of [
    [
      'a CDK manifest',
      loadCdk,
      'manifest.json',
      'Tools',
      '/artifacts/Tools/properties/parameters',
      'cdk.stack.invalid',
    ],
    [
      'a stacks file',
      loadStacks,
      'stacks.json',
      'tools',
      '/stacks/0/parameters',
      'stacks.parameter.invalid',
    ],
  ] as const) {
    for (const [shown, value, shape] of [
      ['a list', ['Env=prod'], 'a list'],
      ['a string', 'Env=prod', 'a string'],
      ['null', null, 'null'],
    ] as const) {
      it(`in ${loader}, given as ${shown}: every declared parameter is unknown, not its default`, () => {
        const { model, problems } = load(undefined, value);
        expect(
          problems
            .filter((p) => p.severity === 'error')
            .map((p) => [p.id, (p.file ?? '').replace(/.*\//, ''), p.pointer]),
        ).toEqual([[error, file, pointer]]);
        const because = `\`parameters\` of stack \`${stack}\` is ${shape}, not a map of parameter values, so the value of parameter \`Env\` is not known`;
        const chosen = `\`Fn::If\` on condition \`IsProd\`, which is not known: ${because}`;
        const deploy = action(model, 'Deploy');
        const build = serviceRole(model)!;
        expect(deploy.roleArn).not.toBe(build);
        for (const [v, reason] of [
          [deploy.roleArn!, chosen],
          [build, chosen],
          [deploy.configuration['ObjectKey']!, because],
        ] as const) {
          expect(v).toMatch(PLACEHOLDER);
          const u = model.unresolved!.get(v)!;
          expect(u.reason).toBe(reason);
          expect(u.location.file).toMatch(new RegExp(`(^|/)${file.replace('.', '\\.')}$`));
          expect(u.location.pointer).toBe(pointer);
        }
        const all = links(model);
        const publish = all.filter((l) => l.stage === 'Deploy' && l.principal === deploy.roleArn);
        expect(publish.length).toBeGreaterThan(0);
        for (const l of publish) {
          expect(l.decision, l.id).toBe('Unknown');
          expect(
            (l.missing ?? []).some((m) => m.endsWith(`${file}#${pointer} (${chosen})`)),
            l.id,
          ).toBe(true);
        }
        const principals = new Set(all.flatMap((l) => [l.principal, l.resource]));
        for (const name of ['deploy-prod', 'deploy-dev', 'build-prod', 'build-dev'])
          expect(principals.has(arnOf(name))).toBe(false);
      });
    }
  }

  it('given as a map that gives no value, the defaults are used', () => {
    for (const load of [loadCdk, loadStacks]) {
      const { model, problems } = load(undefined, {});
      expect(problems).toEqual([]);
      expect(action(model, 'Deploy').roleArn).toBe(arnOf('deploy-dev'));
      expect(action(model, 'Deploy').configuration['ObjectKey']).toBe('site-dev.zip');
    }
  });
});
