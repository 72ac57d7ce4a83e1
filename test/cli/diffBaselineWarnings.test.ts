/**
 * `permchain diff` and `permchain baseline` show every warning of their inputs, as analyze does:
 * a snapshot file not read (`IAM.json`, a mis-cased name) leaves Unknown links that a diff or a
 * baseline otherwise lists without a word of why. diff names each side's (`(before …)`,
 * `(after …)`), BEFORE's sorted then AFTER's, after the errors; its --format json keeps them out
 * of `problems` (errors and `input.no-pipelines` only) and says them on stderr. baseline says them
 * on stderr. A warning never changes the exit code.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const { tempDir, demoCopy, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

const CASE = (file: string, name: string): string =>
  `${file}: not read: the snapshot format names this file \`${name}\`, and names are case-sensitive [snapshot.file.name-case]`;
const PROD_IAM = CASE('222222222222/IAM.json', 'iam.json');
const DEV_IAM = CASE('111111111111/Iam.json', 'iam.json');
/** as diff names a problem of a side: after the file, before the message */
const named = (side: string, line: string): string =>
  `warning: ${line.replace(/^([^:]+): /, `$1: (${side} \`${side}\`) `)}`;
/** a warning both sides hold, said once */
const BOTH = (line: string): string =>
  `warning: ${line.replace(/^([^:]+): /, '$1: (before `before` and after `after`) ')}`;
const warningLines = (s: string): string[] =>
  s.split('\n').filter((l) => l.includes('[snapshot.file.name-case]'));

/** a folder holding `before` (222222222222/IAM.json) and `after` (that and 111111111111/Iam.json) */
function sides(): string {
  const dir = tempDir('warnings');
  const before = demoCopy('warnings-before');
  const after = demoCopy('warnings-after');
  renameSync(join(before, '222222222222/iam.json'), join(before, '222222222222/IAM.json'));
  renameSync(join(after, '222222222222/iam.json'), join(after, '222222222222/IAM.json'));
  renameSync(join(after, '111111111111/iam.json'), join(after, '111111111111/Iam.json'));
  renameSync(before, join(dir, 'before'));
  renameSync(after, join(dir, 'after'));
  return dir;
}

describe('diff shows the warnings of both sides (was: only errors and a few chosen ones)', () => {
  it('text: each side named, BEFORE then AFTER, each sorted, before how the run ends; exit 0', async () => {
    const dir = sides();
    const r = await cli(dir, 'diff', 'before', 'after');
    expect(r.code).toBe(0);
    expect(warningLines(r.out)).toEqual([BOTH(PROD_IAM), named('after', DEV_IAM)]);
    // listed in the text, as analyze's text lists them: not repeated on stderr
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('the run passes');
    expect(lines.at(-2)).toBe(named('after', DEV_IAM));
    // --fail-on never and unknown do not make them an input error (exit 2) either
    expect((await cli(dir, 'diff', 'before', 'after', '--fail-on', 'never')).code).toBe(0);
    const unknown = await cli(dir, 'diff', 'before', 'after', '--fail-on', 'unknown');
    // links newly unknown fail the run under --fail-on unknown: 1, never 2
    expect(unknown.code).toBe(1);
    expect(warningLines(unknown.out)).toHaveLength(2);
  });

  it('json: not in `problems` (errors and input.no-pipelines only), on stderr; markdown: listed', async () => {
    const dir = sides();
    const json = await cli(dir, 'diff', 'before', 'after', '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).not.toHaveProperty('problems');
    expect(warningLines(json.err)).toEqual([BOTH(PROD_IAM), named('after', DEV_IAM)]);
    const md = await cli(dir, 'diff', 'before', 'after', '--format', 'markdown');
    expect(md.code).toBe(0);
    expect(md.out).toContain(
      '#### input problems (2)\n\n- warning: 222222222222/IAM.json: (before &#96;before&#96; and after &#96;after&#96;)',
    );
    expect(warningLines(md.err)).toHaveLength(2);
  });

  it('one snapshot on both sides: each warning said once, naming both sides', async () => {
    const dir = tempDir('warnings-shared');
    const snap = demoCopy('w-shared');
    renameSync(join(snap, '222222222222/iam.json'), join(snap, '222222222222/IAM.json'));
    renameSync(snap, join(dir, 'snap'));
    const r = await cli(dir, 'diff', 'snap', 'snap');
    expect(r.code).toBe(0);
    expect(warningLines(r.out)).toEqual([
      `warning: ${PROD_IAM.replace(/^([^:]+): /, '$1: (before `snap` and after `snap`) ')}`,
    ]);
  });

  it('an error both sides hold is said once, naming both, and counted once (was: twice, "2 input errors")', async () => {
    const dir = tempDir('errors-shared');
    const snap = demoCopy('e-shared');
    writeFileSync(join(snap, '111111111111/iam.json'), '{bad');
    renameSync(snap, join(dir, 'snap'));
    const bad = (side: string): string =>
      `error: 111111111111/iam.json: (${side}) not valid json: line 1 column 2 [snapshot.json.invalid]`;
    const r = await cli(dir, 'diff', 'snap', 'snap');
    expect(r.code).toBe(2);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('error:'))).toEqual([
      bad('before `snap` and after `snap`'),
    ]);
    expect(lines.at(-1)).toMatch(/^the run fails \(exit 2\): 1 input error makes /);
    const json = JSON.parse((await cli(dir, 'diff', 'snap', 'snap', '--format', 'json')).out) as {
      problems: { message: string }[];
    };
    expect(json.problems.map((p) => p.message)).toEqual([
      '(before `snap` and after `snap`) not valid json: line 1 column 2',
    ]);
    // held by one side only: named by that side alone
    renameSync(demoCopy('e-good'), join(dir, 'good'));
    const one = await cli(dir, 'diff', 'good', 'snap');
    expect(one.out.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
      bad('after `snap`'),
    ]);
  });

  it('a side identical to the other without warnings shows none', async () => {
    const dir = tempDir('warnings-none');
    renameSync(demoCopy('w-b'), join(dir, 'before'));
    renameSync(demoCopy('w-a'), join(dir, 'after'));
    const r = await cli(dir, 'diff', 'before', 'after');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('warning:');
  });
});

describe('baseline shows the warnings of its input on stderr (was: only unused options and unknown regions)', () => {
  it('sorted, the baseline written, exit 0', async () => {
    const dir = sides();
    const out = join(dir, 'baseline.json');
    const r = await cli(dir, 'baseline', 'after', '--output', out, '--expires', '2099-01-01');
    expect(r.code).toBe(0);
    expect(r.err).toBe(`warning: ${DEV_IAM}\nwarning: ${PROD_IAM}\n`);
    expect(existsSync(out)).toBe(true);
  });

  it('an input error and a warning: the error first, then the warning; exit 2, nothing written', async () => {
    const dir = sides();
    writeFileSync(join(dir, 'after', '111111111111/us-east-1/events.json'), '{');
    const out = join(dir, 'baseline-err.json');
    const r = await cli(dir, 'baseline', 'after', '--output', out, '--expires', '2099-01-01');
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: 111111111111\/us-east-1\/events\.json/);
    expect(lines.slice(1)).toEqual([`warning: ${DEV_IAM}`, `warning: ${PROD_IAM}`]);
    expect(existsSync(out)).toBe(false);
  });

  it('an input with no pipeline: the input.no-pipelines warning analyze gives, exit 0', async () => {
    const dir = tempDir('warnings-empty');
    const out = join(tempDir('warnings-out'), 'baseline.json');
    const r = await cli(dir, 'baseline', '.', '--output', out, '--expires', '2099-01-01');
    expect(r.err).toMatch(/^warning: \.: no pipelines found: .*\[input\.no-pipelines\]\n$/);
    expect(r.code).toBe(0);
    expect(r.out).toBe('wrote 0 baseline entries to ' + out + '\n');
  });
});
