/**
 * A link whose call is made but whose resource the input does not settle (here the key the
 * CodeBuild project encrypted its output with, when the project is not in the input: the
 * CloudFormation action role still reads the artifact, so it calls kms:Decrypt on some key) is
 * Unknown, unless the caller's own side denies the call on every resource: an unconditional
 * `Deny` with `Resource: "*"` in its identity policies, its permissions boundary or its SCPs
 * decides it whatever the resource is (an explicit deny wins: step 1 of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * A deny that depends on the resource or on the request, or that may not apply, does not.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { boundaryPolicyEntry, editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const ACTION_ROLE = 'arn:aws:iam::222222222222:role/demo-deploy-action';
const IAM = '222222222222/iam.json';
const GUARD_SCP = 'organization/scp/p-demoguard1.json';

interface Role {
  RoleName: string;
  RolePolicyList: { PolicyName: string; PolicyDocument: { Statement: Json[] } }[];
  PermissionsBoundary?: { PermissionsBoundaryType: string; PermissionsBoundaryArn: string };
}

/** The demo without its CodeBuild projects' file: the build output's key is not known. */
function demoLinks(edit: (dir: string) => void = () => {}): ReportLink[] {
  return inScenarioCopy('fixtures/demo', (dir) => {
    rmSync(join(dir, '111111111111/us-east-1/codebuild.json'));
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
  });
}

