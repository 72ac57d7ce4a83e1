/**
 * The evaluator's caches must never change an answer. Generated requests are re-combined so that
 * the same policy objects meet many different principals, actions, resources and contexts (as in
 * an analysis), in an order that jumps between them, and every answer must equal the answer for
 * a fresh copy of the request (parsed and compiled anew, nothing cached): the same decision, the
 * same reasons, the same problems.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';
import { DOCUMENT_FIELDS, generateCases } from './generator.js';

/** Request i takes the documents of request (i * 7) mod sets, in a scrambled order. */
function reuse(requests: readonly EvaluationRequest[], sets: number): EvaluationRequest[] {
  return requests.map((r, i) => {
    const d = requests[(i * 7) % sets]! as unknown as Record<string, unknown>;
    const out = { ...r } as unknown as Record<string, unknown>;
    for (const k of DOCUMENT_FIELDS) {
      if (d[k] === undefined) delete out[k];
      else out[k] = d[k];
    }
    return out as unknown as EvaluationRequest;
  });
}

describe('cached and fresh evaluations agree', () => {
  it.each([11, 12])(
    'on 3,000 requests sharing 50 sets of documents, three passes (seed %i)',
    (seed) => {
      const requests = reuse(
        generateCases(seed, 3000).map((c) => c.request),
        50,
      );
      const fresh = requests.map((r) => evaluate(structuredClone(r)));
      let decided = 0;
      for (let pass = 0; pass < 3; pass++) {
        // each pass in another order, so the per-document slots see other sequences
        const order = requests.map((_, i) => (pass === 1 ? requests.length - 1 - i : i));
        if (pass === 2) order.sort((a, b) => ((a * 31) % 97) - ((b * 31) % 97));
        for (const i of order) {
          const cached = evaluate(requests[i]!);
          if (JSON.stringify(cached) !== JSON.stringify(fresh[i])) {
            expect({ case: i, pass, result: cached }).toEqual({ case: i, pass, result: fresh[i] });
          }
          if (cached.decision === 'Allowed') decided++;
        }
      }
      // the mix reaches every decision
      expect(decided).toBeGreaterThan(0);
      expect(fresh.some((r) => r.decision === 'ExplicitlyDenied')).toBe(true);
      expect(fresh.some((r) => r.decision === 'ImplicitlyDenied')).toBe(true);
    },
  );
});
