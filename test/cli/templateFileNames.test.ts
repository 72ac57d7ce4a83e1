/**
 * The file names in a report are relative to the CLI's working directory (`io.cwd`), which an
 * in-process caller sets, not to the process's: a stacks file, a template and a CDK assembly
 * read from another folder were named by a path relative to where the process started.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const { tempDir, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

const TEMPLATE = JSON.stringify({
  Parameters: { Env: { Type: 'String', Default: 'dev' } },
  Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b-111' } } },
});

/** A folder (not the process's current one) with `sub/` holding the inputs. */
function folder(): string {
  const dir = tempDir('file-names');
  expect(relative(process.cwd(), dir)).not.toBe('');
  mkdirSync(join(dir, 'sub', 'cdk.out'), { recursive: true });
  writeFileSync(join(dir, 'sub', 'a.json'), TEMPLATE);
  writeFileSync(
    join(dir, 'sub', 'stacks.json'),
    JSON.stringify({
      stacks: [{ template: 'a.json', account: '1234567890123', region: 'us-east-1' }],
    }),
  );
  writeFileSync(join(dir, 'sub', 'cdk.out', 'a.json'), TEMPLATE);
  writeFileSync(
    join(dir, 'sub', 'cdk.out', 'manifest.json'),
    JSON.stringify({
      version: '36.0.0',
      artifacts: {
        A: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://111111111111/us-east-1',
          properties: { templateFile: 'a.json', parameters: { Nope: 'x' } },
        },
        B: { type: 'aws:not-a-type' },
      },
    }),
  );
  return dir;
}

async function problemFiles(cwd: string, ...args: string[]): Promise<string[]> {
  const r = await cli(cwd, 'analyze', ...args, '--format', 'json');
  const files = (JSON.parse(r.out) as Report).problems.map((p) => `${p.id} ${p.file ?? ''}`);
  return [...new Set(files)].sort();
}

describe('file names are relative to the CLI working directory', () => {
  it('a stacks file given as the input or with --stacks', async () => {
    const cwd = folder();
    const want = ['input.no-pipelines sub/stacks.json', 'stacks.account.invalid sub/stacks.json'];
    expect(await problemFiles(cwd, 'sub/stacks.json')).toEqual(want);
    expect(await problemFiles(cwd, '--stacks', 'sub/stacks.json')).toEqual(want);
  });

  it('a template given with --template', async () => {
    const cwd = folder();
    expect(
      await problemFiles(
        cwd,
        '--template',
        'sub/a.json',
        '--account',
        '111111111111',
        '--region',
        'us-east-1',
        '--parameter',
        'Nope=1',
      ),
    ).toEqual(['input.no-pipelines sub/a.json', 'stacks.parameter.unknown sub/a.json']);
  });

  it('a CDK assembly given as the input or with --stacks', async () => {
    const cwd = folder();
    const want = [
      'cdk.artifact.type-unknown sub/cdk.out/manifest.json',
      'input.no-pipelines sub/cdk.out',
      'stacks.parameter.unknown sub/cdk.out/manifest.json',
    ];
    expect(await problemFiles(cwd, 'sub/cdk.out')).toEqual(want);
    expect(await problemFiles(cwd, '--stacks', 'sub/cdk.out')).toEqual(want);
  });
});
