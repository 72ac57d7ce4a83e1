/**
 * An option that takes one value, given twice, is a usage error naming it (exit 2): commander
 * would keep the last value in silence, so `--template a.yaml --template b.yaml` analyzed b.yaml
 * alone and a Deny that only a.yaml held was never seen. Repeatable options keep collecting.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/main.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from './runCli.js';

const root = resolve(__dirname, '../..');
const demo = join(root, 'fixtures/demo');
const TEMPLATE = 'fixtures/templates/demo-pipeline-v2.yaml';

/** Per command: the options that take one value, and the repeatable ones. */
const ONCE: Record<string, readonly string[]> = {
  analyze: [
    '--stacks <file>',
    '--template <file>',
    '--account <id>',
    '--region <name>',
    '--stack-name <name>',
    '--output <file>',
    '--output-dir <dir>',
    '--fail-on <what>',
    '--baseline <file>',
    '--today <date>',
    '--jobs <n>',
  ],
  baseline: [
    '--stacks <file>',
    '--template <file>',
    '--account <id>',
    '--region <name>',
    '--stack-name <name>',
    '--output <file>',
    '--expires <date>',
    '--reason <text>',
  ],
  diff: [
    '--snapshot <dir>',
    '--account <id>',
    '--region <name>',
    '--stack-name <name>',
    '--format <format>',
    '--fail-on <what>',
  ],
  simulate: ['--request <file>', '--format <format>'],
  crawl: [
    '--out <dir>',
    '--profile <name>',
    '--assume-role <arn-template>',
    '--external-id <id>',
    '--accounts <ids>',
  ],
};
const REPEATABLE: Record<string, readonly string[]> = {
  analyze: [
    '--parameter <key=value>',
    '--artifact <[pipeline/]name=dir>',
    '--pipeline <name>',
    '--format <format>',
  ],
  baseline: ['--parameter <key=value>', '--artifact <[pipeline/]name=dir>', '--pipeline <name>'],
  diff: ['--parameter <key=value>', '--pipeline <name>', '--artifact <[pipeline/]name=dir>'],
  simulate: [],
  crawl: ['--region <region...>', '--pipeline <name...>'],
};
/** what precedes the options on the command line (diff needs its two arguments) */
const LEAD: Record<string, readonly string[]> = { diff: ['a', 'b'] };

describe('an option that takes one value, given twice', () => {
  const program = buildProgram(memoryIo(root), () => {});

  it('every option that takes a value is classified (once or repeatable)', () => {
    for (const command of program.commands) {
      const name = command.name();
      const valued = command.options
        .filter((o) => o.required || o.optional)
        .map((o) => o.flags)
        .sort();
      expect(valued).toEqual([...ONCE[name]!, ...REPEATABLE[name]!].sort());
    }
  });

  const cases = Object.entries(ONCE).flatMap(([name, flags]) =>
    flags.map((flags) => [name, flags] as const),
  );
  it.each(cases)('%s %s: a usage error naming it, exit 2', async (name, flags) => {
    const flag = flags.split(' ')[0]!;
    const r = await runCli(root, name, ...(LEAD[name] ?? []), flag, 'x', `${flag}=y`);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(`error: option '${flags}' given twice (it takes one value)`);
  });

  it('--template a.yaml --template b.yaml is refused: a.yaml would be ignored', async () => {
    const r = await runCli(
      root,
      'analyze',
      demo,
      '--template',
      TEMPLATE,
      '--template',
      TEMPLATE,
      '--account',
      '111111111111',
      '--region',
      'us-east-1',
    );
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      "error: option '--template <file>' given twice (it takes one value)",
    );
  });

  it('an option with a default value may still be given once', async () => {
    const r = await runCli(root, 'diff', demo, demo, '--format', 'json', '--fail-on', 'unknown');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toBeTypeOf('object');
  });

  it('repeatable options keep every value', async () => {
    const r = await runCli(
      root,
      'analyze',
      demo,
      '--template',
      TEMPLATE,
      '--account',
      '111111111111',
      '--region',
      'us-east-1',
      '--pipeline',
      'demo-app',
      '--pipeline',
      'demo-app-v2',
      '--parameter',
      'A=1',
      '--parameter',
      'B=2',
      '--format',
      'json',
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.pipelines.map((p) => p.name).sort()).toEqual(['demo-app', 'demo-app-v2']);
  });
});
