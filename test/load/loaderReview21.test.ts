/**
 * A helper review of the snapshot loader against ../shared/snapshot-format.md (session 21):
 * each case was reproduced first as a wrong answer (a wrong Allowed, a wrong denial, a silent
 * wrong shape, a hang or a crash) and each test fails without its fix.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Model } from '../../src/model/types.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const PASS = 'fixtures/scenarios/pass-cross-account';
const SCP_DENY = 'fixtures/scenarios/scp-deny-assume-role';
const T = '111111111111';
const PIPELINE = `${T}/us-east-1/codepipeline/orders-api.json`;
const CODEBUILD = `${T}/us-east-1/codebuild.json`;
const EVENTS = `${T}/us-east-1/events.json`;

interface Analyzed {
  readonly model: Model;
  readonly links: readonly ReportLink[];
  readonly problems: readonly string[];
}

/** Analyze a copy of `scenario` after `edit`; problems as `severity file#pointer id`. */
function analyzeCopy(scenario: string, edit: (dir: string) => void): Analyzed {
  return inScenarioCopy(scenario, (dir) => {
    edit(dir);
    const model = loadSnapshot(dir);
    return {
      model,
      links: analyzeModel(model).pipelines.flatMap((p) => p.links),
      problems: model.problems.map((p) => `${p.severity} ${p.file ?? ''}#${p.pointer} ${p.id}`),
    };
  });
}

const decisions = (links: readonly ReportLink[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const l of links) out[l.decision] = (out[l.decision] ?? 0) + 1;
  return out;
};

/** Replace the first `"key": ` of the file's text with the key written twice (first `before`). */
function writeKeyTwice(file: string, key: string, before: string): void {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(`"${key}": `);
  expect(at).toBeGreaterThan(0);
  writeFileSync(file, `${text.slice(0, at)}"${key}": ${before}, ${text.slice(at)}`);
}

