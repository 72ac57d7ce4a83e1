/**
 * What a snapshot defines twice is not decided on whichever copy was read first: two SCP or RCP
 * files of one policy id are both applied (a guardrail only takes permissions away), and two
 * copies of a pipeline, role, managed policy, default policy version, KMS key, CodeBuild
 * project, bucket (one bucket file in two account folders) or EventBridge rule leave it unknown,
 * with an input error at each copy naming the other. An iam.json without `RoleDetailList` is not
 * an account without roles: every role of it is unknown.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { exitCodeFor } from '../../src/report/gate.js';
import type { Report, ReportLink } from '../../src/report/types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PASS = 'fixtures/scenarios/pass-cross-account';
const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
const PROD_IAM = '222222222222/iam.json';
const TOOLS_IAM = '111111111111/iam.json';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';
const KEY_ID = '7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const KEY_FILE = `111111111111/us-east-1/kms/${KEY_ID}.json`;

function read(dir: string, file: string): Json {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
}
function write(dir: string, file: string, doc: unknown): void {
  writeFileSync(join(dir, file), JSON.stringify(doc, null, 2));
}
function edit(dir: string, file: string, change: (d: Json) => void): void {
  const doc = read(dir, file);
  change(doc);
  write(dir, file, doc);
}

function analyze(scenario: string, change: (dir: string) => void): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-duplicates-'));
  cpSync(scenario, dir, { recursive: true });
  change(dir);
  return analyzeModel(loadSnapshot(dir));
}

const brief = (r: Report): string[] =>
  r.problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}`);
const linksOf = (r: Report): readonly ReportLink[] => r.pipelines[0]!.links;
const deny = (action: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }],
  });

describe('two files of one SCP or RCP', () => {
  it('applies both copies of an SCP (a stale harmless copy read first hid the deny)', () => {
    const scenario = 'fixtures/scenarios/scp-deny-assume-role';
    const assume = (r: Report) =>
      linksOf(r)
        .filter((l) => l.requirement === 'action.assume-action-role')
        .map((l) => l.decision);
    expect(assume(analyze(scenario, () => {}))).toEqual(['ExplicitlyDenied']);
    // `p-exmtools02.bak.json` sorts before `p-exmtools02.json`
    const report = analyze(scenario, (dir) => {
      const scp = read(dir, 'organization/scp/p-exmtools02.json');
      scp['Policy']['Content'] = deny('s3:DeleteBucket');
      write(dir, 'organization/scp/p-exmtools02.bak.json', scp);
    });
    expect(assume(report)).toEqual(['ExplicitlyDenied']);
    expect(brief(report)).toEqual([
      'error organization/scp/p-exmtools02.bak.json#/Policy/PolicySummary/Id snapshot.duplicate',
      'error organization/scp/p-exmtools02.json#/Policy/PolicySummary/Id snapshot.duplicate',
    ]);
    expect(report.problems[0]!.message).toBe(
      'scp `p-exmtools02` is defined more than once (also at `organization/scp/p-exmtools02.json#/Policy/PolicySummary/Id`): both copies are applied, since an scp only takes permissions away',
    );
    expect(exitCodeFor(report, 'denied')).toBe(2);
  });

  it('applies both copies of an RCP', () => {
    const scenario = 'fixtures/scenarios/rcp-data-perimeter';
    const denied = (r: Report) =>
      linksOf(r)
        .filter((l) => l.decision === 'ExplicitlyDenied')
        .map((l) => l.id);
    const before = denied(analyze(scenario, () => {}));
    expect(before.length).toBeGreaterThan(0);
    const report = analyze(scenario, (dir) => {
      const rcp = read(dir, 'organization/rcp/p-exmrcp0005.json');
      rcp['Policy']['Content'] = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' }],
      });
      write(dir, 'organization/rcp/p-exmrcp0005.a.json', rcp);
    });
    expect(denied(report)).toEqual(before);
    expect(brief(report)).toEqual([
      'error organization/rcp/p-exmrcp0005.a.json#/Policy/PolicySummary/Id snapshot.duplicate',
      'error organization/rcp/p-exmrcp0005.json#/Policy/PolicySummary/Id snapshot.duplicate',
    ]);
  });
});

describe('two copies of one pipeline, role, policy, key or project', () => {
  it('leaves a pipeline two files define unknown, naming both files', () => {
    const report = analyze(PASS, (dir) => {
      const stale = read(dir, PIPE);
      stale['pipeline']['stages'] = stale['pipeline']['stages'].slice(0, 2);
      write(dir, '111111111111/us-east-1/codepipeline/orders-api.bak.json', stale);
    });
    const bak = '111111111111/us-east-1/codepipeline/orders-api.bak.json';
    expect(brief(report)).toEqual([
      `error ${bak}#/pipeline snapshot.duplicate`,
      `error ${PIPE}#/pipeline snapshot.duplicate`,
    ]);
    expect(report.pipelines).toHaveLength(1);
    const p = report.pipelines[0]!;
    expect(p.verdict).toBe('unknown');
    expect(p.links.map((l) => [l.id, l.decision, l.missing])).toEqual([
      [
        '(stages)/(actions):action.not-settled',
        'Unknown',
        [`${bak}#/pipeline (defined more than once), ${PIPE}#/pipeline (defined more than once)`],
      ],
    ]);
    expect(exitCodeFor(report, 'denied')).toBe(2);
  });

  it('leaves a role listed twice unknown, whichever copy comes first', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, PROD_IAM, (d) => {
        const copy = structuredClone(d['RoleDetailList'][0]) as Json;
        copy['RolePolicyList'] = [
          {
            PolicyName: 'all',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
            },
          },
        ];
        d['RoleDetailList'][0]['RolePolicyList'][0]['PolicyDocument']['Statement'].push({
          Effect: 'Deny',
          Action: 'cloudformation:CreateStack',
          Resource: '*',
        });
        d['RoleDetailList'].push(copy);
        d['RoleDetailList'].reverse();
      }),
    );
    expect(brief(report)).toEqual([
      `error ${PROD_IAM}#/RoleDetailList/0 snapshot.duplicate`,
      `error ${PROD_IAM}#/RoleDetailList/2 snapshot.duplicate`,
    ]);
    const mine = linksOf(report).filter((l) => l.principal === DEPLOY_ROLE);
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain(
        `${PROD_IAM}#/RoleDetailList/0 (defined more than once, also at ${PROD_IAM}#/RoleDetailList/2)`,
      );
    }
  });

  it('treats role names that differ only in case as one role', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, PROD_IAM, (d) => {
        const copy = structuredClone(d['RoleDetailList'][0]) as Json;
        copy['RoleName'] = String(copy['RoleName']).toUpperCase();
        copy['Arn'] = `arn:aws:iam::222222222222:role/${copy['RoleName']}`;
        d['RoleDetailList'].push(copy);
      }),
    );
    expect(brief(report)).toEqual([
      `error ${PROD_IAM}#/RoleDetailList/0 snapshot.duplicate`,
      `error ${PROD_IAM}#/RoleDetailList/2 snapshot.duplicate`,
    ]);
  });

  /** A customer managed policy attached to the build role, listed twice. */
  function buildRoleWithManagedPolicy(d: Json, copies: Json[]): void {
    const arn = 'arn:aws:iam::111111111111:policy/build-extra';
    const role = (d['RoleDetailList'] as Json[]).find((r) => r['Arn'] === BUILD_ROLE)!;
    role['AttachedManagedPolicies'] = [{ PolicyName: 'build-extra', PolicyArn: arn }];
    d['Policies'] = copies.map((versions) => ({
      PolicyName: 'build-extra',
      Arn: arn,
      Path: '/',
      DefaultVersionId: 'v1',
      PolicyVersionList: versions,
    }));
  }
  const version = (id: string, isDefault: boolean, action: string): Json => ({
    VersionId: id,
    IsDefaultVersion: isDefault,
    Document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
    },
  });

  it('leaves a managed policy listed twice unknown', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, TOOLS_IAM, (d) =>
        buildRoleWithManagedPolicy(d, [
          [version('v1', true, 'logs:*')] as unknown as Json,
          [version('v1', true, '*')] as unknown as Json,
        ]),
      ),
    );
    expect(brief(report)).toEqual([
      `error ${TOOLS_IAM}#/Policies/0 snapshot.duplicate`,
      `error ${TOOLS_IAM}#/Policies/1 snapshot.duplicate`,
    ]);
    const mine = linksOf(report).filter((l) => l.principal === BUILD_ROLE);
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) {
      expect(l.decision, l.id).toBe('Unknown');
      // what is missing: the policy's document, because the input defines the policy twice
      expect(l.missing, l.id).toContain(
        `the document of arn:aws:iam::111111111111:policy/build-extra (the input defines it more than once: ${TOOLS_IAM}#/Policies/0 (defined more than once, also at ${TOOLS_IAM}#/Policies/1))`,
      );
    }
  });

  it('leaves a managed policy with two default versions unknown', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, TOOLS_IAM, (d) =>
        buildRoleWithManagedPolicy(d, [
          [version('v1', true, 'logs:*'), version('v2', true, '*')] as unknown as Json,
        ]),
      ),
    );
    expect(brief(report)).toEqual([
      `error ${TOOLS_IAM}#/Policies/0/PolicyVersionList/0 snapshot.duplicate`,
      `error ${TOOLS_IAM}#/Policies/0/PolicyVersionList/1 snapshot.duplicate`,
    ]);
    const mine = linksOf(report).filter((l) => l.principal === BUILD_ROLE);
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) expect(l.decision, l.id).toBe('Unknown');
  });

  it('leaves a KMS key two files define unknown', () => {
    const report = analyze(PASS, (dir) => {
      const key = read(dir, KEY_FILE);
      key['Policy'] = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }],
      });
      write(dir, '111111111111/us-east-1/kms/a-stale-copy.json', key);
    });
    const stale = '111111111111/us-east-1/kms/a-stale-copy.json';
    expect(brief(report)).toEqual([
      `error ${KEY_FILE}# snapshot.duplicate`,
      `error ${stale}# snapshot.duplicate`,
      // and the copy is not named after the key it describes
      `error ${stale}#/KeyMetadata/KeyId snapshot.kms.key-id-mismatch`,
    ]);
    const kms = linksOf(report).filter((l) => l.resource.includes(KEY_ID));
    expect(kms.length).toBeGreaterThan(0);
    for (const l of kms) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain(`${KEY_FILE}# (defined more than once, also at ${stale}#)`);
    }
  });

  it('leaves a CodeBuild project listed twice unknown', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, '111111111111/us-east-1/codebuild.json', (d) => {
        const copy = structuredClone(d['projects'][0]) as Json;
        copy['serviceRole'] =
          'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';
        d['projects'].unshift(copy);
      }),
    );
    const cb = '111111111111/us-east-1/codebuild.json';
    expect(brief(report)).toEqual([
      `error ${cb}#/projects/0 snapshot.duplicate`,
      `error ${cb}#/projects/1 snapshot.duplicate`,
    ]);
    const build = linksOf(report).filter(
      (l) => l.stage === 'Build' && l.requirement.startsWith('codebuild-project.'),
    );
    expect(build.length).toBeGreaterThan(0);
    for (const l of build) expect(l.decision, l.id).toBe('Unknown');
  });
});

