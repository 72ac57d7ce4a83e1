/**
 * A source in another account than the pipeline sends its changes to that account's default
 * event bus: a rule of the pipeline's account sees them only if a rule there sends them on and
 * the receiving bus's policy lets that account put events on it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html). Neither is
 * in a snapshot of the pipeline's account, so the trigger stays Unknown (eventsRuleEventShapes:
 * "a source in another account than the pipeline"). For templates it named a snapshot file,
 * `222222222222/us-east-1/events.json`, and a bus policy "which a snapshot does not hold": what
 * would settle it there is a stack of the source's account (the AWS CDK puts the sending rule in
 * the source's stack) and the bus policy, which the AWS CDK writes as an
 * AWS::Events::EventBusPolicy of a support stack.
 *
 * permchain did not read AWS::Events::EventBusPolicy ("which permchain does not read from
 * templates"), so the bus policy left every such trigger Unknown even where the templates write
 * it. It now reads both forms
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-eventbuspolicy.html):
 * the legacy `Action`, `Principal`, `StatementId`, `Condition` (the AWS CDK's) and `Statement`;
 * and a link of its own, `trigger.cross-account-put-events`, checks the bus policy for the source's
 * account: Allowed when it lets that account put events, denied when it does not, Unknown when
 * no input gives it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { demoWithRoles, overDemo } from '../load/templates/demoOverlay.js';
import { eventsRuleRole, eventsTriggerLinks } from './eventsRuleRole.js';

const BUS = 'arn:aws:events:us-east-1:111111111111:event-bus/default';
const PUT = 'trigger.cross-account-put-events';

/**
 * settings.yaml's S3 source on a bucket of account 222222222222 (its role's), with a rule, and
 * `extra` resources and parameters.
 */
function crossAccount(
  extra: readonly string[] = [],
  parameters: readonly string[] = [],
  conditions: readonly string[] = [],
) {
  return eventsTriggerLinks(
    [
      ...eventsRuleRole(),
      '  OnChange:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      Name: app-on-change',
      '      EventPattern: { source: [aws.s3] }',
      '      Targets:',
      '        - Id: app',
      '          Arn: !Sub "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"',
      '          RoleArn: !GetAtt RuleRole.Arn',
      ...extra,
    ],
    parameters,
    (t) =>
      t
        .replace(
          '              Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip }',
          '              RoleArn: arn:aws:iam::222222222222:role/src-role\n' +
            '              Configuration: { S3Bucket: other-bucket, S3ObjectKey: src.zip, PollForSourceChanges: "false" }',
        )
        .replace('\nResources:\n', `\n${conditions.map((c) => `${c}\n`).join('')}Resources:\n`),
  );
}

const crossAccountLinks = () => crossAccount().links;

/** the AWS CDK's support stack resource: the legacy form, on the default bus */
const cdkPolicy = (principal: string, extra: readonly string[] = []): string[] => [
  '  GivePermToOtherAccount:',
  '    Type: AWS::Events::EventBusPolicy',
  '    Properties:',
  '      Action: events:PutEvents',
  `      Principal: "${principal}"`,
  `      StatementId: Allow-account-${principal}`,
  ...extra,
];

const putLink = (
  extra: readonly string[],
  parameters: readonly string[] = [],
  conditions: readonly string[] = [],
) => {
  const { links, problems } = crossAccount(extra, parameters, conditions);
  const put = links.filter((l) => l.requirement === PUT);
  expect(put).toHaveLength(1);
  return { put: put[0]!, links, problems };
};

describe("a template source in another account, started by a rule of the pipeline's account", () => {
  it('is Unknown, naming a stack of the source account and the bus policy, not snapshot files', () => {
    const links = crossAccountLinks();
    expect(links.map((l) => [l.requirement, l.decision])).toEqual([
      ['trigger.assume-rule-role', 'Unknown'],
      ['trigger.start-pipeline-execution', 'Unknown'],
      [PUT, 'Unknown'],
    ]);
    const busPolicy = `the resource policy of event bus \`${BUS}\` (an AWS::Events::EventBusPolicy letting \`222222222222\` put events on it, which the templates do not hold; \`aws events describe-event-bus\` in \`111111111111\`)`;
    for (const l of links.filter((x) => x.requirement !== PUT)) {
      expect(l.why).toContain('S3 bucket `other-bucket` is in account `222222222222`');
      expect(l.missing).toEqual([
        `a template of account \`222222222222\` in \`us-east-1\` with an AWS::Events::Rule on its default event bus that sends S3 bucket \`other-bucket\`'s changes to \`${BUS}\` (the input has no stack of that account and Region)`,
        busPolicy,
      ]);
      expect(l.why).not.toContain('events.json');
      expect(l.why).not.toContain('a snapshot does not hold');
    }
    // the bus policy's own link: account 222222222222 putting the changes on the bus
    const put = links.find((l) => l.requirement === PUT)!;
    expect([put.principal, put.permission, put.resource]).toEqual([
      'arn:aws:iam::222222222222:root',
      'events:PutEvents',
      BUS,
    ]);
    expect(put.missing).toEqual([
      `the resource policy of event bus \`${BUS}\` (an AWS::Events::EventBusPolicy on it, which the templates do not hold; \`aws events describe-event-bus\` in \`111111111111\`)`,
    ]);
  });
});

