/**
 * `crawl --merge` over an earlier crawl: what the new crawl deliberately leaves out (conflicting
 * or incomplete data, each listed as a failure) must not stay behind as the earlier crawl's copy,
 * which `analyze` would read as current (a wrong Allowed, where the truth is unknown). Each kind
 * of deliberate drop removes its old file (or its whole folder), and only that: the files of a
 * pipeline this crawl did not read stay as they were.
 */
import { Command, CommanderError } from 'commander';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerCrawl } from '../../src/cli/crawl.js';
import { memoryIo } from '../../src/cli/io.js';
import { crawl, type CrawlOptions, type CrawlResult } from '../../src/crawl/crawl.js';
import { planSnapshotFiles, type CrawlRecord } from '../../src/crawl/snapshotWriter.js';
import {
  writeSnapshotFiles,
  type WriteResult,
  KEEP_FILE,
} from '../../src/crawl/writeSnapshotFiles.js';
import { FAKE_CALLER_KEY, startFakeAws, type FakeAwsOptions, type Fault } from './fakeAws.js';
import { FIXTURE, fixtureInvoking, linkDecisions, scenarioCopy, TEMPLATE } from './helpers.js';

type Obj = Record<string, unknown>;

function editJson(path: string, edit: (value: Obj) => void): void {
  const value = JSON.parse(readFileSync(path, 'utf8')) as Obj;
  edit(value);
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

/** Every file under `dir` with its text, by `/`-separated relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Crawl through a fake serving `fake.fixture` and write (merge) the result into `dir`. */
async function crawlInto(
  dir: string,
  fake: FakeAwsOptions,
  options: Partial<CrawlOptions> = {},
): Promise<{ result: CrawlResult; written: WriteResult }> {
  const aws = await startFakeAws(fake);
  try {
    const result = await crawl({
      endpoint: aws.endpoint,
      credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' },
      regions: ['us-east-1'],
      assumeRoleTemplate: TEMPLATE,
      maxAttempts: 2,
      ...options,
    });
    return { result, written: await writeSnapshotFiles(dir, result) };
  } finally {
    await aws.close();
  }
}

/** A new folder holding a full crawl of `fixture`: the earlier crawl. */
async function earlierCrawl(fixture: string, faults: readonly Fault[] = []): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-earlier-'));
  await crawlInto(dir, { fixture, faults });
  return dir;
}

/**
 * Files of a pipeline `uncovered` that the earlier snapshot holds and the new crawl does not read
 * (the fake does not have it): its pipeline file, plus `extra` (its Lambda function, deployment
 * group...) and a file of an account no crawl here reads. Returns them, to check they stay.
 */
