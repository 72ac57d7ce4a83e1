/**
 * The reporters, registered by name: each is a pure function `(Report, options) -> string`.
 * Plus the CI gate (exit codes), baselines and report diffs.
 */
import { renderDot } from './dot.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderMermaid } from './mermaid.js';
import type { ReportOptions } from './options.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { Report } from './types.js';

export const FORMAT_NAMES = [
  'text',
  'json',
  'sarif',
  'junit',
  'markdown',
  'github',
  'mermaid',
  'dot',
  'html',
] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export type Reporter = (report: Report, options: ReportOptions) => string;

export const REPORTERS: Readonly<Record<FormatName, Reporter>> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  markdown: renderMarkdown,
  github: renderGithub,
  mermaid: renderMermaid,
  dot: renderDot,
  html: renderHtml,
};

export function isFormatName(s: string): s is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(s);
}

/** File extension for `--output` defaults. */
export const FORMAT_EXTENSIONS: Readonly<Record<FormatName, string>> = {
  text: 'txt',
  json: 'json',
  sarif: 'sarif',
  junit: 'xml',
  markdown: 'md',
  github: 'github.txt',
  mermaid: 'mmd',
  dot: 'dot',
  html: 'html',
};

export { FAIL_ON, type FailOn, type ReportOptions } from './options.js';
export {
  exitCodeFor,
  gateSentence,
  gateSummary,
  linkFailure,
  pipelineFails,
  type ExitCode,
  type GateOptions,
  type GateSummary,
  type LinkFailure,
} from './gate.js';
export {
  applyBaseline,
  baselineFromJson,
  describeAmbiguousEntry,
  describeChangedEntry,
  describeDuplicateEntries,
  parseBaseline,
  sortBaselineEntries,
  writeBaseline,
  type AcceptedDecision,
  type AmbiguousEntry,
  type ApplyBaselineOptions,
  type Baseline,
  type BaselineEntry,
  type BaselineResult,
  type ChangedEntry,
  type ParsedBaseline,
} from './baseline.js';
export {
  diffBreaks,
  diffReports,
  isEmptyDiff,
  renderDiffMarkdown,
  renderDiffText,
  type LinkChange,
  type ReportDiff,
} from './diff.js';
export {
  computeVerdict,
  linkStatus,
  summarize,
  type LinkStatus,
  type Summary,
} from './summarize.js';
export { stableJson } from './stableJson.js';
