/**
 * An EventBridge pattern nested 20,000 levels deep (no rule AWS accepts: patterns hold at most
 * 4,096 characters) overflowed the stack of `analyze` (an uncaught RangeError, exit 1, no
 * report). Past MAX_PATTERN_DEPTH a pattern is not compared: the rule may match, as for a
 * pattern that cannot be read.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const EVENTS = '111111111111/us-east-1/events.json';

function triggerDecisions(edit?: (pattern: string) => string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-deep-pattern-'));
  cpSync('fixtures/demo', dir, { recursive: true });
  if (edit) {
    const file = join(dir, EVENTS);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { Rules: { EventPattern: string }[] };
    doc.Rules[0]!.EventPattern = edit(doc.Rules[0]!.EventPattern);
    writeFileSync(file, JSON.stringify(doc));
  }
  const report = analyzeModel(loadSnapshot(dir));
  return report.pipelines
    .flatMap((p) => p.links)
    .filter((l) => l.requirement.startsWith('trigger.'))
    .map((l) => `${l.requirement} ${l.decision}`);
}

describe('an EventBridge pattern nested deeper than any AWS accepts', () => {
  it('is analyzed without overflowing the stack, the rule counted as it may match', () => {
    const plain = triggerDecisions();
    expect(plain.length).toBeGreaterThan(0);
    const n = 20_000;
    const deep = triggerDecisions(
      (p) => `${p.slice(0, -1)}, "x": ${'{"a":'.repeat(n)}["y"]${'}'.repeat(n)}}`,
    );
    expect(deep).toEqual(plain);
  });

  it('nested $or lists too', () => {
    const n = 20_000;
    const deep = triggerDecisions(
      (p) => `${p.slice(0, -1)}, "$or": ${'[{"$or":'.repeat(n)}[{"a":["y"]}]${'}]'.repeat(n)}}`,
    );
    expect(deep).toEqual(triggerDecisions());
  });
});
