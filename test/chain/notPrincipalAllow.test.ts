/**
 * An Allow statement with NotPrincipal in a resource policy: "NotPrincipal must be used with
 * "Effect":"Deny". Using it with "Effect":"Allow" is not supported."
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 * A link is never Allowed on its strength alone: the analysis leaves it out, as an Allow a
 * template does not settle, and a link only it would allow is Unknown, its why naming the
 * policy and the statement. A link the other statements allow stays Allowed; one it would not
 * allow either is decided as before; a Deny with NotPrincipal is supported and decides as before.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { displayPath, loadStacksFile } from '../../src/load/stacks.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { runCli } from '../cli/runCli.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const T = '111111111111';
const P = '222222222222';
const BUCKET = `arn:aws:s3:::orders-artifacts-${T}-us-east-1`;
const BUCKET_FILE = `${T}/s3/orders-artifacts-${T}-us-east-1.json`;
const KEY = `arn:aws:kms:us-east-1:${T}:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e`;
const KEY_FILE = `${T}/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json`;
const DEPLOY_ROLE = `arn:aws:iam::${P}:role/orders-api-deploy-action`;
const UNSUPPORTED = 'an Allow statement with `NotPrincipal`, which AWS does not support';

/** Everyone but an account that has nothing to do with the pipelines may read and write objects. */
const EVERYONE_ELSE: Json = {
  Sid: 'EveryoneElse',
  Effect: 'Allow',
  NotPrincipal: { AWS: 'arn:aws:iam::333333333333:root' },
  Action: ['s3:Get*', 's3:Put*'],
  Resource: `${BUCKET}/*`,
};

/** Add `statements` to the bucket policy of the copy in `dir`. */
function addToBucketPolicy(dir: string, ...statements: Json[]): void {
  editJson(join(dir, BUCKET_FILE), (bucket) => {
    const policy = JSON.parse(bucket['Policy'] as string) as { Statement: Json[] };
    policy.Statement.push(...statements);
    bucket['Policy'] = JSON.stringify(policy);
  });
}

/** Add `statements` to the key policy of the artifact key of the copy in `dir`. */
function addToKeyPolicy(dir: string, ...statements: Json[]): void {
  editJson(join(dir, KEY_FILE), (key) => {
    const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
    policy.Statement.push(...statements);
    key['Policy'] = JSON.stringify(policy);
  });
}

/** The report of the scenario, with `edit` applied to a copy of it first (when given). */
function reportOf(scenario: string, edit?: (dir: string) => void): Report {
  return inScenarioCopy(`fixtures/scenarios/${scenario}`, (dir) => {
    edit?.(dir);
    return analyzeModel(loadSnapshot(dir));
  });
}

function linksOf(report: Report): ReportLink[] {
  return report.pipelines.flatMap((p) => p.links);
}

/** The links of `principal` whose permission starts with `prefix`. */
function linksBy(report: Report, principal: string, prefix: string): ReportLink[] {
  return linksOf(report).filter(
    (l) => l.principal === principal && l.permission.startsWith(prefix),
  );
}

