/**
 * An account whose chain of parents does not reach a root (parents.json cut short, or naming a
 * parent it does not list): the levels above the break are unknown, but the levels that are
 * known still apply. An explicit deny in a policy attached to the account, or to an OU its chain
 * reaches, decides; an allow stays Unknown, naming parents.json. Before, every level was dropped
 * and an account-level deny was reported as "allowed by what is known".
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { scpLevels, rcpLevels } from '../../src/model/queries.js';

// the RCP p-exmrcp0005 (a deny for identities outside the organization) is attached to
// 111111111111 itself; the SCP p-exmguard01 to ou-exm1-workload
const SCENARIO = 'fixtures/scenarios/rcp-data-perimeter';
const TOOLS = '111111111111';
const MEMBER = '333333333333';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function withParents(parents: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-partial-chain-'));
  dirs.push(dir);
  cpSync(SCENARIO, dir, { recursive: true });
  writeFileSync(join(dir, 'organization/parents.json'), JSON.stringify(parents));
  return dir;
}

const rcpDenied = (dir: string): string[] =>
  analyzeModel(loadSnapshot(dir))
    .pipelines[0]!.links.filter(
      (l) =>
        l.decision === 'ExplicitlyDenied' &&
        l.deniedBy.some(
          (r) => r.policyType === 'rcp' && String(r.policy).startsWith('p-exmrcp0005'),
        ),
    )
    .map((l) => l.id)
    .sort();

describe('a chain of parents that does not reach a root', () => {
  const complete = withParents({ [TOOLS]: 'ou-exm1-workload', 'ou-exm1-workload': 'r-exm1' });
  const expected = rcpDenied(complete);

  it('the complete chain: the account-level RCP denies some links (control)', () => {
    expect(expected.length).toBeGreaterThan(0);
  });

  it('keeps the known levels when the chain stops at an OU whose parent is not listed', () => {
    const dir = withParents({
      [TOOLS]: 'ou-exm1-workload',
      'ou-exm1-workload': 'ou-exm1-unlisted',
    });
    const model = loadSnapshot(dir);
    const rcps = rcpLevels(model, TOOLS);
    // the unlisted OU has no policy attached: it is left out, not read as a level allowing nothing
    expect(rcps.targets).toEqual(['ou-exm1-workload', TOOLS]);
    expect(rcps.missing).toContain('organization/parents.json');
    expect(scpLevels(model, TOOLS).targets).toEqual(['ou-exm1-workload', TOOLS]);
    expect(rcpDenied(dir)).toEqual(expected);
    // what the known levels allow is not known to be allowed: the levels above may deny it
    const links = analyzeModel(model).pipelines[0]!.links;
    const tools = links.filter((l) => l.principal.startsWith(`arn:aws:iam::${TOOLS}:`));
    expect(tools.length).toBeGreaterThan(0);
    for (const l of tools) {
      expect(l.decision, l.id).not.toBe('Allowed');
      if (l.decision === 'Unknown') expect(l.missing, l.id).toContain('organization/parents.json');
    }
  });

  it('keeps the account level when the account is not in parents.json at all', () => {
    const dir = withParents({ 'ou-exm1-workload': 'r-exm1' });
    expect(rcpLevels(loadSnapshot(dir), TOOLS).targets).toEqual([TOOLS]);
    expect(rcpDenied(dir)).toEqual(expected);
  });

  it('reads no parents.json as a chain that stops at the account', () => {
    const dir = withParents({});
    rmSync(join(dir, 'organization/parents.json'));
    // a member no policy is attached to
    const accountsFile = join(dir, 'organization/accounts.json');
    const accounts = JSON.parse(readFileSync(accountsFile, 'utf8')) as { Accounts: object[] };
    accounts.Accounts.push({ Id: MEMBER, Name: 'member', Status: 'ACTIVE' });
    writeFileSync(accountsFile, JSON.stringify(accounts));
    const model = loadSnapshot(dir);
    expect(rcpLevels(model, TOOLS).targets).toEqual([TOOLS]);
    expect(rcpDenied(dir)).toEqual(expected);
    // an account no policy is attached to has no level known: none is made up for it, nor is
    // the SCP folder called incomplete for want of one
    const other = scpLevels(model, MEMBER);
    expect(other.levels).toEqual([]);
    expect(other.missing).toContain('organization/parents.json');
    expect(other.missing).not.toContain('organization/scp/');
  });

  it('uses nothing of a chain that loops', () => {
    const dir = withParents({
      [TOOLS]: 'ou-exm1-workload',
      'ou-exm1-workload': 'ou-exm1-loopback',
      'ou-exm1-loopback': 'ou-exm1-workload',
    });
    const model = loadSnapshot(dir);
    expect(rcpLevels(model, TOOLS).levels).toEqual([]);
    expect(model.problems.map((p) => p.id)).toContain('snapshot.organization.parents-cycle');
  });
});

describe('an allow-list SCP on an account whose chain of parents is unknown', () => {
  // the demo with the tools account left out of parents.json, FullAWSAccess detached from it and
  // an allow-list attached instead that allows everything but kms:*
  const dir = mkdtempSync(join(tmpdir(), 'permchain-partial-chain-'));
  dirs.push(dir);
  cpSync('fixtures/demo', dir, { recursive: true });
  const org = join(dir, 'organization');
  const read = (f: string): Record<string, any> => JSON.parse(readFileSync(join(org, f), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
  const parents = read('parents.json');
  delete parents[TOOLS];
  writeFileSync(join(org, 'parents.json'), JSON.stringify(parents));
  const full = read('scp/p-FullAWSAccess.json');
  full['Targets'] = full['Targets'].filter((t: { TargetId: string }) => t.TargetId !== TOOLS);
  writeFileSync(join(org, 'scp/p-FullAWSAccess.json'), JSON.stringify(full));
  const allowList = structuredClone(full);
  allowList['Policy']['PolicySummary'] = { Id: 'p-allowlist1', Name: 'allow-list' };
  allowList['Policy']['Content'] = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', NotAction: 'kms:*', Resource: '*' }],
  });
  allowList['Targets'] = [{ TargetId: TOOLS, Type: 'ACCOUNT' }];
  writeFileSync(join(org, 'scp/p-allowlist1.json'), JSON.stringify(allowList));
  const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter((l) =>
    l.principal.startsWith(`arn:aws:iam::${TOOLS}:`),
  );

  it('denies what the account level does not allow: the levels above can only take more away', () => {
    const kms = links.filter((l) => l.permission.startsWith('kms:'));
    expect(kms.length).toBeGreaterThan(0);
    for (const l of kms) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.deniedBy.map((r) => `${r.policyType} ${r.policy}`)).toEqual([
        'scp p-allowlist1 (allow-list)',
      ]);
    }
  });

  it('leaves what it allows Unknown, naming parents.json', () => {
    const others = links.filter((l) => !l.permission.startsWith('kms:'));
    expect(others.length).toBeGreaterThan(0);
    for (const l of others) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual(['organization/parents.json']);
    }
  });
});
