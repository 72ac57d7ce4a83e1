/**
 * Review 22 of the crawler: an account of another organization is not read as outside every
 * organization; credentials in action configuration URLs and a Manual approval's CustomData are
 * redacted; a qualified Lambda function is read as the version it names; a crawled management
 * account's organization is read; other accounts' global calls go to the partition's first
 * region; `--merge` of a narrower crawl keeps the other pipelines' rules and projects; CodeDeploy
 * file names that collide are written for neither; a failed pipeline listing is not "not found";
 * a name too long for the file system skips one file, not the snapshot; every region the loader
 * reads can be crawled; iam.json holds no RoleLastUsed.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderCrawlSummary, renderWarnings } from '../../src/cli/crawl.js';
import { crawl, type CrawlOptions, type CrawlResult } from '../../src/crawl/crawl.js';
import {
  buildSnapshotFiles,
  planSnapshotFiles,
  type CrawlRecord,
} from '../../src/crawl/snapshotWriter.js';
import { mergeListFile } from '../../src/crawl/mergeLists.js';
import { writeSnapshotFiles } from '../../src/crawl/writeSnapshotFiles.js';
import {
  FAKE_CALLER_KEY,
  REDACTED_MARKER,
  startFakeAws,
  type FakeAwsOptions,
  type FakeRequest,
  type Fault,
} from './fakeAws.js';
import {
  crawlThroughFake,
  crawlToFolder,
  FIXTURE,
  fixtureInvoking,
  linkDecisions,
  scenarioCopy,
  TEMPLATE,
} from './helpers.js';

type Obj = Record<string, unknown>;

afterEach(() => vi.unstubAllEnvs());

/** Crawl through a fake with its own options; the snapshot written into a new folder. */
const crawlWith = (
  fake: Omit<FakeAwsOptions, 'fixture'> & { fixture: string },
  options: Partial<CrawlOptions> = {},
) => crawlThroughFake(fake, options);

