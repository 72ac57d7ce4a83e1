/** The crawler's pure parts: limiter, CLI-compatible JSON, references, snapshot writer, atomic writes. */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeIamPolicyDocuments,
  formatCliTimestamp,
  toCliJson,
} from '../../src/crawl/cliJson.js';
import {
  classifyError,
  CrawlContext,
  flaggedToken,
  NO_NEXT_TOKEN,
} from '../../src/crawl/crawlContext.js';
import { createLimiter } from '../../src/crawl/limiter.js';
import { bucketRegion } from '../../src/crawl/readS3.js';
import {
  bucketEncryptionReferences,
  bucketName,
  ecrImageReference,
  keyReference,
  pipelineReferences,
  projectReferences,
} from '../../src/crawl/references.js';
import {
  REDACTED,
  isSecretConfigurationKey,
  redactCodeBuildProject,
  redactEventTarget,
  redactPipeline,
} from '../../src/crawl/redact.js';
import { buildSnapshotFiles, safeSegment } from '../../src/crawl/snapshotWriter.js';
import { KEEP_FILE, writeSnapshotFiles } from '../../src/crawl/writeSnapshotFiles.js';
import { FIXTURE } from './helpers.js';

describe('createLimiter', () => {
  it('runs at most `limit` tasks at once, in FIFO order, and a newcomer cannot overtake', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i;
    };
    const first = [0, 1, 2, 3, 4].map((i) => limit(task(i)));
    await new Promise((r) => setTimeout(r, 6));
    const late = limit(task(5));
    expect(await Promise.all([...first, late])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('releases the slot when a task fails', async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(async () => 'next')).toBe('next');
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});

describe('AWS CLI JSON', () => {
  it('formats timestamps as the CLI does (ISO 8601, +00:00, microseconds only when set)', () => {
    expect(formatCliTimestamp(new Date('2023-05-10T08:30:00Z'))).toBe('2023-05-10T08:30:00+00:00');
    expect(formatCliTimestamp(new Date('2023-05-10T08:35:12.481Z'))).toBe(
      '2023-05-10T08:35:12.481000+00:00',
    );
  });

  it('drops $metadata and undefined members and sorts keys', () => {
    const out = toCliJson({
      b: 1,
      $metadata: { httpStatusCode: 200 },
      a: { d: undefined, c: new Date(0) },
    });
    expect(JSON.stringify(out)).toBe('{"a":{"c":"1970-01-01T00:00:00+00:00"},"b":1}');
  });

  it('decodes URL-encoded IAM policy documents into JSON, keeps what is not JSON', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    };
    const out = decodeIamPolicyDocuments({
      RoleDetailList: [
        { AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(doc)), RoleName: '%41' },
        { AssumeRolePolicyDocument: encodeURIComponent('not json') },
        { AssumeRolePolicyDocument: '100% broken' },
      ],
    });
    expect(out).toEqual({
      RoleDetailList: [
        { AssumeRolePolicyDocument: doc, RoleName: '%41' },
        { AssumeRolePolicyDocument: 'not json' },
        { AssumeRolePolicyDocument: '100% broken' },
      ],
    });
  });
});

