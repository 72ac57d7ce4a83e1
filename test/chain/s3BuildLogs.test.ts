/**
 * CodeBuild S3 build logs: a project whose `logsConfig.s3Logs` status is ENABLED has the build
 * upload its logs under the location (`<bucket>/<prefix>` or an S3 ARN) with the project's
 * service role (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html).
 * Edits of the all-providers scenario, whose `platform-web-build` project writes its logs to
 * `platform-build-logs-111111111111/platform-web` and whose role is allowed to.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { s3LogsOf } from '../../src/chain/actionFacts.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { CodeBuildProjectModel } from '../../src/model/types.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const LOGS_BUCKET = 'platform-build-logs-111111111111';
const PUT = 'Build/Build:codebuild-project.s3-logs-put-object:s3:PutObject';
const ROLE = 'arn:aws:iam::111111111111:role/service-role/platform-web-build-role';

interface Edits {
  /** the project's `logsConfig.s3Logs`, replacing the scenario's */
  readonly s3Logs?: Json;
  /** take the role's `BuildLogObjects` grant out */
  readonly noGrant?: boolean;
  /** take the role's `BuildLogBucketAcl` grant (s3:PutBucketAcl) out */
  readonly noAclGrant?: boolean;
  /** the bucket policy statements to add */
  readonly bucketStatements?: readonly Json[];
  /** remove the logs bucket's file */
  readonly noBucketFile?: boolean;
}

function web(edits: Edits = {}): ReportPipeline {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '111111111111/us-east-1/codebuild.json'), (doc) => {
      const project = (doc['projects'] as Json[]).find((p) => p['name'] === 'platform-web-build')!;
      const logs = project['logsConfig'] as Json;
      expect(logs['s3Logs']).toEqual({
        status: 'ENABLED',
        location: `${LOGS_BUCKET}/platform-web`,
        encryptionDisabled: false,
        bucketOwnerAccess: 'FULL',
      });
      if (edits.s3Logs) logs['s3Logs'] = edits.s3Logs;
    });
    editJson(join(dir, '111111111111/iam.json'), (doc) => {
      const role = (doc['RoleDetailList'] as Json[]).find(
        (r) => r['RoleName'] === 'platform-web-build-role',
      )!;
      const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
        Statement: Json[];
      };
      if (edits.noGrant) {
        const before = policy.Statement.length;
        policy.Statement = policy.Statement.filter((s) => s['Sid'] !== 'BuildLogObjects');
        expect(policy.Statement.length).toBe(before - 1);
      }
      if (edits.noAclGrant) {
        const before = policy.Statement.length;
        policy.Statement = policy.Statement.filter((s) => s['Sid'] !== 'BuildLogBucketAcl');
        expect(policy.Statement.length).toBe(before - 1);
      }
    });
    const bucketFile = join(dir, `111111111111/s3/${LOGS_BUCKET}.json`);
    if (edits.bucketStatements)
      editJson(bucketFile, (doc) => {
        const policy = JSON.parse(doc['Policy'] as string) as { Statement: Json[] };
        policy.Statement.push(...edits.bucketStatements!);
        doc['Policy'] = JSON.stringify(policy);
      });
    if (edits.noBucketFile) rmSync(bucketFile);
    return analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
  });
}

function putLinks(p: ReportPipeline): ReportLink[] {
  return p.links.filter((l) => l.id.startsWith(PUT));
}

