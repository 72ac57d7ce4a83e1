/**
 * Metamorphic test of the whole analysis: each scenario fixture (and the demo) is analyzed,
 * then copies of it are changed by seeded mutations whose effect is known without knowing the
 * right answer (mutations.ts): removing a deny, adding an allow or removing a condition from one
 * never denies a link that was allowed; removing an allow or an input file, adding a deny or
 * removing a condition from one never allows a link that was not; an explicit `Deny *` in a
 * role's identity policies explicitly denies each of its allowed links; writing a policy in
 * another encoding, in another statement order, with action or condition key names in another
 * case, split one action per statement or twice over changes no decision, and neither does the
 * order of a file's JSON members or of the lists of iam.json (each a set).
 *
 * `META_RUNS=N` draws N mutations per fixture instead of the suite's few (a wider sweep, by hand;
 * `META_SEED=S` another seed).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Report } from '../../src/report/types.js';
import { REPO_ROOT, SCENARIOS_DIR, scenarioNames } from '../scenarios/helpers.js';
import { decisions, mutate, random, violations } from './mutations.js';

const RUNS = Number(process.env['META_RUNS'] ?? 6);
const SEED = Number(process.env['META_SEED'] ?? 20261206);

const FIXTURES = ['fixtures/demo', ...scenarioNames().map((n) => `${SCENARIOS_DIR}/${n}`)];

describe('metamorphic: mutations with a known effect on every decision', () => {
  FIXTURES.forEach((fixture, index) => {
    it(`holds on ${fixture}`, async () => {
      const before = await decisions(fixture);
      expect(before.size).toBeGreaterThan(0);
      const rnd = random(SEED + index);
      const work = mkdtempSync(join(tmpdir(), 'permchain-metamorphic-'));
      try {
        let done = 0;
        for (let attempt = 0; done < RUNS && attempt < RUNS * 10; attempt++) {
          const copy = join(work, String(attempt));
          cpSync(join(REPO_ROOT, fixture), copy, { recursive: true });
          const applied = mutate(copy, rnd);
          if (!applied) continue;
          done++;
          const found = violations(before, await decisions(copy), applied);
          expect(found, `${fixture}: ${applied.what}`).toEqual([]);
        }
        expect(done).toBe(RUNS);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
});

describe('metamorphic: a pipeline analyzed alone', () => {
  // the analysis caches what one link learns for the next (a role's or a resource's side of a
  // request, compiled policies, lookups): a pipeline analyzed on its own (a fresh load, so
  // nothing the other pipelines' links learned is cached) and among the others must be reported
  // the same
  it.each(FIXTURES)('is reported as in the whole run: %s', async (fixture) => {
    const whole = memoryIo(REPO_ROOT);
    await main(['node', 'permchain', 'analyze', fixture, '--format', 'json'], whole);
    const report = JSON.parse(whole.out) as Report;
    expect(report.pipelines.length).toBeGreaterThan(0);
    for (const p of report.pipelines) {
      const io = memoryIo(REPO_ROOT);
      await main(
        ['node', 'permchain', 'analyze', fixture, '--format', 'json', '--pipeline', p.arn],
        io,
      );
      expect((JSON.parse(io.out) as Report).pipelines).toEqual([p]);
    }
  });
});
