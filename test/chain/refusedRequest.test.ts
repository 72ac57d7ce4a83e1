/**
 * A link whose request the evaluator cannot take (a caller it cannot read) is Unknown, naming
 * the evaluator's reason: its "ImplicitlyDenied" names no policy and says nothing about what AWS
 * would decide, so it must not become a denied link with an empty explanation.
 */
import { describe, expect, it } from 'vitest';
import { buildPipelineLinks } from '../../src/chain/buildChain.js';
import { getCatalog } from '../../src/chain/catalog.js';
import { resolveLink } from '../../src/chain/resolveLink.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { listPipelines } from '../../src/model/queries.js';

describe('a request the evaluator refuses', () => {
  const model = loadSnapshot('fixtures/scenarios/pass-cross-account');
  const pipeline = listPipelines(model)[0]!;
  const specs = buildPipelineLinks(model, pipeline, getCatalog());
  const trust = specs.find((s) => s.requirement === 'pipeline.assume-service-role')!;

  it('the base: the pipeline trust link is allowed', () => {
    expect(resolveLink(model, trust).decision).toBe('Allowed');
  });

  it('a caller that is no principal: Unknown, naming why', () => {
    const link = resolveLink(model, {
      ...trust,
      principal: { kind: 'service', name: 'not a principal' },
    });
    expect(link.decision).toBe('Unknown');
    expect(link.deniedBy).toEqual([]);
    expect(link.why).toContain('could not be evaluated');
    expect(link.why).toContain(
      '`not a principal` is not an IAM ARN, account id or service principal',
    );
    expect(link.why).toContain('(request.principal.invalid)');
  });
});
