/**
 * Action types of V2 pipelines that share a provider name with another (the catalog is keyed by
 * provider and category, src/chain/catalog.ts providerModelled).
 *
 * The Commands action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Commands.html):
 * CodePipeline runs its shell commands in CodeBuild compute it manages and writes their output to
 * the log group it names after the pipeline, `/aws/codepipeline/<pipeline name>`, with the
 * action's role: its roleArn, else the pipeline service role (policies/requirements/commands.json). Its artifacts are read and written
 * as every action's are. Until this catalog entry it was one Unknown link
 * (`action.provider-not-modelled`), so a pipeline whose role could not write those logs was never
 * reported as failing.
 *
 * The Lambda deploy action (category Deploy, provider Lambda,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html)
 * shifts a function alias to a new version; the catalog's Lambda entries are the invoke action's
 * (category Invoke: invoke the function, whose role reports the job's result). They were applied to
 * a deploy action too, which then failed for a function role without
 * `codepipeline:PutJobSuccessResult` that the deploy never needs, and passed without a word on what
 * the deploy calls. It was then one Unknown link, like any provider the catalog does not model;
 * its own entries (policies/requirements/lambda-deploy.json) now check what its reference lists.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';

const T = '111111111111';
const PIPELINE_FILE = `${T}/us-east-1/codepipeline/orders-api.json`;
const PIPE_ROLE = `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`;
const TEST_ROLE = `arn:aws:iam::${T}:role/orders-api-unit-tests`;
const GROUP = `arn:aws:logs:us-east-1:${T}:log-group:/aws/codepipeline/orders-api`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const commandsAction = (extra: Json = {}): Json => ({
  name: 'UnitTests',
  actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
  runOrder: 2,
  configuration: {},
  commands: ['npm ci', 'npm test'],
  inputArtifacts: [{ name: 'BuildOutput' }],
  outputArtifacts: [],
  ...extra,
});

const commandsRule = {
  name: 'CheckPackage',
  ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'Commands', version: '1' },
  configuration: {},
  commands: ['test -s packaged.yaml'],
  inputArtifacts: [{ name: 'BuildOutput' }],
  region: 'us-east-1',
};

function editJson(file: string, edit: (doc: Json) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  edit(doc);
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

/** The pipeline role's inline policy gets `statement`. */
const grant =
  (statement: Json) =>
  (iam: Json): void => {
    const role = (iam['RoleDetailList'] as Json[]).find((r) => r['Arn'] === PIPE_ROLE)!;
    (role['RolePolicyList'][0]['PolicyDocument']['Statement'] as Json[]).push(statement);
  };

