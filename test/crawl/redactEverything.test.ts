/**
 * Every field src/crawl/redact.ts says may hold a secret, filled with a secret of its own, in the
 * records a crawl gives the snapshot writer: the files written hold none of them. (The round-trip
 * tests only put secrets where the fixture holds the marker, so they cannot catch a field that was
 * never redacted; this one names every field.)
 */
import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/crawl/redact.js';
import { buildSnapshotFiles, type CrawlRecord } from '../../src/crawl/snapshotWriter.js';

const secrets: string[] = [];
/** A distinct secret for one field, so a leak names the field. */
function secret(field: string): string {
  const s = `SECRET<${field}>`;
  secrets.push(s);
  return s;
}

const place = { account: '111111111111', region: 'us-east-1' };
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:deploy-AbCdEf';

const action = (name: string, provider: string, extra: Record<string, unknown>) => ({
  name,
  actionTypeId: { category: 'Deploy', owner: 'AWS', provider, version: '1' },
  runOrder: 1,
  ...extra,
});

const rule = (where: string) => ({
  name: `Rule-${where}`,
  ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'LambdaInvoke', version: '1' },
  configuration: {
    FunctionName: 'check',
    UserParameters: secret(`${where} rule UserParameters`),
  },
  commands: [secret(`${where} rule commands`)],
});

function pipelineRecord(): CrawlRecord {
  const credentialKeys = [
    'OAuthToken',
    'SecretToken',
    'PassWord',
    'Pass',
    'ApiKey',
    'Webhook_Signing',
    'ConnectionString',
    'PrivateKey',
    'AccessKey',
  ];
  return {
    kind: 'pipeline',
    ...place,
    output: {
      pipeline: {
        name: 'p',
        roleArn: 'arn:aws:iam::111111111111:role/p',
        variables: [{ name: 'V', defaultValue: secret('variable defaultValue') }],
        stages: [
          {
            name: 'S',
            beforeEntry: { conditions: [{ rules: [rule('beforeEntry')] }] },
            onSuccess: { conditions: [{ rules: [rule('onSuccess')] }] },
            onFailure: { conditions: [{ rules: [rule('onFailure')] }] },
            actions: [
              action('Credentials', 'Custom', {
                configuration: Object.fromEntries(
                  credentialKeys.map((k) => [k, secret(`configuration ${k}`)]),
                ),
              }),
              action('Invoke', 'Lambda', {
                configuration: {
                  FunctionName: 'f',
                  UserParameters: secret('Lambda UserParameters'),
                },
              }),
              action('Sfn', 'StepFunctions', {
                configuration: { StateMachineArn: 'arn:x', Input: secret('StepFunctions Input') },
              }),
              action('Stack', 'CloudFormation', {
                configuration: {
                  StackName: 's',
                  ParameterOverrides: JSON.stringify({
                    Db: secret('ParameterOverrides value'),
                  }),
                },
              }),
              action('StackShorthand', 'CloudFormation', {
                configuration: {
                  StackName: 's',
                  ParameterOverrides: `ParameterKey=Db,ParameterValue=${secret('ParameterOverrides shorthand')}`,
                },
              }),
              action('Sets', 'CloudFormationStackSet', {
                configuration: {
                  StackSetName: 'ss',
                  Parameters: `ParameterKey=Db,ParameterValue=${secret('StackSet Parameters shorthand')}`,
                },
              }),
              action('SetsJson', 'CloudFormationStackSet', {
                configuration: {
                  StackSetName: 'ss',
                  Parameters: JSON.stringify([
                    { ParameterKey: 'Db', ParameterValue: secret('StackSet Parameters json') },
                  ]),
                },
              }),
              action('Build', 'CodeBuild', {
                configuration: {
                  ProjectName: 'b',
                  EnvironmentVariables: JSON.stringify([
                    {
                      name: 'A',
                      type: 'PLAINTEXT',
                      value: secret('EnvironmentVariables PLAINTEXT'),
                    },
                    { name: 'B', value: secret('EnvironmentVariables untyped') },
                    { name: 'C', type: 'SECRETS_MANAGER', value: SECRET_ARN },
                  ]),
                },
              }),
              action('Cmd', 'Commands', {
                configuration: {},
                commands: [secret('Commands commands')],
                environmentVariables: [
                  { name: 'A', type: 'PLAINTEXT', value: secret('action environmentVariables') },
                  { name: 'B', value: secret('action environmentVariables untyped') },
                  { name: 'C', type: 'SECRETS_MANAGER', value: SECRET_ARN },
                ],
              }),
            ],
          },
        ],
      },
      metadata: { pipelineArn: 'arn:aws:codepipeline:us-east-1:111111111111:p' },
    },
  };
}

