/**
 * A key file is named after its key (`kms/<key-id>.json`). One whose describe-key output is
 * another key's (copied or renamed) was read under the id it describes, so the links to the key
 * it is named after found nothing and were Unknown with no problem said: now it is an input
 * error naming `/KeyMetadata/KeyId`.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';

const KEY = '0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
const FILE = `111111111111/us-east-1/kms/${KEY}.json`;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function demoWithKey(edit: (meta: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-key-id-'));
  dirs.push(dir);
  cpSync('fixtures/demo', dir, { recursive: true });
  const doc = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as {
    KeyMetadata: Record<string, unknown>;
  };
  edit(doc.KeyMetadata);
  writeFileSync(join(dir, FILE), JSON.stringify(doc));
  return dir;
}

const brief = (dir: string): string[] =>
  loadSnapshot(dir).problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}`);

describe('a key file that describes another key', () => {
  it('the demo key file names its own key (control)', () => {
    expect(brief(demoWithKey(() => {}))).toEqual([]);
  });

  it('is an input error when KeyId is not the key the file is named after', () => {
    const dir = demoWithKey((meta) => {
      meta['KeyId'] = '11111111-2222-3333-4444-555555555555';
      meta['Arn'] = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
    });
    expect(brief(dir)).toEqual([`error ${FILE}#/KeyMetadata/KeyId snapshot.kms.key-id-mismatch`]);
  });

  it('is an input error when the Arn names another key than KeyId', () => {
    const dir = demoWithKey((meta) => {
      meta['Arn'] = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
    });
    expect(brief(dir)).toEqual([`error ${FILE}#/KeyMetadata/Arn snapshot.kms.key-id-mismatch`]);
  });
});