/** A role of the tools account that the account root may assume, with `statements`. */
const withRole =
  (arn: string, statements: Json[]) =>
  (iam: Json): void => {
    (iam['RoleDetailList'] as Json[]).push({
      Path: '/',
      RoleName: arn.slice(arn.lastIndexOf('/') + 1),
      RoleId: 'AROAQXAMPLEUNITTESTS1',
      Arn: arn,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${T}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      RolePolicyList: [
        {
          PolicyName: 'unit-tests',
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      ],
      AttachedManagedPolicies: [],
      Tags: [],
    });
  };

const LOGS_GRANT = {
  Sid: 'CommandsLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: [GROUP, `${GROUP}:*`],
};

/** pass-cross-account with `action` appended to its Build stage, then `edits` to its files. */
function analyzeWith(
  action: Json,
  edits: {
    iam?: (iam: Json) => void;
    pipeline?: (p: Json) => void;
    /** more changes to the snapshot folder */
    files?: (dir: string) => void;
  } = {},
): ReportPipeline {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-commands-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
  editJson(join(dir, PIPELINE_FILE), (doc) => {
    (doc['pipeline']['stages'] as Json[])[1]!['actions'].push(action);
    edits.pipeline?.(doc['pipeline']);
  });
  if (edits.iam) editJson(join(dir, `${T}/iam.json`), edits.iam);
  edits.files?.(dir);
  return analyzeModel(loadSnapshot(dir)).pipelines[0]!;
}

const of = (p: ReportPipeline, action: string): ReportLink[] =>
  p.links.filter((l) => l.action === action);
const brief = (l: ReportLink): string => `${l.requirement} ${l.permission} ${l.decision}`;

describe('the Commands action', () => {
  it("is checked: the pipeline role must write the pipeline's log group", () => {
    const p = analyzeWith(commandsAction());
    const links = of(p, 'UnitTests');
    expect(links.map(brief)).toEqual([
      'artifacts.bucket.read-configuration s3:GetBucketVersioning Allowed',
      'artifacts.bucket.read-configuration s3:GetBucketAcl Allowed',
      'artifacts.bucket.read-configuration s3:GetBucketLocation Allowed',
      'artifacts.input.get-object s3:GetObject Allowed',
      'artifacts.input.get-object-version s3:GetObjectVersion Allowed',
      'artifacts.input.kms-decrypt kms:Decrypt Allowed',
      'commands.logs-create-log-group logs:CreateLogGroup ImplicitlyDenied',
      'commands.logs-write logs:CreateLogStream ImplicitlyDenied',
      'commands.logs-write logs:PutLogEvents ImplicitlyDenied',
    ]);
    expect(links.some((l) => l.requirement === 'action.provider-not-modelled')).toBe(false);
    expect(p.verdict).toBe('fail');
    const [create, stream] = links.filter((l) => l.requirement.startsWith('commands.'));
    expect(create!.principal).toBe(PIPE_ROLE);
    expect(create!.resource).toBe(GROUP);
    expect(stream!.resource).toBe(`${GROUP}:log-stream:*`);
    // the pipeline role's own identity policy is what lacks the grant
    expect(create!.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'identity', explicit: false }),
    ]);
    expect(create!.doc).toBe(
      'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Commands.html',
    );
    expect(create!.fix).toContain('logs:CreateLogGroup');
  });

  it('passes once the pipeline role may write the log group', () => {
    const p = analyzeWith(commandsAction(), { iam: grant(LOGS_GRANT) });
    expect(of(p, 'UnitTests').every((l) => l.decision === 'Allowed')).toBe(true);
    expect(p.verdict).toBe('pass');
  });

  it('a grant on the log streams alone leaves CreateLogGroup denied', () => {
    const p = analyzeWith(commandsAction(), {
      iam: grant({ ...LOGS_GRANT, Resource: `${GROUP}:log-stream:*` }),
    });
    expect(
      of(p, 'UnitTests')
        .filter((l) => l.decision !== 'Allowed')
        .map(brief),
    ).toEqual(['commands.logs-create-log-group logs:CreateLogGroup ImplicitlyDenied']);
  });

  it('a log group of another pipeline does not do', () => {
    const other = `arn:aws:logs:us-east-1:${T}:log-group:/aws/codepipeline/orders-api-v1`;
    const p = analyzeWith(commandsAction(), {
      iam: grant({ ...LOGS_GRANT, Resource: [other, `${other}:*`] }),
    });
    expect(of(p, 'UnitTests').filter((l) => l.decision !== 'Allowed')).toHaveLength(3);
  });

  it('an explicit deny of logs on the pipeline role is named', () => {
    const p = analyzeWith(commandsAction(), {
      iam: (iam) => {
        grant(LOGS_GRANT)(iam);
        grant({ Sid: 'NoLogs', Effect: 'Deny', Action: 'logs:*', Resource: '*' })(iam);
      },
    });
    const create = of(p, 'UnitTests').find((l) => l.requirement === 'commands.logs-write')!;
    expect(create.decision).toBe('ExplicitlyDenied');
    expect(create.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'identity', statement: 'NoLogs', explicit: true }),
    ]);
  });

  // the AWS CDK's CommandsAction: an action role with the logs grant, none on the pipeline role
  // (its integration test runs such a pipeline to success); checking the pipeline role there
  // would deny every CDK pipeline with a Commands action
  it('with a role of its own, its role writes the logs and reads the artifacts', () => {
    const p = analyzeWith(commandsAction({ roleArn: TEST_ROLE }), {
      iam: withRole(TEST_ROLE, [LOGS_GRANT]),
    });
    const links = of(p, 'UnitTests');
    const logs = links.filter((x) => x.requirement.startsWith('commands.'));
    expect(logs.map((l) => [l.principal, l.decision])).toEqual([
      [TEST_ROLE, 'Allowed'],
      [TEST_ROLE, 'Allowed'],
      [TEST_ROLE, 'Allowed'],
    ]);
    const read = links.find((l) => l.requirement === 'artifacts.input.get-object')!;
    expect(read.principal).toBe(TEST_ROLE);
  });

  it("with a role of its own, the pipeline role's logs grant does not do", () => {
    const p = analyzeWith(commandsAction({ roleArn: TEST_ROLE }), {
      iam: (iam) => {
        grant(LOGS_GRANT)(iam);
        withRole(TEST_ROLE, [])(iam);
      },
    });
    const logs = of(p, 'UnitTests').filter((x) => x.requirement.startsWith('commands.'));
    expect(logs.map((l) => [l.principal, l.decision])).toEqual([
      [TEST_ROLE, 'ImplicitlyDenied'],
      [TEST_ROLE, 'ImplicitlyDenied'],
      [TEST_ROLE, 'ImplicitlyDenied'],
    ]);
  });

  it('the rule entries never apply to the action, nor the action entries to the Commands rule', () => {
    const p = analyzeWith(commandsAction(), {
      iam: grant(LOGS_GRANT),
      pipeline: (pl) => {
        (pl['stages'] as Json[])[2]!['beforeEntry'] = {
          conditions: [{ result: 'FAIL', rules: [commandsRule] }],
        };
      },
    });
    const action = of(p, 'UnitTests').map((l) => l.requirement);
    const rule = of(p, 'beforeEntry[1]/CheckPackage').map((l) => l.requirement);
    expect(action.filter((r) => r.startsWith('rule-'))).toEqual([]);
    expect(rule.filter((r) => r.startsWith('commands.'))).toEqual([]);
    expect(new Set(rule.filter((r) => r.startsWith('rule-commands.')))).toEqual(
      new Set(['rule-commands.logs-create-log-group', 'rule-commands.logs-write']),
    );
    expect(p.verdict).toBe('pass');
  });

  it('a Commands action of another category (AWS documents Compute) is still checked, never passed unchecked', () => {
    const p = analyzeWith(
      commandsAction({
        actionTypeId: { category: 'Build', owner: 'AWS', provider: 'Commands', version: '1' },
      }),
    );
    expect(
      of(p, 'UnitTests')
        .filter((l) => l.requirement.startsWith('commands.'))
        .map((l) => l.decision),
    ).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it('a Commands action of another owner is not this provider: Unknown, as any custom action', () => {
    const p = analyzeWith(
      commandsAction({
        actionTypeId: { category: 'Compute', owner: 'Custom', provider: 'Commands', version: '1' },
      }),
    );
    const links = of(p, 'UnitTests');
    expect(links.some((l) => l.requirement.startsWith('commands.'))).toBe(false);
    expect(links.find((l) => l.requirement === 'action.provider-not-modelled')?.decision).toBe(
      'Unknown',
    );
  });
});

