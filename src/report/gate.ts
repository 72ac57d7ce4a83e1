/**
 * The CI gate: the exit code a report earns. 0 ok, 1 findings, 2 input error (the CLI's codes).
 * - an input problem of severity error gives 2 whatever failOn says: the analysis is incomplete
 * - failOn 'never': 0 otherwise
 * - failOn 'denied': 1 when a required link is denied and not accepted by the baseline
 * - failOn 'unknown': also 1 when a required link is unknown and not accepted
 * - an expired baseline entry accepts nothing: its link is judged as without a baseline. A link
 *   that fails on its own fails as 'expired' (the acceptance cannot silently outlive its date);
 *   one that would not fail without a baseline (a recommended link, an unknown one under
 *   'denied') does not fail for it: an expired entry never makes the gate stricter than no
 *   baseline (applyBaseline marks `expired` only on links that fail; the CLI warns of the others)
 * - an input without any pipeline gives 1 under 'unknown': nothing analyzed is not a pass (the
 *   CLI warns about it under every failOn)
 * Recommended links never fail the run: they are warnings.
 *
 * Every reporter asks the same questions here (linkFailure, gateSummary), so what fails the run
 * shows as a failure in every format: a report never says "pass" while the run exits 1.
 */
import type { FailOn } from './options.js';
import { isDeniedDecision } from './summarize.js';
import type { Report, ReportLink, ReportPipeline } from './types.js';

export type ExitCode = 0 | 1 | 2;

/** The id of the warning for an input that holds no pipeline (src/cli/inputOptions.ts). */
export const NO_PIPELINES_ID = 'input.no-pipelines';

export interface GateOptions {
  /**
   * the input held no pipeline at all; default: the report has an `input.no-pipelines` problem
   */
  readonly noPipelines?: boolean;
}

/**
 * Why a link fails the run under failOn, or undefined when it does not:
 * - 'denied': a required link denied and not accepted
 * - 'unknown': a required link unknown and not accepted, under failOn 'unknown'
 * - 'expired': one of those, which a baseline entry accepted until a date now past (set by
 *   applyBaseline)
 * An expired entry never makes a link fail that would not fail without a baseline.
 */
export type LinkFailure = 'denied' | 'unknown' | 'expired';

export function linkFailure(link: ReportLink, failOn: FailOn = 'denied'): LinkFailure | undefined {
  if (link.accepted) return undefined;
  const own = failureWithoutBaseline(link, failOn);
  return own !== undefined && link.expired ? 'expired' : own;
}

/**
 * Why a link fails the run under failOn when no baseline entry is applied to it: 'denied' (a
 * required link denied), 'unknown' (a required link unknown, under failOn 'unknown') or undefined.
 */
export function failureWithoutBaseline(
  link: Pick<ReportLink, 'decision' | 'level'>,
  failOn: FailOn = 'denied',
): 'denied' | 'unknown' | undefined {
  if (failOn === 'never' || link.decision === 'Allowed' || link.level !== 'required') {
    return undefined;
  }
  if (isDeniedDecision(link.decision)) return 'denied';
  return failOn === 'unknown' ? 'unknown' : undefined;
}

/** The pipeline has a link that fails the run. */
export function pipelineFails(pipeline: ReportPipeline, failOn: FailOn = 'denied'): boolean {
  return pipeline.links.some((l) => linkFailure(l, failOn) !== undefined);
}

export interface GateSummary {
  readonly exitCode: ExitCode;
  /** input problems of severity error: the analysis is incomplete (exit 2) */
  readonly errors: number;
  /** pipelines with a link that fails the run */
  readonly failingPipelines: number;
  /** links that fail the run, by why */
  readonly failingLinks: Readonly<Record<LinkFailure, number>>;
  /** links that fail the run and that a baseline entry accepted until a date now past */
  readonly expired: readonly { readonly pipeline: ReportPipeline; readonly link: ReportLink }[];
  /** the input held no pipeline and failOn is 'unknown': that alone fails the run */
  readonly noPipelinesFails: boolean;
}

export function gateSummary(
  report: Report,
  failOn: FailOn = 'denied',
  options: GateOptions = {},
): GateSummary {
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const failingLinks = { denied: 0, unknown: 0, expired: 0 };
  const expired: { pipeline: ReportPipeline; link: ReportLink }[] = [];
  let failingPipelines = 0;
  for (const pipeline of report.pipelines) {
    let fails = false;
    for (const link of pipeline.links) {
      const why = linkFailure(link, failOn);
      if (why === undefined) continue;
      failingLinks[why]++;
      fails = true;
      if (why === 'expired') expired.push({ pipeline, link });
    }
    if (fails) failingPipelines++;
  }
  const noPipelines = options.noPipelines ?? report.problems.some((p) => p.id === NO_PIPELINES_ID);
  const noPipelinesFails = noPipelines && failOn === 'unknown';
  let exitCode: ExitCode = 0;
  if (errors > 0) exitCode = 2;
  else if (failOn === 'never') exitCode = 0;
  else if (
    noPipelinesFails ||
    failingLinks.denied + failingLinks.unknown + failingLinks.expired > 0
  )
    exitCode = 1;
  return { exitCode, errors, failingPipelines, failingLinks, expired, noPipelinesFails };
}

export function exitCodeFor(report: Report, failOn: FailOn, options: GateOptions = {}): ExitCode {
  return gateSummary(report, failOn, options).exitCode;
}

/** One sentence (no final period) on how the run ends and why, for a report's summary. */
export function gateSentence(g: GateSummary, failOn: FailOn = 'denied'): string {
  if (g.exitCode === 2) {
    return `the run fails: ${g.errors} input ${g.errors === 1 ? 'error makes' : 'errors make'} the analysis incomplete (exit 2)`;
  }
  if (g.exitCode === 0) {
    return failOn === 'never' ? 'the run passes (--fail-on never)' : 'the run passes';
  }
  const why: string[] = [];
  const f = g.failingLinks;
  if (f.denied > 0) why.push(`${f.denied} required ${f.denied === 1 ? 'link' : 'links'} denied`);
  if (f.unknown > 0) {
    why.push(
      `${f.unknown} required ${f.unknown === 1 ? 'link' : 'links'} unknown (--fail-on unknown)`,
    );
  }
  if (g.expired.length > 0) {
    why.push(
      `${g.expired.length} expired baseline ${g.expired.length === 1 ? 'entry' : 'entries'}`,
    );
  }
  if (g.noPipelinesFails) why.push('no pipeline found (--fail-on unknown)');
  return `the run fails (exit 1)${why.length > 0 ? ': ' + why.join(', ') : ''}`;
}
