/**
 * A multipart upload with SSE-KMS needs kms:Decrypt on the key as well as kms:GenerateDataKey
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions):
 * S3 decrypts the parts to complete the upload. Uploaders switch to a multipart upload above a
 * size threshold (8 MB by default for the AWS CLI,
 * https://docs.aws.amazon.com/cli/latest/topic/s3-config.html), which no input gives, so every
 * writer of SSE-KMS objects (an action uploading its output artifacts, a CodeBuild project, an S3
 * deploy action: https://github.com/aws/aws-cdk/issues/8947) has a recommended kms:Decrypt link
 * beside its kms:GenerateDataKey: denied, it is a warning whose why says when the run fails
 * without it, and the pipeline's verdict does not change. Each case edits a copy of a scenario.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { Report, ReportLink, ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIOS = 'fixtures/scenarios';
const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';
const STORE_KEY = 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const PROJECT_KEY = 'arn:aws:kms:us-east-1:111111111111:key/3e5f7a9b-1c2d-4e6f-8a0b-c1d2e3f4a5b6';
const DOCS_KEY = 'arn:aws:kms:us-east-1:111111111111:key/6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c';
const SOURCE_DECRYPT = 'Source/Source:artifacts.output.multipart-kms-decrypt:kms:Decrypt';
const SOURCE_GENERATE = 'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey';
const BUILD_DECRYPT = 'Build/Build:codebuild-project.output-multipart-kms-decrypt:kms:Decrypt';
const DEPLOY_DECRYPT = 'Deploy/PublishDocs:s3-deploy.multipart-kms-decrypt:kms:Decrypt';

const WHEN = (uploader: string, what = 'the upload is', object = 'an artifact'): string =>
  `; it is needed only when ${what} multipart, as an uploader makes it for ${object} above its size threshold (8 MB by default for the AWS CLI; AWS does not document the one ${uploader} uses${
    // an action's output may be uploaded by its Lambda function's or job worker's own code
    uploader === 'CodePipeline' && object === 'an artifact'
      ? ', and a Lambda function or job worker that uploads with its own code sets its own'
      : ''
  }), and that upload fails without it`;

function analyzeCopy(scenario: string, edit: (dir: string) => void): Report {
  return inScenarioCopy(join(SCENARIOS, scenario), (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir));
  });
}

function pipelineOf(report: Report, name: string): ReportPipeline {
  const p = report.pipelines.find((x) => x.name === name);
  expect(p, name).toBeDefined();
  return p!;
}

function linkOf(p: ReportPipeline, id: string): ReportLink {
  const l = p.links.find((x) => x.id === id);
  expect(l, id).toBeDefined();
  return l!;
}

/** Rewrite the statements of the key policy of `arn` in the copy `dir`. */
function editKeyPolicy(dir: string, arn: string, edit: (statements: Json[]) => Json[]): void {
  const [, , , region, account, resource] = arn.split(':');
  const folder = join(dir, account!, region!, 'kms');
  const file = readdirSync(folder).find((f) => f === `${resource!.slice('key/'.length)}.json`)!;
  editJson(join(folder, file), (key) => {
    const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
    policy.Statement = edit(policy.Statement);
    key['Policy'] = JSON.stringify(policy);
  });
}

/** The statement `sid` without kms:Decrypt among its actions. */
function withoutDecrypt(sid: string): (statements: Json[]) => Json[] {
  return (statements) =>
    statements.map((st) =>
      st['Sid'] === sid
        ? { ...st, Action: (st['Action'] as string[]).filter((a) => a !== 'kms:Decrypt') }
        : st,
    );
}

/**
 * The store key's statement for the pipeline and build roles, without kms:Decrypt for the
 * pipeline role, the build role's unchanged.
 */
function pipelineRoleKeyWithoutDecrypt(): (statements: Json[]) => Json[] {
  return (statements) =>
    statements.flatMap((st) =>
      st['Sid'] !== 'AllowPipelineAndBuildRoles'
        ? [st]
        : [
            { ...st, Sid: 'AllowBuildRole', Principal: { AWS: BUILD_ROLE } },
            {
              ...st,
              Sid: 'AllowPipelineRoleWrites',
              Principal: { AWS: PIPELINE_ROLE },
              Action: (st['Action'] as string[]).filter((a) => a !== 'kms:Decrypt'),
            },
          ],
    );
}

/**
 * The pipeline role's own grant of the store key (its identity policy's `ArtifactKey`, which the
 * key policy's delegation to the account makes count) without kms:Decrypt, and a statement that
 * allows it under `condition`, if given.
 */
function pipelineRoleIdentityWithoutDecrypt(dir: string, condition?: Json): void {
  editJson(join(dir, '111111111111/iam.json'), (iam) => {
    const role = (iam['RoleDetailList'] as Json[]).find(
      (r) => r['RoleName'] === 'orders-api-pipeline-role',
    )!;
    const doc = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as Json;
    doc['Statement'] = [
      ...withoutDecrypt('ArtifactKey')(doc['Statement'] as Json[]),
      ...(condition
        ? [
            {
              Sid: 'ArtifactKeyDecrypt',
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: STORE_KEY,
              Condition: condition,
            },
          ]
        : []),
    ];
  });
}