describe('a Lambda deploy action', () => {
  const lambdaAction = (category: string): Json => ({
    name: 'ShiftAlias',
    actionTypeId: { category, owner: 'AWS', provider: 'Lambda', version: '1' },
    runOrder: 2,
    configuration: { FunctionName: 'orders-api-handler', FunctionAlias: 'live' },
    inputArtifacts: [{ name: 'BuildOutput' }],
    outputArtifacts: [],
  });

  const FN = `arn:aws:lambda:us-east-1:${T}:function:orders-api-handler`;
  const LD_GROUP = `arn:aws:logs:us-east-1:${T}:log-group:/us-east-1/codepipeline/orders-api`;
  /** the function in the snapshot (its policy: none) */
  const withFunction = (dir: string): void => {
    mkdirSync(join(dir, `${T}/us-east-1/lambda`), { recursive: true });
    writeFileSync(
      join(dir, `${T}/us-east-1/lambda/orders-api-handler.json`),
      JSON.stringify({
        Configuration: {
          FunctionName: 'orders-api-handler',
          FunctionArn: FN,
          Role: `arn:aws:iam::${T}:role/orders-api-handler-role`,
        },
      }),
    );
  };
  // the reference's policy (action-reference-LambdaDeploy.html), for the action's function and alarm
  const documented: Json[] = [
    {
      Effect: 'Allow',
      Action: [
        'lambda:GetAlias',
        'lambda:GetFunctionConfiguration',
        'lambda:GetProvisionedConcurrencyConfig',
        'lambda:PublishVersion',
        'lambda:UpdateAlias',
        'lambda:UpdateFunctionCode',
      ],
      Resource: [FN, `${FN}:*`],
    },
    {
      Effect: 'Allow',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: `arn:aws:cloudwatch:us-east-1:${T}:alarm:orders-api-errors`,
    },
    {
      Effect: 'Allow',
      Action: 'logs:CreateLogGroup',
      Resource: [LD_GROUP, `${LD_GROUP}:*`],
    },
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${LD_GROUP}:log-stream:*`,
    },
  ];
  const deployLinks = (p: ReportPipeline): string[] =>
    of(p, 'ShiftAlias')
      .filter((l) => l.requirement.startsWith('lambda-deploy.'))
      .map((l) => `${l.permission} ${l.resource} ${l.decision}`)
      .sort();

  it('is checked as a deploy, never as an invoke: with the documented policy every call is allowed', () => {
    const action = lambdaAction('Deploy');
    action['configuration']['Alarms'] = 'orders-api-errors';
    const p = analyzeWith(action, {
      iam: grant({ Sid: 'Deploy', ...documented[0] }),
      files: withFunction,
    });
    const links = of(p, 'ShiftAlias');
    expect(links.filter((l) => l.requirement.startsWith('lambda.'))).toEqual([]);
    expect(links.some((l) => l.requirement === 'action.provider-not-modelled')).toBe(false);
    // its input artifact is read, and checked, as every action's (with the bucket's
    // configuration, which an invoke action's function reads itself)
    expect(links.find((l) => l.requirement === 'artifacts.input.get-object')?.decision).toBe(
      'Allowed',
    );
    expect(links.some((l) => l.requirement === 'artifacts.bucket.read-configuration')).toBe(true);
    expect(deployLinks(p)).toEqual(
      [
        `lambda:GetAlias ${FN} Allowed`,
        `lambda:GetFunctionConfiguration ${FN} Allowed`,
        `lambda:GetProvisionedConcurrencyConfig ${FN}:live Allowed`,
        `lambda:PublishVersion ${FN} Allowed`,
        `lambda:UpdateAlias ${FN} Allowed`,
        `lambda:UpdateFunctionCode ${FN} Allowed`,
        // not granted here: the alarm is required, the logs only recommended
        `cloudwatch:DescribeAlarms arn:aws:cloudwatch:us-east-1:${T}:alarm:orders-api-errors ImplicitlyDenied`,
        `logs:CreateLogGroup ${LD_GROUP} ImplicitlyDenied`,
        `logs:CreateLogStream ${LD_GROUP}:log-stream:* ImplicitlyDenied`,
        `logs:PutLogEvents ${LD_GROUP}:log-stream:* ImplicitlyDenied`,
      ].sort(),
    );
    const levels = new Map(links.map((l) => [l.permission, l.level]));
    expect(levels.get('cloudwatch:DescribeAlarms')).toBe('required');
    expect(levels.get('logs:PutLogEvents')).toBe('recommended');
    expect(p.verdict).toBe('fail');
    const all = analyzeWith(action, {
      iam: (iam) => documented.forEach((st) => grant(st)(iam)),
      files: withFunction,
    });
    expect(deployLinks(all).filter((l) => !l.endsWith(' Allowed'))).toEqual([]);
  });

  it("a grant on the function alone does not cover the alias, which GetProvisionedConcurrencyConfig is authorized on: Unknown, since the alias's own policy (in no snapshot) could allow it", () => {
    const p = analyzeWith(lambdaAction('Deploy'), {
      iam: grant({ ...documented[0], Resource: FN }),
      files: withFunction,
    });
    expect(
      deployLinks(p).filter((l) => l.startsWith('lambda:') && !l.endsWith(' Allowed')),
    ).toEqual([`lambda:GetProvisionedConcurrencyConfig ${FN}:live Unknown`]);
  });

  it('without an alias: code update and version only; without an input artifact: the alias shift only', () => {
    const noAlias = lambdaAction('Deploy');
    delete noAlias['configuration']['FunctionAlias'];
    const calls = (p: ReportPipeline) =>
      deployLinks(p)
        .filter((l) => l.startsWith('lambda:'))
        .map((l) => l.split(' ')[0]);
    expect(calls(analyzeWith(noAlias, { files: withFunction }))).toEqual([
      'lambda:GetFunctionConfiguration',
      'lambda:PublishVersion',
      'lambda:UpdateFunctionCode',
    ]);
    const shiftOnly = lambdaAction('Deploy');
    shiftOnly['inputArtifacts'] = [];
    shiftOnly['configuration']['PublishedTargetVersion'] = '7';
    expect(calls(analyzeWith(shiftOnly, { files: withFunction }))).toEqual([
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'lambda:GetProvisionedConcurrencyConfig',
      'lambda:UpdateAlias',
    ]);
    // an action with no artifact does not read the artifact bucket's configuration either
    expect(
      of(analyzeWith(shiftOnly, { files: withFunction }), 'ShiftAlias')
        .map((l) => l.requirement)
        .filter((r) => r.startsWith('artifacts.')),
    ).toEqual([]);
  });

  it('a qualifier or an ARN in FunctionName names the same function; each alarm of Alarms is read', () => {
    for (const name of ['orders-api-handler:live', `${T}:function:orders-api-handler`, `${FN}:3`]) {
      const action = lambdaAction('Deploy');
      action['configuration']['FunctionName'] = name;
      action['configuration']['Alarms'] = 'errors, latency,errors';
      const links = deployLinks(analyzeWith(action, { files: withFunction }));
      expect({ name, fn: links.filter((l) => l.startsWith('lambda:UpdateFunctionCode')) }).toEqual({
        name,
        fn: [`lambda:UpdateFunctionCode ${FN} ImplicitlyDenied`],
      });
      expect(links.filter((l) => l.startsWith('cloudwatch:'))).toEqual([
        `cloudwatch:DescribeAlarms arn:aws:cloudwatch:us-east-1:${T}:alarm:errors ImplicitlyDenied`,
        `cloudwatch:DescribeAlarms arn:aws:cloudwatch:us-east-1:${T}:alarm:latency ImplicitlyDenied`,
      ]);
    }
  });

  it("an ARN that is not a function's is Unknown, naming it, never read as a function name", () => {
    const action = lambdaAction('Deploy');
    action['configuration']['FunctionName'] = 'arn:aws:s3:::orders-api-handler';
    const code = of(analyzeWith(action, { files: withFunction }), 'ShiftAlias').find(
      (l) => l.permission === 'lambda:UpdateFunctionCode',
    )!;
    expect(code.decision).toBe('Unknown');
    expect(code.why).toContain('`arn:aws:s3:::orders-api-handler` is not a Lambda function ARN');
  });

  it('a function the snapshot lacks makes its calls Unknown, naming the file', () => {
    const links = of(
      analyzeWith(lambdaAction('Deploy'), { iam: grant(documented[0]!) }),
      'ShiftAlias',
    );
    const code = links.find((l) => l.permission === 'lambda:UpdateFunctionCode')!;
    expect(code.decision).toBe('Unknown');
    expect(code.why).toContain(`${T}/us-east-1/lambda/orders-api-handler.json`);
  });

  it('the invoke action keeps its entries', () => {
    const links = of(analyzeWith(lambdaAction('Invoke')), 'ShiftAlias');
    expect(links.some((l) => l.requirement === 'action.provider-not-modelled')).toBe(false);
    expect(links.some((l) => l.requirement === 'artifacts.bucket.read-configuration')).toBe(false);
    expect(new Set(links.map((l) => l.requirement).filter((r) => r.startsWith('lambda.')))).toEqual(
      new Set([
        'lambda.assume-function-role',
        'lambda.invoke-function',
        'lambda.list-functions',
        'lambda.put-job-result',
      ]),
    );
  });

  it('so is any provider in a category none of its entries names (S3 is Source and Deploy)', () => {
    const links = of(
      analyzeWith({
        ...lambdaAction('Build'),
        actionTypeId: { category: 'Build', owner: 'AWS', provider: 'S3', version: '1' },
      }),
      'ShiftAlias',
    );
    expect(links.some((l) => l.requirement.startsWith('s3-'))).toBe(false);
    expect(links.find((l) => l.requirement === 'action.provider-not-modelled')?.decision).toBe(
      'Unknown',
    );
  });
});

// The EC2 deploy action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-EC2Deploy.html)
// has its instances download the input artifact with their instance role; its action role reads
// nothing (the AWS CDK's Ec2DeployAction grants that role no bucket access, and its integration
// test runs such a pipeline to success). Its role finds the tagged instances, runs the deployment
// on them with SSM Run Command, takes them out of their target groups and back, and writes the
// logs of /aws/codepipeline/<pipeline> (policies/requirements/ec2-deploy.json); it was one Unknown
// link (`action.provider-not-modelled`) until those were modelled.
describe('an EC2 deploy action', () => {
  const ec2Action: Json = {
    name: 'Fleet',
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'EC2', version: '1' },
    runOrder: 2,
    configuration: { InstanceTagKey: 'app', InstanceTagValue: 'orders', InstanceType: 'EC2' },
    inputArtifacts: [{ name: 'BuildOutput' }],
    outputArtifacts: [],
    roleArn: TEST_ROLE,
  };
  const INSTANCES = `arn:aws:ec2:us-east-1:${T}:instance/*`;
  const DOCUMENT = 'arn:aws:ssm:us-east-1::document/AWS-RunShellScript';
  const TARGET_GROUP = `arn:aws:elasticloadbalancing:us-east-1:${T}:targetgroup/orders-web/*`;
  // the reference's policy, with the instances scoped to the tag (as the AWS CDK writes it)
  const documented = (tag: Json): Json[] => [
    {
      Effect: 'Allow',
      Action: [
        'ec2:DescribeInstances',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'ssm:CancelCommand',
        'ssm:DescribeInstanceInformation',
        'ssm:ListCommandInvocations',
      ],
      Resource: '*',
    },
    { ...LOGS_GRANT },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
      Resource: TARGET_GROUP,
    },
    { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: INSTANCES, Condition: tag },
    { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: DOCUMENT },
  ];
  const decisions = (links: ReportLink[]) =>
    links
      .filter((l) => l.requirement.startsWith('ec2-deploy.'))
      .map((l) => `${l.permission} ${l.resource} ${l.decision}`);

  it('reads no input artifact with its role; with the documented policy every call it makes is allowed', () => {
    const action = {
      ...ec2Action,
      configuration: { ...ec2Action['configuration'], TargetGroupNameList: 'orders-web' },
    };
    const links = of(
      analyzeWith(action, {
        iam: withRole(TEST_ROLE, documented({ StringEquals: { 'aws:ResourceTag/app': 'orders' } })),
      }),
      'Fleet',
    );
    expect(links.filter((l) => l.requirement.startsWith('artifacts.input.'))).toEqual([]);
    expect(links.some((l) => l.requirement === 'action.provider-not-modelled')).toBe(false);
    expect(decisions(links).sort()).toEqual(
      [
        'ec2:DescribeInstances * Allowed',
        'ssm:DescribeInstanceInformation * Allowed',
        'ssm:ListCommandInvocations * Allowed',
        'ssm:CancelCommand * Allowed',
        `ssm:SendCommand ${DOCUMENT} Allowed`,
        `ssm:SendCommand ${INSTANCES} Allowed`,
        'elasticloadbalancing:DescribeTargetGroupAttributes * Allowed',
        'elasticloadbalancing:DescribeTargetGroups * Allowed',
        'elasticloadbalancing:DescribeTargetHealth * Allowed',
        `elasticloadbalancing:DeregisterTargets ${TARGET_GROUP} Allowed`,
        `elasticloadbalancing:RegisterTargets ${TARGET_GROUP} Allowed`,
        // the EC2 reference grants it on the group's `:*` form only (as the CDK does, whose
        // integration tests run such pipelines): checked there
        `logs:CreateLogGroup ${GROUP}:* Allowed`,
        `logs:CreateLogStream ${GROUP}:log-stream:* Allowed`,
        `logs:PutLogEvents ${GROUP}:log-stream:* Allowed`,
      ].sort(),
    );
  });

  it('a role without them is denied each required call; without target groups none is asked for', () => {
    const p = analyzeWith(ec2Action, { iam: withRole(TEST_ROLE, []) });
    const links = of(p, 'Fleet');
    expect(links.filter((l) => l.requirement.startsWith('artifacts.input.'))).toEqual([]);
    expect(links.some((l) => l.permission.startsWith('elasticloadbalancing:'))).toBe(false);
    expect(
      links
        .filter((l) => l.level === 'required' && l.decision.endsWith('Denied'))
        .map((l) => l.requirement)
        .sort(),
    ).toEqual(
      [
        'action.assume-action-role',
        'ec2-deploy.describe-instances',
        'ec2-deploy.logs-create-log-group',
        'ec2-deploy.logs-write',
        'ec2-deploy.logs-write',
        'ec2-deploy.send-command-document',
        'ec2-deploy.send-command-instances',
        'ec2-deploy.ssm-command-status',
        'ec2-deploy.ssm-command-status',
      ].sort(),
    );
    // CancelCommand is only called when a deployment is stopped: a warning
    expect(links.find((l) => l.permission === 'ssm:CancelCommand')!.level).toBe('recommended');
  });

  it("sends the instances' tag: a grant for instances of another tag value does not do", () => {
    const links = of(
      analyzeWith(ec2Action, {
        iam: withRole(
          TEST_ROLE,
          documented({ StringEquals: { 'aws:ResourceTag/app': 'billing' } }),
        ),
      }),
      'Fleet',
    );
    const send = links.find((l) => l.requirement === 'ec2-deploy.send-command-instances')!;
    expect([send.resource, send.decision]).toEqual([INSTANCES, 'ImplicitlyDenied']);
  });

  it('without InstanceTagValue the tag may hold any value: a grant that tests one is Unknown, one that does not is allowed', () => {
    const anyValue = {
      ...ec2Action,
      configuration: { InstanceTagKey: 'app', InstanceType: 'EC2' },
    };
    const send = (tag: Json | undefined) =>
      of(
        analyzeWith(anyValue, {
          iam: withRole(
            TEST_ROLE,
            documented(tag ?? {}).map((st) =>
              tag === undefined && st['Condition'] ? { ...st, Condition: undefined } : st,
            ),
          ),
        }),
        'Fleet',
      ).find((l) => l.requirement === 'ec2-deploy.send-command-instances')!.decision;
    expect(send({ StringEquals: { 'aws:ResourceTag/app': 'orders' } })).toBe('Unknown');
    expect(send(undefined)).toBe('Allowed');
  });

  it('SSM managed nodes: checked on both kinds of node, Unknown when only one is allowed', () => {
    const nodes = {
      ...ec2Action,
      configuration: {
        InstanceTagKey: 'app',
        InstanceTagValue: 'orders',
        InstanceType: 'SSM_MANAGED_NODE',
      },
    };
    const tag = { StringEquals: { 'aws:ResourceTag/app': 'orders' } };
    const send = (resources: string[]) =>
      of(
        analyzeWith(nodes, {
          iam: withRole(TEST_ROLE, [
            ...documented(tag).filter((st) => st['Resource'] !== INSTANCES),
            { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: resources, Condition: tag },
          ]),
        }),
        'Fleet',
      ).filter((l) => l.requirement.startsWith('ec2-deploy.send-command-'));
    const both = send([`arn:aws:ssm:us-east-1:${T}:managed-instance/*`, INSTANCES]);
    expect(both.map((l) => [l.requirement, l.decision])).toEqual([
      ['ec2-deploy.send-command-document', 'Allowed'],
      ['ec2-deploy.send-command-managed-nodes', 'Allowed'],
    ]);
    expect(
      send([INSTANCES]).find((l) => l.requirement === 'ec2-deploy.send-command-managed-nodes')!
        .decision,
    ).toBe('Unknown');
  });

  it('another provider reading the same artifact with that role is still checked', () => {
    const links = of(
      analyzeWith(
        {
          ...ec2Action,
          actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'EKS', version: '1' },
        },
        { iam: withRole(TEST_ROLE, []) },
      ),
      'Fleet',
    );
    expect(
      links
        .filter((l) => l.requirement === 'artifacts.input.get-object')
        .map((l) => [l.principal, l.decision]),
    ).toEqual([[TEST_ROLE, 'ImplicitlyDenied']]);
  });
});

// The CodePipeline invoke action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-PipelineInvoke.html)
// starts the pipeline PipelineName of its account and Region with its role: it was one Unknown
// link (`action.provider-not-modelled`).
describe('a CodePipeline invoke action', () => {
  const invoke: Json = {
    name: 'StartDownstream',
    actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'CodePipeline', version: '1' },
    runOrder: 2,
    configuration: { PipelineName: 'orders-api-e2e' },
    inputArtifacts: [],
    outputArtifacts: [],
  };
  const E2E = `arn:aws:codepipeline:us-east-1:${T}:orders-api-e2e`;
  const start = (p: ReportPipeline) =>
    of(p, 'StartDownstream').filter((l) => l.requirement !== 'artifacts.bucket.read-configuration');

  it('needs codepipeline:StartPipelineExecution on that pipeline, and nothing of the artifact store', () => {
    const denied = start(analyzeWith(invoke));
    expect(denied.map((l) => [l.requirement, l.permission, l.resource, l.decision])).toEqual([
      [
        'pipeline-invoke.start-pipeline-execution',
        'codepipeline:StartPipelineExecution',
        E2E,
        'ImplicitlyDenied',
      ],
    ]);
    expect(of(analyzeWith(invoke), 'StartDownstream').map((l) => l.requirement)).toEqual([
      'pipeline-invoke.start-pipeline-execution',
    ]);
    const allowed = start(
      analyzeWith(invoke, {
        iam: grant({
          Effect: 'Allow',
          Action: 'codepipeline:StartPipelineExecution',
          Resource: E2E,
        }),
      }),
    );
    expect(allowed.map((l) => l.decision)).toEqual(['Allowed']);
  });

  it('another pipeline in the grant does not do', () => {
    const links = start(
      analyzeWith(invoke, {
        iam: grant({
          Effect: 'Allow',
          Action: 'codepipeline:StartPipelineExecution',
          Resource: `arn:aws:codepipeline:us-east-1:${T}:orders-api`,
        }),
      }),
    );
    expect(links.map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
  });
});

// The ECRBuildAndPublish build action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECRBuildAndPublish.html)
// builds the input's Dockerfile in CodeBuild compute CodePipeline manages and pushes the image
// with the action's role: it was one Unknown link (`action.provider-not-modelled`).
describe('an ECRBuildAndPublish action', () => {
  const REPO = `arn:aws:ecr:us-east-1:${T}:repository/orders-api`;
  const PUBLIC_REPO = `arn:aws:ecr-public::${T}:repository/orders-cli`;
  const build = (configuration: Json): Json => ({
    name: 'Image',
    actionTypeId: { category: 'Build', owner: 'AWS', provider: 'ECRBuildAndPublish', version: '1' },
    runOrder: 2,
    configuration,
    inputArtifacts: [{ name: 'BuildOutput' }],
    outputArtifacts: [],
  });
  const PUSH = [
    'ecr:DescribeRepositories',
    'ecr:BatchCheckLayerAvailability',
    'ecr:GetDownloadUrlForLayer',
    'ecr:InitiateLayerUpload',
    'ecr:UploadLayerPart',
    'ecr:CompleteLayerUpload',
    'ecr:PutImage',
  ];
  const granted = (statements: Json[]) => (iam: Json) => {
    for (const st of [LOGS_GRANT, ...statements]) grant(st)(iam);
  };
  const image = (p: ReportPipeline) =>
    of(p, 'Image')
      .filter((l) => l.requirement.startsWith('ecr-build.'))
      .map((l) => `${l.permission} ${l.resource} ${l.decision}`);
  /** the repository file: none (no policy), or one with `policy` */
  const withRepository = (policy?: Json) => (dir: string) => {
    const file = join(dir, `${T}/us-east-1/ecr/orders-api.json`);
    mkdirSync(join(dir, `${T}/us-east-1/ecr`), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify(
        policy
          ? { registryId: T, repositoryName: 'orders-api', policyText: JSON.stringify(policy) }
          : {},
      ),
    );
  };

  it('a private repository: the registry token and the push, on the repository of the action', () => {
    const p = analyzeWith(build({ ECRRepositoryName: 'orders-api' }), {
      iam: granted([
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Effect: 'Allow', Action: PUSH, Resource: REPO },
      ]),
      files: withRepository(),
    });
    expect(image(p)).toEqual([
      'ecr:GetAuthorizationToken * Allowed',
      `logs:CreateLogGroup ${GROUP} Allowed`,
      `logs:CreateLogStream ${GROUP}:log-stream:* Allowed`,
      `logs:PutLogEvents ${GROUP}:log-stream:* Allowed`,
      ...PUSH.map((a) => `${a} ${REPO} Allowed`),
    ]);
    expect(of(p, 'Image').some((l) => l.requirement === 'action.provider-not-modelled')).toBe(
      false,
    );
  });

  it("is denied a push to another repository, and by the repository's own Deny", () => {
    const other = analyzeWith(build({ ECRRepositoryName: 'orders-api' }), {
      iam: granted([
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Effect: 'Allow',
          Action: PUSH,
          Resource: `arn:aws:ecr:us-east-1:${T}:repository/orders-web`,
        },
      ]),
      files: withRepository(),
    });
    expect(of(other, 'Image').find((l) => l.permission === 'ecr:PutImage')!.decision).toBe(
      'ImplicitlyDenied',
    );
    const locked = analyzeWith(build({ ECRRepositoryName: 'orders-api' }), {
      iam: granted([
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Effect: 'Allow', Action: PUSH, Resource: REPO },
      ]),
      files: withRepository({
        Version: '2012-10-17',
        Statement: [{ Sid: 'Immutable', Effect: 'Deny', Principal: '*', Action: 'ecr:PutImage' }],
      }),
    });
    const put = of(locked, 'Image').find((l) => l.permission === 'ecr:PutImage')!;
    expect([put.decision, put.deniedBy.map((d) => d.policyType)]).toEqual([
      'ExplicitlyDenied',
      ['resource'],
    ]);
  });

  it('a public repository (RegistryType public, any case): the public registry token and the push there', () => {
    const p = analyzeWith(build({ ECRRepositoryName: 'orders-cli', RegistryType: 'PUBLIC' }), {
      iam: granted([]),
    });
    expect(image(p).filter((l) => !l.startsWith('logs:'))).toEqual([
      'ecr-public:GetAuthorizationToken * ImplicitlyDenied',
      'sts:GetServiceBearerToken * ImplicitlyDenied',
      ...[
        'ecr-public:DescribeRepositories',
        'ecr-public:BatchCheckLayerAvailability',
        'ecr-public:InitiateLayerUpload',
        'ecr-public:UploadLayerPart',
        'ecr-public:CompleteLayerUpload',
        'ecr-public:PutImage',
      ].map((a) => `${a} ${PUBLIC_REPO} ImplicitlyDenied`),
    ]);
  });
});

