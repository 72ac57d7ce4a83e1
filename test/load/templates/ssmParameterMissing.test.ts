/**
 * A template parameter of an SSM parameter type (`AWS::SSM::Parameter::Value<...>`) whose value
 * is the key of the SSM parameter to read: with no `Default` and no value given, CloudFormation
 * has no key to read and refuses to create the stack, as for any parameter without a value
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-input-parameters.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types).
 * It is the same input error as a `String` parameter without a value, at the same pointer, not an
 * SSM read whose value is merely not known offline.
 */
import { describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacks } from '../../../src/load/stacks.js';
import type { Problem } from '../../../src/problems.js';

function load(declaration: string, given: ReadonlyMap<string, string> = new Map()): Problem[] {
  const text = [
    'Parameters:',
    `  TopicName: ${declaration}`,
    'Resources:',
    '  T:',
    '    Type: AWS::SNS::Topic',
    '    Properties:',
    '      TopicName: !Ref TopicName',
  ].join('\n');
  const { problems } = loadStacks(
    [
      {
        file: 'app.yaml',
        text,
        name: 'app',
        account: '111111111111',
        region: 'us-east-1',
        parameters: given,
      },
    ],
    '.',
    { managedPolicies: noManagedPolicies },
  );
  return problems;
}

const shape = (problems: Problem[]): unknown[][] =>
  problems.map((p) => [p.severity, p.id, p.file, p.pointer, p.message]);

describe('an SSM parameter type with no Default and no value given', () => {
  it('is the input error a String parameter without a value is, at the same pointer', () => {
    const plain = load('{ Type: String }');
    const ssm = load('{ Type: "AWS::SSM::Parameter::Value<String>" }');
    expect(shape(plain)).toEqual([
      [
        'error',
        'template.parameter.missing',
        'app.yaml',
        '/Parameters/TopicName',
        'parameter `TopicName` has no value and no default',
      ],
      [
        'warning',
        'template.value.unresolved',
        'app.yaml',
        '/Resources/T/Properties/TopicName/Ref',
        'parameter `TopicName` has no value: the value is unknown',
      ],
    ]);
    expect(shape(ssm)).toEqual(shape(plain));
  });

  it('of a list type, too', () => {
    const ssm = load('{ Type: "AWS::SSM::Parameter::Value<List<String>>" }');
    expect(
      ssm.filter((p) => p.id.startsWith('template.parameter')).map((p) => [p.id, p.pointer]),
    ).toEqual([['template.parameter.missing', '/Parameters/TopicName']]);
  });

  it('given a value: no error', () => {
    const ssm = load(
      '{ Type: "AWS::SSM::Parameter::Value<String>" }',
      new Map([['TopicName', 'topic']]),
    );
    expect(ssm).toEqual([]);
  });

  it('with a Default (the key it reads): an SSM read whose value is not known, not an error', () => {
    const ssm = load('{ Type: "AWS::SSM::Parameter::Value<String>", Default: /topics/name }');
    expect(ssm.map((p) => [p.severity, p.id, p.pointer])).toEqual([
      ['warning', 'template.parameter.ssm', '/Parameters/TopicName'],
      ['warning', 'template.value.unresolved', '/Resources/T/Properties/TopicName/Ref'],
    ]);
  });
});
