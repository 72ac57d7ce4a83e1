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
 * AWS::Events::EventBusPolicy of a support stack and permchain does not read.
 */
import { describe, expect, it } from 'vitest';
import { eventsRuleRole, eventsTriggerLinks } from './eventsRuleRole.js';

const BUS = 'arn:aws:events:us-east-1:111111111111:event-bus/default';

/** settings.yaml's S3 source on a bucket of account 222222222222 (its role's), with a rule. */
function crossAccountLinks() {
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
    ],
    [],
    (t) =>
      t.replace(
        '              Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip }',
        '              RoleArn: arn:aws:iam::222222222222:role/src-role\n' +
          '              Configuration: { S3Bucket: other-bucket, S3ObjectKey: src.zip, PollForSourceChanges: "false" }',
      ),
  ).links;
}

describe("a template source in another account, started by a rule of the pipeline's account", () => {
  it('is Unknown, naming a stack of the source account and the bus policy, not snapshot files', () => {
    const links = crossAccountLinks();
    expect(links.map((l) => [l.requirement, l.decision])).toEqual([
      ['trigger.assume-rule-role', 'Unknown'],
      ['trigger.start-pipeline-execution', 'Unknown'],
    ]);
    for (const l of links) {
      expect(l.why).toContain('S3 bucket `other-bucket` is in account `222222222222`');
      expect(l.missing).toEqual([
        `a template of account \`222222222222\` in \`us-east-1\` with an AWS::Events::Rule on its default event bus that sends S3 bucket \`other-bucket\`'s changes to \`${BUS}\` (the input has no stack of that account and Region)`,
        `the resource policy of event bus \`${BUS}\` (an AWS::Events::EventBusPolicy letting \`222222222222\` put events on it, which permchain does not read from templates; \`aws events describe-event-bus\` in \`111111111111\`)`,
      ]);
      expect(l.why).not.toContain('events.json');
      expect(l.why).not.toContain('a snapshot does not hold');
    }
  });
});
