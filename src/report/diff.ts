/**
 * What changed between two reports (e.g. the base branch and the pull request), keyed by
 * pipeline ARN + link id, with a text and a markdown rendering for PR comments. Only a required
 * link newly denied fails the change (diffBreaks); a recommended one is listed as a warning, as
 * analyze treats it.
 */
import {
  DEFAULT_MARKDOWN_BUDGET,
  GITHUB_COMMENT_LIMIT,
  escapeMarkdown,
  value,
  withinBudget,
} from './markdown.js';
import { compareStrings, isDeniedDecision, plural } from './summarize.js';
import { sanitizeForTerminal } from './text.js';
import type { LinkDecision, Report, ReportLink, ReportPipeline } from './types.js';

export interface LinkChange {
  readonly pipeline: string;
  readonly pipelineArn: string;
  readonly link: string;
  readonly level: ReportLink['level'];
  readonly principal: string;
  readonly permission: string;
  readonly resource: string;
  /** undefined: the link is new */
  readonly before?: LinkDecision;
  /** undefined: the link is gone */
  readonly after?: LinkDecision;
}

export interface ReportDiff {
  /** denied now; allowed, unknown or absent before */
  readonly newlyDenied: readonly LinkChange[];
  /** allowed now; denied or unknown before */
  readonly newlyAllowed: readonly LinkChange[];
  /** unknown now; allowed, denied or absent before */
  readonly newlyUnknown: readonly LinkChange[];
  /** denied on both sides, for another reason (explicit ↔ implicit) */
  readonly denialChanged: readonly LinkChange[];
  /** new links that are allowed */
  readonly added: readonly LinkChange[];
  /** links that no longer exist */
  readonly removed: readonly LinkChange[];
  readonly pipelinesAdded: readonly string[];
  readonly pipelinesRemoved: readonly string[];
  readonly unchanged: number;
}

interface Entry {
  readonly pipeline: ReportPipeline;
  readonly link: ReportLink;
}

function index(report: Report): Map<string, Entry> {
  const m = new Map<string, Entry>();
  for (const pipeline of report.pipelines) {
    for (const link of pipeline.links) m.set(`${pipeline.arn}\u0000${link.id}`, { pipeline, link });
  }
  return m;
}