function codebuildRecord(): CrawlRecord {
  return {
    kind: 'codebuild',
    ...place,
    outputs: [
      {
        projects: [
          {
            name: 'b',
            environment: {
              environmentVariables: [
                { name: 'A', type: 'PLAINTEXT', value: secret('project variable PLAINTEXT') },
                { name: 'B', value: secret('project variable untyped') },
                { name: 'C', type: 'ODD_TYPE', value: secret('project variable unknown type') },
                { name: 'D', type: 'SECRETS_MANAGER', value: SECRET_ARN },
              ],
            },
            source: {
              type: 'GITHUB',
              buildspec: [
                'version: 0.2',
                'env:',
                '  variables:',
                `    T: ${secret('inline buildspec env.variables')}`,
                'phases:',
                '  build:',
                '    commands:',
                `      - echo ${secret('inline buildspec commands')}`,
              ].join('\n'),
              auth: { type: 'OAUTH', resource: secret('source auth resource') },
            },
            secondarySources: [
              { type: 'S3', buildspec: `version: 0.2\nphases: [${secret('unreadable buildspec')}` },
            ],
            webhook: { url: 'https://example.com', secret: secret('webhook secret') },
          },
        ],
      },
    ],
  };
}

function lambdaRecord(): CrawlRecord {
  return {
    kind: 'lambda',
    ...place,
    name: 'f',
    // get-function-configuration: no Code.Location (a presigned URL) to leak
    output: {
      FunctionName: 'f',
      Environment: { Variables: { TOKEN: secret('Lambda environment variable') } },
    },
    policy: null,
  };
}

function eventsRecord(): CrawlRecord {
  return {
    kind: 'events',
    ...place,
    rules: [{ Name: 'r' }],
    targets: {
      r: [
        {
          Id: 't',
          Arn: 'arn:aws:events:us-east-1:111111111111:api-destination/d/abc',
          Input: secret('target Input'),
          InputTransformer: {
            InputPathsMap: { id: '$.id' },
            InputTemplate: secret('InputTemplate'),
          },
          HttpParameters: {
            HeaderParameters: { 'x-api-key': secret('HeaderParameters') },
            QueryStringParameters: { token: secret('QueryStringParameters') },
            PathParameterValues: [secret('PathParameterValues')],
          },
          SageMakerPipelineParameters: {
            PipelineParameterList: [{ Name: 'p', Value: secret('SageMaker parameter') }],
          },
          RedshiftDataParameters: {
            Database: 'd',
            Sql: secret('Redshift Sql'),
            Sqls: [secret('Redshift Sqls')],
          },
          AppSyncParameters: { GraphQLOperation: secret('AppSync GraphQLOperation') },
        },
      ],
    },
  };
}

describe('no field redact.ts covers reaches the snapshot', () => {
  it('a pipeline, a CodeBuild project, a Lambda function and EventBridge targets with a secret in every such field', () => {
    const records = [pipelineRecord(), codebuildRecord(), lambdaRecord(), eventsRecord()];
    const files = buildSnapshotFiles(records);
    expect(files.map((f) => f.path)).toEqual([
      '111111111111/us-east-1/codebuild.json',
      '111111111111/us-east-1/codepipeline/p.json',
      '111111111111/us-east-1/events.json',
      '111111111111/us-east-1/lambda/f.json',
    ]);
    const text = files.map((f) => f.content).join('\n');
    expect(secrets.length).toBeGreaterThan(40);
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
    // what only names a secret stays, and the marker is where the values were
    expect(text).toContain(SECRET_ARN);
    expect(text).toContain(REDACTED);
  });

  it("a pipeline action's own environmentVariables: PLAINTEXT (and untyped) values are replaced, a SECRETS_MANAGER value stays", () => {
    const [file] = buildSnapshotFiles([
      {
        kind: 'pipeline',
        ...place,
        output: {
          pipeline: {
            name: 'p',
            stages: [
              {
                name: 'S',
                actions: [
                  action('Cmd', 'Commands', {
                    commands: ['true'],
                    environmentVariables: [
                      { name: 'A', type: 'PLAINTEXT', value: 'hunter2' },
                      { name: 'B', value: 'hunter2' },
                      { name: 'C', type: 'SECRETS_MANAGER', value: SECRET_ARN },
                      'TOKEN=hunter2',
                    ],
                  }),
                  action('Odd', 'Commands', { environmentVariables: 'TOKEN=hunter2' }),
                ],
              },
            ],
          },
        },
      },
    ]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading parsed JSON
    const actions = (JSON.parse(file?.content ?? '{}') as any).pipeline.stages[0].actions;
    expect(actions[0].environmentVariables).toEqual([
      { name: 'A', type: 'PLAINTEXT', value: REDACTED },
      { name: 'B', value: REDACTED },
      { name: 'C', type: 'SECRETS_MANAGER', value: SECRET_ARN },
      REDACTED,
    ]);
    expect(actions[1].environmentVariables).toBe(REDACTED);
  });
});