function editJson(path: string, edit: (value: Obj) => void): void {
  const value = JSON.parse(readFileSync(path, 'utf8')) as Obj;
  edit(value);
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

const failureRows = (r: CrawlResult): string[][] =>
  r.failures.map((f) => [f.account, f.operation, f.reason, f.errorCode]);

describe('1. a crawled account the organization does not list', () => {
  const SCENARIO = 'scp-allow-list-missing-service';
  const OTHER = '222222222222';
  /** the scenario with 222 taken out of the caller's organization (accounts.json, parents.json) */
  const withoutOther = (): string => {
    const fx = scenarioCopy(SCENARIO);
    editJson(join(fx, 'organization', 'accounts.json'), (j) => {
      j['Accounts'] = (j['Accounts'] as { Id: string }[]).filter((a) => a.Id !== OTHER);
    });
    editJson(join(fx, 'organization', 'parents.json'), (j) => {
      delete j[OTHER];
      delete j['ou-exm1-prodwl01'];
    });
    return fx;
  };
  const otherOrganization = {
    Organization: {
      Id: 'o-otherorg123',
      Arn: 'arn:aws:organizations::333333333333:organization/o-otherorg123',
      FeatureSet: 'ALL',
      MasterAccountId: '333333333333',
    },
  };

  it('in another organization: a failure, no accounts.json, and the links its SCPs decide are Unknown, not Allowed', async () => {
    const baseline = await linkDecisions((await crawlToFolder(scenarioCopy(SCENARIO))).dir);
    const denied = Object.keys(baseline).filter((k) => baseline[k]!.decision !== 'Allowed');
    expect(denied.length).toBeGreaterThan(0);

    const { result, dir } = await crawlWith({
      fixture: withoutOther(),
      organizationOf: (a) => (a === OTHER ? otherOrganization : undefined),
    });
    expect(failureRows(result)).toEqual([
      [OTHER, 'ListPolicies', 'organization-not-readable', 'OrganizationNotReadable'],
    ]);
    expect(result.failures[0]?.message).toContain('organization `o-otherorg123`');
    expect(result.files.map((f) => f.path)).not.toContain('organization/accounts.json');
    expect(result.files.map((f) => f.path)).toContain('organization/parents.json');
    const decisions = await linkDecisions(dir);
    for (const k of denied) expect([k, decisions[k]?.decision]).toEqual([k, 'Unknown']);
  });

  it('its describe-organization fails: the failure, and no accounts.json', async () => {
    const { result } = await crawlWith({
      fixture: withoutOther(),
      faults: [
        {
          service: 'organizations',
          operation: 'DescribeOrganization',
          kind: 'access-denied',
          when: (r) => r.account === OTHER,
        },
      ],
    });
    expect(failureRows(result)).toEqual([
      [OTHER, 'DescribeOrganization', 'access-denied', 'AccessDeniedException'],
    ]);
    expect(result.files.map((f) => f.path)).not.toContain('organization/accounts.json');
  });

  it('says it is in the same organization, yet is not listed: a failure, and no accounts.json', async () => {
    const fx = withoutOther();
    const own = JSON.parse(
      readFileSync(join(fx, 'organization/describe-organization.json'), 'utf8'),
    ) as Obj;
    const { result } = await crawlWith({
      fixture: fx,
      organizationOf: (a) => (a === OTHER ? own : undefined),
    });
    expect(failureRows(result)).toEqual([[OTHER, 'ListAccounts', 'error', 'AccountNotListed']]);
    expect(result.files.map((f) => f.path)).not.toContain('organization/accounts.json');
  });

  it('in no organization: accounts.json stays, which says it is outside (known)', async () => {
    // the fake answers as AWS does for an account no organization lists: not in use
    const { result } = await crawlWith({ fixture: withoutOther() });
    expect(result.failures).toEqual([]);
    expect(result.files.map((f) => f.path)).toContain('organization/accounts.json');
  });
});

describe('2. credentials in action configuration', () => {
  const pipeline = (configurations: Obj[]): CrawlRecord => ({
    kind: 'pipeline',
    account: '111111111111',
    region: 'us-east-1',
    output: {
      pipeline: {
        name: 'p',
        roleArn: 'arn:aws:iam::111111111111:role/p',
        stages: [
          {
            name: 'S',
            actions: configurations.map((configuration, i) => ({
              name: `A${i}`,
              actionTypeId: { category: 'Build', owner: 'Custom', provider: 'X', version: '1' },
              configuration,
            })),
          },
        ],
      },
      metadata: {},
    },
  });
  const configurationsOf = (record: CrawlRecord): Obj[] => {
    const file = JSON.parse(buildSnapshotFiles([record])[0]!.content) as {
      pipeline: { stages: { actions: { configuration: Obj }[] }[] };
    };
    return file.pipeline.stages[0]!.actions.map((a) => a.configuration);
  };

  it('a URL loses its user part and query string, a Manual approval its CustomData', () => {
    const [jenkins, approval] = configurationsOf(
      pipeline([
        {
          ProjectName: 'x',
          RepositoryUrl: 'https://deploy:ghp_SECRETPAT123@github.com/org/repo.git',
        },
        {
          ExternalEntityLink: 'https://ci.example.com/job/42?token=SECRETQUERYTOKEN',
          CustomData: 'db password is SECRETCUSTOMDATA',
          NotificationArn: 'arn:aws:sns:us-east-1:111111111111:approvals',
        },
      ]),
    );
    expect(jenkins).toEqual({
      ProjectName: 'x',
      RepositoryUrl: `https://${REDACTED_MARKER}@github.com/org/repo.git`,
    });
    expect(approval).toEqual({
      ExternalEntityLink: `https://ci.example.com/job/42?${REDACTED_MARKER}`,
      CustomData: REDACTED_MARKER,
      NotificationArn: 'arn:aws:sns:us-east-1:111111111111:approvals',
    });
  });

  it('keeps what analyze reads, and a URL without credentials, as they are', () => {
    const kept = {
      ProjectName: 'build-web',
      FunctionName: 'arn:aws:lambda:us-east-1:111111111111:function:fn:live',
      RoleArn: 'arn:aws:iam::222222222222:role/Deploy',
      FullRepositoryId: 'org/repo',
      ConnectionArn: 'arn:aws:codeconnections:us-east-1:111111111111:connection/abc',
      BucketName: 'site',
      Link: 'https://github.com/org/repo.git',
    };
    expect(configurationsOf(pipeline([kept]))).toEqual([kept]);
  });
});

describe('3. a Lambda function invoked with a qualifier', () => {
  const LIVE_ROLE = 'arn:aws:iam::111111111111:role/WebappSmokeTestLiveRole';

  const latest = JSON.parse(
    readFileSync(join(FIXTURE, '111111111111/us-east-1/lambda/webapp-smoke-test.json'), 'utf8'),
  ) as { Configuration: Obj };
  const live = {
    Configuration: {
      ...latest.Configuration,
      Role: LIVE_ROLE,
      Version: '3',
      FunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:webapp-smoke-test:3',
    },
  };
  const lambdaVersions = { '111111111111/us-east-1/webapp-smoke-test:live': live };
  const lambdaCalls = (requests: FakeRequest[]): unknown[] =>
    requests.filter((r) => r.service === 'lambda').map((r) => [r.operation, r.params['Qualifier']]);

  it.each([
    ['a name', 'webapp-smoke-test:live'],
    ['an ARN', 'arn:aws:lambda:us-east-1:111111111111:function:webapp-smoke-test:live'],
    ['a partial ARN', '111111111111:function:webapp-smoke-test:live'],
  ])(
    '%s with `:live`: the file holds the version `live` runs, its role included',
    async (_what, name) => {
      const { result, requests } = await crawlWith({
        fixture: fixtureInvoking(name),
        lambdaVersions,
      });
      expect(lambdaCalls(requests).sort()).toEqual([
        ['GetFunctionConfiguration', 'live'],
        ['GetPolicy', 'live'],
      ]);
      const file = result.files.find(
        (f) => f.path === '111111111111/us-east-1/lambda/webapp-smoke-test.json',
      );
      expect((JSON.parse(file!.content) as typeof live).Configuration.Role).toBe(LIVE_ROLE);
      expect(result.failures).toEqual([]);
    },
  );

  it('`fn` and `fn:live` both invoked: a failure, and no file (Unknown), not one of them', async () => {
    const { result, dir } = await crawlWith({
      fixture: fixtureInvoking('webapp-smoke-test', 'webapp-smoke-test:live'),
      lambdaVersions,
    });
    expect(result.files.map((f) => f.path).filter((p) => p.includes('/lambda/'))).toEqual([]);
    expect(failureRows(result)).toEqual([
      ['111111111111', 'GetFunctionConfiguration', 'error', 'QualifierConflict'],
    ]);
    expect(result.failures[0]?.message).toContain('`webapp-smoke-test`, `webapp-smoke-test:live`');
    const decisions = await linkDecisions(dir);
    const lambdaLinks = Object.entries(decisions).filter(([, d]) =>
      d.missing.some((m) => m.includes('lambda/webapp-smoke-test.json')),
    );
    expect(lambdaLinks.length).toBeGreaterThan(0);
    for (const [, d] of lambdaLinks) expect(d.decision).toBe('Unknown');
  });

  it('`fn` and `fn:$LATEST` are one version: read once, unqualified', async () => {
    const { result, requests } = await crawlWith({
      fixture: fixtureInvoking('webapp-smoke-test', 'webapp-smoke-test:$LATEST'),
    });
    expect(lambdaCalls(requests).sort()).toEqual([
      ['GetFunctionConfiguration', undefined],
      ['GetPolicy', undefined],
    ]);
    expect(result.failures).toEqual([]);
  });
});

describe('4. the caller in no organization, a crawled account its management account', () => {
  it('reads the organization with the management account credentials', async () => {
    const fx = scenarioCopy('scp-deny-assume-role');
    const describe = join(fx, 'organization/describe-organization.json');
    writeFileSync(
      describe,
      readFileSync(describe, 'utf8').replaceAll('999999999999', '222222222222'),
    );
    // the caller's account is in no organization: not listed, not in the tree
    editJson(join(fx, 'organization', 'accounts.json'), (j) => {
      j['Accounts'] = (j['Accounts'] as { Id: string }[]).filter((a) => a.Id !== '111111111111');
    });
    editJson(join(fx, 'organization', 'parents.json'), (j) => {
      delete j['111111111111'];
    });
    // nor a target of any SCP or RCP (only accounts of the organization are)
    for (const kind of ['scp', 'rcp'])
      for (const f of readdirSync(join(fx, 'organization', kind)))
        editJson(join(fx, 'organization', kind, f), (j) => {
          j['Targets'] = (j['Targets'] as { TargetId: string }[]).filter(
            (t) => t.TargetId !== '111111111111',
          );
        });
    const { result, dir, requests } = await crawlWith({
      fixture: fx,
      organizationOf: (a) => (a === '111111111111' ? 'none' : undefined),
    });
    expect(result.failures).toEqual([]);
    const orgFiles = result.files.map((f) => f.path).filter((p) => p.startsWith('organization/'));
    expect(orgFiles).toContain('organization/accounts.json');
    expect(orgFiles).toContain('organization/parents.json');
    expect(orgFiles.some((p) => p.startsWith('organization/scp/'))).toBe(true);
    expect([
      ...new Set(
        requests
          .filter((r) => r.service === 'organizations' && r.operation !== 'DescribeOrganization')
          .map((r) => r.account),
      ),
    ]).toEqual(['222222222222']);
    // the caller is known to be outside: its SCPs do not apply, and the link is decided
    const link = (await linkDecisions(dir))[
      'orders-api | DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole'
    ];
    expect(link?.decision).toBe('Allowed');
  });
});

describe('5. the home region of the other accounts', () => {
  it('an opt-in configured region only the caller enabled: the others are read in us-east-1', async () => {
    vi.stubEnv('AWS_REGION', 'af-south-1');
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), 'permchain-no-such-config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(tmpdir(), 'permchain-no-such-credentials'));
    const disabledIn222 = (service: string, operation: string): Fault => ({
      service,
      operation,
      kind: 'error',
      code: 'InvalidClientTokenId',
      when: (r) => r.account === '222222222222' && r.region === 'af-south-1',
    });
    const { result, requests } = await crawlWith({
      fixture: FIXTURE,
      faults: [
        disabledIn222('s3', 'ListBuckets'),
        disabledIn222('s3', 'GetBucketLocation'),
        disabledIn222('iam', 'GetAccountAuthorizationDetails'),
        disabledIn222('organizations', 'DescribeOrganization'),
      ],
    });
    expect(result.failures).toEqual([]);
    expect(result.files.map((f) => f.path)).toContain(
      '222222222222/s3/prod-site-222222222222.json',
    );
    const global = (account: string): string[] => [
      ...new Set(
        requests
          .filter(
            (r) => r.account === account && (r.service === 'iam' || r.operation === 'ListBuckets'),
          )
          .map((r) => r.region),
      ),
    ];
    expect(global('222222222222')).toEqual(['us-east-1']);
    expect(global('111111111111')).toEqual(['af-south-1']);
  });
});

