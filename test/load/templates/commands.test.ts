/**
 * A Commands action in a template laid out as the AWS CDK's CommandsAction synthesizes it
 * (category Compute, a role of its own with the logs grant, none on the pipeline role): it passes,
 * and the logs links are the action role's. Checking them on the pipeline role denied every such
 * pipeline, which the CDK's own integration test runs to success.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { ReportPipeline } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/commands/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };
const ACTION_ROLE = 'arn:aws:iam::111111111111:role/checks-commands-action';
const GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/codepipeline/checks';

function pipeline(parameters: Record<string, string> = {}): ReportPipeline {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  expect(model.problems).toEqual([]);
  return analyzeModel(model).pipelines[0]!;
}

describe('a CDK-style Commands action in a template', () => {
  it('passes: its role writes the logs of /aws/codepipeline/<pipeline>', () => {
    const p = pipeline();
    const logs = p.links.filter((l) => l.requirement.startsWith('commands.'));
    expect(logs.map((l) => [l.permission, l.principal, l.resource, l.decision])).toEqual([
      ['logs:CreateLogGroup', ACTION_ROLE, GROUP, 'Allowed'],
      ['logs:CreateLogStream', ACTION_ROLE, `${GROUP}:log-stream:*`, 'Allowed'],
      ['logs:PutLogEvents', ACTION_ROLE, `${GROUP}:log-stream:*`, 'Allowed'],
    ]);
    expect(p.links.some((l) => l.requirement === 'action.provider-not-modelled')).toBe(false);
    expect(p.verdict).toBe('pass');
  });

  it('fails when the action role may not write them, naming its policy', () => {
    const p = pipeline({ ActionLogs: 'no' });
    const logs = p.links.filter((l) => l.requirement.startsWith('commands.'));
    expect(logs.map((l) => l.decision)).toEqual([
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
    for (const l of logs)
      expect(l.deniedBy).toEqual([
        expect.objectContaining({
          policyType: 'identity',
          policy: `${ACTION_ROLE} commands`,
        }),
      ]);
    expect(p.verdict).toBe('fail');
  });
});
