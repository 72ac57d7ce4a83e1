/**
 * A link that applies only if a value the input does not settle is what it seems (a
 * CloudFormation execution role given by an SSM parameter, or by a macro) says what would deny
 * it, if needed: a policy the input holds, never the evaluator's `resource` label for the
 * unsettled resource's own policy, which no input holds (it said "would be denied by resource
 * policy `resource` (no matching allow)"; corpus davidkelley-cross-account-codepipeline).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate, loadStacksFile } from '../../src/load/stacks.js';
import type { ReportLink } from '../../src/report/types.js';

function links(): readonly ReportLink[] {
  const { model } = loadSingleTemplate(
    'test/chain/fixtures/presumedWhy/cfn-exec-role-from-ssm.yaml',
    {
      account: '111111111111',
      region: 'us-east-1',
      stackName: 'cfn-exec',
      managedPolicies: noManagedPolicies,
    },
  );
  return analyzeModel(model).pipelines[0]!.links;
}

describe('the why of a link needed only if an unsettled value is what it seems', () => {
  it('names no policy for the unsettled role itself (its trust policy is in no input)', () => {
    const assume = links().find(
      (l) => l.id === 'Deploy/Stack:cloudformation.assume-execution-role:sts:AssumeRole',
    )!;
    expect(assume.decision).toBe('Unknown');
    expect(assume.why).toMatch(
      /^`Deploy\/Stack` \(CloudFormation\) is needed only if `unresolved-[0-9a-f]{10}` is what it seems, which the input does not settle$/,
    );
    expect(assume.missing).toEqual([
      expect.stringMatching(/cfn-exec-role-from-ssm\.yaml:\d+ \(.*ssm parameter.*\)$/),
    ]);
  });

  it('still names the identity policy that would deny the pass of it', () => {
    const pass = links().find(
      (l) => l.id === 'Deploy/Stack:cloudformation.pass-role:iam:PassRole',
    )!;
    expect(pass.decision).toBe('Unknown');
    expect(pass.why).toContain(
      'would be denied by identity policy `arn:aws:iam::111111111111:role/pipe-role p` (no matching allow), but it is needed only if',
    );
  });

  it('corpus davidkelley-cross-account-codepipeline: the macro-made execution role', (ctx) => {
    if (!existsSync('../shared/corpus/SOURCES.md')) ctx.skip();
    const { model } = loadStacksFile(
      'fixtures/stacks/davidkelley-cross-account-codepipeline/stacks.yaml',
      { managedPolicies: noManagedPolicies },
    );
    const assume = analyzeModel(model).pipelines[0]!.links.filter(
      (l) => l.requirement === 'cloudformation.assume-execution-role',
    );
    expect(assume).toHaveLength(1);
    expect(assume[0]!.decision).toBe('Unknown');
    expect(assume[0]!.why).not.toContain('resource policy');
  });
});
