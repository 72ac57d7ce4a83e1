/**
 * Review of pipeline triggers through EventBridge rules (rev-events; rev-chain F1): a rule that
 * cannot start the pipeline on its source's changes was counted as its trigger.
 *
 * - The change events lacked fields AWS documents (detail-type, CodeCommit event and
 *   referenceType, ECR action-type and result, S3 eventName, region, account): a rule for tags,
 *   deleted branches, pull requests, another Region, a failed or deleted image, a deleted object
 *   was Allowed, and a second rule on other events was blamed (a wrong denial).
 * - A rule on a custom event bus was Allowed: AWS services send their events to the default bus.
 * - A rule of the pipeline's account was Allowed for a source of another account, whose events go
 *   to that account's default bus.
 * - An EventPattern that is not JSON, not an object, or has a value that is not an array was
 *   silently taken as matching (Allowed): now an input error at its pointer, and Unknown links.
 * - anything-but on a field the event lacks was undecided (Allowed): it does not match.
 * - When no rule starts the pipeline, the Unknown text names the rules that target it and were
 *   set aside, with why (DISABLED, another bus, a pattern field that does not match).
 * - A rule listed without its Arn made the trust link Unknown: its ARN is the one AWS gives it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Report, ReportLink } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';
const B = '222222222222';
const EVENTS = `${A}/us-east-1/events.json`;
const ROLE = `arn:aws:iam::${A}:role/service-role/platform-events-role`;
const BUILD_ROLE = `arn:aws:iam::${A}:role/service-role/platform-web-build-role`;
const WEB = 'platform-web'; // Source/App: CodeCommit platform-web, branch main
const CONTAINERS = 'platform-containers'; // Source/Image: ECR platform/api; Source/Config: S3
const REPO_ARN = `arn:aws:codecommit:us-east-1:${A}:platform-web`;
const IMAGE_REPO = 'platform/api';
const BUCKET = `platform-deploy-config-${A}`;
const KEY = 'api/deploy-config.zip';

interface TestRule {
  readonly name: string;
  readonly pipeline: string;
  /** an object is written as JSON, a string as it is */
  readonly pattern?: unknown;
  readonly state?: string;
  readonly bus?: string;
  readonly role?: string;
  /** false: the rule is listed without `Arn` */
  readonly arn?: boolean;
}

function eventsDoc(account: string, rules: readonly TestRule[], targetArn?: string): unknown {
  return {
    Rules: rules.map((r) => ({
      Name: r.name,
      ...(r.arn === false
        ? {}
        : {
            Arn: `arn:aws:events:us-east-1:${account}:rule/${r.bus && r.bus !== 'default' ? `${r.bus}/` : ''}${r.name}`,
          }),
      ...(r.pattern !== undefined
        ? { EventPattern: typeof r.pattern === 'string' ? r.pattern : JSON.stringify(r.pattern) }
        : {}),
      State: r.state ?? 'ENABLED',
      EventBusName: r.bus ?? 'default',
    })),
    Targets: Object.fromEntries(
      rules.map((r) => [
        r.name,
        [
          {
            Id: `target-${r.name}`,
            Arn: targetArn ?? `arn:aws:codepipeline:us-east-1:${account}:${r.pipeline}`,
            ...(targetArn ? {} : { RoleArn: r.role ?? ROLE }),
          },
        ],
      ]),
    ),
  };
}

/** The scenario with events.json holding `rules` only; `edit` changes the copy further. */
function analyze(rules: readonly TestRule[], edit?: (dir: string) => void): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-shapes-'));
  cpSync(SCENARIO, dir, { recursive: true });
  writeFileSync(join(dir, EVENTS), JSON.stringify(eventsDoc(A, rules)));
  edit?.(dir);
  return analyzeModel(loadSnapshot(dir));
}

function links(report: Report, pipeline: string, where: string): ReportLink[] {
  return report.pipelines
    .find((p) => p.name === pipeline)!
    .links.filter(
      (l) => l.requirement.startsWith('trigger.') && `${l.stage}/${l.action}` === where,
    );
}

const brief = (report: Report, pipeline: string, where: string): string[] =>
  links(report, pipeline, where)
    .map((l) => `${l.decision} ${l.id}`)
    .sort();