// The InspectorScan invoke action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-InspectorScan.html)
// scans the input's source, or an image of an ECR repository, with the action's role: it was
// one Unknown link (`action.provider-not-modelled`).
describe('an InspectorScan action', () => {
  const REPO = `arn:aws:ecr:us-east-1:${T}:repository/orders-api`;
  const scan = (configuration: Json, inputs: string[]): Json => ({
    name: 'Scan',
    actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'InspectorScan', version: '1' },
    runOrder: 2,
    configuration,
    inputArtifacts: inputs.map((name) => ({ name })),
    outputArtifacts: [{ name: 'Sbom' }],
  });
  const own = (p: ReportPipeline) =>
    of(p, 'Scan')
      .filter(
        (l) => l.requirement.startsWith('inspector-scan.') && !l.permission.startsWith('logs:'),
      )
      .map((l) => `${l.permission} ${l.resource} ${l.decision}`);

  it('a source scan: ScanSbom, and its input and output artifacts as any action', () => {
    const p = analyzeWith(scan({ InspectorRunMode: 'SourceCodeScan' }, ['BuildOutput']), {
      iam: grant({ Effect: 'Allow', Action: 'inspector-scan:ScanSbom', Resource: '*' }),
    });
    expect(own(p)).toEqual(['inspector-scan:ScanSbom * Allowed']);
    const links = of(p, 'Scan');
    expect(links.some((l) => l.requirement === 'action.provider-not-modelled')).toBe(false);
    expect(links.some((l) => l.requirement === 'artifacts.input.get-object')).toBe(true);
    expect(links.some((l) => l.requirement === 'artifacts.output.put-object')).toBe(true);
  });

  it('an image scan also pulls the image, after a registry login (which the CDK found it needs)', () => {
    const p = analyzeWith(
      scan(
        { InspectorRunMode: 'ECRImageScan', ECRRepositoryName: 'orders-api', ImageTag: 'v1' },
        [],
      ),
      {
        iam: grant({ Effect: 'Allow', Action: 'inspector-scan:ScanSbom', Resource: '*' }),
        files: (dir) => {
          mkdirSync(join(dir, `${T}/us-east-1/ecr`), { recursive: true });
          writeFileSync(join(dir, `${T}/us-east-1/ecr/orders-api.json`), '{}');
        },
      },
    );
    expect(own(p)).toEqual([
      'ecr:GetAuthorizationToken * ImplicitlyDenied',
      `ecr:BatchCheckLayerAvailability ${REPO} ImplicitlyDenied`,
      `ecr:GetDownloadUrlForLayer ${REPO} ImplicitlyDenied`,
      `ecr:BatchGetImage ${REPO} ImplicitlyDenied`,
      'inspector-scan:ScanSbom * Allowed',
    ]);
  });
});

