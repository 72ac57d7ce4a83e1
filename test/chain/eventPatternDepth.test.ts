/**
 * An EventBridge pattern nested 20,000 levels deep (no rule AWS accepts: patterns hold at most
 * 4,096 characters) overflowed the stack of `analyze` (an uncaught RangeError, exit 1, no
 * report). Past MAX_PATTERN_DEPTH a pattern is not compared: the rule may match, as for a
 * pattern that cannot be read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from './scenarioCopy.js';

const EVENTS = '111111111111/us-east-1/events.json';

function triggerDecisions(edit?: (pattern: string) => string): string[] {
  return inScenarioCopy('fixtures/demo', (dir) => {
    if (edit) {
      const file = join(dir, EVENTS);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { Rules: { EventPattern: string }[] };
      doc.Rules[0]!.EventPattern = edit(doc.Rules[0]!.EventPattern);
      writeFileSync(file, JSON.stringify(doc));
    }
    return analyzeModel(loadSnapshot(dir))
      .pipelines.flatMap((p) => p.links)
      .filter((l) => l.requirement.startsWith('trigger.'))
      .map((l) => `${l.requirement} ${l.decision}`);
  });
}

/** the demo's trigger links as they are: both allowed, so a rule read as not matching shows */
const PLAIN = ['trigger.assume-rule-role Allowed', 'trigger.start-pipeline-execution Allowed'];

describe('an EventBridge pattern nested deeper than any AWS accepts', () => {
  it('is analyzed without overflowing the stack, the rule counted as it may match', () => {
    expect(triggerDecisions()).toEqual(PLAIN);
    const n = 20_000;
    const deep = triggerDecisions(
      (p) => `${p.slice(0, -1)}, "x": ${'{"a":'.repeat(n)}["y"]${'}'.repeat(n)}}`,
    );
    expect(deep).toEqual(PLAIN);
  });

  it('nested $or lists too', () => {
    const n = 20_000;
    const deep = triggerDecisions(
      (p) => `${p.slice(0, -1)}, "$or": ${'[{"$or":'.repeat(n)}[{"a":["y"]}]${'}]'.repeat(n)}}`,
    );
    expect(deep).toEqual(PLAIN);
  });
});
