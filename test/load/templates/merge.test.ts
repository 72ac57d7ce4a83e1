import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { staticManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';
import {
  findBucket,
  findCodeBuildProject,
  findManagedPolicy,
  findRole,
  rolePolicies,
} from '../../../src/model/queries.js';
import type { AccountModel, ManagedPolicyModel, Model } from '../../../src/model/types.js';
import { parsePolicy } from '../../../src/policy/parse.js';

const OVERLAY = 'test/load/templates/fixtures/merge/overlay.yaml';
const MANAGED = 'arn:aws:iam::aws:policy/AWSCodePipeline_FullAccess';

function overlay(withPackageCopy: boolean): Model {
  return loadSingleTemplate(OVERLAY, {
    account: '111111111111',
    region: 'us-east-1',
    managedPolicies: staticManagedPolicies(
      'fake-managed',
      withPackageCopy
        ? {
            AWSCodePipeline_FullAccess: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'codepipeline:Get*', Resource: '*' }],
            },
          }
        : {},
    ),
  }).model;
}

/** The demo snapshot, with the snapshot's own copy of an AWS-managed policy in 222222222222. */
function base(): Model {
  const snap = loadSnapshot('fixtures/demo');
  const other = snap.accounts.get('222222222222')!;
  const policy = parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'codepipeline:*', Resource: '*' }],
    },
    { name: MANAGED, policyType: 'identity' },
  ).policy;
  const copy: ManagedPolicyModel = {
    arn: MANAGED,
    name: 'AWSCodePipeline_FullAccess',
    path: '/',
    policyId: undefined,
    isAwsManaged: true,
    defaultVersionId: 'v9',
    policy,
    location: { file: '222222222222/iam.json', pointer: '/Policies/0' },
  };
  const withCopy: AccountModel = {
    ...other,
    iam: { ...other.iam!, policies: new Map([[MANAGED, copy]]) },
  };
  return { ...snap, accounts: new Map([...snap.accounts, ['222222222222', withCopy]]) };
}

describe('mergeModels', () => {
  const merged = mergeModels(base(), overlay(true));

  it('replaces a snapshot role with the template role of the same name', () => {
    const r = findRole(merged, 'arn:aws:iam::111111111111:role/service-role/demo-pipeline-role');
    expect(r.kind).toBe('found');
    if (r.kind !== 'found') return;
    expect(r.value.location.file).toBe(OVERLAY);
    expect(r.value.managedPolicyArns).toEqual([MANAGED]);
  });

  it('resolves an AWS-managed policy from the snapshot first, then from the package', () => {
    const p = findManagedPolicy(merged, MANAGED, '111111111111');
    expect(p.kind === 'found' && p.value.defaultVersionId).toBe('v9');
    // no snapshot copy: the package's
    const alone = mergeModels(loadSnapshot('fixtures/demo'), overlay(true));
    const q = findManagedPolicy(alone, MANAGED, '111111111111');
    expect(q.kind === 'found' && q.value.location.file).toBe('fake-managed');
    // neither: unknown, and the problem stays
    const none = mergeModels(loadSnapshot('fixtures/demo'), overlay(false));
    expect(findManagedPolicy(none, MANAGED, '111111111111').kind).toBe('missing');
    expect(none.problems.some((x) => x.id === 'template.managed-policy.unknown')).toBe(true);
    // found in the snapshot: the load-time problem is dropped
    const snapOnly = mergeModels(base(), overlay(false));
    expect(snapOnly.problems.some((x) => x.id === 'template.managed-policy.unknown')).toBe(false);
  });

  it('adds a template policy to a snapshot role and reports the role it cannot find', () => {
    const r = findRole(merged, 'arn:aws:iam::111111111111:role/service-role/demo-build-role');
    expect(r.kind).toBe('found');
    if (r.kind !== 'found') return;
    const extra = r.value.inlinePolicies.find((p) => p.name === 'build-extra');
    expect(extra?.location).toMatchObject({
      file: OVERLAY,
      pointer: '/Resources/BuildExtra',
      line: 15,
    });
    expect(rolePolicies(merged, r.value).identity.length).toBeGreaterThan(1);
    expect(
      merged.problems
        .filter((p) => p.id === 'template.attachment.target-unknown')
        .map((p) => p.message),
    ).toEqual([
      'the role `ghost-role` in `111111111111` is neither in the templates nor in the snapshot: its policy is left out',
    ]);
  });

  it('changes only the policy of a snapshot bucket when the template only writes its policy', () => {
    const snapBucket = findBucket(
      loadSnapshot('fixtures/demo'),
      'demo-artifacts-111111111111-us-east-1',
    );
    const b = findBucket(merged, 'demo-artifacts-111111111111-us-east-1');
    expect(b.kind).toBe('found');
    if (b.kind !== 'found' || snapBucket.kind !== 'found') return;
    expect(b.value.policy?.statements.map((s) => s.sid)).toEqual(['FromTemplate']);
    expect(b.value.encryption).toEqual(snapBucket.value.encryption);
    expect(b.value.location).toEqual(snapBucket.value.location);
  });

  it('adds template projects next to the snapshot ones; unknown principals stay as the snapshot says', () => {
    expect(findCodeBuildProject(merged, '111111111111', 'us-east-1', 'new-project').kind).toBe(
      'found',
    );
    expect(findCodeBuildProject(merged, '111111111111', 'us-east-1', 'demo-build').kind).toBe(
      'found',
    );
    // the snapshot's iam.json is complete: a role in neither is known not to exist
    expect(findRole(merged, 'arn:aws:iam::111111111111:role/nobody').kind).toBe('absent');
    expect(merged.source).toBe('merged');
  });

  it('keeps a template-only account unknown beyond what the templates define', () => {
    const t = overlay(true);
    expect(findRole(t, 'arn:aws:iam::111111111111:role/nobody').kind).toBe('missing');
  });
});
