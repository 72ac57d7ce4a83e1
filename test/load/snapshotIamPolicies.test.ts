/**
 * What iam.json says about managed policies it does not hold in full: an AWS-managed policy
 * another account's iam.json lists is read from there (a warning says where, and its permissions
 * are not called unknown), one listed nowhere is unknown; one problem per policy names every
 * principal that uses it; a `DefaultVersionId` whose version is not in `PolicyVersionList` is
 * reported as that version's document missing, not the policy, and what depends on it stays
 * Unknown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { findManagedPolicy } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { Problem } from '../../src/problems.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy } from '../chain/scenarioCopy.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PASS = 'fixtures/scenarios/pass-cross-account';
const TOOLS_IAM = '111111111111/iam.json';
const PROD_IAM = '222222222222/iam.json';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';
const CFN_ROLE = 'arn:aws:iam::222222222222:role/orders-api-cfn-exec';
const MANAGED = 'arn:aws:iam::aws:policy/ExampleDenyGetObject';

function edit(dir: string, file: string, change: (d: Json) => void): void {
  editJson(join(dir, file), (d) => change(d as Json));
}

/** The scenario's model after `change` edits a copy of it (the copy is removed once loaded). */
function load(change: (dir: string) => void): Model {
  return inScenarioCopy(PASS, (dir) => {
    change(dir);
    return loadSnapshot(dir);
  });
}

/** A managed policy entry as get-account-authorization-details writes it. */
function managed(arn: string, statement: Json, defaultVersionId = 'v1', versions = ['v1']): Json {
  return {
    PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
    Arn: arn,
    Path: '/',
    DefaultVersionId: defaultVersionId,
    PolicyVersionList: versions.map((v) => ({
      VersionId: v,
      IsDefaultVersion: v === defaultVersionId,
      Document: { Version: '2012-10-17', Statement: [statement] },
    })),
  };
}

const DENY_GET_OBJECT = { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' };

function attach(doc: Json, roleIndex: number, arn: string): void {
  const role = doc['RoleDetailList'][roleIndex];
  role.AttachedManagedPolicies = [
    ...(role.AttachedManagedPolicies ?? []),
    { PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn },
  ];
}

const iamProblems = (m: Model): Problem[] =>
  m.problems.filter((p) => p.id.startsWith('snapshot.iam.'));
const deployLinks = (m: Model): readonly ReportLink[] =>
  analyzeModel(m).pipelines[0]!.links.filter(
    (l) => l.principal === DEPLOY_ROLE && l.permission === 's3:GetObject',
  );

describe('an AWS-managed policy attached in one account and listed in another', () => {
  it('reads its document from the other account, with a warning that says where, not that it is unknown', () => {
    const model = load((dir) => {
      edit(dir, TOOLS_IAM, (d) => {
        d['Policies'].push(managed(MANAGED, DENY_GET_OBJECT));
      });
      edit(dir, PROD_IAM, (d) => attach(d, 0, MANAGED));
    });
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/RoleDetailList/0',
        message: `managed policy \`${MANAGED}\` is attached to \`${DEPLOY_ROLE}\` but not in \`Policies\`: the document of this AWS-managed policy is read from \`${TOOLS_IAM}#/Policies/0\`, where another account lists it`,
        id: 'snapshot.iam.managed-policy-borrowed',
        severity: 'warning',
      },
    ]);
    // the borrowed deny decides the link: the document is known
    const links = deployLinks(model);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('ExplicitlyDenied');
      expect(l.missing ?? []).toEqual([]);
    }
  });

  it('still says its permissions are unknown when no account lists it', () => {
    const model = load((dir) => edit(dir, PROD_IAM, (d) => attach(d, 0, MANAGED)));
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/RoleDetailList/0',
        message: `managed policy \`${MANAGED}\` is attached to \`${DEPLOY_ROLE}\` but not in \`Policies\`: its permissions are unknown`,
        id: 'snapshot.iam.managed-policy-missing',
        severity: 'warning',
      },
    ]);
    for (const l of deployLinks(model)) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([MANAGED]);
    }
  });

  it('says its permissions are unknown when the account that lists it has no known document', () => {
    const model = load((dir) => {
      edit(dir, TOOLS_IAM, (d) => {
        d['Policies'].push(managed(MANAGED, DENY_GET_OBJECT, 'v2', ['v1']));
      });
      edit(dir, PROD_IAM, (d) => attach(d, 0, MANAGED));
    });
    expect(iamProblems(model).map((p) => [p.file, p.pointer, p.id, p.message])).toEqual([
      [
        TOOLS_IAM,
        '/Policies/0/DefaultVersionId',
        'snapshot.iam.default-version-missing',
        `the default version \`v2\` of managed policy \`${MANAGED}\` is not in \`PolicyVersionList\`: its document, and so its permissions, are unknown`,
      ],
      [
        PROD_IAM,
        '/RoleDetailList/0',
        'snapshot.iam.managed-policy-missing',
        `managed policy \`${MANAGED}\` is attached to \`${DEPLOY_ROLE}\` but not in \`Policies\`, and its copy at \`${TOOLS_IAM}#/Policies/0\` has no known document: its permissions are unknown`,
      ],
    ]);
    for (const l of deployLinks(model)) expect(l.decision).toBe('Unknown');
  });
});

