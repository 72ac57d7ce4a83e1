/**
 * `Fn::Select` takes a whole number from 0 as its index
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-select.html):
 * anything else is unresolved, never element 0. `Fn::ImportValue` of a name that no stack exports
 * is Unknown, not a missing export, when a stack of that account and region exports a name the
 * templates do not settle (it may be that one), or when the imported name is itself unresolved.
 */
import { describe, expect, it } from 'vitest';
import { resolveValue, Unresolved, type IntrinsicScope } from '../../../src/load/intrinsics.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacks } from '../../../src/load/stacks.js';

const scope: IntrinsicScope = {
  ref: (name, pointer) => (name === 'Open' ? new Unresolved('not known', pointer) : name),
  getAtt: (_id, _attr, pointer) => new Unresolved('no attribute', pointer),
  condition: () => true,
  importValue: (name) => `imported:${name}`,
  mappings: {},
};
const r = (v: unknown): unknown => resolveValue(v, '/X', scope, new WeakMap());

describe('Fn::Select', () => {
  it('picks the element of a whole-number index, given as a number or a string', () => {
    expect(r({ 'Fn::Select': [1, ['a', 'b']] })).toBe('b');
    expect(r({ 'Fn::Select': ['0', ['a', 'b']] })).toBe('a');
  });

  it('an index that is not a whole number from 0 is unresolved, not element 0', () => {
    for (const index of ['', ' ', '0x1', '-1', '1.5', 'one', ' 1', true]) {
      const v = r({ 'Fn::Select': [index, ['a', 'b']] });
      expect(v, JSON.stringify(index)).toBeInstanceOf(Unresolved);
      expect((v as Unresolved).reason).toContain('is not a whole number from 0');
      expect((v as Unresolved).pointer).toBe('/X/Fn::Select/0');
    }
    expect(r({ 'Fn::Select': [2, ['a', 'b']] })).toEqual(
      new Unresolved('`Fn::Select` index `2` is out of range', '/X/Fn::Select'),
    );
  });
});

describe('Fn::ImportValue', () => {
  it('of a name that is itself unresolved is that unresolved value', () => {
    expect(r({ 'Fn::ImportValue': { Ref: 'Open' } })).toEqual(
      new Unresolved('not known', '/X/Fn::ImportValue/Ref'),
    );
  });

  const stack = (name: string, text: string) => ({
    file: `${name}.yaml`,
    text,
    name,
    account: '111111111111',
    region: 'us-east-1',
    parameters: new Map<string, string>(),
  });
  const importer = stack(
    'imp',
    [
      'Resources:',
      '  T:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      '      TopicName: !ImportValue shared-topic-name',
    ].join('\n'),
  );

  it('of a name no stack exports, when another export name is not known: Unknown naming it', () => {
    const exporter = stack(
      'exp',
      [
        'Parameters:',
        '  Env: { Type: "AWS::SSM::Parameter::Value<String>", Default: /env }',
        'Resources:',
        '  B: { Type: AWS::S3::Bucket }',
        'Outputs:',
        '  Name:',
        '    Value: x',
        '    Export: { Name: !Sub "${Env}-topic-name" }',
      ].join('\n'),
    );
    const { problems } = loadStacks([exporter, importer], '.', {
      managedPolicies: noManagedPolicies,
    });
    const u = problems.find((p) => p.id === 'template.value.unresolved' && p.file === 'imp.yaml')!;
    expect(u.message).toContain(
      '`shared-topic-name` may be the export of output `Name` of stack `exp`, whose name is not known',
    );
    expect(u.message).not.toContain('exports');
  });

  it('of a name no stack exports, when every export name is known: no stack exports it', () => {
    const exporter = stack(
      'exp',
      [
        'Resources:',
        '  B: { Type: AWS::S3::Bucket }',
        'Outputs:',
        '  Name:',
        '    Value: x',
        '    Export: { Name: other-name }',
      ].join('\n'),
    );
    const { problems } = loadStacks([exporter, importer], '.', {
      managedPolicies: noManagedPolicies,
    });
    const u = problems.find((p) => p.id === 'template.value.unresolved' && p.file === 'imp.yaml')!;
    expect(u.message).toContain(
      'no stack in `111111111111` `us-east-1` exports `shared-topic-name`',
    );
  });
});
