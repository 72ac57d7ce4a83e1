/**
 * Minimal repros of evaluator bugs the differential test found. Each file holds a request, the
 * decision AWS documents for it, and the documentation link. These fail until the evaluator is
 * fixed; they are not to be loosened.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Decision, EvaluationRequest } from '../../src/evaluate/types.js';

interface Repro {
  readonly description: string;
  readonly docs: readonly string[];
  readonly expected: Decision;
  readonly request: EvaluationRequest;
}

const dir = join(import.meta.dirname, 'repros');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('differential repros', () => {
  it('has repro files with a documentation link each', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Repro;
      expect(r.docs.length, f).toBeGreaterThan(0);
      for (const d of r.docs) expect(d, f).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  for (const f of files) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Repro;
    it(`${f}: ${r.description}`, () => {
      expect(evaluate(r.request).decision).toBe(r.expected);
    });
  }
});
