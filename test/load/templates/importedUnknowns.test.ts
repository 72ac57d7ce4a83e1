/**
 * An unknown value taken from another stack (`Fn::ImportValue` of its export, or a stacks-file
 * parameter `{fromStack, output}`) is anchored where this stack uses it, whether it is the whole
 * value or an element of a list (or a value of an object) the other stack's output gives: the
 * warning names this template's element, not a pointer of the other template. The place that
 * would settle it (the condition of an `Fn::If`, else the other template's element that holds it)
 * is kept, and named in the other stack's template, with its line.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacks } from '../../../src/load/stacks.js';
import type { StackParameterInput } from '../../../src/load/templateStack.js';
import type { Problem } from '../../../src/problems.js';
import type { ReportLink } from '../../../src/report/types.js';

const ACCOUNT = '111111111111';
const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/**
 * The exporting stack: its output `Roles` (exported as `deploy-roles`) is a list whose first
 * element is `first` and whose second is a known role ARN. `IsProd` is not known: `Env` is an
 * SSM parameter type that is not given.
 */
const exporter = (first: string): string =>
  [
    'Parameters:',
    '  Env:',
    '    Type: AWS::SSM::Parameter::Value<String>',
    '    Default: /env',
    'Conditions:',
    '  IsProd: !Equals [!Ref Env, prod]', // line 6
    'Resources:',
    '  B: { Type: AWS::S3::Bucket }',
    'Outputs:',
    '  Roles:',
    '    Value:',
    `      - ${first}`, // line 12
    `      - ${role('other')}`,
    '    Export: { Name: deploy-roles }',
  ].join('\n');
const IF_PROD = `!If [IsProd, ${role('deploy-prod')}, ${role('deploy-dev')}]`;

/** The pipeline stack: its deploy action's role is element 0 of `roles`. */
const pipeline = (roles: string, parameters = ''): string =>
  [
    parameters,
    'Resources:',
    '  Bucket:',
    '    Type: AWS::S3::Bucket',
    '    Properties: { BucketName: art-bucket-111 }',
    '  PipeRole:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      RoleName: pipe',
    '      AssumeRolePolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement: [{ Effect: Allow, Principal: { Service: codepipeline.amazonaws.com }, Action: sts:AssumeRole }]',
    '      Policies:',
    '        - PolicyName: p',
    '          PolicyDocument:',
    '            Version: "2012-10-17"',
    '            Statement: [{ Effect: Allow, Action: "*", Resource: "*" }]',
    '  Pipeline:',
    '    Type: AWS::CodePipeline::Pipeline',
    '    Properties:',
    '      Name: app',
    '      RoleArn: !GetAtt PipeRole.Arn',
    '      ArtifactStore: { Type: S3, Location: !Ref Bucket }',
    '      Stages:',
    '        - Name: Source',
    '          Actions:',
    '            - Name: Src',
    '              ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: "1" }',
    '              Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip }',
    '              OutputArtifacts: [{ Name: Src }]',
    '        - Name: Deploy',
    '          Actions:',
    '            - Name: Publish',
    '              ActionTypeId: { Category: Deploy, Owner: AWS, Provider: S3, Version: "1" }',
    `              RoleArn: !Select [0, ${roles}]`, // line 35
    '              Configuration: { BucketName: !Ref Bucket, Extract: "false", ObjectKey: site.zip }',
    '              InputArtifacts: [{ Name: Src }]',
  ].join('\n');
/** the line of the deploy action's RoleArn in `pipeline` */
const ROLE_LINE = 35;
/** the line of the first element of the output `Roles` in `exporter` */
const OUTPUT_LINE = 12;
const ROLE_ARN = '/Resources/Pipeline/Properties/Stages/1/Actions/0/RoleArn';

function load(
  exported: string,
  roles: string,
  parameters = '',
  given: ReadonlyMap<string, StackParameterInput> = new Map(),
  edit: (exporterText: string) => string = (t) => t,
): { problems: Problem[]; assume: ReportLink } {
  const spec = (name: string, text: string, p: ReadonlyMap<string, StackParameterInput>) => ({
    file: `${name}.yaml`,
    text,
    name,
    account: ACCOUNT,
    region: 'us-east-1',
    parameters: p,
  });
  const { model, problems } = loadStacks(
    [
      spec('exp', edit(exporter(exported)), new Map()),
      spec('app', pipeline(roles, parameters), given),
    ],
    '.',
    { managedPolicies: noManagedPolicies },
  );
  const links = analyzeModel(model).pipelines[0]!.links;
  const assume = links.find((l) => l.requirement === 'action.assume-action-role')!;
  return { problems: problems.filter((p) => p.id === 'template.value.unresolved'), assume };
}