function change(
  e: Entry,
  before: LinkDecision | undefined,
  after: LinkDecision | undefined,
): LinkChange {
  const c: LinkChange = {
    pipeline: e.pipeline.name,
    pipelineArn: e.pipeline.arn,
    link: e.link.id,
    level: e.link.level,
    principal: e.link.principal,
    permission: e.link.permission,
    resource: e.link.resource,
  };
  return {
    ...c,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const a = index(before);
  const b = index(after);
  const out = {
    newlyDenied: [] as LinkChange[],
    newlyAllowed: [] as LinkChange[],
    newlyUnknown: [] as LinkChange[],
    denialChanged: [] as LinkChange[],
    added: [] as LinkChange[],
    removed: [] as LinkChange[],
  };
  let unchanged = 0;
  for (const [key, now] of b) {
    const was = a.get(key);
    const d = now.link.decision;
    const p = was?.link.decision;
    if (p === d) {
      unchanged++;
      continue;
    }
    const c = change(now, p, d);
    if (isDeniedDecision(d)) {
      if (p !== undefined && isDeniedDecision(p)) out.denialChanged.push(c);
      else out.newlyDenied.push(c);
    } else if (d === 'Unknown') out.newlyUnknown.push(c);
    else if (p === undefined) out.added.push(c);
    else out.newlyAllowed.push(c);
  }
  for (const [key, was] of a) {
    if (!b.has(key)) out.removed.push(change(was, was.link.decision, undefined));
  }
  const arnsBefore = new Set(before.pipelines.map((p) => p.arn));
  const arnsAfter = new Set(after.pipelines.map((p) => p.arn));
  const sort = (l: LinkChange[]): LinkChange[] =>
    l.sort(
      (x, y) => compareStrings(x.pipelineArn, y.pipelineArn) || compareStrings(x.link, y.link),
    );
  return {
    newlyDenied: sort(out.newlyDenied),
    newlyAllowed: sort(out.newlyAllowed),
    newlyUnknown: sort(out.newlyUnknown),
    denialChanged: sort(out.denialChanged),
    added: sort(out.added),
    removed: sort(out.removed),
    pipelinesAdded: after.pipelines
      .filter((p) => !arnsBefore.has(p.arn))
      .map((p) => p.arn)
      .sort(compareStrings),
    pipelinesRemoved: before.pipelines
      .filter((p) => !arnsAfter.has(p.arn))
      .map((p) => p.arn)
      .sort(compareStrings),
    unchanged,
  };
}

const SECTIONS: readonly [keyof ReportDiff & string, string][] = [
  ['newlyDenied', 'newly denied'],
  ['newlyUnknown', 'newly unknown'],
  ['denialChanged', 'denied for another reason'],
  ['newlyAllowed', 'newly allowed'],
  ['added', 'new allowed links'],
  ['removed', 'removed links'],
];

function changeWord(c: LinkChange): string {
  const word = `${c.before ?? 'new'} -> ${c.after ?? 'gone'}`;
  return c.level === 'recommended' ? `${word}, recommended: a warning` : word;
}

/** The change breaks the deploy: a required link is newly denied (recommended ones warn). */
export function diffBreaks(
  d: ReportDiff,
  failOn: 'denied' | 'unknown' | 'never' = 'denied',
): boolean {
  if (failOn === 'never') return false;
  if (d.newlyDenied.some((c) => c.level === 'required')) return true;
  // with --fail-on unknown, a required link the change makes undecidable fails too
  return failOn === 'unknown' && d.newlyUnknown.some((c) => c.level === 'required');
}

/** `N newly denied` with how many of them are recommended links (warnings only). */
function deniedCount(d: ReportDiff): string {
  const recommended = d.newlyDenied.filter((c) => c.level !== 'required').length;
  return (
    `${d.newlyDenied.length} newly denied` +
    (recommended > 0 ? ` (${recommended} recommended: warnings only)` : '')
  );
}

/** true when the diff holds nothing */
export function isEmptyDiff(d: ReportDiff): boolean {
  return (
    SECTIONS.every(([k]) => (d[k] as readonly LinkChange[]).length === 0) &&
    d.pipelinesAdded.length === 0 &&
    d.pipelinesRemoved.length === 0
  );
}

export function renderDiffText(d: ReportDiff): string {
  const u = sanitizeForTerminal;
  const lines: string[] = [];
  for (const [key, title] of SECTIONS) {
    const list = d[key] as readonly LinkChange[];
    if (list.length === 0) continue;
    lines.push(`${title} (${list.length})`);
    for (const c of list) {
      lines.push(`  ${u(c.pipeline)}: ${u(c.link)} (${changeWord(c)})`);
      lines.push(`    ${u(c.principal)} ${u(c.permission)} ${u(c.resource)}`);
    }
  }
  for (const a of d.pipelinesAdded) lines.push(`pipeline added: ${u(a)}`);
  for (const r of d.pipelinesRemoved) lines.push(`pipeline removed: ${u(r)}`);
  lines.push(
    isEmptyDiff(d)
      ? `no change (${plural(d.unchanged, 'link')} unchanged)`
      : `${deniedCount(d)}, ${d.newlyUnknown.length} newly unknown, ` +
          `${d.newlyAllowed.length} newly allowed, ${plural(d.unchanged, 'link')} unchanged`,
  );
  return lines.join('\n') + '\n';
}

/**
 * The diff as a pull-request comment, under GitHub's comment limit (65,536 characters, the
 * budget of renderMarkdown): rows are added section by section, most severe first, while they
 * fit; what is left out is counted per section. Values longer than a cell's budget are cut.
 */
export function renderDiffMarkdown(d: ReportDiff, options: { maxChars?: number } = {}): string {
  const budget = Math.min(options.maxChars ?? DEFAULT_MARKDOWN_BUDGET, GITHUB_COMMENT_LIMIT - 1);
  const code = (s: string): string => `<code>${value(s)}</code>`;
  // room kept for the "not shown" notes
  const reserve = 1_000;
  let out = '### permchain: changes in this pull request\n\n';
  if (isEmptyDiff(d)) {
    out += `No link changed (${plural(d.unchanged, 'link')} unchanged).\n`;
    return out;
  }
  out +=
    `${deniedCount(d)}, ${d.newlyUnknown.length} newly unknown, ` +
    `${d.newlyAllowed.length} newly allowed, ${plural(d.unchanged, 'link')} unchanged.\n\n`;
  const left: string[] = [];
  let full = false;
  for (const [key, title] of SECTIONS) {
    const list = d[key] as readonly LinkChange[];
    if (list.length === 0) continue;
    const head =
      `#### ${title} (${list.length})\n\n` +
      '| pipeline | link | change | principal | permission | resource |\n' +
      '| --- | --- | --- | --- | --- | --- |\n';
    let shown = 0;
    if (!full && out.length + head.length + reserve <= budget) {
      let section = head;
      for (const c of list) {
        const row = `| ${code(c.pipeline)} | ${code(c.link)} | ${escapeMarkdown(changeWord(c))} | ${code(c.principal)} | ${code(c.permission)} | ${code(c.resource)} |\n`;
        if (out.length + section.length + row.length + reserve > budget) break;
        section += row;
        shown++;
      }
      out += section + '\n';
    }
    if (shown < list.length) {
      full = true;
      left.push(`${list.length - shown} ${title}`);
    }
  }
  const pipelineList = (label: string, arns: readonly string[]): void => {
    if (arns.length === 0) return;
    let line = `${label}: `;
    let shown = 0;
    for (const arn of arns) {
      const item = (shown > 0 ? ', ' : '') + code(arn);
      if (out.length + line.length + item.length + reserve > budget) break;
      line += item;
      shown++;
    }
    if (shown < arns.length) {
      line += `${shown > 0 ? ', ' : ''}and ${arns.length - shown} more`;
    }
    out += line + '\n\n';
  };
  pipelineList('Pipelines added', d.pipelinesAdded);
  pipelineList('Pipelines removed', d.pipelinesRemoved);
  if (left.length > 0) {
    out +=
      `**Changes not shown** (${left.join(', ')}): the comment would exceed GitHub's size ` +
      'limit. Run `permchain diff --format text` for the full list.\n';
  }
  return withinBudget(out, budget);
}
