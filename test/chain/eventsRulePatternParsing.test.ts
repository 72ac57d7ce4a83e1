/**
 * A rule's event pattern is read only for the pipelines the rule targets (or when its targets
 * were not read), and once per rule however many source actions it is compared with: at 10,000
 * pipelines in a region, reading every rule's pattern for every source action was ~10^8 parses.
 * The decisions are those of eventsRulePatterns.test.ts; this only counts the reads.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Model } from '../../src/model/types.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';
const EVENTS = `${A}/us-east-1/events.json`;
const ROLE = `arn:aws:iam::${A}:role/service-role/platform-events-role`;

/** events.json with one rule per entry: its pattern (written as it is) and its pipeline. */
function model(rules: readonly { name: string; pattern: string; pipeline?: string }[]): Model {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-pattern-reads-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const events = {
    Rules: rules.map((r) => ({
      Name: r.name,
      Arn: `arn:aws:events:us-east-1:${A}:rule/${r.name}`,
      EventPattern: r.pattern,
      State: 'ENABLED',
      EventBusName: 'default',
    })),
    Targets: Object.fromEntries(
      rules
        .filter((r) => r.pipeline !== undefined)
        .map((r) => [
          r.name,
          [{ Id: 'p', Arn: `arn:aws:codepipeline:us-east-1:${A}:${r.pipeline}`, RoleArn: ROLE }],
        ]),
    ),
  };
  writeFileSync(join(dir, EVENTS), JSON.stringify(events));
  return loadSnapshot(dir);
}

/** How many times analyzing `m` parses each of `texts`. */
function reads(m: Model, texts: readonly string[]): number[] {
  const parse = vi.spyOn(JSON, 'parse');
  analyzeModel(m);
  const calls = parse.mock.calls.map((c) => c[0]);
  return texts.map((t) => calls.filter((c) => c === t).length);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('event pattern reads', () => {
  // distinct texts, so each rule's reads are counted apart (a field no source event has, in a
  // list of values, matches nothing: these rules start no source action)
  const other = JSON.stringify({ source: ['aws.ecr'], 'x-other': ['1'] });
  const own = JSON.stringify({ source: ['aws.ecr'], 'x-own': ['1'] });
  const unread = JSON.stringify({ source: ['aws.ecr'], 'x-unread': ['1'] });

  it('a rule targeting other pipelines only is not read; the others once each', () => {
    const m = model([
      { name: 'other', pattern: other, pipeline: 'no-such-pipeline' },
      // platform-containers has several source actions: the rule is compared with each
      { name: 'own', pattern: own, pipeline: 'platform-containers' },
      { name: 'unread', pattern: unread },
    ]);
    expect(reads(m, [other, own, unread])).toEqual([0, 1, 1]);
  });
});
