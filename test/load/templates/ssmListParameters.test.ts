/**
 * SSM parameter types whose value is a list (`AWS::SSM::Parameter::Value<List<String>>`,
 * `AWS::SSM::Parameter::Value<CommaDelimitedList>`) are lists, as `CommaDelimitedList` and
 * `List<...>` are
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types):
 * a value given for one is split at its commas, so `Ref` of it is a list and `Fn::Select` works.
 */
import { describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { isListType } from '../../../src/load/templateStack.js';
import { findRole } from '../../../src/model/queries.js';

const TEMPLATE = 'test/load/templates/fixtures/ssm-lists/template.yaml';

describe('SSM list parameter types', () => {
  it('are list types; an SSM parameter of a single value is not', () => {
    expect(isListType('CommaDelimitedList')).toBe(true);
    expect(isListType('List<AWS::EC2::Subnet::Id>')).toBe(true);
    expect(isListType('AWS::SSM::Parameter::Value<List<String>>')).toBe(true);
    expect(isListType('AWS::SSM::Parameter::Value<CommaDelimitedList>')).toBe(true);
    expect(isListType('AWS::SSM::Parameter::Value<List<AWS::EC2::Image::Id>>')).toBe(true);
    expect(isListType('AWS::SSM::Parameter::Value<String>')).toBe(false);
    expect(isListType('AWS::SSM::Parameter::Name')).toBe(false);
    expect(isListType('String')).toBe(false);
  });

  it('a value given for one is split: the trust names each account, Fn::Select picks one', () => {
    const { model, problems } = loadSingleTemplate(TEMPLATE, {
      account: '222222222222',
      region: 'us-east-1',
      parameters: {
        Trusted: '111111111111,999999999999',
        Accounts: '333333333333, 444444444444',
        Single: 'a,b',
      },
      managedPolicies: noManagedPolicies,
    });
    expect(problems).toEqual([]);
    const r = findRole(model, 'arn:aws:iam::222222222222:role/deployer');
    if (r.kind !== 'found') throw new Error('no role');
    expect(r.value.trustPolicy!.statements[0]!.principal!.aws).toEqual([
      'arn:aws:iam::111111111111:root',
      'arn:aws:iam::999999999999:root',
    ]);
    const [assume, get] = r.value.inlinePolicies[0]!.policy!.statements;
    expect(assume!.resource!.patterns.map((p) => p.raw)).toEqual([
      'arn:aws:iam::444444444444:role/target',
    ]);
    // a single-value SSM type keeps its commas
    expect(get!.resource!.patterns.map((p) => p.raw)).toEqual(['arn:aws:s3:::a,b/*']);
  });
});