/**
 * The store key grants the pipeline role GenerateDataKey and not Decrypt, in its key policy and
 * its identity policy; the identity policy allows Decrypt under `condition`, if given (through
 * the key policy's delegation to the account).
 */
function storeKeyWithoutDecrypt(dir: string, condition?: Json): void {
  editKeyPolicy(dir, STORE_KEY, pipelineRoleKeyWithoutDecrypt());
  pipelineRoleIdentityWithoutDecrypt(dir, condition);
}

/** The decisions of the pipeline's required links, by id. */
function requiredDecisions(p: ReportPipeline): Record<string, string> {
  return Object.fromEntries(
    p.links.filter((l) => l.level === 'required').map((l) => [l.id, l.decision]),
  );
}

describe("an action's upload of its output artifacts", () => {
  it('has a recommended kms:Decrypt beside its kms:GenerateDataKey, same caller and key: Allowed when granted', () => {
    const p = pipelineOf(
      analyzeCopy('pass-cross-account', () => {}),
      'orders-api',
    );
    const decrypt = linkOf(p, SOURCE_DECRYPT);
    const generate = linkOf(p, SOURCE_GENERATE);
    expect([decrypt.level, decrypt.decision]).toEqual(['recommended', 'Allowed']);
    expect([decrypt.principal, decrypt.resource]).toEqual([PIPELINE_ROLE, STORE_KEY]);
    expect([generate.principal, generate.resource]).toEqual([decrypt.principal, decrypt.resource]);
    expect(decrypt.doc).toBe(
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions',
    );
    expect(p.verdict).toBe('pass');
  });

  it('a key policy granting GenerateDataKey and not Decrypt: a warning saying when the run fails, the verdict stays pass', () => {
    const before = pipelineOf(
      analyzeCopy('pass-cross-account', () => {}),
      'orders-api',
    );
    const p = pipelineOf(
      analyzeCopy('pass-cross-account', (dir) => storeKeyWithoutDecrypt(dir)),
      'orders-api',
    );
    const decrypt = linkOf(p, SOURCE_DECRYPT);
    expect([decrypt.level, decrypt.decision]).toEqual(['recommended', 'ImplicitlyDenied']);
    expect(decrypt.why).toMatch(/^`Source\/Source` \(CodeCommit\) would be denied kms:Decrypt: /);
    expect(decrypt.why.endsWith(WHEN('CodePipeline'))).toBe(true);
    expect(decrypt.why).not.toContain('working pipelines run without it');
    expect(decrypt.blocks).toBeUndefined();
    expect(linkOf(p, SOURCE_GENERATE).decision).toBe('Allowed');
    // a warning, never a failure: every required link as it was, and the pipeline passes
    expect(requiredDecisions(p)).toEqual(requiredDecisions(before));
    expect(p.verdict).toBe('pass');
  });

  it('is the call S3 makes for the objects written: aws:s3:arn is their ARN, named before the ending', () => {
    const bucket = 'arn:aws:s3:::orders-artifacts-111111111111-us-east-1/orders-api';
    const onPrefix = (prefix: string): ReportLink =>
      linkOf(
        pipelineOf(
          analyzeCopy('pass-cross-account', (dir) =>
            storeKeyWithoutDecrypt(dir, {
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${bucket}/${prefix}/*` },
            }),
          ),
          'orders-api',
        ),
        SOURCE_DECRYPT,
      );
    // the source action writes SourceOutput: its objects are under `SourceOutp/`
    expect(onPrefix('SourceOutp').decision).toBe('Allowed');
    const other = onPrefix('BuildOutpu');
    expect(other.decision).toBe('ImplicitlyDenied');
    expect(other.why).toContain(
      `; S3 sends the object's ARN \`${bucket}/SourceOutp/*\` (\`*\`: the name CodePipeline gives it) as \`aws:s3:arn\` (the bucket uses no S3 Bucket Key)${WHEN('CodePipeline')}`,
    );
    expect(other.why.endsWith(WHEN('CodePipeline'))).toBe(true);
  });

  it("of an action that also reads an input CodeBuild encrypted: on the upload's key, not the input's", () => {
    // DeployStack reads BuildOutput, which the build encrypted with its key (a link per key,
    // `...:<key ARN>`), and writes its own output with the store key as its account names it
    const p = pipelineOf(
      analyzeCopy('key-alias-cross-account-output', () => {}),
      'orders-api',
    );
    const where = 'DeployProd/DeployStack';
    const decrypt = linkOf(p, `${where}:artifacts.output.multipart-kms-decrypt:kms:Decrypt`);
    const generate = linkOf(
      p,
      `${where}:artifacts.output.kms-generate-data-key:kms:GenerateDataKey`,
    );
    expect(decrypt.resource).toBe(generate.resource);
    expect(decrypt.why).not.toContain('reading');
    expect(
      p.links
        .filter((l) => l.id.startsWith(`${where}:`) && l.permission === 'kms:Decrypt')
        .map((l) => l.requirement)
        .sort(),
    ).toEqual(['artifacts.input.kms-decrypt', 'artifacts.output.multipart-kms-decrypt']);
  });

  it('the reports show it as a warning with the same words', () => {
    const report = analyzeCopy('pass-cross-account', (dir) => storeKeyWithoutDecrypt(dir));
    const sarif = JSON.parse(renderSarif(report)) as {
      runs: {
        tool: { driver: { rules: { id: string; fullDescription: { text: string } }[] } };
        results: {
          ruleId: string;
          level: string;
          message: { text: string };
          properties: { link: string };
        }[];
      }[];
    };
    const run = sarif.runs[0]!;
    const result = run.results.find((r) => r.properties.link === SOURCE_DECRYPT)!;
    expect(result.level).toBe('warning');
    expect(result.message.text).toContain(WHEN('CodePipeline').slice(2));
    const rule = run.tool.driver.rules.find(
      (r) => r.id === 'artifacts.output.multipart-kms-decrypt',
    )!;
    // the rule does not say the pipeline runs without it: a large artifact's upload does not
    expect(rule.fullDescription.text).not.toContain('runs without it');
    const junit = renderJunit(report);
    expect(junit).toContain('failures="0"');
    expect(junit).toContain('it is needed only when the upload is multipart');
  });
});

describe("a CodeBuild project's upload", () => {
  it("is on the project's key, not the store key", () => {
    const p = pipelineOf(
      analyzeCopy('codebuild-project-key-differs', () => {}),
      'orders-api',
    );
    const decrypt = linkOf(p, BUILD_DECRYPT);
    expect([decrypt.level, decrypt.decision]).toEqual(['recommended', 'Allowed']);
    expect([decrypt.principal, decrypt.resource]).toEqual([BUILD_ROLE, PROJECT_KEY]);
    // the source action's upload is on the store key
    expect(linkOf(p, SOURCE_DECRYPT).resource).toBe(STORE_KEY);
  });

  it("a project key whose policy does not allow Decrypt: a warning in CodeBuild's words, the verdict as it was", () => {
    const before = pipelineOf(
      analyzeCopy('codebuild-project-key-differs', () => {}),
      'orders-api',
    );
    const p = pipelineOf(
      analyzeCopy('codebuild-project-key-differs', (dir) =>
        editKeyPolicy(
          dir,
          PROJECT_KEY,
          withoutDecrypt(
            'Allow access through S3 for all principals in the account that are authorized to use S3',
          ),
        ),
      ),
      'orders-api',
    );
    const decrypt = linkOf(p, BUILD_DECRYPT);
    expect([decrypt.level, decrypt.decision]).toEqual(['recommended', 'ImplicitlyDenied']);
    expect(decrypt.why).toMatch(/^`Build\/Build` \(CodeBuild\) would be denied kms:Decrypt: /);
    expect(decrypt.why.endsWith(WHEN('CodeBuild'))).toBe(true);
    expect(
      linkOf(p, 'Build/Build:codebuild-project.output-kms-generate-data-key:kms:GenerateDataKey')
        .decision,
    ).toBe('Allowed');
    expect(requiredDecisions(p)).toEqual(requiredDecisions(before));
    expect(p.verdict).toBe(before.verdict);
  });
});

describe('an S3 deploy action to an SSE-KMS bucket (aws/aws-cdk#8947)', () => {
  it("is on the bucket's default key; without Decrypt, a warning in the deploy's words", () => {
    const before = pipelineOf(
      analyzeCopy('all-providers', () => {}),
      'platform-legacy',
    );
    const allowed = linkOf(before, DEPLOY_DECRYPT);
    expect([allowed.level, allowed.decision, allowed.resource]).toEqual([
      'recommended',
      'Allowed',
      DOCS_KEY,
    ]);
    const p = pipelineOf(
      analyzeCopy('all-providers', (dir) =>
        editKeyPolicy(dir, DOCS_KEY, withoutDecrypt('AllowUseOfTheKey')),
      ),
      'platform-legacy',
    );
    const decrypt = linkOf(p, DEPLOY_DECRYPT);
    expect([decrypt.level, decrypt.decision]).toEqual(['recommended', 'ImplicitlyDenied']);
    expect(decrypt.principal).toBe(allowed.principal);
    expect(decrypt.why).toMatch(/^`Deploy\/PublishDocs` \(S3\) would be denied kms:Decrypt: /);
    expect(decrypt.why.endsWith(WHEN('CodePipeline', 'an upload is', 'a file'))).toBe(true);
    expect(
      linkOf(p, 'Deploy/PublishDocs:s3-deploy.kms-generate-data-key:kms:GenerateDataKey').decision,
    ).toBe('Allowed');
    expect(requiredDecisions(p)).toEqual(requiredDecisions(before));
    expect(p.verdict).toBe(before.verdict);
  });
});