describe('one bucket in two account folders', () => {
  const BUCKET = 'orders-artifacts-111111111111-us-east-1';
  const OWN = `111111111111/s3/${BUCKET}.json`;
  const STALE = `222222222222/s3/${BUCKET}.json`;
  /** A copy in the prod folder without the statements that let prod read the artifacts. */
  const staleCopy = (dir: string, region: string | null): void => {
    mkdirSync(join(dir, '222222222222', 's3'), { recursive: true });
    const copy = read(dir, OWN);
    const policy = JSON.parse(copy['Policy'] as string) as Json;
    policy['Statement'] = policy['Statement'].filter((st: Json) => st['Effect'] === 'Deny');
    copy['Policy'] = JSON.stringify(policy);
    copy['LocationConstraint'] = region;
    write(dir, STALE, copy);
  };

  it('leaves the bucket unknown, naming both files, whichever account is expected', () => {
    const report = analyze(PASS, (dir) => staleCopy(dir, null));
    expect(brief(report)).toEqual([
      `error ${OWN}# snapshot.duplicate`,
      `error ${STALE}# snapshot.duplicate`,
    ]);
    expect(report.problems[0]!.message).toBe(
      `bucket \`${BUCKET}\` is defined more than once (also at \`${STALE}#\`): bucket names are global, so one file is stale; no copy is used: what relies on it is unknown`,
    );
    const bucket = linksOf(report).filter(
      (l) => l.resource.includes(`:s3:::${BUCKET}`) && l.decision !== 'Allowed',
    );
    expect(bucket.length).toBeGreaterThan(0);
    const stages = new Set<string>();
    for (const l of bucket) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain(`${OWN}# (defined more than once, also at ${STALE}#)`);
      stages.add(l.stage ?? '');
    }
    // the prod action's reads (cross-account) and the tools actions' are all unsettled
    expect([...stages].sort()).toEqual(['Build', 'DeployProd', 'Source']);
    expect(
      linksOf(report).filter(
        (l) => l.resource.includes(`:s3:::${BUCKET}`) && l.decision === 'Allowed',
      ),
    ).toEqual([]);
    expect(exitCodeFor(report, 'denied')).toBe(2);
  });

  it('reads two buckets of one name in different partitions as two buckets', () => {
    const report = analyze(PASS, (dir) => {
      staleCopy(dir, 'cn-north-1');
      edit(dir, OWN, (d) => (d['LocationConstraint'] = 'us-east-1'));
    });
    expect(brief(report)).toEqual([]);
  });
});

