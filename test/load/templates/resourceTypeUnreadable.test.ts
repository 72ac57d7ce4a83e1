/**
 * A resource whose `Type` cannot be read (a list, a tag, absent; CloudFormation rejects the
 * template) was skipped: an AWS::IAM::Policy holding a Deny that might apply to the build role
 * vanished, and the link it might deny became Allowed. Found by the structural fuzzer
 * (test/fuzz). Now it may be any resource: a policy given to any role, the policy of any bucket,
 * topic or function of the account, each unknown.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Unresolved } from '../../../src/load/intrinsics.js';
import { parseTemplateText } from '../../../src/load/templateParse.js';
import { TemplateStack } from '../../../src/load/templateStack.js';
import { analyzeTemplateText } from './templateModel.js';

const SOURCE = readFileSync('test/load/templates/fixtures/unknowns/policy-roles.yaml', 'utf8');
const TYPE = '  DenyPolicy:\n    Type: AWS::IAM::Policy\n';

function analyze(text: string) {
  const r = analyzeTemplateText(text);
  return {
    problems: r.problems,
    put: r.links.find((l) => l.id.startsWith('Build/Build:codebuild-project.output-put-object'))!,
  };
}

describe('a resource whose Type cannot be read', () => {
  it('the policy as written may deny the upload (Unknown)', () => {
    expect(SOURCE).toContain(TYPE);
    expect(analyze(SOURCE).put.decision).toBe('Unknown');
  });

  it.each([
    ['a list', '    Type: [AWS::IAM::Policy]\n'],
    ['a tag', '    Type: !Ref Lockdown\n'],
    ['absent', ''],
  ])('%s: an input error, and what it would deny stays Unknown (not Allowed)', (_what, type) => {
    const r = analyze(SOURCE.replace(TYPE, `  DenyPolicy:\n${type}`));
    expect(r.problems).toContain('error /Resources/DenyPolicy template.resource.invalid');
    expect(r.put.decision).toBe('Unknown');
  });
});

/**
 * `Ref` and `Fn::GetAtt` of such a resource were unknown with a reason that named its type as
 * the empty text ("`Ref` of a `` resource is not known offline"): the reason now names the
 * resource and why, and the place that settles it is the resource.
 */
describe('Ref and Fn::GetAtt of a resource whose Type cannot be read', () => {
  const text = [
    'Resources:',
    '  Bad:',
    '    Type: [AWS::IAM::Role]',
    '  Other:',
    '    Type: AWS::SNS::Topic',
    '    Properties:',
    '      TopicName: !Ref Bad',
    '      DisplayName: !GetAtt Bad.Arn',
    '      KmsMasterKeyId: !Sub "${Bad.RoleId}"',
  ].join('\n');

  function stack(): TemplateStack {
    const all: TemplateStack[] = [];
    const parsed = parseTemplateText(text, 't.yaml');
    const s = new TemplateStack(
      {
        name: 's',
        account: '111111111111',
        region: 'us-east-1',
        file: 't.yaml',
        parameters: new Map(),
      },
      parsed,
      { stack: () => undefined, all: () => all },
    );
    all.push(s);
    return s;
  }

  it.each([
    ['TopicName', '`Ref` of `Bad` is not known: what `Bad` is cannot be read'],
    ['DisplayName', '`Fn::GetAtt` `Arn` of `Bad` is not known: what `Bad` is cannot be read'],
    ['KmsMasterKeyId', '`Fn::GetAtt` `RoleId` of `Bad` is not known: what `Bad` is cannot be read'],
  ])('%s: unknown, naming the resource', (property, reason) => {
    const s = stack();
    const r = s.resources.get('Other')!;
    const v = s.resolve(r.properties[property], `/Resources/Other/Properties/${property}`);
    expect(v).toBeInstanceOf(Unresolved);
    const u = v as Unresolved;
    expect(u.reason).toBe(reason);
    expect(u.reason).not.toContain('``');
    expect(u.settledBy().pointer).toBe('/Resources/Bad');
  });
});
