/**
 * Which version of a managed policy in iam.json is in force (snapshotIam.ts readManagedPolicy),
 * one case per way `DefaultVersionId` and the `IsDefaultVersion` marks of `PolicyVersionList`
 * can agree or not: the problem it reports (every word of it) and what the model holds, the
 * document or why it is unknown and where.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ManagedPolicyModel } from '../../src/model/types.js';
import type { Problem } from '../../src/problems.js';

type Json = Record<string, unknown>;

const ACCOUNT = '222222222222';
const FILE = `${ACCOUNT}/iam.json`;
const ARN = `arn:aws:iam::${ACCOUNT}:policy/deploy-extra`;
const DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
};
const OTHER = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }],
};

/** A version entry; `undefined` leaves the key out. */
function version(id: string | undefined, isDefault: boolean | undefined, document: unknown): Json {
  return {
    ...(id !== undefined ? { VersionId: id } : {}),
    ...(isDefault !== undefined ? { IsDefaultVersion: isDefault } : {}),
    Document: document,
  };
}

function policy(defaultVersionId: string | undefined, versions: Json[]): Json {
  return {
    PolicyName: 'deploy-extra',
    Arn: ARN,
    Path: '/',
    ...(defaultVersionId !== undefined ? { DefaultVersionId: defaultVersionId } : {}),
    PolicyVersionList: versions,
  };
}

