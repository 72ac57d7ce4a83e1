/**
 * What changed between two reports (e.g. the base branch and the pull request), keyed by
 * pipeline ARN + link id, with a text and a markdown rendering for PR comments. A link id holds
 * neither the principal nor the resource, so a link of both sides is compared by its decision,
 * principal, resource and (denied on both sides) the policies that deny it. Only a required link
 * newly denied, or denied on both sides but for another principal or on another resource (a
 * denial the change makes), fails the change (diffBreaks); a recommended one is listed as a
 * warning, as analyze treats it. The gate of a diff (diffGate) adds the input errors (exit 2)
 * and, under failOn 'unknown', an AFTER side with no pipeline (nothing of the change was
 * analyzed); both renderings end with the input problems and how the run ends, so a comment
 * never reads as a pass while the run exits 1 or 2.
 */
import {
  DEFAULT_MARKDOWN_BUDGET,
  GITHUB_COMMENT_LIMIT,
  escapeMarkdown,
  value,
  withinBudget,
} from './markdown.js';
import { formatProblem, type Problem } from '../problems.js';
import type { ExitCode } from './gate.js';
import type { FailOn } from './options.js';
import { breakWorkflowCommands, sanitizeForTerminal } from './sanitize.js';
import { capitalize, compareStrings, isDeniedDecision, plural } from './summarize.js';
import { wrapLine } from './text.js';
import type { LinkDecision, Report, ReportLink, ReportPipeline } from './types.js';
import { decidingReasons, describeReasons, sameReasons, type BaselineReason } from './baseline.js';

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
  /** the link's principal in BEFORE, when it is another one (`principal` is AFTER's) */
  readonly beforePrincipal?: string;
  /** the link's resource in BEFORE, when it is another one (`resource` is AFTER's) */
  readonly beforeResource?: string;
  /**
   * denied on both sides by other policies: those that deny it in AFTER, and in BEFORE
   * (beforeDeniedBy), each sorted, without locations (src/report/baseline.ts, decidingReasons)
   */
  readonly deniedBy?: readonly BaselineReason[];
  readonly beforeDeniedBy?: readonly BaselineReason[];
}

