/**
 * `permchain diff` compares a link of both sides by its decision, principal, resource and the
 * policies that deny it, not by its decision alone (the link id holds neither the principal nor
 * the resource): a link denied on another key is a denial the change makes (exit 1, as a newly
 * denied one), a link denied by another policy is listed as denied for another reason. Text,
 * markdown and JSON say it; the output is the same every run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { causeCopies, KEY, NEW_KEY, ROLE, ROLE_POLICY } from './causeCopies.js';
import { BROKEN, demo, tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const folders = tempFolders();
const { deniedByRolePolicy, onAnotherKey } = causeCopies(folders);
afterAll(folders.removeTempDirs);

interface Change {
  link: string;
  before?: string;
  after?: string;
  principal: string;
  resource: string;
  beforePrincipal?: string;
  beforeResource?: string;
  deniedBy?: object[];
  beforeDeniedBy?: object[];
}
type DiffJson = Record<string, Change[] | number | string[]>;

describe('diff: the same link id, denied for another cause', () => {
  it('on another key: listed in its own section, and it fails the run as newly denied', async () => {
    const after = onAnotherKey();
    const r = await cli(demo, 'diff', '.', after);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('no change');
    const lines = r.out.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'denied for another principal or on another resource (1)',
      `  demo-app: ${BROKEN} (still ImplicitlyDenied)`,
    ]);
    expect(r.out).toContain(`\n    resource was ${KEY}\n`);
    expect(lines.at(-2)).toBe(
      '0 newly denied, 1 denied for another principal or on another resource, 0 newly unknown, ' +
        '0 newly allowed, 51 links unchanged',
    );
    expect(lines.at(-1)).toBe(
      'the run fails (exit 1): 1 required link denied for another principal or on another resource',
    );
    expect(r.err).toBe('');

    const json = await cli(demo, 'diff', '.', after, '--format', 'json');
    expect(json.code).toBe(1);
    const d = JSON.parse(json.out) as DiffJson;
    expect(d['deniedElsewhere']).toEqual([
      expect.objectContaining({
        link: BROKEN,
        before: 'ImplicitlyDenied',
        after: 'ImplicitlyDenied',
        principal: ROLE,
        resource: NEW_KEY,
        beforeResource: KEY,
        deniedBy: [{ policyType: 'resource', policy: NEW_KEY, explicit: false }],
        beforeDeniedBy: [{ policyType: 'resource', policy: KEY, explicit: false }],
      }),
    ]);
    expect((d['deniedElsewhere'] as Change[])[0]!.beforePrincipal).toBeUndefined();
    expect(d['newlyDenied']).toEqual([]);
    expect(d['denialChanged']).toEqual([]);

    const md = await cli(demo, 'diff', '.', after, '--format', 'markdown');
    expect(md.code).toBe(1);
    expect(md.out).toContain('#### denied for another principal or on another resource (1)');
    expect(md.out).toContain('still ImplicitlyDenied; resource was arn:aws:kms:');
    expect(md.out.trimEnd().split('\n').at(-1)).toBe(
      '**The run fails (exit 1): 1 required link denied for another principal or on another resource.**',
    );
    // --fail-on never: listed, never failing
    expect((await cli(demo, 'diff', '.', after, '--fail-on', 'never')).code).toBe(0);
    // the same output every run
    expect((await cli(demo, 'diff', '.', after, '--format', 'json')).out).toBe(json.out);
    expect((await cli(demo, 'diff', '.', after)).out).toBe(r.out);
  });

  it('denied by another policy: listed as denied for another reason, without failing', async () => {
    const after = deniedByRolePolicy();
    const r = await cli(demo, 'diff', '.', after);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('no change');
    const joined = r.out.replace(/\n {6}/g, ' ');
    expect(joined).toContain(
      'denied for another reason (1)\n' +
        `  demo-app: ${BROKEN} (still ImplicitlyDenied)\n` +
        `    ${ROLE} kms:Decrypt ${KEY}\n` +
        `    denied by identity policy ${ROLE_POLICY} (no matching allow)\n` +
        `    was denied by resource policy ${KEY} (no matching allow)\n`,
    );
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('the run passes');

    const json = await cli(demo, 'diff', '.', after, '--format', 'json');
    expect(json.code).toBe(0);
    const d = JSON.parse(json.out) as DiffJson;
    expect(d['denialChanged']).toEqual([
      expect.objectContaining({
        link: BROKEN,
        deniedBy: [{ policyType: 'identity', policy: ROLE_POLICY, explicit: false }],
        beforeDeniedBy: [{ policyType: 'resource', policy: KEY, explicit: false }],
      }),
    ]);
    expect(d['deniedElsewhere']).toEqual([]);
    const md = await cli(demo, 'diff', '.', after, '--format', 'markdown');
    expect(md.out).toContain('#### denied for another reason (1)');
    expect(md.out).toContain('still ImplicitlyDenied; denied by identity policy');
  });

  it('the same input is still no change', async () => {
    const r = await cli(demo, 'diff', '.', '.');
    expect(r.code).toBe(0);
    expect(r.out).toBe('no change (52 links unchanged)\nthe run passes\n');
  });
});
