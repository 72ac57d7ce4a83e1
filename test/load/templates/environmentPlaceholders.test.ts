/**
 * An account or region the input does not give (an environment-agnostic CDK stack analyzed
 * without --account/--region, a stacks-file account that is no account id) is known only at
 * deploy (https://docs.aws.amazon.com/cdk/v2/guide/environments.html): the links that depend on
 * it are Unknown naming where it would be given, never decided against a made-up text.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadCdkAssembly } from '../../../src/load/cdk.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacksFile } from '../../../src/load/stacks.js';
import type { Model } from '../../../src/model/types.js';
import type { ReportLink } from '../../../src/report/types.js';

const DIR = 'test/load/templates/fixtures/agnostic';
const TRUST = 'pipeline.assume-service-role:sts:AssumeRole';

function links(model: Model): readonly ReportLink[] {
  return analyzeModel(model).pipelines[0]!.links;
}

describe('an environment-agnostic CDK stack without --account and --region', () => {
  const { model, problems } = loadCdkAssembly(DIR, { managedPolicies: noManagedPolicies });
  const all = links(model);

  it('no link is denied: those that depend on the account or region are Unknown naming the manifest', () => {
    expect(all.filter((l) => /Denied/.test(l.decision)).map((l) => l.id)).toEqual([]);
    const trust = all.find((l) => l.id === TRUST)!;
    expect(trust.decision).toBe('Unknown');
    expect(trust.missing).toEqual([
      `${DIR}/manifest.json#/artifacts/A/environment (the account of the environment-agnostic stack \`A\` is known only at deploy: give --account)`,
    ]);
    // a caller of a known account reading the bucket of the unknown one: the same account or
    // not is what decides, so it is Unknown (it was denied as another account's bucket)
    const read = all.find(
      (l) =>
        l.principal === 'arn:aws:iam::222222222222:role/deployer' &&
        l.permission === 's3:GetObject',
    )!;
    expect(read.decision).toBe('Unknown');
    expect(read.missing!.join(' ')).toContain('give --account');
    // the deploy's read of its input, on the store key of a region the input does not give
    const kms = all.find((l) => l.requirement === 'artifacts.input.kms-decrypt')!;
    expect(kms.decision).toBe('Unknown');
    expect(kms.missing!.join(' ')).toContain('give --region');
  });

  it('the text `unknown-account` is no account of the model, and each gap is a warning at the manifest', () => {
    expect([...model.accounts.keys()].some((a) => a.includes('unknown'))).toBe(false);
    expect(problems.map((p) => [p.id, p.file, p.pointer, p.severity])).toEqual([
      [
        'cdk.environment.account-unknown',
        `${DIR}/manifest.json`,
        '/artifacts/A/environment',
        'warning',
      ],
      [
        'cdk.environment.region-unknown',
        `${DIR}/manifest.json`,
        '/artifacts/A/environment',
        'warning',
      ],
    ]);
  });

  it('given the account and region, the same links are decided', () => {
    const given = loadCdkAssembly(DIR, {
      account: '222222222222',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    expect(given.problems).toEqual([]);
    const decided = links(given.model);
    expect(decided.find((l) => l.id === TRUST)!.decision).toBe('Allowed');
    expect(
      decided.find(
        (l) =>
          l.principal === 'arn:aws:iam::222222222222:role/deployer' &&
          l.permission === 's3:GetObject',
      )!.decision,
    ).toBe('Allowed');
  });
});

describe('a stacks-file account that is no account id', () => {
  const { model, problems } = loadStacksFile(`${DIR}/stacks.yaml`, {
    managedPolicies: noManagedPolicies,
  });

  it('is an input error at its pointer', () => {
    expect(problems.map((p) => [p.id, p.file, p.pointer, p.severity])).toEqual([
      ['stacks.account.invalid', `${DIR}/stacks.yaml`, '/stacks/0/account', 'error'],
    ]);
    expect(problems[0]!.message).toContain('`acct-x` is not an account id');
  });

  it('its stack is still analyzed: Unknown naming the stacks file, never denied', () => {
    const all = links(model);
    expect(all.filter((l) => /Denied/.test(l.decision)).map((l) => l.id)).toEqual([]);
    const trust = all.find((l) => l.id === TRUST)!;
    expect(trust.decision).toBe('Unknown');
    expect(trust.missing).toEqual([
      `${DIR}/stacks.yaml#/stacks/0/account (the account of stack \`a\`: \`acct-x\` is not an account id)`,
    ]);
  });
});
