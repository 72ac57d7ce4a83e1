/**
 * An entry the snapshot contract names whose kind is wrong (a folder where a file is expected, a
 * file or a dangling link where a folder is) is an input error naming it (exit 2), as an
 * `organization/scp/` entry that is not a file is: a pipeline file that was a folder or a
 * dangling link vanished without a word and the run passed; `iam.json` as a folder or `s3` as a
 * file left links Unknown with no error.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { exitCodeFor } from '../../src/report/gate.js';

const DEMO = 'fixtures/demo';
const A = '111111111111';
const R = `${A}/us-east-1`;

type Make = (dir: string, rel: string) => void;
/** the entry made a folder */
const folder: Make = (dir, rel) => {
  rmSync(join(dir, rel), { recursive: true, force: true });
  mkdirSync(join(dir, rel), { recursive: true });
};
/** the entry made a file */
const file: Make = (dir, rel) => {
  rmSync(join(dir, rel), { recursive: true, force: true });
  writeFileSync(join(dir, rel), '{}');
};
/** the entry made a link to nothing */
const dangling: Make = (dir, rel) => {
  rmSync(join(dir, rel), { recursive: true, force: true });
  symlinkSync(join(dir, 'no-such-entry'), join(dir, rel));
};

describe('an entry of the wrong kind', () => {
  const cases: [string, Make, string, string][] = [
    ['a pipeline file that is a folder', folder, `${R}/codepipeline/demo-app.json`, 'file'],
    [
      'a pipeline file that is a dangling link',
      dangling,
      `${R}/codepipeline/demo-app.json`,
      'file',
    ],
    ['`codepipeline` that is a file', file, `${R}/codepipeline`, 'folder'],
    ['`iam.json` that is a folder', folder, `${A}/iam.json`, 'file'],
    ['`s3` that is a file', file, `${A}/s3`, 'folder'],
    [
      'a bucket file that is a folder',
      folder,
      `${A}/s3/demo-artifacts-111111111111-us-east-1.json`,
      'file',
    ],
    ['`codebuild.json` that is a folder', folder, `${R}/codebuild.json`, 'file'],
    ['`events.json` that is a dangling link', dangling, `${R}/events.json`, 'file'],
    ['`kms` that is a file', file, `${R}/kms`, 'folder'],
    ['a region folder that is a file', file, R, 'folder'],
    ['an account folder that is a file', file, A, 'folder'],
  ];
  for (const [what, make, rel, kind] of cases) {
    it(`${what} is an input error naming it`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'permchain-kind-'));
      cpSync(DEMO, dir, { recursive: true });
      make(dir, rel);
      const report = analyzeModel(loadSnapshot(dir));
      const mine = report.problems.filter((p) => p.file === rel);
      expect(mine.map((p) => `${p.severity} ${p.id} ${p.message.split(':')[0]}`)).toEqual([
        `error snapshot.file.unreadable not a readable ${kind === 'file' ? 'regular file' : 'folder'}`,
      ]);
      expect(exitCodeFor(report, 'denied')).toBe(2);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('of the demo as is: no problem (the baseline)', () => {
    expect(loadSnapshot(DEMO).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
