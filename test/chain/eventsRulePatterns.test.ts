/**
 * An EventBridge rule starts a pipeline on a source action's changes only when its event pattern
 * can match the events of those changes: its `source` and the fields naming the repository,
 * bucket, branch, object key or image tag, when the pattern gives them, must hold the action's
 * values (a field the pattern does not give matches anything; the values of a list are OR; a
 * comparison operator, prefix, suffix, equals-ignore-case, wildcard, anything-but, exists,
 * numeric or cidr, matches as EventBridge documents it; what it cannot decide may match). A rule for release branches only was taken for the trigger of
 * `main`, since every operator may have matched. A rule for another source
 * was taken for the trigger of every source action of the pipeline (all-providers:
 * `platform-containers` `Source/Config`, an S3 source, was Allowed through the ECR rule); when no
 * rule matches, the trigger links are Unknown, naming events.json and saying so.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Report } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';
const EVENTS = `${A}/us-east-1/events.json`;
const ROLE = `arn:aws:iam::${A}:role/service-role/platform-events-role`;
const WEB = 'platform-web';
const CONTAINERS = 'platform-containers';

// the source actions of the scenario
const REPO_ARN = `arn:aws:codecommit:us-east-1:${A}:platform-web`; // Source/App, branch main
const IMAGE_REPO = 'platform/api'; // Source/Image, tag latest
const BUCKET = `platform-deploy-config-${A}`; // Source/Config
const KEY = 'api/deploy-config.zip';

interface TestRule {
  readonly name: string;
  readonly pipeline: string;
  /** an object is written as JSON, a string as it is */
  readonly pattern?: unknown;
  readonly schedule?: string;
  readonly state?: string;
  /** false: no Targets entry (the rule's targets were not read) */
  readonly targets?: boolean;
}

/** The scenario with events.json holding `rules` only, each targeting its pipeline. */
function analyze(rules: readonly TestRule[], edit?: (dir: string) => void): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-patterns-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const events = {
    Rules: rules.map((r) => ({
      Name: r.name,
      Arn: `arn:aws:events:us-east-1:${A}:rule/${r.name}`,
      ...(r.pattern !== undefined
        ? { EventPattern: typeof r.pattern === 'string' ? r.pattern : JSON.stringify(r.pattern) }
        : {}),
      ...(r.schedule !== undefined ? { ScheduleExpression: r.schedule } : {}),
      State: r.state ?? 'ENABLED',
      EventBusName: 'default',
    })),
    Targets: Object.fromEntries(
      rules
        .filter((r) => r.targets !== false)
        .map((r) => [
          r.name,
          [
            {
              Id: `codepipeline-${r.pipeline}`,
              Arn: `arn:aws:codepipeline:us-east-1:${A}:${r.pipeline}`,
              RoleArn: ROLE,
            },
          ],
        ]),
    ),
  };
  writeFileSync(join(dir, EVENTS), JSON.stringify(events));
  edit?.(dir);
  const report = analyzeModel(loadSnapshot(dir));
  expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return report;
}

/** The trigger links of one action: decision and id, and what settles an Unknown one. */
function triggers(report: Report, pipeline: string, where: string): string[] {
  return report.pipelines
    .find((p) => p.name === pipeline)!
    .links.filter((l) => l.requirement.startsWith('trigger.') && `${l.stage}/${l.action}` === where)
    .map(
      (l) =>
        `${l.decision} ${l.id}${l.decision === 'Unknown' ? ` missing=${(l.missing ?? []).join(',')}` : ''}`,
    )
    .sort();
}

const started = (where: string): string[] => [
  `Allowed ${where}:trigger.assume-rule-role:sts:AssumeRole`,
  `Allowed ${where}:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution`,
];

/** events.json is read: what is missing is a rule in it for the source */
const NO_RULE = `${EVENTS} (an EventBridge rule that starts the pipeline on this source's changes, which it does not hold)`;

const notStarted = (where: string): string[] => [
  `Unknown ${where}:trigger.assume-rule-role:sts:AssumeRole missing=${NO_RULE}`,
  `Unknown ${where}:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution missing=${NO_RULE}`,
];