// The EKS deploy action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-EKS.html)
// runs kubectl or helm against the cluster in CodeBuild compute CodePipeline manages, in the
// cluster's VPC, with the action's role, and logs to /aws/codepipeline/<pipeline>
// (policies/requirements/eks-deploy.json): it was one Unknown link (`action.provider-not-modelled`).
describe('an EKS deploy action', () => {
  const CLUSTER = `arn:aws:eks:us-east-1:${T}:cluster/orders`;
  const eks: Json = {
    name: 'Kube',
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'EKS', version: '1' },
    runOrder: 2,
    configuration: { ClusterName: 'orders', ManifestFiles: 'k8s/deployment.yaml' },
    inputArtifacts: [{ name: 'BuildOutput' }],
    outputArtifacts: [],
    roleArn: TEST_ROLE,
  };
  const VPC = [
    'ec2:CreateNetworkInterface',
    'ec2:DeleteNetworkInterface',
    'ec2:DescribeDhcpOptions',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcs',
  ];
  // the reference's list of the permissions the action needs
  const documented: Json[] = [
    {
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: `arn:aws:eks:*:${T}:cluster/orders`,
    },
    { Effect: 'Allow', Action: VPC, Resource: '*' },
    { ...LOGS_GRANT },
  ];
  const own = (p: ReportPipeline): string[] =>
    of(p, 'Kube')
      .filter((l) => l.requirement.startsWith('eks-deploy.'))
      .map((l) => `${l.permission} ${l.level} ${l.decision}`)
      .sort();

  it('with the documented permissions every required call is allowed; the two of its example policy alone are recommended', () => {
    const p = analyzeWith(eks, { iam: withRole(TEST_ROLE, documented) });
    const links = of(p, 'Kube');
    expect(links.some((l) => l.requirement === 'action.provider-not-modelled')).toBe(false);
    // the manifests come from the input artifact, read by the action's role as every action's
    expect(links.find((l) => l.requirement === 'artifacts.input.get-object')?.principal).toBe(
      TEST_ROLE,
    );
    expect(own(p)).toEqual(
      [
        'eks:DescribeCluster required Allowed',
        ...VPC.map((a) => `${a} required Allowed`),
        // on the network interface and the subnet; on the cluster's security group, which the
        // reference does not say the call carries, a warning only
        'ec2:CreateNetworkInterface required Allowed',
        'ec2:CreateNetworkInterface recommended Allowed',
        'ec2:CreateNetworkInterfacePermission recommended ImplicitlyDenied',
        'ec2:DescribeRouteTables recommended ImplicitlyDenied',
        'logs:CreateLogGroup required Allowed',
        'logs:CreateLogStream required Allowed',
        'logs:PutLogEvents required Allowed',
      ].sort(),
    );
    expect(links.find((l) => l.permission === 'eks:DescribeCluster')?.resource).toBe(CLUSTER);
  });

  it('a role without them is denied each required call, and the pipeline fails', () => {
    const p = analyzeWith(eks, { iam: withRole(TEST_ROLE, []) });
    const denied = of(p, 'Kube').filter(
      (l) => l.requirement.startsWith('eks-deploy.') && l.level === 'required',
    );
    expect(denied.length).toBe(12);
    expect(denied.every((l) => l.decision === 'ImplicitlyDenied')).toBe(true);
    expect(p.verdict).toBe('fail');
  });

  const NI = `arn:aws:ec2:us-east-1:${T}:network-interface/*`;
  const SUBNETS = `arn:aws:ec2:us-east-1:${T}:subnet/*`;
  const GROUPS = `arn:aws:ec2:us-east-1:${T}:security-group/*`;
  const networkLinks = (p: ReportPipeline): string[] =>
    of(p, 'Kube')
      .filter((l) => /^ec2:(Create|Delete)NetworkInterface$/.test(l.permission))
      .map((l) => `${l.permission} ${l.resource} ${l.decision}`)
      .sort();

  it('creates its network interface on the interface, the subnet and the security group: a policy scoped to those is enough', () => {
    const scoped: Json[] = [
      documented[0]!,
      {
        Effect: 'Allow',
        Action: VPC.filter((a) => a.startsWith('ec2:Describe')),
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
        Resource: [NI, SUBNETS, GROUPS],
      },
      { ...LOGS_GRANT },
    ];
    const p = analyzeWith(eks, { iam: withRole(TEST_ROLE, scoped) });
    expect(networkLinks(p)).toEqual(
      [
        `ec2:CreateNetworkInterface ${NI} Allowed`,
        `ec2:CreateNetworkInterface ${SUBNETS} Allowed`,
        `ec2:CreateNetworkInterface ${GROUPS} Allowed`,
        `ec2:DeleteNetworkInterface ${NI} Allowed`,
      ].sort(),
    );
    expect(own(p).filter((l) => l.includes(' required ') && !l.endsWith(' Allowed'))).toEqual([]);
  });

  it("with Subnets and SecurityGroupIds, those; without them a grant of named subnets is Unknown (the cluster's are not known)", () => {
    const named: Json[] = [
      {
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
        Resource: [
          NI,
          `arn:aws:ec2:us-east-1:${T}:subnet/subnet-0a1`,
          `arn:aws:ec2:us-east-1:${T}:subnet/subnet-0b2`,
          `arn:aws:ec2:us-east-1:${T}:security-group/sg-0c3`,
        ],
      },
    ];
    const configured = {
      ...eks,
      configuration: {
        ...eks['configuration'],
        Subnets: 'subnet-0a1, subnet-0b2',
        SecurityGroupIds: 'sg-0c3',
      },
    };
    expect(networkLinks(analyzeWith(configured, { iam: withRole(TEST_ROLE, named) }))).toEqual(
      [
        `ec2:CreateNetworkInterface ${NI} Allowed`,
        `ec2:CreateNetworkInterface arn:aws:ec2:us-east-1:${T}:subnet/subnet-0a1 Allowed`,
        `ec2:CreateNetworkInterface arn:aws:ec2:us-east-1:${T}:subnet/subnet-0b2 Allowed`,
        `ec2:CreateNetworkInterface arn:aws:ec2:us-east-1:${T}:security-group/sg-0c3 Allowed`,
        `ec2:DeleteNetworkInterface ${NI} Allowed`,
      ].sort(),
    );
    expect(networkLinks(analyzeWith(eks, { iam: withRole(TEST_ROLE, named) }))).toEqual(
      [
        `ec2:CreateNetworkInterface ${NI} Allowed`,
        `ec2:CreateNetworkInterface ${SUBNETS} Unknown`,
        `ec2:CreateNetworkInterface ${GROUPS} Unknown`,
        `ec2:DeleteNetworkInterface ${NI} Allowed`,
      ].sort(),
    );
  });

  it("a policy testing EC2's keys of the subnet or VPC (which no input gives) leaves the network links Unknown, whichever way it tests them", () => {
    for (const operator of ['StringEquals', 'StringNotEquals']) {
      const p = analyzeWith(eks, {
        iam: withRole(TEST_ROLE, [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          {
            Effect: 'Deny',
            Action: ['ec2:CreateNetworkInterface', 'eks:DescribeCluster'],
            Resource: '*',
            Condition: { [operator]: { 'ec2:Vpc': `arn:aws:ec2:us-east-1:${T}:vpc/vpc-0bad` } },
          },
        ]),
      });
      const create = of(p, 'Kube').filter((l) => l.permission === 'ec2:CreateNetworkInterface');
      expect(create.length).toBe(3);
      for (const l of create) {
        expect({ operator, decision: l.decision }).toEqual({ operator, decision: 'Unknown' });
        expect(l.why).toContain('ec2:Vpc');
      }
      // another service's call does not carry the key: it is absent, so StringEquals does not
      // hold and StringNotEquals does (a negated operator holds on an absent key)
      expect(of(p, 'Kube').find((l) => l.permission === 'eks:DescribeCluster')?.decision).toBe(
        operator === 'StringEquals' ? 'Allowed' : 'ExplicitlyDenied',
      );
    }
  });

  it('another cluster in the grant does not do', () => {
    const p = analyzeWith(eks, {
      iam: withRole(TEST_ROLE, [
        { ...documented[0], Resource: `arn:aws:eks:us-east-1:${T}:cluster/payments` },
        ...documented.slice(1),
      ]),
    });
    expect(own(p).filter((l) => l.endsWith('ImplicitlyDenied') && l.includes('required'))).toEqual([
      'eks:DescribeCluster required ImplicitlyDenied',
    ]);
  });
});

