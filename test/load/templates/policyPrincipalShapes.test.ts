/**
 * The principals an AWS::IAM::Policy or ManagedPolicy names (`Roles`, `Users`, `Groups`), the
 * `RoleName` of an AWS::IAM::RolePolicy and a role's `ManagedPolicyArns` are text
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-policy.html).
 * `Roles: [true]` or `Roles: 5` was read as the role named `true` or `5` without a word (laid
 * over a snapshot, a Deny policy went to a role of that name, or to none), and
 * `ManagedPolicyArns: [true]` looked up the managed policy `true`, missing with nothing naming
 * the template line. Each is now an input error at its pointer; a principal that is not text is
 * not known (the policy may be any role's), a policy ARN that is not text is a placeholder
 * naming the element.
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
    ['AWS::IAM::Policy', '[true]', '/Roles/0', 'a boolean (`true`'],
    ['AWS::IAM::Policy', '[5]', '/Roles/0', 'a number (`5`'],
    ['AWS::IAM::Policy', 'true', '/Roles', 'a boolean (`true`'],
    ['AWS::IAM::Policy', '[{ Name: build }]', '/Roles/0', 'a object'],
    ['AWS::IAM::ManagedPolicy', '[true]', '/Roles/0', 'a boolean (`true`'],
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
      `/Resources/P/Properties${at} template.shape.invalid expected a role name, got ${got}${got.includes('(') ? ': quote it if it is the name)' : ''}`,
    ]);
    // the template's role has an unknown policy (the Deny may be its), named at the element
    const unknown = role(m).inlinePolicies.filter((p) => p.policy === undefined);
    expect(unknown.map((p) => p.location.pointer)).toEqual([`/Resources/P/Properties${at}`]);
  });

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
    expect(errors(m)).toEqual([
      '/Resources/P/Properties/Groups/0 template.shape.invalid expected a group name, got a number (`7`: quote it if it is the name)',
      '/Resources/P/Properties/Users/0 template.shape.invalid expected a user name, got a boolean (`false`: quote it if it is the name)',
    ]);
  });

  it('the RoleName of an AWS::IAM::RolePolicy', () => {
    const m = load([
      '  P:',
      '    Type: AWS::IAM::RolePolicy',
      '    Properties:',
      '      PolicyName: p',
      '      RoleName: true',
      `      ${DENY}`,
    ]);
    expect(errors(m)).toEqual([
      '/Resources/P/Properties/RoleName template.shape.invalid expected a role name, got a boolean (`true`: quote it if it is the name)',
    ]);
    expect(
      role(m)
        .inlinePolicies.filter((p) => p.policy === undefined)
        .map((p) => p.location.pointer),
    ).toEqual(['/Resources/P/Properties/RoleName']);
  });

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