describe('organization files', () => {
  it('"Accounts": null is an input error, not an organization of no account (the SCP deny was lost: wrong Allowed)', () => {
    const r = analyzeCopy(SCP_DENY, (dir) => {
      editJson(join(dir, 'organization/parents.json'), (p) => {
        delete p[T];
      });
      writeFileSync(join(dir, 'organization/accounts.json'), '{"Accounts": null}');
    });
    expect(r.problems).toContain(
      'error organization/accounts.json#/Accounts snapshot.shape.invalid',
    );
    const assume = r.links.filter(
      (l) => l.permission === 'sts:AssumeRole' && l.principal.includes(`:${T}:`) && l.action,
    );
    expect(assume.length).toBeGreaterThan(0);
    for (const l of assume) expect(l.decision, l.id).not.toBe('Allowed');
  });

  it('a directory where an organization file belongs is an input error (was read as absent in silence)', () => {
    for (const name of ['describe-organization.json', 'accounts.json', 'parents.json']) {
      const r = analyzeCopy(SCP_DENY, (dir) => {
        rmSync(join(dir, 'organization', name));
        mkdirSync(join(dir, 'organization', name));
      });
      expect(r.problems).toContain(`error organization/${name}# snapshot.file.unreadable`);
    }
    const r = analyzeCopy(SCP_DENY, (dir) => {
      rmSync(join(dir, 'organization/scp'), { recursive: true });
      writeFileSync(join(dir, 'organization/scp'), '{}');
    });
    expect(r.problems).toContain('error organization/scp# snapshot.file.unreadable');
  });

  it('describe-organization.json or parents.json with a member written twice is not read (the last copy exempted the account: wrong Allowed)', () => {
    const base = analyzeCopy(SCP_DENY, () => {}).links.find(
      (l) => l.decision === 'ExplicitlyDenied',
    )!;
    // the second copy makes the tools account the management account: no SCP would apply
    const mgmt = analyzeCopy(SCP_DENY, (dir) => {
      const f = join(dir, 'organization/describe-organization.json');
      const text = readFileSync(f, 'utf8');
      expect(text).toContain('"MasterAccountId": "999999999999"');
      writeFileSync(
        f,
        text.replace(
          '"MasterAccountId": "999999999999"',
          `"MasterAccountId": "999999999999", "MasterAccountId": "${T}"`,
        ),
      );
    });
    expect(mgmt.problems).toContain(
      'error organization/describe-organization.json#/Organization/MasterAccountId snapshot.json.duplicate-key',
    );
    expect(mgmt.links.find((l) => l.id === base.id)!.decision).toBe('Unknown');
    const parents = analyzeCopy(SCP_DENY, (dir) => {
      const f = join(dir, 'organization/parents.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace('{', `{ "${T}": "ou-exm1-other",`));
    });
    expect(parents.problems).toContain(
      `error organization/parents.json#/${T} snapshot.json.duplicate-key`,
    );
    // not read one way (the SCP that denies is attached to the account itself, so the link
    // stays denied whatever the chain)
    expect(parents.model.organization?.parents.size).toBe(0);
    expect(parents.links.find((l) => l.id === base.id)!.decision).toBe('ExplicitlyDenied');
  });

  it('a long parents.json chain loads in linear time; a loop is still reported once', () => {
    // a chain of 20,000 OUs took 33 s (every start walked the whole chain)
    const r = analyzeCopy(SCP_DENY, (dir) => {
      const parents: Record<string, string> = { [T]: 'ou-exm1-c0' };
      for (let i = 0; i < 20000; i++) parents[`ou-exm1-c${i}`] = `ou-exm1-c${i + 1}`;
      parents['ou-exm1-c20000'] = 'r-exm1';
      parents['ou-exm1-la'] = 'ou-exm1-lb';
      parents['ou-exm1-lb'] = 'ou-exm1-la';
      writeFileSync(join(dir, 'organization/parents.json'), JSON.stringify(parents));
    });
    expect(r.problems.filter((p) => p.endsWith('snapshot.organization.parents-cycle'))).toEqual([
      'error organization/parents.json#/ou-exm1-la snapshot.organization.parents-cycle',
    ]);
  });

  it('an SCP whose Targets is written twice is placed by neither copy (the last one decided the deny)', () => {
    const r = analyzeCopy(SCP_DENY, (dir) => {
      writeKeyTwice(join(dir, 'organization/scp/p-exmtools02.json'), 'Targets', '[]');
    });
    expect(r.problems).toContain(
      'error organization/scp/p-exmtools02.json#/Targets snapshot.json.duplicate-key',
    );
    const denied = analyzeCopy(SCP_DENY, () => {}).links.filter(
      (l) => l.decision === 'ExplicitlyDenied',
    );
    expect(denied.length).toBe(1);
    const now = r.links.find((l) => l.id === denied[0]!.id)!;
    expect(now.decision).toBe('Unknown');
    expect(now.missing).toEqual(['organization/scp/p-exmtools02.json']);
  });
});

describe('files that hold no policy document', () => {
  it('a pipeline file with a member written twice is not read, and the verdict no longer depends on which comes last', () => {
    const r = analyzeCopy(PASS, (dir) => {
      writeKeyTwice(join(dir, PIPELINE), 'roleArn', '"arn:aws:iam::111111111111:role/x"');
    });
    expect(r.problems).toContain(`error ${PIPELINE}#/pipeline/roleArn snapshot.json.duplicate-key`);
    expect(r.links).toEqual([]);
  });

  it('codebuild.json and events.json with a member written twice are not read: their links are Unknown', () => {
    const build = analyzeCopy(PASS, (dir) => {
      writeKeyTwice(join(dir, CODEBUILD), 'serviceRole', '"arn:aws:iam::111111111111:role/x"');
    });
    expect(build.problems).toContain(
      `error ${CODEBUILD}#/projects/0/serviceRole snapshot.json.duplicate-key`,
    );
    expect(build.model.accounts.get(T)!.regions.get('us-east-1')!.codebuild).toBeUndefined();
    const events = analyzeCopy(PASS, (dir) => {
      writeKeyTwice(join(dir, EVENTS), 'State', '"DISABLED"');
    });
    expect(events.model.accounts.get(T)!.regions.get('us-east-1')!.events).toBeUndefined();
    const trigger = events.links.filter((l) => l.requirement.startsWith('trigger.'));
    expect(trigger.length).toBeGreaterThan(0);
    for (const l of trigger) expect(l.decision, l.id).toBe('Unknown');
  });

  it('codebuild.json without `projects` (or null) is an input error, not a file of no project', () => {
    for (const text of ['{}', '{"projects": null}']) {
      const r = analyzeCopy(PASS, (dir) => writeFileSync(join(dir, CODEBUILD), text));
      expect(r.problems).toContain(`error ${CODEBUILD}#/projects snapshot.shape.invalid`);
      expect(r.model.accounts.get(T)!.regions.get('us-east-1')!.codebuild).toBeUndefined();
    }
  });

  it('a project without serviceRole is an input error, and its links name it', () => {
    const r = analyzeCopy(PASS, (dir) =>
      editJson(join(dir, CODEBUILD), (d) => {
        delete (d['projects'] as Json[])[0]!['serviceRole'];
      }),
    );
    expect(r.problems).toContain(`error ${CODEBUILD}#/projects/0 snapshot.shape.invalid`);
    const unknown = r.links.filter((l) => l.decision === 'Unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const l of unknown)
      expect(l.missing, l.id).toEqual([`${CODEBUILD}#/projects/0 (not readable)`]);
  });

  it('an EventBridge target that cannot be read in full leaves the targets of the rule unknown (a RoleArn of the wrong type was a denial)', () => {
    for (const bad of [{ RoleArn: 5 }, { Arn: 5 }]) {
      const r = analyzeCopy(PASS, (dir) =>
        editJson(join(dir, EVENTS), (d) => {
          const targets = d['Targets'] as Record<string, Json[]>;
          Object.assign(targets['orders-api-main-branch']![0]!, bad);
        }),
      );
      const trigger = r.links.filter((l) => l.requirement.startsWith('trigger.'));
      expect(trigger.length).toBeGreaterThan(0);
      for (const l of trigger) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toEqual([`${EVENTS}#/Targets/orders-api-main-branch`]);
      }
    }
  });
});

describe('events.json', () => {
  it('a rule that cannot be read (a Name that is not a string) may start the pipeline: its trigger links are Unknown naming it', () => {
    // (they said that no rule targets the pipeline, naming events.json)
    const r = analyzeCopy(PASS, (dir) =>
      editJson(join(dir, EVENTS), (d) => {
        (d['Rules'] as Json[])[0]!['Name'] = 5;
      }),
    );
    expect(r.problems).toContain(`error ${EVENTS}#/Rules/0/Name snapshot.shape.invalid`);
    const trigger = r.links.filter((l) => l.requirement.startsWith('trigger.'));
    expect(trigger.length).toBeGreaterThan(0);
    for (const l of trigger) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing?.join(), l.id).toContain(`${EVENTS}#/Rules/0 (not readable`);
    }
  });
});

