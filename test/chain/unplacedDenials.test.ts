/**
 * The denies of SCPs whose targets are not all known (they may be attached at any level of the
 * caller's chain, or at none), on links that are denied whatever they say. The
 * scp-deny-kms-other-account scenario's SCP `p-exmkms003` denies kms:* on keys of other
 * accounts; `p-exmguard01` denies only organizations:LeaveOrganization. Their Targets lists are
 * cut short here, so neither is known to apply to the deploy role's account.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import type { ReportLink } from '../../src/report/types.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/scp-deny-kms-other-account';
const KMS_SCP = 'organization/scp/p-exmkms003.json';
const GUARD_SCP = 'organization/scp/p-exmguard01.json';
const ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';
const DECRYPT = 'DeployProd/DeployStack:artifacts.input.kms-decrypt:kms:Decrypt';

function cutTargets(dir: string, file: string): void {
  editJson(join(dir, file), (doc) => {
    doc['Targets'] = [];
    doc['NextToken'] = 'eyJuZXh0IjoyfQ==';
  });
}

function deployRolePolicy(dir: string, edit: (statements: Json[]) => void): void {
  editJson(join(dir, '222222222222/iam.json'), (doc) => {
    const role = (doc['RoleDetailList'] as Json[])[0]!;
    const policy = (role['RolePolicyList'] as Json[])[0]!;
    edit((policy['PolicyDocument'] as Json)['Statement'] as Json[]);
  });
}

function analyze(edit: (dir: string) => void): readonly ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
  });
}

function link(links: readonly ReportLink[], id: string): ReportLink {
  const found = links.find((l) => l.id === id);
  expect(found, id).toBeDefined();
  return found!;
}

describe('an explicitly denied link and SCPs whose targets are not all known', () => {
  const denyDecrypt = (statements: Json[]): void => {
    statements.push({ Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
  };

  it("stays denied by its own deny, and names theirs with an 'if', their file settling it", () => {
    const l = link(
      analyze((dir) => {
        cutTargets(dir, KMS_SCP);
        deployRolePolicy(dir, denyDecrypt);
      }),
      DECRYPT,
    );
    expect(l.decision).toBe('ExplicitlyDenied');
    expect(l.deniedBy.map((r) => [r.policyType, r.statement, r.explicit])).toEqual([
      ['identity', 'NoDecrypt', true],
      ['scp', 'DenyForeignKeys', true],
    ]);
    expect(l.why).toMatch(/^identity policy `[^`]+` statement `NoDecrypt` explicitly denies /);
    expect(l.why).toContain(
      `; if the SCPs of \`${KMS_SCP}\` apply (not all their targets are known), SCP \`p-exmkms003 (deny-foreign-kms-keys)\` statement \`DenyForeignKeys\` explicitly denies \`${ROLE}\` kms:Decrypt`,
    );
    expect(l.fix).toMatch(/^narrow the deny in identity policy /);
    expect(l.fix).toContain(
      `; if the SCPs of \`${KMS_SCP}\` apply (not all their targets are known), also narrow the deny in SCP \`p-exmkms003 (deny-foreign-kms-keys)\``,
    );
    // only whether their deny applies is open, not the decision
    expect(l.missing).toEqual([KMS_SCP]);
  });

  it('names the missing allow behind its own deny before theirs', () => {
    const l = link(
      analyze((dir) => {
        cutTargets(dir, KMS_SCP);
        deployRolePolicy(dir, (statements) => {
          statements.splice(
            statements.findIndex((s) => s['Sid'] === 'ArtifactKey'),
            1,
          );
          denyDecrypt(statements);
        });
      }),
      DECRYPT,
    );
    expect(l.decision).toBe('ExplicitlyDenied');
    expect(l.deniedBy.map((r) => [r.policyType, r.statement, r.explicit])).toEqual([
      ['identity', 'NoDecrypt', true],
      ['identity', undefined, false],
      ['scp', 'DenyForeignKeys', true],
    ]);
    expect(l.why).toContain(
      `; without the deny, \`DeployProd/DeployStack\` (CloudFormation) fails: no identity policy of \`${ROLE}\` allows kms:Decrypt on it; if the SCPs of \`${KMS_SCP}\` apply`,
    );
    expect(l.fix).toMatch(/^narrow the deny in identity policy .*, and .*; if the SCPs of /);
    expect(l.missing).toEqual([KMS_SCP]);
  });

  it('names nothing of them when they do not deny it', () => {
    const l = link(
      analyze((dir) => {
        cutTargets(dir, GUARD_SCP);
        // the kms SCP is known to apply to another account only
        editJson(join(dir, KMS_SCP), (doc) => {
          doc['Targets'] = [
            {
              TargetId: '333333333333',
              Arn: 'arn:aws:organizations::999999999999:account/o-exmpl7a2b9c/333333333333',
              Name: 'other',
              Type: 'ACCOUNT',
            },
          ];
        });
        deployRolePolicy(dir, denyDecrypt);
      }),
      DECRYPT,
    );
    expect(l.decision).toBe('ExplicitlyDenied');
    expect(l.deniedBy.map((r) => r.policyType)).toEqual(['identity']);
    expect(l.why).not.toContain('if the SCPs');
    expect(l.missing ?? []).toEqual([]);
  });
});

describe("the 'if' of a denial by SCPs whose targets are not all known", () => {
  it('names only the files whose SCPs deny it', () => {
    const l = link(
      analyze((dir) => {
        cutTargets(dir, KMS_SCP);
        cutTargets(dir, GUARD_SCP);
        // no identity allow for the key: denied whatever the SCPs say
        deployRolePolicy(dir, (statements) => {
          const at = statements.findIndex((s) => s['Sid'] === 'ArtifactKey');
          statements.splice(at, 1);
        });
      }),
      DECRYPT,
    );
    expect(l.decision).toBe('ImplicitlyDenied');
    expect(l.deniedBy.map((r) => [r.policyType, r.explicit])).toEqual([
      ['identity', false],
      ['scp', true],
    ]);
    expect(l.why).toContain(
      `; if the SCPs of \`${KMS_SCP}\` apply (not all their targets are known), SCP \`p-exmkms003 (deny-foreign-kms-keys)\``,
    );
    expect(l.why).not.toContain(GUARD_SCP);
    expect(l.fix).not.toContain(GUARD_SCP);
    expect(l.missing).toEqual([KMS_SCP]);
  });
});
