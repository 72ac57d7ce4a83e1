/**
 * `permchain baseline` records what each entry accepts (the link's decision, principal, resource
 * and deciding policies) and `analyze --baseline` accepts a link only while they are the same: a
 * denial accepted because of the key policy is not accepted once the role's own policy denies
 * it, nor once the artifact store uses another key (the link id is the same in both cases). A
 * file of version 1 still accepts by pipeline, link id and decision, with a warning.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { causeCopies, KEY, NEW_KEY, ROLE, ROLE_POLICY } from './causeCopies.js';
import { BROKEN, demo, EAST, tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const folders = tempFolders();
const { tempDir, removeTempDirs } = folders;
const { deniedByRolePolicy, onAnotherKey } = causeCopies(folders);
afterAll(removeTempDirs);
const REASON = 'key policy fix tracked in JIRA-1';

interface Entry {
  pipeline: string;
  link: string;
  reason: string;
  expires: string;
  decision?: string;
  principal?: string;
  resource?: string;
  deniedBy?: object[];
}
const read = (file: string): { version: number; entries: Entry[] } =>
  JSON.parse(readFileSync(file, 'utf8')) as { version: number; entries: Entry[] };

async function writeDemoBaseline(): Promise<string> {
  const file = join(tempDir('cause-baseline'), 'bl.json');
  const w = await cli(
    demo,
    'baseline',
    '.',
    '--output',
    file,
    '--expires',
    '2099-01-01',
    '--reason',
    REASON,
  );
  expect(w.code).toBe(0);
  expect(w.err).toBe('');
  return file;
}

async function analyzeJson(
  dir: string,
  file: string,
): Promise<{ code: number; err: string; report: Report }> {
  const r = await cli(dir, 'analyze', '.', '--baseline', file, '--format', 'json');
  return { code: r.code, err: r.err, report: JSON.parse(r.out) as Report };
}
const brokenLink = (report: Report) => report.pipelines[0]!.links.find((l) => l.id === BROKEN)!;

describe('a baseline entry accepts the cause it was written for', () => {
  it('records the principal, resource and deciding policies (version 2)', async () => {
    const file = await writeDemoBaseline();
    expect(read(file)).toEqual({
      version: 2,
      entries: [
        {
          pipeline: EAST,
          link: BROKEN,
          decision: 'ImplicitlyDenied',
          principal: ROLE,
          resource: KEY,
          deniedBy: [{ policyType: 'resource', policy: KEY, explicit: false }],
          reason: REASON,
          expires: '2099-01-01',
        },
      ],
    });
    // on the input it was written from, it accepts the link
    const same = await analyzeJson(demo, file);
    expect(same.code).toBe(0);
    expect(same.err).toBe('');
    expect(brokenLink(same.report).accepted).toEqual({ reason: REASON, expires: '2099-01-01' });
  });

  it('not once the role policy denies the link instead of the key policy', async () => {
    const file = await writeDemoBaseline();
    const r = await analyzeJson(deniedByRolePolicy(), file);
    expect(r.code).toBe(1);
    const link = brokenLink(r.report);
    expect(link.decision).toBe('ImplicitlyDenied');
    expect(link.accepted).toBeUndefined();
    const message =
      `baseline entry for \`${EAST}\` / \`${BROKEN}\` accepts it denied by resource policy ` +
      `${KEY} (no matching allow), but it is now denied by identity policy ${ROLE_POLICY} (no ` +
      'matching allow): not accepted (run `permchain baseline` again to accept it)';
    expect(r.err).toBe(
      `warning: ${file}#/entries/0: ${message} [baseline.entry.decision-changed]\n`,
    );
    expect(r.report.problems).toEqual([
      {
        file,
        pointer: '/entries/0',
        message,
        id: 'baseline.entry.decision-changed',
        severity: 'warning',
      },
    ]);
  });

  it('not once the link is on another key', async () => {
    const file = await writeDemoBaseline();
    const r = await analyzeJson(onAnotherKey(), file);
    expect(r.code).toBe(1);
    const link = brokenLink(r.report);
    expect(link.resource).toBe(NEW_KEY);
    expect(link.accepted).toBeUndefined();
    expect(r.err).toContain(
      `accepts it on resource \`${KEY}\`, but the link is now on \`${NEW_KEY}\`; accepts it ` +
        `denied by resource policy ${KEY} (no matching allow), but it is now denied by resource ` +
        `policy ${NEW_KEY} (no matching allow): not accepted`,
    );
    expect(r.report.problems.map((p) => p.id)).toEqual(['baseline.entry.decision-changed']);
  });

  it('running `permchain baseline` again does not carry the old reason over to the new cause', async () => {
    const file = await writeDemoBaseline();
    const dir = deniedByRolePolicy();
    const w = await cli(
      dir,
      'baseline',
      '.',
      '--output',
      file,
      '--expires',
      '2100-01-01',
      '--reason',
      'role policy, JIRA-2',
    );
    expect(w.code).toBe(0);
    expect(w.err).toMatch(
      /^warning: .*#\/entries\/0: baseline entry for .* accepts it denied by resource policy .*: not accepted \(its reason and date are not kept: the link is written with --reason and --expires\) \[baseline\.entry\.decision-changed\]\n$/,
    );
    expect(read(file).entries).toEqual([
      expect.objectContaining({
        reason: 'role policy, JIRA-2',
        expires: '2100-01-01',
        deniedBy: [{ policyType: 'identity', policy: ROLE_POLICY, explicit: false }],
      }),
    ]);
    // the same cause keeps its reason and date
    const again = await cli(dir, 'baseline', '.', '--output', file, '--expires', '2101-01-01');
    expect(again.err).toBe('');
    expect(read(file).entries[0]).toMatchObject({
      reason: 'role policy, JIRA-2',
      expires: '2100-01-01',
    });
  });
});

describe('a baseline file of version 1', () => {
  const legacy = {
    version: 1,
    entries: [
      {
        decision: 'ImplicitlyDenied',
        expires: '2099-01-01',
        link: BROKEN,
        pipeline: EAST,
        reason: REASON,
      },
    ],
  };
  const warning =
    'the entry written by an earlier version records no principal, resource or deciding ' +
    'policies: each accepts its link whatever they are, checking its decision alone; run ' +
    '`permchain baseline` again to record them (version 2)';

  it('still accepts by pipeline, link id and decision, with a warning, every run alike', async () => {
    const file = join(tempDir('cause-legacy'), 'bl.json');
    writeFileSync(file, JSON.stringify(legacy));
    const dir = deniedByRolePolicy();
    const r = await cli(dir, 'analyze', '.', '--baseline', file, '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(brokenLink(report).accepted).toEqual({ reason: REASON, expires: '2099-01-01' });
    expect(report.problems).toEqual([
      {
        file,
        pointer: '/entries/0',
        message: warning,
        id: 'baseline.entry.cause-unrecorded',
        severity: 'warning',
      },
    ]);
    expect((await cli(dir, 'analyze', '.', '--baseline', file, '--format', 'json')).out).toBe(
      r.out,
    );
    // the text report lists it
    const text = await cli(dir, 'analyze', '.', '--baseline', file);
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      `warning: ${file}#/entries/0: ${warning} [baseline.entry.cause-unrecorded]`,
    );
  });

  it('is rewritten as version 2 by `permchain baseline`, keeping its reasons, with a warning', async () => {
    const file = join(tempDir('cause-legacy'), 'bl.json');
    writeFileSync(file, JSON.stringify(legacy));
    const w = await cli(demo, 'baseline', '.', '--output', file, '--expires', '2100-01-01');
    expect(w.code).toBe(0);
    expect(w.err).toBe(
      `warning: ${file}#/entries/0: the entry of an earlier version recorded no ` +
        'principal, resource or deciding policies: it keeps its reason and date, written with ' +
        "the link's principal, resource and deciding policies of today: check that the reason " +
        'still holds [baseline.entry.cause-unrecorded]\n',
    );
    const b = read(file);
    expect(b.version).toBe(2);
    expect(b.entries).toEqual([
      expect.objectContaining({ reason: REASON, expires: '2099-01-01', principal: ROLE }),
    ]);
    // and from then on the cause is checked
    expect((await analyzeJson(deniedByRolePolicy(), file)).code).toBe(1);
  });
});
