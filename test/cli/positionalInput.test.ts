/**
 * `permchain analyze FILE`: a YAML or JSON file that does not parse is reported where it fails to
 * parse, as `--stacks FILE` reports it, not hidden behind "expected a snapshot folder, a CDK
 * assembly folder or a stacks file"; a file that parses but is no stacks file still gets that
 * message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'permchain-positional-'));
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

const UNRECOGNISED =
  'expected a snapshot folder, a CDK assembly folder or a stacks file (use --template for one template) [input.unrecognised]';

describe('permchain analyze with a file that does not parse', () => {
  it('a stacks file that is not valid YAML: the parse error with its line, as --stacks says it', async () => {
    const path = file('bad-stacks.yaml', 'Stacks:\n  - Name: a\n    Template: [unclosed\n');
    const positional = await runCli(dir, 'analyze', path);
    const option = await runCli(dir, 'analyze', '--stacks', path);
    expect(positional.code).toBe(2);
    expect(errors(positional.out)).toHaveLength(1);
    expect(errors(positional.out)[0]).toMatch(
      /bad-stacks\.yaml: the stacks file is not valid yaml or json: line 4, column 1: .* \[stacks\.file\.invalid\]$/,
    );
    expect(errors(positional.out)).toEqual(errors(option.out));
    expect(positional.out).not.toContain('input.unrecognised');
  });

  it('a .json or .yml file that does not parse says where', async () => {
    const json = await runCli(dir, 'analyze', file('stacks.json', '{\n  "stacks": [\n'));
    expect(json.code).toBe(2);
    expect(errors(json.out)).toEqual([
      expect.stringMatching(
        /stacks\.json: the stacks file is not valid yaml or json: line 3, column 1: .* \[stacks\.file\.invalid\]$/,
      ),
    ]);
    const yml = await runCli(dir, 'analyze', file('stacks.yml', 'stacks:\n  - a: [1\n  b: 2\n'));
    expect(yml.code).toBe(2);
    expect(errors(yml.out)).toEqual([
      expect.stringMatching(
        /stacks\.yml: the stacks file is not valid yaml or json: line \d+, column \d+: .* \[stacks\.file\.invalid\]$/,
      ),
    ]);
  });

  it('a file that parses but is no stacks file keeps the message (a template needs --template)', async () => {
    const template = file('template.yaml', 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
    const r = await runCli(dir, 'analyze', template);
    expect(r.code).toBe(2);
    expect(errors(r.out)).toEqual([`  error: ${template}: ${UNRECOGNISED}`]);
  });

  it('a file of another kind that does not parse keeps the message', async () => {
    const notes = file('notes.txt', 'stacks: [unclosed\n');
    const r = await runCli(dir, 'analyze', notes);
    expect(r.code).toBe(2);
    expect(errors(r.out)).toEqual([`  error: ${notes}: ${UNRECOGNISED}`]);
  });
});

describe('permchain analyze ""', () => {
  it('an empty input name (an unset variable) is an input error, not the current folder (was exit 0)', async () => {
    // a folder holding a pipeline-less snapshot: read as the input, it would pass
    const r = await runCli(dir, 'analyze', '');
    expect(r.code).toBe(2);
    expect(errors(r.out)).toEqual([
      '  error: (input): the input is an empty name (an unset variable?) [input.empty]',
    ]);
  });
});
