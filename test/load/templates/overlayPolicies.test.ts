/**
 * Templates laid over a snapshot (`analyze SNAPSHOT --template T`): what a template defines
 * replaces the snapshot's copy, but what another resource writes stays as the snapshot says
 * unless the templates write it too: a bucket's, topic's or function's resource policy. A
 * template role's policies written elsewhere may or may not stay after the deploy: unknown. And
 * a template does not list an account's KMS aliases: those it does not define stay unknown.
 */
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { noManagedPolicies, staticManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';
import { findBucket, findRole, resolveKmsKey, rolePolicies } from '../../../src/model/queries.js';
import type { LambdaModel, Model, RegionModel, SnsTopicModel } from '../../../src/model/types.js';
import { parsePolicy } from '../../../src/policy/parse.js';

const DIR = 'test/load/templates/fixtures/unknowns';
const ENV = { account: '111111111111', region: 'us-east-1' };
const BUCKET = 'demo-artifacts-111111111111-us-east-1';

const template = (path: string): Model =>
  loadSingleTemplate(path, { ...ENV, managedPolicies: noManagedPolicies }).model;

const statement = (sid: string) =>
  parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [{ Sid: sid, Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
    },
    { name: sid, policyType: 'resource' },
  ).policy!;

/** The demo snapshot with a topic and two functions that have resource policies. */
function snapshot(): Model {
  const snap = loadSnapshot('fixtures/demo');
  const account = snap.accounts.get('111111111111')!;
  const region = account.regions.get('us-east-1')!;
  const at = (file: string) => ({ file, pointer: '' });
  const topic: SnsTopicModel = {
    name: 'demo-topic',
    arn: 'arn:aws:sns:us-east-1:111111111111:demo-topic',
    account: '111111111111',
    region: 'us-east-1',
    policy: statement('SnapshotTopic'),
    kmsMasterKeyId: undefined,
    location: at('111111111111/us-east-1/sns/demo-topic.json'),
  };
  const fn = (name: string): LambdaModel => ({
    name,
    arn: `arn:aws:lambda:us-east-1:111111111111:function:${name}`,
    account: '111111111111',
    region: 'us-east-1',
    role: 'arn:aws:iam::111111111111:role/old',
    policy: statement('SnapshotPermission'),
    location: at(`111111111111/us-east-1/lambda/${name}.json`),
  });
  const next: RegionModel = {
    ...region,
    snsTopics: new Map([['demo-topic', topic]]),
    lambdas: new Map([
      ['kept-fn', fn('kept-fn')],
      ['written-fn', fn('written-fn')],
    ]),
  };
  return {
    ...snap,
    accounts: new Map([
      ...snap.accounts,
      ['111111111111', { ...account, regions: new Map([['us-east-1', next]]) }],
    ]),
  };
}

describe('resource policies written by resources of their own', () => {
  it("a template bucket over the snapshot's: the snapshot's bucket policy no template writes is unknown, with a warning", () => {
    // another stack's policy stays; one an earlier version of this template wrote is removed
    // by the deploy (kept as known, a change dropping the policy resource left it in force)
    const snap = loadSnapshot('fixtures/demo');
    const merged = mergeModels(snap, template(`${DIR}/overlay-bucket.yaml`));
    const before = findBucket(snap, BUCKET);
    expect(before.kind === 'found' && before.value.policy?.statements.length).toBe(4);
    const after = findBucket(merged, BUCKET);
    expect(after.kind === 'found' && after.value.location.file).toBe(`${DIR}/overlay-bucket.yaml`);
    expect(after.kind === 'found' && after.value.policy).toBeUndefined();
    expect(after.kind === 'found' && after.value.policyUnknownAt).toBe(
      `111111111111/s3/${BUCKET}.json#/Policy (the snapshot's policy, which no template writes: whether the deploy keeps it is not known)`,
    );
    expect(
      merged.problems
        .filter((p) => p.id === 'template.resource.snapshot-policy')
        .map((p) => p.file),
    ).toEqual([`${DIR}/overlay-bucket.yaml`]);
  });

  it('a template topic or function: the snapshot policy no template writes is unknown; one the templates write is theirs', () => {
    const merged = mergeModels(snapshot(), template(`${DIR}/overlay-resources.yaml`));
    const region = merged.accounts.get('111111111111')!.regions.get('us-east-1')!;
    const sids = (p: { policy: unknown }) =>
      (p.policy as ReturnType<typeof statement> | null | undefined)?.statements.map((s) => s.sid);
    expect(region.snsTopics.get('demo-topic')!.policy).toBeUndefined();
    expect(region.snsTopics.get('demo-topic')!.policyUnknownAt).toMatch(
      /#\/Attributes\/Policy \(the snapshot's policy, which no template writes/,
    );
    expect(region.lambdas.get('kept-fn')!.policy).toBeUndefined();
    expect(region.lambdas.get('kept-fn')!.policyUnknownAt).toMatch(
      /#\/Policy \(the snapshot's policy/,
    );
    expect(sids(region.lambdas.get('written-fn')!)).toEqual(['WrittenPermission']);
    // the rest of each is the template's
    expect(region.lambdas.get('kept-fn')!.role).toBe(
      'arn:aws:iam::111111111111:role/overlay-fn-role',
    );
  });

  it('a topic policy for a topic only the snapshot holds is applied to it', () => {
    const merged = mergeModels(snapshot(), template(`${DIR}/overlay-topic-policy.yaml`));
    const topic = merged.accounts.get('111111111111')!.regions.get('us-east-1')!.snsTopics;
    expect(topic.get('demo-topic')!.policy?.statements.map((s) => s.sid)).toEqual(['FromTemplate']);
    expect(merged.problems.filter((p) => p.id === 'template.attachment.target-unknown')).toEqual(
      [],
    );
  });
});

describe('a template role over the snapshot role', () => {
  const OVERLAY = 'test/load/templates/fixtures/merge/overlay.yaml';

  it("keeps the snapshot's policies the templates do not write as unknown, with a warning", () => {
    const overlay = loadSingleTemplate(OVERLAY, {
      ...ENV,
      managedPolicies: staticManagedPolicies('fake-managed', {
        AWSCodePipeline_FullAccess: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'codepipeline:*', Resource: '*' }],
        },
      }),
    }).model;
    const merged = mergeModels(loadSnapshot('fixtures/demo'), overlay);
    const arn = 'arn:aws:iam::111111111111:role/service-role/demo-pipeline-role';
    const role = findRole(merged, arn);
    expect(role.kind).toBe('found');
    if (role.kind !== 'found') return;
    // demo-pipeline-policy was attached by something the template does not say: it may stay
    // (another stack) or go (an earlier version of this template): unknown
    const snapRole = findRole(loadSnapshot('fixtures/demo'), arn);
    const snapInline = snapRole.kind === 'found' ? snapRole.value.inlinePolicies[0]! : undefined;
    expect(snapInline?.name).toBe('demo-pipeline-policy');
    expect(rolePolicies(merged, role.value).missing).toEqual([
      `${snapInline!.location.file}#${snapInline!.location.pointer}`,
    ]);
    expect(
      merged.problems
        .filter((p) => p.id === 'template.role.snapshot-policies')
        .map((p) => [p.file, p.pointer]),
    ).toEqual([[OVERLAY, '/Resources/PipelineRole']]);
  });
});

describe('KMS aliases', () => {
  const ALIAS = `${DIR}/alias.yaml`;

  it('an alias the templates do not define is unknown, not absent', () => {
    const model = template(ALIAS);
    const other = resolveKmsKey(model, '111111111111', 'us-east-1', 'alias/shared-build-key');
    expect(other).toMatchObject({
      kind: 'missing',
      file: '111111111111/us-east-1/kms/aliases.json',
    });
    // the one they define is found
    const own = resolveKmsKey(model, '111111111111', 'us-east-1', 'alias/pipeline-key');
    expect(own.kind).toBe('found');
  });

  it("laid over a snapshot's kms/aliases.json, the list is complete", () => {
    const merged = mergeModels(loadSnapshot('fixtures/demo'), template(ALIAS));
    expect(resolveKmsKey(merged, '111111111111', 'us-east-1', 'alias/shared-build-key').kind).toBe(
      'absent',
    );
    expect(resolveKmsKey(merged, '111111111111', 'us-east-1', 'alias/demo-artifacts').kind).toBe(
      'found',
    );
    expect(resolveKmsKey(merged, '111111111111', 'us-east-1', 'alias/pipeline-key').kind).toBe(
      'found',
    );
  });
});