describe('references', () => {
  const home = { account: '111111111111', region: 'us-east-1' };

  it('finds everything the fixture pipeline references', () => {
    const pipeline = JSON.parse(
      readFileSync(join(FIXTURE, '111111111111/us-east-1/codepipeline/webapp.json'), 'utf8'),
    ) as unknown;
    const refs = pipelineReferences(pipeline, home);
    const show = refs.map((r) => {
      switch (r.kind) {
        case 'account':
          return `account ${r.account}`;
        case 'bucket':
          return `bucket ${r.bucket} (${r.likelyAccount})`;
        case 'key':
          return `key ${r.key} @${r.place.account}/${r.place.region}`;
        case 'deployment-group':
          return `deployment-group ${r.application}/${r.group} @${r.place.account}`;
        case 'pipeline-rules':
          return `rules ${r.pipelineArn}`;
        default:
          return `${r.kind} ${r.name} @${r.place.account}/${r.place.region}`;
      }
    });
    expect([...new Set(show)].sort()).toEqual([
      'account 111111111111',
      'account 222222222222',
      'bucket prod-site-222222222222 (222222222222)',
      'bucket tooling-artifacts-111111111111 (111111111111)',
      'bucket tooling-source-111111111111 (111111111111)',
      'deployment-group webapp/prod @222222222222',
      'function webapp-smoke-test @111111111111/us-east-1',
      'key arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab @111111111111/us-east-1',
      'project webapp-build @111111111111/us-east-1',
      'rules arn:aws:codepipeline:us-east-1:111111111111:webapp',
      'topic webapp-approvals @111111111111/us-east-1',
    ]);
  });

  it('reads the private repositories an ECRBuildAndPublish action pushes to and an image scan pulls from', () => {
    const action = (provider: string, category: string, configuration: Record<string, string>) => ({
      name: provider,
      actionTypeId: { category, owner: 'AWS', provider, version: '1' },
      configuration,
    });
    const refs = pipelineReferences(
      {
        pipeline: {
          roleArn: 'arn:aws:iam::111111111111:role/p',
          stages: [
            {
              name: 'Build',
              actions: [
                action('ECRBuildAndPublish', 'Build', { ECRRepositoryName: 'team/app' }),
                action('ECRBuildAndPublish', 'Build', {
                  ECRRepositoryName: 'cli',
                  RegistryType: 'public',
                }),
                action('InspectorScan', 'Invoke', {
                  InspectorRunMode: 'ECRImageScan',
                  ECRRepositoryName: 'team/scanned',
                }),
                action('InspectorScan', 'Invoke', { InspectorRunMode: 'SourceCodeScan' }),
              ],
            },
          ],
        },
      },
      home,
    );
    expect(refs.filter((r) => r.kind === 'repository')).toEqual([
      { kind: 'repository', place: home, name: 'team/app' },
      { kind: 'repository', place: home, name: 'team/scanned' },
    ]);
  });

  it('follows the roles of stage-condition rules (beforeEntry, onSuccess, onFailure)', () => {
    const rule = (name: string, extra: Record<string, unknown>) => ({
      name,
      ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'Commands', version: '1' },
      configuration: {},
      ...extra,
    });
    const refs = pipelineReferences(
      {
        pipeline: {
          roleArn: 'arn:aws:iam::111111111111:role/p',
          stages: [
            {
              name: 'Deploy',
              actions: [],
              beforeEntry: {
                conditions: [
                  { rules: [rule('A', { roleArn: 'arn:aws:iam::333333333333:role/rule-role' })] },
                ],
              },
              onSuccess: {
                conditions: [
                  {
                    rules: [
                      rule('B', {
                        roleArn: 'arn:aws:iam::444444444444:role/r',
                        region: 'eu-west-1',
                      }),
                    ],
                  },
                ],
              },
              onFailure: {
                result: 'ROLLBACK',
                conditions: [
                  {
                    rules: [
                      rule('C', {
                        configuration: { RoleArn: 'arn:aws:iam::555555555555:role/config-role' },
                      }),
                    ],
                  },
                ],
              },
            },
          ],
        },
      },
      home,
    );
    expect(refs.flatMap((r) => (r.kind === 'account' ? [r.account] : [])).sort()).toEqual([
      '111111111111',
      '111111111111',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
  });

  it('reads key references as ARNs, alias ARNs, alias names and ids', () => {
    expect(keyReference('arn:aws:kms:eu-west-1:222222222222:alias/x', home)).toEqual([
      {
        kind: 'key',
        place: { account: '222222222222', region: 'eu-west-1' },
        key: 'arn:aws:kms:eu-west-1:222222222222:alias/x',
      },
    ]);
    expect(keyReference('alias/aws/s3', home)).toEqual([
      { kind: 'key', place: home, key: 'alias/aws/s3' },
    ]);
    expect(keyReference('arn:aws:s3:::not-a-key', home)).toEqual([]);
    expect(keyReference('', home)).toEqual([]);
  });

  it('reads ECR images, S3 locations and CodeBuild references', () => {
    expect(ecrImageReference('333333333333.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2')).toEqual([
      {
        kind: 'repository',
        place: { account: '333333333333', region: 'eu-west-1' },
        name: 'team/app',
      },
    ]);
    expect(ecrImageReference('aws/codebuild/standard:7.0')).toEqual([]);
    expect(bucketName('my-bucket/logs/build')).toBe('my-bucket');
    expect(bucketName('arn:aws:s3:::my-bucket/prefix')).toBe('my-bucket');
    expect(
      projectReferences(
        {
          serviceRole: 'arn:aws:iam::111111111111:role/r',
          cache: { type: 'S3', location: 'cache-bucket/prefix' },
          logsConfig: { s3Logs: { status: 'DISABLED', location: 'ignored-bucket' } },
        },
        home,
      ),
    ).toEqual([
      { kind: 'account', account: '111111111111' },
      // no encryptionKey: CodeBuild uses the AWS-managed aws/s3 key
      { kind: 'key', place: home, key: 'alias/aws/s3' },
      { kind: 'bucket', bucket: 'cache-bucket', likelyAccount: '111111111111' },
    ]);
    expect(
      projectReferences({ encryptionKey: 'arn:aws:kms:us-east-1:111111111111:key/k' }, home),
    ).toEqual([{ kind: 'key', place: home, key: 'arn:aws:kms:us-east-1:111111111111:key/k' }]);
    // the batch service role's account is crawled too (its trust and policies are checked)
    expect(
      projectReferences(
        {
          serviceRole: 'arn:aws:iam::111111111111:role/r',
          buildBatchConfig: { serviceRole: 'arn:aws:iam::222222222222:role/batch' },
        },
        home,
      ).filter((r) => r.kind === 'account'),
    ).toEqual([
      { kind: 'account', account: '111111111111' },
      { kind: 'account', account: '222222222222' },
    ]);
    // SSE-KMS without a key id is the aws/s3 key too; SSE-S3 uses no KMS key
    const sse = (d: Record<string, string>) => ({
      Rules: [{ ApplyServerSideEncryptionByDefault: d }],
    });
    expect(bucketEncryptionReferences(sse({ SSEAlgorithm: 'aws:kms' }), home)).toEqual([
      { kind: 'key', place: home, key: 'alias/aws/s3' },
    ]);
    expect(bucketEncryptionReferences(sse({ SSEAlgorithm: 'AES256' }), home)).toEqual([]);
  });

  it('maps get-bucket-location constraints to regions', () => {
    expect(bucketRegion('', 'eu-west-2')).toBe('us-east-1');
    expect(bucketRegion('EU', 'us-east-1')).toBe('eu-west-1');
    expect(bucketRegion('ap-south-1', 'us-east-1')).toBe('ap-south-1');
    expect(bucketRegion(undefined, 'eu-west-2')).toBe('eu-west-2');
  });
});

describe('redaction', () => {
  it('redacts PLAINTEXT (and untyped) CodeBuild variables, keeps parameter and secret names', () => {
    const project = redactCodeBuildProject({
      environment: {
        environmentVariables: [
          { name: 'A', value: 'secret' },
          { name: 'B', value: 'secret', type: 'PLAINTEXT' },
          { name: 'C', value: '/param', type: 'PARAMETER_STORE' },
        ],
      },
    });
    expect(project).toEqual({
      environment: {
        environmentVariables: [
          { name: 'A', value: REDACTED },
          { name: 'B', value: REDACTED, type: 'PLAINTEXT' },
          { name: 'C', value: '/param', type: 'PARAMETER_STORE' },
        ],
      },
    });
  });

  it('redacts a CodeBuild variable of an unknown type (only parameter and secret names stay)', () => {
    const project = redactCodeBuildProject({
      environment: { environmentVariables: [{ name: 'X', value: 'secret', type: 'FUTURE' }] },
    });
    expect(JSON.stringify(project)).not.toContain('"secret"');
  });

  it("redacts a CodeBuild action's EnvironmentVariables as the snapshot loader reads them", () => {
    const action = (configuration: Record<string, string>) => ({
      pipeline: { stages: [{ actions: [{ name: 'Build', configuration }] }] },
    });
    const config = (out: unknown): Record<string, string> =>
      (out as { pipeline: { stages: { actions: { configuration: Record<string, string> }[] }[] } })
        .pipeline.stages[0]!.actions[0]!.configuration;
    const out = redactPipeline(
      action({
        ProjectName: 'p',
        EnvironmentVariables: JSON.stringify([
          { name: 'A', value: 'secret-a' },
          { name: 'B', value: 'secret-b', type: 'PLAINTEXT' },
          { name: 'C', value: '/param', type: 'PARAMETER_STORE' },
          {
            name: 'D',
            value: 'arn:aws:secretsmanager:us-east-1:1:secret:x',
            type: 'SECRETS_MANAGER',
          },
          { name: 'E', value: 'secret-e', type: 'FUTURE' },
        ]),
      }),
    );
    expect(config(out)['ProjectName']).toBe('p');
    expect(JSON.parse(config(out)['EnvironmentVariables']!)).toEqual([
      { name: 'A', type: 'PLAINTEXT', value: REDACTED },
      { name: 'B', type: 'PLAINTEXT', value: REDACTED },
      { name: 'C', type: 'PARAMETER_STORE', value: '/param' },
      { name: 'D', type: 'SECRETS_MANAGER', value: 'arn:aws:secretsmanager:us-east-1:1:secret:x' },
      { name: 'E', type: 'FUTURE', value: REDACTED },
    ]);
    // text that is not a list of variables may hold anything: it goes whole
    const bad = redactPipeline(action({ EnvironmentVariables: 'NPM_TOKEN=secret' }));
    expect(config(bad)['EnvironmentVariables']).toBe(REDACTED);
  });

  it('names credential configuration keys, and none the analyzer reads', () => {
    for (const key of [
      'OAuthToken',
      'SecretToken',
      'PassWord',
      'password',
      'ApiKey',
      'API_KEY',
      'ConnectionString',
      'Pass',
      'Webhook_Signing',
    ]) {
      expect({ key, secret: isSecretConfigurationKey(key) }).toEqual({ key, secret: true });
    }
    const read = [
      'ActionMode',
      'ApplicationName',
      'BatchEnabled',
      'BranchName',
      'BucketName',
      'CannedACL',
      'ClusterName',
      'ConnectionArn',
      'DeploymentGroupName',
      'EnvironmentName',
      'EnvironmentVariables',
      'FullRepositoryId',
      'FunctionName',
      'KMSEncryptionKeyARN',
      'NotificationArn',
      'ObjectKey',
      'OutputArtifactFormat',
      'ProjectName',
      'RepositoryName',
      'RoleArn',
      'S3Bucket',
      'S3ObjectKey',
      'ServiceName',
      'StackName',
      'StateMachineArn',
      'TaskDefinitionTemplateArtifact',
      'TaskDefinitionTemplatePath',
    ];
    for (const key of read) {
      expect({ key, secret: isSecretConfigurationKey(key) }).toEqual({ key, secret: false });
    }
  });

  it('redacts credential keys in pipeline action configurations', () => {
    const out = redactPipeline({
      pipeline: {
        stages: [{ actions: [{ configuration: { Owner: 'o', OAuthToken: 'ghp_secret' } }] }],
      },
    });
    expect(JSON.stringify(out)).not.toContain('ghp_secret');
    expect(JSON.stringify(out)).toContain(REDACTED);
  });
});

describe('redaction of free-form values sent to what an action runs', () => {
  const action = (configuration: Record<string, unknown>) => ({
    pipeline: { stages: [{ actions: [{ configuration }] }] },
  });
  const config = (out: unknown) =>
    (out as { pipeline: { stages: { actions: { configuration: Record<string, unknown> }[] }[] } })
      .pipeline.stages[0]!.actions[0]!.configuration;

  it("redacts a Lambda action's UserParameters and a Step Functions literal Input", () => {
    const lambda = config(
      redactPipeline(action({ FunctionName: 'f', UserParameters: '{"dbPassword":"hunter2"}' })),
    );
    expect(lambda).toEqual({ FunctionName: 'f', UserParameters: REDACTED });
    const literal = config(
      redactPipeline(
        action({ StateMachineArn: 'arn:sm', InputType: 'Literal', Input: '{"k":"s3cr3t"}' }),
      ),
    );
    expect(literal['Input']).toBe(REDACTED);
    expect(literal['StateMachineArn']).toBe('arn:sm');
    const untyped = config(redactPipeline(action({ Input: 'anything' })));
    expect(untyped['Input']).toBe(REDACTED);
    // a file path of the input artifact is not a value
    const file = config(redactPipeline(action({ InputType: 'FilePath', Input: 'in/input.json' })));
    expect(file['Input']).toBe('in/input.json');
  });

  it('redacts the configuration of stage-condition rules like that of actions', () => {
    const out = redactPipeline({
      pipeline: {
        stages: [
          {
            name: 'Deploy',
            actions: [],
            beforeEntry: {
              conditions: [
                {
                  result: 'FAIL',
                  rules: [
                    {
                      name: 'Gate',
                      configuration: { FunctionName: 'gate', UserParameters: 'token=hunter2' },
                    },
                  ],
                },
              ],
            },
            onFailure: { result: 'ROLLBACK' },
          },
        ],
      },
    }) as { pipeline: { stages: Record<string, unknown>[] } };
    const stage = out.pipeline.stages[0]!;
    expect(JSON.stringify(stage)).not.toContain('hunter2');
    expect(stage['beforeEntry']).toEqual({
      conditions: [
        {
          result: 'FAIL',
          rules: [
            { name: 'Gate', configuration: { FunctionName: 'gate', UserParameters: REDACTED } },
          ],
        },
      ],
    });
    expect(stage['onFailure']).toEqual({ result: 'ROLLBACK' });
  });

  it('keeps ParameterOverrides names and artifact reads, redacts every other value', () => {
    const overrides = JSON.stringify({
      DbPassword: 'hunter2',
      Port: 5432,
      Image: { 'Fn::GetParam': ['BuildOutput', 'image.json', 'uri'] },
      Nested: { Value: 'x' },
    });
    const out = config(redactPipeline(action({ StackName: 's', ParameterOverrides: overrides })));
    expect(JSON.parse(out['ParameterOverrides'] as string)).toEqual({
      DbPassword: REDACTED,
      Port: REDACTED,
      Image: { 'Fn::GetParam': ['BuildOutput', 'image.json', 'uri'] },
      Nested: REDACTED,
    });
    expect(out['StackName']).toBe('s');
    for (const bad of ['DbPassword=hunter2', '["hunter2"]', '"hunter2"']) {
      const o = config(redactPipeline(action({ ParameterOverrides: bad })));
      expect(o['ParameterOverrides']).toBe(REDACTED);
    }
  });

  it('keeps the names of a StackSet parameter list and the file it names, redacts every value', () => {
    const params = (text: string) =>
      config(redactPipeline(action({ StackSetName: 's', Parameters: text })))['Parameters'];
    expect(
      params(
        'ParameterKey=DbPassword,ParameterValue=hunter2 ParameterKey=Old,UsePreviousValue=true  ParameterKey=Csv,ParameterValue=a b,c',
      ),
    ).toBe(
      `ParameterKey=DbPassword,ParameterValue=${REDACTED} ParameterKey=Old,UsePreviousValue=true ParameterKey=Csv,ParameterValue=${REDACTED}`,
    );
    expect(
      JSON.parse(
        params(
          JSON.stringify([
            { ParameterKey: 'DbPassword', ParameterValue: 'hunter2', ResolvedValue: 'hunter2' },
            { ParameterKey: 'Old', UsePreviousValue: true },
          ]),
        ) as string,
      ),
    ).toEqual([
      { ParameterKey: 'DbPassword', ParameterValue: REDACTED, ResolvedValue: REDACTED },
      { ParameterKey: 'Old', UsePreviousValue: true },
    ]);
    expect(params('BuildOutput::params/prod.json')).toBe('BuildOutput::params/prod.json');
    for (const bad of ['DbPassword=hunter2', '["hunter2"]', '{"DbPassword":"hunter2"}', 'x y']) {
      expect(params(bad)).toBe(REDACTED);
    }
    // a StackInstances action's ParameterOverrides is such a list too
    const overrides = config(
      redactPipeline(action({ ParameterOverrides: 'ParameterKey=Db,ParameterValue=hunter2' })),
    )['ParameterOverrides'];
    expect(overrides).toBe(`ParameterKey=Db,ParameterValue=${REDACTED}`);
  });

  it('redacts the commands of a Commands action and rule, keeping the list', () => {
    const out = redactPipeline({
      pipeline: {
        stages: [
          {
            actions: [{ name: 'Cmd', commands: ['curl -H "Authorization: Bearer t0k3n" x'] }],
            onSuccess: {
              conditions: [{ rules: [{ name: 'R', commands: ['echo s3cr3t', 'true'] }] }],
            },
          },
        ],
        variables: [{ name: 'V', defaultValue: 'hunter2', description: 'd' }, { name: 'W' }],
      },
    });
    expect(out).toEqual({
      pipeline: {
        stages: [
          {
            actions: [{ name: 'Cmd', commands: [REDACTED] }],
            onSuccess: {
              conditions: [{ rules: [{ name: 'R', commands: [REDACTED, REDACTED] }] }],
            },
          },
        ],
        variables: [{ name: 'V', defaultValue: REDACTED, description: 'd' }, { name: 'W' }],
      },
    });
  });

  it('reduces an inline CodeBuild buildspec to its env references, redacts an OAUTH source token, keeps file names and ARNs', () => {
    const project = redactCodeBuildProject({
      source: {
        type: 'GITHUB',
        buildspec: [
          'version: 0.2',
          'env:',
          '  variables:',
          '    T: s3cr3t',
          '  parameter-store:',
          '    DB_PASSWORD: /app/db-password',
          '    ODD: {nested: s3cr3t}',
          '  secrets-manager:',
          '    GH: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gh-AbCdEf:token::"',
          'phases:',
          '  build:',
          '    commands:',
          '      - echo s3cr3t',
        ].join('\n'),
      },
      secondarySources: [
        { buildspec: 'ci/buildspec-prod.yml' },
        { buildspec: 'arn:aws:s3:::bucket/buildspec.yml' },
        { buildspec: '{"version":"0.2","env":{"variables":{"T":"s3cr3t"}}}' },
        // not YAML: nothing of it can be kept
        { buildspec: 'version: 0.2\nenv:\n  variables: {T: s3cr3t\n' },
        // wrong shapes keep their place as "not known", not their content
        { buildspec: 'version: 0.2\nenv:\n  parameter-store: [s3cr3t]' },
        { buildspec: 'version: 0.2\nenv: s3cr3t' },
        { buildspec: 17 },
        { auth: { type: 'OAUTH', resource: 'gho_s3cr3t' } },
        { auth: { type: 'CODECONNECTIONS', resource: 'arn:aws:codeconnections:x' } },
      ],
    });
    expect(project).toEqual({
      source: {
        type: 'GITHUB',
        buildspec: JSON.stringify({
          version: '0.2',
          env: {
            'parameter-store': { DB_PASSWORD: '/app/db-password', ODD: null },
            'secrets-manager': {
              GH: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:gh-AbCdEf:token::',
            },
          },
          artifacts: false,
        }),
      },
      secondarySources: [
        { buildspec: 'ci/buildspec-prod.yml' },
        { buildspec: 'arn:aws:s3:::bucket/buildspec.yml' },
        { buildspec: '{"version":"0.2","env":{}}' },
        { buildspec: REDACTED },
        { buildspec: `{"version":"0.2","env":{"parameter-store":"${REDACTED}"}}` },
        { buildspec: `{"version":"0.2","env":"${REDACTED}"}` },
        { buildspec: REDACTED },
        { auth: { type: 'OAUTH', resource: REDACTED } },
        { auth: { type: 'CODECONNECTIONS', resource: 'arn:aws:codeconnections:x' } },
      ],
    });
    expect(JSON.stringify(project)).not.toContain('s3cr3t');
    // what the crawl writes reduces to itself
    const again = redactCodeBuildProject(project) as { source: { buildspec: string } };
    expect(again).toEqual(project);
  });

  it('redacts the values an EventBridge target sends to SageMaker, Redshift, AppSync and an API destination path', () => {
    const out = redactEventTarget({
      Id: 't',
      SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'token', Value: 's3cr3t' }] },
      RedshiftDataParameters: { Database: 'd', Sql: "PASSWORD 's3cr3t'", Sqls: ['s3cr3t'] },
      AppSyncParameters: { GraphQLOperation: 'mutation { login(password: "s3cr3t") }' },
      HttpParameters: { PathParameterValues: ['s3cr3t'] },
    });
    expect(out).toEqual({
      Id: 't',
      SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'token', Value: REDACTED }] },
      RedshiftDataParameters: { Database: 'd', Sql: REDACTED, Sqls: [REDACTED] },
      AppSyncParameters: { GraphQLOperation: REDACTED },
      HttpParameters: { PathParameterValues: [REDACTED] },
    });
  });

  it("redacts an EventBridge target's constant Input and InputTemplate, keeps InputPathsMap", () => {
    const out = redactEventTarget({
      Id: 't',
      Arn: 'arn:aws:codepipeline:us-east-1:111111111111:p',
      Input: '{"token":"abc"}',
      InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: '{"k":"secret"}' },
    }) as Record<string, unknown>;
    expect(out).toEqual({
      Id: 't',
      Arn: 'arn:aws:codepipeline:us-east-1:111111111111:p',
      Input: REDACTED,
      InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: REDACTED },
    });
    expect(JSON.stringify(out)).not.toContain('secret');
  });
});

