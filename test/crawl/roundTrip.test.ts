/**
 * The real SDK clients crawl a loopback fake of AWS that serves the fixture snapshot: the crawl
 * must give back the fixture, file by file, byte for byte (the fixture is a snapshot the AWS CLI
 * would print, so this pins the CLI-compatible output), with no secret value in it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeBuildClient, BatchGetProjectsCommand } from '@aws-sdk/client-codebuild';
import { CodePipelineClient, GetPipelineCommand } from '@aws-sdk/client-codepipeline';
import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { LambdaClient, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/crawl.js';
import { REDACTED } from '../../src/crawl/redact.js';
import {
  FAKE_CALLER_KEY,
  PRESIGNED_SECRET,
  secretFor,
  startFakeAws,
  type FakeAws,
} from './fakeAws.js';
import { FIXTURE, parseFiles, readSnapshot, TEMPLATE } from './helpers.js';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const credentials = { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' };

async function crawlFixture(fixture = FIXTURE) {
  fake = await startFakeAws({ fixture });
  return crawl({
    endpoint: fake.endpoint,
    credentials,
    regions: ['us-east-1'],
    assumeRoleTemplate: TEMPLATE,
  });
}

describe('crawl(serve(fixture))', () => {
  it('equals the fixture, file by file (parsed JSON deep-equal)', async () => {
    const result = await crawlFixture();
    expect(result.failures).toEqual([]);
    const got = parseFiles(result.files);
    const want = readSnapshot(FIXTURE);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const path of Object.keys(want)) {
      expect({ path, json: got[path] }).toEqual({ path, json: want[path] });
    }
    expect(result.accounts).toEqual(['111111111111', '222222222222']);
    expect(result.pipelines).toEqual(['111111111111/us-east-1/webapp']);
    expect(result.callerArn).toBe('arn:aws:iam::111111111111:user/auditor');
  });

  it('is byte-identical to the fixture and deterministic across runs', async () => {
    const first = await crawlFixture();
    await fake?.close();
    const second = await crawlFixture();
    expect(second.files).toEqual(first.files);
    for (const f of first.files) {
      expect({ path: f.path, text: f.content }).toEqual({
        path: f.path,
        text: readFileSync(join(FIXTURE, f.path), 'utf8'),
      });
    }
  });

  it('writes no secret value: CodeBuild PLAINTEXT and Lambda environment values are redacted', async () => {
    const result = await crawlFixture();
    // positive control: the fake really serves the secrets to the SDK
    const lambda = new LambdaClient({ endpoint: fake?.endpoint, credentials, region: 'us-east-1' });
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'webapp-smoke-test' }));
    lambda.destroy();
    expect(fn.Configuration?.Environment?.Variables?.['API_TOKEN']).toBe(secretFor('API_TOKEN'));
    expect(fn.Code?.Location).toContain(PRESIGNED_SECRET);

    for (const f of result.files) {
      expect(f.content).not.toContain('fake-secret-value');
      expect(f.content).not.toContain(PRESIGNED_SECRET);
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking parsed JSON
    const files = parseFiles(result.files) as Record<string, any>;
    const vars =
      files['111111111111/us-east-1/codebuild.json'].projects[0].environment.environmentVariables;
    expect(vars).toEqual([
      { name: 'NPM_TOKEN', value: REDACTED, type: 'PLAINTEXT' },
      { name: 'STAGE', value: REDACTED, type: 'PLAINTEXT' },
      // names of parameters and secrets are not secret and the analyzer needs them
      { name: 'DB_PASSWORD', value: '/webapp/db-password', type: 'PARAMETER_STORE' },
      {
        name: 'SIGNING_KEY',
        value: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:webapp/signing-AbCdEf',
        type: 'SECRETS_MANAGER',
      },
    ]);
    expect(
      files['111111111111/us-east-1/lambda/webapp-smoke-test.json'].Configuration.Environment,
    ).toEqual({
      Variables: { API_TOKEN: REDACTED, TARGET_URL: REDACTED },
    });
  });

  it('writes no secret of a pipeline action (CodeBuild EnvironmentVariables, credential keys, ParameterOverrides, UserParameters), a CodeBuild webhook or an EventBridge target (HTTP parameters, Input, InputTemplate)', async () => {
    // the fixture with secrets in more places; where it holds the marker the fake serves a secret
    const dir = mkdtempSync(join(tmpdir(), 'permchain-secrets-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- editing parsed JSON
    const edit = (path: string, change: (json: any) => void): void => {
      const json = JSON.parse(readFileSync(join(dir, path), 'utf8'));
      change(json);
      writeFileSync(join(dir, path), JSON.stringify(json, null, 2) + '\n');
    };
    const variables = [
      { name: 'NPM_TOKEN', type: 'PLAINTEXT', value: REDACTED },
      { name: 'DB', type: 'PARAMETER_STORE', value: '/webapp/db' },
    ];
    edit('111111111111/us-east-1/codepipeline/webapp.json', (p) => {
      const build = p.pipeline.stages[1].actions[0];
      expect(build.name).toBe('Build');
      build.configuration.EnvironmentVariables = JSON.stringify(variables);
      build.configuration.PassWord = REDACTED;
      build.configuration.OAuthToken = REDACTED;
      const deploy = p.pipeline.stages[4].actions[0];
      expect(deploy.name).toBe('CreateStack');
      deploy.configuration.ParameterOverrides = JSON.stringify({
        DbPassword: REDACTED,
        Image: { 'Fn::GetParam': ['BuildOutput', 'image.json', 'uri'] },
      });
      // the Lambda action's UserParameters hold the marker in the fixture itself
      expect(p.pipeline.stages[2].actions[0].configuration.UserParameters).toBe(REDACTED);
    });
    edit('111111111111/us-east-1/codebuild.json', (c) => {
      c.projects[0].webhook = { secret: REDACTED, url: 'https://example.com/hook' };
    });
    edit('111111111111/us-east-1/events.json', (e) => {
      e.Targets['webapp-source-changed'][0].HttpParameters = {
        HeaderParameters: { 'x-api-key': REDACTED },
        QueryStringParameters: { token: REDACTED },
      };
      e.Targets['webapp-source-changed'][0].Input = REDACTED;
      e.Targets['webapp-source-changed'][0].InputTransformer = {
        InputPathsMap: { id: '$.id' },
        InputTemplate: REDACTED,
      };
    });
    const result = await crawlFixture(dir);
    expect(result.failures).toEqual([]);

    // positive control: the fake serves the secrets to the SDK in each of those places
    const region = 'us-east-1';
    const endpoint = fake?.endpoint;
    const cp = new CodePipelineClient({ endpoint, credentials, region });
    const got = await cp.send(new GetPipelineCommand({ name: 'webapp' }));
    cp.destroy();
    const config = got.pipeline?.stages?.[1]?.actions?.[0]?.configuration ?? {};
    expect(config['EnvironmentVariables']).toContain(secretFor('NPM_TOKEN'));
    expect(config['PassWord']).toBe(secretFor('PassWord'));
    const deployConfig = got.pipeline?.stages?.[4]?.actions?.[0]?.configuration ?? {};
    expect(deployConfig['ParameterOverrides']).toContain(secretFor('DbPassword'));
    const smoke = got.pipeline?.stages?.[2]?.actions?.[0]?.configuration ?? {};
    expect(smoke['UserParameters']).toBe(secretFor('UserParameters'));
    const cb = new CodeBuildClient({ endpoint, credentials, region });
    const projects = await cb.send(new BatchGetProjectsCommand({ names: ['webapp-build'] }));
    cb.destroy();
    expect(projects.projects?.[0]?.webhook?.secret).toBe(secretFor('secret'));
    const eb = new EventBridgeClient({ endpoint, credentials, region });
    const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: 'webapp-source-changed' }));
    eb.destroy();
    expect(targets.Targets?.[0]?.HttpParameters?.HeaderParameters?.['x-api-key']).toBe(
      secretFor('x-api-key'),
    );
    expect(targets.Targets?.[0]?.Input).toBe(secretFor('Input'));
    expect(targets.Targets?.[0]?.InputTransformer?.InputTemplate).toBe(secretFor('InputTemplate'));

    for (const f of result.files) {
      expect({ path: f.path, secret: f.content.includes('fake-secret-value') }).toEqual({
        path: f.path,
        secret: false,
      });
    }
    // what is written is the fixture: names, types and parameter names kept, values redacted
    const written = parseFiles(result.files);
    const want = readSnapshot(dir);
    expect(Object.keys(written).sort()).toEqual(Object.keys(want).sort());
    for (const path of Object.keys(want)) {
      expect({ path, json: written[path] }).toEqual({ path, json: want[path] });
    }
  });
});

describe('crawl(serve(fixture)) writes no secret of', () => {
  it("a pipeline action's own environmentVariables (PLAINTEXT and untyped values; a SECRETS_MANAGER value only names a secret and stays)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-secrets-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const path = join(dir, '111111111111/us-east-1/codepipeline/webapp.json');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- editing parsed JSON
    const p = JSON.parse(readFileSync(path, 'utf8')) as any;
    const deploy = p.pipeline.stages[4];
    expect(deploy.name).toBe('DeployProd');
    const secretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:deploy-AbCdEf';
    deploy.actions.push({
      name: 'Cmd',
      actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
      runOrder: 9,
      inputArtifacts: [{ name: 'BuildOutput' }],
      commands: [REDACTED],
      // the fake serves a secret where the fixture holds the marker
      environmentVariables: [
        { name: 'DEPLOY_TOKEN', type: 'PLAINTEXT', value: REDACTED },
        { name: 'API_KEY', value: REDACTED },
        { name: 'DB', type: 'SECRETS_MANAGER', value: secretArn },
      ],
    });
    writeFileSync(path, JSON.stringify(p, null, 2) + '\n');
    const result = await crawlFixture(dir);
    expect(result.failures).toEqual([]);

    // positive control: the SDK receives the secrets in the action's environmentVariables
    const cp = new CodePipelineClient({
      endpoint: fake?.endpoint,
      credentials,
      region: 'us-east-1',
    });
    const got = await cp.send(new GetPipelineCommand({ name: 'webapp' }));
    cp.destroy();
    const served = got.pipeline?.stages?.[4]?.actions?.find((a) => a.name === 'Cmd');
    expect(served?.environmentVariables).toEqual([
      { name: 'DEPLOY_TOKEN', type: 'PLAINTEXT', value: secretFor('DEPLOY_TOKEN') },
      { name: 'API_KEY', value: secretFor('API_KEY') },
      { name: 'DB', type: 'SECRETS_MANAGER', value: secretArn },
    ]);

    for (const f of result.files) {
      expect({ path: f.path, secret: f.content.includes('fake-secret-value') }).toEqual({
        path: f.path,
        secret: false,
      });
    }
    // what is written is the fixture: names, types and the secret's ARN kept, values redacted
    expect(parseFiles(result.files)).toEqual(readSnapshot(dir));
  });

  it('a StackSet action (Parameters), a Commands action or rule (commands), a pipeline variable default, a CodeBuild inline buildspec, an EventBridge SageMaker, Redshift or API destination target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-secrets-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- editing parsed JSON
    const edit = (path: string, change: (json: any) => void): void => {
      const json = JSON.parse(readFileSync(join(dir, path), 'utf8'));
      change(json);
      writeFileSync(join(dir, path), JSON.stringify(json, null, 2) + '\n');
    };
    const action = (name: string, provider: string, extra: Record<string, unknown>) => ({
      name,
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider, version: '1' },
      runOrder: 9,
      inputArtifacts: [{ name: 'BuildOutput' }],
      ...extra,
    });
    edit('111111111111/us-east-1/codepipeline/webapp.json', (p) => {
      const deploy = p.pipeline.stages[4];
      expect(deploy.name).toBe('DeployProd');
      deploy.actions.push(
        action('Sets', 'CloudFormationStackSet', {
          configuration: {
            StackSetName: 'webapp-sets',
            TemplatePath: 'BuildOutput::template.yaml',
            DeploymentTargets: '111111111111',
            Regions: 'us-east-1',
            Parameters: `ParameterKey=DbPassword,ParameterValue=${REDACTED} ParameterKey=Stage,UsePreviousValue=true`,
          },
        }),
        action('Cmd', 'Commands', { configuration: {}, commands: [REDACTED, REDACTED] }),
      );
      deploy.beforeEntry = {
        conditions: [
          {
            result: 'FAIL',
            rules: [
              {
                name: 'Check',
                ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'Commands', version: '1' },
                configuration: {},
                commands: [REDACTED],
                inputArtifacts: [{ name: 'BuildOutput' }],
              },
            ],
          },
        ],
      };
      p.pipeline.variables = [{ name: 'Token', defaultValue: REDACTED, description: 'kept' }];
    });
    edit('111111111111/us-east-1/codebuild.json', (c) => {
      // an inline buildspec is kept reduced to its env references; one the crawl cannot read is
      // redacted whole
      c.projects[0].source.buildspec = JSON.stringify({
        version: '0.2',
        env: {
          'parameter-store': { DB_PASSWORD: '/app/db-password' },
          'secrets-manager': { TOKEN: 'npm-token:token' },
        },
        // it has phases and no artifacts section
        artifacts: false,
      });
      c.projects[0].secondarySources = [
        { type: 'S3', location: 'tooling-source-111111111111/lib.zip', buildspec: REDACTED },
        { type: 'S3', location: 'tooling-source-111111111111/lib.zip', buildspec: 'ci/build.yml' },
      ];
    });
    edit('111111111111/us-east-1/events.json', (e) => {
      const targets = e.Targets['webapp-source-changed'];
      targets.push(
        {
          Id: 'sm',
          Arn: 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/p',
          RoleArn: targets[0].RoleArn,
          SageMakerPipelineParameters: {
            PipelineParameterList: [{ Name: 'token', Value: REDACTED }],
          },
        },
        {
          Id: 'rs',
          Arn: 'arn:aws:redshift:us-east-1:111111111111:cluster:c',
          RoleArn: targets[0].RoleArn,
          RedshiftDataParameters: { Database: 'd', Sql: REDACTED, Sqls: [REDACTED] },
        },
        {
          Id: 'api',
          Arn: 'arn:aws:events:us-east-1:111111111111:api-destination/d/abc',
          RoleArn: targets[0].RoleArn,
          HttpParameters: { PathParameterValues: [REDACTED] },
        },
      );
      // the crawl writes targets sorted by Id
      targets.sort((a: { Id: string }, b: { Id: string }) => (a.Id < b.Id ? -1 : 1));
    });
    const result = await crawlFixture(dir);
    expect(result.failures).toEqual([]);

    // positive control: the fake serves the secrets to the SDK in each of those places
    const region = 'us-east-1';
    const endpoint = fake?.endpoint;
    const cp = new CodePipelineClient({ endpoint, credentials, region });
    const got = await cp.send(new GetPipelineCommand({ name: 'webapp' }));
    cp.destroy();
    const served = JSON.stringify(got.pipeline);
    for (const name of ['Parameters', 'commands', 'defaultValue'])
      expect({ name, served: served.includes(secretFor(name)) }).toEqual({ name, served: true });
    const cb = new CodeBuildClient({ endpoint, credentials, region });
    const projects = await cb.send(new BatchGetProjectsCommand({ names: ['webapp-build'] }));
    cb.destroy();
    expect(projects.projects?.[0]?.source?.buildspec).toContain(secretFor('buildspec'));
    const eb = new EventBridgeClient({ endpoint, credentials, region });
    const pages: unknown[] = [];
    let NextToken: string | undefined;
    do {
      const page = await eb.send(
        new ListTargetsByRuleCommand({ Rule: 'webapp-source-changed', NextToken }),
      );
      pages.push(page.Targets);
      NextToken = page.NextToken;
    } while (NextToken);
    eb.destroy();
    const servedTargets = JSON.stringify(pages);
    for (const name of ['Value', 'Sql', 'Sqls', 'PathParameterValues'])
      expect({ name, served: servedTargets.includes(secretFor(name)) }).toEqual({
        name,
        served: true,
      });

    for (const f of result.files) {
      expect({ path: f.path, secret: f.content.includes('fake-secret-value') }).toEqual({
        path: f.path,
        secret: false,
      });
    }
    // what is written is the fixture: names, keys and file names kept, values redacted
    const written = parseFiles(result.files);
    const want = readSnapshot(dir);
    expect(Object.keys(written).sort()).toEqual(Object.keys(want).sort());
    for (const path of Object.keys(want)) {
      expect({ path, json: written[path] }).toEqual({ path, json: want[path] });
    }
  });
});
