import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate, loadStacks } from '../../../src/load/stacks.js';
import type { InstanceRolesModel, Model } from '../../../src/model/types.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/codedeploy/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };
const WEB = 'arn:aws:iam::111111111111:role/web-instance';
const WORKER = 'arn:aws:iam::111111111111:role/worker-instance';
const OBJECT = 'arn:aws:s3:::web-artifacts-111111111111/web/App/*';

function load(parameters: Record<string, string> = {}): Model {
  return loadSingleTemplate(TEMPLATE, { ...ENV, parameters }).model;
}

/** The links of the CodeDeploy instance entries, by id. */
function instanceLinks(parameters: Record<string, string> = {}): Map<string, ReportLink> {
  const links = analyzeModel(load(parameters)).pipelines[0]!.links;
  return new Map(
    links.filter((l) => l.requirement.startsWith('codedeploy.instance-')).map((l) => [l.id, l]),
  );
}

const getObject = (role: string): string =>
  `Deploy/Deploy:codedeploy.instance-get-object:s3:GetObject:${OBJECT}:${role}`;
const decrypt = (role: string): string =>
  `Deploy/Deploy:codedeploy.instance-kms-decrypt:kms:Decrypt:${role}`;

describe('CodeDeploy deploy actions check the role of every instance of the deployment group', () => {
  it('models the group with the roles of its two Auto Scaling groups', () => {
    const region = load().accounts.get('111111111111')!.regions.get('us-east-1')!;
    expect(region.deploymentGroups.get('web/web-fleet')).toMatchObject({
      application: 'web',
      name: 'web-fleet',
      computePlatform: 'Server',
      deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
      serviceRoleArn: 'arn:aws:iam::111111111111:role/web-codedeploy',
      // web: launch template -> instance profile by ARN; worker: launch configuration -> by name
      instanceRoles: { roleArns: [WEB, WORKER], unresolved: [] },
    });
  });

  it('gives one link per instance role, each allowed (instance-get-object and instance-kms-decrypt pass)', () => {
    const links = instanceLinks();
    for (const role of [WEB, WORKER]) {
      expect(links.get(getObject(role))).toMatchObject({
        decision: 'Allowed',
        principal: role,
        permission: 's3:GetObject',
        resource: OBJECT,
        level: 'required',
      });
      expect(links.get(decrypt(role))).toMatchObject({
        decision: 'Allowed',
        principal: role,
        permission: 'kms:Decrypt',
        level: 'required',
      });
    }
    expect([...links.values()].filter((l) => l.decision !== 'Allowed')).toEqual([]);
    // the rest of the CodeDeploy action is known too: the group comes from the template
    const all = analyzeModel(load()).pipelines[0]!.links;
    expect(all.filter((l) => l.decision !== 'Allowed').map((l) => l.id)).toEqual([]);
  });

  it('finds the instance role that may not download the revision (instance-get-object fails)', () => {
    const links = instanceLinks({ WebCanRead: 'false' });
    const denied = links.get(getObject(WEB))!;
    expect(denied.decision).toBe('ImplicitlyDenied');
    expect(denied.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'identity', policy: `${WEB} revisions` }),
    ]);
    expect(links.get(getObject(WORKER))!.decision).toBe('Allowed');
    expect(links.get(decrypt(WEB))!.decision).toBe('Allowed');
  });

  it('finds the instance role that may not decrypt the revision (instance-kms-decrypt fails)', () => {
    const links = instanceLinks({ WebCanDecrypt: 'false' });
    const denied = links.get(decrypt(WEB))!;
    expect(denied.decision).toBe('ImplicitlyDenied');
    expect(denied.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'identity', policy: `${WEB} revisions` }),
    ]);
    expect(links.get(decrypt(WORKER))!.decision).toBe('Allowed');
    expect(links.get(getObject(WEB))!.decision).toBe('Allowed');
  });

  it('with an EC2 tag filter, checks the tagged instance of the template and leaves the rest Unknown', () => {
    const links = instanceLinks({ Targets: 'tags' });
    expect(links.get(getObject(WEB))!.decision).toBe('Allowed');
    expect(links.has(getObject(WORKER))).toBe(false);
    const rest = links.get(`Deploy/Deploy:codedeploy.instance-get-object:s3:GetObject:${OBJECT}`)!;
    expect(rest.decision).toBe('Unknown');
    expect(rest.principal).toBe("the CodeDeploy instances' role (not known)");
    expect(rest.why).toContain(
      'EC2 instances tagged `app=web`: instances launched outside the templates may carry these tags',
    );
    // and it names no denial it cannot know
    expect(rest.deniedBy).toEqual([]);
    // a denied tagged instance is still reported as denied
    const denied = instanceLinks({ Targets: 'tags', WebCanRead: 'false' });
    expect(denied.get(getObject(WEB))!.decision).toBe('ImplicitlyDenied');
  });
});

