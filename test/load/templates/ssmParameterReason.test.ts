/**
 * A template parameter of an SSM parameter type (`AWS::SSM::Parameter::Value<...>`) that is not
 * given reads its value at deploy time
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types):
 * the unknown value names the template parameter, which is what the stacks file gives, and the
 * SSM key it reads.
 */
import { describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacks } from '../../../src/load/stacks.js';

function unresolvedMessages(parameter: string): string[] {
  const text = [
    'Parameters:',
    `  TopicName: ${parameter}`,
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
        parameters: new Map<string, string>(),
      },
    ],
    '.',
    { managedPolicies: noManagedPolicies },
  );
  return problems
    .filter((p) => p.id === 'template.value.unresolved')
    .map((p) => `${p.pointer}: ${p.message}`);
}

describe('the unknown value of an SSM parameter type', () => {
  it('names the template parameter and the ssm parameter it reads', () => {
    expect(
      unresolvedMessages('{ Type: "AWS::SSM::Parameter::Value<String>", Default: /topics/name }'),
    ).toEqual([
      '/Resources/T/Properties/TopicName/Ref: parameter `TopicName` reads the ssm parameter `/topics/name` at deploy time, so its value is not known offline: the value is unknown',
    ]);
  });

  it('names the template parameter when its Default (a list) names no ssm parameter', () => {
    // without any Default the parameter has no value: ssmParameterMissing.test.ts
    expect(
      unresolvedMessages('{ Type: "AWS::SSM::Parameter::Value<String>", Default: [/a, /b] }'),
    ).toEqual([
      '/Resources/T/Properties/TopicName/Ref: parameter `TopicName` reads an ssm parameter at deploy time (its `Default` does not name one), so its value is not known offline: the value is unknown',
    ]);
  });
});
