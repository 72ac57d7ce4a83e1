/**
 * An option that only applies to templates (--account, --region, --stack-name, --parameter),
 * given without an input that uses it, is a warning naming it (cli.option.unused), never
 * ignored in silence. A parameter is named by its key, never its value.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { demo, root, tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const TEMPLATE = 'fixtures/templates/demo-pipeline-v2.yaml';
const CDK = 'test/load/templates/fixtures/cdk.out';
const SECRET = 'hunter2-not-shown';
const { tempDir, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

function unused(out: string): string[] {
  return (JSON.parse(out) as Report).problems
    .filter((p) => p.id === 'cli.option.unused')
    .map((p) => `${p.severity}: ${p.message}`);
}

describe('template options without a template are warned about', () => {
  it('analyze of a snapshot names each unused option, the parameter by its key only', async () => {
    const r = await cli(
      root,
      'analyze',
      demo,
      '--account',
      '999999999999',
      '--region',
      'eu-west-1',
      '--stack-name',
      'foo',
      '--parameter',
      'X=1',
      '--parameter',
      `Password=${SECRET}`,
      '--format',
      'json',
    );
    // a warning: the demo's one required denial still decides the exit code
    expect(r.code).toBe(1);
    expect(unused(r.out).sort()).toEqual([
      'warning: `--account 999999999999` is not used: it applies to a template and to the ' +
        'environment-agnostic stacks of a CDK assembly, and the input has neither',
      'warning: `--parameter` (`Password`, `X`) is not used: it applies to a template only, and ' +
        "none is given (a stacks file gives its stacks' parameters itself)",
      'warning: `--region eu-west-1` is not used: it applies to a template and to the ' +
        'environment-agnostic stacks of a CDK assembly, and the input has neither',
      'warning: `--stack-name foo` is not used: it applies to a template only, and none is given',
    ]);
    expect(r.out + r.err).not.toContain(SECRET);
    const text = await cli(root, 'analyze', demo, '--stack-name', 'foo');
    expect(text.out).toContain(
      'warning: (input): `--stack-name foo` is not used: it applies to a template only, and none ' +
        'is given [cli.option.unused]',
    );
  });

  it('no warning where a template or a CDK assembly uses them', async () => {
    const template = await cli(
      root,
      'analyze',
      demo,
      '--template',
      TEMPLATE,
      '--account',
      '111111111111',
      '--region',
      'us-east-1',
      '--stack-name',
      'demo',
      '--format',
      'json',
    );
    expect(unused(template.out)).toEqual([]);
    const cdk = await cli(
      root,
      'analyze',
      CDK,
      '--account',
      '333333333333',
      '--region',
      'eu-west-1',
      '--format',
      'json',
    );
    expect(unused(cdk.out)).toEqual([]);
    const overlay = await cli(root, 'analyze', demo, '--stacks', CDK, '--account', '333333333333');
    expect(overlay.out).not.toContain('cli.option.unused');
    // --stack-name is the template's alone: a CDK assembly names its own stacks
    const name = await cli(root, 'analyze', CDK, '--stack-name', 'x', '--format', 'json');
    expect(unused(name.out)).toEqual([
      'warning: `--stack-name x` is not used: it applies to a template only, and none is given',
    ]);
  });

  it('baseline warns too', async () => {
    const dir = tempDir('unused-option');
    const r = await cli(
      dir,
      'baseline',
      demo,
      '--region',
      'eu-west-1',
      '--output',
      'b.json',
      '--expires',
      '2099-01-01',
    );
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'warning: (input): `--region eu-west-1` is not used: it applies to a template and to the ' +
        'environment-agnostic stacks of a CDK assembly, and the input has neither [cli.option.unused]',
    );
  });

  it('diff warns once when neither side is a template, not for its default stack name', async () => {
    const r = await cli(
      root,
      'diff',
      demo,
      demo,
      '--stack-name',
      'x',
      '--parameter',
      `P=${SECRET}`,
    );
    expect(r.code).toBe(0);
    const warnings = r.out.split('\n').filter((l) => l.includes('[cli.option.unused]'));
    expect(warnings).toEqual([
      'warning: (input): `--parameter` (`P`) is not used: it applies to a template only, and none ' +
        "is given (a stacks file gives its stacks' parameters itself) [cli.option.unused]",
      'warning: (input): `--stack-name x` is not used: it applies to a template only, and none is ' +
        'given [cli.option.unused]',
    ]);
    expect(r.out + r.err).not.toContain(SECRET);
    expect((await cli(root, 'diff', demo, demo)).out).not.toContain('cli.option.unused');
    const templates = await cli(
      root,
      'diff',
      '--snapshot',
      demo,
      TEMPLATE,
      TEMPLATE,
      '--account',
      '111111111111',
      '--region',
      'us-east-1',
      '--stack-name',
      'demo',
    );
    expect(templates.out).not.toContain('cli.option.unused');
  });
});