describe('one rule listed twice in events.json', () => {
  const EVENTS = '111111111111/us-east-1/events.json';

  it('leaves the rule unknown, naming the copies, instead of using the first one', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, EVENTS, (d) => {
        // a stale copy, disabled, after the enabled one
        d['Rules'].push({ ...d['Rules'][0], State: 'DISABLED' });
      }),
    );
    expect(brief(report)).toEqual([
      `error ${EVENTS}#/Rules/0 snapshot.duplicate`,
      `error ${EVENTS}#/Rules/1 snapshot.duplicate`,
    ]);
    const trigger = linksOf(report).filter((l) => l.requirement.startsWith('trigger.'));
    expect(trigger.length).toBeGreaterThan(0);
    for (const l of trigger) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${EVENTS}#/Rules/0 (defined more than once)`]);
    }
    expect(report.pipelines[0]!.verdict).toBe('unknown');
  });

  it('does not read a disabled copy listed first as the rule', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, EVENTS, (d) => {
        d['Rules'].unshift({ ...d['Rules'][0], State: 'DISABLED' });
      }),
    );
    const trigger = linksOf(report).filter((l) => l.requirement.startsWith('trigger.'));
    expect(trigger.map((l) => [l.decision, l.missing])).toEqual([
      ['Unknown', [`${EVENTS}#/Rules/0 (defined more than once)`]],
      ['Unknown', [`${EVENTS}#/Rules/0 (defined more than once)`]],
    ]);
  });
});

