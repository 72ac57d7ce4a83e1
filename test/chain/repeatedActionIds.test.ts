/**
 * An action written many times over (a hostile or broken pipeline file: CodePipeline allows 50
 * actions per stage, each name once) gets links numbered `#2`, `#3`, ... in one pass: each copy
 * tried every number from 2 (quadratic; a stage of 20,000 copies took over fifteen minutes).
 */
import { describe, expect, it } from 'vitest';
import { buildPipelineLinks } from '../../src/chain/buildChain.js';
import { getCatalog } from '../../src/chain/catalog.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { listPipelines } from '../../src/model/queries.js';

describe('an action repeated thousands of times', () => {
  // the 60 s timeout is a hang guard (the quadratic numbering took minutes here), not a speed
  // measurement
  it('gets its links numbered in one pass, each copy the next number', () => {
    const model = loadSnapshot('fixtures/scenarios/boundary-missing-action');
    const pipeline = listPipelines(model)[0]!;
    const [first, ...rest] = pipeline.stages;
    const action = first!.actions[0]!;
    const copies = 6_000;
    const repeated = {
      ...pipeline,
      stages: [{ ...first!, actions: Array.from({ length: copies }, () => action) }, ...rest],
    };
    const once = buildPipelineLinks(
      model,
      { ...pipeline, stages: [{ ...first!, actions: [action] }, ...rest] },
      getCatalog(),
    );
    const specs = buildPipelineLinks(model, repeated, getCatalog());
    const ids = specs.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const own = once.filter((s) => s.action === action.name).map((s) => s.id);
    expect(own.length).toBeGreaterThan(0);
    for (const id of own) {
      expect(ids).toContain(id);
      expect(ids).toContain(`${id}#2`);
      expect(ids).toContain(`${id}#${copies}`);
      expect(ids).not.toContain(`${id}#${copies + 1}`);
    }
  }, 60_000);
});