const IF_REASON =
  '`Fn::If` on condition `IsProd`, which is not known: parameter `Env` reads the ssm parameter `/env` at deploy time, so its value is not known offline';
const SSM_REASON =
  'parameter `Env` reads the ssm parameter `/env` at deploy time, so its value is not known offline';

describe('an unknown element of a list another stack exports', () => {
  it('an Fn::If on a condition not known: named where this stack uses it, settled by the condition in the other template', () => {
    const { problems, assume } = load(IF_PROD, '!ImportValue deploy-roles');
    expect(problems.map((p) => [p.file, p.pointer, p.message])).toEqual([
      [
        'app.yaml',
        `${ROLE_ARN}/Fn::Select/1/Fn::ImportValue/0`,
        `${IF_REASON}: the value is unknown`,
      ],
    ]);
    expect(assume.decision).toBe('Unknown');
    // the condition's line in the exporting template (`IsProd: !Equals [!Ref Env, prod]`)
    expect(assume.missing).toEqual([`exp.yaml:6 (${IF_REASON})`]);
  });

  it('an unknown of its own (an SSM parameter type): named where this stack uses it, and settled at the other stack’s output', () => {
    const { problems, assume } = load('!Ref Env', '!ImportValue deploy-roles');
    expect(problems.map((p) => [p.file, p.pointer, p.message])).toEqual([
      [
        'app.yaml',
        `${ROLE_ARN}/Fn::Select/1/Fn::ImportValue/0`,
        `${SSM_REASON}: the value is unknown`,
      ],
    ]);
    expect(assume.decision).toBe('Unknown');
    // the element of the exporting stack's output (`- !Ref Env`), not this stack's line, which
    // names neither the stack nor its parameter to give
    expect(assume.missing).toEqual([`exp.yaml:${OUTPUT_LINE} (${SSM_REASON})`]);
  });

  it('inside a list inside the list: named where this stack uses it as well', () => {
    const { problems, assume } = load(`[${IF_PROD}]`, '!Select [0, !ImportValue deploy-roles]');
    expect(problems.map((p) => [p.file, p.pointer])).toEqual([
      ['app.yaml', `${ROLE_ARN}/Fn::Select/1/Fn::Select/1/Fn::ImportValue/0/0`],
    ]);
    expect(assume.missing).toEqual([`exp.yaml:6 (${IF_REASON})`]);
  });

  it('two unknown elements of a list used whole stay two unknown values, each at its place', () => {
    const { problems } = loadStacks(
      [
        {
          file: 'exp.yaml',
          text: exporter(IF_PROD).replace(`- ${role('other')}`, `- ${IF_PROD}`),
          name: 'exp',
          account: ACCOUNT,
          region: 'us-east-1',
          parameters: new Map(),
        },
        {
          file: 'app.yaml',
          text: [
            'Resources:',
            '  Deployer:',
            '    Type: AWS::IAM::Role',
            '    Properties:',
            '      RoleName: deployer',
            '      AssumeRolePolicyDocument:',
            '        Version: "2012-10-17"',
            '        Statement: [{ Effect: Allow, Principal: { Service: codebuild.amazonaws.com }, Action: sts:AssumeRole }]',
            '      Policies:',
            '        - PolicyName: p',
            '          PolicyDocument:',
            '            Version: "2012-10-17"',
            '            Statement: [{ Effect: Allow, Action: sts:AssumeRole, Resource: !ImportValue deploy-roles }]',
          ].join('\n'),
          name: 'app',
          account: ACCOUNT,
          region: 'us-east-1',
          parameters: new Map(),
        },
      ],
      '.',
      { managedPolicies: noManagedPolicies },
    );
    const at = '/Resources/Deployer/Properties/Policies/0/PolicyDocument/Statement/0/Resource';
    expect(
      problems.filter((p) => p.id === 'template.value.unresolved').map((p) => [p.file, p.pointer]),
    ).toEqual([
      ['app.yaml', `${at}/Fn::ImportValue/0`],
      ['app.yaml', `${at}/Fn::ImportValue/1`],
    ]);
  });

  it('given as a stacks-file parameter from the other stack’s output: named where this stack uses it', () => {
    const { problems, assume } = load(
      IF_PROD,
      '!Ref Roles',
      'Parameters:\n  Roles: { Type: CommaDelimitedList }',
      new Map([['Roles', { fromStack: 'exp', output: 'Roles' }]]),
    );
    expect(problems.map((p) => [p.file, p.pointer, p.message])).toEqual([
      ['app.yaml', `${ROLE_ARN}/Fn::Select/1/Ref/0`, `${IF_REASON}: the value is unknown`],
    ]);
    expect(assume.decision).toBe('Unknown');
    expect(assume.missing).toEqual([`exp.yaml:6 (${IF_REASON})`]);
  });
});

