/**
 * A StackSets action's target accounts hold the execution roles its stack set's administration
 * role assumes: the crawl reads the accounts a literal DeploymentTargets lists
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html),
 * so those links are decided instead of Unknown (see also the pass-stacksets scenario round trip).
 */
import { describe, expect, it } from 'vitest';
import { pipelineReferences } from '../../src/crawl/references.js';

const home = { account: '111111111111', region: 'us-east-1' };

function accountsOf(provider: string, configuration: Record<string, string>): string[] {
  const refs = pipelineReferences(
    {
      pipeline: {
        roleArn: 'arn:aws:iam::111111111111:role/p',
        stages: [
          {
            name: 'Deploy',
            actions: [
              {
                name: 'A',
                actionTypeId: { category: 'Deploy', owner: 'AWS', provider, version: '1' },
                configuration,
              },
            ],
          },
        ],
      },
    },
    home,
  );
  return [...new Set(refs.flatMap((r) => (r.kind === 'account' ? [r.account] : [])))].sort();
}

describe('StackSets target accounts', () => {
  it('are read for both StackSets actions when DeploymentTargets lists them', () => {
    for (const provider of ['CloudFormationStackSet', 'CloudFormationStackInstances'])
      expect(
        accountsOf(provider, {
          StackSetName: 's',
          DeploymentTargets: '222222222222, 444444444444',
        }),
        provider,
      ).toEqual(['111111111111', '222222222222', '444444444444']);
  });

  it('a file of an input artifact or organizational units name no account', () => {
    expect(
      accountsOf('CloudFormationStackSet', { DeploymentTargets: 'SourceOutput::accounts.json' }),
    ).toEqual(['111111111111']);
    expect(
      accountsOf('CloudFormationStackInstances', { DeploymentTargets: 'ou-exm1-workload1' }),
    ).toEqual(['111111111111']);
  });
});
