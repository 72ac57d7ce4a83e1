/**
 * A baseline entry that matches no link that is not allowed (the link was fixed, or its pipeline
 * is gone) is a `baseline.entry.stale` warning, on stderr and in the report's problems: left in
 * place, it would silently accept the failure if it came back. It does not fail the run, and an
 * entry of a pipeline that --pipeline left out is not stale.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import {
  addKeyStatement,
  PROD_DECRYPT,
  BROKEN,
  EAST,
  PIPELINE_FILE,
  tempFolders,
  WEST,
} from './demoCopy.js';
import { KEY, ROLE } from './causeCopies.js';
import { runCli as cli } from './runCli.js';

const { tempDir, demoCopy, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

/** the key policy lets the production account decrypt: the demo's one broken link is fixed */
const fixKey = (dir: string): void => addKeyStatement(dir, PROD_DECRYPT);
// the cause of the demo's broken link, as `permchain baseline` records it (an entry without it
// would also get the `baseline.entry.cause-unrecorded` warning)
const entry = (pipeline: string, link: string): object => ({
  pipeline,
  link,
  reason: 'key fix in review',
  expires: '2099-01-01',
  decision: 'ImplicitlyDenied',
  principal: ROLE,
  resource: KEY,
  deniedBy: [{ policyType: 'resource', policy: KEY, explicit: false }],
});
/** writes a baseline file of the version `permchain baseline` writes */
const writeBaselineFile = (file: string, entries: readonly object[]): void =>
  writeFileSync(file, JSON.stringify({ version: 2, entries }));
const staleMessage = (pipeline: string, link: string): string =>
  `baseline entry for \`${pipeline}\` / \`${link}\` matches no link that is not allowed (the ` +
  'link is allowed now, or no analyzed pipeline has it): remove it, or it accepts the failure if ' +
  'it comes back';

describe('stale baseline entries are reported', () => {
  it('an entry for a fixed link, and one for a pipeline the input does not hold', async () => {
    const dir = demoCopy('stale-demo');
    const file = join(tempDir('stale-baseline'), 'b.json');
    writeBaselineFile(file, [
      entry(EAST, BROKEN),
      entry('arn:aws:codepipeline:us-east-1:111111111111:gone', 'x@y'),
    ]);
    // while the link is broken, its entry accepts it: only the other one is stale
    const broken = await cli(dir, 'analyze', '.', '--baseline', file, '--format', 'json');
    expect(broken.code).toBe(0);
    const gone = staleMessage('arn:aws:codepipeline:us-east-1:111111111111:gone', 'x@y');
    expect(broken.err).toBe(`warning: ${file}#/entries/1: ${gone} [baseline.entry.stale]\n`);

    fixKey(dir);
    const fixed = await cli(dir, 'analyze', '.', '--baseline', file, '--format', 'json');
    // a warning, not a failure
    expect(fixed.code).toBe(0);
    const fixedMessage = staleMessage(EAST, BROKEN);
    expect(fixed.err).toBe(
      `warning: ${file}#/entries/0: ${fixedMessage} [baseline.entry.stale]\n` +
        `warning: ${file}#/entries/1: ${gone} [baseline.entry.stale]\n`,
    );
    expect((JSON.parse(fixed.out) as Report).problems).toEqual([
      {
        file,
        pointer: '/entries/0',
        message: fixedMessage,
        id: 'baseline.entry.stale',
        severity: 'warning',
      },
      {
        file,
        pointer: '/entries/1',
        message: gone,
        id: 'baseline.entry.stale',
        severity: 'warning',
      },
    ]);
    // the text report on standard output lists them (not repeated on stderr)
    const text = await cli(dir, 'analyze', '.', '--baseline', file);
    expect(text.code).toBe(0);
    expect(text.err).toBe('');
    expect(text.out).toContain(`${file}#/entries/0: ${fixedMessage} [baseline.entry.stale]`);
  });

  it('an entry of a pipeline --pipeline left out is not stale', async () => {
    const dir = demoCopy('stale-demo');
    const west = join(dir, '111111111111/us-west-2');
    mkdirSync(join(west, 'codepipeline'), { recursive: true });
    writeFileSync(
      join(west, 'codepipeline/demo-app.json'),
      readFileSync(join(dir, PIPELINE_FILE), 'utf8').replace(EAST, WEST),
    );
    cpSync(join(dir, '111111111111/us-east-1/codebuild.json'), join(west, 'codebuild.json'));
    const file = join(tempDir('stale-baseline'), 'b.json');
    writeBaselineFile(file, [entry(EAST, BROKEN), entry(WEST, BROKEN)]);
    const east = await cli(
      dir,
      'analyze',
      '.',
      '--pipeline',
      EAST,
      '--baseline',
      file,
      '--format',
      'json',
    );
    expect(east.err).toBe('');
    expect((JSON.parse(east.out) as Report).problems).toEqual([]);
    // an entry naming the left-out pipeline by a link it does not have is still not judged
    writeBaselineFile(file, [entry(EAST, BROKEN), entry(WEST, 'no-such-link')]);
    const again = await cli(
      dir,
      'analyze',
      '.',
      '--pipeline',
      EAST,
      '--baseline',
      file,
      '--format',
      'json',
    );
    expect(again.err).toBe('');
    // analyzing it, the entry is stale
    const both = await cli(dir, 'analyze', '.', '--baseline', file, '--format', 'json');
    expect(both.err).toBe(
      `warning: ${file}#/entries/1: ${staleMessage(WEST, 'no-such-link')} [baseline.entry.stale]\n`,
    );
  });
});
