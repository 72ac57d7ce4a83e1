/**
 * What a template may attach but does not settle (a policy, a bucket policy, a topic policy, a
 * Lambda permission or a nested stack whose `Condition` or target is not known) is unknown on
 * what it could attach to, never left out: CloudFormation may create it. The fixtures are the
 * pipeline of base.yaml with one such resource each; `Lockdown` is an SSM parameter with no
 * value unless a test gives one.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';
import { findBucket, findRole, rolePolicies } from '../../../src/model/queries.js';
import type { ReportLink } from '../../../src/report/types.js';

const DIR = 'test/load/templates/fixtures/unknowns';
const ENV = { account: '111111111111', region: 'us-east-1' };
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/build-role';
const PIPE_ROLE = 'arn:aws:iam::111111111111:role/pipe-role';

function load(name: string, parameters: Record<string, string> = {}) {
  return loadSingleTemplate(`${DIR}/${name}`, {
    ...ENV,
    parameters,
    managedPolicies: noManagedPolicies,
  });
}

function links(name: string, parameters: Record<string, string> = {}): readonly ReportLink[] {
  return analyzeModel(load(name, parameters).model).pipelines[0]!.links;
}

const of = (all: readonly ReportLink[], principal: string): ReportLink[] =>
  all.filter((l) => l.principal === principal);

/** The build role's write of the build output: what the fixtures' Deny statements deny. */
const putOutput = (all: readonly ReportLink[]): ReportLink =>
  all.find(
    (l) =>
      l.principal === BUILD_ROLE &&
      l.permission === 's3:PutObject' &&
      l.resource.endsWith('/app/Out/*'),
  )!;

describe('an AWS::IAM::Policy whose Condition is not known', () => {
  const FILE = `${DIR}/policy-condition.yaml`;

  it('leaves the links of the role it names Unknown, naming the Condition', () => {
    const all = links('policy-condition.yaml');
    const build = of(all, BUILD_ROLE).filter((l) => !l.permission.startsWith('sts:'));
    expect(build.length).toBeGreaterThan(5);
    for (const l of build) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${FILE}#/Resources/DenyPolicy/Condition`]);
    }
    // the role it does not name is decided
    expect(of(all, PIPE_ROLE).every((l) => l.decision === 'Allowed')).toBe(true);
  });

  it('settled, the policy is there or not', () => {
    expect(putOutput(links('policy-condition.yaml', { Lockdown: 'true' })).decision).toBe(
      'ExplicitlyDenied',
    );
    expect(putOutput(links('policy-condition.yaml', { Lockdown: 'false' })).decision).toBe(
      'Allowed',
    );
  });
});

describe('a policy whose principal is not known', () => {
  const FILE = `${DIR}/policy-roles.yaml`;
  const AT = `${FILE}#/Resources/DenyPolicy/Properties/Roles/0`;

  it('may be attached to any role of the account: both roles are Unknown, naming the element', () => {
    const all = links('policy-roles.yaml');
    for (const role of [BUILD_ROLE, PIPE_ROLE]) {
      const own = of(all, role);
      expect(own.length, role).toBeGreaterThan(3);
      for (const l of own) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toEqual([AT]);
      }
    }
    const settled = links('policy-roles.yaml', { Lockdown: 'true' });
    expect(putOutput(settled).decision).toBe('ExplicitlyDenied');
    expect(of(settled, PIPE_ROLE).every((l) => l.decision === 'Allowed')).toBe(true);
  });

  it('laid over a snapshot, every role of the account has the unknown policy', () => {
    const merged = mergeModels(loadSnapshot('fixtures/demo'), load('policy-roles.yaml').model);
    const r = findRole(merged, 'arn:aws:iam::111111111111:role/service-role/demo-build-role');
    expect(r.kind).toBe('found');
    if (r.kind !== 'found') return;
    expect(rolePolicies(merged, r.value).missing).toEqual([AT]);
    // another account's roles cannot have it
    const prod = findRole(merged, 'arn:aws:iam::222222222222:role/demo-deploy-action');
    expect(prod.kind === 'found' && rolePolicies(merged, prod.value).missing).toEqual([]);
  });
});

describe('an AWS::IAM::ManagedPolicy whose name is not known', () => {
  it('is still created with its document and attached: its Deny applies', () => {
    const put = putOutput(links('managed-name.yaml'));
    expect(put.decision).toBe('ExplicitlyDenied');
    expect(put.deniedBy[0]!.policy).toMatch(/^arn:aws:iam::unresolved:policy\/unresolved-/);
  });
});