/** A rule on one pipeline with `pattern`. */
const one = (pipeline: string, pattern: unknown): Report =>
  analyze([{ name: 'the-rule', pipeline, pattern }]);

const codecommit = (detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  source: ['aws.codecommit'],
  'detail-type': ['CodeCommit Repository State Change'],
  resources: [REPO_ARN],
  detail: {
    event: ['referenceCreated', 'referenceUpdated'],
    referenceType: ['branch'],
    referenceName: ['main'],
    ...detail,
  },
  ...top,
});

const ecr = (detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  source: ['aws.ecr'],
  'detail-type': ['ECR Image Action'],
  detail: {
    'action-type': ['PUSH'],
    result: ['SUCCESS'],
    'repository-name': [IMAGE_REPO],
    'image-tag': ['latest'],
    ...detail,
  },
  ...top,
});

/** An S3 source rule on API calls through CloudTrail (create-cloudtrail-S3-source.html). */
const trail = (params: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  source: ['aws.s3'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['s3.amazonaws.com'],
    eventName: ['PutObject', 'CompleteMultipartUpload', 'CopyObject'],
    requestParameters: { bucketName: [BUCKET], key: [KEY], ...params },
  },
  ...top,
});

/** An S3 source rule on the bucket's EventBridge notifications (create-S3-source-events.html). */
const notification = (detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  source: ['aws.s3'],
  'detail-type': ['Object Created'],
  detail: { bucket: { name: [BUCKET] }, object: { key: [KEY] }, ...detail },
  ...top,
});

describe('a source action whose changes no rule matches is not started', () => {
  it('an S3 source beside an ECR source: the ECR rule does not start it (the reviewer case)', () => {
    const report = one(CONTAINERS, ecr());
    expect(triggers(report, CONTAINERS, 'Source/Image')).toEqual(started('Source/Image'));
    expect(triggers(report, CONTAINERS, 'Source/Config')).toEqual(notStarted('Source/Config'));
    const link = report.pipelines
      .find((p) => p.name === CONTAINERS)!
      .links.find((l) => l.id === 'Source/Config:trigger.assume-rule-role:sts:AssumeRole')!;
    expect(link.why).toContain(
      `no EventBridge rule in the input targets pipeline \`${CONTAINERS}\` with an event pattern that matches changes to object \`${KEY}\` in S3 bucket \`${BUCKET}\``,
    );
  });

  it('no rule at all: Unknown naming events.json and saying no rule matches the source', () => {
    const report = analyze([]);
    expect(triggers(report, WEB, 'Source/App')).toEqual(notStarted('Source/App'));
    const link = report.pipelines
      .find((p) => p.name === WEB)!
      .links.find(
        (l) =>
          l.id ===
          'Source/App:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution',
      )!;
    expect(link.why).toContain(
      'matches changes to branch `main` of CodeCommit repository `platform-web`',
    );
  });

  it('a rule on a schedule starts the pipeline by time, not on changes', () => {
    const report = analyze([{ name: 'nightly', pipeline: WEB, schedule: 'cron(0 0 * * ? *)' }]);
    expect(triggers(report, WEB, 'Source/App')).toEqual(notStarted('Source/App'));
  });

  it('a DISABLED rule that matches starts nothing', () => {
    const report = analyze([
      { name: 'the-rule', pipeline: WEB, pattern: codecommit(), state: 'DISABLED' },
    ]);
    expect(triggers(report, WEB, 'Source/App')).toEqual(notStarted('Source/App'));
  });

  it('a rule whose targets were not read but that cannot match is no unknown rule', () => {
    const report = analyze([
      { name: 'a-unread', pipeline: WEB, pattern: ecr(), targets: false },
      { name: 'the-rule', pipeline: WEB, pattern: codecommit() },
    ]);
    expect(triggers(report, WEB, 'Source/App')).toEqual(started('Source/App'));
    // one that may match is still Unknown, naming where its targets would be
    const unread = analyze([
      { name: 'a-unread', pipeline: WEB, pattern: codecommit(), targets: false },
      { name: 'the-rule', pipeline: WEB, pattern: codecommit() },
    ]);
    expect(triggers(unread, WEB, 'Source/App').filter((l) => l.startsWith('Unknown'))).toEqual([
      `Unknown Source/App:trigger.assume-rule-role:sts:AssumeRole:rule/a-unread missing=${EVENTS}#/Targets/a-unread`,
      `Unknown Source/App:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/a-unread missing=${EVENTS}#/Targets/a-unread`,
    ]);
  });
});