describe('an AWS-managed policy several other accounts list', () => {
  const THIRD = '333333333333';
  const THIRD_IAM = `${THIRD}/iam.json`;
  /** a third account whose iam.json lists `policies` only */
  const third = (dir: string, policies: Json[]): void => {
    mkdirSync(join(dir, THIRD));
    writeFileSync(
      join(dir, THIRD_IAM),
      JSON.stringify({
        RoleDetailList: [],
        UserDetailList: [],
        GroupDetailList: [],
        Policies: policies,
      }),
    );
  };

  it('reads the first readable copy, not the first account’s unreadable one, and says so', () => {
    const model = load((dir) => {
      // the first account (by id) lists it without its default version's document
      edit(dir, TOOLS_IAM, (d) =>
        d['Policies'].push(managed(MANAGED, DENY_GET_OBJECT, 'v2', ['v1'])),
      );
      edit(dir, PROD_IAM, (d) => attach(d, 0, MANAGED));
      third(dir, [managed(MANAGED, DENY_GET_OBJECT)]);
    });
    expect(iamProblems(model).map((p) => [p.file, p.pointer, p.id, p.message])).toEqual([
      [
        TOOLS_IAM,
        '/Policies/0/DefaultVersionId',
        'snapshot.iam.default-version-missing',
        `the default version \`v2\` of managed policy \`${MANAGED}\` is not in \`PolicyVersionList\`: its document, and so its permissions, are unknown`,
      ],
      [
        PROD_IAM,
        '/RoleDetailList/0',
        'snapshot.iam.managed-policy-borrowed',
        `managed policy \`${MANAGED}\` is attached to \`${DEPLOY_ROLE}\` but not in \`Policies\`: the document of this AWS-managed policy is read from \`${THIRD_IAM}#/Policies/0\`, where another account lists it`,
      ],
    ]);
    const copy = findManagedPolicy(model, MANAGED, '222222222222');
    expect(copy.kind === 'found' && copy.value.location).toEqual({
      file: THIRD_IAM,
      pointer: '/Policies/0',
    });
    const links = deployLinks(model);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('ExplicitlyDenied');
      expect(l.missing ?? []).toEqual([]);
    }
  });

  it('skips a copy with an input error (listed twice) as well', () => {
    const model = load((dir) => {
      edit(dir, TOOLS_IAM, (d) => {
        d['Policies'].push(managed(MANAGED, DENY_GET_OBJECT), managed(MANAGED, DENY_GET_OBJECT));
      });
      edit(dir, PROD_IAM, (d) => attach(d, 0, MANAGED));
      third(dir, [managed(MANAGED, DENY_GET_OBJECT)]);
    });
    expect(
      iamProblems(model).find((p) => p.id === 'snapshot.iam.managed-policy-borrowed')?.message,
    ).toContain(`read from \`${THIRD_IAM}#/Policies/0\``);
    for (const l of deployLinks(model)) expect(l.decision).toBe('ExplicitlyDenied');
  });

  it('stays unknown, naming what is missing, when no copy is readable', () => {
    const model = load((dir) => {
      edit(dir, TOOLS_IAM, (d) =>
        d['Policies'].push(managed(MANAGED, DENY_GET_OBJECT, 'v2', ['v1'])),
      );
      edit(dir, PROD_IAM, (d) => attach(d, 0, MANAGED));
      third(dir, [managed(MANAGED, DENY_GET_OBJECT, 'v3', ['v1'])]);
    });
    expect(iamProblems(model).find((p) => p.file === PROD_IAM)?.message).toBe(
      `managed policy \`${MANAGED}\` is attached to \`${DEPLOY_ROLE}\` but not in \`Policies\`, and its copy at \`${TOOLS_IAM}#/Policies/0\` has no known document: its permissions are unknown`,
    );
    for (const l of deployLinks(model)) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([
        `the document of ${MANAGED} (default version v2 is not in PolicyVersionList, ${TOOLS_IAM}#/Policies/0/DefaultVersionId)`,
      ]);
    }
  });

  it('never reads a customer-managed policy from another account', () => {
    const LOCAL = 'arn:aws:iam::222222222222:policy/deploy-extra';
    const model = load((dir) => {
      // another account's file lists a policy of that very ARN, with a readable document
      edit(dir, TOOLS_IAM, (d) => d['Policies'].push(managed(LOCAL, DENY_GET_OBJECT)));
      edit(dir, PROD_IAM, (d) => attach(d, 0, LOCAL));
      third(dir, [managed(LOCAL, DENY_GET_OBJECT)]);
    });
    expect(iamProblems(model).map((p) => [p.file, p.id, p.message])).toEqual([
      [
        PROD_IAM,
        'snapshot.iam.managed-policy-missing',
        `managed policy \`${LOCAL}\` is attached to \`${DEPLOY_ROLE}\` but not in \`Policies\`: its permissions are unknown`,
      ],
    ]);
    expect(findManagedPolicy(model, LOCAL, '222222222222').kind).toBe('missing');
    for (const l of deployLinks(model)) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([LOCAL]);
    }
  });
});

