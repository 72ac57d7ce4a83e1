/**
 * The warning for a template parameter of an SSM parameter type says how to give its value as
 * the template was read: in the stacks file's `parameters`, or with `--parameter` for one
 * template (it said "in the stacks file" where there was none); a CDK assembly, read without
 * either, names both.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCdkAssembly } from '../../src/load/cdk.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate, loadStacksFile } from '../../src/load/stacks.js';
import type { Problem } from '../../src/problems.js';

const TMP = mkdtempSync(join(tmpdir(), 'permchain-ssm-hint-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const TEMPLATE = [
  'Parameters:',
  '  ProdAccount:',
  '    Type: AWS::SSM::Parameter::Value<String>',
  '    Default: /org/prod-account',
  'Resources:',
  '  T:',
  '    Type: AWS::SNS::Topic',
  '    Properties:',
  '      TopicName: !Ref ProdAccount',
].join('\n');
const READS = 'parameter `ProdAccount` reads the ssm parameter `/org/prod-account` at deploy time';

function write(rel: string, text: string): string {
  const path = join(TMP, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const ssmWarnings = (problems: readonly Problem[]): string[] =>
  problems.filter((p) => p.id === 'template.parameter.ssm').map((p) => p.message);

describe('the warning for a parameter of an SSM parameter type', () => {
  it('for one template (--template): give it with --parameter', () => {
    const { problems } = loadSingleTemplate(write('one/app.yaml', TEMPLATE), {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    expect(ssmWarnings(problems)).toEqual([
      `${READS}: give its value with \`--parameter ProdAccount=<value>\``,
    ]);
  });

  it("for a stacks file: give it in the stacks file's parameters", () => {
    write('stacks/app.yaml', TEMPLATE);
    const stacks = write(
      'stacks/stacks.yaml',
      'stacks:\n  - template: app.yaml\n    account: "111111111111"\n    region: us-east-1\n',
    );
    const { problems } = loadStacksFile(stacks, { managedPolicies: noManagedPolicies });
    expect(ssmWarnings(problems)).toEqual([
      `${READS}: give its value in the stacks file's \`parameters\``,
    ]);
  });

  it('for a CDK assembly: both ways', () => {
    write('cdk.out/app.template.json', TEMPLATE);
    write(
      'cdk.out/manifest.json',
      JSON.stringify({
        version: '36.0.0',
        artifacts: {
          App: {
            type: 'aws:cloudformation:stack',
            environment: 'aws://111111111111/us-east-1',
            properties: { templateFile: 'app.template.json' },
          },
        },
      }),
    );
    const { problems } = loadCdkAssembly(join(TMP, 'cdk.out'), {
      managedPolicies: noManagedPolicies,
    });
    expect(ssmWarnings(problems)).toEqual([
      `${READS}: give its value in a stacks file's \`parameters\` (or, for one template, with \`--parameter ProdAccount=<value>\`)`,
    ]);
  });
});
