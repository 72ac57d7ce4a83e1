/**
 * events.json says which EventBridge rules start a pipeline, all of them: the crawl searches
 * every event bus of the account and region (list-rule-names-by-target without EventBusName
 * searches only the default one), and writes no events.json when a bus could not be searched.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawlToFolder, linkDecisions, scenarioCopy } from './helpers.js';

const EVENTS = '111111111111/us-east-1/events.json';
const START =
  'orders-api | Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution';

interface EventsJson {
  Rules: Record<string, unknown>[];
  Targets: Record<string, unknown[]>;
}

/** events-rule-role-wrong-pipeline with its rule moved to a custom bus. */
function onCustomBus(): string {
  const fixture = scenarioCopy('events-rule-role-wrong-pipeline');
  const path = join(fixture, EVENTS);
  const events = JSON.parse(readFileSync(path, 'utf8')) as EventsJson;
  expect(events.Rules).toHaveLength(1);
  events.Rules[0]!['EventBusName'] = 'ci-events';
  events.Rules[0]!['Arn'] =
    'arn:aws:events:us-east-1:111111111111:rule/ci-events/orders-api-main-branch';
  writeFileSync(path, JSON.stringify(events));
  return fixture;
}

describe('EventBridge rules on custom event buses', () => {
  it('a rule on a custom bus is crawled: the links it decides are the same after the crawl', async () => {
    const fixture = onCustomBus();
    const want = await linkDecisions(fixture);
    // CodeCommit's events go to the default bus, so a source rule on a custom bus does not start
    // the pipeline: Unknown, naming it (session 23; it was taken as the trigger, its link denied)
    expect(want[START]?.decision).toBe('Unknown');
    const { result, dir } = await crawlToFolder(fixture);
    expect(result.failures).toEqual([]);
    const written = JSON.parse(readFileSync(join(dir, EVENTS), 'utf8')) as EventsJson;
    expect(written.Rules.map((r) => [r['Name'], r['EventBusName']])).toEqual([
      ['orders-api-main-branch', 'ci-events'],
    ]);
    expect(await linkDecisions(dir)).toEqual(want);
  });

  it('buses that cannot be listed: no events.json, so the trigger links are Unknown naming it', async () => {
    const { result, dir } = await crawlToFolder(onCustomBus(), [
      { service: 'events', operation: 'ListEventBuses', kind: 'access-denied' },
    ]);
    expect(result.failures.map((f) => [f.operation, f.permission])).toEqual([
      ['ListEventBuses', 'events:ListEventBuses'],
    ]);
    expect(existsSync(join(dir, EVENTS))).toBe(false);
    const links = await linkDecisions(dir);
    const trigger = Object.entries(links).filter(([id]) => id.includes(':trigger.'));
    expect(trigger.length).toBeGreaterThan(0);
    for (const [, l] of trigger) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toContain(EVENTS);
    }
  });

  it('rules of one name on two buses cannot both be written: no events.json, and a failure says why', async () => {
    const fixture = scenarioCopy('events-rule-role-wrong-pipeline');
    const path = join(fixture, EVENTS);
    const events = JSON.parse(readFileSync(path, 'utf8')) as EventsJson;
    events.Rules.push({ ...events.Rules[0], EventBusName: 'ci-events' });
    writeFileSync(path, JSON.stringify(events));
    const { result, dir } = await crawlToFolder(fixture);
    expect(result.failures.map((f) => [f.subject, f.errorCode])).toEqual([
      ['EventBridge rule `orders-api-main-branch`', 'DuplicateRuleName'],
    ]);
    expect(existsSync(join(dir, EVENTS))).toBe(false);
  });
});