// ---------------------------------------------------------------------------------------------
// The rule for what counts as resolved (src/load/templateDeploymentGroups.ts), on small templates

const ROLE = (name: string): Record<string, unknown> => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: name,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    },
  },
});
const PROFILE = (role: string, name?: string): Record<string, unknown> => ({
  Type: 'AWS::IAM::InstanceProfile',
  Properties: { ...(name ? { InstanceProfileName: name } : {}), Roles: [{ Ref: role }] },
});
const LAUNCH_TEMPLATE = (profile: string, name = 'lt'): Record<string, unknown> => ({
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: {
    LaunchTemplateName: name,
    LaunchTemplateData: { IamInstanceProfile: { Name: { Ref: profile } } },
  },
});
const ASG = (
  launchTemplate: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  Type: 'AWS::AutoScaling::AutoScalingGroup',
  Properties: {
    MinSize: '1',
    MaxSize: '1',
    LaunchTemplate: {
      LaunchTemplateId: { Ref: launchTemplate },
      Version: { 'Fn::GetAtt': [launchTemplate, 'LatestVersionNumber'] },
    },
    ...extra,
  },
});

/** The instance roles of deployment group `app/group` defined with `group` beside `resources`. */
function rolesOf(
  group: Record<string, unknown>,
  resources: Record<string, unknown>,
  more: readonly { name: string; resources: Record<string, unknown> }[] = [],
): InstanceRolesModel | undefined {
  const template = (r: Record<string, unknown>): string => JSON.stringify({ Resources: r });
  const { model } = loadStacks(
    [
      {
        file: 'group.json',
        text: template({
          ...resources,
          Group: {
            Type: 'AWS::CodeDeploy::DeploymentGroup',
            Properties: {
              ApplicationName: 'app',
              DeploymentGroupName: 'group',
              ServiceRoleArn: 'arn:aws:iam::111111111111:role/cd',
              ...group,
            },
          },
        }),
        name: 'main',
        ...ENV,
        parameters: new Map(),
      },
      ...more.map((m) => ({
        file: `${m.name}.json`,
        text: template(m.resources),
        name: m.name,
        ...ENV,
        parameters: new Map(),
      })),
    ],
    'stacks',
  );
  return model.accounts
    .get('111111111111')!
    .regions.get('us-east-1')!
    .deploymentGroups.get('app/group')?.instanceRoles;
}

const role = (name: string): string => `arn:aws:iam::111111111111:role/${name}`;

