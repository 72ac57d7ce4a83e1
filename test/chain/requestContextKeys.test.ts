/**
 * Keys every call of a kind carries, which policies test: a role's calls are made with temporary
 * credentials without MFA (aws:MultiFactorAuthPresent is false), and every S3 call is signed with
 * Signature Version 4 in its headers over TLS 1.2 or later (s3:signatureversion, s3:authType,
 * s3:TlsVersion); a presigned URL and TLS 1.3 are tried when a policy tests them. Base: the
 * pass-cross-account scenario, where every link is allowed.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const BUCKET = 'orders-artifacts-111111111111-us-east-1';
const BUCKET_FILE = `111111111111/s3/${BUCKET}.json`;
const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';

function links(edit: (dir: string) => void): ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
  });
}

function addBucketStatement(dir: string, statement: Json): void {
  editJson(`${dir}/${BUCKET_FILE}`, (doc) => {
    const policy = JSON.parse(doc['Policy'] as string) as { Statement: Json[] };
    policy.Statement.push(statement);
    doc['Policy'] = JSON.stringify(policy);
  });
}

const onBucket = (l: ReportLink): boolean =>
  l.permission.startsWith('s3:') && l.resource.includes(`:::${BUCKET}`);

describe('keys every call of a kind carries', () => {
  it('the base scenario allows every link', () => {
    const all = links(() => {});
    expect(all.filter((l) => l.decision !== 'Allowed')).toEqual([]);
    expect(all.filter(onBucket).length).toBeGreaterThan(5);
  });

  it('a role session has aws:MultiFactorAuthPresent false: a Deny without MFA denies its links', () => {
    const all = links((dir) =>
      editJson(`${dir}/111111111111/iam.json`, (doc) => {
        const roles = doc['RoleDetailList'] as Json[];
        const role = roles.find((r) => r['Arn'] === PIPELINE_ROLE)!;
        const inline = (role['RolePolicyList'] as Json[])[0]!;
        const policy = inline['PolicyDocument'] as { Statement: Json[] };
        policy.Statement.push({
          Sid: 'RequireMfa',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
        });
      }),
    );
    const own = all.filter((l) => l.principal === PIPELINE_ROLE);
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((l) => l.decision))).toEqual(new Set(['ExplicitlyDenied']));
    expect(all.filter((l) => l.principal !== PIPELINE_ROLE && l.decision !== 'Allowed')).toEqual(
      [],
    );
  });

  it('the documented "require SigV4" bucket Deny does not deny service calls', () => {
    const all = links((dir) =>
      addBucketStatement(dir, {
        Sid: 'RequireSigV4',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { StringNotEquals: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } },
      }),
    );
    expect(all.filter((l) => l.decision !== 'Allowed')).toEqual([]);
  });

  it('TLS is 1.2 or 1.3: a Deny below 1.3 is Unknown; an allow that requires 1.2 or later allows', () => {
    const deny = links((dir) =>
      addBucketStatement(dir, {
        Sid: 'OnlyTls13',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { NumericLessThan: { 's3:TlsVersion': '1.3' } },
      }),
    );
    const objects = deny.filter((l) => onBucket(l) && l.resource.includes(`${BUCKET}/`));
    expect(objects.length).toBeGreaterThan(0);
    for (const l of objects) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('s3:TlsVersion');
    }
    // the prod account's object grants, narrowed to TLS 1.2 or later
    const narrowed = links((dir) =>
      editJson(`${dir}/${BUCKET_FILE}`, (doc) => {
        const policy = JSON.parse(doc['Policy'] as string) as { Statement: Json[] };
        const st = policy.Statement.find((s) => s['Sid'] === 'ProdAccountObjects')!;
        st['Condition'] = { NumericGreaterThanEquals: { 's3:TlsVersion': '1.2' } };
        doc['Policy'] = JSON.stringify(policy);
      }),
    );
    const prod = narrowed.filter((l) => onBucket(l) && l.principal.includes('::222222222222:'));
    expect(prod.length).toBeGreaterThan(0);
    expect(narrowed.filter((l) => l.decision !== 'Allowed')).toEqual([]);
  });

  it('a bucket that requires header-signed calls leaves its links Unknown: a presigned URL is not', () => {
    const all = links((dir) =>
      addBucketStatement(dir, {
        Sid: 'HeadersOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { StringNotEquals: { 's3:authType': 'REST-HEADER' } },
      }),
    );
    const objects = all.filter((l) => onBucket(l) && l.resource.includes(`${BUCKET}/`));
    expect(objects.length).toBeGreaterThan(0);
    for (const l of objects) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('s3:authType');
    }
  });
});
