/**
 * The copy of an input artifact into the artifact store of a cross-account action's region is
 * made by the pipeline role, in the pipeline's account: the store key named by alias resolves
 * there ("Aliases are recognized only in the account that created the KMS key",
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html). It was
 * put on the alias in the action's account, with the action's alias failure: a denial of the
 * pipeline role that does not exist (chain review F2, session 23).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json, writeKmsKey } from './scenarioCopy.js';

const WEST_KEY = 'arn:aws:kms:us-west-2:111111111111:key/0a0a0a0a-1111-2222-3333-444444444444';
const WEST_BUCKET = 'orders-artifacts-111111111111-us-west-2';
const EAST_STORE = {
  type: 'S3',
  location: 'orders-artifacts-111111111111-us-east-1',
  encryptionKey: {
    id: 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e',
    type: 'KMS',
  },
};

/** pass-cross-account with the prod deploy action in us-west-2, whose store key is an alias. */
function links(): readonly ReportLink[] {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(join(dir, '111111111111/us-east-1/codepipeline/orders-api.json'), (d) => {
      const p = d['pipeline'] as Json & { stages: { name: string; actions: Json[] }[] };
      delete p['artifactStore'];
      p['artifactStores'] = {
        'us-east-1': EAST_STORE,
        'us-west-2': {
          type: 'S3',
          location: WEST_BUCKET,
          encryptionKey: { id: 'alias/orders-west', type: 'KMS' },
        },
      };
      const deploy = p.stages.find((s) => s.name === 'DeployProd')!.actions[0]!;
      deploy['region'] = 'us-west-2';
    });
    writeKmsKey(dir, WEST_KEY, [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'kms:*',
        Resource: '*',
      },
    ]);
    const kms = join(dir, '111111111111/us-west-2/kms');
    writeFileSync(
      join(kms, 'aliases.json'),
      JSON.stringify({
        Aliases: [
          {
            AliasName: 'alias/orders-west',
            AliasArn: 'arn:aws:kms:us-west-2:111111111111:alias/orders-west',
            TargetKeyId: '0a0a0a0a-1111-2222-3333-444444444444',
          },
        ],
      }),
    );
    writeFileSync(
      join(dir, `111111111111/s3/${WEST_BUCKET}.json`),
      JSON.stringify({
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        LocationConstraint: 'us-west-2',
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
        },
      }),
    );
    // the pipeline role may use the west store and key
    editJson(join(dir, '111111111111/iam.json'), (d) => {
      const role = (d['RoleDetailList'] as (Json & { RolePolicyList: Json[] })[]).find((r) =>
        String(r['RoleName']).endsWith('pipeline-role'),
      )!;
      role.RolePolicyList.push({
        PolicyName: 'west',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'West',
              Effect: 'Allow',
              Action: ['s3:PutObject', 's3:GetObject', 'kms:GenerateDataKey*', 'kms:Decrypt'],
              Resource: [`arn:aws:s3:::${WEST_BUCKET}/*`, WEST_KEY],
            },
          ],
        },
      });
    });
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
  });
}

describe('replicating an artifact into a cross-account action region whose store key is an alias', () => {
  it("the pipeline role's copy encrypts with the key the alias names in the pipeline's account, allowed", () => {
    const all = links();
    const copy = all.find((l) => l.id.includes('artifacts.replicate.kms-generate-data-key'))!;
    expect(copy.principal).toContain(':111111111111:role/');
    expect(copy.resource).toBe(WEST_KEY);
    expect(copy.decision).toBe('Allowed');
    // the pipeline role has no failing link; the action role's own KMS links still name the
    // alias in its account, which AWS resolves there
    const pipelineRole = all.filter((l) => l.principal === copy.principal);
    expect(pipelineRole.filter((l) => l.decision !== 'Allowed').map((l) => l.id)).toEqual([]);
    const actionKms = all.filter(
      (l) => l.principal.includes(':222222222222:') && l.permission.startsWith('kms:'),
    );
    expect(actionKms.length).toBeGreaterThan(0);
    for (const l of actionKms) {
      expect(l.resource).toBe('arn:aws:kms:us-west-2:222222222222:alias/orders-west');
      // the action's own failure: the alias names no key of its account (not Unknown, not Allowed)
      expect(l.decision).toBe('ImplicitlyDenied');
      expect(l.why).toContain(
        "the artifact store names its key `alias/orders-west`, which AWS resolves in the action's account `222222222222`",
      );
    }
  });
});
