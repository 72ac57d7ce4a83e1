/**
 * The key of an artifact store is in the store's region: a key the template does not settle,
 * for an `ArtifactStores` entry of another region than the stack's, is a placeholder ARN of that
 * region, not of the stack's.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { Model, PipelineModel } from '../../../src/model/types.js';

const FILE = 'test/load/templates/fixtures/kms/cross-region-stores.yaml';
const KEY = (region: string): RegExp =>
  new RegExp(`^arn:aws:kms:${region}:unresolved:key/unresolved-[0-9a-f]{10}$`);

function load(): Model {
  return loadSingleTemplate(FILE, {
    account: '111111111111',
    region: 'us-east-1',
    managedPolicies: noManagedPolicies,
  }).model;
}

const pipeline = (model: Model): PipelineModel =>
  model.accounts.get('111111111111')!.regions.get('us-east-1')!.pipelines.get('pl')!;

describe('artifact store keys of other regions', () => {
  it('a key Id no input gives, or a whole store left open: a placeholder key of the store region', () => {
    const model = load();
    const stores = pipeline(model).artifactStores;
    expect([...stores.keys()]).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1']);
    expect(stores.get('eu-west-1')!.encryptionKey!.id).toMatch(KEY('eu-west-1'));
    expect(stores.get('ap-south-1')!.encryptionKey!.id).toMatch(KEY('ap-south-1'));
    expect(stores.get('us-east-1')!.encryptionKey).toBeUndefined();
    // each is mapped to the template element that would settle it
    expect(
      model.unresolved!.get(stores.get('eu-west-1')!.encryptionKey!.id)?.location,
    ).toMatchObject({
      pointer: '/Resources/P/Properties/ArtifactStores/1/ArtifactStore/EncryptionKey/Id/Ref',
    });
  });

  it('the KMS links of the eu-west-1 action name the eu-west-1 placeholder key, never one of us-east-1', () => {
    const links = analyzeModel(load()).pipelines.flatMap((p) => p.links);
    const placeholders = links.filter((l) => l.resource.includes(':unresolved:key/'));
    expect(placeholders.length).toBeGreaterThan(0);
    for (const l of placeholders) {
      expect(l.stage, l.id).toBe('Deploy');
      expect(l.resource, l.id).toMatch(KEY('eu-west-1'));
      expect(l.decision, l.id).toBe('Unknown');
    }
  });
});
