/**
 * §1.1 of the fact sheet (/work/shared/aws-facts.md): "Only symmetric KMS keys are supported"
 * for the artifact store (https://docs.aws.amazon.com/codepipeline/latest/userguide/S3-artifact-encryption.html),
 * and S3 itself "only supports symmetric encryption KMS keys"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Encryption.html). Every SSE-KMS call S3
 * makes for a caller on a key of another key spec (RSA_2048, ECC_NIST_P256, HMAC_256...) fails,
 * whatever the key policy says. Edits of pass-cross-account, whose artifact key is
 * 7c1d9e4a-... in 111111111111.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';
import { analyzeTemplateText } from '../load/templates/templateModel.js';

const KEY_FILE = '111111111111/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';

function keyLinks(meta: Json): { links: ReportLink[]; verdict: string } {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(`${dir}/${KEY_FILE}`, (doc) => {
      Object.assign(doc['KeyMetadata'] as Json, meta);
    });
    const p = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    return {
      links: p.links.filter((l) => l.permission.startsWith('kms:') && l.resource === KEY_ARN),
      verdict: p.verdict,
    };
  });
}

describe('§1.1 the artifact store key must be a symmetric encryption key', () => {
  it('SYMMETRIC_DEFAULT: every link on it is decided by the policies (allowed)', () => {
    const { links } = keyLinks({ KeySpec: 'SYMMETRIC_DEFAULT' });
    expect(links.length).toBeGreaterThan(3);
    expect(links.map((l) => l.decision)).toEqual(links.map(() => 'Allowed'));
  });

  it.each([
    ['RSA_2048', 'ENCRYPT_DECRYPT'],
    ['ECC_NIST_P256', 'SIGN_VERIFY'],
    ['HMAC_256', 'GENERATE_VERIFY_MAC'],
  ])('%s: every S3 call with it fails, naming the key spec, no policy', (spec, usage) => {
    const { links, verdict } = keyLinks({ KeySpec: spec, KeyUsage: usage });
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.deniedBy).toEqual([]);
      expect(l.why).toContain(`\`${spec}\``);
      expect(l.why).toContain('symmetric');
      expect(l.fix).toContain('symmetric');
    }
    expect(verdict).toBe('fail');
  });

  it('a key file without KeySpec is decided by the policies, as before', () => {
    const { links } = keyLinks({ KeySpec: undefined });
    // the same links the asymmetric keys deny are there, and the policies allow each
    expect(links.length).toBe(keyLinks({ KeySpec: 'RSA_2048' }).links.length);
    expect(links.length).toBeGreaterThan(0);
    expect(links.map((l) => l.decision)).toEqual(links.map(() => 'Allowed'));
  });
});

describe('§1.1 a key spec the template does not settle', () => {
  const SOURCE = readFileSync('test/load/templates/fixtures/unknowns/policy-roles.yaml', 'utf8');
  const KEY = '  Key:\n    Type: AWS::KMS::Key\n    Properties:\n';

  it('leaves the KMS calls S3 makes with the key Unknown, naming it (the policies decided them)', () => {
    expect(SOURCE).toContain(KEY);
    // `Lockdown` reads an SSM parameter at deploy time: its value is not known offline
    const r = analyzeTemplateText(SOURCE.replace(KEY, `${KEY}      KeySpec: !Ref Lockdown\n`));
    const s3Kms = r.links.filter(
      (l) => l.permission.startsWith('kms:') && l.why.includes('key spec'),
    );
    expect(s3Kms.length).toBeGreaterThan(0);
    for (const l of s3Kms) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('is not settled');
      expect(l.missing?.join(' ')).toContain('Lockdown');
    }
    // the same template with a symmetric key spec: the key spec decides none of those calls
    const settled = analyzeTemplateText(
      SOURCE.replace(KEY, `${KEY}      KeySpec: SYMMETRIC_DEFAULT\n`),
    );
    const ids = new Set(s3Kms.map((l) => l.id));
    const same = settled.links.filter((l) => ids.has(l.id));
    expect(same).toHaveLength(s3Kms.length);
    // (the fixture leaves other things unknown: the key spec is not among them)
    for (const l of same) expect(l.why, l.id).not.toContain('key spec');
  });
});
