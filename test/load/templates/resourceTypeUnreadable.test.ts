/**
 * A resource whose `Type` cannot be read (a list, a tag, absent; CloudFormation rejects the
 * template) was skipped: an AWS::IAM::Policy holding a Deny that might apply to the build role
 * vanished, and the link it might deny became Allowed. Found by the structural fuzzer
 * (test/fuzz). Now it may be any resource: a policy given to any role, the policy of any bucket,
 * topic or function of the account, each unknown.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