describe('snapshot writer', () => {
  it('keeps every path inside the snapshot', () => {
    expect(safeSegment('..')).toBe('%2E%2E');
    expect(safeSegment('.')).toBe('%2E');
    expect(safeSegment('team/app')).toBe('team%2Fapp');
    expect(safeSegment('a\\b%c')).toBe('a%5Cb%25c');
    expect(safeSegment('ok-name_1.2@x')).toBe('ok-name_1.2@x');
  });

  it('writes a known-absent bucket policy as a file without Policy, us-east-1 as a null constraint, a repository name with / as folders', () => {
    const files = buildSnapshotFiles([
      {
        kind: 'bucket',
        account: '111111111111',
        bucket: 'b',
        policy: null,
        location: { LocationConstraint: '' },
      },
      {
        kind: 'ecr',
        account: '111111111111',
        region: 'us-east-1',
        repository: 'team/app',
        output: {},
      },
    ]);
    expect(files).toEqual([
      { path: '111111111111/s3/b.json', content: '{\n  "LocationConstraint": null\n}\n' },
      { path: '111111111111/us-east-1/ecr/team/app.json', content: '{}\n' },
    ]);
  });

  it('merges IAM pages and CodeBuild batches, sorted by name', () => {
    const files = buildSnapshotFiles([
      {
        kind: 'iam',
        account: '111111111111',
        pages: [
          { RoleDetailList: [{ RoleName: 'b' }], Policies: [], IsTruncated: true, Marker: 'm' },
          {
            RoleDetailList: [{ RoleName: 'a' }],
            UserDetailList: [{ UserName: 'u' }],
            IsTruncated: false,
          },
        ],
      },
      {
        kind: 'codebuild',
        account: '111111111111',
        region: 'us-east-1',
        outputs: [
          { projects: [{ name: 'z' }], projectsNotFound: ['y'] },
          { projects: [{ name: 'x' }] },
        ],
      },
    ]);
    expect(files.map((f) => [f.path, JSON.parse(f.content)])).toEqual([
      [
        '111111111111/iam.json',
        {
          GroupDetailList: [],
          Policies: [],
          RoleDetailList: [{ RoleName: 'a' }, { RoleName: 'b' }],
          UserDetailList: [{ UserName: 'u' }],
        },
      ],
      [
        '111111111111/us-east-1/codebuild.json',
        { projects: [{ name: 'x' }, { name: 'z' }], projectsNotFound: ['y'] },
      ],
    ]);
  });
});

