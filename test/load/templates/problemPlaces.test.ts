/**
 * Template problems that named no file: a `--parameter` the template does not declare
 * ("warning: /Nope: ... declares no parameter"), and a managed policy attached to a role neither
 * the templates nor the snapshot hold. Each names the template file and pointer (and, for the
 * parameter, the line of `Parameters`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { displayPath, loadSingleTemplate } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';

const DEMO = 'fixtures/templates/demo-pipeline-v2.yaml';
const ENV = { account: '111111111111', region: 'us-east-1', managedPolicies: noManagedPolicies };

function withTemplate<T>(text: string, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-places-'));
  try {
    const path = join(dir, 't.yaml');
    writeFileSync(path, text);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a template problem', () => {
  it('for a --parameter the template does not declare names the template and the line', () => {
    const { problems } = loadSingleTemplate(DEMO, { ...ENV, parameters: { Nope: '1' } });
    expect(problems.map((p) => [p.severity, p.id, p.file, p.pointer, p.message])).toEqual([
      [
        'warning',
        'stacks.parameter.unknown',
        DEMO,
        '/Parameters',
        'line 6, column 1: stack `demo-pipeline-v2`: `--parameter Nope` is given, but the template declares no parameter `Nope`',
      ],
    ]);
  });

  it('for a --parameter of a template without Parameters names the template', () => {
    withTemplate('Resources:\n  T:\n    Type: AWS::SNS::Topic\n', (path) => {
      const { problems } = loadSingleTemplate(path, { ...ENV, parameters: { Nope: '1' } });
      expect(problems.map((p) => [p.id, p.file, p.pointer])).toEqual([
        ['stacks.parameter.unknown', displayPath(path), ''],
      ]);
    });
  });

  it('for a managed policy attached to a role nowhere names the policy resource', () => {
    const text = [
      'Resources:',
      '  Policy:',
      '    Type: AWS::IAM::ManagedPolicy',
      '    Properties:',
      '      ManagedPolicyName: extra',
      '      Roles: [no-such-role]',
      '      PolicyDocument:',
      '        Version: "2012-10-17"',
      '        Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: "*" }]',
      '',
    ].join('\n');
    withTemplate(text, (path) => {
      const template = loadSingleTemplate(path, ENV);
      const merged = mergeModels(loadSnapshot('fixtures/demo'), template.model);
      expect(
        merged.problems
          .filter((p) => p.id === 'template.attachment.target-unknown')
          .map((p) => [p.file, p.pointer]),
      ).toEqual([[displayPath(path), '/Resources/Policy']]);
    });
  });
});