// The AppConfig deploy action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-AppConfig.html)
// starts an AppConfig deployment of its input's configuration and follows it, with the action's
// role (policies/requirements/appconfig.json): it was one Unknown link (`action.provider-not-modelled`).
describe('an AppConfig deploy action', () => {
  const APP = `arn:aws:appconfig:us-east-1:${T}:application/abc1234`;
  const ENV = `${APP}/environment/env5678`;
  const PROFILE = `${APP}/configurationprofile/prof901`;
  const STRATEGY = `arn:aws:appconfig:us-east-1:${T}:deploymentstrategy/strat23`;
  const appConfig = (configuration: Json = {}): Json => ({
    name: 'Config',
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'AppConfig', version: '1' },
    runOrder: 2,
    configuration: {
      Application: 'abc1234',
      Environment: 'env5678',
      ConfigurationProfile: 'prof901',
      DeploymentStrategy: 'strat23',
      InputArtifactConfigurationPath: 'config.json',
      ...configuration,
    },
    inputArtifacts: [{ name: 'BuildOutput' }],
    outputArtifacts: [],
  });
  // the reference's policy
  const documented = {
    Effect: 'Allow',
    Action: ['appconfig:StartDeployment', 'appconfig:StopDeployment', 'appconfig:GetDeployment'],
    Resource: [APP, `${APP}/*`, `arn:aws:appconfig:*:${T}:deploymentstrategy/*`],
  };
  const own = (p: ReportPipeline): string[] =>
    of(p, 'Config')
      .filter((l) => l.requirement.startsWith('appconfig.'))
      .map((l) => `${l.permission} ${l.resource} ${l.level} ${l.decision}`)
      .sort();

  it('starts the deployment on the application, environment, profile and strategy, and follows it: the documented policy allows every call', () => {
    const p = analyzeWith(appConfig(), { iam: grant(documented) });
    expect(of(p, 'Config').some((l) => l.requirement === 'action.provider-not-modelled')).toBe(
      false,
    );
    expect(own(p)).toEqual(
      [
        `appconfig:StartDeployment ${APP} required Allowed`,
        `appconfig:StartDeployment ${ENV} required Allowed`,
        `appconfig:StartDeployment ${PROFILE} required Allowed`,
        `appconfig:StartDeployment ${STRATEGY} required Allowed`,
        `appconfig:GetDeployment ${APP} required Allowed`,
        `appconfig:GetDeployment ${ENV} required Allowed`,
        `appconfig:GetDeployment ${ENV}/deployment/* required Allowed`,
        `appconfig:StopDeployment ${APP} recommended Allowed`,
        `appconfig:StopDeployment ${ENV} recommended Allowed`,
        `appconfig:StopDeployment ${ENV}/deployment/* recommended Allowed`,
      ].sort(),
    );
  });

  it('a grant on the application alone is denied on the environment, the profile, the strategy and the deployment', () => {
    const p = analyzeWith(appConfig(), { iam: grant({ ...documented, Resource: APP }) });
    expect(own(p).filter((l) => l.includes(' required ') && !l.endsWith(' Allowed'))).toEqual(
      [
        `appconfig:StartDeployment ${ENV} required ImplicitlyDenied`,
        `appconfig:StartDeployment ${PROFILE} required ImplicitlyDenied`,
        `appconfig:StartDeployment ${STRATEGY} required ImplicitlyDenied`,
        `appconfig:GetDeployment ${ENV} required ImplicitlyDenied`,
        `appconfig:GetDeployment ${ENV}/deployment/* required ImplicitlyDenied`,
      ].sort(),
    );
    expect(p.verdict).toBe('fail');
  });

  it('without DeploymentStrategy the strategy is tried as an id: a grant of every strategy allows it, one of a named strategy leaves it Unknown', () => {
    const strategies = (p: ReportPipeline): string[] =>
      own(p).filter((l) => l.includes(':deploymentstrategy/'));
    const none = appConfig({ DeploymentStrategy: undefined });
    const ANY = `arn:aws:appconfig:us-east-1:${T}:deploymentstrategy/*`;
    expect(strategies(analyzeWith(none, { iam: grant(documented) }))).toEqual([
      `appconfig:StartDeployment ${ANY} required Allowed`,
    ]);
    expect(
      strategies(
        analyzeWith(none, { iam: grant({ ...documented, Resource: [APP, `${APP}/*`, STRATEGY] }) }),
      ),
    ).toEqual([`appconfig:StartDeployment ${ANY} required Unknown`]);
    expect(
      strategies(analyzeWith(none, { iam: grant({ ...documented, Resource: [APP, `${APP}/*`] }) })),
    ).toEqual([`appconfig:StartDeployment ${ANY} required ImplicitlyDenied`]);
  });

  it("the deployment's number is tried as an id: a Deny of some numbers leaves GetDeployment Unknown", () => {
    const p = analyzeWith(appConfig(), {
      iam: (iam) => {
        grant(documented)(iam);
        grant({
          Effect: 'Deny',
          Action: 'appconfig:GetDeployment',
          Resource: `${ENV}/deployment/1*`,
        })(iam);
      },
    });
    expect(own(p).filter((l) => l.includes('/deployment/'))).toEqual(
      [
        `appconfig:GetDeployment ${ENV}/deployment/* required Unknown`,
        `appconfig:StopDeployment ${ENV}/deployment/* recommended Allowed`,
      ].sort(),
    );
  });
});