describe('a bucket policy Allow with NotPrincipal', () => {
  it('is not what allows a link: one only it would allow is Unknown, naming the bucket and the statement', () => {
    // the prod account's role reads the build output across accounts; the bucket policy has
    // nothing for it but the NotPrincipal Allow. It was Allowed by that statement
    const report = reportOf('bucket-policy-missing-account', (dir) =>
      addToBucketPolicy(dir, EVERYONE_ELSE),
    );
    const objects = linksBy(report, DEPLOY_ROLE, 's3:GetObject');
    expect(objects.map((l) => l.permission).sort()).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
    ]);
    const place = `${BUCKET_FILE}#/Policy/Statement/2`;
    for (const l of objects) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toBe(
        `\`DeployProd/DeployStack\` (CloudFormation) cannot be decided: the allow comes from the bucket policy of \`${BUCKET}\` statement \`EveryoneElse\` (at \`${place}\`), ${UNSUPPORTED} (\`NotPrincipal\` must be used with \`Deny\`)`,
      );
      expect(l.why, l.id).not.toContain('missing from the input');
      expect(l.missing, l.id).toEqual([`${place} (${UNSUPPORTED})`]);
      expect(l.allowedBy, l.id).toBeUndefined();
    }
    // the parser's warning names the statement
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        id: 'policy.notprincipal.allow',
        severity: 'warning',
        file: BUCKET_FILE,
        pointer: '/Policy/Statement/2/NotPrincipal',
      }),
    );
  });

  it('leaves a link the other statements allow Allowed, by them', () => {
    // the baseline's bucket policy lets the prod account in by statements of its own
    const before = reportOf('pass-cross-account');
    const after = reportOf('pass-cross-account', (dir) => addToBucketPolicy(dir, EVERYONE_ELSE));
    const decisions = (r: Report): string[] => linksOf(r).map((l) => `${l.id} ${l.decision}`);
    expect(decisions(after)).toEqual(decisions(before));
    const read = linksBy(after, DEPLOY_ROLE, 's3:GetObject');
    expect(read.length).toBeGreaterThan(0);
    for (const l of read) {
      expect(l.decision, l.id).toBe('Allowed');
      expect(
        l.allowedBy?.map((r) => r.statement),
        l.id,
      ).toContain('ProdAccountObjects');
      expect(
        l.allowedBy?.map((r) => r.statement),
        l.id,
      ).not.toContain('EveryoneElse');
    }
  });

  it('changes nothing where it would not allow either: it lists the caller, or covers other resources', () => {
    // NotPrincipal lists the prod role and its account (a NotPrincipal applies unless it lists
    // every name of the caller): the statement does not apply to the role, whose links stay
    // denied by the bucket policy as before; its bucket-level links (GetBucket*) are not in the
    // statement's Resource either
    const before = reportOf('bucket-policy-missing-account');
    const after = reportOf('bucket-policy-missing-account', (dir) =>
      addToBucketPolicy(dir, {
        ...EVERYONE_ELSE,
        NotPrincipal: { AWS: [`arn:aws:iam::${P}:root`, DEPLOY_ROLE] },
      }),
    );
    const denied = linksOf(before).filter((l) => l.decision !== 'Allowed');
    expect(denied.map((l) => l.permission)).toEqual(
      expect.arrayContaining(['s3:GetObject', 's3:GetBucketAcl']),
    );
    expect(linksOf(after)).toEqual(linksOf(before));
  });

  it('past ten such statements, still leaves out the links they cannot cover and names each one that may allow', () => {
    // a policy's eleventh and later unsettled or unsupported Allow statements were counted in
    // one "more statements or policy elements" entry, whatever their Action: every link of the
    // bucket was Unknown (its GetBucketAcl...), and the words "missing from the input" named them
    const otherBuckets = Array.from({ length: 12 }, (_, i) => ({
      ...EVERYONE_ELSE,
      Sid: `Other${i}`,
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::other-bucket-${i}/*`,
    }));
    const before = reportOf('pass-cross-account');
    const after = reportOf('pass-cross-account', (dir) => addToBucketPolicy(dir, ...otherBuckets));
    const decisions = (r: Report): string[] => linksOf(r).map((l) => `${l.id} ${l.decision}`);
    expect(decisions(after)).toEqual(decisions(before));

    const twelve = Array.from({ length: 12 }, (_, i) => ({ ...EVERYONE_ELSE, Sid: `Else${i}` }));
    const report = reportOf('bucket-policy-missing-account', (dir) =>
      addToBucketPolicy(dir, ...twelve),
    );
    const objects = linksBy(report, DEPLOY_ROLE, 's3:GetObject');
    expect(objects.length).toBeGreaterThan(0);
    for (const l of objects) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).not.toContain('missing from the input');
      for (let i = 0; i < 12; i++)
        expect(l.why, l.id).toContain(
          `statement \`Else${i}\` (at \`${BUCKET_FILE}#/Policy/Statement/${i + 2}\`)`,
        );
      expect(l.missing, l.id).toHaveLength(12);
    }
  });
});

describe('a key policy Allow with NotPrincipal', () => {
  it('without a Sid: the link is Unknown naming the key and the statement by its index', () => {
    const report = reportOf('key-policy-missing-account', (dir) =>
      addToKeyPolicy(dir, {
        Effect: 'Allow',
        NotPrincipal: { AWS: 'arn:aws:iam::333333333333:root' },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      }),
    );
    const decrypt = linksBy(report, DEPLOY_ROLE, 'kms:Decrypt');
    expect(decrypt.length).toBeGreaterThan(0);
    for (const l of decrypt) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        `the allow comes from the key policy of \`${KEY}\` statement 3 (at \`${KEY_FILE}#/Policy/Statement/2\`), ${UNSUPPORTED}`,
      );
      expect(l.missing, l.id).toEqual([`${KEY_FILE}#/Policy/Statement/2 (${UNSUPPORTED})`]);
    }
  });
});

describe('a Deny with NotPrincipal', () => {
  it('is supported, and denies every principal it does not list, as before', () => {
    // the tools account's own roles are listed with their account; the prod role is not
    const report = reportOf('pass-cross-account', (dir) =>
      addToBucketPolicy(dir, {
        Sid: 'OnlyTools',
        Effect: 'Deny',
        NotPrincipal: {
          AWS: [
            `arn:aws:iam::${T}:root`,
            `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`,
            `arn:aws:iam::${T}:role/service-role/orders-api-build-role`,
          ],
        },
        Action: 's3:*',
        Resource: `${BUCKET}/*`,
      }),
    );
    const read = linksBy(report, DEPLOY_ROLE, 's3:GetObject');
    expect(read.length).toBeGreaterThan(0);
    for (const l of read) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy, l.id).toEqual([
        expect.objectContaining({
          policyType: 'resource',
          policy: BUCKET,
          statement: 'OnlyTools',
          explicit: true,
        }),
      ]);
    }
    // the listed roles read and write their objects as before
    const tools = linksOf(report).filter(
      (l) => l.principal.startsWith(`arn:aws:iam::${T}:role/`) && l.permission.startsWith('s3:'),
    );
    expect(tools.length).toBeGreaterThan(0);
    for (const l of tools) expect(l.decision, l.id).toBe('Allowed');
    expect(report.problems.map((p) => p.id)).not.toContain('policy.notprincipal.allow');
  });
});

describe('a template bucket policy Allow with NotPrincipal', () => {
  const TEMP = mkdtempSync(join(tmpdir(), 'permchain-notprincipal-'));
  afterAll(() => rmSync(TEMP, { recursive: true, force: true }));

  it('names the statement by its template line; within one account it alone would allow', () => {
    // the pipeline role has no S3 grant on the source bucket: only the bucket policy's
    // NotPrincipal Allow would let it read the source
    const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: art-bucket-111
  Source:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: src-bucket-111
      VersioningConfiguration: { Status: Enabled }
  SourcePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Source
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow # not principal
            NotPrincipal: { AWS: "arn:aws:iam::333333333333:root" }
            Action: s3:*
            Resource: ["arn:aws:s3:::src-bucket-111", "arn:aws:s3:::src-bucket-111/*"]
  PipelineRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: pipe-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: codepipeline.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:*
                Resource: ["arn:aws:s3:::art-bucket-111", "arn:aws:s3:::art-bucket-111/*"]
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Name: app
      RoleArn: !GetAtt PipelineRole.Arn
      ArtifactStore: { Type: S3, Location: !Ref Bucket }
      Stages:
        - Name: Source
          Actions:
            - Name: Src
              ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: "1" }
              Configuration: { S3Bucket: src-bucket-111, S3ObjectKey: src.zip, PollForSourceChanges: true }
              OutputArtifacts: [{ Name: Src }]
`;
    const file = join(TEMP, 'app.yaml');
    writeFileSync(file, template);
    const stacks = join(TEMP, 'stacks.yaml');
    writeFileSync(
      stacks,
      `stacks:\n  - template: ${file}\n    name: app\n    account: "${T}"\n    region: us-east-1\n`,
    );
    const { model } = loadStacksFile(stacks, { managedPolicies: noManagedPolicies });
    const source = analyzeModel(model)
      .pipelines.flatMap((p) => p.links)
      .filter(
        (l) =>
          l.principal === `arn:aws:iam::${T}:role/pipe-role` &&
          l.resource === 'arn:aws:s3:::src-bucket-111/src.zip',
      );
    expect(source.length).toBeGreaterThan(0);
    const line = template.split('\n').findIndex((l) => l.includes('# not principal')) + 1;
    const pointer = '/Resources/SourcePolicy/Properties/PolicyDocument/Statement/0';
    for (const l of source) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        `the allow comes from the bucket policy of \`arn:aws:s3:::src-bucket-111\` statement 1 (at \`${displayPath(file)}:${line}\`), ${UNSUPPORTED}`,
      );
      expect(l.missing, l.id).toEqual([
        `${displayPath(file)}#${pointer} (line ${line}: ${UNSUPPORTED})`,
      ]);
    }
  });
});

describe('the reports of a link only an Allow with NotPrincipal would allow', () => {
  it('word it as such in every format, and --strict fails the run on it', async () => {
    // (inScenarioCopy removes its copy when `fn` returns, before a promise settles)
    const dir = mkdtempSync(join(tmpdir(), 'permchain-notprincipal-cli-'));
    try {
      cpSync('fixtures/scenarios/bucket-policy-missing-account', dir, { recursive: true });
      addToBucketPolicy(dir, EVERYONE_ELSE);
      const words = `statement \`EveryoneElse\``;
      const json = await runCli(dir, 'analyze', '.', '--format', 'json');
      // a required link unknown: the run passes, unless unknown links fail it
      expect(json.code).toBe(0);
      const links = (JSON.parse(json.out) as Report).pipelines.flatMap((p) => p.links);
      const read = links.find(
        (l) => l.principal === DEPLOY_ROLE && l.permission === 's3:GetObject',
      );
      expect(read?.decision).toBe('Unknown');
      expect(read?.why).toContain(words);
      const text = await runCli(dir, 'analyze', '.', '--format', 'text');
      expect(text.out).toContain('UNKNOWN   s3:GetObject');
      expect(text.out.replace(/\s+/g, ' ')).toContain(
        `statement \`EveryoneElse\` (at \`${BUCKET_FILE}#/Policy/Statement/2\`), ${UNSUPPORTED}`,
      );
      const sarif = await runCli(dir, 'analyze', '.', '--format', 'sarif');
      const results = (
        JSON.parse(sarif.out) as {
          runs: { results: { kind: string; message: { text: string } }[] }[];
        }
      ).runs[0]!.results.filter((r) => r.message.text.includes(words));
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.kind).toBe('open');
        expect(r.message.text).toContain(UNSUPPORTED);
      }
      const markdown = await runCli(dir, 'analyze', '.', '--format', 'markdown');
      expect(markdown.out).toContain('statement &#96;EveryoneElse&#96;');
      expect(markdown.out).toContain('which AWS does not support');
      const strict = await runCli(dir, 'analyze', '.', '--format', 'json', '--strict');
      expect(strict.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
