/**
 * A template CodeBuild project's `ServiceRole` given as a role name, laid over a snapshot that
 * holds the role at a path: a role name is unique in its account whatever its path
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names),
 * so the project runs as the snapshot's role, path included, and its links are decided.
 */
import { describe, expect, it } from 'vitest';
import { demoWithRoles, overDemo } from './demoOverlay.js';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate, loadStacks } from '../../../src/load/stacks.js';
import { deployedNames } from '../../../src/load/templateMerge.js';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { findCodeBuildProject } from '../../../src/model/queries.js';
import type { Model } from '../../../src/model/types.js';

const ACCOUNT = '111111111111';
const PATHED = `arn:aws:iam::${ACCOUNT}:role/service-role/demo-build-role`;
const BARE = `arn:aws:iam::${ACCOUNT}:role/demo-build-role`;

const TEMPLATE = {
  Resources: {
    Build: {
      Type: 'AWS::CodeBuild::Project',
      Properties: {
        Name: 'demo-build',
        ServiceRole: 'demo-build-role',
        Source: { Type: 'CODEPIPELINE', BuildSpec: 'buildspec.yml' },
        Artifacts: { Type: 'CODEPIPELINE' },
        Environment: {
          Type: 'LINUX_CONTAINER',
          Image: 'aws/codebuild/standard:7.0',
          ComputeType: 'BUILD_GENERAL1_SMALL',
        },
        EncryptionKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10`,
      },
    },
  },
};

/** The demo snapshot (its build role is at `/service-role/`), plus `extra` roles, and the template. */
function folder(extra: readonly Record<string, unknown>[] = []): {
  dir: string;
  template: string;
} {
  return demoWithRoles('service-role-name-', 'demo-build-role', extra, TEMPLATE);
}

const overSnapshot = overDemo;

function buildLinks(model: Model): { id: string; principal: string; decision: string }[] {
  const p = analyzeModel(model).pipelines.find((x) => x.name === 'demo-app')!;
  return p.links.filter((l) => l.principal.includes('demo-build-role'));
}

describe('a CodeBuild ServiceRole given by name, laid over a snapshot', () => {
  it("is the snapshot's role of that name with its path: its links are decided", () => {
    const { dir, template } = folder();
    const model = overSnapshot(dir, template);
    const built = findCodeBuildProject(model, ACCOUNT, 'us-east-1', 'demo-build');
    expect(built.kind === 'found' && built.value.serviceRole).toBe(PATHED);
    const links = buildLinks(model);
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.principal === PATHED)).toBe(true);
    expect(links.filter((l) => l.decision === 'Unknown')).toEqual([]);
    // the same as the snapshot alone says for the same role
    const alone = analyzeModel(loadSnapshot(dir)).pipelines.find((x) => x.name === 'demo-app')!;
    const snapshotLinks = alone.links.filter((l) => l.principal === PATHED);
    expect(links.map((l) => [l.id, l.decision])).toEqual(
      snapshotLinks.map((l) => [l.id, l.decision]),
    );
  });

  it('without a snapshot: `role/<name>`, as before', () => {
    const { template } = folder();
    const { model } = loadSingleTemplate(template, {
      account: ACCOUNT,
      region: 'us-east-1',
      stackName: 'demo-stack',
      managedPolicies: noManagedPolicies,
    });
    const built = findCodeBuildProject(model, ACCOUNT, 'us-east-1', 'demo-build');
    expect(built.kind === 'found' && built.value.serviceRole).toBe(BARE);
  });

  it('two roles of the name in different cases: neither is taken, the links are Unknown', () => {
    const { dir, template } = folder([
      {
        RoleName: 'Demo-Build-Role',
        Path: '/other/',
        RoleId: 'AROAOTHERCASEROLE1',
        Arn: `arn:aws:iam::${ACCOUNT}:role/other/Demo-Build-Role`,
      },
    ]);
    const model = overSnapshot(dir, template);
    const links = buildLinks(model);
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.decision === 'Unknown')).toBe(true);
  });
});

describe('deployedNames roleArn', () => {
  it('takes the exact name only, and nothing from a truncated or absent iam.json', () => {
    const { dir } = folder();
    const snap = loadSnapshot(dir);
    const d = deployedNames(snap);
    expect(d.roleArn?.(ACCOUNT, 'demo-build-role')).toBe(PATHED);
    expect(d.roleArn?.(ACCOUNT, 'DEMO-BUILD-ROLE')).toBeUndefined();
    expect(d.roleArn?.(ACCOUNT, 'nope')).toBeUndefined();
    expect(d.roleArn?.('999999999999', 'demo-build-role')).toBeUndefined();
    const a = snap.accounts.get(ACCOUNT)!;
    const truncated: Model = {
      ...snap,
      accounts: new Map([[ACCOUNT, { ...a, iam: { ...a.iam!, truncated: true } }]]),
    };
    expect(deployedNames(truncated).roleArn?.(ACCOUNT, 'demo-build-role')).toBeUndefined();
    // two roles of the name in different cases (a model the loader would not build)
    const other = { ...[...a.iam!.roles.values()].find((r) => r.name === 'demo-build-role')! };
    const twice: Model = {
      ...snap,
      accounts: new Map([
        [
          ACCOUNT,
          {
            ...a,
            iam: {
              ...a.iam!,
              roles: new Map([
                ...a.iam!.roles,
                ['x', { ...other, name: 'Demo-Build-Role', arn: 'x' }],
              ]),
            },
          },
        ],
      ]),
    };
    expect(deployedNames(twice).roleArn?.(ACCOUNT, 'demo-build-role')).toBeUndefined();
  });
});

describe("an instance profile's role given by name, laid over a snapshot", () => {
  const ENV = { account: ACCOUNT, region: 'us-east-1' };
  const stubbed = (
    deployed: Record<string, string>,
  ): NonNullable<Parameters<typeof loadStacks>[2]>['deployed'] => ({
    names: () => undefined,
    roleArn: (account, name) => (account === ACCOUNT ? deployed[name] : undefined),
  });
  function instanceRoles(
    deployed?: NonNullable<Parameters<typeof loadStacks>[2]>['deployed'],
  ): unknown {
    const resources = {
      P: {
        Type: 'AWS::IAM::InstanceProfile',
        Properties: { InstanceProfileName: 'p', Roles: ['made-elsewhere'] },
      },
      LC: {
        Type: 'AWS::AutoScaling::LaunchConfiguration',
        Properties: { LaunchConfigurationName: 'lc', IamInstanceProfile: 'p' },
      },
      Asg: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: { MinSize: '1', MaxSize: '1', LaunchConfigurationName: { Ref: 'LC' } },
      },
      Group: {
        Type: 'AWS::CodeDeploy::DeploymentGroup',
        Properties: {
          ApplicationName: 'app',
          DeploymentGroupName: 'group',
          ServiceRoleArn: `arn:aws:iam::${ACCOUNT}:role/cd`,
          AutoScalingGroups: [{ Ref: 'Asg' }],
        },
      },
    };
    const { model } = loadStacks(
      [
        {
          file: 'group.json',
          text: JSON.stringify({ Resources: resources }),
          name: 'main',
          ...ENV,
          parameters: new Map(),
        },
      ],
      'stacks',
      { managedPolicies: noManagedPolicies, ...(deployed ? { deployed } : {}) },
    );
    return model.accounts.get(ACCOUNT)!.regions.get('us-east-1')!.deploymentGroups.get('app/group')
      ?.instanceRoles;
  }

  it("is the snapshot's role of that name, with its path", () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/fleet/made-elsewhere`;
    expect(instanceRoles(stubbed({ 'made-elsewhere': arn }))).toEqual({
      roleArns: [arn],
      unresolved: [],
    });
  });

  it('a name neither the templates nor the snapshot settle: unresolved, saying where it looked', () => {
    expect(instanceRoles(stubbed({}))).toEqual({
      roleArns: [],
      unresolved: [
        'role `made-elsewhere` of instance profile `p` is not defined in the templates or the snapshot',
      ],
    });
    expect(instanceRoles()).toEqual({
      roleArns: [],
      unresolved: ['role `made-elsewhere` of instance profile `p` is not defined in the templates'],
    });
  });
});
