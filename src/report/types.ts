/**
 * The analysis report: what `permchain analyze --format json` prints and what every reporter
 * (text, json, sarif, junit, markdown, github, mermaid, dot, html) renders. Reporters are pure
 * functions `Report -> string`. Everything in it is sorted and free of timestamps so CI diffs
 * stay stable.
 */
import type { Problem } from '../problems.js';
import type { PolicyType } from '../policy/types.js';

export type LinkDecision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Unknown';
export type PipelineVerdict = 'pass' | 'fail' | 'unknown';

/** A place in the input: a snapshot file + JSON pointer, or a template file + line. */
export interface Location {
  readonly file: string;
  readonly pointer?: string;
  /** 1-based */
  readonly line?: number;
  readonly column?: number;
}

export interface LinkReason {
  readonly policyType: PolicyType;
  /** the document: role ARN (+ policy name), bucket ARN, key ARN, SCP id... */
  readonly policy: string | number;
  /** Sid or 1-based statement index; absent for a missing allow */
  readonly statement?: string | number;
  readonly explicit: boolean;
  /** where that policy (or statement) is written, when known */
  readonly location?: Location;
}

export interface ReportLink {
  /** stable id: `<catalog-id>` plus what makes it unique, e.g. `codebuild.kms-decrypt@Build/Build` */
  readonly id: string;
  /** the requirement catalog entry this link comes from (the SARIF rule id) */
  readonly requirement: string;
  /** 'required': the run fails without it; 'recommended': a warning only */
  readonly level: 'required' | 'recommended';
  readonly stage?: string;
  readonly action?: string;
  /** role ARN or service principal name */
  readonly principal: string;
  /** the IAM action, e.g. `kms:Decrypt` */
  readonly permission: string;
  readonly resource: string;
  readonly decision: LinkDecision;
  readonly deniedBy: readonly LinkReason[];
  readonly allowedBy?: readonly LinkReason[];
  /** one line in plain words */
  readonly why: string;
  /** how to fix it, one line, when denied */
  readonly fix?: string;
  /**
   * for Unknown: the snapshot files (or inputs) that would settle it; for a denied link: those
   * that would settle whether a deny its reasons name applies (an SCP or RCP file whose targets
   * are not known)
   */
  readonly missing?: readonly string[];
  /** documentation link of the requirement */
  readonly doc?: string;
  /** stages this link blocks when it is not allowed (from the graph) */
  readonly blocks?: readonly string[];
  /** where the pipeline declares the action that causes this link */
  readonly declaredAt?: Location;
  /**
   * findings on a link that works but is wider than it should be, e.g. a trust policy that
   * trusts a whole account where the pipeline role should be named
   */
  readonly warnings?: readonly string[];
  /** set by applyBaseline (src/report/baseline.ts): a known finding accepted until `expires` */
  readonly accepted?: LinkAcceptance;
  /**
   * set by applyBaseline: a baseline entry accepted this link until a date now past, and no
   * live entry does. The link is not accepted, and the run fails on it (src/report/gate.ts)
   */
  readonly expired?: LinkAcceptance;
}

/** Why a non-allowed link is accepted for now, and until when (YYYY-MM-DD, inclusive). */
export interface LinkAcceptance {
  readonly reason: string;
  readonly expires: string;
}

export interface ReportPipeline {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly arn: string;
  readonly verdict: PipelineVerdict;
  readonly links: readonly ReportLink[];
  readonly location?: Location;
}

export interface Report {
  readonly pipelines: readonly ReportPipeline[];
  readonly problems: readonly Problem[];
}