describe('an AWS::S3::BucketPolicy that may or may not apply', () => {
  const bucketLinks = (all: readonly ReportLink[]): ReportLink[] =>
    all.filter((l) => l.permission.startsWith('s3:') && l.resource.includes('art-bucket-111'));

  for (const [name, pointer] of [
    ['bucket-policy-condition.yaml', '/Resources/DenyPolicy/Condition'],
    ['bucket-policy-target.yaml', '/Resources/DenyPolicy/Properties/Bucket'],
  ] as const) {
    it(`${name}: the bucket's policy is unknown, and so are its links`, () => {
      const { model, problems } = load(name);
      const b = findBucket(model, 'art-bucket-111');
      expect(b.kind === 'found' && b.value.policy).toBeUndefined();
      expect(problems.some((p) => p.pointer === pointer && p.severity === 'warning')).toBe(true);
      const s3 = bucketLinks(analyzeModel(model).pipelines[0]!.links);
      expect(s3.length).toBeGreaterThan(5);
      for (const l of s3) {
        expect(l.decision, l.id).toBe('Unknown');
        // the template element that leaves the policy open, not a snapshot-style `#/Policy`
        expect(l.missing, l.id).toContain(`${DIR}/${name}#${pointer}`);
        expect(
          l.missing?.every((m) => m.startsWith(`${DIR}/${name}#/Resources/`)),
          l.id,
        ).toBe(true);
      }
      // settled: the Deny of the policy applies, or there is no policy
      expect(putOutput(links(name, { Lockdown: 'true' })).decision).toBe('ExplicitlyDenied');
      expect(putOutput(links(name, { Lockdown: 'false' })).decision).toBe('Allowed');
    });
  }

  it('one whose bucket is not known leaves every bucket of the account unknown over a snapshot', () => {
    const merged = mergeModels(
      loadSnapshot('fixtures/demo'),
      load('bucket-policy-target.yaml').model,
    );
    const snap = findBucket(merged, 'demo-artifacts-111111111111-us-east-1');
    expect(snap.kind === 'found' && snap.value.policy).toBeUndefined();
    expect(snap.kind === 'found' && snap.value.policyUnknownAt).toBe(
      `${DIR}/bucket-policy-target.yaml#/Resources/DenyPolicy/Properties/Bucket`,
    );
  });
});

describe('topic policies and Lambda permissions that may or may not apply', () => {
  it('leave the policy of the topic or function unknown, never none', () => {
    const { model } = load('resource-policies.yaml');
    const region = model.accounts.get('111111111111')!.regions.get('us-east-1')!;
    expect(region.snsTopics.get('maybe-topic')!.policy).toBeUndefined();
    expect(region.lambdas.get('maybe-fn')!.policy).toBeUndefined();
    // a target the template does not settle: every topic and function of the region
    expect(region.snsTopics.get('other-topic')!.policy).toBeUndefined();
    expect(region.lambdas.get('other-fn')!.policy).toBeUndefined();
    // each names the template element it depends on (what an Unknown link lists as missing)
    const FILE = `${DIR}/resource-policies.yaml`;
    expect(region.snsTopics.get('maybe-topic')!.policyUnknownAt).toBe(
      `${FILE}#/Resources/MaybeTopicPolicy/Condition`,
    );
    expect(region.lambdas.get('maybe-fn')!.policyUnknownAt).toBe(
      `${FILE}#/Resources/MaybePermission/Condition`,
    );
    expect(region.snsTopics.get('other-topic')!.policyUnknownAt).toBe(
      `${FILE}#/Resources/OtherTopicPolicy/Properties/Topics/0`,
    );
    expect(region.lambdas.get('other-fn')!.policyUnknownAt).toBe(
      `${FILE}#/Resources/OtherPermission/Properties/FunctionName`,
    );
  });

  it('settled, the policies are there or not', () => {
    const targets = {
      TopicTarget: 'arn:aws:sns:us-east-1:111111111111:other-topic',
      FnTarget: 'other-fn',
    };
    const on = load('resource-policies.yaml', { Lockdown: 'true', ...targets }).model;
    const r = on.accounts.get('111111111111')!.regions.get('us-east-1')!;
    expect(r.snsTopics.get('maybe-topic')!.policy?.statements[0]?.sid).toBe('FromTopicPolicy');
    expect(r.snsTopics.get('other-topic')!.policy?.statements[0]?.sid).toBe('OtherTopicPolicy');
    expect(r.lambdas.get('maybe-fn')!.policy?.statements[0]?.sid).toBe('MaybePermission');
    expect(r.lambdas.get('other-fn')!.policy?.statements[0]?.sid).toBe('OtherPermission');
    const off = load('resource-policies.yaml', { Lockdown: 'false', ...targets }).model;
    const o = off.accounts.get('111111111111')!.regions.get('us-east-1')!;
    expect(o.snsTopics.get('maybe-topic')!.policy).toBeNull();
    expect(o.lambdas.get('maybe-fn')!.policy).toBeNull();
  });
});