describe('pipeline files', () => {
  it('a pipeline without roleArn: its Unknown links name where the role belongs (they named nothing)', () => {
    const r = analyzeCopy(PASS, (dir) =>
      editJson(join(dir, PIPELINE), (d) => {
        delete (d['pipeline'] as Json)['roleArn'];
      }),
    );
    expect(r.problems).toContain(`error ${PIPELINE}#/pipeline snapshot.shape.invalid`);
    const unknown = r.links.filter((l) => l.decision === 'Unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const l of unknown) expect(l.missing, l.id).toEqual([`${PIPELINE}#/pipeline/roleArn`]);
  });

  it('artifactStores empty, or given with artifactStore: an input error, and the store is not known', () => {
    const empty = analyzeCopy(PASS, (dir) =>
      editJson(join(dir, PIPELINE), (d) => {
        const p = d['pipeline'] as Json;
        delete p['artifactStore'];
        p['artifactStores'] = {};
      }),
    );
    expect(empty.problems).toContain(
      `error ${PIPELINE}#/pipeline/artifactStores snapshot.shape.invalid`,
    );
    const both = analyzeCopy(PASS, (dir) =>
      editJson(join(dir, PIPELINE), (d) => {
        const p = d['pipeline'] as Json;
        p['artifactStores'] = { 'us-east-1': p['artifactStore'] };
      }),
    );
    expect(both.problems).toContain(
      `error ${PIPELINE}#/pipeline/artifactStores snapshot.shape.invalid`,
    );
    // (was: every link allowed, on the store of artifactStores)
    expect(decisions(both.links)['Unknown']).toBeGreaterThan(0);
  });

  it('an unreadable artifactStore is named by its own key, not `artifactStores`', () => {
    const r = analyzeCopy(PASS, (dir) =>
      editJson(join(dir, PIPELINE), (d) => {
        ((d['pipeline'] as Json)['artifactStore'] as Json)['location'] = 5;
      }),
    );
    const unknown = r.links.filter((l) => l.decision === 'Unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const l of unknown) {
      expect(l.missing?.join(), l.id).toContain(`${PIPELINE}#/pipeline/artifactStore`);
      expect(l.missing?.join(), l.id).not.toContain('artifactStores');
    }
  });
});

describe('many input errors in one file', () => {
  it('80,000 bad elements: loaded quickly, and each Unknown link names ten of them and a count', () => {
    // the index of input errors searched the file's list for each problem (23 s), and every
    // Unknown link named all 80,000 pointers (the JSON report overflowed a string)
    const r = analyzeCopy(PASS, (dir) =>
      editJson(join(dir, CODEBUILD), (d) => {
        (d['projects'] as Json[])[0]!['secondarySources'] = Array.from({ length: 80000 }, () => 5);
      }),
    );
    const unknown = r.links.filter((l) => l.decision === 'Unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const l of unknown) {
      const named = l.missing!.join(', ').split(', ');
      expect(named.length, l.id).toBe(11);
      expect(named.at(-1), l.id).toBe(`${CODEBUILD} (79990 more input errors)`);
    }
  });
});

describe('wording', () => {
  it('a number too large to hold is said so, not "expected a number, got a number"', () => {
    const r = inScenarioCopy(PASS, (dir) => {
      const file = join(dir, PIPELINE);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"runOrder": 1', '"runOrder": 1e400'));
      return loadSnapshot(dir).problems.map((p) => p.message);
    });
    expect(r).toContain('expected a number, got a number too large to hold');
  });
});