describe('a managed policy whose DefaultVersionId and IsDefaultVersion name two versions', () => {
  const LOCAL = 'arn:aws:iam::222222222222:policy/deploy-extra';
  const ALLOW_GET_OBJECT = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  /** `DefaultVersionId` names v2, while v1 is the version marked `IsDefaultVersion` */
  const contradictory = (v1: unknown, v2: unknown): Json => ({
    PolicyName: 'deploy-extra',
    Arn: LOCAL,
    Path: '/',
    DefaultVersionId: 'v2',
    PolicyVersionList: [
      { VersionId: 'v1', IsDefaultVersion: true, Document: v1 },
      { VersionId: 'v2', IsDefaultVersion: false, Document: v2 },
    ],
  });
  const doc = (statement: Json): Json => ({ Version: '2012-10-17', Statement: [statement] });
  const both = `\`DefaultVersionId\` of managed policy \`${LOCAL}\` names version \`v2\` (\`${PROD_IAM}#/Policies/0/PolicyVersionList/1\`), but \`PolicyVersionList\` marks version \`v1\` (\`${PROD_IAM}#/Policies/0/PolicyVersionList/0\`) as the default`;

  it('warns, naming both versions, and leaves what depends on it Unknown when their documents differ', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        d['Policies'].push(contradictory(doc(DENY_GET_OBJECT), doc(ALLOW_GET_OBJECT)));
        attach(d, 0, LOCAL);
      }),
    );
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/Policies/0/DefaultVersionId',
        message: `${both}: their documents differ, so which is in force, and so its permissions, are unknown`,
        id: 'snapshot.iam.default-version-conflict',
        severity: 'warning',
      },
    ]);
    const links = deployLinks(model);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([
        `the document of ${LOCAL} (DefaultVersionId names version v2 but PolicyVersionList marks version v1 as the default, ${PROD_IAM}#/Policies/0/DefaultVersionId)`,
      ]);
    }
  });

  it('warns and uses the document when both versions hold the same one (in any encoding)', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        const same = doc(DENY_GET_OBJECT);
        d['Policies'].push(contradictory(same, encodeURIComponent(JSON.stringify(same))));
        attach(d, 0, LOCAL);
      }),
    );
    expect(iamProblems(model).map((p) => [p.pointer, p.id, p.message])).toEqual([
      [
        '/Policies/0/DefaultVersionId',
        'snapshot.iam.default-version-conflict',
        `${both}: both have the same document, which is used`,
      ],
    ]);
    const links = deployLinks(model);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.decision).toBe('ExplicitlyDenied');
  });

  it('two versions nested too deep to compare are not taken for the same, and loading does not crash', () => {
    // 100,000 levels: a recursive comparison overflowed the stack (RangeError out of loadSnapshot)
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        d['Policies'].push(contradictory(deep, deep));
        attach(d, 0, LOCAL);
      }),
    );
    const conflict = iamProblems(model).find(
      (p) => p.id === 'snapshot.iam.default-version-conflict',
    );
    expect(conflict?.message).toContain('their documents differ');
    expect(model.accounts.get('222222222222')!.iam!.policies.get(LOCAL)!.policy).toBeUndefined();
  });

  it('warns, naming both, and leaves what depends on it Unknown when the named version is not in the list', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        // `DefaultVersionId` names v3, which the list does not hold; v1 is marked the default
        d['Policies'].push({
          ...contradictory(doc(DENY_GET_OBJECT), doc(ALLOW_GET_OBJECT)),
          DefaultVersionId: 'v3',
        });
        attach(d, 0, LOCAL);
      }),
    );
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/Policies/0/DefaultVersionId',
        message: `\`DefaultVersionId\` of managed policy \`${LOCAL}\` names version \`v3\` (\`${PROD_IAM}#/Policies/0/DefaultVersionId\`), which is not in \`PolicyVersionList\`, but \`PolicyVersionList\` marks version \`v1\` (\`${PROD_IAM}#/Policies/0/PolicyVersionList/0\`) as the default: the named version's document is absent, so which is in force, and so its permissions, are unknown`,
        id: 'snapshot.iam.default-version-conflict',
        severity: 'warning',
      },
    ]);
    expect(model.accounts.get('222222222222')!.iam!.policies.get(LOCAL)).toMatchObject({
      defaultVersionId: 'v3',
      policy: undefined,
    });
    // the marked v1 denies s3:GetObject: were it used, the links would be ExplicitlyDenied
    const links = deployLinks(model);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([
        `the document of ${LOCAL} (DefaultVersionId names version v3, which is not in PolicyVersionList, but PolicyVersionList marks version v1 as the default, ${PROD_IAM}#/Policies/0/DefaultVersionId)`,
      ]);
    }
  });
});

