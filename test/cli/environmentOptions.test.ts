/**
 * `--account` and `--region` typed on the command line: an account that is not exactly 12 digits,
 * or a region not written like a region code, is a usage error (one line naming the option, exit
 * 2, nothing analyzed or written) for every command that takes them, whatever input uses them; a
 * well-formed region permchain does not know (`mars-1`, perhaps a new one) is used, with a
 * warning the text report shows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentOptionProblem } from '../../src/cli/inputOptions.js';
import { demo, root, tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const TEMPLATE = 'fixtures/templates/demo-pipeline-v2.yaml';
const AGNOSTIC = 'test/load/templates/fixtures/agnostic';
const { tempDir, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);
const ACCOUNT = '111111111111';

/** `analyze --template` the demo template with these --account and --region */
const analyzeTemplate = (account: string, region: string): ReturnType<typeof cli> =>
  cli(root, 'analyze', '--template', TEMPLATE, '--account', account, '--region', region);

/** `baseline` of these arguments, written to `out` */
const baselineTo = (out: string, ...args: string[]): ReturnType<typeof cli> =>
  cli(root, 'baseline', ...args, '--output', out, '--reason', 'x', '--expires', '2099-01-01');

/** `diff` the demo template with itself, with --account ACCOUNT and this --region */
const diffTemplate = (region: string, ...more: string[]): ReturnType<typeof cli> =>
  cli(root, 'diff', TEMPLATE, TEMPLATE, '--account', ACCOUNT, '--region', region, ...more);

describe('--account and --region values', () => {
  it('an account that is not 12 digits is a usage error naming --account, nothing analyzed (was a warning, analyzed)', async () => {
    for (const account of ['12', '1111111111112', 'acct-x', ' 111111111111', '']) {
      const r = await analyzeTemplate(account, 'us-east-1');
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(r.err).toMatch(/^error: --account .*account id \(12 digits\)/);
    }
  });

  it('a malformed region is a usage error naming --region; well-formed ones are accepted', async () => {
    for (const region of ['US EAST', 'US-EAST-1', 'us_east_1', 'us-east-1a', 'useast1', '']) {
      const r = await analyzeTemplate(ACCOUNT, region);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(r.err).toMatch(/^error: --region /);
    }
    for (const region of [
      'us-east-1',
      'eu-central-2',
      'il-central-1',
      'us-gov-west-1',
      'cn-north-1',
      'eusc-de-east-1',
      'mars-1',
    ])
      expect(environmentOptionProblem({ region, account: ACCOUNT })).toBeUndefined();
  });

  it('a well-formed region permchain does not know is analyzed, with a warning in the text output', async () => {
    const r = await analyzeTemplate(ACCOUNT, 'mars-1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('arn:aws:codepipeline:mars-1:111111111111:demo-app-v2');
    expect(r.out).toContain(
      'warning: fixtures/templates/demo-pipeline-v2.yaml: stack `demo-pipeline-v2`: `mars-1` is not a known region name: it is used as given [stacks.region.unknown]',
    );
    // the environment-agnostic stacks of a CDK assembly take it alike
    const cdk = await cli(root, 'analyze', AGNOSTIC, '--account', ACCOUNT, '--region', 'mars-1');
    expect(cdk.out).toMatch(/warning: .*manifest\.json#.*`mars-1` is not a known region name/);
    const bad = await cli(root, 'analyze', AGNOSTIC, '--account', '12', '--region', 'us-east-1');
    expect(bad).toEqual({
      code: 2,
      out: '',
      err: 'error: --account `12` is not an account id (12 digits)\n',
    });
  });

  it('baseline and diff show the warning for a well-formed region permchain does not know, as analyze does (was: silent)', async () => {
    const WARNING =
      'fixtures/templates/demo-pipeline-v2.yaml: stack `demo-pipeline-v2`: `mars-1` is not a known region name: it is used as given [stacks.region.unknown]';
    const dir = tempDir('permchain-env-');
    const out = join(dir, 'baseline.json');
    const b = await baselineTo(
      out,
      '--template',
      TEMPLATE,
      '--account',
      ACCOUNT,
      '--region',
      'mars-1',
    );
    expect(b.code).toBe(0);
    expect(b.err).toBe(`warning: ${WARNING}\n`);
    expect(existsSync(out)).toBe(true);
    const d = await diffTemplate('mars-1');
    expect(d.code).toBe(0);
    // both sides hold it (one template on both): said once, naming both sides
    expect(d.out.split('\n').filter((l) => l.includes('[stacks.region.unknown]'))).toEqual([
      `warning: ${TEMPLATE}: (before \`${TEMPLATE}\` and after \`${TEMPLATE}\`) ${WARNING.slice(TEMPLATE.length + 2)}`,
    ]);
    const json = await diffTemplate('mars-1', '--format', 'json');
    expect(json.code).toBe(0);
    expect(json.err.split('\n').filter((l) => l.includes('[stacks.region.unknown]'))).toHaveLength(
      1,
    );
  });

  it('baseline and diff refuse them alike: nothing written', async () => {
    const dir = tempDir('permchain-env-');
    const out = join(dir, 'baseline.json');
    const b = await baselineTo(out, demo, '--account', '1');
    expect(b).toEqual({
      code: 2,
      out: '',
      err: 'error: --account `1` is not an account id (12 digits)\n',
    });
    expect(existsSync(out)).toBe(false);
    const d = await diffTemplate('US EAST');
    expect(d.code).toBe(2);
    expect(d.out).toBe('');
    expect(d.err).toMatch(/^error: --region `US EAST` is not a region name[^\n]*\n$/);
  });
});
