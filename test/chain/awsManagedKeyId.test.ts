/**
 * An AWS-managed key (`alias/aws/s3`) that the input does not list: KMS authorizes a call on it
 * by the key's ARN, never by the alias ("When an alias is the value of a resource element, the
 * policy applies to the alias resource, not to any KMS key that might be associated with it",
 * https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html). The link is
 * evaluated on the key ARN with its id made up and tried with the ids policies name; the report
 * still shows the alias.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/aws-managed-key-cross-account';
const T = '111111111111';
const ALIAS = `arn:aws:kms:us-east-1:${T}:alias/aws/s3`;
const KEY_ID = '3e5f7a9b-1c2d-4e6f-8a0b-c1d2e3f4a5b6';

/**
 * The build role's kms links, with the key not listed and (when `deny` is given) a Deny of
 * every kms call on `deny` added to the build role's policy.
 */
function buildKmsLinks(deny?: string): readonly ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    rmSync(join(dir, T, 'us-east-1', 'kms'), { recursive: true });
    if (deny !== undefined)
      addToBuildRole(dir, {
        Sid: 'NoKeys',
        Effect: 'Deny',
        Action: 'kms:*',
        Resource: deny,
      });
    return analyzeModel(loadSnapshot(dir))
      .pipelines.flatMap((p) => p.links)
      .filter(
        (l) =>
          l.permission.startsWith('kms:') &&
          l.principal.endsWith(':role/service-role/orders-api-build-role'),
      );
  });
}

/** Add `statement` to the inline policies of the build role of the copy in `dir`. */
function addToBuildRole(dir: string, statement: Json): void {
  editJson(join(dir, T, 'iam.json'), (iam) => {
    for (const role of iam['RoleDetailList'] as Json[]) {
      if (role['RoleName'] !== 'orders-api-build-role') continue;
      for (const p of role['RolePolicyList'] as Json[])
        (p['PolicyDocument'] as { Statement: Json[] }).Statement.push(statement);
    }
  });
}

describe('an AWS-managed key the input does not list', () => {
  it('allowed by its key policy, which allows every principal of the account through S3; the link shows the alias', () => {
    const links = buildKmsLinks();
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Allowed');
      expect(l.resource, l.id).toBe(ALIAS);
      expect(
        l.allowedBy?.map((r) => r.policyType),
        l.id,
      ).toContain('resource');
    }
  });

  it('a Deny of every key of the account applies to it', () => {
    // was Allowed: the alias ARN was matched against `key/*` as if it were the key's ARN
    const links = buildKmsLinks(`arn:aws:kms:us-east-1:${T}:key/*`);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy, l.id).toEqual([
        expect.objectContaining({ policyType: 'identity', statement: 'NoKeys', explicit: true }),
      ]);
    }
  });

  it('a Deny of the alias ARN does not apply to the key', () => {
    // was ExplicitlyDenied: "the policy applies to the alias resource, not to any KMS key"
    for (const l of buildKmsLinks(ALIAS)) expect(l.decision, l.id).toBe('Allowed');
  });

  it('a Deny of one key ARN: Unknown, since whether that is the key of the alias is not known', () => {
    const links = buildKmsLinks(`arn:aws:kms:us-east-1:${T}:key/${KEY_ID}`);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(`key/${KEY_ID}`);
      expect(l.why, l.id).toContain('the id of the AWS-managed key `alias/aws/s3`');
      expect(l.why, l.id).toContain(`${T}/us-east-1/kms/aliases.json`);
    }
  });
  it('another account: still denied by the key policy, whatever the id', () => {
    const links = inScenarioCopy(SCENARIO, (dir) => {
      rmSync(join(dir, T, 'us-east-1', 'kms'), { recursive: true });
      return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    });
    const prod = links.filter(
      (l) => l.permission === 'kms:Decrypt' && l.principal.includes(':222222222222:'),
    );
    expect(prod.length).toBeGreaterThan(0);
    for (const l of prod) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(
        l.deniedBy.map((d) => d.policyType),
        l.id,
      ).toEqual(['resource']);
      expect(l.resource, l.id).toBe(ALIAS);
    }
  });
});

describe('a key named by an alias whose key file is missing', () => {
  const KEY_SCENARIO = 'fixtures/scenarios/key-alias-cross-account-output';

  it('a Deny of every key still decides, on the key the alias points to or a made-up one, and the words name the alias', () => {
    for (const dropAliases of [false, true]) {
      const links = inScenarioCopy(KEY_SCENARIO, (dir) => {
        const kms = join(dir, T, 'us-east-1', 'kms');
        for (const f of readdirSync(kms))
          if (f !== 'aliases.json' || dropAliases) rmSync(join(kms, f));
        addToBuildRole(dir, {
          Sid: 'NoKms',
          Effect: 'Deny',
          Action: 'kms:*',
          Resource: '*',
        });
        return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
      });
      const onAlias = links.filter(
        (l) =>
          l.permission.startsWith('kms:') &&
          l.principal.endsWith('orders-api-build-role') &&
          l.resource.includes(':alias/'),
      );
      expect(onAlias.length, String(dropAliases)).toBeGreaterThan(0);
      for (const l of onAlias) {
        // (was Unknown: the request on the alias ARN was refused, and the Deny decided nothing)
        expect(l.decision, l.id).toBe('ExplicitlyDenied');
        // the key the alias points to when the input lists it, else the alias
        expect(l.why, l.id).toContain(dropAliases ? l.resource : ':key/');
        expect(l.why, l.id).not.toContain('00000000-0000');
      }
    }
  });

  it('an AWS-managed key whose alias the input lists with its target: decided on that key, not tried', () => {
    const links = inScenarioCopy(SCENARIO, (dir) => {
      rmSync(join(dir, T, 'us-east-1', 'kms', `${KEY_ID}.json`));
      addToBuildRole(dir, {
        Sid: 'NoKey',
        Effect: 'Deny',
        Action: 'kms:*',
        Resource: `arn:aws:kms:us-east-1:${T}:key/${KEY_ID}`,
      });
      return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    });
    const build = links.filter(
      (l) => l.permission.startsWith('kms:') && l.principal.endsWith('orders-api-build-role'),
    );
    expect(build.length).toBeGreaterThan(0);
    // (was Unknown: "no input gives the id", though aliases.json gives it)
    for (const l of build) expect(l.decision, l.id).toBe('ExplicitlyDenied');
  });

  it('an AWS-managed key Unknown for its id names kms/aliases.json as what would settle it', () => {
    const links = buildKmsLinks(`arn:aws:kms:us-east-1:${T}:key/${KEY_ID}`);
    for (const l of links) expect(l.missing, l.id).toEqual([`${T}/us-east-1/kms/aliases.json`]);
  });
});
