/**
 * An EventBridge rule's EventPattern (JSON text in events.json) with a member name twice in one
 * object was read by JSON.parse as its last member, silently, while EventBridge may read it
 * another way or refuse it. It is an input error at the EventPattern, and the pattern is a
 * placeholder: which changes the rule matches is not known, so its trigger links are Unknown,
 * naming the pattern (not Allowed as if it matched any change: EventBridge may read the other
 * member), never dropped on the last member. A pattern that is not JSON is an input error too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { isPlaceholder } from '../../src/model/placeholders.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const A = '111111111111';
const EVENTS = `${A}/us-east-1/events.json`;
const RULE = 'orders-api-main-branch';
const ID = 'snapshot.events.pattern-duplicate-key';
const AT = '/Rules/0/EventPattern';

// the scenario's pattern, which matches the pipeline's CodeCommit source on `main`
const HEAD = `"source":["aws.codecommit"],"detail-type":["CodeCommit Repository State Change"],"resources":["arn:aws:codecommit:us-east-1:${A}:orders-api"]`;
const DETAIL = `"event":["referenceCreated","referenceUpdated"],"referenceType":["branch"],"referenceName":["main"]`;
const MATCHING = `{${HEAD},"detail":{${DETAIL}}}`;
// the last member of each duplicate matches none of the source's changes
const TOP_TWICE = `{${HEAD},"detail":{${DETAIL}},"source":["aws.s3"]}`;
const NESTED_TWICE = `{${HEAD},"detail":{${DETAIL},"referenceName":["no-such-branch"]}}`;
const NOT_MATCHING = `{"source":["aws.s3"]}`;

function analyze(pattern: string) {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(join(dir, EVENTS), (doc) => {
      (doc['Rules'] as Json[])[0]!['EventPattern'] = pattern;
    });
    const model = loadSnapshot(dir);
    const rule = model.accounts.get(A)!.regions.get('us-east-1')!.events!.rules.get(RULE)!;
    const report = analyzeModel(model);
    const triggers = report.pipelines[0]!.links.filter((l) =>
      l.requirement.startsWith('trigger.'),
    ).map((l) => `${l.decision} ${l.requirement}`);
    const problems = model.problems
      .filter((p) => p.id === ID)
      .map((p) => [p.file, p.pointer, p.severity]);
    return { rule, triggers, problems, all: model.problems };
  });
}

const CHECKED = ['Allowed trigger.assume-rule-role', 'Allowed trigger.start-pipeline-execution'];
const UNKNOWN = ['Unknown trigger.assume-rule-role', 'Unknown trigger.start-pipeline-execution'];

describe('an EventPattern with a member name twice', () => {
  it('is an input error at the EventPattern, and the rule may match: its links are Unknown', () => {
    const { rule, triggers, problems, all } = analyze(TOP_TWICE);
    expect(problems).toEqual([[EVENTS, AT, 'error']]);
    expect(all.find((p) => p.id === ID)!.message).toContain('`source`');
    expect(isPlaceholder(rule.eventPattern!)).toBe(true);
    expect(rule.state).toBe('ENABLED');
    expect(triggers).toEqual(UNKNOWN);
  });

  it('is found in a nested object too', () => {
    const { triggers, problems, all } = analyze(NESTED_TWICE);
    expect(problems).toEqual([[EVENTS, AT, 'error']]);
    expect(all.find((p) => p.id === ID)!.message).toContain('`/detail/referenceName`');
    expect(triggers).toEqual(UNKNOWN);
  });
});

describe('an EventPattern without a member name twice', () => {
  it('is read as it is: a pattern that matches the source starts the pipeline', () => {
    const { rule, triggers, problems } = analyze(MATCHING);
    expect(problems).toEqual([]);
    expect(rule.eventPattern).toBe(MATCHING);
    expect(triggers).toEqual(CHECKED);
  });

  it('is read as it is: a pattern that matches no change of the source does not', () => {
    const { triggers, problems } = analyze(NOT_MATCHING);
    expect(problems).toEqual([]);
    expect(triggers).not.toEqual(CHECKED);
  });

  it('that is not JSON is no duplicate error, but an input error of its own', () => {
    const { rule, triggers, problems, all } = analyze('{"source":');
    expect(problems).toEqual([]);
    expect(
      all
        .filter((p) => p.id === 'snapshot.events.pattern-invalid')
        .map((p) => [p.file, p.pointer, p.severity]),
    ).toEqual([[EVENTS, AT, 'error']]);
    expect(isPlaceholder(rule.eventPattern!)).toBe(true);
    expect(triggers).toEqual(UNKNOWN);
  });
});
