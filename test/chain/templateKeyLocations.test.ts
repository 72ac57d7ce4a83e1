/**
 * A template's KMS key is named in reports by its own template pointers: a key that is not
 * enabled by its `Enabled` property, a key policy the template does not settle by its
 * `KeyPolicy` property. The snapshot pointers (`#/Policy`, `#/KeyMetadata/KeyState`) exist only
 * in snapshot key files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { ReportLink } from '../../src/report/types.js';

const BASE = 'test/load/templates/fixtures/booleans/settings.yaml';
const ENV = { account: '111111111111', region: 'us-east-1', managedPolicies: noManagedPolicies };
const dir = mkdtempSync(join(tmpdir(), 'permchain-keyloc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyLinks(file: string, parameters: Record<string, string>): ReportLink[] {
  const { model } = loadSingleTemplate(file, { ...ENV, parameters });
  return analyzeModel(model)
    .pipelines.flatMap((p) => p.links)
    .filter((l) => l.permission.startsWith('kms:') && l.resource.includes(':key/'));
}

describe('the KMS key of a template', () => {
  it('not enabled: the denial names the Enabled property of the key resource', () => {
    const links = keyLinks(BASE, { KeyEnabled: 'false' });
    const crypto = links.filter((l) => l.permission !== 'kms:DescribeKey');
    expect(crypto.length).toBeGreaterThan(0);
    for (const l of crypto) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      // the key's state decides, not its policy: no policy reason, the why names the Enabled line
      expect(l.deniedBy).toEqual([]);
      expect(l.why).toMatch(
        new RegExp(
          `key state \`Disabled\`\\), as \`${BASE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:16\``,
        ),
      );
      expect(JSON.stringify(l)).not.toContain('KeyMetadata');
    }
  });

  it('a key policy the template does not settle: Unknown, naming the KeyPolicy property', () => {
    // the key policy hangs on a condition over an SSM parameter that no input gives
    const text = readFileSync(BASE, 'utf8')
      .replace(
        'Parameters:\n',
        'Parameters:\n  Mode: { Type: "AWS::SSM::Parameter::Value<String>", Default: /ci/mode }\n',
      )
      .replace('Resources:\n', 'Conditions:\n  Open: !Equals [!Ref Mode, open]\nResources:\n')
      .replace('      KeyPolicy:\n', '      KeyPolicy: !If\n        - Open\n        -\n')
      .replace(
        /\n {8}Version: "2012-10-17"\n {8}Statement:\n {10}- Effect: Allow\n {12}Principal: \{ AWS: !Sub "arn:aws:iam::\$\{AWS::AccountId\}:root" \}\n {12}Action: kms:\*\n {12}Resource: "\*"\n/,
        (m) => m.replace(/\n {8}/g, '\n          ') + '        - !Ref AWS::NoValue\n',
      );
    const file = join(dir, 'unsettled-policy.yaml');
    writeFileSync(file, text);
    const links = keyLinks(file, {});
    const crypto = links.filter((l) => l.permission !== 'kms:DescribeKey');
    expect(crypto.length).toBeGreaterThan(0);
    for (const l of crypto) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toHaveLength(1);
      expect(l.missing![0]).toMatch(
        /unsettled-policy\.yaml#\/Resources\/Key\/Properties\/KeyPolicy$/,
      );
      expect(l.why).not.toContain('#/Policy');
    }
  });

  it('a key whose state the template does not settle: a policy denial stands (only an allow is in doubt)', () => {
    const base = 'test/load/templates/fixtures/booleans/key-condition.yaml';
    const text = readFileSync(base, 'utf8');
    expect(text).toContain('Action: kms:*');
    // the key policy no longer allows the pipeline role anything but DescribeKey
    const file = join(dir, 'key-condition-deny.yaml');
    writeFileSync(file, text.replace('Action: kms:*', 'Action: kms:DescribeKey'));
    const links = keyLinks(file, {});
    const generate = links.filter((l) => l.permission === 'kms:GenerateDataKey');
    expect(generate).toHaveLength(1);
    expect(generate[0]!.decision).toBe('ImplicitlyDenied');
    expect(generate[0]!.why).toContain('key policy');
    // and with the policy allowing it, the same link is Unknown (see booleans.test.ts)
    expect(keyLinks(base, {}).find((l) => l.permission === 'kms:GenerateDataKey')!.decision).toBe(
      'Unknown',
    );
  });
});