const started = (where: string): string[] => [
  `Allowed ${where}:trigger.assume-rule-role:sts:AssumeRole`,
  `Allowed ${where}:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution`,
];
const notStarted = (where: string): string[] => [
  `Unknown ${where}:trigger.assume-rule-role:sts:AssumeRole`,
  `Unknown ${where}:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution`,
];

const codecommit = (detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  source: ['aws.codecommit'],
  resources: [REPO_ARN],
  detail: { referenceName: ['main'], ...detail },
  ...top,
});
const ecr = (detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  source: ['aws.ecr'],
  detail: { 'repository-name': [IMAGE_REPO], 'image-tag': ['latest'], ...detail },
  ...top,
});
const trail = (detail: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  source: ['aws.s3'],
  detail: {
    eventSource: ['s3.amazonaws.com'],
    requestParameters: { bucketName: [BUCKET], key: [KEY] },
    ...detail,
  },
  ...top,
});
const notification = (top: Record<string, unknown> = {}) => ({
  source: ['aws.s3'],
  detail: { bucket: { name: [BUCKET] }, object: { key: [KEY] } },
  ...top,
});

const one = (pipeline: string, pattern: unknown, extra: Partial<TestRule> = {}): Report =>
  analyze([{ name: 'the-rule', pipeline, pattern, ...extra }]);

