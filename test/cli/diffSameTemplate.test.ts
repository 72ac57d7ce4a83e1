/**
 * One template read from two folders (`diff main/pipeline.yaml pr/pipeline.yaml`, a baseline
 * written in another checkout) is one stack: the values it leaves unknown get the same
 * placeholders, and diff's two versions share the stack name (AWS::StackName), so nothing
 * changes (review of session 22's changes: an unknown key ARN, and a pipeline named after the
 * stack, differed by folder, and diff failed a pull request that changed nothing).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from './runCli.js';

const root = resolve(__dirname, '../..');
const FIXTURE = join(root, 'test/cli/fixtures/same-template');
const TEMP_DIRS: string[] = [];
afterAll(() => {
  for (const d of TEMP_DIRS) rmSync(d, { recursive: true, force: true });
});

/** The fixture's `file` copied into `main/` and `pr/` of a fresh folder. */
function twoCopies(file: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-same-template-'));
  TEMP_DIRS.push(dir);
  for (const side of ['main', 'pr']) cpSync(join(FIXTURE, file), join(dir, side, 'pipeline.yaml'));
  return dir;
}

const ENV = ['--account', '111111111111', '--region', 'us-east-1'];

describe('one template in two folders', () => {
  it('a pipeline named after AWS::StackName: no change', async () => {
    const dir = twoCopies('pipeline.yaml');
    const r = await cli(dir, 'diff', 'main/pipeline.yaml', 'pr/pipeline.yaml', ...ENV);
    expect(r.out).toContain('no change (');
    expect(r.code).toBe(0);
  });

  it('a value the template leaves unknown (an imported key): no change, under --fail-on unknown too', async () => {
    const dir = twoCopies('imported-key.yaml');
    const r = await cli(
      dir,
      'diff',
      'main/pipeline.yaml',
      'pr/pipeline.yaml',
      ...ENV,
      '--fail-on',
      'unknown',
    );
    expect(r.out).toContain('no change (');
    expect(r.code).toBe(0);
  });

  it('a baseline written from one folder accepts the same links read from the other', async () => {
    const dir = twoCopies('imported-key.yaml');
    const w = await cli(
      dir,
      'baseline',
      '--template',
      'main/pipeline.yaml',
      ...ENV,
      '--output',
      'bl.json',
      '--expires',
      '2099-01-01',
      '--reason',
      'known',
    );
    expect(w.code).toBe(0);
    const r = await cli(
      join(dir, 'pr'),
      'analyze',
      '--template',
      'pipeline.yaml',
      ...ENV,
      '--baseline',
      '../bl.json',
      '--fail-on',
      'unknown',
    );
    expect(r.err).not.toContain('baseline.entry.decision-changed');
    expect(r.code).toBe(0);
  });
});
