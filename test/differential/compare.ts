/**
 * Runs one generated case through permchain's evaluate() and iam-simulate's runSimulation and
 * sorts the outcome into agree / known difference / disagree.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Decision } from '../../src/evaluate/types.js';
import { toSimulation } from './adapter.js';
import type { GeneratedCase } from './generator.js';
import { knownDifferenceOf } from './knownDifferences.js';

export interface Outcome {
  readonly id: string;
  readonly ours: Decision;
  /** iam-simulate's decision, or `error: <message>` when it rejected the input */
  readonly theirs: Decision | `error: ${string}`;
  /** the named known-difference class the case belongs to, if any */
  readonly knownDifference?: string;
  readonly verdict: 'agree' | 'known-difference' | 'disagree';
}

export async function compareCase(c: GeneratedCase): Promise<Outcome> {
  const ours = evaluate(c.request).decision;
  const sim = await runSimulation(toSimulation(c.request), {});
  // iam-simulate drops context keys the action does not send; the generator must not produce
  // them, or the two evaluators would see different requests
  const ignored = sim.resultType === 'single' ? (sim.result.ignoredContextKeys ?? []) : [];
  const theirs: Outcome['theirs'] =
    sim.resultType === 'error'
      ? `error: ${sim.errors.message}`
      : ignored.length > 0
        ? `error: ignored context keys ${ignored.join(', ')}`
        : sim.overallResult;
  const known = knownDifferenceOf(c);
  // A case in a known-difference class is excluded from the agreement count whatever the two
  // answers are: the class is defined by the input, not by the outcome.
  if (known) return { id: c.id, ours, theirs, knownDifference: known, verdict: 'known-difference' };
  return { id: c.id, ours, theirs, verdict: ours === theirs ? 'agree' : 'disagree' };
}

export interface Tally {
  agree: number;
  knownDifference: number;
  disagree: number;
  byClass: Record<string, { total: number; differing: number }>;
  decisions: Record<Decision, number>;
  disagreements: Outcome[];
}

export function emptyTally(): Tally {
  return {
    agree: 0,
    knownDifference: 0,
    disagree: 0,
    byClass: {},
    decisions: { Allowed: 0, ExplicitlyDenied: 0, ImplicitlyDenied: 0 },
    disagreements: [],
  };
}

export function addOutcome(t: Tally, o: Outcome): void {
  t.decisions[o.ours]++;
  if (o.verdict === 'agree') t.agree++;
  else if (o.verdict === 'disagree') {
    t.disagree++;
    t.disagreements.push(o);
  } else {
    t.knownDifference++;
    const cls = (t.byClass[o.knownDifference!] ??= { total: 0, differing: 0 });
    cls.total++;
    if (o.ours !== o.theirs) cls.differing++;
  }
}
