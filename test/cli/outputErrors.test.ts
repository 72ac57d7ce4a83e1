/**
 * Output paths that cannot be written are usage errors: one line naming the path, exit 2, no
 * stack trace, and never a hang (Node's recursive mkdir loops forever under /proc).
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from './runCli.js';
import { makeDirectory } from '../../src/fsUtil.js';
import { describeErrorCode, fileSystemError, writeOutputFile } from '../../src/cli/fsErrors.js';

const root = resolve(__dirname, '../..');
const demo = join(root, 'fixtures/demo');

const cli = (...args: string[]) => runCli(root, ...args);

describe('unwritable output paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-output-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');

  it.each([
    [
      // said before the analysis (session 23: it was said after it, 7 s on 1,000 pipelines)
      '--output in a missing folder (JSON, streamed)',
      ['--format', 'json', '--output', join(dir, 'no/such/x.json')],
      `--output \`${join(dir, 'no/such/x.json')}\`: the folder \`${join(dir, 'no/such')}\` does not exist`,
    ],
    [
      '--output in a missing folder (text)',
      ['--output', join(dir, 'no/such/x.txt')],
      `--output \`${join(dir, 'no/such/x.txt')}\`: the folder \`${join(dir, 'no/such')}\` does not exist`,
    ],
    [
      '--output-dir under a file',
      ['--format', 'json,sarif', '--output-dir', join(file, 'out')],
      `${join(file, 'out')}: a part of the path is not a folder`,
    ],
  ])('%s: one line, exit 2', async (_name, args, message) => {
    const r = await cli('analyze', demo, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: ${message}\n`);
  });

  it('baseline --output in a missing folder: one line, exit 2', async () => {
    const out = join(dir, 'missing/baseline.json');
    const r = await cli('baseline', demo, '--output', out, '--expires', '2099-01-01');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: --output \`${out}\`: the folder \`${join(dir, 'missing')}\` does not exist\n`,
    );
  });

  it.runIf(existsSync('/proc/self'))('--output-dir under /proc fails at once', async () => {
    const r = await cli(
      'analyze',
      demo,
      '--format',
      'json,sarif',
      '--output-dir',
      '/proc/permchain-x/y',
    );
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: /proc/permchain-x: no such file or folder\n');
  });
});

describe('makeDirectory', () => {
  it('makes missing levels, accepts an existing folder, and refuses a file in the way', () => {
    const base = mkdtempSync(join(tmpdir(), 'permchain-mkdir-'));
    const deep = join(base, 'a', 'b', 'c');
    makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirectory(deep);
    makeDirectory(base);
    writeFileSync(join(base, 'f'), '');
    expect(() => makeDirectory(join(base, 'f'))).toThrow(/EEXIST/);
    expect(() => makeDirectory(join(base, 'f', 'g'))).toThrow(/ENOTDIR/);
  });
});

describe('a reader that stops early', () => {
  // runs the built CLI (`npm install` builds dist/): the pipe is a real one
  it.runIf(existsSync(join(root, 'dist/cli/main.js')))(
    'closes the pipe without a stack trace; the exit code is the analysis',
    async () => {
      const child = spawn(
        process.execPath,
        [join(root, 'bin/permchain.js'), 'analyze', demo, '--format', 'json'],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const closed = new Promise<number | null>((done) => child.on('close', done));
      // read the first chunk, then close our end, as `| head -1` does; a CLI that ends without
      // writing anything fails here at once (naming what it said), rather than at the time-out
      const first = await Promise.race([
        new Promise<'data'>((done) => child.stdout.once('data', () => done('data'))),
        closed.then(() => 'closed' as const),
      ]);
      expect(first, `the CLI ended without output: ${err}`).toBe('data');
      child.stdout.destroy();
      const code = await closed;
      expect(err).not.toContain('EPIPE');
      expect(err).not.toContain('    at ');
      expect(code).toBe(1);
    },
  );
});

describe('an output that is not a regular file, or is an input, is refused before analyzing', () => {
  const tmp = (p: string) => mkdtempSync(join(tmpdir(), `permchain-${p}-`));
  const demoCopy = (): string => {
    const d = tmp('out-demo');
    cpSync(demo, d, { recursive: true });
    return d;
  };
  const one = (message: string) => ({ code: 2, out: '', err: `error: ${message}\n` });
  const TEMPLATE = join(root, 'fixtures/templates/demo-pipeline-v2.yaml');
  const ENV = ['--account', '111111111111', '--region', 'us-east-1'];

  it.runIf(process.platform !== 'win32')(
    'a FIFO: one line at once (writing waited for a reader forever)',
    async () => {
      const fifo = join(tmp('out-fifo'), 'report.fifo');
      execFileSync('mkfifo', [fifo]);
      // a reader, so that a run that writes the FIFO fails this test instead of hanging it
      const reader = spawn('cat', [fifo], { stdio: 'ignore' });
      onTestFinished(() => {
        reader.kill();
      });
      const why = `--output \`${fifo}\` is a FIFO: the output must be a regular file`;
      expect(await cli('analyze', demo, '--output', fifo)).toEqual(one(why));
      expect(await cli('analyze', demo, '--format', 'json', '--output', fifo)).toEqual(one(why));
      expect(await cli('baseline', demo, '--output', fifo, '--expires', '2099-01-01')).toEqual(
        one(why),
      );
    },
    10_000,
  );

  it.runIf(existsSync('/dev/null'))('a device or a folder', async () => {
    expect(await cli('analyze', demo, '--output', '/dev/null')).toEqual(
      one('--output `/dev/null` is a device: the output must be a regular file'),
    );
    const dir = tmp('out-folder');
    expect(await cli('analyze', demo, '--output', dir)).toEqual(
      one(`--output \`${dir}\` is a folder: the output must be a regular file`),
    );
    const d = tmp('out-dir-json');
    mkdirSync(join(d, 'report.json'));
    expect(await cli('analyze', demo, '--format', 'json,text', '--output-dir', d)).toEqual(
      one(
        `--output-dir \`${join(d, 'report.json')}\` is a folder: the output must be a regular file`,
      ),
    );
  });

  it('a file of the snapshot folder given as input, or a new file in it', async () => {
    const snap = demoCopy();
    const pipeline = join(snap, '111111111111/us-east-1/codepipeline/demo-app.json');
    const before = readFileSync(pipeline, 'utf8');
    expect(await cli('analyze', snap, '--output', pipeline)).toEqual(
      one(
        `--output \`${pipeline}\` is inside the input \`${snap}\`: writing it would change an input of this run`,
      ),
    );
    expect(readFileSync(pipeline, 'utf8')).toBe(before);
    const fresh = join(snap, 'report.json');
    const b = await cli('baseline', snap, '--output', fresh, '--expires', '2099-01-01');
    expect(b).toEqual(
      one(
        `--output \`${fresh}\` is inside the input \`${snap}\`: writing it would change an input of this run`,
      ),
    );
    expect(existsSync(fresh)).toBe(false);
    // --output-dir: the files it would write
    expect(await cli('analyze', snap, '--output-dir', snap)).toEqual(
      one(
        `--output-dir \`${join(snap, 'report.txt')}\` is inside the input \`${snap}\`: writing it would change an input of this run`,
      ),
    );
    // named through a symbolic link to the folder, from another working directory
    const other = tmp('out-link');
    symlinkSync(snap, join(other, 'link'));
    const r = await runCli(other, 'analyze', snap, '--output', 'link/r.txt');
    expect(r).toEqual(
      one(
        `--output \`link/r.txt\` is inside the input \`${snap}\`: writing it would change an input of this run`,
      ),
    );
  });

  it('the --baseline, --template or --stacks file, under any name', async () => {
    const dir = tmp('out-inputs');
    const baseline = join(dir, 'baseline.json');
    const w = await cli('baseline', demo, '--output', baseline, '--expires', '2099-01-01');
    expect(w.code).toBe(0);
    const kept = readFileSync(baseline, 'utf8');
    const sameAs = (given: string, role: string, input: string) =>
      one(
        `--output \`${given}\` is ${role} \`${input}\`: writing it would overwrite an input of this run`,
      );
    expect(await cli('analyze', demo, '--baseline', baseline, '--output', baseline)).toEqual(
      sameAs(baseline, 'the --baseline file', baseline),
    );
    // a symbolic link, a dangling one that points at it, a hard link
    const link = join(dir, 'link.json');
    symlinkSync(baseline, link);
    expect(await cli('analyze', demo, '--baseline', baseline, '--output', link)).toEqual(
      sameAs(link, 'the --baseline file', baseline),
    );
    const hard = join(dir, 'hard.json');
    linkSync(baseline, hard);
    expect(await cli('analyze', demo, '--baseline', baseline, '--output', hard)).toEqual(
      sameAs(hard, 'the --baseline file', baseline),
    );
    expect(readFileSync(baseline, 'utf8')).toBe(kept);

    const template = join(dir, 't.yaml');
    cpSync(TEMPLATE, template);
    const dangling = join(dir, 'dangling');
    symlinkSync('t.yaml', dangling);
    expect(
      await cli('analyze', demo, '--template', template, ...ENV, '--output', dangling),
    ).toEqual(sameAs(dangling, 'the --template file', template));
    const b = await cli(
      'baseline',
      '--template',
      template,
      ...ENV,
      '--output',
      template,
      '--expires',
      '2099-01-01',
    );
    expect(b).toEqual(sameAs(template, 'the --template file', template));
    expect(readFileSync(template, 'utf8')).toBe(readFileSync(TEMPLATE, 'utf8'));

    const stacks = join(root, 'fixtures/stacks');
    const stacksFile = readdirSync(stacks, { recursive: true, encoding: 'utf8' })
      .map((n) => join(stacks, n))
      .find((n) => n.endsWith('stacks.yaml'))!;
    expect(await cli('analyze', '--stacks', stacksFile, '--output', stacksFile)).toEqual(
      sameAs(stacksFile, 'the --stacks input', stacksFile),
    );
    expect(await cli('analyze', stacksFile, '--output', stacksFile)).toEqual(
      sameAs(stacksFile, 'the input', stacksFile),
    );
  });

  it('a loop of symbolic links is said in words (it was the bare code ELOOP)', async () => {
    const dir = tmp('out-loop');
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    expect(await cli('analyze', demo, '--output', join(dir, 'a'))).toEqual(
      one(`${join(dir, 'a')}: too many levels of symbolic links (a loop)`),
    );
    expect(describeErrorCode('ELOOP')).toBe('too many levels of symbolic links (a loop)');
  });

  it('--output-dir naming a file says it is not a folder (it said "already exists")', async () => {
    const file = join(tmp('out-dir-file'), 'f');
    writeFileSync(file, 'x');
    expect(await cli('analyze', demo, '--format', 'json,sarif', '--output-dir', file)).toEqual(
      one(`--output-dir \`${file}\` is not a folder (it is a file)`),
    );
    expect(readFileSync(file, 'utf8')).toBe('x');
    const dangling = join(tmp('out-dir-link'), 'gone');
    symlinkSync(join(dangling, '..', 'missing'), dangling);
    expect(await cli('analyze', demo, '--format', 'json,sarif', '--output-dir', dangling)).toEqual(
      one(
        `--output-dir \`${dangling}\` is a symbolic link whose target does not exist, not a folder`,
      ),
    );
  });

  it('an ordinary --output is still written, and a new one in a folder that is not an input', async () => {
    const dir = tmp('out-ok');
    const out = join(dir, 'r.txt');
    writeFileSync(out, 'old');
    const r = await cli('analyze', demo, '--output', out);
    expect(r.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toContain('pipeline demo-app');
  });
});

describe('writeOutputFile', () => {
  it.runIf(existsSync('/dev/full'))('a full device names the file', () => {
    let thrown: unknown;
    try {
      writeOutputFile('/dev/full', ['x']);
    } catch (err) {
      thrown = err;
    }
    expect(fileSystemError(thrown)).toBe('/dev/full: no space left on the device');
  });
});
