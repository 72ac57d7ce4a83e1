/**
 * README's usage section and each command's --help agree: the same options, and every --help
 * gives the exit codes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli } from './runCli.js';

const root = resolve(__dirname, '../..');
const COMMANDS = ['analyze', 'simulate', 'baseline', 'diff', 'crawl'] as const;
/** what README's `[the input options of analyze]` stands for */
const INPUT_OPTIONS = [
  '--stacks',
  '--template',
  '--account',
  '--region',
  '--stack-name',
  '--parameter',
  '--artifact',
];

/** The options README's usage block gives each command (its line and the indented ones after). */
function readmeUsage(): Map<string, string[]> {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Usage'));
  const block = /```\n([\s\S]*?)```/.exec(section)![1]!;
  const usage = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of block.split('\n')) {
    const start = /^permchain (\w+)/.exec(line);
    if (start) current = start[1]!;
    if (current === undefined) continue;
    const text = line.replace('[the input options of analyze]', INPUT_OPTIONS.join(' '));
    const options = [...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
    usage.set(current, [...(usage.get(current) ?? []), ...options]);
  }
  return usage;
}

/** The long options `permchain <command> --help` lists, but --help itself. */
function helpOptions(help: string): string[] {
  const options = help.slice(help.indexOf('Options:'));
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)]
    .map((m) => m[1]!)
    .filter((o) => o !== '--help');
}

const sorted = (l: readonly string[]): string[] => [...new Set(l)].sort();

describe("README's usage section matches --help", () => {
  const usage = readmeUsage();

  it('lists every command', () => {
    expect([...usage.keys()].sort()).toEqual([...COMMANDS].sort());
  });

  it.each(COMMANDS)('%s: the same options, and the exit codes', async (command) => {
    const help = await cli(root, command, '--help');
    expect(help.code).toBe(0);
    expect(sorted(usage.get(command)!)).toEqual(sorted(helpOptions(help.out)));
    expect(help.out).toMatch(/\nExit codes: 0 /);
  });

  it('diff and baseline give their exit codes as the code has them', async () => {
    const diff = (await cli(root, 'diff', '--help')).out.replace(/\s+/g, ' ');
    expect(diff).toContain(
      'Exit codes: 0 no required link newly denied (--fail-on never always gives 0), 1 a ' +
        'required link newly denied, or with --fail-on unknown a required link newly unknown or ' +
        'an AFTER that holds no pipeline',
    );
    expect(diff).toContain('2 input or usage error on either side');
    const baseline = (await cli(root, 'baseline', '--help')).out.replace(/\s+/g, ' ');
    expect(baseline).toContain(
      'Exit codes: 0 the baseline was written (warnings, such as --expires in the past, do not ' +
        'change it), 2 usage or input error (nothing is written).',
    );
  });

  // --pipeline splits its value at commas in analyze, baseline and diff; only diff's help said so
  it.each(['analyze', 'baseline', 'diff'])(
    '%s: --help says --pipeline takes comma-separated names',
    async (command) => {
      const help = (await cli(root, command, '--help')).out.replace(/\s+/g, ' ');
      expect(help).toContain(
        '--pipeline <name> only this pipeline (name or ARN); repeatable or comma-separated',
      );
    },
  );

  it('analyze --pipeline a,b selects a and b', async () => {
    const r = await cli(
      root,
      'analyze',
      'fixtures/demo',
      '--pipeline',
      'demo-app,nope',
      '--format',
      'json',
    );
    const report = JSON.parse(r.out) as {
      pipelines: { name: string }[];
      problems: { message: string }[];
    };
    expect(report.pipelines.map((p) => p.name)).toEqual(['demo-app']);
    expect(report.problems.some((p) => p.message.includes('`nope`'))).toBe(true);
  });
});
