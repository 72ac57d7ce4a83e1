/**
 * KMS grants as an allow path (resolveLink.ts grantDecision): a link denied only for want of an
 * allow in the key policy or the caller's IAM policies is allowed by a grant to the caller for
 * that operation; what AWS does not document is Unknown, and what a grant cannot undo stays
 * denied. The base is the codebuild-role-no-kms scenario: the CodeBuild role has no KMS
 * statement and the key policy only delegates to IAM for it.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/codebuild-role-no-kms';
const KEY_FILE = '111111111111/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';

function kmsLinks(
  scenario: string,
  principal: string,
  grants: unknown[] | undefined,
  edit?: (dir: string) => void,
): ReportLink[] {
  return inScenarioCopy(scenario, (dir) => {
    if (grants !== undefined)
      editJson(`${dir}/${KEY_FILE}`, (doc: Json) => {
        doc['Grants'] = grants;
      });
    edit?.(dir);
    const report = analyzeModel(loadSnapshot(dir));
    return report.pipelines
      .flatMap((p) => p.links)
      .filter((l) => l.permission.startsWith('kms:') && l.principal === principal);
  });
}

const buildRoleKmsLinks = (grants: unknown[] | undefined, edit?: (dir: string) => void) =>
  kmsLinks(SCENARIO, BUILD_ROLE, grants, edit);

function grant(over: Record<string, unknown>): Record<string, unknown> {
  return {
    KeyId: KEY_ARN,
    GrantId: 'g-1',
    Name: 'build-decrypt',
    IssuingAccount: 'arn:aws:iam::111111111111:root',
    Operations: ['Decrypt', 'GenerateDataKey'],
    ...over,
  };
}

/**
 * The build role has two kms:Decrypt links on the key: the read of its input artifact
 * (codebuild-project.input-kms-decrypt) and a multipart upload's of its output artifact
 * (codebuild-project.output-multipart-kms-decrypt, recommended), decided alike here.
 */
const decisions = (links: readonly ReportLink[]): string[] =>
  links.map((l) => `${l.permission} ${l.decision}`).sort();