describe('an AWS::Events::EventBusPolicy of the templates', () => {
  it("the AWS CDK's (Action, Principal, StatementId) letting the source's account put events: Allowed, by its statement (it was Unknown)", () => {
    const { put, links, problems } = putLink(cdkPolicy('222222222222'));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(put.decision).toBe('Allowed');
    expect(put.allowedBy).toEqual([
      expect.objectContaining({
        policyType: 'resource',
        policy: BUS,
        statement: 'Allow-account-222222222222',
      }),
    ]);
    // the trigger links no longer name the bus policy: its own link decides it
    for (const l of links.filter((x) => x.requirement !== PUT)) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toHaveLength(1);
      expect(l.missing![0]).toContain('a template of account `222222222222`');
    }
  });

  it("one for another account only: Unknown, naming the rest of the bus's policy, which the templates do not write", () => {
    // an EventBusPolicy adds one statement to the default bus's policy (as PutPermission does):
    // other stacks or put-permission may have let the account in, so what the templates write
    // decides an allow, not a denial (it was ImplicitlyDenied)
    const { put } = putLink(cdkPolicy('333333333333'));
    expect(put.decision).toBe('Unknown');
    expect(put.missing).toEqual([
      `the statements of the resource policy of event bus \`${BUS}\` that the templates do not write (\`aws events describe-event-bus\` in \`111111111111\`)`,
    ]);
    expect(put.why).toContain('that the templates do not write');
  });

  it('the Statement form: allowed by it, denied by a Deny of it', () => {
    const statement = (effect: string): string[] => [
      '  BusPolicy:',
      '    Type: AWS::Events::EventBusPolicy',
      '    Properties:',
      '      EventBusName: default',
      '      StatementId: FromSource',
      '      Statement:',
      `        Effect: ${effect}`,
      '        Principal: { AWS: "arn:aws:iam::222222222222:root" }',
      '        Action: events:PutEvents',
      '        Resource: !Sub "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"',
    ];
    const allowed = putLink(statement('Allow')).put;
    expect(allowed.decision).toBe('Allowed');
    expect(allowed.allowedBy).toEqual([expect.objectContaining({ statement: 'FromSource' })]);
    const denied = putLink([...statement('Deny'), ...cdkPolicy('222222222222')]).put;
    expect(denied.decision).toBe('ExplicitlyDenied');
    expect(denied.deniedBy).toEqual([expect.objectContaining({ statement: 'FromSource' })]);
  });

  it('the Statement form written as a JSON text, without Resource: a statement of the bus, its Sid the StatementId', () => {
    const { put } = putLink([
      '  BusPolicy:',
      '    Type: AWS::Events::EventBusPolicy',
      '    Properties:',
      '      StatementId: AsText',
      `      Statement: '{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "events:PutEvents"}'`,
    ]);
    expect(put.decision).toBe('Allowed');
    expect(put.allowedBy).toEqual([expect.objectContaining({ statement: 'AsText' })]);
  });

  it('beside a nested stack, whose template is not read and may write a statement of it: Unknown, naming the stack', () => {
    const { put } = putLink([
      ...cdkPolicy('222222222222'),
      '  Nested:',
      '    Type: AWS::CloudFormation::Stack',
      '    Properties:',
      '      TemplateURL: https://example.com/nested.yaml',
    ]);
    expect(put.decision).toBe('Unknown');
    expect(put.missing).toEqual([expect.stringMatching(/template\.yaml#\/Resources\/Nested$/)]);
  });

  it("on another bus than the rule's: the rule's bus policy is still not given (Unknown)", () => {
    const { put } = putLink([...cdkPolicy('222222222222'), '      EventBusName: other-bus']);
    expect(put.decision).toBe('Unknown');
    expect(put.missing![0]).toContain(`the resource policy of event bus \`${BUS}\``);
  });

  it('one CloudFormation may or may not create (a Condition not known): Unknown, naming it', () => {
    // it would deny: read without it, the link was denied
    const { put, problems } = putLink(
      [
        ...cdkPolicy('333333333333').slice(0, 2),
        '    Condition: Maybe',
        ...cdkPolicy('333333333333').slice(2),
      ],
      ['Flag'],
      ['Conditions:', '  Maybe: !Equals [!Ref Flag, "yes"]'],
    );
    // (Flag has no value: an input error, as any parameter without one)
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.id)).toEqual([
      'template.parameter.missing',
    ]);
    expect(put.decision).toBe('Unknown');
    expect(put.missing).toEqual([
      expect.stringMatching(/template\.yaml#\/Resources\/GivePermToOtherAccount\/Condition$/),
    ]);
  });

  it('a Principal the template does not settle: Unknown where the others do not allow', () => {
    const { put } = putLink(
      [
        '  BusPolicy:',
        '    Type: AWS::Events::EventBusPolicy',
        '    Properties:',
        '      Action: events:PutEvents',
        '      Principal: !Ref Sender',
        '      StatementId: from-sender',
      ],
      ['Sender'],
    );
    expect(put.decision).toBe('Unknown');
  });

  it('an organization (Principal "*", Condition aws:PrincipalOrgID): the account itself is not admitted, a sender with a role may be: Unknown', () => {
    const { put } = putLink(
      cdkPolicy('*', [
        '      Condition:',
        '        Type: StringEquals',
        '        Key: aws:PrincipalOrgID',
        '        Value: o-exampleorg1',
      ]),
    );
    expect(put.decision).toBe('Unknown');
    expect(put.missing!.join(' ')).toContain("its target's `RoleArn`");
  });
});

describe('an AWS::Events::EventBusPolicy laid over a snapshot', () => {
  // the demo snapshot, its CodeCommit source run as a role of 222222222222 (the repository is
  // that account's), its rule matching that repository; a snapshot holds no bus policy
  function demoAcross(principal: string) {
    const template = {
      Resources: {
        GivePermToOtherAccount: {
          Type: 'AWS::Events::EventBusPolicy',
          Properties: {
            Action: 'events:PutEvents',
            Principal: principal,
            StatementId: `Allow-account-${principal}`,
          },
        },
      },
    };
    const { dir, template: file } = demoWithRoles(
      'bus-policy-over-',
      'demo-build-role',
      [],
      template,
    );
    const pipelineFile = join(dir, '111111111111', 'us-east-1', 'codepipeline', 'demo-app.json');
    const doc = JSON.parse(readFileSync(pipelineFile, 'utf8')) as {
      pipeline: { stages: { actions: Record<string, unknown>[] }[] };
    };
    doc.pipeline.stages[0]!.actions[0]!['roleArn'] =
      'arn:aws:iam::222222222222:role/cc-source-role';
    writeFileSync(pipelineFile, JSON.stringify(doc));
    const eventsFile = join(dir, '111111111111', 'us-east-1', 'events.json');
    writeFileSync(
      eventsFile,
      readFileSync(eventsFile, 'utf8').replace(
        'codecommit:us-east-1:111111111111:demo-app',
        'codecommit:us-east-1:222222222222:demo-app',
      ),
    );
    try {
      const snapshotOnly = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
      const over = analyzeModel(overDemo(dir, file)).pipelines[0]!.links;
      const put = (links: typeof over) => links.filter((l) => l.requirement === PUT);
      return { snapshot: put(snapshotOnly), over: put(over) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('decides the link the snapshot alone leaves Unknown (the snapshot format has no bus policy file)', () => {
    const allowed = demoAcross('222222222222');
    expect(allowed.snapshot.map((l) => l.decision)).toEqual(['Unknown']);
    expect(allowed.snapshot[0]!.missing).toEqual([
      `the resource policy of event bus \`${BUS}\` (\`aws events describe-event-bus\` in \`111111111111\`), which a snapshot does not hold`,
    ]);
    expect(allowed.over.map((l) => l.decision)).toEqual(['Allowed']);
    expect(demoAcross('333333333333').over.map((l) => l.decision)).toEqual(['Unknown']);
  });
});
