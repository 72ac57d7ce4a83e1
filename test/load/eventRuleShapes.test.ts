/**
 * An EventBridge rule of events.json whose ScheduleExpression (or EventPattern) is there but not
 * a string was read as having none, so its schedule links disappeared. It is an input error at
 * its pointer, and the rule's links are Unknown naming it, as for a State that cannot be read.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const A = '111111111111';
const EVENTS = `${A}/us-east-1/events.json`;
const PIPELINE_ARN = `arn:aws:codepipeline:us-east-1:${A}:orders-api`;

function analyze(key: string, bad: unknown) {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    let at = '';
    editJson(join(dir, EVENTS), (doc) => {
      const rules = doc['Rules'] as Json[];
      at = `/Rules/${rules.length}/${key}`;
      rules.push({
        Name: 'orders-api-nightly',
        Arn: `arn:aws:events:us-east-1:${A}:rule/orders-api-nightly`,
        [key]: bad,
        State: 'ENABLED',
        EventBusName: 'default',
      } as Json);
      (doc['Targets'] as Json)['orders-api-nightly'] = [
        { Id: 'orders-api', Arn: PIPELINE_ARN, RoleArn: `arn:aws:iam::${A}:role/nightly` },
      ];
    });
    const report = analyzeModel(loadSnapshot(dir));
    const p = report.pipelines.find((x) => x.name === 'orders-api')!;
    return { report, p, at };
  });
}

describe('an events rule with a ScheduleExpression or EventPattern that is not a string', () => {
  it('is an input error at the ScheduleExpression, and the schedule links are Unknown', () => {
    const { report, p, at } = analyze('ScheduleExpression', 42);
    expect(
      report.problems
        .filter((x) => x.severity === 'error')
        .map((x) => [x.file?.endsWith(EVENTS), x.pointer]),
    ).toContainEqual([true, at]);
    const links = p.links.filter((l) => l.requirement.startsWith('trigger.schedule-'));
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.decision === 'Unknown')).toBe(true);
  });

  it('is an input error at the EventPattern', () => {
    const { report, at } = analyze('EventPattern', { source: ['aws.codecommit'] });
    expect(
      report.problems
        .filter((x) => x.severity === 'error')
        .map((x) => [x.file?.endsWith(EVENTS), x.pointer]),
    ).toContainEqual([true, at]);
  });
});