export interface ReportDiff {
  /** denied now; allowed, unknown or absent before */
  readonly newlyDenied: readonly LinkChange[];
  /** allowed now; denied or unknown before */
  readonly newlyAllowed: readonly LinkChange[];
  /** unknown now; allowed, denied or absent before */
  readonly newlyUnknown: readonly LinkChange[];
  /**
   * denied on both sides, for another principal or on another resource: a denial the change
   * makes (a required one fails the run, as one newly denied)
   */
  readonly deniedElsewhere: readonly LinkChange[];
  /**
   * unknown on both sides, for another principal or on another resource (a required one fails
   * the run under failOn 'unknown', as one newly unknown)
   */
  readonly unknownElsewhere: readonly LinkChange[];
  /**
   * denied on both sides, on the same principal and resource, for another reason (explicit ↔
   * implicit, or other policies deny it)
   */
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
  was?: ReportLink,
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
  const now = e.link;
  // denied on both sides: the policies that deny it, when they are others
  const reasons =
    was && isDeniedDecision(was.decision) && isDeniedDecision(now.decision)
      ? { before: decidingReasons(was), after: decidingReasons(now) }
      : undefined;
  return {
    ...c,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(was && was.principal !== now.principal ? { beforePrincipal: was.principal } : {}),
    ...(was && was.resource !== now.resource ? { beforeResource: was.resource } : {}),
    ...(reasons && !sameReasons(reasons.before, reasons.after)
      ? { deniedBy: reasons.after, beforeDeniedBy: reasons.before }
      : {}),
  };
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const a = index(before);
  const b = index(after);
  const out = {
    newlyDenied: [] as LinkChange[],
    newlyAllowed: [] as LinkChange[],
    newlyUnknown: [] as LinkChange[],
    deniedElsewhere: [] as LinkChange[],
    unknownElsewhere: [] as LinkChange[],
    denialChanged: [] as LinkChange[],
    added: [] as LinkChange[],
    removed: [] as LinkChange[],
  };
  let unchanged = 0;
  for (const [key, now] of b) {
    const was = a.get(key);
    const d = now.link.decision;
    const p = was?.link.decision;
    // allowed on both sides, whatever its principal and resource: nothing to accept or fix
    if (p === 'Allowed' && d === 'Allowed') {
      unchanged++;
      continue;
    }
    const c = change(now, p, d, was?.link);
    // another principal or resource: the link of BEFORE is not the one AFTER denies or leaves open
    const moved = c.beforePrincipal !== undefined || c.beforeResource !== undefined;
    if (p !== undefined && isDeniedDecision(p) && isDeniedDecision(d)) {
      if (moved) out.deniedElsewhere.push(c);
      else if (p !== d || c.deniedBy !== undefined) out.denialChanged.push(c);
      else unchanged++;
    } else if (p === 'Unknown' && d === 'Unknown') {
      if (moved) out.unknownElsewhere.push(c);
      else unchanged++;
    } else if (isDeniedDecision(d)) out.newlyDenied.push(c);
    else if (d === 'Unknown') out.newlyUnknown.push(c);
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
    deniedElsewhere: sort(out.deniedElsewhere),
    unknownElsewhere: sort(out.unknownElsewhere),
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
  ['deniedElsewhere', 'denied for another principal or on another resource'],
  ['newlyUnknown', 'newly unknown'],
  ['unknownElsewhere', 'unknown for another principal or on another resource'],
  ['denialChanged', 'denied for another reason'],
  ['newlyAllowed', 'newly allowed'],
  ['added', 'new allowed links'],
  ['removed', 'removed links'],
];

/**
 * `before -> after`, with `recommended: a warning` only where a recommended link is now denied
 * (an allowed, unknown or removed recommended link warns of nothing).
 */
function changeWord(c: LinkChange): string {
  // denied or unknown on both sides: what else changed follows (changeDetails)
  const word =
    c.before !== undefined && c.before === c.after
      ? `still ${c.after}`
      : `${c.before ?? 'new'} -> ${c.after ?? 'gone'}`;
  const warns = c.level === 'recommended' && c.after !== undefined && isDeniedDecision(c.after);
  return warns ? `${word}, recommended: a warning` : word;
}

/**
 * What else changed on a link of both sides, one clause each: its principal, its resource, the
 * policies that deny it (BEFORE's values; the link's own fields are AFTER's).
 */
function changeDetails(c: LinkChange): string[] {
  const out: string[] = [];
  if (c.beforePrincipal !== undefined) out.push(`principal was ${c.beforePrincipal}`);
  if (c.beforeResource !== undefined) out.push(`resource was ${c.beforeResource}`);
  if (c.deniedBy !== undefined) {
    out.push(`denied by ${describeReasons(c.deniedBy)}`);
    out.push(`was denied by ${describeReasons(c.beforeDeniedBy ?? [])}`);
  }
  return out;
}

const requiredIn = (l: readonly LinkChange[]): readonly LinkChange[] =>
  l.filter((c) => c.level === 'required');

/**
 * The change breaks the deploy: a required link is newly denied, or denied for another principal
 * or on another resource (recommended ones warn).
 */
export function diffBreaks(
  d: ReportDiff,
  failOn: 'denied' | 'unknown' | 'never' = 'denied',
): boolean {
  if (failOn === 'never') return false;
  if (requiredIn(d.newlyDenied).length + requiredIn(d.deniedElsewhere).length > 0) return true;
  // with --fail-on unknown, a required link the change makes undecidable fails too
  return (
    failOn === 'unknown' &&
    requiredIn(d.newlyUnknown).length + requiredIn(d.unknownElsewhere).length > 0
  );
}

export type DiffSide = 'before' | 'after';

export interface DiffGateOptions {
  /** default 'denied' */
  readonly failOn?: FailOn;
  /**
   * the input problems of both sides (errors and warnings), each saying which side it is in,
   * listed in this order
   */
  readonly problems?: readonly Problem[];
  /** the sides that hold no pipeline at all (the `input.no-pipelines` warning) */
  readonly noPipelines?: readonly DiffSide[];
}

/** How a diff run ends, and why. */
export interface DiffGate {
  readonly exitCode: ExitCode;
  readonly failOn: FailOn;
  /** input problems of severity error: the comparison is incomplete (exit 2) */
  readonly errors: number;
  /** required links newly denied (they fail the run unless failOn is 'never') */
  readonly newlyDenied: number;
  /** required links newly unknown (they fail the run under failOn 'unknown') */
  readonly newlyUnknown: number;
  /**
   * required links denied on both sides, for another principal or on another resource (they
   * fail the run as newly denied ones do)
   */
  readonly deniedElsewhere: number;
  /**
   * required links unknown on both sides, for another principal or on another resource (they
   * fail the run under failOn 'unknown' as newly unknown ones do)
   */
  readonly unknownElsewhere: number;
  readonly noPipelines: readonly DiffSide[];
  /**
   * AFTER holds no pipeline and failOn is 'unknown': nothing of the change was analyzed, which is
   * not a pass (as for analyze). A BEFORE side with no pipeline does not fail by itself: every
   * link of AFTER is then new, and judged as analyze would judge it
   */
  readonly noPipelinesFails: boolean;
}

/**
 * The exit code of a diff: 2 on an input error of either side whatever failOn says; under
 * failOn 'never' 0; else 1 when the change breaks (diffBreaks: a required link newly denied, or
 * denied for another principal or on another resource; under 'unknown' also one newly unknown, or
 * unknown for another principal or on another resource) or, under 'unknown', AFTER holds no
 * pipeline; else 0.
 */
export function diffGate(d: ReportDiff, options: DiffGateOptions = {}): DiffGate {
  const failOn = options.failOn ?? 'denied';
  const errors = (options.problems ?? []).filter((p) => p.severity === 'error').length;
  const noPipelines = (['before', 'after'] as const).filter((side) =>
    options.noPipelines?.includes(side),
  );
  const noPipelinesFails = failOn === 'unknown' && noPipelines.includes('after');
  const required = (l: readonly LinkChange[]): number => requiredIn(l).length;
  let exitCode: ExitCode = 0;
  if (errors > 0) exitCode = 2;
  else if (failOn !== 'never' && (diffBreaks(d, failOn) || noPipelinesFails)) exitCode = 1;
  return {
    exitCode,
    failOn,
    errors,
    newlyDenied: required(d.newlyDenied),
    newlyUnknown: required(d.newlyUnknown),
    deniedElsewhere: required(d.deniedElsewhere),
    unknownElsewhere: required(d.unknownElsewhere),
    noPipelines,
    noPipelinesFails,
  };
}

/** One sentence (no final period) on how a diff run ends and why. */
export function diffGateSentence(g: DiffGate): string {
  if (g.exitCode === 2) {
    return (
      `the run fails (exit 2): ${plural(g.errors, 'input error makes', 'input errors make')} ` +
      'the comparison incomplete, so the changes listed may be wrong or missing'
    );
  }
  if (g.exitCode === 0) {
    const pass = g.failOn === 'never' ? 'the run passes (--fail-on never)' : 'the run passes';
    const before = g.noPipelines.includes('before');
    if (!g.noPipelines.includes('after')) {
      return before ? `${pass}; BEFORE holds no pipeline, so every link of AFTER is new` : pass;
    }
    return (
      `${pass}, but ${before ? 'neither BEFORE nor AFTER holds a pipeline' : 'AFTER holds no pipeline'}: ` +
      'nothing of the change was analyzed (it fails under --fail-on unknown)'
    );
  }
  const why: string[] = [];
  if (g.newlyDenied > 0) why.push(`${plural(g.newlyDenied, 'required link')} newly denied`);
  if (g.deniedElsewhere > 0) {
    why.push(
      `${plural(g.deniedElsewhere, 'required link')} denied for another principal or on another resource`,
    );
  }
  if (g.failOn === 'unknown' && g.newlyUnknown > 0) {
    why.push(`${plural(g.newlyUnknown, 'required link')} newly unknown (--fail-on unknown)`);
  }
  if (g.failOn === 'unknown' && g.unknownElsewhere > 0) {
    why.push(
      `${plural(g.unknownElsewhere, 'required link')} unknown for another principal or on ` +
        'another resource (--fail-on unknown)',
    );
  }
  if (g.noPipelinesFails) why.push('AFTER holds no pipeline (--fail-on unknown)');
  return `the run fails (exit 1): ${why.join(', ')}`;
}

/**
 * `N newly denied` with how many of them are recommended links (warnings only), then the links
 * denied or unknown for another principal or on another resource, when there are.
 */
function deniedCount(d: ReportDiff): string {
  const recommended = (l: readonly LinkChange[]): string => {
    const n = l.length - requiredIn(l).length;
    return n > 0 ? ` (${n} recommended: warnings only)` : '';
  };
  return (
    `${d.newlyDenied.length} newly denied${recommended(d.newlyDenied)}` +
    (d.deniedElsewhere.length > 0
      ? `, ${d.deniedElsewhere.length} denied for another principal or on another resource` +
        recommended(d.deniedElsewhere)
      : '')
  );
}

/** `N newly unknown`, then the links unknown for another principal or resource, when there are. */
function unknownCount(d: ReportDiff): string {
  return (
    `${d.newlyUnknown.length} newly unknown` +
    (d.unknownElsewhere.length > 0
      ? `, ${d.unknownElsewhere.length} unknown for another principal or on another resource`
      : '')
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

/**
 * The diff as text, ending with the input problems (one line each) and how the run ends (the
 * gate of `options`; by default failOn 'denied' and no problem).
 */
export function renderDiffText(d: ReportDiff, options: DiffGateOptions = {}): string {
  const u = sanitizeForTerminal;
  const lines: string[] = [];
  for (const [key, title] of SECTIONS) {
    const list = d[key] as readonly LinkChange[];
    if (list.length === 0) continue;
    lines.push(`${title} (${list.length})`);
    // wrapped at 100 columns as analyze's text is; a line continued is indented deeper
    for (const c of list) {
      // the change `(Allowed -> ImplicitlyDenied)` is kept on one line
      const head = [...`${u(c.pipeline)}: ${u(c.link)}`.split(' '), `(${changeWord(c)})`];
      lines.push(...wrapLine(head, 2, 6));
      lines.push(...wrapLine(`${u(c.principal)} ${u(c.permission)} ${u(c.resource)}`, 4, 6));
      // what else changed (BEFORE's principal, resource, denying policies), one line each
      for (const detail of changeDetails(c)) lines.push(...wrapLine(u(detail), 4, 6));
    }
  }
  for (const a of d.pipelinesAdded) lines.push(...wrapLine(`pipeline added: ${u(a)}`, 0, 2));
  for (const r of d.pipelinesRemoved) lines.push(...wrapLine(`pipeline removed: ${u(r)}`, 0, 2));
  // the summary, each problem and how the run ends stay one line each, as in analyze's text
  lines.push(
    isEmptyDiff(d)
      ? `no change (${plural(d.unchanged, 'link')} unchanged)`
      : `${deniedCount(d)}, ${unknownCount(d)}, ` +
          `${d.newlyAllowed.length} newly allowed, ${plural(d.unchanged, 'link')} unchanged`,
  );
  for (const p of options.problems ?? []) lines.push(formatProblem(p));
  lines.push(diffGateSentence(diffGate(d, options)));
  // wrapping may start a line with a word of a value: no line may read as a CI workflow command
  return breakWorkflowCommands(lines.join('\n') + '\n');
}

/** a problem line in the markdown is cut after this many characters */
const MAX_PROBLEM = 1_000;
/** at most this many problem lines are listed in the markdown (the rest are counted) */
const MAX_PROBLEMS = 20;
/** a detail of a change (a principal, a resource, denying policies) is cut after this */
const MAX_DETAIL = 600;

/**
 * The diff as a pull-request comment, under GitHub's comment limit (65,536 characters, the
 * budget of renderMarkdown): rows are added section by section, most severe first, while they
 * fit; what is left out is counted per section. Values longer than a cell's budget are cut. It
 * ends with the input problems (the first MAX_PROBLEMS) and how the run ends (the gate of
 * `options`): a comment has no stderr.
 */
export function renderDiffMarkdown(
  d: ReportDiff,
  options: DiffGateOptions & { maxChars?: number } = {},
): string {
  const budget = Math.min(options.maxChars ?? DEFAULT_MARKDOWN_BUDGET, GITHUB_COMMENT_LIMIT - 1);
  const code = (s: string): string => `<code>${value(s)}</code>`;
  const gate = diffGate(d, options);
  const problems = options.problems ?? [];
  const shownProblems = problems
    .slice(0, MAX_PROBLEMS)
    .map((p) => `- ${value(formatProblem(p), MAX_PROBLEM)}\n`);
  const ending =
    (problems.length > 0
      ? `#### input problems (${problems.length})\n\n` +
        shownProblems.join('') +
        (problems.length > MAX_PROBLEMS
          ? `- and ${problems.length - MAX_PROBLEMS} more (run \`permchain diff --format text\`)\n`
          : '') +
        '\n'
      : '') + `**${escapeMarkdown(capitalize(diffGateSentence(gate)))}.**\n`;
  // room kept for the "not shown" notes and the ending
  const reserve = 1_000 + ending.length;
  let out = '### permchain: changes in this pull request\n\n';
  if (gate.exitCode === 2) {
    out += `**${plural(gate.errors, 'input error')}: the comparison is incomplete** (see the end).\n\n`;
  }
  if (isEmptyDiff(d)) {
    out += `No link changed (${plural(d.unchanged, 'link')} unchanged).\n\n` + ending;
    return withinBudget(out, budget);
  }
  out +=
    `${deniedCount(d)}, ${unknownCount(d)}, ` +
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
        // what else changed (BEFORE's principal, resource, denying policies) follows the change
        const details = changeDetails(c)
          .map((x) => `; ${value(x, MAX_DETAIL)}`)
          .join('');
        const row = `| ${code(c.pipeline)} | ${code(c.link)} | ${escapeMarkdown(changeWord(c))}${details} | ${code(c.principal)} | ${code(c.permission)} | ${code(c.resource)} |\n`;
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
      'limit. Run `permchain diff --format text` for the full list.\n\n';
  }
  return withinBudget(out + ending, budget);
}
