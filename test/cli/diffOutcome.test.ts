/**
 * `permchain diff` never reads as a pass while it exits 1 or 2: the text and markdown end with
 * the input problems and how the run ends, and under --fail-on unknown an AFTER with no pipeline
 * fails the run, as analyze fails an input with none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from './runCli.js';

const root = resolve(__dirname, '../..');
const scenario = 'fixtures/scenarios/pass-cross-account';
const TEMP_DIRS: string[] = [];
afterAll(() => {
  for (const d of TEMP_DIRS) rmSync(d, { recursive: true, force: true });
});
function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-diff-empty-'));
  TEMP_DIRS.push(dir);
  return dir;
}
const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1)!;

describe('diff ends with how the run ends', () => {
  it('an input error: the markdown lists it and says the comparison is incomplete (exit 2)', async () => {
    const missing = join(emptyDir(), 'nonexistent');
    const r = await cli(root, 'diff', scenario, missing, '--format', 'markdown');
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      '### permchain: changes in this pull request\n\n' +
        '**1 input error: the comparison is incomplete** (see the end).\n\n',
    );
    expect(r.out).toContain('#### input problems (1)\n\n- error: ');
    expect(r.out).toContain('no such file or folder &#91;input.missing&#93;\n');
    expect(lastLine(r.out)).toBe(
      '**The run fails (exit 2): 1 input error makes the comparison incomplete, so the changes ' +
        'listed may be wrong or missing.**',
    );
    // stderr has it too: a comment is not read with it
    expect(r.err).toMatch(/^error: .*nonexistent.* \[input\.missing\]\n$/);
    const text = await cli(root, 'diff', scenario, missing);
    expect(text.code).toBe(2);
    expect(text.out).toMatch(/\nerror: .*nonexistent.* \[input\.missing\]\n/);
    expect(lastLine(text.out)).toMatch(/^the run fails \(exit 2\): 1 input error makes /);
  });

  it('under --fail-on unknown an AFTER with no pipeline fails the run, as analyze does', async () => {
    const empty = emptyDir();
    const r = await cli(root, 'diff', scenario, empty, '--fail-on', 'unknown');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`warning: ${empty}: (after \`${empty}\`) no pipelines found`);
    expect(lastLine(r.out)).toBe(
      'the run fails (exit 1): AFTER holds no pipeline (--fail-on unknown)',
    );
    expect((await cli(root, 'analyze', empty, '--fail-on', 'unknown')).code).toBe(1);
    // nothing on either side
    const both = await cli(root, 'diff', empty, empty, '--fail-on', 'unknown');
    expect(both.code).toBe(1);
    expect(both.out.split('\n')[0]).toBe('no change (0 links unchanged)');
    expect(lastLine(both.out)).toBe(
      'the run fails (exit 1): AFTER holds no pipeline (--fail-on unknown)',
    );
    const md = await cli(
      root,
      'diff',
      empty,
      empty,
      '--fail-on',
      'unknown',
      '--format',
      'markdown',
    );
    expect(md.code).toBe(1);
    expect(lastLine(md.out)).toBe(
      '**The run fails (exit 1): AFTER holds no pipeline (--fail-on unknown).**',
    );
    // under --fail-on denied it is a warning, and the outcome says what it would do
    const denied = await cli(root, 'diff', scenario, empty);
    expect(denied.code).toBe(0);
    expect(lastLine(denied.out)).toBe(
      'the run passes, but AFTER holds no pipeline: nothing of the change was analyzed (it ' +
        'fails under --fail-on unknown)',
    );
    const never = await cli(root, 'diff', empty, empty, '--fail-on', 'never');
    expect(never.code).toBe(0);
    expect(lastLine(never.out)).toBe(
      'the run passes (--fail-on never), but neither BEFORE nor AFTER holds a pipeline: nothing ' +
        'of the change was analyzed (it fails under --fail-on unknown)',
    );
  });

  it('a BEFORE with no pipeline is a warning only: every link of AFTER is new', async () => {
    const empty = emptyDir();
    const r = await cli(root, 'diff', empty, scenario, '--fail-on', 'unknown');
    expect(r.code).toBe(0);
    expect(lastLine(r.out)).toBe(
      'the run passes; BEFORE holds no pipeline, so every link of AFTER is new',
    );
    expect(r.out).toMatch(/^new allowed links \(\d+\)$/m);
  });

  it('a change that breaks the deploy says so last', async () => {
    const r = await cli(root, 'diff', scenario, 'fixtures/scenarios/key-policy-missing-account');
    expect(r.code).toBe(1);
    expect(lastLine(r.out)).toMatch(/^the run fails \(exit 1\): \d+ required links? newly denied$/);
    const same = await cli(root, 'diff', scenario, scenario, '--format', 'markdown');
    expect(same.code).toBe(0);
    expect(same.out).toMatch(
      /No link changed \(\d+ links unchanged\)\.\n\n\*\*The run passes\.\*\*\n$/,
    );
  });
});
