/**
 * A denied link's fix names the policy whose allow is missing, since that is where the allow
 * goes: the bucket policy, the key policy, the permissions boundary, an SCP, the caller's own
 * policies, one clause for each (across accounts both sides when both lack it). The catalog's
 * fix is used only for the side it is about. Where no policy can be changed (an AWS managed key,
 * an alias across accounts, a key a CodeBuild project chose), the fix changes the configuration.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const T = '111111111111';
const P = '222222222222';
const ACTION_ROLE = `arn:aws:iam::${P}:role/orders-api-deploy-action`;
const PIPE_ROLE = `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`;
const BUCKET = `arn:aws:s3:::orders-artifacts-${T}-us-east-1`;
const STORE_KEY = `arn:aws:kms:us-east-1:${T}:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e`;
const AWS_S3_KEY = `arn:aws:kms:us-east-1:${T}:key/3e5f7a9b-1c2d-4e6f-8a0b-c1d2e3f4a5b6`;
const DEPLOY = 'DeployProd/DeployStack';
const GET_OBJECT = `${DEPLOY}:artifacts.input.get-object:s3:GetObject:${BUCKET}/orders-api/BuildOutpu/*`;

function links(dir: string): ReportLink[] {
  return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
}

function link(dir: string, id: string): ReportLink {
  const found = links(dir).find((l) => l.id === id || l.id.startsWith(`${id}:`));
  expect(found, id).toBeDefined();
  return found!;
}

const scenario = (name: string): string => join('fixtures/scenarios', name);

describe('the fix of a denied link follows the policy that decides it', () => {
  it('names the bucket policy when only the bucket policy lacks the allow (cross-account)', () => {
    const l = link(scenario('bucket-policy-missing-account'), GET_OBJECT);
    expect(l.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
    expect(l.fix).toBe(
      `allow \`${ACTION_ROLE}\` \`s3:GetObject\` on \`${BUCKET}/orders-api/BuildOutpu/*\` in the bucket policy of \`${BUCKET}\``,
    );
  });

  it('names both sides, one clause each, when both lack the allow across accounts', () => {
    inScenarioCopy(scenario('bucket-policy-missing-account'), (dir) => {
      editJson(join(dir, P, 'iam.json'), (doc) => {
        const role = (doc['RoleDetailList'] as Json[]).find(
          (r) => r['RoleName'] === 'orders-api-deploy-action',
        )!;
        const d = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
          Statement: Json[];
        };
        d.Statement = d.Statement.filter((s) => s['Sid'] !== 'ArtifactObjects');
      });
      const l = link(dir, GET_OBJECT);
      expect(l.deniedBy.map((d) => d.policyType).sort()).toEqual(['identity', 'resource']);
      expect(l.fix).toContain(`in the bucket policy of \`${BUCKET}\``);
      expect(l.fix).toContain(
        `allow \`s3:GetObject\` on \`${BUCKET}/orders-api/BuildOutpu/*\` in the policies of \`${ACTION_ROLE}\``,
      );
      expect(l.fix).toContain('; and ');
    });
  });

  it('names the permissions boundary, not the policies that already allow it', () => {
    const l = link(scenario('boundary-missing-action'), `${DEPLOY}:cloudformation.pass-role`);
    expect(l.deniedBy.map((d) => d.policyType)).toEqual(['permissionBoundary']);
    expect(l.fix).toBe(
      `allow \`iam:PassRole\` on \`arn:aws:iam::${P}:role/orders-api-cfn-exec\` in the permissions boundary \`arn:aws:iam::${P}:policy/workload-deploy-boundary\` of \`${ACTION_ROLE}\``,
    );
  });

  it('names the SCP of an allow-list', () => {
    const l = link(
      scenario('scp-allow-list-missing-service'),
      `${DEPLOY}:cloudformation.create-update-stack:cloudformation:CreateStack`,
    );
    expect(l.fix).toBe(
      'allow `cloudformation:CreateStack` in SCP `p-exmallow04 (prod-approved-services)`',
    );
  });

  it("keeps the catalog's identity fix for the caller's own policies, and its trust fix for the trust policy", () => {
    const passRole = link(scenario('passrole-wrong-service'), `${DEPLOY}:cloudformation.pass-role`);
    expect(passRole.fix).toContain('with `iam:PassedToService` = `cloudformation.amazonaws.com`');
    expect(passRole.fix).toContain(`in the policies of \`${ACTION_ROLE}\``);
    // the catalog's fix of the assume-role link is about both sides: only the one that lacks it
    const noAssume = link(
      scenario('pipeline-role-no-assume'),
      `${DEPLOY}:action.assume-action-role:sts:AssumeRole`,
    );
    expect(noAssume.fix).toBe(
      `allow \`sts:AssumeRole\` on \`${ACTION_ROLE}\` in the policies of \`${PIPE_ROLE}\``,
    );
    const trust = link(
      scenario('trust-wrong-principal'),
      `${DEPLOY}:action.assume-action-role:sts:AssumeRole`,
    );
    expect(trust.fix).toBe(
      `let \`${PIPE_ROLE}\` call \`sts:AssumeRole\` in the trust policy of \`${ACTION_ROLE}\``,
    );
  });

  it('names the caller’s policies of a key whose policy delegates to the account', () => {
    const l = link(
      scenario('codebuild-role-no-kms'),
      'Build/Build:codebuild-project.input-kms-decrypt:kms:Decrypt',
    );
    expect(l.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
    expect(l.fix).toBe(
      `allow \`kms:Decrypt\` on \`${STORE_KEY}\` in the policies of \`arn:aws:iam::${T}:role/service-role/orders-api-build-role\``,
    );
  });

  it('gives the artifact store a customer managed key when its key is the AWS managed aws/s3', () => {
    const l = link(
      scenario('aws-managed-key-cross-account'),
      `${DEPLOY}:artifacts.input.kms-decrypt:kms:Decrypt`,
    );
    expect(l.fix).toMatch(
      /^give the artifact store of pipeline `orders-api` in `us-east-1` \(its `encryptionKey`\) a customer managed key/,
    );
    expect(l.fix).toContain(
      `the key policy of the AWS managed key \`${AWS_S3_KEY}\` cannot be edited`,
    );
    expect(l.fix).not.toContain('in the key policy,');
  });

  it('sets the key ARN in the artifact store for an alias used across accounts', () => {
    const l = link(
      scenario('key-alias-cross-account-output'),
      `${DEPLOY}:artifacts.output.kms-generate-data-key:kms:GenerateDataKey`,
    );
    expect(l.fix).toBe(
      `set \`encryptionKey.id\` of the artifact store of pipeline \`orders-api\` in \`us-east-1\` to the key ARN \`${STORE_KEY}\` in place of the alias \`arn:aws:kms:us-east-1:${T}:alias/orders-artifacts\``,
    );
  });

  it("sets the CodeBuild project's key when its output is encrypted with another key", () => {
    const l = link(
      scenario('codebuild-project-key-differs'),
      `${DEPLOY}:artifacts.input.kms-decrypt:kms:Decrypt:${AWS_S3_KEY}`,
    );
    expect(l.resource).toBe(AWS_S3_KEY);
    expect(l.fix).toMatch(
      new RegExp(
        `^set \`encryptionKey\` of CodeBuild project \`orders-api-build\` to the artifact store key \`${STORE_KEY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``,
      ),
    );
    expect(l.fix).not.toContain(`${STORE_KEY}\` in the key policy`);
  });
});