describe('KMS grants', () => {
  it('the scenario fails without a grant, and with an empty grant list (the base this test edits)', () => {
    for (const grants of [undefined, []]) {
      expect(decisions(buildRoleKmsLinks(grants))).toEqual([
        'kms:Decrypt ImplicitlyDenied',
        'kms:Decrypt ImplicitlyDenied',
        'kms:GenerateDataKey ImplicitlyDenied',
      ]);
    }
  });

  it('a grant to the build role for Decrypt and GenerateDataKey allows both, naming the grant', () => {
    const links = buildRoleKmsLinks([grant({ GranteePrincipal: BUILD_ROLE })]);
    expect(decisions(links)).toEqual([
      'kms:Decrypt Allowed',
      'kms:Decrypt Allowed',
      'kms:GenerateDataKey Allowed',
    ]);
    for (const l of links) {
      expect(l.allowedBy).toEqual([
        {
          explicit: false,
          location: { file: KEY_FILE, pointer: '/Grants/0' },
          policy: `${KEY_ARN} (grant build-decrypt)`,
          policyType: 'resource',
        },
      ]);
      expect(l.why).toContain('through grant `build-decrypt`');
    }
  });

  it('only the operations the grant lists: a grant for Decrypt leaves GenerateDataKey denied', () => {
    const links = buildRoleKmsLinks([
      grant({ GranteePrincipal: BUILD_ROLE, Operations: ['Decrypt', 'DescribeKey'] }),
    ]);
    expect(decisions(links)).toEqual([
      'kms:Decrypt Allowed',
      'kms:Decrypt Allowed',
      'kms:GenerateDataKey ImplicitlyDenied',
    ]);
  });

  it('a grant to another principal changes nothing', () => {
    const links = buildRoleKmsLinks([
      grant({ GranteePrincipal: 'arn:aws:iam::111111111111:role/someone-else' }),
    ]);
    expect(decisions(links)).toEqual([
      'kms:Decrypt ImplicitlyDenied',
      'kms:Decrypt ImplicitlyDenied',
      'kms:GenerateDataKey ImplicitlyDenied',
    ]);
  });

  it('a grant with an encryption context constraint is Unknown, naming the grant', () => {
    const links = buildRoleKmsLinks([
      grant({
        GranteePrincipal: BUILD_ROLE,
        Constraints: { EncryptionContextSubset: { 'aws:s3:arn': 'arn:aws:s3:::other/*' } },
      }),
    ]);
    expect(decisions(links)).toEqual([
      'kms:Decrypt Unknown',
      'kms:Decrypt Unknown',
      'kms:GenerateDataKey Unknown',
    ]);
    for (const l of links) expect(l.missing).toEqual([`${KEY_FILE}#/Grants/0`]);
  });

  it('a grant to the account root rather than the role is Unknown', () => {
    const links = buildRoleKmsLinks([
      grant({ GranteePrincipal: 'arn:aws:iam::111111111111:root' }),
    ]);
    expect(decisions(links)).toEqual([
      'kms:Decrypt Unknown',
      'kms:Decrypt Unknown',
      'kms:GenerateDataKey Unknown',
    ]);
  });

  it('an explicit deny in the key policy still wins over a grant', () => {
    const links = buildRoleKmsLinks([grant({ GranteePrincipal: BUILD_ROLE })], (dir) =>
      editJson(`${dir}/${KEY_FILE}`, (doc) => {
        const policy = JSON.parse(doc['Policy'] as string) as { Statement: unknown[] };
        policy.Statement.push({
          Sid: 'NoBuild',
          Effect: 'Deny',
          Principal: { AWS: BUILD_ROLE },
          Action: 'kms:Decrypt',
          Resource: '*',
        });
        doc['Policy'] = JSON.stringify(policy);
      }),
    );
    expect(decisions(links)).toEqual([
      'kms:Decrypt ExplicitlyDenied',
      'kms:Decrypt ExplicitlyDenied',
      'kms:GenerateDataKey Allowed',
    ]);
  });

  it('an SCP that does not allow kms: leaves the link denied: a grant is an allow the SCP limits', () => {
    const links = buildRoleKmsLinks([grant({ GranteePrincipal: BUILD_ROLE })], (dir) =>
      editJson(`${dir}/organization/scp/p-FullAWSAccess.json`, (doc) => {
        (doc['Policy'] as Json)['Content'] = JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', NotAction: 'kms:*', Resource: '*' }],
        });
      }),
    );
    expect(decisions(links)).toEqual([
      'kms:Decrypt ImplicitlyDenied',
      'kms:Decrypt ImplicitlyDenied',
      'kms:GenerateDataKey ImplicitlyDenied',
    ]);
  });

  it("across accounts: a grant stands in for the key policy when the caller's IAM policy allows", () => {
    // the key policy forgot the prod account; the prod roles' IAM policies allow the key
    const scenario = 'fixtures/scenarios/key-policy-missing-account';
    const before = inScenarioCopy(scenario, (dir) =>
      analyzeModel(loadSnapshot(dir))
        .pipelines.flatMap((p) => p.links)
        .filter((l) => l.permission.startsWith('kms:') && l.decision !== 'Allowed'),
    );
    const prod = [...new Set(before.map((l) => l.principal))];
    expect(prod).toHaveLength(1);
    expect(prod[0]).toMatch(/^arn:aws:iam::222222222222:role\//);
    expect(new Set(before.map((l) => l.deniedBy.map((d) => d.policyType).join()))).toEqual(
      new Set(['resource']),
    );
    const ops = [...new Set(before.map((l) => l.permission.slice(4)))];
    const after = kmsLinks(scenario, prod[0]!, [
      grant({ GranteePrincipal: prod[0], Operations: ops }),
    ]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.map((l) => l.decision)).toEqual(after.map(() => 'Allowed'));
    // the same grant when the prod role's IAM policies do not allow the key either: whether a
    // grant needs the caller's IAM allow across accounts is not documented
    const noIam = kmsLinks(
      scenario,
      prod[0]!,
      [grant({ GranteePrincipal: prod[0], Operations: ops })],
      (dir) =>
        editJson(`${dir}/222222222222/iam.json`, (doc) => {
          const text = JSON.stringify(doc).replaceAll('"kms:', '"kmsx:');
          for (const k of Object.keys(doc)) delete doc[k];
          Object.assign(doc, JSON.parse(text) as Json);
        }),
    );
    const denied = noIam.filter((l) => before.some((b) => b.id === l.id));
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.map((l) => l.decision)).toEqual(denied.map(() => 'Unknown'));
  });
});
