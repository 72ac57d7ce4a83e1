/**
 * The CI gate: the exit code a report earns. 0 ok, 1 findings, 2 input error (the CLI's codes).
 * - an input problem of severity error gives 2 whatever failOn says: the analysis is incomplete
 * - failOn 'never': 0 otherwise
 * - failOn 'denied': 1 when a required link is denied and not accepted by the baseline
 * - failOn 'unknown': also 1 when a required link is unknown and not accepted
 * - an expired baseline entry that still matches a link gives 1 (unless 'never'), so an
 *   acceptance cannot silently outlive its date
 * - an input without any pipeline gives 1 under 'unknown': nothing analyzed is not a pass (the
 *   CLI warns about it under every failOn)
 * Recommended links never fail the run: they are warnings.
 */
import type { FailOn } from './options.js';
import { linkStatus } from './summarize.js';
import type { Report } from './types.js';

export type ExitCode = 0 | 1 | 2;

export interface GateOptions {
  /** expired baseline entries from applyBaseline */
  readonly expired?: readonly unknown[];
  /** the input held no pipeline at all */
  readonly noPipelines?: boolean;
}

export function exitCodeFor(report: Report, failOn: FailOn, options: GateOptions = {}): ExitCode {
  if (report.problems.some((p) => p.severity === 'error')) return 2;
  if (failOn === 'never') return 0;
  if ((options.expired?.length ?? 0) > 0) return 1;
  if (options.noPipelines === true && failOn === 'unknown') return 1;
  for (const p of report.pipelines) {
    for (const l of p.links) {
      if (l.level !== 'required') continue;
      const status = linkStatus(l);
      if (status === 'denied') return 1;
      if (status === 'unknown' && failOn === 'unknown') return 1;
    }
  }
  return 0;
}
