/**
 * A cdk.out `manifest.json` whose artifacts have the wrong type or shape: a type typo
 * (`aws:cloudformation:stak`), an artifact that is a string, a numeric `directoryName` were
 * skipped without a word, and the stacks they held vanished with their pipelines. Each is a
 * problem naming manifest.json and the pointer; the types the CDK writes that hold no stack
 * (asset manifests, the tree, the feature flag report) stay silent.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCdkAssembly } from '../../../src/load/cdk.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';

const TEMPLATE = 'fixtures/templates/demo-pipeline-v2.yaml';
const OPTS = { managedPolicies: noManagedPolicies };

/** An assembly of `artifacts`, with the demo template as `Tools.template.json`. */
function load(artifacts: Record<string, unknown>, opts: { account?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-cdk-shapes-'));
  try {
    copyFileSync(TEMPLATE, join(dir, 'Tools.template.json'));
    mkdirSync(join(dir, 'inner'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts }));
    const { model, problems } = loadCdkAssembly(dir, { ...OPTS, ...opts });
    return {
      model,
      problems: problems.map((p) => [p.severity, p.id, p.file?.replace(/.*\//, ''), p.pointer]),
      messages: problems.map((p) => p.message),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STACK = {
  type: 'aws:cloudformation:stack',
  environment: 'aws://111111111111/us-east-1',
  properties: { templateFile: 'Tools.template.json' },
};

describe('a cdk.out artifact of the wrong type or shape', () => {
  it('a stack, as written, is read without a problem', () => {
    const { model, problems } = load({ Tools: STACK });
    expect(problems).toEqual([]);
    expect(model.accounts.get('111111111111')?.regions.get('us-east-1')?.pipelines.size).toBe(1);
  });

  it('a misspelt stack type is an error naming it', () => {
    const { model, problems, messages } = load({
      Tools: { ...STACK, type: 'aws:cloudformation:stak' },
    });
    expect(problems).toEqual([
      ['error', 'cdk.artifact.type-unknown', 'manifest.json', '/artifacts/Tools/type'],
    ]);
    expect(messages[0]).toContain('`aws:cloudformation:stak`');
    expect(model.accounts.size).toBe(0);
  });

  it('an unknown type without a template is a warning', () => {
    const { problems } = load({ Tools: STACK, Other: { type: 'cdk:something-new' } });
    expect(problems).toEqual([
      ['warning', 'cdk.artifact.type-unknown', 'manifest.json', '/artifacts/Other/type'],
    ]);
  });

  it('an artifact that is not an object, or has no type, is an error', () => {
    const { problems } = load({ Tools: STACK, A: 'aws:cloudformation:stack', B: { type: 5 } });
    expect(problems).toEqual([
      ['error', 'cdk.artifact.invalid', 'manifest.json', '/artifacts/A'],
      ['error', 'cdk.artifact.invalid', 'manifest.json', '/artifacts/B/type'],
    ]);
  });

  it('a nested assembly whose directoryName is not a string is an error', () => {
    const { problems } = load({
      Tools: STACK,
      Nested: { type: 'cdk:cloud-assembly', properties: { directoryName: 5 } },
    });
    expect(problems).toEqual([
      [
        'error',
        'cdk.artifact.invalid',
        'manifest.json',
        '/artifacts/Nested/properties/directoryName',
      ],
    ]);
  });

  it('the types the CDK writes that hold no stack stay silent', () => {
    const { problems } = load({
      Tools: STACK,
      'Tools.assets': { type: 'cdk:asset-manifest', properties: { file: 'Tools.assets.json' } },
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      'aws-cdk-lib/feature-flag-report': {
        type: 'cdk:feature-flag-report',
        properties: { module: 'aws-cdk-lib', flags: {} },
      },
    });
    expect(problems).toEqual([]);
  });

  it('a stack environment that is not aws://<account>/<region> is an error, its account unknown', () => {
    const { problems, model } = load({ Tools: { ...STACK, environment: 111111111111 } });
    expect(problems.filter((p) => p[0] === 'error')).toEqual([
      ['error', 'cdk.stack.invalid', 'manifest.json', '/artifacts/Tools/environment'],
    ]);
    expect(model.accounts.has('111111111111')).toBe(false);
  });

  it('a stack parameter that is not a string is an error and an unknown value, not the default', () => {
    const { problems, model } = load({
      Tools: { ...STACK, properties: { ...STACK.properties, parameters: { ProdAccount: null } } },
    });
    // the template's uses of the parameter say their value is unknown too
    const use = '/Resources/PipelineV2/Properties/Stages/2/Actions/0';
    expect(problems).toEqual([
      [
        'warning',
        'template.value.unresolved',
        'Tools.template.json',
        `${use}/Configuration/RoleArn/Fn::Sub`,
      ],
      ['warning', 'template.value.unresolved', 'Tools.template.json', `${use}/RoleArn/Fn::Sub`],
      [
        'error',
        'cdk.stack.invalid',
        'manifest.json',
        '/artifacts/Tools/properties/parameters/ProdAccount',
      ],
    ]);
    // the deploy action's role is in the account the parameter gives: not the default's
    const pipeline = model.accounts
      .get('111111111111')!
      .regions.get('us-east-1')!
      .pipelines.get('demo-app-v2')!;
    const role = pipeline.stages[2]!.actions[0]!.roleArn!;
    expect(role).not.toContain('222222222222');
    expect(role).toMatch(/unresolved-[0-9a-f]{10}/);
    expect(model.unresolved?.get(role)?.location.pointer).toBe(
      '/artifacts/Tools/properties/parameters/ProdAccount',
    );
  });

  it('a stack parameter the template does not declare is a warning at its manifest pointer', () => {
    const { problems, messages } = load({
      Tools: { ...STACK, properties: { ...STACK.properties, parameters: { Nope: 'x' } } },
    });
    expect(problems).toEqual([
      [
        'warning',
        'stacks.parameter.unknown',
        'manifest.json',
        '/artifacts/Tools/properties/parameters/Nope',
      ],
    ]);
    expect(messages[0]).toContain('declares no parameter `Nope`');
  });

  it('a stackName that is not a string is an error', () => {
    const { problems } = load({
      Tools: { ...STACK, properties: { ...STACK.properties, stackName: ['x'] } },
    });
    expect(problems).toEqual([
      ['error', 'cdk.stack.invalid', 'manifest.json', '/artifacts/Tools/properties/stackName'],
    ]);
  });
});