/** The action role's kms:Decrypt of the build output, on the key no input names. */
function buildKeyLink(links: ReportLink[]): ReportLink {
  const found = links.filter(
    (l) =>
      l.principal === ACTION_ROLE &&
      l.permission === 'kms:Decrypt' &&
      l.resource === 'the key of CodeBuild project `demo-build`',
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

function addStatement(dir: string, statement: Json): void {
  editJson(join(dir, IAM), (doc) => {
    const role = (doc['RoleDetailList'] as Role[]).find(
      (r) => r.RoleName === 'demo-deploy-action',
    )!;
    role.RolePolicyList[0]!.PolicyDocument.Statement.push(statement);
  });
}

const DENY_KMS = { Sid: 'NoKms', Effect: 'Deny', Action: 'kms:*', Resource: '*' };

/** The workloads OU's only SCP becomes `statements`, FullAWSAccess detached from the OU. */
const allowList =
  (statements: Json[]) =>
  (dir: string): void => {
    editJson(join(dir, 'organization/scp/p-FullAWSAccess.json'), (doc) => {
      doc['Targets'] = (doc['Targets'] as Json[]).filter(
        (t) => t['TargetId'] !== 'ou-demo-workloads',
      );
    });
    editJson(join(dir, GUARD_SCP), (doc) => {
      (doc['Policy'] as Json)['Content'] = JSON.stringify({
        Version: '2012-10-17',
        Statement: statements,
      });
    });
  };
const NO_KMS = {
  Sid: 'Listed',
  Effect: 'Allow',
  Action: ['s3:*', 'cloudformation:*', 'iam:PassRole', 'sts:AssumeRole'],
  Resource: '*',
};

describe('a link whose resource the input does not settle', () => {
  it('is Unknown when nothing of the caller denies every resource', () => {
    const link = buildKeyLink(demoLinks());
    expect(link.decision).toBe('Unknown');
    expect(link.why).toContain('the key CodeBuild encrypted `BuildOutput` with is not known');
    expect(link.missing).toEqual(['111111111111/us-east-1/codebuild.json']);
  });

  it("is explicitly denied by an unconditional deny of every resource in the caller's policy", () => {
    const link = buildKeyLink(demoLinks((dir) => addStatement(dir, DENY_KMS)));
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy).toEqual([
      {
        explicit: true,
        location: {
          file: IAM,
          pointer: '/RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement/6',
        },
        policy: `${ACTION_ROLE} (inline: demo-deploy-action-policy)`,
        policyType: 'identity',
        statement: 'NoKms',
      },
    ]);
    expect(link.why).toBe(
      `identity policy \`${ACTION_ROLE} (inline: demo-deploy-action-policy)\` statement \`NoKms\` explicitly denies \`${ACTION_ROLE}\` kms:Decrypt on every resource, with no condition, so on the key of CodeBuild project \`demo-build\` too, which the input does not settle (the key CodeBuild encrypted \`BuildOutput\` with is not known)`,
    );
    expect(link.fix).toBe(
      `narrow the deny in identity policy \`${ACTION_ROLE} (inline: demo-deploy-action-policy)\` so it does not cover kms:Decrypt for \`${ACTION_ROLE}\``,
    );
    expect(link.missing).toBeUndefined();
  });

  it('counts a NotAction deny that covers the call', () => {
    const link = buildKeyLink(
      demoLinks((dir) =>
        addStatement(dir, {
          Effect: 'Deny',
          NotAction: ['s3:*', 'cloudformation:*'],
          Resource: '*',
        }),
      ),
    );
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy.map((r) => r.statement)).toEqual([7]);
  });

  it('stays Unknown when the deny has a condition, names resources, or is of another action', () => {
    const variants: Json[] = [
      // the condition holds for this call (us-east-1), but a deny with one is not read here
      { ...DENY_KMS, Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
      { ...DENY_KMS, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { ...DENY_KMS, Resource: 'arn:aws:kms:*' },
      { ...DENY_KMS, Resource: ['arn:aws:kms:us-east-1:111111111111:key/*'] },
      { Sid: 'NotRes', Effect: 'Deny', Action: 'kms:*', NotResource: 'arn:aws:kms:*:*:key/x' },
      { ...DENY_KMS, Action: 'kms:Encrypt' },
      { ...DENY_KMS, Effect: 'Allow' },
    ];
    for (const statement of variants) {
      const link = buildKeyLink(demoLinks((dir) => addStatement(dir, statement)));
      expect(link.decision, JSON.stringify(statement)).toBe('Unknown');
    }
  });

  it('stays Unknown when the Sid that denies also names a statement with a condition', () => {
    const link = buildKeyLink(
      demoLinks((dir) => {
        addStatement(dir, DENY_KMS);
        addStatement(dir, { ...DENY_KMS, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      }),
    );
    expect(link.decision).toBe('Unknown');
  });

  it('stays Unknown when the call itself may not be made', () => {
    // without the topic's file, whether the topic is encrypted (and so whether publishing to it
    // calls KMS at all) is not known: a deny of every KMS call does not decide it
    const links = inScenarioCopy('fixtures/scenarios/manual-approval-topic-key', (dir) => {
      rmSync(join(dir, '111111111111/us-east-1/sns/orders-api-approvals.json'));
      editJson(join(dir, '111111111111/iam.json'), (doc) => {
        const role = (doc['RoleDetailList'] as Role[]).find(
          (r) => r.RoleName === 'orders-api-pipeline-role',
        )!;
        role.RolePolicyList[0]!.PolicyDocument.Statement.push(DENY_KMS);
      });
      return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    });
    const topicKey = links.filter((l) => l.requirement === 'manual.notification-topic-key');
    expect(topicKey.length).toBeGreaterThan(0);
    for (const l of topicKey) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('its encryption decides the key');
    }
  });

  it('is decided by a deny that lists `*` among other resources', () => {
    const link = buildKeyLink(
      demoLinks((dir) =>
        addStatement(dir, { ...DENY_KMS, Resource: ['arn:aws:kms:us-east-1:1:key/x', '*'] }),
      ),
    );
    expect(link.decision).toBe('ExplicitlyDenied');
  });

  it('is explicitly denied by an SCP that applies to the account, not by one that may not', () => {
    const scpDeny = (dir: string): void =>
      editJson(join(dir, GUARD_SCP), (doc) => {
        (doc['Policy'] as Json)['Content'] = JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }],
        });
      });
    const link = buildKeyLink(demoLinks(scpDeny));
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'scp', statement: 'NoDecrypt', explicit: true }),
    ]);
    expect(link.deniedBy[0]!.location?.file).toBe(GUARD_SCP);
    // without describe-organization.json the account may be the management account, which SCPs
    // do not restrict: the deny may not apply
    const unsure = buildKeyLink(
      demoLinks((dir) => {
        scpDeny(dir);
        rmSync(join(dir, 'organization/describe-organization.json'));
      }),
    );
    expect(unsure.decision).toBe('Unknown');
  });

  describe('an SCP allow-list', () => {
    it('without the action at a level denies it whatever the resource', () => {
      const all = demoLinks(allowList([NO_KMS]));
      const link = buildKeyLink(all);
      expect(link.decision).toBe('ImplicitlyDenied');
      expect(link.deniedBy).toEqual([
        expect.objectContaining({ policyType: 'scp', explicit: false }),
      ]);
      expect(link.why).toContain(
        'SCP `p-demoguard1 (deny-leave-org)` has no statement allowing kms:Decrypt, for any resource, so on the key of',
      );
      expect(link.fix).toBe('allow `kms:Decrypt` in SCP `p-demoguard1 (deny-leave-org)`');
      // as a KMS link on a key the input gives is (the pipeline role's, in the same OU)
      const known = all.find(
        (l) =>
          l.principal === 'arn:aws:iam::111111111111:role/service-role/demo-pipeline-role' &&
          l.permission === 'kms:GenerateDataKey',
      );
      expect(known?.resource).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\//);
      expect(known?.decision).toBe('ImplicitlyDenied');
      expect(known?.deniedBy.map((r) => r.policyType)).toEqual(['scp']);
      // a deny of the caller's own that does not decide it (a condition) does not hide the level
      const conditional = buildKeyLink(
        demoLinks((dir) => {
          allowList([NO_KMS])(dir);
          addStatement(dir, {
            ...DENY_KMS,
            Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
          });
        }),
      );
      expect(conditional.decision).toBe('ImplicitlyDenied');
      expect(conditional.deniedBy.map((r) => r.policyType)).toEqual(['scp']);
      // a NotAction allow that leaves KMS out is the same
      const notAction = buildKeyLink(
        demoLinks(allowList([{ Effect: 'Allow', NotAction: 'kms:*', Resource: '*' }])),
      );
      expect(notAction.decision).toBe('ImplicitlyDenied');
      // the caller's own policies missing do not matter: they cannot supply the allow the
      // level lacks
      const noRole = buildKeyLink(
        demoLinks((dir) => {
          allowList([NO_KMS])(dir);
          rmSync(join(dir, IAM));
        }),
      );
      expect(noRole.decision).toBe('ImplicitlyDenied');
    });

    it('with an allow of the action that may apply stays Unknown', () => {
      const variants: Json[] = [
        // conditions and resources may hold for the real key
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { Bool: { 'aws:ViaAWSService': 'true' } },
        },
        { Effect: 'Allow', Action: 'kms:*', Resource: 'arn:aws:kms:*:111111111111:key/*' },
        { Effect: 'Allow', Action: 'kms:De*', Resource: 'arn:aws:kms:*' },
        // a NotAction allow that covers KMS, on some keys
        { Effect: 'Allow', NotAction: 's3:*', Resource: 'arn:aws:kms:*:111111111111:key/*' },
        // a statement skipped as invalid may have allowed it
        { Effect: 'Alow', Action: 'kms:Decrypt', Resource: '*' },
      ];
      for (const statement of variants) {
        const link = buildKeyLink(demoLinks(allowList([NO_KMS, statement])));
        expect(link.decision, JSON.stringify(statement)).toBe('Unknown');
      }
    });

    it('that may not apply, or with SCPs whose targets are not known, stays Unknown', () => {
      const noDescribe = buildKeyLink(
        demoLinks((dir) => {
          allowList([NO_KMS])(dir);
          rmSync(join(dir, 'organization/describe-organization.json'));
        }),
      );
      expect(noDescribe.decision).toBe('Unknown');
      // an SCP with no Targets may be attached anywhere, and allow it there
      const unplaced = buildKeyLink(
        demoLinks((dir) => {
          allowList([NO_KMS])(dir);
          editJson(join(dir, 'organization/scp/p-FullAWSAccess.json'), (doc) => {
            delete doc['Targets'];
          });
        }),
      );
      expect(unplaced.decision).toBe('Unknown');
    });
  });

  it("is explicitly denied by the caller's permissions boundary", () => {
    const boundaryArn = 'arn:aws:iam::222222222222:policy/no-kms-boundary';
    const link = buildKeyLink(
      demoLinks((dir) =>
        editJson(join(dir, IAM), (doc) => {
          (doc['Policies'] as Json[]).push(
            boundaryPolicyEntry(boundaryArn, {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: '*', Resource: '*' },
                { Sid: 'NoKms', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' },
              ],
            }),
          );
          const role = (doc['RoleDetailList'] as Role[]).find(
            (r) => r.RoleName === 'demo-deploy-action',
          )!;
          role.PermissionsBoundary = {
            PermissionsBoundaryType: 'Policy',
            PermissionsBoundaryArn: boundaryArn,
          };
        }),
      ),
    );
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'permissionBoundary', statement: 'NoKms' }),
    ]);
  });
});

