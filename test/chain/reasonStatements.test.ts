/**
 * A link's reasons name the statement that decides it: by its Sid, or by its 1-based index when
 * it has none. A statement without a Sid at index 1 and another whose Sid is "1" are two
 * statements, and each link names (and points at) its own.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';

describe('statements named in reasons', () => {
  it('statement 1 (no Sid) and the statement whose Sid is "1" are told apart', () => {
    const links = inScenarioCopy(SCENARIO, (dir) => {
      editJson(`${dir}/111111111111/iam.json`, (doc: Json) => {
        const roles = doc['RoleDetailList'] as Json[];
        const role = roles.find((r) => r['Arn'] === PIPELINE_ROLE)!;
        const inline = (role['RolePolicyList'] as Json[])[0]!;
        inline['PolicyDocument'] = {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
            { Sid: '1', Effect: 'Allow', NotAction: 's3:PutObject', Resource: '*' },
          ],
        };
      });
      return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    });
    const identityReasons = (permission: string) =>
      links
        .filter((l) => l.principal === PIPELINE_ROLE && l.permission === permission)
        .flatMap((l) => (l.allowedBy ?? []).filter((r) => r.policyType === 'identity'));
    const put = identityReasons('s3:PutObject');
    const versioning = identityReasons('s3:GetBucketVersioning');
    expect(put.length).toBeGreaterThan(0);
    expect(versioning.length).toBeGreaterThan(0);
    for (const r of put) {
      expect(r.statement).toBe(1);
      expect(r.location?.pointer).toMatch(/\/PolicyDocument\/Statement\/0$/);
    }
    for (const r of versioning) {
      expect(r.statement).toBe('1');
      expect(r.location?.pointer).toMatch(/\/PolicyDocument\/Statement\/1$/);
    }
  });
});