describe('a rule on a schedule listed twice in events.json', () => {
  const EVENTS = '111111111111/us-east-1/events.json';
  const PIPELINE_ARN = 'arn:aws:codepipeline:us-east-1:111111111111:orders-api';
  const EVENTS_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-events-role';
  const DUP = `${EVENTS}#/Rules/1 (defined more than once)`;
  const nightly = (copy: Json): Report =>
    analyze(PASS, (dir) =>
      edit(dir, EVENTS, (d) => {
        const rule = {
          Name: 'orders-api-nightly',
          Arn: 'arn:aws:events:us-east-1:111111111111:rule/orders-api-nightly',
          ScheduleExpression: 'rate(1 day)',
          State: 'ENABLED',
          EventBusName: 'default',
        };
        d['Rules'].push(rule, { ...rule, ...copy });
        d['Targets']['orders-api-nightly'] = [
          { Id: 'orders-api', Arn: PIPELINE_ARN, RoleArn: EVENTS_ROLE },
        ];
      }),
    );
  const scheduled = (r: Report): string[] =>
    linksOf(r)
      .filter((l) => l.requirement.startsWith('trigger.schedule-'))
      .map((l) => `${l.decision} ${l.id} ${(l.missing ?? []).join(',')}`)
      .sort();

  it('keeps its schedule: the schedule links are Unknown, naming the first copy', () => {
    // a stale copy without the schedule, listed second: the schedule was dropped
    for (const copy of [{ ScheduleExpression: undefined }, { State: 'DISABLED' }, {}]) {
      const report = nightly(copy);
      expect(brief(report)).toEqual([
        `error ${EVENTS}#/Rules/1 snapshot.duplicate`,
        `error ${EVENTS}#/Rules/2 snapshot.duplicate`,
      ]);
      expect(scheduled(report), JSON.stringify(copy)).toEqual([
        `Unknown trigger.schedule-assume-rule-role:sts:AssumeRole:rule/orders-api-nightly ${DUP}`,
        `Unknown trigger.schedule-start-pipeline-execution:codepipeline:StartPipelineExecution:rule/orders-api-nightly ${DUP}`,
      ]);
      const start = linksOf(report).find((l) =>
        l.id.startsWith('trigger.schedule-start-pipeline-execution'),
      )!;
      expect(start.why).toContain(
        'pipeline `orders-api` on a schedule the input does not settle, EventBridge rule `orders-api-nightly`',
      );
      expect(report.pipelines[0]!.verdict).toBe('unknown');
    }
  });

  it('a schedule only the second copy has is kept too', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, EVENTS, (d) => {
        const rule = { Name: 'orders-api-nightly', State: 'ENABLED', EventBusName: 'default' };
        d['Rules'].push(rule, { ...rule, ScheduleExpression: 'rate(1 day)' });
        d['Targets']['orders-api-nightly'] = [
          { Id: 'orders-api', Arn: PIPELINE_ARN, RoleArn: EVENTS_ROLE },
        ];
      }),
    );
    expect(scheduled(report).map((l) => l.split(' ')[0])).toEqual(['Unknown', 'Unknown']);
  });

  it('a rule no copy of which has a schedule has no schedule links', () => {
    const report = analyze(PASS, (dir) =>
      edit(dir, EVENTS, (d) => {
        d['Rules'].push({ ...d['Rules'][0], State: 'DISABLED' });
      }),
    );
    expect(scheduled(report)).toEqual([]);
  });
});

