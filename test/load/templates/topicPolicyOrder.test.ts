/**
 * Laid over a snapshot, a template topic policy for a snapshot topic replaces its policy; a
 * topic policy whose `Topics` the template does not settle may write any topic of the region, so
 * every topic's policy is unknown, whatever else the templates write (the same rule as within
 * the templates, templateResources finishUnsettled).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';

const SNAPSHOT = 'fixtures/scenarios/manual-approval-no-sns-publish';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:orders-api-approvals';

const policy = (sid: string) => `
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: ${sid}
            Effect: Deny
            Principal: "*"
            Action: sns:Publish
            Resource: "*"`;

function topic(withUnsettled: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-topic-order-'));
  try {
    const file = join(dir, 't.yaml');
    writeFileSync(
      file,
      `Parameters:
  Other: { Type: AWS::SSM::Parameter::Value<String>, Default: /x }
Resources:
  Known:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: ["${TOPIC}"]${policy('FromTemplate')}
${
  withUnsettled
    ? `  Open:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Other]${policy('Open')}
`
    : ''
}`,
    );
    const { model } = loadSingleTemplate(file, { account: '111111111111', region: 'us-east-1' });
    const merged = mergeModels(loadSnapshot(SNAPSHOT), model);
    return merged.accounts
      .get('111111111111')!
      .regions.get('us-east-1')!
      .snsTopics.get('orders-api-approvals')!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('topic policies of templates over a snapshot topic', () => {
  it("a known one replaces the snapshot's", () => {
    expect(topic(false).policy?.statements[0]?.sid).toBe('FromTemplate');
  });

  it('one whose Topics are not settled leaves the policy unknown, even beside a known one', () => {
    const t = topic(true);
    expect(t.policy).toBeUndefined();
    expect(t.policyUnknownAt).toMatch(/#\/Resources\/Open\/Properties\/Topics/);
  });
});
