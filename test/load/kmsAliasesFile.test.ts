/**
 * `kms/aliases.json` (aws kms list-aliases) that cannot be read: a folder where the file belongs
 * (a wrong shape inside the file: kmsAliasesShape.test.ts). It is an input error naming it, and the
 * region's aliases are unknown (queries.ts resolveKmsKey: an alias lookup is then missing, never
 * "no such alias").
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from '../chain/scenarioCopy.js';

const ALIASES = '111111111111/us-east-1/kms/aliases.json';

function load(edit: (file: string) => void): {
  problems: string[];
  aliasesKnown: boolean;
} {
  return inScenarioCopy('fixtures/demo', (dir) => {
    edit(join(dir, ALIASES));
    const model = loadSnapshot(dir);
    return {
      problems: model.problems.map((p) => `${p.file}#${p.pointer} ${p.id}: ${p.message}`),
      aliasesKnown:
        model.accounts.get('111111111111')?.regions.get('us-east-1')?.aliases !== undefined,
    };
  });
}

describe('kms/aliases.json that cannot be read', () => {
  it('a folder where the file belongs says the aliases it lists cannot be known', () => {
    const r = load((file) => {
      rmSync(file);
      mkdirSync(file);
    });
    expect(r.problems).toEqual([
      `${ALIASES}# snapshot.file.unreadable: not a readable regular file: the aliases it lists cannot be known`,
    ]);
    expect(r.aliasesKnown).toBe(false);
  });

  it('the control: the file as written is read, with no problem', () => {
    const r = load(() => undefined);
    expect(r.problems).toEqual([]);
    expect(r.aliasesKnown).toBe(true);
  });
});