function addUncovered(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  const region = join(dir, '111111111111', 'us-east-1', 'codepipeline');
  const first = readdirSync(region).sort()[0]!;
  const pipeline = JSON.parse(readFileSync(join(region, first), 'utf8')) as {
    pipeline: { name: string };
  };
  pipeline.pipeline.name = 'uncovered';
  const files: Record<string, string> = {
    '111111111111/us-east-1/codepipeline/uncovered.json': JSON.stringify(pipeline, null, 2) + '\n',
    '444444444444/us-east-1/sns/uncovered-topic.json': '{"Attributes": {}}\n',
    ...extra,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return files;
}

/** `files` are in `dir`, unchanged. */
function expectKept(dir: string, files: Record<string, string>): void {
  const now = tree(dir);
  for (const [path, content] of Object.entries(files))
    expect([path, now[path]]).toEqual([path, content]);
}

const LAMBDA = '111111111111/us-east-1/lambda/webapp-smoke-test.json';

/** The `live` version of the fixture's function, with a role of its own. */
function lambdaVersions(): Record<string, Obj> {
  const latest = JSON.parse(readFileSync(join(FIXTURE, LAMBDA), 'utf8')) as {
    Configuration: Obj;
  };
  return {
    '111111111111/us-east-1/webapp-smoke-test:live': {
      Configuration: {
        ...latest.Configuration,
        Role: 'arn:aws:iam::111111111111:role/WebappSmokeTestLiveRole',
        Version: '3',
      },
    },
  };
}

describe('crawl --merge removes the earlier copy of what the new crawl withholds', () => {
  it('a Lambda function invoked with conflicting qualifiers: its old file is removed, its links Unknown', async () => {
    const dir = await earlierCrawl(FIXTURE);
    expect(existsSync(join(dir, LAMBDA))).toBe(true);
    const kept = addUncovered(dir, {
      // another function (the file names it: renamed throughout)
      '111111111111/us-east-1/lambda/uncovered-fn.json': readFileSync(
        join(dir, LAMBDA),
        'utf8',
      ).replaceAll('webapp-smoke-test', 'uncovered-fn'),
    });

    const { result, written } = await crawlInto(
      dir,
      {
        fixture: fixtureInvoking('webapp-smoke-test', 'webapp-smoke-test:live'),
        lambdaVersions: lambdaVersions(),
      },
      { pipelines: ['webapp'] },
    );
    expect(result.failures.map((f) => f.errorCode)).toEqual(['QualifierConflict']);
    expect(result.withheld).toEqual([LAMBDA]);
    expect(written.removed).toEqual([LAMBDA]);
    expect(existsSync(join(dir, LAMBDA))).toBe(false);
    expectKept(dir, kept);
    const lambdaLinks = Object.entries(await linkDecisions(dir)).filter(
      ([id, d]) =>
        id.startsWith('webapp |') && d.missing.some((m) => m.includes('lambda/webapp-smoke-test')),
    );
    expect(lambdaLinks.length).toBeGreaterThan(0);
    for (const [id, d] of lambdaLinks) expect([id, d.decision]).toEqual([id, 'Unknown']);
  });

  it('CodeDeploy deployment groups whose file names collide: the old file of that name is removed', async () => {
    const COLLIDING = '222222222222/us-east-1/codedeploy/web.api.prod.json';
    const OTHER_GROUP = '222222222222/us-east-1/codedeploy/webapp.prod.json';
    const fx = mkdtempSync(join(tmpdir(), 'permchain-collide-'));
    cpSync(FIXTURE, fx, { recursive: true });
    editJson(join(fx, '111111111111/us-east-1/codepipeline/webapp.json'), (j) => {
      for (const stage of (j['pipeline'] as { stages: { actions: Obj[] }[] }).stages) {
        const i = stage.actions.findIndex(
          (a) => (a['actionTypeId'] as Obj)['provider'] === 'CodeDeploy',
        );
        if (i < 0) continue;
        const action = stage.actions[i]!;
        const config = action['configuration'] as Obj;
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
    const codedeploy = join(fx, '222222222222/us-east-1/codedeploy');
    cpSync(join(codedeploy, 'webapp.prod.json'), join(codedeploy, 'web.api.prod.json'));

    const dir = await earlierCrawl(FIXTURE);
    // the earlier crawl, when the pipeline deployed only `web.api` + `prod`, wrote its file
    writeFileSync(join(dir, COLLIDING), readFileSync(join(dir, OTHER_GROUP), 'utf8'));
    // the group the fixture's pipeline deployed to before: now only the uncovered one's
    const kept = addUncovered(dir, { [OTHER_GROUP]: readFileSync(join(dir, OTHER_GROUP), 'utf8') });

    const { result, written } = await crawlInto(dir, { fixture: fx });
    expect(result.failures.map((f) => f.errorCode)).toEqual(['FileNameCollision']);
    expect(result.withheld).toEqual([COLLIDING]);
    expect(written.removed).toEqual([COLLIDING]);
    expect(existsSync(join(dir, COLLIDING))).toBe(false);
    expectKept(dir, kept);
  });

  describe('a crawled account whose organization membership is unknown', () => {
    const SCENARIO = 'scp-allow-list-missing-service';
    const OTHER = '222222222222';
    const otherOrganization = {
      Organization: {
        Id: 'o-otherorg123',
        Arn: 'arn:aws:organizations::333333333333:organization/o-otherorg123',
        FeatureSet: 'ALL',
        MasterAccountId: '333333333333',
      },
    };

    it('the old accounts.json (which said it was outside, so no SCP) is removed: Unknown, not Allowed', async () => {
      // 222 no longer listed by the caller's organization
      const fx = scenarioCopy(SCENARIO);
      editJson(join(fx, 'organization', 'accounts.json'), (j) => {
        j['Accounts'] = (j['Accounts'] as { Id: string }[]).filter((a) => a.Id !== OTHER);
      });
      editJson(join(fx, 'organization', 'parents.json'), (j) => {
        delete j[OTHER];
        delete j['ou-exm1-prodwl01'];
      });
      // nor a target of any of its policies
      for (const kind of ['scp', 'rcp'])
        for (const f of readdirSync(join(fx, 'organization', kind)))
          editJson(join(fx, 'organization', kind, f), (j) => {
            j['Targets'] = (j['Targets'] as { TargetId: string }[]).filter(
              (t) => t.TargetId !== OTHER && t.TargetId !== 'ou-exm1-prodwl01',
            );
          });
      // the earlier crawl: 222 in no organization, so accounts.json said it is outside
      const dir = await earlierCrawl(fx);
      expect(existsSync(join(dir, 'organization', 'accounts.json'))).toBe(true);
      const before = await linkDecisions(dir);
      const full = await linkDecisions(await earlierCrawl(scenarioCopy(SCENARIO)));
      // the links 222's SCPs decide: Allowed while it read as outside the organization
      const decidedBySCP = Object.keys(full).filter(
        (k) => full[k]!.decision !== 'Allowed' && before[k]?.decision === 'Allowed',
      );
      expect(decidedBySCP.length).toBeGreaterThan(0);
      const kept = addUncovered(dir);

      // now 222 says it is in another organization, whose SCPs this snapshot does not hold
      const { result, written } = await crawlInto(dir, {
        fixture: fx,
        organizationOf: (a) => (a === OTHER ? otherOrganization : undefined),
      });
      expect(result.failures.map((f) => f.errorCode)).toEqual(['OrganizationNotReadable']);
      expect(result.withheld).toEqual(['organization/accounts.json']);
      expect(written.removed).toEqual(['organization/accounts.json']);
      expect(existsSync(join(dir, 'organization', 'accounts.json'))).toBe(false);
      expectKept(dir, kept);
      const after = await linkDecisions(dir);
      for (const k of decidedBySCP) expect([k, after[k]?.decision]).toEqual([k, 'Unknown']);
    });
  });

  describe('a whole organization/scp/ or rcp/ folder left out, as one policy could not be read', () => {
    const ASSUME = 'orders-api | DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole';
    const DECRYPT = 'orders-api | DeployProd/DeployStack:artifacts.input.kms-decrypt:kms:Decrypt';

    it('scp/: the old folder, which lacks the new Deny, is removed whole: Unknown, not Allowed', async () => {
      const fixture = scenarioCopy('scp-deny-assume-role');
      // the earlier crawl, before p-exmtools02 (the Deny) was created
      const old = scenarioCopy('scp-deny-assume-role');
      rmSync(join(old, 'organization', 'scp', 'p-exmtools02.json'));
      const dir = await earlierCrawl(old);
      expect((await linkDecisions(dir))[ASSUME]?.decision).toBe('Allowed');
      const kept = addUncovered(dir);
      const rcpBefore = tree(join(dir, 'organization', 'rcp'));

      const { result, written } = await crawlInto(dir, {
        fixture,
        faults: [
          {
            service: 'organizations',
            operation: 'DescribePolicy',
            kind: 'throttle',
            when: (r) => r.params['PolicyId'] === 'p-exmtools02',
          },
        ],
      });
      expect(result.withheld).toEqual(['organization/scp']);
      expect(written.removed).toEqual([
        'organization/scp/p-FullAWSAccess.json',
        'organization/scp/p-exmguard01.json',
      ]);
      expect(existsSync(join(dir, 'organization', 'scp'))).toBe(false);
      // no temporary folder left beside it
      expect(readdirSync(join(dir, 'organization')).sort()).toEqual([
        'accounts.json',
        'describe-organization.json',
        'parents.json',
        'rcp',
      ]);
      // the type read in full is written, as before
      expect(tree(join(dir, 'organization', 'rcp'))).toEqual(rcpBefore);
      expectKept(dir, kept);
      const link = (await linkDecisions(dir))[ASSUME];
      expect(link?.decision).toBe('Unknown');
      expect(link?.missing).toContain('organization/scp/');
    });

    it('rcp/: the old folder is removed whole when the targets of one RCP cannot be listed', async () => {
      const fixture = scenarioCopy('rcp-data-perimeter');
      const old = scenarioCopy('rcp-data-perimeter');
      rmSync(join(old, 'organization', 'rcp', 'p-exmrcp0005.json'));
      const dir = await earlierCrawl(old);
      expect((await linkDecisions(dir))[DECRYPT]?.decision).toBe('Allowed');
      const kept = addUncovered(dir);

      const { result, written } = await crawlInto(dir, {
        fixture,
        faults: [
          {
            service: 'organizations',
            operation: 'ListTargetsForPolicy',
            kind: 'access-denied',
            when: (r) => r.params['PolicyId'] === 'p-exmrcp0005',
          },
        ],
      });
      expect(result.withheld).toEqual(['organization/rcp']);
      expect(written.removed).toEqual(['organization/rcp/p-RCPFullAWSAccess.json']);
      expect(existsSync(join(dir, 'organization', 'rcp'))).toBe(false);
      expect(existsSync(join(dir, 'organization', 'scp'))).toBe(true);
      expectKept(dir, kept);
      const link = (await linkDecisions(dir))[DECRYPT];
      expect(link?.decision).toBe('Unknown');
      expect(link?.missing).toContain('organization/rcp/');
    });

    it('an empty old folder ("no policy of the type") is removed too, and said so', async () => {
      const fixture = scenarioCopy('rcp-data-perimeter');
      const dir = mkdtempSync(join(tmpdir(), 'permchain-earlier-'));
      mkdirSync(join(dir, 'organization', 'rcp'), { recursive: true });
      writeFileSync(join(dir, 'organization', 'rcp', KEEP_FILE), '');
      const { written } = await crawlInto(dir, {
        fixture,
        faults: [
          {
            service: 'organizations',
            operation: 'DescribePolicy',
            kind: 'access-denied',
            when: (r) => r.params['PolicyId'] === 'p-exmrcp0005',
          },
        ],
      });
      expect(written.removed).toEqual([`organization/rcp/${KEEP_FILE}`]);
      expect(existsSync(join(dir, 'organization', 'rcp'))).toBe(false);
    });
  });

  it('parents.json when the tree could be read only in part: the old one is removed', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const dir = await earlierCrawl(fixture);
    expect(existsSync(join(dir, 'organization', 'parents.json'))).toBe(true);
    const kept = addUncovered(dir);
    const { result, written } = await crawlInto(dir, {
      fixture,
      faults: [
        {
          service: 'organizations',
          operation: 'ListChildren',
          kind: 'access-denied',
          when: (r) => r.params['ParentId'] === 'ou-exm1-workload',
        },
      ],
    });
    expect(result.withheld).toEqual(['organization/parents.json']);
    expect(written.removed).toEqual(['organization/parents.json']);
    expect(existsSync(join(dir, 'organization', 'parents.json'))).toBe(false);
    expectKept(dir, kept);
  });

  // session 23: every other failed read of the organization left the earlier copy behind
  it.each([
    [
      'describe-organization fails: every organization file of the earlier crawl is removed',
      'DescribeOrganization',
      [
        'organization/accounts.json',
        'organization/describe-organization.json',
        'organization/parents.json',
        'organization/rcp',
        'organization/scp',
      ],
    ],
    [
      'list-accounts fails: the old accounts.json is removed',
      'ListAccounts',
      ['organization/accounts.json'],
    ],
    [
      'list-roots fails: the old parents.json is removed',
      'ListRoots',
      ['organization/parents.json'],
    ],
    [
      'list-policies fails: the old scp/ and rcp/ folders are removed whole',
      'ListPolicies',
      ['organization/rcp', 'organization/scp'],
    ],
  ])('%s', async (_name, operation, withheld) => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const dir = await earlierCrawl(fixture);
    const before = tree(dir);
    for (const w of withheld)
      expect(
        Object.keys(before).some((f) => f === w || f.startsWith(`${w}/`)),
        w,
      ).toBe(true);
    const kept = addUncovered(dir);
    const { result } = await crawlInto(dir, {
      fixture,
      faults: [{ service: 'organizations', operation, kind: 'access-denied' }],
    });
    expect(result.withheld).toEqual(withheld);
    const after = tree(dir);
    for (const w of withheld)
      expect(
        Object.keys(after).filter((f) => f === w || f.startsWith(`${w}/`)),
        w,
      ).toEqual([]);
    // the organization files this crawl did read are written
    for (const f of Object.keys(before).filter((f) => f.startsWith('organization/')))
      if (!withheld.some((w) => f === w || f.startsWith(`${w}/`)))
        expect(after[f], f).toBeDefined();
    expectKept(dir, kept);
    // and what the SCP decided is Unknown now, not read from the old copy
    const decisions = await linkDecisions(dir);
    expect(Object.values(decisions).map((d) => d.decision)).toContain('Unknown');
  });

  describe('names too long for a file name', () => {
    const policy = (policyId: string): CrawlRecord => ({
      kind: 'organization-policy',
      policyType: 'SERVICE_CONTROL_POLICY',
      policyId,
      policy: { PolicySummary: { Id: policyId } },
      targets: [],
    });
    const topic = (name: string): CrawlRecord => ({
      kind: 'sns',
      account: '111111111111',
      region: 'us-east-1',
      topic: name,
      attributes: { Policy: '{}' },
    });
    /** an earlier snapshot: an scp/ folder, a topic, and the files of an uncovered pipeline */
    const earlier = (): { dir: string; kept: Record<string, string> } => {
      const dir = mkdtempSync(join(tmpdir(), 'permchain-earlier-'));
      mkdirSync(join(dir, 'organization', 'scp'), { recursive: true });
      writeFileSync(join(dir, 'organization', 'scp', 'p-old.json'), '{"old": 1}\n');
      mkdirSync(join(dir, '111111111111', 'us-east-1', 'codepipeline'), { recursive: true });
      writeFileSync(
        join(dir, '111111111111', 'us-east-1', 'codepipeline', 'webapp.json'),
        readFileSync(join(FIXTURE, '111111111111/us-east-1/codepipeline/webapp.json'), 'utf8'),
      );
      const kept = addUncovered(dir, {
        '111111111111/us-east-1/sns/uncovered-topic.json': '{"Attributes": {}}\n',
      });
      return { dir, kept };
    };

    it('one SCP whose file name would be too long: the old scp/ folder is removed whole', async () => {
      const { dir, kept } = earlier();
      const plan = planSnapshotFiles([
        { kind: 'folder', path: 'organization/scp' },
        policy('p-new'),
        policy('p'.repeat(300)),
      ]);
      expect(plan.withheld).toEqual(['organization/scp']);
      expect(plan.files).toEqual([]);
      expect(plan.folders).toEqual([]);
      const written = await writeSnapshotFiles(dir, plan);
      expect(written.removed).toEqual(['organization/scp/p-old.json']);
      expect(existsSync(join(dir, 'organization', 'scp'))).toBe(false);
      expectKept(dir, kept);
    });

    it('an SCP name the file system refuses when written: the old scp/ folder is removed whole too', async () => {
      const { dir, kept } = earlier();
      const written = await writeSnapshotFiles(dir, {
        files: [
          { path: 'organization/scp/p-new.json', content: '{}' },
          // not caught by the plan (written as is): refused by the file system
          { path: `organization/scp/${'p'.repeat(300)}.json`, content: '{}' },
        ],
        folders: ['organization/scp'],
      });
      expect(written).toEqual({
        skipped: ['organization/scp'],
        removed: ['organization/scp/p-old.json'],
      });
      expect(readdirSync(join(dir, 'organization'))).toEqual([]);
      expectKept(dir, kept);
    });

    it('a topic name too long: no file of it can be there, so nothing is removed and the rest is written', async () => {
      const { dir, kept } = earlier();
      const long = 'a'.repeat(256);
      const plan = planSnapshotFiles([topic(long), topic('z-ok')]);
      expect(plan.withheld).toEqual([`111111111111/us-east-1/sns/${long}.json`]);
      const written = await writeSnapshotFiles(dir, plan);
      expect(written).toEqual({ skipped: [], removed: [] });
      expect(existsSync(join(dir, '111111111111/us-east-1/sns/z-ok.json'))).toBe(true);
      expect(existsSync(join(dir, 'organization', 'scp', 'p-old.json'))).toBe(true);
      expectKept(dir, kept);
    });
  });
});

describe('what is removed, and what never is', () => {
  it('only the withheld paths, inside the folder: not a file beside them, nor the paths of other accounts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-withheld-'));
    const files: Record<string, string> = {
      '111111111111/us-east-1/lambda/fn.json': '{"a": 1}\n',
      '111111111111/us-east-1/lambda/fn.json.bak': 'kept\n',
      '111111111111/us-east-1/lambda/fn2.json': '{"b": 1}\n',
      '222222222222/us-east-1/lambda/fn.json': '{"c": 1}\n',
      'organization/accounts.json': '{"Accounts": []}\n',
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const plan = planSnapshotFiles([
      { kind: 'withheld', path: '111111111111/us-east-1/lambda/fn.json' },
      { kind: 'withheld', path: 'organization/accounts.json' },
      // withheld wins over a record of the same path
      { kind: 'organization-accounts', accounts: [{ Id: '111111111111' }] },
    ]);
    expect(plan).toMatchObject({
      files: [],
      withheld: ['111111111111/us-east-1/lambda/fn.json', 'organization/accounts.json'],
    });
    const written = await writeSnapshotFiles(dir, plan);
    expect(written.removed).toEqual([
      '111111111111/us-east-1/lambda/fn.json',
      'organization/accounts.json',
    ]);
    const { ['111111111111/us-east-1/lambda/fn.json']: _fn, ...rest } = files;
    const { ['organization/accounts.json']: _accounts, ...left } = rest;
    expect(tree(dir)).toEqual(left);
  });

  it('never through a symbolic link that leads out of the folder: refused, before any write', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'permchain-outside-'));
    writeFileSync(join(outside, 'accounts.json'), 'not the snapshot\n');
    const dir = mkdtempSync(join(tmpdir(), 'permchain-withheld-'));
    symlinkSync(outside, join(dir, 'organization'));
    await expect(
      writeSnapshotFiles(dir, {
        files: [{ path: 'a.json', content: '{}' }],
        withheld: ['organization/accounts.json'],
      }),
    ).rejects.toThrow('leads out of the folder through a symbolic link');
    expect(readFileSync(join(outside, 'accounts.json'), 'utf8')).toBe('not the snapshot\n');
    expect(existsSync(join(dir, 'a.json'))).toBe(false);
  });

  it('a withheld path that is a symbolic link: the link is removed, not what it leads to', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'permchain-outside-'));
    writeFileSync(join(outside, 'p-1.json'), '{}');
    const dir = mkdtempSync(join(tmpdir(), 'permchain-withheld-'));
    mkdirSync(join(dir, 'organization'));
    symlinkSync(outside, join(dir, 'organization', 'scp'));
    const written = await writeSnapshotFiles(dir, { files: [], withheld: ['organization/scp'] });
    expect(written.removed).toEqual(['organization/scp']);
    expect(readdirSync(join(dir, 'organization'))).toEqual([]);
    expect(readdirSync(outside)).toEqual(['p-1.json']);
  });

  it('into a new folder, nothing to remove', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'permchain-withheld-')), 'new');
    const written = await writeSnapshotFiles(dir, {
      files: [{ path: 'a.json', content: '{}' }],
      withheld: ['organization/scp', 'organization/accounts.json'],
    });
    expect(written).toEqual({ skipped: [], removed: [] });
    expect(tree(dir)).toEqual({ 'a.json': '{}' });
  });
});

