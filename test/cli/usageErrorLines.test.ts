/**
 * A usage error is one line (commander's message or permchain's own), at most followed by one
 * line naming the command's --help; exit 2, nothing on stdout. The whole --help text after it
 * (about 40 lines on stderr) buried the error.
 */
import { describe, expect, it } from 'vitest';
import { demo, root } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const CASES: [string, string[], string, string][] = [
  [
    'an option given twice',
    ['analyze', demo, '--region', 'a', '--region', 'b'],
    "error: option '--region <name>' given twice (it takes one value)",
    'analyze',
  ],
  ['an unknown option', ['analyze', demo, '--bogus'], "error: unknown option '--bogus'", 'analyze'],
  [
    'an unknown option with a suggestion',
    ['analyze', demo, '--strickt'],
    "error: unknown option '--strickt' (Did you mean --strict?)",
    'analyze',
  ],
  [
    'baseline without --expires',
    ['baseline', demo, '--output', 'never-written.json'],
    "error: required option '--expires <date>' not specified",
    'baseline',
  ],
  ['crawl without --out', ['crawl'], "error: required option '--out <dir>' not specified", 'crawl'],
  [
    'crawl --accounts with --organization',
    ['crawl', '--out', 'never-written', '--accounts', '1', '--organization'],
    "error: option '--accounts <ids>' cannot be used with option '--organization'",
    'crawl',
  ],
  ['diff with one side', ['diff', demo], "error: missing required argument 'after'", 'diff'],
  ['an unknown command', ['bogus'], "error: unknown command 'bogus'", ''],
];

describe('usage errors are one line and a pointer to --help, exit 2', () => {
  it.each(CASES)('%s', async (_name, args, message, command) => {
    const r = await cli(root, ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const hint = `run 'permchain ${command ? `${command} ` : ''}--help' for usage`;
    expect(r.err).toBe(`${message}\n${hint}\n`);
    expect(r.err.split('\n')).toHaveLength(3);
  });

  it("permchain's own usage errors stay one line", async () => {
    const r = await cli(root, 'analyze', demo, '--format', 'bogus');
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^error: unknown format `bogus`/);
  });
});
