/**
 * `organization/scp/` and `organization/rcp/` are read as the full set of policies, so an entry
 * there that cannot be read is a policy that exists and is unknown: the links it could decide
 * are Unknown, naming it, never Allowed. An `organization` that is not a folder says the same of
 * the whole organization. Base: the scp-deny-assume-role scenario, where the SCP
 * p-exmtools02 denies the pipeline role's sts:AssumeRole into the prod account.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { inScenarioCopy } from '../chain/scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/scp-deny-assume-role';
const SCP = 'organization/scp/p-exmtools02.json';
const DENIED = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';

function analyze(edit: (dir: string) => void): {
  assume: ReportLink[];
  decisions: Set<string>;
  errors: string[];
} {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const model = loadSnapshot(dir);
    const links = analyzeModel(model).pipelines.flatMap((p) => p.links);
    return {
      assume: links.filter((l) => l.permission === 'sts:AssumeRole' && l.resource === DENIED),
      decisions: new Set(links.map((l) => l.decision)),
      errors: model.problems
        .filter((p) => p.severity === 'error')
        .map((p) => `${p.file}: ${p.message} [${p.id}]`),
    };
  });
}

const replaceScp = (make: (path: string) => void) => (dir: string) => {
  rmSync(`${dir}/${SCP}`);
  make(`${dir}/${SCP}`);
};

describe('an SCP file that cannot be read', () => {
  it('the base: the SCP denies the role assumption', () => {
    const r = analyze(() => {});
    expect(r.assume.map((l) => l.decision)).toEqual(['ExplicitlyDenied']);
    expect(r.errors).toEqual([]);
  });

  it.each([
    ['a folder', (p: string) => mkdirSync(p)],
    ['a dangling link', (p: string) => symlinkSync('/nonexistent/permchain', p)],
    ['truncated JSON', (p: string) => writeFileSync(p, '{"Policy": ')],
    ['a JSON array', (p: string) => writeFileSync(p, '[{"Policy": {}}]')],
  ])('%s: the link it denies is Unknown naming it, not Allowed', (_what, make) => {
    const r = analyze(replaceScp(make));
    expect(r.assume.map((l) => l.decision)).toEqual(['Unknown']);
    expect(r.assume[0]!.missing).toContain(SCP);
    expect(r.errors.some((e) => e.startsWith(`${SCP}: `))).toBe(true);
    expect(r.decisions.has('Allowed')).toBe(true);
  });

  it.runIf(process.platform !== 'win32')('a FIFO: refused at once, Unknown', () => {
    const r = analyze(replaceScp((p) => execFileSync('mkfifo', [p])));
    expect(r.assume.map((l) => l.decision)).toEqual(['Unknown']);
    expect(r.errors).toContain(`${SCP}: not a regular file [snapshot.file.unreadable]`);
    expect(r.assume[0]!.missing).toContain(SCP);
  });

  it('an `organization` that is a file: every guardrail is unknown, nothing is Allowed', () => {
    const r = analyze((dir) => {
      rmSync(`${dir}/organization`, { recursive: true });
      writeFileSync(`${dir}/organization`, '');
    });
    expect([...r.decisions]).toEqual(['Unknown']);
    expect(r.errors).toEqual([
      'organization: not a readable folder: whether there is an organization, and its SCPs and RCPs, cannot be known [snapshot.file.unreadable]',
    ]);
  });
});
