/**
 * An account id is "a 12-digit number"
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html). An
 * all-digit account of more than 12 digits, from a stacks file, `--account` (loadSingleTemplate)
 * or a CDK manifest environment, is no account id: an input error at its place, its stack still
 * analyzed with the links that depend on the account Unknown naming it, never denied as "not an
 * IAM role ARN". A shorter all-digit id stays a warning (CDK test assemblies use made-up ids).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadCdkAssembly } from '../../src/load/cdk.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { displayPath, loadSingleTemplate, loadStacksFile } from '../../src/load/stacks.js';
import type { Model } from '../../src/model/types.js';

const TEMPLATE = 'test/load/templates/fixtures/agnostic/a.template.json';
const TRUST = 'pipeline.assume-service-role:sts:AssumeRole';
const TMP = mkdtempSync(join(tmpdir(), 'permchain-account-digits-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(TMP, name);
  writeFileSync(path, text);
  return path;
}

function decisions(model: Model): {
  denied: string[];
  trust: { decision: string; missing?: readonly string[] };
} {
  const links = analyzeModel(model).pipelines[0]!.links;
  return {
    denied: links.filter((l) => /Denied/.test(l.decision)).map((l) => l.id),
    trust: links.find((l) => l.id === TRUST)!,
  };
}

describe('an all-digit account of more than 12 digits', () => {
  it('in a stacks file is an input error at its pointer; its links are Unknown, none denied', () => {
    write('a.template.json', readTemplate());
    const stacks = write(
      'stacks.yaml',
      'stacks:\n  - template: a.template.json\n    account: "1234567890123"\n    region: us-east-1\n',
    );
    const { model, problems } = loadStacksFile(stacks, { managedPolicies: noManagedPolicies });
    const file = displayPath(stacks);
    expect(problems.map((p) => [p.id, p.file, p.pointer, p.severity])).toEqual([
      ['stacks.account.invalid', file, '/stacks/0/account', 'error'],
    ]);
    expect(problems[0]!.message).toBe(
      'stack `a`: `1234567890123` is not an account id (12 digits): the links that depend on it are unknown',
    );
    const { denied, trust } = decisions(model);
    expect(denied).toEqual([]);
    expect(trust.decision).toBe('Unknown');
    expect(trust.missing).toEqual([
      `${file}#/stacks/0/account (the account of stack \`a\`: \`1234567890123\` is not an account id)`,
    ]);
  });

  it('given as --account to one template is the same input error, at the template', () => {
    const { model, problems } = loadSingleTemplate(TEMPLATE, {
      account: '1234567890123',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    expect(problems.map((p) => [p.id, p.file, p.pointer, p.severity])).toEqual([
      ['stacks.account.invalid', TEMPLATE, '', 'error'],
    ]);
    const { denied, trust } = decisions(model);
    expect(denied).toEqual([]);
    expect(trust.decision).toBe('Unknown');
  });

  it('in a CDK manifest environment is the same input error, at the environment', () => {
    const dir = join(TMP, 'cdk.out');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.template.json'), readTemplate());
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        version: '36.0.0',
        artifacts: {
          A: {
            type: 'aws:cloudformation:stack',
            environment: 'aws://1234567890123/us-east-1',
            properties: { templateFile: 'a.template.json' },
          },
        },
      }),
    );
    const { model, problems } = loadCdkAssembly(dir, { managedPolicies: noManagedPolicies });
    const manifest = displayPath(join(dir, 'manifest.json'));
    expect(problems.map((p) => [p.id, p.file, p.pointer, p.severity])).toEqual([
      ['stacks.account.invalid', manifest, '/artifacts/A/environment', 'error'],
    ]);
    const { denied, trust } = decisions(model);
    expect(denied).toEqual([]);
    expect(trust.decision).toBe('Unknown');
  });
});

describe('an all-digit account of fewer than 12 digits', () => {
  it('is still used as given, with a warning', () => {
    const { problems } = loadSingleTemplate(TEMPLATE, {
      account: '12345678',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    expect(problems.map((p) => [p.id, p.severity, p.message])).toEqual([
      [
        'stacks.account.invalid',
        'warning',
        'stack `a`: `12345678` is not a 12-digit account id: it is used as given',
      ],
    ]);
  });
});

function readTemplate(): string {
  return readFileSync(TEMPLATE, 'utf8');
}