describe('an iam.json without RoleDetailList', () => {
  const cases: [string, (d: Json) => Json][] = [
    ['no key', (d) => (delete d['RoleDetailList'], d)],
    ['null', (d) => ({ ...d, RoleDetailList: null })],
    ['an empty object for the file', () => ({})],
  ];
  for (const [what, change] of cases) {
    it(`makes every role of the account unknown, not absent (${what})`, () => {
      const report = analyze(PASS, (dir) => write(dir, PROD_IAM, change(read(dir, PROD_IAM))));
      expect(brief(report)).toEqual([`warning ${PROD_IAM}#/RoleDetailList snapshot.list.missing`]);
      const mine = linksOf(report).filter(
        (l) => l.principal === DEPLOY_ROLE || l.resource === DEPLOY_ROLE,
      );
      expect(mine.length).toBeGreaterThan(0);
      for (const l of mine) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toContain(`${PROD_IAM}#/RoleDetailList (missing)`);
      }
      expect(report.pipelines[0]!.verdict).toBe('unknown');
    });
  }

  it('still knows a role is absent from a complete, empty list', () => {
    const report = analyze(PASS, (dir) => edit(dir, PROD_IAM, (d) => (d['RoleDetailList'] = [])));
    expect(report.problems).toEqual([]);
    const assume = linksOf(report).filter((l) => l.requirement === 'action.assume-action-role');
    expect(assume.map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
  });
});
