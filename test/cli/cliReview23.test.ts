/**
 * Session 23's review of the command-line layer: an --output that is a template a stacks file
 * names or inside an --artifact folder is refused before anything is analyzed (it was
 * overwritten with the report); a report is written whole or not at all; `-V` after a command is
 * a usage error, not a version with the analysis skipped; `permchain baseline` renews expired
 * entries; options that change nothing are said.
 */
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutputFile } from '../../src/cli/fsErrors.js';
import { BROKEN, demo, EAST, root, tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const { tempDir, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

/** A folder with a template and a stacks file naming it (relative to the stacks file). */
function stacksFolder(): { dir: string; template: string } {
  const dir = tempDir('review23-stacks');
  mkdirSync(join(dir, 'templates'));
  const template = 'templates/bucket.yaml';
  writeFileSync(
    join(dir, template),
    'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: review23-bucket\n',
  );
  writeFileSync(
    join(dir, 'stacks.yaml'),
    `stacks:\n  - template: ${template}\n    name: bucket\n    account: "111111111111"\n    region: us-east-1\n`,
  );
  return { dir, template };
}

describe('an --output that is an input the options do not name', () => {
  it('a template the stacks file names is refused, and left as it was (was: overwritten with the report, exit 0)', async () => {
    const { dir, template } = stacksFolder();
    const before = readFileSync(join(dir, template), 'utf8');
    for (const args of [
      ['analyze', 'stacks.yaml', '--format', 'json', '--output', template],
      ['analyze', '--stacks', 'stacks.yaml', '--output', template],
      ['baseline', 'stacks.yaml', '--output', template, '--expires', '2099-01-01', '--reason', 'r'],
    ]) {
      const r = await cli(dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toBe(
        `error: --output \`${template}\` is a stacks file's template \`${template}\`: writing it would overwrite an input of this run\n`,
      );
      expect(r.out).toBe('');
      expect(readFileSync(join(dir, template), 'utf8')).toBe(before);
    }
  });

  it('a file inside an --artifact folder is refused', async () => {
    const dir = tempDir('review23-artifact');
    mkdirSync(join(dir, 'repo'));
    writeFileSync(join(dir, 'repo/taskdef.json'), '{}');
    const r = await cli(
      dir,
      'analyze',
      demo,
      '--artifact',
      'App=repo',
      '--output',
      'repo/taskdef.json',
    );
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'error: --output `repo/taskdef.json` is inside the --artifact folder `repo`: writing it would change an input of this run\n',
    );
    expect(readFileSync(join(dir, 'repo/taskdef.json'), 'utf8')).toBe('{}');
  });
});

describe('writing a report', () => {
  it('is whole or not at all: an error half way leaves the previous report and no temporary file', () => {
    const dir = tempDir('review23-atomic');
    const file = join(dir, 'report.json');
    writeFileSync(file, 'the previous report');
    function* failing(): Generator<string> {
      yield 'the first part';
      throw new Error('the analysis failed');
    }
    expect(() => writeOutputFile(file, failing())).toThrow('the analysis failed');
    expect(readFileSync(file, 'utf8')).toBe('the previous report');
    expect(readdirSync(dir)).toEqual(['report.json']);
    writeOutputFile(file, ['a ', 'new ', 'report']);
    expect(readFileSync(file, 'utf8')).toBe('a new report');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('keeps the file mode and writes through a symbolic link', () => {
    const dir = tempDir('review23-mode');
    const file = join(dir, 'report.txt');
    writeFileSync(file, 'old');
    // a mode the usual umask (022) would change: kept whatever the umask
    chmodSync(file, 0o664);
    symlinkSync('report.txt', join(dir, 'latest'));
    writeOutputFile(join(dir, 'latest'), ['new']);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o664);
    expect(readdirSync(dir).sort()).toEqual(['latest', 'report.txt']);
  });

  it('a file with other hard links is written in place: the other names show the new report', () => {
    const dir = tempDir('review23-hardlink');
    const file = join(dir, 'report.txt');
    writeFileSync(file, 'old');
    linkSync(file, join(dir, 'also.txt'));
    writeOutputFile(file, ['new']);
    expect(readFileSync(join(dir, 'also.txt'), 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['also.txt', 'report.txt']);
  });

  it('a file name as long as the system allows is written (the temporary name is short)', () => {
    const dir = tempDir('review23-long');
    const file = join(dir, `${'r'.repeat(250)}.json`);
    writeFileSync(file, 'old');
    writeOutputFile(file, ['new']);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual([`${'r'.repeat(250)}.json`]);
  });

  it('an --output in a folder that does not exist is refused before the analysis', async () => {
    const dir = tempDir('review23-nofolder');
    const r = await cli(dir, 'analyze', demo, '--output', 'missing/report.txt');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'error: --output `missing/report.txt`: the folder `missing` does not exist\n',
    );
    expect(r.out).toBe('');
  });

  it('`--output -` is standard output for analyze, refused by baseline', async () => {
    const dir = tempDir('review23-dash');
    const r = await cli(dir, 'analyze', demo, '--format', 'json', '--output', '-');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toHaveProperty('pipelines');
    expect(existsSync(join(dir, '-'))).toBe(false);
    const b = await cli(
      dir,
      'baseline',
      demo,
      '--output',
      '-',
      '--expires',
      '2099-01-01',
      '--reason',
      'r',
    );
    expect(b.code).toBe(2);
    expect(b.err).toBe(
      'error: --output `-`: the baseline is a file, read and written, not standard output\n',
    );
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('a format named twice is written once', async () => {
    const one = await cli(root, 'analyze', demo, '--format', 'json');
    const twice = await cli(root, 'analyze', demo, '--format', 'json', '--format', 'json');
    expect(twice.code).toBe(one.code);
    expect(twice.err).toBe('');
    expect(twice.out).toBe(one.out);
  });
});

describe('-V after a command', () => {
  it('is a usage error, never the version with the analysis skipped and exit 0', async () => {
    const r = await cli(root, 'analyze', demo, '-V');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain("error: unknown option '-V'");
    // before the command it is the version
    const v = await cli(root, '-V');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('permchain baseline over a file with an expired entry', () => {
  it('renews it with --reason and --expires, with a warning (was: kept its past date, and the gate kept failing)', async () => {
    const dir = tempDir('review23-renew');
    const file = join(dir, 'bl.json');
    const w = await cli(
      dir,
      'baseline',
      demo,
      '--output',
      file,
      '--expires',
      '2099-01-01',
      '--reason',
      'old',
    );
    expect(w.code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      entries: { link: string; expires: string; reason: string }[];
    };
    for (const e of doc.entries) e.expires = '2020-01-01';
    writeFileSync(file, JSON.stringify(doc));
    const r = await cli(
      dir,
      'baseline',
      demo,
      '--output',
      file,
      '--expires',
      '2099-06-30',
      '--reason',
      'new',
    );
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `baseline entry for \`${EAST}\` / \`${BROKEN}\` expired on 2020-01-01: its link is written with --reason and --expires [baseline.entry.renewed]`,
    );
    const after = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
    expect(after.entries.length).toBe(doc.entries.length);
    for (const e of after.entries)
      expect(e).toMatchObject({ expires: '2099-06-30', reason: 'new' });
    // and the gate accepts them again
    const a = await cli(dir, 'analyze', demo, '--baseline', file);
    expect(a.code).toBe(0);
  });
});

describe('options that change nothing', () => {
  it('--today without --baseline is a warning', async () => {
    const r = await cli(root, 'analyze', demo, '--today', '2030-01-01', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { problems: { id: string; message: string }[] };
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        id: 'cli.option.unused',
        message:
          '`--today 2030-01-01` is not used: it applies to --baseline only, and none is given',
      }),
    );
  });
});

describe('a template that cannot be read', () => {
  it('is not followed by "no pipelines found, check the snapshot layout"', async () => {
    const dir = tempDir('review23-missing-template');
    writeFileSync(
      join(dir, 'stacks.yaml'),
      'stacks:\n  - template: nowhere.yaml\n    account: "111111111111"\n    region: us-east-1\n',
    );
    const r = await cli(dir, 'analyze', 'stacks.yaml', '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as { problems: { id: string }[] };
    expect(report.problems.map((p) => p.id)).toContain('stacks.template.missing');
    expect(report.problems.map((p) => p.id)).not.toContain('input.no-pipelines');
  });
});

describe('diff --format json', () => {
  it('names the empty AFTER that fails the run under --fail-on unknown', async () => {
    const empty = tempDir('review23-empty');
    const r = await cli(root, 'diff', demo, empty, '--fail-on', 'unknown', '--format', 'json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out) as { problems?: { id: string; message: string }[] };
    expect(d.problems?.map((p) => p.id)).toEqual(['input.no-pipelines']);
  });
});

describe('simulate with a malformed request', () => {
  it('names a member that is missing or not a string, never `undefined` or `[object Object]`', async () => {
    const dir = tempDir('review23-simulate');
    writeFileSync(join(dir, 'empty.json'), '{}');
    writeFileSync(join(dir, 'odd.json'), '{"principal": 5, "action": {}, "resource": ["a"]}');
    const empty = await cli(dir, 'simulate', '--request', 'empty.json');
    expect(empty.code).toBe(2);
    expect(empty.out).toBe('ImplicitlyDenied: (missing) -> (missing) on (missing)\n');
    const odd = await cli(dir, 'simulate', '--request', 'odd.json');
    expect(odd.code).toBe(2);
    expect(odd.out).toBe(
      'ImplicitlyDenied: (not a string: 5) -> (not a string: an object) on (not a string: a list)\n',
    );
  });
});
