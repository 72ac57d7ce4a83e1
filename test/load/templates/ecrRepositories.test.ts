/**
 * An ECR repository a template declares is in the model with its policy
 * (`RepositoryPolicyText`, none when absent): the repository side of an ECR source action's
 * links was "missing from the input" (`<account>/<region>/ecr/<repository>.json`), which left
 * them Unknown whatever the template said.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/ecr-source/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };

function describeImages(parameters: Record<string, string> = {}): ReportLink {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  return analyzeModel(model).pipelines[0]!.links.find(
    (l) => l.permission === 'ecr:DescribeImages',
  )!;
}

describe('an ECR repository in a template', () => {
  it('is modelled, with no policy when it names none', () => {
    const { model } = loadSingleTemplate(TEMPLATE, ENV);
    const repos = model.accounts.get('111111111111')!.regions.get('us-east-1')!.ecrRepositories;
    const [repo] = [...repos.values()];
    expect(repo!.arn).toMatch(/^arn:aws:ecr:us-east-1:111111111111:repository\/pipeline-Images-/);
    expect(repo!.policy).toBeNull();
    const link = describeImages();
    expect([link.resource, link.decision]).toEqual([repo!.arn, 'Allowed']);
  });

  it('its RepositoryPolicyText decides: a Deny is named', () => {
    const link = describeImages({ RepositoryPolicy: 'deny' });
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'resource', statement: 'NoDescribe', explicit: true }),
    ]);
  });

  it('a policy the template does not settle is unknown, never none', () => {
    const link = describeImages({ RepositoryPolicy: 'open' });
    expect(link.decision).toBe('Unknown');
  });
});
