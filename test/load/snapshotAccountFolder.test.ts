/**
 * An account folder whose name is not 12 digits (a digit short, a trailing space, separators, a
 * suffix) was skipped without a word: the whole account vanished behind the generic "no
 * pipelines" warning. Like a folder that is almost a region, it is a warning naming it.
 */
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot, looksLikeAccountId } from '../../src/load/snapshot.js';

const DEMO = 'fixtures/demo';

describe('an account folder whose name is not an account id', () => {
  for (const name of [
    '11111111111',
    '1111111111111',
    '111111111111 ',
    ' 111111111111',
    '1111 1111 1111',
    '1111-1111-1111',
    '111111111111-old',
    'copy of 111111111111',
  ]) {
    it(`\`${name}\` is a warning naming the folder`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'permchain-account-'));
      cpSync(DEMO, dir, { recursive: true });
      renameSync(join(dir, '111111111111'), join(dir, name));
      const model = loadSnapshot(dir);
      expect(model.accounts.has('111111111111')).toBe(false);
      expect(
        model.problems
          .map((p) => [p.severity, p.file, p.id, p.message])
          .filter((p) => p[1] === name),
      ).toEqual([
        [
          'warning',
          name,
          'snapshot.account.unrecognized',
          `the folder \`${name}\` is not read: its name is not a 12-digit AWS account id`,
        ],
      ]);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('is not said of the folders a snapshot holds, nor of other folders', () => {
    for (const name of [
      '111111111111',
      'organization',
      'notes',
      'us-east-1',
      '.git',
      'v2',
      '2024-05-01',
      '1.2',
      '42',
    ])
      expect(looksLikeAccountId(name)).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'permchain-account-'));
    cpSync(DEMO, dir, { recursive: true });
    mkdirSync(join(dir, 'notes'));
    expect(loadSnapshot(dir).problems).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