describe('the documented fields of the change events decide whether a rule starts the pipeline', () => {
  const App = 'Source/App';
  const onApp = (pattern: unknown): string[] => brief(one(WEB, pattern), WEB, App);

  it('CodeCommit: a push to a branch, not a tag, a deletion or a pull request', () => {
    // the reviewers' cases: each was Allowed
    expect(onApp(codecommit({ referenceType: ['tag'] }))).toEqual(notStarted(App));
    expect(onApp(codecommit({ event: ['referenceDeleted'] }))).toEqual(notStarted(App));
    expect(
      onApp(codecommit({}, { 'detail-type': ['CodeCommit Pull Request State Change'] })),
    ).toEqual(notStarted(App));
    expect(onApp(codecommit({}, { region: ['eu-west-1'] }))).toEqual(notStarted(App));
    expect(onApp(codecommit({}, { account: [B] }))).toEqual(notStarted(App));
    // what a push is: either event (a new branch, or an update) starts it
    expect(onApp(codecommit({ event: ['referenceCreated'] }))).toEqual(started(App));
    expect(onApp(codecommit({ event: ['referenceUpdated'] }))).toEqual(started(App));
    expect(
      onApp(
        codecommit(
          { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'] },
          {
            'detail-type': ['CodeCommit Repository State Change'],
            region: ['us-east-1'],
            account: [A],
          },
        ),
      ),
    ).toEqual(started(App));
    expect(onApp(codecommit({ event: [{ 'anything-but': 'referenceDeleted' }] }))).toEqual(
      started(App),
    );
    expect(onApp(codecommit({ event: [{ prefix: 'referenceD' }] }))).toEqual(notStarted(App));
  });

  it('ECR: a successful push, not a deletion or a failure', () => {
    const Image = 'Source/Image';
    const onImage = (pattern: unknown): string[] =>
      brief(one(CONTAINERS, pattern), CONTAINERS, Image);
    expect(onImage(ecr({ 'action-type': ['DELETE'] }))).toEqual(notStarted(Image));
    expect(onImage(ecr({ result: ['FAILURE'] }))).toEqual(notStarted(Image));
    expect(onImage(ecr({}, { 'detail-type': ['ECR Image Scan'] }))).toEqual(notStarted(Image));
    expect(
      onImage(
        ecr(
          { 'action-type': ['PUSH'], result: ['SUCCESS'] },
          { 'detail-type': ['ECR Image Action'], account: [A] },
        ),
      ),
    ).toEqual(started(Image));
  });

  it("ECR: the PutImage call through CloudTrail, as the CDK's ECR source writes its rule (was: set aside, the rule's denied link Unknown)", () => {
    const Image = 'Source/Image';
    const onImage = (pattern: unknown): string[] =>
      brief(one(CONTAINERS, pattern), CONTAINERS, Image);
    // Repository.onCloudTrailImagePushed's pattern
    const cdk = (detail: object): unknown => ({
      source: ['aws.ecr'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { requestParameters: { repositoryName: [IMAGE_REPO] }, ...detail },
    });
    expect(
      onImage(
        cdk({
          eventName: ['PutImage'],
          requestParameters: { repositoryName: [IMAGE_REPO], imageTag: ['latest'] },
        }),
      ),
    ).toEqual(started(Image));
    expect(onImage(cdk({ eventName: ['PutImage'] }))).toEqual(started(Image));
    expect(onImage(cdk({ eventName: ['BatchDeleteImage'] }))).toEqual(notStarted(Image));
    expect(
      onImage(
        cdk({
          eventName: ['PutImage'],
          requestParameters: { repositoryName: [IMAGE_REPO], imageTag: ['v2'] },
        }),
      ),
    ).toEqual(notStarted(Image));
    // the fields of one shape do not meet the other's
    expect(onImage(cdk({ eventName: ['PutImage'], 'action-type': ['PUSH'] }))).toEqual(
      notStarted(Image),
    );
  });

  it('S3: an object written (PutObject, CopyObject, CompleteMultipartUpload) or created, not deleted', () => {
    const Config = 'Source/Config';
    const onConfig = (pattern: unknown): string[] =>
      brief(one(CONTAINERS, pattern), CONTAINERS, Config);
    expect(onConfig(notification({ 'detail-type': ['Object Deleted'] }))).toEqual(
      notStarted(Config),
    );
    expect(onConfig(trail({ eventName: ['DeleteObject'] }))).toEqual(notStarted(Config));
    expect(onConfig(trail({}, { 'detail-type': ['Object Created'] }))).toEqual(notStarted(Config));
    expect(onConfig(notification({ 'detail-type': ['Object Created'] }))).toEqual(started(Config));
    for (const name of ['PutObject', 'CopyObject', 'CompleteMultipartUpload'])
      expect(
        onConfig(trail({ eventName: [name] }, { 'detail-type': ['AWS API Call via CloudTrail'] })),
        name,
      ).toEqual(started(Config));
  });

  it('a rule on other events beside the trigger is not blamed (the tworules case: a wrong denial)', () => {
    const report = analyze([
      { name: 'push-main', pipeline: WEB, pattern: codecommit() },
      {
        name: 'pr-notify',
        pipeline: WEB,
        pattern: {
          source: ['aws.codecommit'],
          'detail-type': ['CodeCommit Pull Request State Change'],
        },
        role: BUILD_ROLE,
      },
    ]);
    expect(brief(report, WEB, App)).toEqual(started(App));
    const all = report.pipelines.find((p) => p.name === WEB)!.links;
    expect(all.filter((l) => l.id.includes('pr-notify'))).toEqual([]);
  });
});

describe('a rule on another event bus than the default one', () => {
  const App = 'Source/App';

  it('is no trigger: Unknown, naming the rule and its bus (it was Allowed)', () => {
    const report = one(WEB, codecommit(), { bus: 'my-bus' });
    expect(brief(report, WEB, App)).toEqual(notStarted(App));
    const why = links(report, WEB, App)[0]!.why ?? '';
    expect(why).toContain('no EventBridge rule in the input targets pipeline `platform-web`');
    expect(why).toContain('`the-rule` is on event bus `my-bus`');
    expect(why).toContain('AWS services send their events to the default event bus');
  });

  it('beside a rule on the default bus: only that one starts the pipeline', () => {
    const report = analyze([
      { name: 'a-custom', pipeline: WEB, pattern: codecommit(), bus: 'my-bus', role: BUILD_ROLE },
      { name: 'b-default', pipeline: WEB, pattern: codecommit() },
    ]);
    expect(brief(report, WEB, App)).toEqual(started(App));
  });
});

describe('a source in another account than the pipeline', () => {
  const App = 'Source/App';
  const REPO_B = `arn:aws:codecommit:us-east-1:${B}:platform-web`;
  const BUS = `arn:aws:events:us-east-1:${A}:event-bus/default`;
  /** the source action runs as a role of account B: the repository is B's */
  const inB = (dir: string): void => {
    const file = join(dir, A, 'us-east-1', 'codepipeline', `${WEB}.json`);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      pipeline: { stages: { actions: Record<string, unknown>[] }[] };
    };
    doc.pipeline.stages[0]!.actions[0]!['roleArn'] = `arn:aws:iam::${B}:role/cc-source-role`;
    writeFileSync(file, JSON.stringify(doc));
  };
  const pattern = codecommit({}, { resources: [REPO_B] });
  // B puts the changes on A's bus, which the bus's policy must allow: a link of its own,
  // Unknown (a snapshot holds no bus policy)
  const PUT = `${App}:trigger.cross-account-put-events:events:PutEvents`;
  const notStartedAcross = [...notStarted(App), `Unknown ${PUT}`].sort();

  it("a rule of the pipeline's account is Unknown: the events go to the other account's bus (it was Allowed)", () => {
    const report = analyze([{ name: 'the-rule', pipeline: WEB, pattern }], inB);
    expect(brief(report, WEB, App)).toEqual(notStartedAcross);
    const put = links(report, WEB, App).find((l) => l.id === PUT)!;
    expect([put.principal, put.permission, put.resource]).toEqual([
      `arn:aws:iam::${B}:root`,
      'events:PutEvents',
      BUS,
    ]);
    expect(put.missing).toEqual([
      `the resource policy of event bus \`${BUS}\` (\`aws events describe-event-bus\` in \`${A}\`), which a snapshot does not hold`,
    ]);
    const link = links(report, WEB, App)[0]!;
    expect(link.why).toContain(`CodeCommit repository \`platform-web\` is in account \`${B}\``);
    expect(link.why).toContain(`sends them to event bus \`${BUS}\``);
    expect(link.missing).toEqual([
      `${B}/us-east-1/events.json`,
      `the resource policy of event bus \`${BUS}\` (\`aws events describe-event-bus\` in \`${A}\`), which a snapshot does not hold`,
    ]);
  });

  it('names a rule of the other account that sends them, or says it holds none (still Unknown: the bus policy is not in a snapshot)', () => {
    const withB = (rules: TestRule[]) => (dir: string) => {
      inB(dir);
      mkdirSync(join(dir, B, 'us-east-1'), { recursive: true });
      writeFileSync(
        join(dir, B, 'us-east-1', 'events.json'),
        JSON.stringify(eventsDoc(B, rules, BUS)),
      );
    };
    const forwarded = analyze(
      [{ name: 'the-rule', pipeline: WEB, pattern }],
      withB([{ name: 'forward', pipeline: WEB, pattern: { source: ['aws.codecommit'] } }]),
    );
    expect(brief(forwarded, WEB, App)).toEqual(notStartedAcross);
    expect(links(forwarded, WEB, App)[0]!.why).toContain(
      `rule \`forward\` of \`${B}\` may send them there`,
    );
    const none = analyze(
      [{ name: 'the-rule', pipeline: WEB, pattern }],
      withB([{ name: 'forward', pipeline: WEB, pattern: { source: ['aws.ecr'] } }]),
    );
    expect(brief(none, WEB, App)).toEqual(notStartedAcross);
    expect(links(none, WEB, App)[0]!.missing![0]).toBe(
      `${B}/us-east-1/events.json (a rule on the default event bus that sends CodeCommit repository \`platform-web\`'s changes to \`${BUS}\`, which it does not hold)`,
    );
  });
});

describe('an EventPattern EventBridge does not take', () => {
  const App = 'Source/App';
  const AT = '/Rules/0/EventPattern';

  const cases: [string, string, string][] = [
    [
      'not JSON (the closing brace missing)',
      '{"source":["aws.codecommit"],"detail":{"referenceName":["dev"]}',
      'not valid JSON',
    ],
    ['not an object', '["aws.codecommit"]', 'is an array, not a JSON object'],
    [
      'a value that is not an array',
      '{"source":"aws.codecommit"}',
      '(at `/source` in the pattern)',
    ],
    [
      '$or that is not a list of patterns',
      '{"$or":{"source":["aws.codecommit"]}}',
      '`$or` must be a non-empty array',
    ],
  ];
  for (const [what, text, says] of cases)
    it(`${what}: an input error at its pointer, and the rule's links Unknown naming it (it was Allowed)`, () => {
      const report = one(WEB, text);
      const errors = report.problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => [p.id, p.file, p.pointer])).toEqual([
        ['snapshot.events.pattern-invalid', expect.stringContaining(EVENTS), AT],
      ]);
      expect(errors[0]!.message).toContain(says);
      expect(brief(report, WEB, App)).toEqual(notStarted(App));
      const link = links(report, WEB, App)[0]!;
      expect(link.why).toContain(
        'the event pattern of EventBridge rule `the-rule` could not be read',
      );
      expect(link.missing).toEqual([expect.stringContaining(`${EVENTS}#${AT}`)]);
    });

  it('beside a rule that starts the pipeline: that one is Allowed, this one Unknown', () => {
    const report = analyze([
      { name: 'a-broken', pipeline: WEB, pattern: '{"source":"aws.codecommit"}' },
      { name: 'b-push', pipeline: WEB, pattern: codecommit() },
    ]);
    expect(brief(report, WEB, App)).toEqual([
      `Allowed ${App}:trigger.assume-rule-role:sts:AssumeRole:rule/b-push`,
      `Allowed ${App}:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/b-push`,
      `Unknown ${App}:trigger.assume-rule-role:sts:AssumeRole:rule/a-broken`,
      `Unknown ${App}:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/a-broken`,
    ]);
  });
});