describe('6. --merge of a crawl narrowed by --pipeline', () => {
  it('keeps the other pipelines rules and projects in events.json and codebuild.json', async () => {
    const fx = mkdtempSync(join(tmpdir(), 'permchain-merge-'));
    cpSync(FIXTURE, fx, { recursive: true });
    const region = join(fx, '111111111111/us-east-1');
    const web = JSON.parse(readFileSync(join(region, 'codepipeline/webapp.json'), 'utf8')) as {
      pipeline: { name: string; stages: { actions: { configuration?: Obj }[] }[] };
      metadata: { pipelineArn: string };
    };
    web.pipeline.name = 'api';
    web.metadata.pipelineArn = web.metadata.pipelineArn.replace(':webapp', ':api');
    for (const s of web.pipeline.stages)
      for (const a of s.actions)
        if (a.configuration?.['ProjectName'] !== undefined)
          a.configuration['ProjectName'] = 'api-build';
    writeFileSync(join(region, 'codepipeline/api.json'), JSON.stringify(web));
    editJson(join(region, 'events.json'), (ev) => {
      const rules = ev['Rules'] as Obj[];
      const targets = ev['Targets'] as Record<string, Obj[]>;
      const first = rules[0]!;
      rules.push({
        ...first,
        Name: 'api-source-changed',
        Arn: String(first['Arn']).replace(String(first['Name']), 'api-source-changed'),
      });
      targets['api-source-changed'] = [
        { ...targets[String(first['Name'])]![0]!, Arn: web.metadata.pipelineArn, Id: 'api' },
      ];
    });
    editJson(join(region, 'codebuild.json'), (cb) => {
      const projects = cb['projects'] as Obj[];
      projects.push({ ...projects[0]!, name: 'api-build' });
    });

    const aws = await startFakeAws({ fixture: fx });
    const run = (pipelines: string[]) =>
      crawl({
        endpoint: aws.endpoint,
        credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'f' },
        regions: ['us-east-1'],
        assumeRoleTemplate: TEMPLATE,
        maxAttempts: 2,
        pipelines,
      });
    const read = (dir: string, file: string): string =>
      readFileSync(join(dir, '111111111111/us-east-1', file), 'utf8');
    try {
      const full = mkdtempSync(join(tmpdir(), 'permchain-full-'));
      const all = await run([]);
      await writeSnapshotFiles(full, all);
      for (const order of [
        ['webapp', 'api'],
        ['api', 'webapp'],
      ]) {
        const merged = mkdtempSync(join(tmpdir(), 'permchain-merged-'));
        for (const name of order) {
          const r = await run([name]);
          await writeSnapshotFiles(merged, r);
        }
        // the same bytes as one crawl of both pipelines, whichever went first
        expect(read(merged, 'events.json')).toBe(read(full, 'events.json'));
        expect(read(merged, 'codebuild.json')).toBe(read(full, 'codebuild.json'));
      }
    } finally {
      await aws.close();
    }
  });

  it('an entry the new crawl wrote replaces the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-merge-'));
    const path = '111111111111/us-east-1/codebuild.json';
    const project = (name: string, serviceRole: string) => ({ name, serviceRole });
    const write = (projects: Obj[], notFound: string[]) =>
      writeSnapshotFiles(dir, {
        files: [{ path, content: JSON.stringify({ projects, projectsNotFound: notFound }) }],
      });
    await write([project('a', 'old'), project('b', 'old'), project('d', 'old')], ['c']);
    await write([project('b', 'new'), project('c', 'new')], ['a']);
    expect(JSON.parse(readFileSync(join(dir, path), 'utf8'))).toEqual({
      projects: [project('b', 'new'), project('c', 'new'), project('d', 'old')],
      projectsNotFound: ['a'],
    });
  });
});