describe('CodeCommit source (branch main of platform-web)', () => {
  const where = 'Source/App';
  const check = (pattern: unknown): string[] => triggers(one(WEB, pattern), WEB, where);

  it('a rule on its repository and branch starts it', () => {
    expect(check(codecommit())).toEqual(started(where));
    expect(check(codecommit({ repositoryName: ['platform-web'] }))).toEqual(started(where));
    expect(check(codecommit({ referenceFullName: ['refs/heads/main'] }))).toEqual(started(where));
  });

  it('a rule for another source does not', () => {
    expect(check(codecommit({}, { source: ['aws.ecr'] }))).toEqual(notStarted(where));
    expect(check(ecr())).toEqual(notStarted(where));
    expect(check(trail())).toEqual(notStarted(where));
  });

  it('a rule for another repository or branch does not', () => {
    expect(
      check(codecommit({}, { resources: [`arn:aws:codecommit:us-east-1:${A}:other`] })),
    ).toEqual(notStarted(where));
    // the repository in another account or region is another repository
    expect(
      check(codecommit({}, { resources: [`arn:aws:codecommit:eu-west-1:${A}:platform-web`] })),
    ).toEqual(notStarted(where));
    expect(check(codecommit({ repositoryName: ['other'] }))).toEqual(notStarted(where));
    expect(check(codecommit({ referenceName: ['develop'] }))).toEqual(notStarted(where));
    expect(check(codecommit({ referenceFullName: ['refs/heads/develop'] }))).toEqual(
      notStarted(where),
    );
  });

  it('the values of a field are OR, and a field the pattern does not give matches anything', () => {
    expect(check(codecommit({ referenceName: ['develop', 'main'] }))).toEqual(started(where));
    expect(check({ source: ['aws.codecommit'] })).toEqual(started(where));
    expect(check({ 'detail-type': ['CodeCommit Repository State Change'] })).toEqual(
      started(where),
    );
  });

  it('a rule for release branches only does not: Unknown, no rule matches (the reviewer case)', () => {
    // {"detail":{"referenceName":[{"prefix":"release/"}]}} was taken for the trigger of `main`
    const report = one(WEB, { detail: { referenceName: [{ prefix: 'release/' }] } });
    expect(triggers(report, WEB, where)).toEqual(notStarted(where));
    const link = report.pipelines
      .find((p) => p.name === WEB)!
      .links.find((l) => l.id === `${where}:trigger.assume-rule-role:sts:AssumeRole`)!;
    expect(link.why).toContain(
      `no EventBridge rule in the input targets pipeline \`${WEB}\` with an event pattern that matches changes to branch \`main\` of CodeCommit repository \`platform-web\``,
    );
    expect(check(codecommit({ referenceName: [{ prefix: 'release/' }] }))).toEqual(
      notStarted(where),
    );
  });

  it('each comparison operator on the branch `main`: a rule it matches starts it, one it does not is no trigger', () => {
    const branch = (op: unknown): string[] => check(codecommit({ referenceName: [op] }));
    const matching: unknown[] = [
      { prefix: 'ma' },
      { prefix: { 'equals-ignore-case': 'MA' } },
      { suffix: 'in' },
      { suffix: { 'equals-ignore-case': 'IN' } },
      { 'equals-ignore-case': 'Main' },
      { wildcard: 'm*n' },
      { 'anything-but': 'develop' },
      { 'anything-but': ['develop', 'release'] },
      { 'anything-but': { prefix: 'release/' } },
      { 'anything-but': { suffix: '-wip' } },
      { 'anything-but': { 'equals-ignore-case': ['DEVELOP'] } },
      { 'anything-but': { wildcard: 'release/*' } },
      { exists: true },
    ];
    const excluding: unknown[] = [
      { prefix: 'release/' },
      { prefix: { 'equals-ignore-case': 'RELEASE/' } },
      { suffix: '/main' },
      { suffix: { 'equals-ignore-case': 'MAIN2' } },
      { 'equals-ignore-case': 'develop' },
      { wildcard: 'release/*' },
      { 'anything-but': 'main' },
      { 'anything-but': ['develop', 'main'] },
      { 'anything-but': { prefix: 'ma' } },
      { 'anything-but': { suffix: 'ain' } },
      { 'anything-but': { 'equals-ignore-case': 'MAIN' } },
      { 'anything-but': { wildcard: 'm*' } },
      { exists: false },
      { numeric: ['>', 0] },
      { cidr: '10.0.0.0/24' },
    ];
    for (const op of matching) expect(branch(op), JSON.stringify(op)).toEqual(started(where));
    for (const op of excluding) expect(branch(op), JSON.stringify(op)).toEqual(notStarted(where));
  });

  it('the repository too: anything-but its own ARN does not start it', () => {
    expect(check(codecommit({}, { resources: [{ 'anything-but': REPO_ARN }] }))).toEqual(
      notStarted(where),
    );
    expect(check(codecommit({}, { resources: [{ 'anything-but': `${REPO_ARN}-old` }] }))).toEqual(
      started(where),
    );
    expect(check(codecommit({ repositoryName: [{ wildcard: 'platform-*' }] }))).toEqual(
      started(where),
    );
  });

  it('a value it cannot decide may match', () => {
    // case outside ASCII, an operator EventBridge does not have, a wildcard it does not take
    expect(check(codecommit({ referenceName: [{ 'equals-ignore-case': 'MÄIN' }] }))).toEqual(
      started(where),
    );
    expect(check(codecommit({ referenceName: [{ contains: 'zz' }] }))).toEqual(started(where));
    expect(check(codecommit({ referenceName: [{ wildcard: 'zz**' }] }))).toEqual(started(where));
    // a pattern it cannot read is an input error, and its links are Unknown
    // (eventsRuleEventShapes.test.ts)
  });
});

