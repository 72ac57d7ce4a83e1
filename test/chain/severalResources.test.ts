/**
 * Calls the Service Authorization Reference authorizes on more than one resource: each resource
 * is a link of its own, so a grant that covers only one of them is a denial.
 * - ec2:CreateNetworkInterface: the network interface, the subnet and the security groups
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html);
 * - elasticbeanstalk:CreateApplicationVersion: the application and the application version
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticbeanstalk.html).
 * Edits of the all-providers scenario: `platform-web` builds in a VPC (two subnets, one security
 * group), `platform-legacy` deploys to Elastic Beanstalk.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const EC2 = 'arn:aws:ec2:us-east-1:111111111111';
const EB = 'arn:aws:elasticbeanstalk:us-east-1:111111111111';

type Statement = Record<string, unknown> & { Action: string | string[] };

/** Edit the statements of a role's inline policy, analyze `pipeline`, keep `permission` links. */
function links(
  role: string,
  edit: (statements: Statement[]) => void,
  pipeline: string,
  permission: string,
): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-resources-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const file = join(dir, '111111111111/iam.json');
  const iam = JSON.parse(readFileSync(file, 'utf8')) as {
    RoleDetailList: Record<string, unknown>[];
  };
  const r = iam.RoleDetailList.find((x) => x['RoleName'] === role)!;
  const policies = r['RolePolicyList'] as { PolicyDocument: { Statement: Statement[] } }[];
  edit(policies[0]!.PolicyDocument.Statement);
  writeFileSync(file, JSON.stringify(iam, null, 2));
  return analyzeModel(loadSnapshot(dir), { pipelines: [pipeline] })
    .pipelines[0]!.links.filter((l) => l.permission === permission)
    .map((l) => `${l.resource} ${l.decision}`)
    .sort();
}

const without = (s: Statement, action: string): void => {
  s.Action = (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== action);
};

describe('ec2:CreateNetworkInterface of a VPC build', () => {
  const create = (edit: (s: Statement[]) => void): string[] =>
    links('platform-web-build-role', edit, 'platform-web', 'ec2:CreateNetworkInterface');

  it('is checked on the network interface, each subnet and each security group', () => {
    expect(create(() => {})).toEqual([
      `${EC2}:network-interface/* Allowed`,
      `${EC2}:security-group/sg-0fedcba9876543210 Allowed`,
      `${EC2}:subnet/subnet-0a1b2c3d4e5f60718 Allowed`,
      `${EC2}:subnet/subnet-0f1e2d3c4b5a69788 Allowed`,
    ]);
  });

  it('is denied on the subnets and security groups by a grant on network interfaces only', () => {
    expect(
      create((st) => {
        without(
          st.find((s) => s['Sid'] === 'VpcDescribe')!,
          'ec2:CreateNetworkInterface',
        );
        st.push({
          Sid: 'EniOnly',
          Effect: 'Allow',
          Action: 'ec2:CreateNetworkInterface',
          Resource: `${EC2}:network-interface/*`,
        });
      }),
    ).toEqual([
      `${EC2}:network-interface/* Allowed`,
      `${EC2}:security-group/sg-0fedcba9876543210 ImplicitlyDenied`,
      `${EC2}:subnet/subnet-0a1b2c3d4e5f60718 ImplicitlyDenied`,
      `${EC2}:subnet/subnet-0f1e2d3c4b5a69788 ImplicitlyDenied`,
    ]);
  });
});

describe('elasticbeanstalk:CreateApplicationVersion', () => {
  it('is denied on the application by a grant on application versions only', () => {
    const grant = (resources: string[]) => (st: Statement[]) => {
      const s = st.find(
        (x) =>
          Array.isArray(x.Action) && x.Action.includes('elasticbeanstalk:CreateApplicationVersion'),
      )!;
      s['Resource'] = resources;
    };
    const version = `${EB}:applicationversion/platform-legacy/*`;
    const environment = `${EB}:environment/platform-legacy/platform-legacy-prod`;
    const create = (resources: string[]): string[] =>
      links(
        'platform-pipeline-role',
        grant(resources),
        'platform-legacy',
        'elasticbeanstalk:CreateApplicationVersion',
      );
    expect(create([`${EB}:application/platform-legacy`, version, environment])).toEqual([
      `${EB}:application/platform-legacy Allowed`,
      `${version} Allowed`,
    ]);
    expect(create([version, environment])).toEqual([
      `${EB}:application/platform-legacy ImplicitlyDenied`,
      `${version} Allowed`,
    ]);
  });
});
