/**
 * A KMS key that is not enabled refuses every cryptographic operation whatever its policies say
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html): the links that use it
 * fail, naming the key state. Base: pass-cross-account, where every link is allowed.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { worksInAnyKeyState } from '../../src/chain/resolveLink.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const KEY_FILE = '111111111111/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';

function kmsLinks(meta: Json): ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(`${dir}/${KEY_FILE}`, (doc) => {
      Object.assign(doc['KeyMetadata'] as Json, meta);
    });
    return analyzeModel(loadSnapshot(dir))
      .pipelines.flatMap((p) => p.links)
      .filter((l) => l.permission.startsWith('kms:') && l.resource === KEY_ARN);
  });
}

describe('a KMS key that is not enabled', () => {
  it('the base: every link on the key is allowed', () => {
    const links = kmsLinks({});
    expect(links.length).toBeGreaterThan(3);
    expect(new Set(links.map((l) => l.decision))).toEqual(new Set(['Allowed']));
  });

  it.each([
    [{ KeyState: 'PendingDeletion', Enabled: false }, 'PendingDeletion', '/KeyMetadata/KeyState'],
    [{ KeyState: 'Disabled', Enabled: false }, 'Disabled', '/KeyMetadata/KeyState'],
    [{ KeyState: undefined, Enabled: false }, 'Disabled', '/KeyMetadata/Enabled'],
  ])('%j: every cryptographic link on it fails, naming the state', (meta, state, pointer) => {
    const links = kmsLinks(meta as Json);
    const crypto = links.filter((l) => l.permission !== 'kms:DescribeKey');
    expect(crypto.length).toBeGreaterThan(3);
    for (const l of crypto) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.why).toContain(`is not enabled (key state \`${state}\`)`);
      // the key's state decides, not its policy: no policy reason, the why names the state's place
      expect(l.deniedBy).toEqual([]);
      expect(l.why).toContain(
        `\`${KEY_ARN}\` is not enabled (key state \`${state}\`), as \`${KEY_FILE}#${pointer}\` says`,
      );
    }
  });

  it('a key file without KeyState or Enabled: cryptographic links are Unknown, naming KeyState', () => {
    const links = kmsLinks({ KeyState: undefined, Enabled: undefined });
    const crypto = links.filter((l) => l.permission !== 'kms:DescribeKey');
    expect(crypto.length).toBeGreaterThan(3);
    for (const l of crypto) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${KEY_FILE}#/KeyMetadata/KeyState`]);
      expect(l.why).toContain('the input does not settle its state');
    }
    // DescribeKey works in any key state
    for (const l of links.filter((x) => x.permission === 'kms:DescribeKey'))
      expect(l.decision, l.id).toBe('Allowed');
  });

  it('only cryptographic operations need the key enabled (the catalog uses no other on keys)', () => {
    for (const op of [
      'Decrypt',
      'Encrypt',
      'GenerateDataKey',
      'GenerateDataKeyWithoutPlaintext',
      'ReEncryptFrom',
      'Sign',
    ])
      expect(worksInAnyKeyState(`kms:${op}`), op).toBe(false);
    for (const op of ['DescribeKey', 'GetKeyPolicy', 'ListGrants', 'ScheduleKeyDeletion'])
      expect(worksInAnyKeyState(`kms:${op}`), op).toBe(true);
    expect(worksInAnyKeyState('s3:GetObject')).toBe(true);
  });
});