describe('a managed policy that several principals use but iam.json does not list', () => {
  const LOCAL = 'arn:aws:iam::222222222222:policy/gone';

  it('is one warning naming every principal, sorted', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        attach(d, 0, LOCAL);
        attach(d, 1, LOCAL);
        d['RoleDetailList'][1].PermissionsBoundary = {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: LOCAL,
        };
      }),
    );
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/RoleDetailList/0',
        message: `managed policy \`${LOCAL}\` is attached to \`${CFN_ROLE}\`, \`${CFN_ROLE}\` (as its permissions boundary) and \`${DEPLOY_ROLE}\` but not in \`Policies\`: its permissions are unknown`,
        id: 'snapshot.iam.managed-policy-missing',
        severity: 'warning',
      },
    ]);
  });

  it('names the first five principals and how many more', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        const template = d['RoleDetailList'][0];
        for (const n of [7, 3, 5, 1, 6, 2, 4]) {
          d['RoleDetailList'].push({
            ...template,
            RoleName: `role-${n}`,
            RoleId: `AROAEXAMPLEROLE000${n}`,
            Arn: `arn:aws:iam::222222222222:role/role-${n}`,
            AttachedManagedPolicies: [{ PolicyName: 'gone', PolicyArn: LOCAL }],
          });
        }
      }),
    );
    const role = (n: number): string => `\`arn:aws:iam::222222222222:role/role-${n}\``;
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/RoleDetailList/2',
        message: `managed policy \`${LOCAL}\` is attached to ${[1, 2, 3, 4, 5].map(role).join(', ')} and 2 more but not in \`Policies\`: its permissions are unknown`,
        id: 'snapshot.iam.managed-policy-missing',
        severity: 'warning',
      },
    ]);
  });
});