describe('writeSnapshotFiles', () => {
  it('replaces files atomically and leaves no temporary file when a write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-write-'));
    try {
      writeFileSync(join(dir, 'a.json'), 'old\n');
      // a directory where a file should go makes the rename fail half way through the crawl
      mkdirSync(join(dir, 'b.json'));
      await expect(
        writeSnapshotFiles(dir, {
          files: [
            { path: 'a.json', content: 'new\n' },
            { path: 'b.json', content: 'x\n' },
            { path: 'c.json', content: 'y\n' },
          ],
        }),
      ).rejects.toThrow();
      expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('new\n');
      expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json']);
      expect(readdirSync(join(dir, 'b.json'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a path that leaves the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-write-'));
    try {
      await expect(
        writeSnapshotFiles(dir, { files: [{ path: '../escape.json', content: '{}' }] }),
      ).rejects.toThrow('snapshot path escapes the folder');
      await expect(
        writeSnapshotFiles(dir, { files: [], folders: ['organization/../..'] }),
      ).rejects.toThrow('snapshot path escapes the folder');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the folders an empty folder says something by, each kept for git by a .gitkeep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-write-'));
    try {
      await writeSnapshotFiles(dir, {
        files: [{ path: 'organization/scp/p-1.json', content: '{}\n' }],
        folders: ['organization', 'organization/rcp', 'organization/scp'],
      });
      expect(readdirSync(join(dir, 'organization')).sort()).toEqual(['rcp', 'scp']);
      expect(readdirSync(join(dir, 'organization', 'rcp'))).toEqual([KEEP_FILE]);
      expect(readdirSync(join(dir, 'organization', 'scp'))).toEqual(['p-1.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeSnapshotFiles: organization/scp/ and rcp/ appear all at once', () => {
  const SCPS = [
    { path: 'organization/scp/p-a.json', content: '{"a":1}' },
    { path: 'organization/scp/p-b.json', content: '{"b":1}' },
    { path: 'organization/scp/p-c.json', content: '{"c":1}' },
  ];
  const withDir = async (run: (dir: string) => Promise<void>): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-write-whole-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  /** what a folder holds, files with their text, recursively */
  const tree = (dir: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
      const path = join(dir, name);
      out[name] = statSync(path).isDirectory() ? '<folder>' : readFileSync(path, 'utf8');
    }
    return out;
  };

  it('a write that fails on a later file leaves no scp/ folder (it left some SCPs, read as all)', () =>
    withDir(async (dir) => {
      // a folder where a file should go: the write of zz.json fails after the SCPs
      mkdirSync(join(dir, 'zz.json'));
      await expect(
        writeSnapshotFiles(dir, {
          files: [...SCPS, { path: 'zz.json', content: '{}' }],
          folders: ['organization'],
        }),
      ).rejects.toThrow();
      expect(tree(dir)).toEqual({ organization: '<folder>', 'zz.json': '<folder>' });
    }));

  it('a write that fails on one of the SCPs leaves no scp/ folder and no temporary one', () =>
    withDir(async (dir) => {
      // a name too long is skipped (and reported), not the whole write: here the whole folder
      const tooLong = { path: `organization/scp/${'p'.repeat(300)}.json`, content: '{}' };
      await expect(
        writeSnapshotFiles(dir, {
          files: [SCPS[0]!, tooLong, SCPS[1]!],
          folders: ['organization/rcp'],
        }),
      ).resolves.toEqual({ skipped: ['organization/scp'], removed: [] });
      expect(tree(dir)).toEqual({
        organization: '<folder>',
        'organization/rcp': '<folder>',
        [`organization/rcp/${KEEP_FILE}`]: '',
      });
    }));

  it('is written last, whole, as the files say, and an empty one keeps its .gitkeep', () =>
    withDir(async (dir) => {
      await writeSnapshotFiles(dir, {
        files: [...SCPS, { path: 'organization/describe-organization.json', content: '{}' }],
        folders: ['organization', 'organization/rcp', 'organization/scp'],
      });
      expect(tree(dir)).toEqual({
        organization: '<folder>',
        'organization/describe-organization.json': '{}',
        'organization/rcp': '<folder>',
        [`organization/rcp/${KEEP_FILE}`]: '',
        'organization/scp': '<folder>',
        'organization/scp/p-a.json': '{"a":1}',
        'organization/scp/p-b.json': '{"b":1}',
        'organization/scp/p-c.json': '{"c":1}',
      });
    }));

  it('replaces an existing folder as a whole (--merge), and keeps it whole when a write fails', () =>
    withDir(async (dir) => {
      const scp = join(dir, 'organization', 'scp');
      mkdirSync(scp, { recursive: true });
      writeFileSync(join(scp, 'p-old.json'), '{"old":1}');
      // a folder in the way of one of the new files (as in the reviewer's reproduction)
      mkdirSync(join(scp, 'p-c.json'));
      // a file where a folder should be: the write of zz/x.json fails after the SCPs
      writeFileSync(join(dir, 'zz'), '');
      const before = tree(dir);
      await expect(
        writeSnapshotFiles(dir, { files: [...SCPS, { path: 'zz/x.json', content: '{}' }] }),
      ).rejects.toThrow(/EEXIST/);
      expect(tree(dir)).toEqual(before);
      rmSync(join(dir, 'zz'));
      await writeSnapshotFiles(dir, { files: SCPS, folders: ['organization/rcp'] });
      expect(tree(dir)).toEqual({
        organization: '<folder>',
        'organization/rcp': '<folder>',
        [`organization/rcp/${KEEP_FILE}`]: '',
        'organization/scp': '<folder>',
        'organization/scp/p-a.json': '{"a":1}',
        'organization/scp/p-b.json': '{"b":1}',
        'organization/scp/p-c.json': '{"c":1}',
      });
    }));
});

describe('flaggedToken', () => {
  it('gives the marker of a flagged page, nothing for the last page, NO_NEXT_TOKEN for a flagged page without a marker', () => {
    expect(flaggedToken(true, 'm')).toBe('m');
    expect(flaggedToken(false, undefined)).toBeUndefined();
    expect(flaggedToken(undefined, undefined)).toBeUndefined();
    expect(flaggedToken(true, undefined)).toBe(NO_NEXT_TOKEN);
    expect(flaggedToken(true, '')).toBe(NO_NEXT_TOKEN);
  });
});

describe('classifyError', () => {
  it('sorts AWS errors by code, then by HTTP status', () => {
    const e = (name: string, status: number) =>
      Object.assign(new Error('m'), { name, $metadata: { httpStatusCode: status } });
    expect(classifyError(e('AccessDeniedException', 400)).reason).toBe('access-denied');
    expect(classifyError(e('AuthorizationError', 403)).reason).toBe('access-denied');
    expect(classifyError(e('NoSuchEntity', 404)).reason).toBe('not-found');
    expect(classifyError(e('PipelineNotFoundException', 400)).reason).toBe('not-found');
    expect(classifyError(e('SlowDown', 503)).reason).toBe('throttled');
    expect(classifyError(e('Error', 403)).reason).toBe('access-denied');
    expect(classifyError(e('InternalFailure', 500))).toEqual({
      code: 'InternalFailure',
      message: 'm',
      reason: 'error',
    });
  });
});

describe('CrawlContext.schedule', () => {
  it('runs a key once, waits for tasks scheduled by tasks, and surfaces a bug at settle', async () => {
    const ctx = new CrawlContext({});
    const ran: string[] = [];
    ctx.schedule('a', async () => {
      ran.push('a');
      ctx.schedule('b', async () => {
        await new Promise((r) => setTimeout(r, 5));
        ran.push('b');
      });
    });
    ctx.schedule('a', async () => {
      ran.push('a again');
    });
    await ctx.settle();
    expect(ran).toEqual(['a', 'b']);
    ctx.schedule('bug', async () => {
      throw new TypeError('a bug in a reader');
    });
    await expect(ctx.settle()).rejects.toThrow('a bug in a reader');
  });
});