describe('CodeBuild S3 build logs', () => {
  it('an ENABLED location needs s3:PutObject on <bucket>/<prefix>/* for the project role', () => {
    const p = web();
    const [link, ...rest] = putLinks(p);
    expect(rest).toEqual([]);
    expect(link?.resource).toBe(`arn:aws:s3:::${LOGS_BUCKET}/platform-web/*`);
    expect(link?.principal).toBe(ROLE);
    expect(link?.level).toBe('required');
    expect(link?.decision).toBe('Allowed');
    expect(p.verdict).toBe('pass');
  });

  it('is denied when the role may not upload the logs', () => {
    const p = web({ noGrant: true });
    expect(putLinks(p).map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
    expect(p.verdict).toBe('fail');
  });

  it('is denied by the bucket policy', () => {
    const p = web({
      bucketStatements: [
        {
          Sid: 'NoLogs',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${LOGS_BUCKET}/*`,
        },
      ],
    });
    expect(putLinks(p).map((l) => l.decision)).toEqual(['ExplicitlyDenied']);
  });

  it('tries the names of the log objects, which CodeBuild gives: a Deny of some of them is Unknown (was Allowed)', () => {
    // the `*` of `<prefix>/*` is the name of each log object, not the character: a Deny of
    // `*.gz` may deny them, and matched no literal `*`
    const deny = (resource: string): ReportLink[] =>
      putLinks(
        web({
          bucketStatements: [
            {
              Sid: 'NoGz',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:PutObject',
              Resource: resource,
            },
          ],
        }),
      );
    const some = deny(`arn:aws:s3:::${LOGS_BUCKET}/platform-web/*.gz`);
    expect(some.map((l) => l.decision)).toEqual(['Unknown']);
    expect(some[0]!.why).toContain('NoGz');
    expect(some[0]!.why).toContain(
      `the name of each build log object under \`arn:aws:s3:::${LOGS_BUCKET}/platform-web/\``,
    );
    expect(some[0]!.resource).toBe(`arn:aws:s3:::${LOGS_BUCKET}/platform-web/*`);
    // every name, or another prefix: decided
    expect(deny(`arn:aws:s3:::${LOGS_BUCKET}/platform-web/*`).map((l) => l.decision)).toEqual([
      'ExplicitlyDenied',
    ]);
    expect(deny(`arn:aws:s3:::${LOGS_BUCKET}/other/*`).map((l) => l.decision)).toEqual(['Allowed']);
  });

  it('is Unknown when a bucket policy condition on the undocumented encryption header decides', () => {
    const p = web({
      bucketStatements: [
        {
          Sid: 'DenyUnEncryptedObjectUploads',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${LOGS_BUCKET}/*`,
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
        },
      ],
    });
    expect(putLinks(p).map((l) => l.decision)).toEqual(['Unknown']);
  });

  it('is Unknown naming the bucket file when it is missing', () => {
    const p = web({ noBucketFile: true });
    const [link] = putLinks(p);
    expect(link?.decision).toBe('Unknown');
    // the bucket may be in any account (bucketOwnerAccess is for another account's bucket)
    expect(link?.missing).toEqual([`*/s3/${LOGS_BUCKET}.json`]);
  });

  it('makes no link when S3 logs are DISABLED', () => {
    const p = web({ s3Logs: { status: 'DISABLED', location: `${LOGS_BUCKET}/platform-web` } });
    expect(putLinks(p)).toEqual([]);
    expect(p.links.filter((l) => l.id.includes('s3-logs'))).toEqual([]);
  });

  it('takes an S3 ARN location, and `<bucket>/*` without a prefix', () => {
    const p = web({ s3Logs: { status: 'ENABLED', location: `arn:aws:s3:::${LOGS_BUCKET}` } });
    const [link] = putLinks(p);
    expect(link?.resource).toBe(`arn:aws:s3:::${LOGS_BUCKET}/*`);
    // the grant is on the platform-web prefix only
    expect(link?.decision).toBe('ImplicitlyDenied');
  });

  it('is Unknown naming the place when ENABLED logs have no location', () => {
    const p = web({ s3Logs: { status: 'ENABLED' } });
    const [link] = putLinks(p);
    expect(link?.decision).toBe('Unknown');
    expect(link?.why).toContain('no location');
    expect(link?.why).toContain('logsConfig/s3Logs');
  });
});

/**
 * `bucketOwnerAccess` READ_ONLY or FULL: "To use this property, your CodeBuild service role must
 * have the s3:PutBucketAcl permission" (API_S3LogsConfig.html). The scenario's logs are FULL and
 * its role has s3:PutBucketAcl on the logs bucket (`BuildLogBucketAcl`).
 */
describe('CodeBuild S3 build logs with bucketOwnerAccess', () => {
  const ACL = 'Build/Build:codebuild-project.s3-logs-put-bucket-acl:s3:PutBucketAcl';
  const aclLinks = (p: ReportPipeline): ReportLink[] => p.links.filter((l) => l.id === ACL);
  const logs = (bucketOwnerAccess?: unknown): Json => ({
    status: 'ENABLED',
    location: `${LOGS_BUCKET}/platform-web`,
    ...(bucketOwnerAccess !== undefined ? { bucketOwnerAccess } : {}),
  });

  it('FULL and READ_ONLY need s3:PutBucketAcl on the logs bucket for the project role', () => {
    for (const access of [undefined, 'READ_ONLY']) {
      const p = web(access === undefined ? {} : { s3Logs: logs(access) });
      const [link, ...rest] = aclLinks(p);
      expect(rest).toEqual([]);
      expect(link?.resource).toBe(`arn:aws:s3:::${LOGS_BUCKET}`);
      expect(link?.principal).toBe(ROLE);
      expect(link?.level).toBe('required');
      expect(link?.doc).toBe(
        'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html',
      );
      expect(link?.decision).toBe('Allowed');
      expect(p.verdict).toBe('pass');
    }
  });

  it('is denied by the role policy that lacks it', () => {
    const p = web({ noAclGrant: true });
    const [link] = aclLinks(p);
    expect(link?.decision).toBe('ImplicitlyDenied');
    expect(link?.deniedBy.map((d) => [d.policyType, d.policy])).toEqual([
      ['identity', `${ROLE} (inline: platform-web-build-policy)`],
    ]);
    expect(p.verdict).toBe('fail');
  });

  it('is denied by the bucket policy', () => {
    const p = web({
      bucketStatements: [
        {
          Sid: 'NoAcls',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutBucketAcl',
          Resource: `arn:aws:s3:::${LOGS_BUCKET}`,
        },
      ],
    });
    expect(aclLinks(p).map((l) => l.decision)).toEqual(['ExplicitlyDenied']);
  });

  it('makes no link for NONE (the default) or without bucketOwnerAccess', () => {
    for (const access of ['NONE', null]) {
      const p = web({ noAclGrant: true, s3Logs: logs(access ?? undefined) });
      expect(aclLinks(p)).toEqual([]);
      expect(p.verdict).toBe('pass');
    }
  });

  it('is Unknown naming the pointer when bucketOwnerAccess cannot be read', () => {
    const p = web({ s3Logs: logs(7) });
    const [link] = aclLinks(p);
    expect(link?.decision).toBe('Unknown');
    expect(link?.missing).toEqual([
      '111111111111/us-east-1/codebuild.json#/projects/2/logsConfig/s3Logs/bucketOwnerAccess (not readable)',
    ]);
  });
});

describe('s3LogsOf', () => {
  const project = (s3Logs: Json | undefined, pointer = '/projects/0'): CodeBuildProjectModel =>
    ({
      name: 'p',
      location: { file: 'f.json', pointer },
      logsConfig: { cloudWatchLogs: undefined, s3Logs },
    }) as unknown as CodeBuildProjectModel;

  it('reads the bucket and prefix, trimming slashes', () => {
    expect(s3LogsOf(project({ status: 'ENABLED', location: 'b/logs/x/' }))).toEqual({
      s3LogsBucket: 'b',
      s3LogsObjectKey: 'logs/x/*',
    });
    expect(s3LogsOf(project({ status: 'enabled', location: 'arn:aws:s3:::b/l' }))).toEqual({
      s3LogsBucket: 'b',
      s3LogsObjectKey: 'l/*',
    });
  });

  it('takes the whole bucket without a prefix', () => {
    expect(s3LogsOf(project({ status: 'ENABLED', location: '/b/' }))).toEqual({
      s3LogsBucket: 'b',
      s3LogsObjectKey: '*',
    });
  });

  it('keeps the bucketOwnerAccess of logs the build writes', () => {
    expect(
      s3LogsOf(project({ status: 'ENABLED', location: 'b', bucketOwnerAccess: 'READ_ONLY' })),
    ).toEqual({ s3LogsBucket: 'b', s3LogsObjectKey: '*', s3LogsBucketOwnerAccess: 'READ_ONLY' });
    expect(
      s3LogsOf(project({ status: 'DISABLED', location: 'b', bucketOwnerAccess: 'FULL' })),
    ).toEqual({});
  });

  it('leaves a project without S3 logs, or with them disabled, alone', () => {
    expect(s3LogsOf(project(undefined))).toEqual({});
    expect(s3LogsOf(project({ status: 'DISABLED', location: 'b' }))).toEqual({});
  });

  it('is unknown for a status or location the input does not settle, or not of a known form', () => {
    const tpl = '/Resources/Project';
    expect(
      s3LogsOf(project({ status: 'unresolved-0123456789', location: 'b' })).s3LogsUnknown,
    ).toContain('does not settle');
    expect(
      s3LogsOf(project({ status: 'ENABLED', location: 'unresolved-abcdef0123/x' })).s3LogsUnknown,
    ).toContain('does not settle');
    expect(s3LogsOf(project({ location: 'b' }, tpl)).s3LogsUnknown).toBe(
      'the S3 logs of project `p` have no status (f.json#/Resources/Project/Properties/LogsConfig/S3Logs)',
    );
    expect(
      s3LogsOf(project({ status: 'ENABLED', location: 'arn:aws:sqs:::q' })).s3LogsUnknown,
    ).toContain('neither `<bucket>/<prefix>` nor an S3 ARN');
    expect(s3LogsOf(project({ status: 'ON', location: 'b' })).s3LogsUnknown).toContain(
      'neither ENABLED nor DISABLED',
    );
  });
});