describe('7. CodeDeploy file names that collide', () => {
  const group = (application: string, name: string): CrawlRecord => ({
    kind: 'codedeploy',
    account: '222222222222',
    region: 'us-east-1',
    application,
    group: name,
    output: { deploymentGroupInfo: { applicationName: application, deploymentGroupName: name } },
  });
  it('`web.api` + `prod` and `web` + `api.prod`: neither is written, in either order', () => {
    const a = group('web.api', 'prod');
    const b = group('web', 'api.prod');
    for (const records of [
      [a, b],
      [b, a],
    ]) {
      const plan = planSnapshotFiles(records);
      expect(plan.files).toEqual([]);
      expect(plan.dropped.map((d) => [d.path, d.reason, d.records])).toEqual([
        ['222222222222/us-east-1/codedeploy/web.api.prod.json', 'collision', [b, a]],
      ]);
    }
    // one group read twice is not a collision
    expect(buildSnapshotFiles([a, a]).map((f) => f.path)).toEqual([
      '222222222222/us-east-1/codedeploy/web.api.prod.json',
    ]);
  });

  it('the crawl lists it as a failure', async () => {
    const fx = mkdtempSync(join(tmpdir(), 'permchain-collide-'));
    cpSync(FIXTURE, fx, { recursive: true });
    let deploy: Obj | undefined;
    editJson(join(fx, '111111111111/us-east-1/codepipeline/webapp.json'), (j) => {
      for (const stage of (j['pipeline'] as { stages: { actions: Obj[] }[] }).stages) {
        const i = stage.actions.findIndex(
          (a) => (a['actionTypeId'] as Obj)['provider'] === 'CodeDeploy',
        );
        if (i < 0) continue;
        const action = stage.actions[i]!;
        const config = action['configuration'] as Obj;
        deploy = config;
        stage.actions.splice(
          i,
          1,
          {
            ...action,
            configuration: { ...config, ApplicationName: 'web.api', DeploymentGroupName: 'prod' },
          },
          {
            ...action,
            name: `${String(action['name'])}2`,
            configuration: { ...config, ApplicationName: 'web', DeploymentGroupName: 'api.prod' },
          },
        );
      }
    });
    expect(deploy).toBeDefined();
    const codedeploy = join(fx, '222222222222/us-east-1/codedeploy');
    cpSync(join(codedeploy, 'webapp.prod.json'), join(codedeploy, 'web.api.prod.json'));
    const { result } = await crawlWith({ fixture: fx });
    expect(result.files.map((f) => f.path).filter((p) => p.includes('/codedeploy/'))).toEqual([]);
    expect(failureRows(result)).toEqual([
      ['222222222222', 'GetDeploymentGroup', 'error', 'FileNameCollision'],
    ]);
  });
});