/**
 * An unknown value with no cause of its own (an SSM parameter type's value, a `Ref` that is not
 * known offline) taken from another stack: the problem names this stack's element that uses it,
 * and the Unknown link names the other stack's element it comes from, which names the stack and
 * the input that would settle it (a parameter of that stack, its resource).
 */
describe('an unknown value of its own taken from another stack', () => {
  it('given as a stacks-file parameter from the other stack’s output: settled at that output', () => {
    const { problems, assume } = load(
      '!Ref Env',
      '!Ref Roles',
      'Parameters:\n  Roles: { Type: CommaDelimitedList }',
      new Map([['Roles', { fromStack: 'exp', output: 'Roles' }]]),
    );
    expect(problems.map((p) => [p.file, p.pointer, p.message])).toEqual([
      ['app.yaml', `${ROLE_ARN}/Fn::Select/1/Ref/0`, `${SSM_REASON}: the value is unknown`],
    ]);
    expect(assume.decision).toBe('Unknown');
    expect(assume.missing).toEqual([`exp.yaml:${OUTPUT_LINE} (${SSM_REASON})`]);
  });

  it('given as a stacks-file parameter from the other stack’s resource: settled at that resource', () => {
    // `Ref` of a security group (its id) is not known offline; `B` is line 8 of `exporter`
    const { assume } = load(
      '!Ref Env',
      '[!Ref Role]',
      'Parameters:\n  Role: { Type: String }',
      new Map([['Role', { fromStack: 'exp', resource: 'B' }]]),
      (text) =>
        text.replace('B: { Type: AWS::S3::Bucket }', 'B: { Type: AWS::EC2::SecurityGroup }'),
    );
    expect(assume.decision).toBe('Unknown');
    expect(assume.missing).toEqual([
      'exp.yaml:8 (`Ref` of a `AWS::EC2::SecurityGroup` resource is not known offline)',
    ]);
  });

  it('given as a stacks-file parameter from an output the other stack does not create: settled at that output', () => {
    const { assume } = load(
      '!Ref Env',
      '!Ref Roles',
      'Parameters:\n  Roles: { Type: CommaDelimitedList }',
      new Map([['Roles', { fromStack: 'exp', output: 'Roles' }]]),
      (text) =>
        text
          .replace('Conditions:\n', 'Conditions:\n  Never: !Equals [a, b]\n')
          .replace('  Roles:\n', '  Roles:\n    Condition: Never\n'),
    );
    expect(assume.decision).toBe('Unknown');
    // `Roles:` is line 11 once `Never` is declared
    expect(assume.missing).toEqual(['exp.yaml:11 (output `Roles` of `exp` is not created)']);
  });

  it('given as an output the other stack does not declare: named in this stack (an input error of the stacks file)', () => {
    const { assume } = load(
      '!Ref Env',
      '!Ref Roles',
      'Parameters:\n  Roles: { Type: CommaDelimitedList }',
      new Map([['Roles', { fromStack: 'exp', output: 'Nope' }]]),
    );
    expect(assume.decision).toBe('Unknown');
    expect(assume.missing).toEqual([
      `app.yaml:${ROLE_LINE + 1} (stack \`exp\` has no output \`Nope\`)`,
    ]);
  });

  it('passed on by a third stack: named in the stack it is made in', () => {
    const spec = (name: string, text: string) => ({
      file: `${name}.yaml`,
      text,
      name,
      account: ACCOUNT,
      region: 'us-east-1',
      parameters: new Map<string, StackParameterInput>(),
    });
    const relay = [
      'Resources:',
      '  B: { Type: AWS::S3::Bucket }',
      'Outputs:',
      '  Relayed:',
      '    Value: !ImportValue deploy-roles',
      '    Export: { Name: relayed-roles }',
    ].join('\n');
    const { model } = loadStacks(
      [
        spec('exp', exporter('!Ref Env')),
        spec('relay', relay),
        spec('app', pipeline('!ImportValue relayed-roles')),
      ],
      '.',
      { managedPolicies: noManagedPolicies },
    );
    const assume = analyzeModel(model).pipelines[0]!.links.find(
      (l) => l.requirement === 'action.assume-action-role',
    )!;
    expect(assume.decision).toBe('Unknown');
    expect(assume.missing).toEqual([`exp.yaml:${OUTPUT_LINE} (${SSM_REASON})`]);
  });
});