/** The snapshot of one iam.json that lists `entry` alone: the policy read, and the problems. */
function read(entry: Json): { policy: ManagedPolicyModel; problems: readonly Problem[] } {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-versions-'));
  try {
    mkdirSync(join(dir, ACCOUNT));
    writeFileSync(join(dir, FILE), JSON.stringify({ RoleDetailList: [], Policies: [entry] }));
    const model = loadSnapshot(dir);
    const p = model.accounts.get(ACCOUNT)!.iam!.policies.get(entry['Arn'] as string)!;
    return { policy: p, problems: model.problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the model says of the document: its statements' effects, or why it is unknown. */
function inForce(p: ManagedPolicyModel): unknown {
  return p.policy
    ? { effects: p.policy.statements.map((s) => s.effect) }
    : { unknown: p.documentUnknown };
}

describe('the default version of a managed policy', () => {
  it('is the version marked IsDefaultVersion that DefaultVersionId names', () => {
    const { policy: p, problems } = read(
      policy('v2', [version('v1', false, OTHER), version('v2', true, DOC)]),
    );
    expect(problems).toEqual([]);
    expect(inForce(p)).toEqual({ effects: ['Allow'] });
    expect(p).toMatchObject({
      arn: ARN,
      name: 'deploy-extra',
      path: '/',
      isAwsManaged: false,
      defaultVersionId: 'v2',
    });
    expect(p.documentUnknown).toBeUndefined();
  });

  it('is the version DefaultVersionId names in a hand-made file without IsDefaultVersion', () => {
    const { policy: p, problems } = read(
      policy('v2', [version('v1', undefined, OTHER), version('v2', undefined, DOC)]),
    );
    expect(problems).toEqual([]);
    expect(inForce(p)).toEqual({ effects: ['Allow'] });
  });

  it('takes its name from the ARN when PolicyName is absent, and the path `/`', () => {
    const entry = policy('v1', [version('v1', true, DOC)]);
    delete entry['PolicyName'];
    delete entry['Path'];
    entry['Arn'] = 'arn:aws:iam::aws:policy/service-role/ExampleManaged';
    const { policy: p, problems } = read(entry);
    expect(problems).toEqual([]);
    expect(p).toMatchObject({ name: 'ExampleManaged', path: '/', isAwsManaged: true });
  });

  it('whose document cannot be read is unknown, naming the version and its document', () => {
    const { policy: p, problems } = read(policy('v1', [version('v1', true, '{"Version":')]));
    expect(problems.map((x) => [x.pointer, x.severity])).toEqual([
      ['/Policies/0/PolicyVersionList/0/Document', 'error'],
    ]);
    expect(inForce(p)).toEqual({
      unknown: {
        why: 'the document of its default version v1 could not be read',
        location: { file: FILE, pointer: '/Policies/0/PolicyVersionList/0/Document' },
      },
    });
  });

  it('without a VersionId and whose document cannot be read is unknown, without a version', () => {
    const { policy: p } = read(policy(undefined, [version(undefined, true, '{"Version":')]));
    expect(inForce(p)).toEqual({
      unknown: {
        why: 'the document of its default version could not be read',
        location: { file: FILE, pointer: '/Policies/0/PolicyVersionList/0/Document' },
      },
    });
  });

  it('marked on two versions is unknown: each is a duplicate of the first', () => {
    const { policy: p, problems } = read(
      policy('v1', [
        version('v1', true, DOC),
        version('v2', true, OTHER),
        version('v3', true, DOC),
      ]),
    );
    // sorted by pointer: the first version is named with each other one
    const dup = (at: number, other: number): Problem => ({
      file: FILE,
      pointer: `/Policies/0/PolicyVersionList/${at}`,
      message: `the default version of \`${ARN}\` is defined more than once (also at \`${FILE}#/Policies/0/PolicyVersionList/${other}\`): no copy is used: what relies on it is unknown`,
      id: 'snapshot.duplicate',
      severity: 'error',
    });
    expect(problems).toEqual([dup(0, 1), dup(0, 2), dup(1, 0), dup(2, 0)]);
    expect(inForce(p)).toEqual({
      unknown: {
        why: '3 versions are marked as the default',
        location: { file: FILE, pointer: '/Policies/0/PolicyVersionList/0' },
      },
    });
  });

  it('marked on two versions still reports what is wrong in the first one’s document', () => {
    const { problems } = read(
      policy('v1', [version('v1', true, '{"Version":'), version('v2', true, DOC)]),
    );
    expect(problems.filter((x) => x.id !== 'snapshot.duplicate').map((x) => x.pointer)).toEqual([
      '/Policies/0/PolicyVersionList/0/Document',
    ]);
  });

  const conflict = 'snapshot.iam.default-version-conflict';
  const missing = 'snapshot.iam.default-version-missing';

  it('named by DefaultVersionId and marked on another, with documents that differ, is unknown', () => {
    const { policy: p, problems } = read(
      policy('v2', [version('v1', true, DOC), version('v2', false, OTHER)]),
    );
    expect(problems).toEqual([
      {
        file: FILE,
        pointer: '/Policies/0/DefaultVersionId',
        message: `\`DefaultVersionId\` of managed policy \`${ARN}\` names version \`v2\` (\`${FILE}#/Policies/0/PolicyVersionList/1\`), but \`PolicyVersionList\` marks version \`v1\` (\`${FILE}#/Policies/0/PolicyVersionList/0\`) as the default: their documents differ, so which is in force, and so its permissions, are unknown`,
        id: conflict,
        severity: 'warning',
      },
    ]);
    expect(inForce(p)).toEqual({
      unknown: {
        why: 'DefaultVersionId names version v2 but PolicyVersionList marks version v1 as the default',
        location: { file: FILE, pointer: '/Policies/0/DefaultVersionId' },
      },
    });
  });

  it('named by DefaultVersionId and marked on another without VersionId, same document: used', () => {
    const { policy: p, problems } = read(
      policy('v2', [version(undefined, true, DOC), version('v2', false, JSON.stringify(DOC))]),
    );
    expect(problems).toEqual([
      {
        file: FILE,
        pointer: '/Policies/0/DefaultVersionId',
        message: `\`DefaultVersionId\` of managed policy \`${ARN}\` names version \`v2\` (\`${FILE}#/Policies/0/PolicyVersionList/1\`), but \`PolicyVersionList\` marks version \`?\` (\`${FILE}#/Policies/0/PolicyVersionList/0\`) as the default: both have the same document, which is used`,
        id: conflict,
        severity: 'warning',
      },
    ]);
    expect(inForce(p)).toEqual({ effects: ['Allow'] });
    expect(p.documentUnknown).toBeUndefined();
  });

  it('named by DefaultVersionId and marked on another, same document that does not compile: unknown, naming it', () => {
    const bare = { Version: '2012-10-17' };
    const { policy: p, problems } = read(
      policy('v2', [version('v1', true, bare), version('v2', false, bare)]),
    );
    expect(problems.map((x) => [x.pointer, x.id])).toEqual([
      ['/Policies/0/DefaultVersionId', conflict],
      ['/Policies/0/PolicyVersionList/1/Document', 'policy.statement.missing'],
    ]);
    // the document used does not compile: that is why, and where (not `it is not known`)
    expect(inForce(p)).toEqual({
      unknown: {
        why: 'the document of its default version v2 could not be read',
        location: { file: FILE, pointer: '/Policies/0/PolicyVersionList/1/Document' },
      },
    });
  });

  it('named by DefaultVersionId, not in the list, while another is marked: unknown', () => {
    const { policy: p, problems } = read(policy('v3', [version('v1', true, DOC)]));
    expect(problems).toEqual([
      {
        file: FILE,
        pointer: '/Policies/0/DefaultVersionId',
        message: `\`DefaultVersionId\` of managed policy \`${ARN}\` names version \`v3\` (\`${FILE}#/Policies/0/DefaultVersionId\`), which is not in \`PolicyVersionList\`, but \`PolicyVersionList\` marks version \`v1\` (\`${FILE}#/Policies/0/PolicyVersionList/0\`) as the default: the named version's document is absent, so which is in force, and so its permissions, are unknown`,
        id: conflict,
        severity: 'warning',
      },
    ]);
    expect(inForce(p)).toEqual({
      unknown: {
        why: 'DefaultVersionId names version v3, which is not in PolicyVersionList, but PolicyVersionList marks version v1 as the default',
        location: { file: FILE, pointer: '/Policies/0/DefaultVersionId' },
      },
    });
  });

  it('named by DefaultVersionId, not in the list, none marked: unknown', () => {
    const { policy: p, problems } = read(policy('v3', [version('v1', false, DOC)]));
    expect(problems).toEqual([
      {
        file: FILE,
        pointer: '/Policies/0/DefaultVersionId',
        message: `the default version \`v3\` of managed policy \`${ARN}\` is not in \`PolicyVersionList\`: its document, and so its permissions, are unknown`,
        id: missing,
        severity: 'warning',
      },
    ]);
    expect(inForce(p)).toEqual({
      unknown: {
        why: 'default version v3 is not in PolicyVersionList',
        location: { file: FILE, pointer: '/Policies/0/DefaultVersionId' },
      },
    });
  });

  it('named by DefaultVersionId but marked as not the default: unknown', () => {
    const { policy: p, problems } = read(
      policy('v2', [version('v1', false, OTHER), version('v2', false, DOC)]),
    );
    expect(problems).toEqual([
      {
        file: FILE,
        pointer: '/Policies/0/PolicyVersionList/1/IsDefaultVersion',
        message: `\`DefaultVersionId\` of managed policy \`${ARN}\` names version \`v2\`, but \`PolicyVersionList\` marks it as not the default: which document is in force, and so its permissions, are unknown`,
        id: missing,
        severity: 'warning',
      },
    ]);
    expect(inForce(p)).toEqual({
      unknown: {
        why: 'DefaultVersionId names version v2, which PolicyVersionList marks as not the default',
        location: { file: FILE, pointer: '/Policies/0/PolicyVersionList/1/IsDefaultVersion' },
      },
    });
  });

  it('neither named nor marked: unknown, at the policy', () => {
    for (const versions of [[], [version('v1', false, DOC)]]) {
      const { policy: p, problems } = read(policy(undefined, versions));
      expect(problems).toEqual([
        {
          file: FILE,
          pointer: '/Policies/0',
          message: `managed policy \`${ARN}\` has no \`DefaultVersionId\` and no version in \`PolicyVersionList\` marked \`IsDefaultVersion\`: its document, and so its permissions, are unknown`,
          id: missing,
          severity: 'warning',
        },
      ]);
      expect(inForce(p)).toEqual({
        unknown: {
          why: 'no DefaultVersionId and no version in PolicyVersionList marked IsDefaultVersion',
          location: { file: FILE, pointer: '/Policies/0' },
        },
      });
    }
  });
});
