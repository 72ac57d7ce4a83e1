/**
 * The principals an AWS::IAM::Policy or ManagedPolicy names (`Roles`, `Users`, `Groups`), the
 * `RoleName` of an AWS::IAM::RolePolicy and a role's `ManagedPolicyArns` are text
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-policy.html).
 * CloudFormation passes a Boolean or number given for text as its text (a tag `Value: YES`
 * reaches S3 as `true`, https://github.com/ASFHyP3/hyp3/pull/2061): `Roles: [true]` names the
 * role `true`, with a warning (it was an input error and the policy any role's, though
 * CloudFormation deploys it). A map or list there is an input error, and the principal is not
 * known (the policy may be any role's). `ManagedPolicyArns: [true]` looked up the managed policy
 * `true`, missing with nothing naming the template line: `true` is no ARN, an input error and a
 * placeholder naming the element.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Model, RoleModel } from '../../../src/model/types.js';
import { TEMPLATE_ACCOUNT, templateModel } from './templateModel.js';

const ROLE = [
  '  R:',
  '    Type: AWS::IAM::Role',
  '    Properties:',
  '      RoleName: build',
  '      AssumeRolePolicyDocument:',
  '        Version: "2012-10-17"',
  '        Statement: [{ Effect: Allow, Principal: { Service: codebuild.amazonaws.com }, Action: sts:AssumeRole }]',
];
const DENY =
  'PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "*", Resource: "*" }] }';

function load(lines: readonly string[]): Model {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-principals-'));
  try {
    writeFileSync(join(dir, 't.yaml'), ['Resources:', ...ROLE, ...lines].join('\n'));
    return templateModel(join(dir, 't.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = (m: Model): RoleModel =>
  m.accounts.get(TEMPLATE_ACCOUNT)!.iam!.roles.get(`arn:aws:iam::${TEMPLATE_ACCOUNT}:role/build`)!;

const errors = (m: Model): string[] =>
  m.problems.filter((p) => p.severity === 'error').map((p) => `${p.pointer} ${p.id} ${p.message}`);

describe('a principal that is not text', () => {
  it.each([
    ['AWS::IAM::Policy', '[{ Name: build }]', '/Roles/0', 'a map'],
    ['AWS::IAM::Policy', '[[build]]', '/Roles/0', 'a list'],
    ['AWS::IAM::ManagedPolicy', '[{ Name: build }]', '/Roles/0', 'a map'],
  ])("%s Roles: %s: an input error, and the policy may be any role's", (type, roles, at, got) => {
    const extra = type === 'AWS::IAM::Policy' ? '      PolicyName: p\n' : '';
    const m = load([
      '  P:',
      `    Type: ${type}`,
      '    Properties:',
      `${extra}      Roles: ${roles}`,
      `      ${DENY}`,
    ]);
    expect(errors(m)).toEqual([
      `/Resources/P/Properties${at} template.shape.invalid expected a role name, got ${got}`,
    ]);
    // the template's role has an unknown policy (the Deny may be its), named at the element
    const unknown = role(m).inlinePolicies.filter((p) => p.policy === undefined);
    expect(unknown.map((p) => p.location.pointer)).toEqual([`/Resources/P/Properties${at}`]);
  });
});

describe('a principal given as a Boolean or number', () => {
  const NAMED = (name: string): string[] =>
    ROLE.map((l) => (l === '  R:' ? '  T:' : l.replace('RoleName: build', `RoleName: "${name}"`)));
  const named = (m: Model, name: string): RoleModel =>
    m.accounts
      .get(TEMPLATE_ACCOUNT)!
      .iam!.roles.get(`arn:aws:iam::${TEMPLATE_ACCOUNT}:role/${name}`)!;
  const warnings = (m: Model): string[] =>
    m.problems
      .filter((p) => p.id === 'template.value.not-text')
      .map((p) => `${p.pointer} ${p.message}`);

  it.each([
    ['AWS::IAM::Policy', '[true]', '/Roles/0', 'true', 'a boolean'],
    ['AWS::IAM::Policy', 'true', '/Roles', 'true', 'a boolean'],
    ['AWS::IAM::Policy', '[yes]', '/Roles/0', 'true', 'a boolean'],
    ['AWS::IAM::Policy', '[5]', '/Roles/0', '5', 'a number'],
    ['AWS::IAM::ManagedPolicy', '[true]', '/Roles/0', 'true', 'a boolean'],
  ])(
    '%s Roles: %s: the role named by its text, with a warning (it was an input error)',
    (type, roles, at, name, got) => {
      const extra = type === 'AWS::IAM::Policy' ? '      PolicyName: p\n' : '';
      const m = load([
        ...NAMED(name),
        '  P:',
        `    Type: ${type}`,
        '    Properties:',
        `${extra}      Roles: ${roles}`,
        `      ${DENY}`,
      ]);
      expect(errors(m)).toEqual([]);
      expect(warnings(m)).toEqual([
        `/Resources/P/Properties${at} a role name given as ${got}: CloudFormation passes it as the text \`${name}\`, the role of that name; quote the name`,
      ]);
      // the Deny is the role's of that name, known; not an unknown policy of every role
      const t = named(m, name);
      expect(
        t.inlinePolicies.some((p) => p.policy !== undefined) || t.managedPolicyArns.length > 0,
      ).toBe(true);
      expect(role(m).inlinePolicies.filter((p) => p.policy === undefined)).toEqual([]);
    },
  );

  it('a Users or Groups element likewise', () => {
    const m = load([
      '  P:',
      '    Type: AWS::IAM::Policy',
      '    Properties:',
      '      PolicyName: p',
      '      Users: [false]',
      '      Groups: [7]',
      `      ${DENY}`,
    ]);
    expect(errors(m)).toEqual([]);
    expect(warnings(m)).toEqual([
      '/Resources/P/Properties/Groups/0 a group name given as a number: CloudFormation passes it as the text `7`, the group of that name; quote the name',
      '/Resources/P/Properties/Users/0 a user name given as a boolean: CloudFormation passes it as the text `false`, the user of that name; quote the name',
    ]);
  });

  it('the RoleName of an AWS::IAM::RolePolicy', () => {
    const m = load([
      ...NAMED('true'),
      '  P:',
      '    Type: AWS::IAM::RolePolicy',
      '    Properties:',
      '      PolicyName: p',
      '      RoleName: true',
      `      ${DENY}`,
    ]);
    expect(errors(m)).toEqual([]);
    expect(named(m, 'true').inlinePolicies.map((p) => [p.name, p.policy !== undefined])).toEqual([
      ['p', true],
    ]);
    expect(role(m).inlinePolicies.filter((p) => p.policy === undefined)).toEqual([]);
  });
});

describe('a principal that is text', () => {
  it('a quoted name is the role of that name', () => {
    const m = load([
      '  P:',
      '    Type: AWS::IAM::Policy',
      '    Properties:',
      '      PolicyName: p',
      '      Roles: ["build"]',
      `      ${DENY}`,
    ]);
    expect(errors(m)).toEqual([]);
    expect(role(m).inlinePolicies.map((p) => p.name)).toEqual(['p']);
    expect(role(m).inlinePolicies[0]!.policy).toBeDefined();
  });
});

describe('a role ManagedPolicyArns element that is not text', () => {
  it('an input error, and a placeholder naming the element (not the policy `true`)', () => {
    const m = load(['      ManagedPolicyArns: [true, 5]']);
    expect(errors(m)).toEqual([
      '/Resources/R/Properties/ManagedPolicyArns/0 template.shape.invalid expected a policy ARN, got a boolean (`true`)',
      '/Resources/R/Properties/ManagedPolicyArns/1 template.shape.invalid expected a policy ARN, got a number (`5`)',
    ]);
    const arns = role(m).managedPolicyArns;
    expect(arns).toHaveLength(2);
    for (const arn of arns) {
      expect(arn).toMatch(/^arn:aws:iam::unresolved:policy\/unresolved-[0-9a-f]{10}$/);
      expect(m.unresolved?.get(arn)?.location.pointer).toMatch(/ManagedPolicyArns\/[01]$/);
    }
  });
});
