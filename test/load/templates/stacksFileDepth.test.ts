/**
 * A stacks file nested far deeper than any file is read (100,000 levels) is recognised as a stacks
 * file by its top-level `stacks` key, cheaply, without the YAML library's recursion (which
 * overflows the stack: "Maximum call stack size exceeded", turned into a parse error, so the file
 * was "no stacks file"), and is reported as `--stacks` reports it: one error naming the file and
 * the line where it goes too deep. A file nested as deep without a `stacks` key is no stacks file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { isStacksFile, loadStacksFile } from '../../../src/load/stacks.js';
import { runCli } from '../../cli/runCli.js';

const LEVELS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'permchain-stacks-deep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The error lines of a text report. */
function errors(out: string): string[] {
  return out.split('\n').filter((l) => l.trimStart().startsWith('error: '));
}

const DEEP = {
  // the stacks list itself, in flow style
  'flow.yaml': `stacks: ${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}\n`,
  // a key after the stacks list, in flow style
  'after.yaml': `stacks: []\nx: ${'{a: '.repeat(LEVELS)}1${'}'.repeat(LEVELS)}\n`,
  // block sequences, one level per `- `
  'block.yaml': `stacks:\n  ${'- '.repeat(LEVELS)}x\n`,
  // JSON, the key quoted
  'deep.json': `{"stacks": ${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}}\n`,
};

/** Where each file passes the bound of 256 levels: the line and column the error names. */
const TOO_DEEP_AT: Record<keyof typeof DEEP, string> = {
  'flow.yaml': 'line 1, column 266',
  'after.yaml': 'line 2, column 1029',
  'block.yaml': 'line 2, column 516',
  'deep.json': 'line 1, column 269',
};

describe('a stacks file nested 100,000 levels deep', () => {
  for (const [name, text] of Object.entries(DEEP)) {
    // the 60 s timeout is a hang guard for the 100,000-level nesting, not a speed measurement
    it(`${name}: is a stacks file, and one error naming the file and line`, () => {
      const path = file(name, text);
      expect(isStacksFile(path)).toBe(true);
      const { problems } = loadStacksFile(path, { managedPolicies: noManagedPolicies });
      expect(problems.map((p) => [p.severity, p.id])).toEqual([['error', 'stacks.file.invalid']]);
      expect(problems[0]!.file).toMatch(new RegExp(`${name.replace('.', '\\.')}$`));
      expect(problems[0]!.message).toBe(
        `the stacks file is too large or too deeply nested: ${TOO_DEEP_AT[name as keyof typeof DEEP]}: the file is nested more than 256 levels deep: it is not read`,
      );
    }, 60_000);
  }

  it('given as the input of analyze: the error --stacks gives, on one line, not "no stacks file"', async () => {
    const path = file('cli.yaml', DEEP['flow.yaml']);
    const positional = await runCli(dir, 'analyze', path);
    const option = await runCli(dir, 'analyze', '--stacks', path);
    expect(positional.code).toBe(2);
    expect(errors(positional.out)).toEqual([
      expect.stringMatching(
        /cli\.yaml: the stacks file is too large or too deeply nested: line 1, column \d+: the file is nested more than 256 levels deep: it is not read \[stacks\.file\.invalid\]$/,
      ),
    ]);
    expect(errors(positional.out)).toEqual(errors(option.out));
    expect(positional.out + positional.err).not.toMatch(
      /RangeError|call stack|input\.unrecognised/,
    );
  });

  it('without a top-level stacks key: no stacks file', () => {
    expect(
      isStacksFile(
        file('template.yaml', `Resources: ${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}\n`),
      ),
    ).toBe(false);
    expect(
      isStacksFile(
        file('nested.yaml', `x:\n  stacks: ${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}\n`),
      ),
    ).toBe(false);
  });
});
