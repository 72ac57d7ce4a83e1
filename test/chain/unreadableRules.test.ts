/**
 * An EventBridge rule of events.json that cannot be read in full (a `ScheduleExpression`,
 * `EventPattern` or `State` that is not a string) leaves its trigger links Unknown. Their why says
 * the rule could not be read and names the place in the file, not that its state "is not
 * settled" (which is about a value a template does not settle); a rule listed twice says so.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const A = '111111111111';
const EVENTS = `${A}/us-east-1/events.json`;
const PIPELINE_ARN = `arn:aws:codepipeline:us-east-1:${A}:orders-api`;
const RULE = {
  Name: 'orders-api-nightly',
  Arn: `arn:aws:events:us-east-1:${A}:rule/orders-api-nightly`,
  ScheduleExpression: 'rate(1 day)',
  State: 'ENABLED',
  EventBusName: 'default',
};

/** The schedule links of orders-api with `rules` added to events.json, and the first's index. */
function scheduleLinks(...rules: Json[]): { links: ReportLink[]; at: number } {
  let at = 0;
  const links = inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(join(dir, EVENTS), (doc) => {
      const list = doc['Rules'] as Json[];
      at = list.length;
      list.push(...rules);
      (doc['Targets'] as Json)['orders-api-nightly'] = [
        { Id: 'orders-api', Arn: PIPELINE_ARN, RoleArn: `arn:aws:iam::${A}:role/nightly` },
      ];
    });
    const p = analyzeModel(loadSnapshot(dir)).pipelines.find((x) => x.name === 'orders-api')!;
    return p.links.filter((l) => l.requirement.startsWith('trigger.schedule-'));
  });
  expect(links.length).toBeGreaterThan(0);
  return { links, at };
}

describe('the schedule links of an EventBridge rule that cannot be read', () => {
  for (const key of ['ScheduleExpression', 'State'] as const) {
    it(`say the rule could not be read, naming its file (${key} not a string)`, () => {
      const { links, at } = scheduleLinks({ ...RULE, [key]: 42 });
      const place = `${EVENTS}#/Rules/${at}/${key}`;
      for (const l of links) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.why).toContain(
          `EventBridge rule \`orders-api-nightly\` could not be read (\`${place}\`), so whether it starts the pipeline is not known`,
        );
        expect(l.why).not.toContain('is not settled');
        expect(l.missing).toEqual([`${place} (not readable)`]);
      }
    });
  }

  it('of a rule listed twice say so, naming the first copy', () => {
    const { links, at } = scheduleLinks(RULE, { ...RULE });
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain(
        `EventBridge rule \`orders-api-nightly\` is listed more than once (\`${EVENTS}#/Rules/${at}\`), and which copy is real is not known, so whether it starts the pipeline is not known`,
      );
    }
  });
});
