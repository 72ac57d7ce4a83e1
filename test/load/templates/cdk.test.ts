import { describe, expect, it } from 'vitest';
import { isCdkAssembly, loadCdkAssembly } from '../../../src/load/cdk.js';
import { isStacksFile } from '../../../src/load/templateMerge.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { generatedUuid } from '../../../src/load/templateNames.js';

const DIR = 'test/load/templates/fixtures/cdk.out';

describe('loadCdkAssembly', () => {
  it('reads each stack with its environment; agnostic stacks take the given one', () => {
    const { model, problems } = loadCdkAssembly(DIR, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    expect(problems).toEqual([]);
    expect([...model.accounts.keys()]).toEqual(['111111111111', '222222222222']);
    const keyId = generatedUuid('shared-stack', 'Key');
    expect([
      ...model.accounts.get('111111111111')!.regions.get('us-east-1')!.kmsKeys.keys(),
    ]).toEqual([keyId]);
    // the agnostic stack imports the shared stack's export: same account and region
    const role = [...model.accounts.get('111111111111')!.iam!.roles.values()][0]!;
    expect(role.name).toMatch(/^Agnostic-Role-/);
    expect(role.inlinePolicies[0]!.policy!.statements[0]!.resource!.patterns[0]!.raw).toBe(
      `arn:aws:kms:us-east-1:111111111111:key/${keyId}`,
    );
    expect(role.location.file).toBe(`${DIR}/Agnostic.template.json`);
    // nested assembly (a CDK stage)
    expect([...model.accounts.get('222222222222')!.buckets.keys()]).toEqual(['stage-app-bucket']);
  });

  it('says so when an agnostic stack gets no account or region', () => {
    const { problems } = loadCdkAssembly(DIR, { managedPolicies: noManagedPolicies });
    expect(problems.map((p) => [p.id, p.file, p.pointer])).toEqual([
      // the agnostic stack is not in the shared stack's account and region: no export to import
      [
        'template.value.unresolved',
        `${DIR}/Agnostic.template.json`,
        '/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Resource/Fn::ImportValue',
      ],
      [
        'cdk.environment.account-unknown',
        `${DIR}/manifest.json`,
        '/artifacts/Agnostic/environment',
      ],
      ['cdk.environment.region-unknown', `${DIR}/manifest.json`, '/artifacts/Agnostic/environment'],
    ]);
  });

  it('tells an assembly from other folders and a stacks file from a template', () => {
    expect(isCdkAssembly(DIR)).toBe(true);
    expect(isCdkAssembly('test/load/templates/fixtures/basic')).toBe(false);
    expect(isCdkAssembly(`${DIR}/manifest.json`)).toBe(false);
    expect(isStacksFile(`${DIR}/manifest.json`)).toBe(false);
  });

  it('reports a folder without a manifest', () => {
    const { problems } = loadCdkAssembly('test/load/templates/fixtures/basic', {});
    expect(problems.map((p) => p.id)).toEqual(['cdk.manifest.invalid']);
  });
});