describe('a managed policy whose default version is not in its PolicyVersionList', () => {
  const LOCAL = 'arn:aws:iam::222222222222:policy/deploy-extra';
  const ALLOW_ALL = { Effect: 'Allow', Action: '*', Resource: '*' };

  it('reports the default version document missing, naming the version and the policy, and leaves the links Unknown', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        d['Policies'].push(managed(LOCAL, ALLOW_ALL, 'v3', ['v1', 'v2']));
        attach(d, 0, LOCAL);
      }),
    );
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/Policies/0/DefaultVersionId',
        message: `the default version \`v3\` of managed policy \`${LOCAL}\` is not in \`PolicyVersionList\`: its document, and so its permissions, are unknown`,
        id: 'snapshot.iam.default-version-missing',
        severity: 'warning',
      },
    ]);
    // the policy is listed: no warning that it is not in `Policies`
    expect(model.accounts.get('222222222222')!.iam!.policies.get(LOCAL)).toMatchObject({
      defaultVersionId: 'v3',
      policy: undefined,
    });
    const links = analyzeModel(model).pipelines[0]!.links.filter(
      (l) => l.principal === DEPLOY_ROLE,
    );
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      if (l.decision === 'ExplicitlyDenied') continue;
      expect(l.decision).toBe('Unknown');
      // what is missing is the document, not the policy: which version, and where
      const what = `the document of ${LOCAL} (default version v3 is not in PolicyVersionList, ${PROD_IAM}#/Policies/0/DefaultVersionId)`;
      expect(l.missing).toContain(what);
      expect(l.missing).not.toContain(LOCAL);
      expect(l.why).toContain(`missing from the input: \`${what}\``);
    }
  });

  it('names the document, once, when the policy is a permissions boundary', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        d['Policies'].push(managed(LOCAL, ALLOW_ALL, 'v3', ['v1', 'v2']));
        d['RoleDetailList'][0].PermissionsBoundary = {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: LOCAL,
        };
      }),
    );
    const links = deployLinks(model);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([
        `the document of ${LOCAL} (default version v3 is not in PolicyVersionList, ${PROD_IAM}#/Policies/0/DefaultVersionId)`,
      ]);
    }
  });

  it('says so when DefaultVersionId names a version the list marks as not the default', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        const p = managed(LOCAL, ALLOW_ALL, 'v2', ['v1', 'v2']);
        p['PolicyVersionList'][1].IsDefaultVersion = false;
        d['Policies'].push(p);
      }),
    );
    expect(iamProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/Policies/0/PolicyVersionList/1/IsDefaultVersion',
        message: `\`DefaultVersionId\` of managed policy \`${LOCAL}\` names version \`v2\`, but \`PolicyVersionList\` marks it as not the default: which document is in force, and so its permissions, are unknown`,
        id: 'snapshot.iam.default-version-missing',
        severity: 'warning',
      },
    ]);
  });
});