describe('AWS::IAM::RolePolicy', () => {
  it('is an inline policy of the role it names', () => {
    const put = putOutput(links('role-policy.yaml'));
    expect(put.decision).toBe('ExplicitlyDenied');
    expect(put.deniedBy[0]!.policy).toBe(`${BUILD_ROLE} guard`);
  });

  it('naming a role the template does not settle, leaves every role of the account unknown', () => {
    const FILE = `${DIR}/role-policy-import.yaml`;
    const all = links('role-policy-import.yaml');
    for (const l of [...of(all, BUILD_ROLE), ...of(all, PIPE_ROLE)]) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${FILE}#/Resources/Guard/Properties/RoleName`]);
    }
  });
});

describe('a nested stack (AWS::CloudFormation::Stack)', () => {
  const FILE = `${DIR}/nested.yaml`;

  it('is reported, and the role and bucket it is given have unknown policies', () => {
    const { model, problems } = load('nested.yaml');
    expect(problems.filter((p) => p.id === 'template.nested-stack').map((p) => p.pointer)).toEqual([
      '/Resources/BuildPermissions',
    ]);
    const b = findBucket(model, 'art-bucket-111');
    expect(b.kind === 'found' && b.value.policy).toBeUndefined();
    const all = analyzeModel(model).pipelines[0]!.links;
    // the build role lacks s3:PutObject, but the nested template may grant it
    const put = putOutput(all);
    expect(put.decision).toBe('Unknown');
    expect(put.missing).toContain(
      `${FILE}#/Resources/BuildPermissions/Properties/Parameters/RoleName`,
    );
    // its trust policy is known
    const assume = of(all, 'codebuild.amazonaws.com').find(
      (l) => l.permission === 'sts:AssumeRole',
    );
    expect(assume?.decision).toBe('Allowed');
  });
});

describe('a Policies entry of a role that the template does not settle', () => {
  const FILE = `${DIR}/policy-element.yaml`;

  it('is an unknown policy (a warning), not a malformed one, and leaves the trust policy known', () => {
    const { model, problems } = load('policy-element.yaml');
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(
      problems.some(
        (p) =>
          p.id === 'template.value.unresolved' &&
          p.pointer === '/Resources/BuildRole/Properties/Policies/0',
      ),
    ).toBe(true);
    const all = analyzeModel(model).pipelines[0]!.links;
    const assume = all.find((l) => l.permission === 'sts:AssumeRole' && l.resource === BUILD_ROLE);
    expect(assume?.decision).toBe('Allowed');
    for (const l of of(all, BUILD_ROLE)) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${FILE}#/Resources/BuildRole/Properties/Policies/0`]);
    }
    expect(putOutput(links('policy-element.yaml', { Lockdown: 'true' })).decision).toBe(
      'ExplicitlyDenied',
    );
    expect(putOutput(links('policy-element.yaml', { Lockdown: 'false' })).decision).toBe('Allowed');
  });
});

describe('role tags', () => {
  it('a YAML boolean is the tag value "true", as CloudFormation passes it', () => {
    const { model } = load('tag-boolean.yaml');
    const r = findRole(model, BUILD_ROLE);
    expect(r.kind === 'found' && r.value.tags.get('restricted')).toBe('true');
    expect(putOutput(analyzeModel(model).pipelines[0]!.links).decision).toBe('ExplicitlyDenied');
  });

  it('a value the template does not settle leaves aws:PrincipalTag unknown: the role is not read in full', () => {
    const FILE = `${DIR}/tag-unknown.yaml`;
    const put = putOutput(links('tag-unknown.yaml'));
    expect(put.decision).toBe('Unknown');
    expect(put.missing).toEqual([`${FILE}#/Resources/BuildRole/Properties/Tags/0/Value`]);
    expect(putOutput(links('tag-unknown.yaml', { Restricted: 'true' })).decision).toBe(
      'ExplicitlyDenied',
    );
    expect(putOutput(links('tag-unknown.yaml', { Restricted: 'false' })).decision).toBe('Allowed');
  });
});