describe('8. --pipeline when the pipelines could not be listed or read', () => {
  it.each([
    ['ListPipelines', 'access-denied'],
    ['GetPipeline', 'access-denied'],
  ] as const)('%s fails: the failure is reported, not "not found"', async (operation, kind) => {
    const { result } = await crawlToFolder(
      FIXTURE,
      [{ service: 'codepipeline', operation, kind }],
      {
        pipelines: ['webapp'],
      },
    );
    expect(result.missingPipelines).toEqual([]);
    const warnings = renderWarnings(result).join('\n');
    expect(warnings).not.toContain('crawl.pipeline-not-found');
    expect(warnings).toContain(`${operation} failed`);
  });

  it('a name no listing has is still "not found"', async () => {
    const { result } = await crawlToFolder(FIXTURE, [], { pipelines: ['webapp', 'nope'] });
    expect(result.missingPipelines).toEqual(['nope']);
  });
});

describe('9. a file name too long for the file system', () => {
  const topic = (name: string): CrawlRecord => ({
    kind: 'sns',
    account: '111111111111',
    region: 'us-east-1',
    topic: name,
    attributes: { Policy: '{}' },
  });

  it('a 256-character topic is left out with a reason, the rest is written', async () => {
    const long = 'a'.repeat(256);
    const plan = planSnapshotFiles([topic(long), topic('z-ok')]);
    expect(plan.dropped.map((d) => d.reason)).toEqual(['name-too-long']);
    const dir = mkdtempSync(join(tmpdir(), 'permchain-long-'));
    // what the file system refuses is skipped too, not the whole write
    const written = await writeSnapshotFiles(dir, planSnapshotFiles([topic(long), topic('z-ok')]));
    expect(written.skipped).toEqual([]);
    const all = await writeSnapshotFiles(mkdtempSync(join(tmpdir(), 'permchain-long-')), {
      files: [
        { path: `111111111111/us-east-1/sns/${long}.json`, content: '{}' },
        { path: '111111111111/us-east-1/sns/z-ok.json', content: '{}' },
      ],
    });
    expect(all.skipped).toEqual([`111111111111/us-east-1/sns/${long}.json`]);
    expect(readdirSync(join(dir, '111111111111/us-east-1/sns'))).toEqual(['z-ok.json']);
  });

  it('a name of 250 bytes, which the file system takes, is written (the temporary name is short)', async () => {
    const name = 'b'.repeat(245);
    const dir = mkdtempSync(join(tmpdir(), 'permchain-long-'));
    const written = await writeSnapshotFiles(dir, planSnapshotFiles([topic(name)]));
    expect(written.skipped).toEqual([]);
    expect(readdirSync(join(dir, '111111111111/us-east-1/sns'))).toEqual([`${name}.json`]);
  });

  it('the summary says what was not written', () => {
    const result: CrawlResult = {
      callerArn: 'arn:aws:iam::111111111111:user/a',
      callerAccount: '111111111111',
      regions: ['us-east-1'],
      accounts: ['111111111111'],
      pipelines: [],
      missingPipelines: [],
      files: [],
      folders: [],
      withheld: [],
      failures: [],
      skippedFiles: ['111111111111/us-east-1/sns/x.json'],
    };
    expect(renderCrawlSummary(result, 'out')).toContain('`111111111111/us-east-1/sns/x.json`');
    expect(renderWarnings(result).join('\n')).toContain('[crawl.name-too-long]');
  });
});

