/**
 * A helper review of the template loader (session 21): each case was reproduced first as a
 * wrong answer and fails without its fix.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';

const DIR = 'test/load/templates/fixtures/review21';
const ENV = { account: '111111111111', region: 'us-east-1' };

function analyzeTemplate(name: string) {
  const { model } = loadSingleTemplate(`${DIR}/${name}`, {
    ...ENV,
    parameters: {},
    managedPolicies: noManagedPolicies,
  });
  return {
    problems: model.problems.map((p) => `${p.severity} ${p.pointer} ${p.id}`),
    links: analyzeModel(model).pipelines.flatMap((p) => p.links),
  };
}

describe('resource conditions', () => {
  it('a Condition that is not a condition name is an input error, and whether the resource exists is not known (was: always created)', () => {
    const r = analyzeTemplate('condition-not-a-name.yaml');
    expect(r.problems).toContain('error /Resources/AllowPol/Condition template.resource.invalid');
    const put = r.links.filter((l) => l.permission === 's3:PutObject');
    expect(put.length).toBeGreaterThan(0);
    for (const l of put) expect(l.decision, l.id).toBe('Unknown');
  });

  it('a condition the template does not declare is an input error (CloudFormation rejects the template)', () => {
    const r = analyzeTemplate('condition-undeclared.yaml');
    expect(r.problems).toContain(
      'error /Resources/DenyPol/Condition template.condition.undeclared',
    );
  });
});
