/**
 * Output paths that cannot be written are usage errors: one line naming the path, exit 2, no
 * stack trace, and never a hang (Node's recursive mkdir loops forever under /proc).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';
import { makeDirectory } from '../../src/fsUtil.js';

const root = resolve(__dirname, '../..');
const demo = join(root, 'fixtures/demo');

const cli = (...args: string[]) => runCli(root, ...args);

describe('unwritable output paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-output-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');

  it.each([
    [
      '--output in a missing folder (JSON, streamed)',
      ['--format', 'json', '--output', join(dir, 'no/such/x.json')],
      `${join(dir, 'no/such/x.json')}: no such file or folder`,
    ],
    [
      '--output in a missing folder (text)',
      ['--output', join(dir, 'no/such/x.txt')],
      `${join(dir, 'no/such/x.txt')}: no such file or folder`,
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
    expect(r.err).toBe(`error: ${out}: no such file or folder\n`);
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
      // read the first chunk, then close our end, as `| head -1` does
      await new Promise<void>((done) => child.stdout.once('data', () => done()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(err).not.toContain('EPIPE');
      expect(err).not.toContain('    at ');
      expect(code).toBe(1);
    },
  );
});
