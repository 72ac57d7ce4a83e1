/**
 * A KMS key policy statement without `Resource` has no effect ("If either of the required
 * Resource or Action elements are missing from a key policy statement, the policy statement has
 * no effect", https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html): a key
 * policy of a snapshot or a template is compiled so, with a warning at the statement, and the
 * links that statement would have allowed are denied by the key policy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';
import { templateModel } from './templates/templateModel.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const KEY_FILE = '111111111111/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json';
const PROD = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';

describe('snapshot key policy', () => {
  const run = (dropResource: boolean) =>
    inScenarioCopy(SCENARIO, (dir) => {
      editJson(`${dir}/${KEY_FILE}`, (doc) => {
        const policy = JSON.parse(doc['Policy'] as string) as { Statement: Json[] };
        const prod = policy.Statement.find((s) => s['Sid'] === 'AllowProdAccount')!;
        if (dropResource) delete prod['Resource'];
        doc['Policy'] = JSON.stringify(policy);
      });
      const model = loadSnapshot(dir);
      const report = analyzeModel(model);
      const prodKms = report.pipelines
        .flatMap((p) => p.links)
        .filter((l) => l.principal === PROD && l.permission.startsWith('kms:'));
      return { model, prodKms };
    });

  it('the statement that lets the prod account use the key is read with its Resource', () => {
    const { model, prodKms } = run(false);
    expect(prodKms.length).toBeGreaterThan(0);
    expect(prodKms.every((l) => l.decision === 'Allowed')).toBe(true);
    expect(model.problems.filter((p) => p.id === 'policy.key.resource-missing')).toEqual([]);
  });

  it('without Resource it has no effect: warned about, and the prod role is denied by the key policy', () => {
    const { model, prodKms } = run(true);
    expect(model.problems).toContainEqual(
      expect.objectContaining({
        id: 'policy.key.resource-missing',
        file: KEY_FILE,
        pointer: '/Policy/Statement/2',
        severity: 'warning',
      }),
    );
    expect(prodKms.length).toBeGreaterThan(0);
    for (const l of prodKms) {
      expect(l.decision).toBe('ImplicitlyDenied');
      expect(l.deniedBy).toContainEqual(expect.objectContaining({ policyType: 'resource' }));
    }
  });
});

describe('template key policy', () => {
  it('a KeyPolicy statement without Resource is warned about at its template pointer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-keypolicy-'));
    try {
      const file = join(dir, 'key.yaml');
      writeFileSync(
        file,
        [
          'Resources:',
          '  Key:',
          '    Type: AWS::KMS::Key',
          '    Properties:',
          '      KeyPolicy:',
          '        Version: "2012-10-17"',
          '        Statement:',
          '          - Effect: Allow',
          '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
          '            Action: kms:*',
          '',
        ].join('\n'),
      );
      const model = templateModel(file);
      expect(model.problems).toContainEqual(
        expect.objectContaining({
          id: 'policy.key.resource-missing',
          pointer: '/Resources/Key/Properties/KeyPolicy/Statement/0',
        }),
      );
      const key = [
        ...model.accounts.get('111111111111')!.regions.get('us-east-1')!.kmsKeys.values(),
      ][0]!;
      expect(key.policy?.statements).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
