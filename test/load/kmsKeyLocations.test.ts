/**
 * Where a KMS key's policy and state are written, so that a link can name the place that
 * settles or decides it: a snapshot key file's `/Policy` and `/KeyMetadata/KeyState` (or
 * `/KeyMetadata/Enabled`), a template key's `KeyPolicy` and `Enabled` properties (or the key
 * itself when it sets none), never a snapshot pointer for a template key.
 */
import { describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { KmsKeyModel, Model } from '../../src/model/types.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const KEY_ID = '7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const KEY_FILE = `111111111111/us-east-1/kms/${KEY_ID}.json`;

function onlyKey(model: Model): KmsKeyModel {
  const keys = [...model.accounts.get('111111111111')!.regions.get('us-east-1')!.kmsKeys.values()];
  expect(keys).toHaveLength(1);
  return keys[0]!;
}

function snapshotKey(edit: (meta: Json) => void = () => {}): KmsKeyModel {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(`${dir}/${KEY_FILE}`, (doc) => edit(doc['KeyMetadata'] as Json));
    const key = loadSnapshot(dir)
      .accounts.get('111111111111')!
      .regions.get('us-east-1')!
      .kmsKeys.get(KEY_ID)!;
    expect(key).toBeDefined();
    return key;
  });
}

describe('snapshot key file', () => {
  it('the policy is at /Policy, the state at /KeyMetadata/KeyState', () => {
    const key = snapshotKey();
    expect(key.policyLocation).toEqual({ file: KEY_FILE, pointer: '/Policy' });
    expect(key.stateLocation).toEqual({ file: KEY_FILE, pointer: '/KeyMetadata/KeyState' });
  });

  it('a file with Enabled but no KeyState: the state is at /KeyMetadata/Enabled', () => {
    const key = snapshotKey((meta) => {
      delete meta['KeyState'];
      meta['Enabled'] = false;
    });
    expect(key.enabled).toBe(false);
    expect(key.stateLocation).toEqual({ file: KEY_FILE, pointer: '/KeyMetadata/Enabled' });
  });
});

describe('template key', () => {
  const load = (name: string): KmsKeyModel =>
    onlyKey(
      loadSingleTemplate(`test/load/templates/fixtures/${name}`, {
        account: '111111111111',
        region: 'us-east-1',
        managedPolicies: noManagedPolicies,
      }).model,
    );

  it('KeyPolicy and Enabled written: the properties, with their lines', () => {
    const file = 'test/load/templates/fixtures/booleans/settings.yaml';
    const key = load('booleans/settings.yaml');
    expect(key.policyLocation).toEqual({
      file,
      pointer: '/Resources/Key/Properties/KeyPolicy',
      line: 18,
      column: 7,
    });
    expect(key.stateLocation).toEqual({
      file,
      pointer: '/Resources/Key/Properties/Enabled',
      line: 16,
      column: 7,
    });
  });

  it('an Enabled the template does not settle: the state is at the property', () => {
    const key = load('booleans/key-condition.yaml');
    expect(key.stateLocation).toMatchObject({
      pointer: '/Resources/Key/Properties/Enabled',
      line: 31,
    });
    expect(key.policyLocation).toMatchObject({
      pointer: '/Resources/Key/Properties/KeyPolicy',
      line: 32,
    });
  });

  it('neither written (default key policy, enabled): the key resource', () => {
    const key = load('kms/key-default.yaml');
    const at = {
      file: 'test/load/templates/fixtures/kms/key-default.yaml',
      pointer: '/Resources/Key',
      line: 4,
      column: 3,
    };
    expect(key.policyLocation).toEqual(at);
    expect(key.stateLocation).toEqual(at);
    expect(key.keyState).toBe('Enabled');
    expect(key.policy).toBeDefined();
  });
});