describe('ECR source (tag latest of platform/api)', () => {
  const where = 'Source/Image';
  const check = (pattern: unknown): string[] =>
    triggers(one(CONTAINERS, pattern), CONTAINERS, where);

  it('a rule on its repository and tag starts it', () => {
    expect(check(ecr())).toEqual(started(where));
  });

  it('a rule for another source does not', () => {
    expect(check(ecr({}, { source: ['aws.codecommit'] }))).toEqual(notStarted(where));
    expect(check(notification())).toEqual(notStarted(where));
  });

  it('a rule for another repository or tag does not', () => {
    expect(check(ecr({ 'repository-name': ['platform/web'] }))).toEqual(notStarted(where));
    expect(check(ecr({ 'image-tag': ['v2'] }))).toEqual(notStarted(where));
  });

  it('an action without ImageTag detects the tag latest', () => {
    const noTag = (dir: string): void => {
      const file = join(dir, A, 'us-east-1', 'codepipeline', `${CONTAINERS}.json`);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as {
        pipeline: {
          stages: { actions: { name: string; configuration: Record<string, string> }[] }[];
        };
      };
      delete doc.pipeline.stages[0]!.actions.find((a) => a.name === 'Image')!.configuration[
        'ImageTag'
      ];
      writeFileSync(file, JSON.stringify(doc));
    };
    const withTag = (tag: string): string[] =>
      triggers(
        analyze(
          [{ name: 'the-rule', pipeline: CONTAINERS, pattern: ecr({ 'image-tag': [tag] }) }],
          noTag,
        ),
        CONTAINERS,
        where,
      );
    expect(withTag('latest')).toEqual(started(where));
    expect(withTag('v2')).toEqual(notStarted(where));
  });

  it('an operator decides on the repository and tag', () => {
    expect(check(ecr({ 'image-tag': [{ 'anything-but': 'dev' }] }))).toEqual(started(where));
    expect(check(ecr({ 'image-tag': [{ 'anything-but': 'latest' }] }))).toEqual(notStarted(where));
    expect(check(ecr({ 'repository-name': [{ wildcard: 'platform/*' }] }))).toEqual(started(where));
    expect(check(ecr({ 'repository-name': [{ wildcard: 'web/*' }] }))).toEqual(notStarted(where));
  });
});