describe('which targets of a deployment group the templates resolve', () => {
  const base = { Role: ROLE('r1'), Profile: PROFILE('Role'), LT: LAUNCH_TEMPLATE('Profile') };

  it('a launch template named by its name, or by no id or name', () => {
    const byName = {
      LaunchTemplate: { LaunchTemplateName: 'lt', Version: '$Latest' },
    };
    expect(
      rolesOf({ AutoScalingGroups: [{ Ref: 'Asg' }] }, { ...base, Asg: ASG('LT', byName) }),
    ).toEqual({ roleArns: [role('r1')], unresolved: [] });
    const neither = { LaunchTemplate: { Version: '$Latest' } };
    const r = rolesOf(
      { AutoScalingGroups: [{ Ref: 'Asg' }] },
      { ...base, Asg: ASG('LT', neither) },
    );
    expect(r?.roleArns).toEqual([]);
    expect(r?.unresolved).toEqual([
      expect.stringContaining('names no `LaunchTemplateId` or `LaunchTemplateName`'),
    ]);
  });

  it('an Auto Scaling group of the templates, at the latest launch template version: complete', () => {
    expect(rolesOf({ AutoScalingGroups: [{ Ref: 'Asg' }] }, { ...base, Asg: ASG('LT') })).toEqual({
      roleArns: [role('r1')],
      unresolved: [],
    });
  });

  it('an Auto Scaling group named by a literal the templates do not define: unresolved', () => {
    expect(rolesOf({ AutoScalingGroups: ['legacy-fleet'] }, base)).toEqual({
      roleArns: [],
      unresolved: ['Auto Scaling group `legacy-fleet` is not defined in the templates'],
    });
  });

  it('an Auto Scaling group of another stack, named by its literal name: resolved', () => {
    expect(
      rolesOf({ AutoScalingGroups: ['shared-fleet'] }, {}, [
        {
          name: 'fleet',
          resources: {
            ...base,
            Asg: ASG('LT', { AutoScalingGroupName: 'shared-fleet' }),
          },
        },
      ]),
    ).toEqual({ roleArns: [role('r1')], unresolved: [] });
  });

  it('a launch template at its default version or a literal version: unresolved', () => {
    for (const version of [{ 'Fn::GetAtt': ['LT', 'DefaultVersionNumber'] }, '1']) {
      const asg = ASG('LT');
      (asg['Properties'] as { LaunchTemplate: { Version: unknown } }).LaunchTemplate.Version =
        version;
      const roles = rolesOf({ AutoScalingGroups: [{ Ref: 'Asg' }] }, { ...base, Asg: asg });
      expect(roles?.roleArns).toEqual([]);
      expect(roles?.unresolved).toHaveLength(1);
      expect(roles?.unresolved[0]).toMatch(
        /launches launch template `lt` at .*, which may be older than the templates define/,
      );
    }
  });

  it('a launch template id the templates do not define, and one with no instance profile: unresolved', () => {
    const external = ASG('LT');
    (external['Properties'] as { LaunchTemplate: unknown }).LaunchTemplate = {
      LaunchTemplateId: 'lt-0123456789abcdef0',
      Version: '3',
    };
    expect(
      rolesOf({ AutoScalingGroups: [{ Ref: 'Asg' }] }, { ...base, Asg: external })?.unresolved,
    ).toEqual(['launch template `lt-0123456789abcdef0` is not defined in the templates']);
    const bare = {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: { LaunchTemplateName: 'bare', LaunchTemplateData: { ImageId: 'ami-1' } },
    };
    expect(
      rolesOf({ AutoScalingGroups: [{ Ref: 'Asg' }] }, { Bare: bare, Asg: ASG('Bare') }),
    ).toEqual({
      roleArns: [],
      unresolved: [
        'the instances of launch template `bare` have no instance profile, so the CodeDeploy agent has no role to download the revision with',
      ],
    });
  });

  it('an instance profile or a role the templates do not define: unresolved', () => {
    const lc = (profile: string): Record<string, unknown> => ({
      Type: 'AWS::AutoScaling::LaunchConfiguration',
      Properties: { LaunchConfigurationName: 'lc', IamInstanceProfile: profile },
    });
    const asg = {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: { MinSize: '1', MaxSize: '1', LaunchConfigurationName: { Ref: 'LC' } },
    };
    expect(
      rolesOf({ AutoScalingGroups: [{ Ref: 'Asg' }] }, { LC: lc('outside'), Asg: asg })?.unresolved,
    ).toEqual([
      'instance profile `outside` of launch configuration `lc` is not defined in the templates',
    ]);
    const profile = {
      Type: 'AWS::IAM::InstanceProfile',
      Properties: { InstanceProfileName: 'p', Roles: ['made-elsewhere'] },
    };
    expect(
      rolesOf({ AutoScalingGroups: [{ Ref: 'Asg' }] }, { P: profile, LC: lc('p'), Asg: asg })
        ?.unresolved,
    ).toEqual(['role `made-elsewhere` of instance profile `p` is not defined in the templates']);
  });

  it('EC2 tag filters: the matching template instances are checked, the filter stays unresolved', () => {
    const instance = (tags: Record<string, string>): Record<string, unknown> => ({
      Type: 'AWS::EC2::Instance',
      Properties: {
        IamInstanceProfile: { Ref: 'Profile' },
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      },
    });
    const resources = {
      Role: ROLE('r1'),
      Profile: PROFILE('Role'),
      Role2: ROLE('r2'),
      Profile2: PROFILE('Role2'),
      Matching: instance({ app: 'web', env: 'prod' }),
      Other: { ...instance({ app: 'web', env: 'test' }) },
    };
    (resources.Other['Properties'] as Record<string, unknown>)['IamInstanceProfile'] = {
      Ref: 'Profile2',
    };
    // Ec2TagSet: an instance must match a filter of every group
    const set = {
      Ec2TagSet: {
        Ec2TagSetList: [
          { Ec2TagGroup: [{ Key: 'app', Value: 'web', Type: 'KEY_AND_VALUE' }] },
          {
            Ec2TagGroup: [
              { Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' },
              { Value: 'staging', Type: 'VALUE_ONLY' },
            ],
          },
        ],
      },
    };
    expect(rolesOf(set, resources)).toEqual({
      roleArns: [role('r1')],
      unresolved: [
        'EC2 instances tagged `app=web`, and `env=prod` or with value `staging`: instances launched outside the templates may carry these tags',
      ],
    });
    // Ec2TagFilters: any filter
    expect(
      rolesOf({ Ec2TagFilters: [{ Key: 'app', Type: 'KEY_ONLY' }] }, resources)?.roleArns,
    ).toEqual([role('r1'), role('r2')]);
  });

  it('a tag filter the templates cannot resolve selects nothing and stays unresolved', () => {
    const instance = {
      Type: 'AWS::EC2::Instance',
      Properties: { IamInstanceProfile: { Ref: 'Profile' }, Tags: [{ Key: 'app', Value: 'web' }] },
    };
    expect(
      rolesOf(
        { Ec2TagFilters: [{ Key: 'app', Value: { Ref: 'NoSuchParameter' } }] },
        { ...base, Tagged: instance },
      ),
    ).toEqual({
      roleArns: [],
      unresolved: [
        'the `Ec2TagFilters` of the deployment group (`Ref` to `NoSuchParameter`, which is neither a parameter nor a resource)',
      ],
    });
  });

  it('a tag filter matches the instances of a template Auto Scaling group by its propagated tags', () => {
    const tagged = ASG('LT', {
      Tags: [
        { Key: 'app', Value: 'web', PropagateAtLaunch: 'true' },
        { Key: 'team', Value: 'a', PropagateAtLaunch: false },
      ],
    });
    const roles = (filter: Record<string, string>): readonly string[] | undefined =>
      rolesOf({ Ec2TagFilters: [filter] }, { ...base, Asg: tagged })?.roleArns;
    expect(roles({ Key: 'app', Value: 'web', Type: 'KEY_AND_VALUE' })).toEqual([role('r1')]);
    expect(roles({ Key: 'team', Type: 'KEY_ONLY' })).toEqual([]);
  });

  it('on-premises instances and discovered blue/green instances: unresolved', () => {
    expect(
      rolesOf(
        { OnPremisesInstanceTagFilters: [{ Key: 'dc', Value: 'x', Type: 'KEY_AND_VALUE' }] },
        {},
      ),
    ).toEqual({
      roleArns: [],
      unresolved: [
        'on-premises instances: they authenticate as an IAM user or session the templates do not name',
      ],
    });
    expect(
      rolesOf(
        {
          AutoScalingGroups: [{ Ref: 'Asg' }],
          DeploymentStyle: {
            DeploymentType: 'BLUE_GREEN',
            DeploymentOption: 'WITH_TRAFFIC_CONTROL',
          },
          BlueGreenDeploymentConfiguration: {
            GreenFleetProvisionOption: { Action: 'DISCOVER_EXISTING' },
          },
        },
        { ...base, Asg: ASG('LT') },
      ),
    ).toEqual({
      roleArns: [role('r1')],
      unresolved: [
        'the replacement instances of a blue/green deployment that discovers existing instances',
      ],
    });
  });

  it('a group with no EC2 target has no instance role to check', () => {
    expect(rolesOf({}, {})).toEqual({ roleArns: [], unresolved: [] });
  });
});