describe('a link with input missing, denied by an SCP level that allows its action nowhere', () => {
  const KEY = 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
  const KEY_FILE = '111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json';

  /** The demo's links on the store key, with the key's file (its key policy) removed. */
  function keyLinks(edit: (dir: string) => void = () => {}): ReportLink[] {
    return inScenarioCopy('fixtures/demo', (dir) => {
      rmSync(join(dir, KEY_FILE));
      edit(dir);
      return analyzeModel(loadSnapshot(dir))
        .pipelines.flatMap((p) => p.links)
        .filter((l) => l.resource === KEY);
    });
  }

  it('is Unknown while the level allows it (the key policy is missing)', () => {
    const links = keyLinks();
    expect(links.length).toBeGreaterThan(2);
    for (const l of links) expect(l.decision, l.id).toBe('Unknown');
  });

  it('is implicitly denied by the level, naming only it', () => {
    const links = keyLinks(allowList([NO_KMS]));
    expect(links.length).toBeGreaterThan(2);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.deniedBy, l.id).toEqual([
        expect.objectContaining({ policyType: 'scp', explicit: false }),
      ]);
      expect(l.why, l.id).toContain(
        `SCP \`p-demoguard1 (deny-leave-org)\` has no statement allowing ${l.permission}, on any resource and under any condition, which nothing missing from the input (\`${KEY_FILE}\`) can change`,
      );
      expect(l.fix, l.id).toBe(
        `allow \`${l.permission}\` in SCP \`p-demoguard1 (deny-leave-org)\``,
      );
    }
  });

  it('stays Unknown when the level may allow it, or an organization file is missing', () => {
    const mayAllow = keyLinks(
      allowList([NO_KMS, { Effect: 'Allow', Action: 'kms:*', Resource: 'arn:aws:kms:*:*:key/x' }]),
    );
    for (const l of mayAllow) expect(l.decision, l.id).toBe('Unknown');
    const noAccounts = keyLinks((dir) => {
      allowList([NO_KMS])(dir);
      rmSync(join(dir, 'organization/describe-organization.json'));
    });
    for (const l of noAccounts) expect(l.decision, l.id).toBe('Unknown');
    // FullAWSAccess without its targets may be attached at the level, and allow it there
    const unplaced = keyLinks((dir) => {
      allowList([NO_KMS])(dir);
      editJson(join(dir, 'organization/scp/p-FullAWSAccess.json'), (doc) => {
        delete doc['Targets'];
      });
    });
    for (const l of unplaced) expect(l.decision, l.id).toBe('Unknown');
  });
});