describe('S3 source (api/deploy-config.zip in platform-deploy-config)', () => {
  const where = 'Source/Config';
  const check = (pattern: unknown): string[] =>
    triggers(one(CONTAINERS, pattern), CONTAINERS, where);

  it('a rule on its bucket and key starts it, through CloudTrail or the bucket notifications', () => {
    expect(check(trail())).toEqual(started(where));
    expect(check(notification())).toEqual(started(where));
    expect(check(notification({}, { resources: [`arn:aws:s3:::${BUCKET}`] }))).toEqual(
      started(where),
    );
  });

  it('a rule for another source does not', () => {
    expect(check(trail({}, { source: ['aws.codecommit'] }))).toEqual(notStarted(where));
    expect(check(codecommit())).toEqual(notStarted(where));
  });

  it('a rule for another bucket or key does not', () => {
    expect(check(trail({ bucketName: ['other-bucket'] }))).toEqual(notStarted(where));
    expect(check(trail({ key: ['api/other.zip'] }))).toEqual(notStarted(where));
    expect(check(notification({ bucket: { name: ['other-bucket'] } }))).toEqual(notStarted(where));
    expect(check(notification({ object: { key: ['api/other.zip'] } }))).toEqual(notStarted(where));
    expect(check(notification({}, { resources: ['arn:aws:s3:::other-bucket'] }))).toEqual(
      notStarted(where),
    );
  });

  it('every field given must be in the event: the CloudTrail and notification fields together match neither', () => {
    expect(
      check({
        source: ['aws.s3'],
        detail: { bucket: { name: [BUCKET] }, requestParameters: { bucketName: [BUCKET] } },
      }),
    ).toEqual(notStarted(where));
    // an operator on a field the event does not have may match it (`exists: false`)
    expect(
      check({
        source: ['aws.s3'],
        detail: {
          bucket: { name: [BUCKET] },
          requestParameters: { bucketName: [{ exists: false }] },
        },
      }),
    ).toEqual(started(where));
  });

  it('$or matches when one of its patterns does', () => {
    const either = (names: string[]): unknown => ({
      source: ['aws.s3'],
      $or: names.map((n) => ({ detail: { bucket: { name: [n] } } })),
    });
    expect(check(either(['other-bucket', BUCKET]))).toEqual(started(where));
    expect(check(either(['other-bucket', 'third-bucket']))).toEqual(notStarted(where));
  });

  it('an operator decides on the bucket and key', () => {
    expect(check(trail({ key: [{ prefix: 'api/' }] }))).toEqual(started(where));
    expect(check(trail({ key: [{ prefix: 'web/' }] }))).toEqual(notStarted(where));
    expect(check(notification({ object: { key: [{ suffix: '.zip' }] } }))).toEqual(started(where));
    expect(check(notification({ object: { key: [{ suffix: '.tar' }] } }))).toEqual(
      notStarted(where),
    );
  });

  it('an operator other than exists: false on a field the event does not have matches nothing', () => {
    // the notification event has no requestParameters, the CloudTrail event no bucket.name
    const both = (op: unknown): unknown => ({
      source: ['aws.s3'],
      detail: { bucket: { name: [BUCKET] }, requestParameters: { bucketName: [op] } },
    });
    expect(check(both({ prefix: 'platform-' }))).toEqual(notStarted(where));
    expect(check(both({ exists: true }))).toEqual(notStarted(where));
    expect(check(both({ exists: false }))).toEqual(started(where));
  });
});
