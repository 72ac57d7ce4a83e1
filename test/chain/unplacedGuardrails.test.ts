/**
 * An SCP whose targets are not all known (its list cut short, or unreadable) may be attached at
 * any level of the caller's chain, or at none. It is tried at each level and at all of them: a
 * link its statements cannot change is decided, one they can is Unknown naming the SCP's file.
 * The scp-deny-kms-other-account scenario's SCP denies kms:* on keys of other accounts to the
 * prod account; here its Targets list is cut short and does not name the prod account.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/scp-deny-kms-other-account';
const SCP = 'organization/scp/p-exmkms003.json';

function analyze(cut: boolean) {
  return inScenarioCopy(SCENARIO, (dir) => {
    if (cut) {
      const file = join(dir, SCP);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      doc['Targets'] = [
        {
          TargetId: '333333333333',
          Arn: 'arn:aws:organizations::999999999999:account/o-exmpl7a2b9c/333333333333',
          Name: 'other',
          Type: 'ACCOUNT',
        },
      ];
      doc['NextToken'] = 'eyJuZXh0IjoyfQ==';
      writeFileSync(file, JSON.stringify(doc));
    }
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
  });
}

describe('an SCP whose targets are not all known', () => {
  it('leaves Unknown only the links it could deny, naming its file', () => {
    const full = analyze(false);
    const denied = full.filter((l) => l.decision === 'ExplicitlyDenied').map((l) => l.id);
    expect(denied.length).toBeGreaterThan(0);
    const cut = analyze(true);
    const unknown = cut.filter((l) => l.decision === 'Unknown');
    // the links the SCP denies when attached are the ones left open
    expect(unknown.map((l) => l.id).sort()).toEqual([...denied].sort());
    for (const l of unknown) expect(l.missing).toEqual([SCP]);
    // every other link is decided as without the SCP
    const others = cut.filter((l) => !denied.includes(l.id));
    expect(others.every((l) => l.decision === 'Allowed')).toBe(true);
  });
});
