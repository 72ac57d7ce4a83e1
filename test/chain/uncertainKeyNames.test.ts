/**
 * A link that depends on a condition key whose value the input does not settle names the key as
 * AWS documents it (`aws:SourceIp`, `kms:EncryptionContext:`), whatever casing the policy wrote
 * (key names are case-insensitive), and the part after a documented prefix (an encryption
 * context key, a tag key) as the policy wrote it, not lower-cased.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { trialsFor, testedKeys } from '../../src/chain/uncertainKeys.js';
import { parsePolicy } from '../../src/policy/parse.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';

function deployGets(condition: Json): readonly ReportLink[] {
  const links = inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '222222222222/iam.json'), (iam) => {
      const role = (iam['RoleDetailList'] as Json[]).find(
        (r) => r['RoleName'] === 'orders-api-deploy-action',
      )!;
      const doc = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
        Statement: Json[];
      };
      doc.Statement.find((st) => st['Sid'] === 'ArtifactObjects')!['Condition'] = condition;
    });
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
  });
  const gets = links.filter((l) => l.principal === DEPLOY_ROLE && l.permission === 's3:GetObject');
  expect(gets.length).toBeGreaterThan(0);
  return gets;
}

describe('the keys an Unknown link depends on', () => {
  it('are named as AWS documents them, not lower-cased nor as the policy cased them', () => {
    const gets = deployGets({
      StringEquals: { 'AWS:SOURCEVPCE': 'vpce-0a1b2c3d' },
      IpAddress: { 'aws:sourceip': '10.0.0.0/8' },
    });
    for (const l of gets) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('the answer depends on `aws:SourceIp`, `aws:SourceVpce`,');
    }
  });

  it('keep the part after a documented prefix as the policy wrote it', () => {
    const { policy } = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: {
              StringEquals: {
                'KMS:ENCRYPTIONCONTEXT:Project': 'x',
                'aws:resourcetag/CostCenter': 'y',
              },
            },
          },
        ],
      },
      { name: 'p', policyType: 'identity' },
    );
    const keys = trialsFor([], [testedKeys([policy!])], {}, false)!.map((t) => t.key.key);
    expect(keys).toEqual(['aws:ResourceTag/CostCenter', 'kms:EncryptionContext:Project']);
  });
});