describe('anything-but on a field the event lacks', () => {
  it('does not match: the CloudTrail field and the notification field together match no event', () => {
    const Config = 'Source/Config';
    const pattern = (bucket: unknown) => ({
      source: ['aws.s3'],
      detail: { eventSource: ['s3.amazonaws.com'], bucket: { name: [bucket] } },
    });
    expect(
      brief(one(CONTAINERS, pattern({ 'anything-but': 'other' })), CONTAINERS, Config),
    ).toEqual(notStarted(Config));
    expect(brief(one(CONTAINERS, pattern(BUCKET)), CONTAINERS, Config)).toEqual(notStarted(Config));
  });
});

describe('when no rule starts the pipeline, the rules that target it are named, with why', () => {
  const App = 'Source/App';
  const why = (rules: TestRule[]): string => links(analyze(rules), WEB, App)[0]!.why ?? '';

  it('a DISABLED rule', () => {
    const text = why([{ name: 'r1', pipeline: WEB, pattern: codecommit(), state: 'DISABLED' }]);
    expect(text).toContain('(rule targeting it that was set aside: `r1` is DISABLED');
  });

  it('a rule whose pattern does not match, by the field that rules the change out', () => {
    const text = why([
      { name: 'r1', pipeline: WEB, pattern: codecommit({ referenceName: ['dev'] }) },
      {
        name: 'r2',
        pipeline: WEB,
        pattern: codecommit({ referenceType: ['tag'] }),
        state: 'DISABLED',
      },
      // a rule on another pipeline only is not named
      { name: 'r3', pipeline: CONTAINERS, pattern: codecommit() },
    ]);
    expect(text).toContain(
      '(rules targeting it that were set aside: `r1` has an event pattern that does not match these changes (`detail.referenceName`); `r2` is DISABLED',
    );
    expect(text).not.toContain('`r3`');
  });
});

describe('a rule listed without its Arn', () => {
  it('has the ARN AWS gives it, so a trust without conditions decides (it was Unknown)', () => {
    const report = one(WEB, codecommit(), { arn: false });
    expect(brief(report, WEB, 'Source/App')).toEqual(started('Source/App'));
  });

  it('its ARN names its account, Region, bus (but the default one) and name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-shapes-'));
    cpSync(SCENARIO, dir, { recursive: true });
    writeFileSync(
      join(dir, EVENTS),
      JSON.stringify(
        eventsDoc(A, [
          { name: 'on-default', pipeline: WEB, arn: false },
          { name: 'on-custom', pipeline: WEB, arn: false, bus: 'my-bus' },
        ]),
      ),
    );
    const rules = loadSnapshot(dir).accounts.get(A)!.regions.get('us-east-1')!.events!.rules;
    expect(rules.get('on-default')!.arn).toBe(`arn:aws:events:us-east-1:${A}:rule/on-default`);
    expect(rules.get('on-custom')!.arn).toBe(`arn:aws:events:us-east-1:${A}:rule/my-bus/on-custom`);
  });
});
