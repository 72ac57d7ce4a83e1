import { describe, expect, it } from 'vitest';
import { buildPipelineLinks } from '../../src/chain/buildChain.js';
import { getCatalog } from '../../src/chain/catalog.js';
import { resolveLink, resolveLinkKept, resolveLinkOnce } from '../../src/chain/resolveLink.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { listPipelines } from '../../src/model/queries.js';

// Link building resolves some specs itself (to choose between two documented resources); the
// analysis then gets the same answer without resolving them again.
describe('resolveLinkOnce', () => {
  const dir = 'fixtures/scenarios/pass-cross-account';
  const model = loadSnapshot(dir);
  const pipeline = listPipelines(model)[0]!;
  const specs = buildPipelineLinks(model, pipeline, getCatalog());

  it('answers as resolveLink does; an answer kept while building is taken once', () => {
    expect(specs.length).toBeGreaterThan(10);
    for (const spec of specs) {
      const kept = resolveLinkKept(model, spec);
      expect(kept).toEqual(resolveLink(model, spec));
      expect(resolveLinkOnce(model, spec)).toBe(kept);
      // taken: asked again, it is resolved again, to the same answer
      const again = resolveLinkOnce(model, spec);
      expect(again).not.toBe(kept);
      expect(again).toEqual(kept);
    }
  });

  it('an answer kept for one model is not given for another', () => {
    const other = loadSnapshot(dir);
    const spec = specs[0]!;
    const mine = resolveLinkKept(model, spec);
    const theirs = resolveLinkOnce(other, spec);
    expect(theirs).not.toBe(mine);
    expect(theirs).toEqual(mine);
  });
});