describe('permchain crawl --merge', () => {
  it('says in its summary which old files it removed, sorted', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'permchain-crawl-'));
    const run = async (fake: FakeAwsOptions, args: string[]) => {
      const aws = await startFakeAws(fake);
      const io = memoryIo(cwd);
      let code = 0;
      const program = new Command()
        .exitOverride()
        .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
      registerCrawl(program, io, (c) => (code = c), {
        stderrIsTTY: false,
        clientSettings: {
          endpoint: aws.endpoint,
          credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' },
        },
      });
      try {
        await program.parseAsync(['node', 'permchain', 'crawl', ...args]);
      } catch (err) {
        if (!(err instanceof CommanderError)) throw err;
        code = 2;
      } finally {
        await aws.close();
      }
      return { code, out: io.out };
    };
    const args = ['--out', 'snap', '--region', 'us-east-1', '--assume-role', TEMPLATE];
    const first = await run({ fixture: FIXTURE }, args);
    expect(first.code).toBe(0);
    expect(first.out).not.toContain('removed');
    const merged = await run(
      {
        fixture: fixtureInvoking('webapp-smoke-test', 'webapp-smoke-test:live'),
        lambdaVersions: lambdaVersions(),
      },
      [...args, '--merge'],
    );
    expect(merged.code).toBe(0);
    expect(merged.out).toContain(
      `removed 1 file an earlier crawl left, which this crawl withholds (unknown in the snapshot): \`${LAMBDA}\`\n`,
    );
    expect(existsSync(join(cwd, 'snap', LAMBDA))).toBe(false);
  });
});