describe('10. regions', () => {
  it('crawls `eusc-de-east-1`, a region the loader reads', async () => {
    const { result } = await crawlWith({ fixture: FIXTURE }, { regions: ['eusc-de-east-1'] });
    expect(result.regions).toEqual(['eusc-de-east-1']);
  });
  it('still refuses what is not a region', async () => {
    await expect(crawl({ regions: ['us-east'] })).rejects.toThrow('invalid region `us-east`');
  });
});

describe('11. iam.json', () => {
  it('holds no RoleLastUsed, which changes with every use of the role', () => {
    const render = (date: string): string =>
      buildSnapshotFiles([
        {
          kind: 'iam',
          account: '222222222222',
          pages: [
            {
              RoleDetailList: [
                {
                  RoleName: 'PermchainAudit',
                  RoleLastUsed: { LastUsedDate: new Date(date), Region: 'us-east-1' },
                },
              ],
            },
          ],
        },
      ])[0]!.content;
    const a = render('2025-01-01T10:00:00Z');
    expect(a).toBe(render('2025-01-02T10:00:00Z'));
    expect(a).not.toContain('RoleLastUsed');
  });
});

describe('--merge: a rule deleted since the last crawl', () => {
  const ARN = 'arn:aws:codepipeline:us-east-1:111111111111:webapp';
  const OTHER = 'arn:aws:codepipeline:us-east-1:111111111111:api';
  const rule = (name: string) => ({
    Name: name,
    Arn: `arn:aws:events:us-east-1:111111111111:rule/${name}`,
    State: 'ENABLED',
  });
  const target = (arn: string) => ({
    Id: arn.slice(-3),
    Arn: arn,
    RoleArn: 'arn:aws:iam::111111111111:role/r',
  });
  const old = JSON.stringify({
    Rules: [rule('webapp-on-push'), rule('both-on-push')],
    Targets: { 'webapp-on-push': [target(ARN)], 'both-on-push': [target(ARN), target(OTHER)] },
  });
  const none = JSON.stringify({ Rules: [], Targets: {} });
  const merge = (crawled: string[]) =>
    JSON.parse(
      mergeListFile('111111111111/us-east-1/events.json', old, none, new Set(crawled)),
    ) as { Rules: { Name: string }[]; Targets: Record<string, { Arn: string }[]> };

  it('no longer starts the pipeline this crawl read (was: kept, as if it still started it)', () => {
    const m = merge(['111111111111/us-east-1/webapp']);
    // the rule of webapp alone is gone; the shared one keeps its other pipeline's target only
    expect(m.Rules.map((r) => r.Name)).toEqual(['both-on-push']);
    expect(m.Targets['both-on-push']!.map((t) => t.Arn)).toEqual([OTHER]);
  });

  it('stays for pipelines this crawl did not read', () => {
    const m = merge(['111111111111/us-east-1/other-pipeline']);
    expect(m.Rules.map((r) => r.Name)).toEqual(['both-on-push', 'webapp-on-push']);
  });
});
