/**
 * A pull-request comment: a heading saying what the gate decides, a summary table (pipeline,
 * verdict, denied, unknown, warnings: counted as the summary line counts them), the expired
 * baseline entries, then each broken link in a `<details>`
 * block, those that fail the run first, most severe first. Stays under GitHub's comment limit (65,536
 * characters) by cutting whole link blocks and saying how many were left out. User values are
 * escaped so they cannot open markup, tables, emphasis, links, @mentions or #references.
 */
import { formatProblem, sortProblems, type Problem } from '../problems.js';
import { asUri } from './asUri.js';
import { settles } from './explainLink.js';
import {
  gateSentence,
  gateSummary,
  linkFailure,
  NO_PIPELINES_ID,
  pipelineFails,
  type GateSummary,
  type LinkFailure,
} from './gate.js';
import type { FailOn, ReportOptions } from './options.js';
import {
  allowedWords,
  countLinks,
  decisionLabel,
  formatLocation,
  formatReason,
  linkStatus,
  plural,
  summarize,
  type LinkStatus,
} from './summarize.js';
import { breakWorkflowCommands, sanitizeForTerminal } from './sanitize.js';
import type { PipelineVerdict, Report, ReportLink, ReportPipeline } from './types.js';

/** GitHub rejects issue and pull-request comments longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** the default budget of a comment: under the limit, with room for a CI step's own lines */
export const DEFAULT_MARKDOWN_BUDGET = 65_000;
/** first line of every comment, so a CI step can find and update its previous comment */
export const MARKDOWN_MARKER = '<!-- permchain-report -->';

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/** splits the text node after an `@` or `#`, so GitHub sees no mention or reference */
const AUTOLINK_BREAK = '<!-- -->';

/**
 * Inline text safe in a table cell, a `<summary>` or a paragraph: HTML specials become
 * entities, markdown specials become numeric references, and control characters (a newline
 * too) are shown escaped (`\x0a`), as in the text report: `Deploy\nProd` is not `Deploy Prod`.
 *
 * GitHub finds @mentions and #references after rendering, in the decoded text, so `&#64;` alone
 * still mentions and `&#35;12` still links (https://github.com/github/cmark-gfm/issues/181,
 * https://github.com/github/markup/issues/1168): an empty HTML comment after the `@` or `#`
 * splits the text node, which ends both, and is not part of the text a reader copies. The GFM
 * autolink extension (https://github.github.com/gfm/#autolinks-extension-) links `scheme://`,
 * `www.` and `local@domain` in any text, even inside a raw `<code>` element: the `:` before `//`
 * and the first `w` of `www.` become references, which it does not read as such.
 */
export function escapeMarkdown(s: string): string {
  return sanitizeForTerminal(s).replace(
    /(@(?=[A-Za-z0-9])|#(?=[0-9]))|[&<>"'|`*_[\]\\~@#]|:(?=\/\/)|[wW](?=[wW]{2}\.)/g,
    (c: string, mentionOrReference: string | undefined) =>
      (ENTITY[c] ?? `&#${c.charCodeAt(0)};`) + (mentionOrReference ? AUTOLINK_BREAK : ''),
  );
}

/** a value from the input longer than this is cut (a cell, a summary line) */
const MAX_VALUE = 300;

/**
 * A value from the input, escaped, cut after `max` characters saying how many were left out: a
 * pipeline named with 40,000 characters cannot by itself exceed the comment limit.
 */
export function value(s: string, max = MAX_VALUE): string {
  if (s.length <= max) return escapeMarkdown(s);
  // do not split a surrogate pair
  const end = /[\ud800-\udbff]/.test(s.charAt(max - 1)) ? max - 1 : max;
  return `${escapeMarkdown(s.slice(0, end))}… (${s.length - end} more characters)`;
}

const code = (s: string, max = MAX_VALUE): string => `<code>${value(s, max)}</code>`;

/** longer free text from the input (why, fix, a reason, a problem line) is cut after this */
const MAX_TEXT = 1_000;
/** a list in a link block (missing inputs, blocked stages, deciding policies) shows this many */
const MAX_ITEMS = 20;

function listOf(items: readonly string[]): string {
  const shown = items.slice(0, MAX_ITEMS).map((i) => code(i));
  if (items.length > MAX_ITEMS) shown.push(`and ${items.length - MAX_ITEMS} more`);
  return shown.join(', ');
}

const STATUS_LABEL: Readonly<Record<LinkStatus, string>> = {
  denied: ':x: denied',
  unknown: ':grey_question: unknown',
  warning: ':warning: warning',
  // not the icon of an allowed link: an accepted link is still not allowed (its decision follows)
  accepted: ':ballot_box_with_check: accepted',
  allowed: ':white_check_mark: allowed',
};

const VERDICT_LABEL: Readonly<Record<ReportPipeline['verdict'], string>> = {
  fail: ':x: fail',
  unknown: ':grey_question: unknown',
  pass: ':white_check_mark: pass',
};

const SEVERITY_ORDER: readonly LinkStatus[] = ['denied', 'unknown', 'warning', 'accepted'];

/**
 * The heading: what the gate decides (src/report/gate.ts), so the comment never says "no
 * pipeline fails" while the run exits 1 (--strict, an expired baseline entry, no pipeline).
 */
function heading(report: Report, failOn: FailOn, g: GateSummary): string {
  const total = report.pipelines.length;
  let title: string;
  if (g.noPipelinesFails) title = 'no pipeline found: the run fails (--fail-on unknown)';
  // nothing analyzed is not a pass, whatever the exit code (README: "not a pass in silence")
  else if (total === 0) title = 'no pipeline found: nothing was analyzed';
  else if (g.failingPipelines > 0) {
    title = `${g.failingPipelines} of ${plural(total, 'pipeline')} fail${g.failingPipelines === 1 ? 's' : ''}`;
  } else if (failOn === 'never' && report.pipelines.some((p) => p.verdict !== 'pass')) {
    title = 'no pipeline fails the run (--fail-on never)';
  } else title = 'no pipeline fails';
  if (g.errors > 0) title += `; ${plural(g.errors, 'input error')}: the analysis is incomplete`;
  return `## permchain: ${title}`;
}

/**
 * The verdict a report shows for a pipeline (the markdown verdict column, the html badge, the
 * text report's tag): a pipeline that fails the run (src/report/gate.ts) shows as failing
 * whatever its own verdict, with why when its verdict is not 'fail' (unknown links under
 * --fail-on unknown, an expired baseline entry); any other shows its own verdict.
 */
export function shownVerdict(
  p: ReportPipeline,
  failOn: FailOn,
): { readonly verdict: PipelineVerdict; readonly why: readonly string[] } {
  if (p.verdict === 'fail' || !pipelineFails(p, failOn)) return { verdict: p.verdict, why: [] };
  const why = new Set(p.links.map((l) => linkFailure(l, failOn)));
  const reasons: string[] = [];
  if (why.has('unknown')) reasons.push('unknown links (--fail-on unknown)');
  if (why.has('expired')) reasons.push('expired baseline entry');
  return { verdict: 'fail', why: reasons };
}

/** The verdict cell: a pipeline that fails the run shows as failing whatever its verdict. */
function verdictLabel(p: ReportPipeline, failOn: FailOn): string {
  const shown = shownVerdict(p, failOn);
  if (shown.why.length === 0) return VERDICT_LABEL[shown.verdict];
  return `${VERDICT_LABEL[shown.verdict]}: ${shown.why.join(', ')}`;
}

/**
 * Text under a size budget, so the comment stays under GitHub's limit: each piece is added only
 * if it fits with room kept for the "not shown" notes; the notes themselves are short.
 */
class Budgeted {
  text = '';
  constructor(private readonly limit: number) {}
  fits(piece: string, reserve = NOTE_RESERVE): boolean {
    return this.text.length + piece.length + reserve <= this.limit;
  }
  add(piece: string): void {
    this.text += piece;
  }
}

/** room kept for the notes saying what was left out (each is under 300 characters) */
const NOTE_RESERVE = 1_500;
/** the summary table may take this share of the budget; the link blocks matter as much */
const TABLE_SHARE = 0.4;

export function renderMarkdown(report: Report, options: ReportOptions = {}): string {
  const budget = Math.min(options.maxChars ?? DEFAULT_MARKDOWN_BUDGET, GITHUB_COMMENT_LIMIT - 1);
  const failOn = options.failOn ?? 'denied';
  const g = gateSummary(report, failOn);
  const s = summarize(report);
  const out = new Budgeted(budget);
  // an input without any pipeline: its warning leads, with no table of nothing and no "the run
  // passes" under it (the exit code is said as it is)
  const empty = report.pipelines.length === 0;
  const led = empty ? report.problems.filter((p) => p.id === NO_PIPELINES_ID) : [];
  if (empty) {
    out.add(`${MARKDOWN_MARKER}\n${heading(report, failOn, g)}\n\n`);
    for (const p of led) out.add(`> :warning: ${value(formatProblem(p), MAX_TEXT)}\n\n`);
    const ends =
      g.exitCode === 0
        ? 'the run exits 0 all the same (under `--fail-on unknown` it fails)'
        : escapeMarkdown(gateSentence(g, failOn));
    out.add(`**No pipeline was analyzed**; ${ends}.\n\n`);
    addProblems(
      out,
      report.problems.filter((p) => !led.includes(p)),
    );
    return withinBudget(breakWorkflowCommands(out.text), budget);
  }
  out.add(
    [
      MARKDOWN_MARKER,
      heading(report, failOn, g),
      '',
      '| pipeline | verdict | denied | unknown | warnings |',
      '| --- | --- | ---: | ---: | ---: |',
      '',
    ].join('\n'),
  );
  // every pipeline in report order when the table fits; else those that fail the run first,
  // then by verdict, and as many as fit in the table's share. The columns count links as the
  // summary line under the table does (linkStatus): `denied` required links denied, `unknown`
  // links the input does not settle (required or recommended), `warnings` recommended links
  // denied; a link accepted by the baseline is in none
  const row = (p: ReportPipeline): string => {
    const c = countLinks(p.links);
    return `| ${code(p.name)} | ${verdictLabel(p, failOn)} | ${c.denied} | ${c.unknown} | ${c.warning} |\n`;
  };
  const rows = report.pipelines.map((p) => ({ p, text: row(p) }));
  const tableLimit = Math.floor(budget * TABLE_SHARE);
  const tableFits = out.text.length + rows.reduce((n, r) => n + r.text.length, 0) <= tableLimit;
  if (!tableFits) {
    const rank = (p: ReportPipeline): number =>
      pipelineFails(p, failOn) ? 0 : p.verdict === 'fail' ? 1 : p.verdict === 'unknown' ? 2 : 3;
    rows.sort((a, b) => rank(a.p) - rank(b.p));
  }
  let listed = 0;
  for (const r of rows) {
    if (out.text.length + r.text.length > tableLimit) break;
    out.add(r.text);
    listed++;
  }
  if (listed < rows.length) {
    const rest = rows.slice(listed).map((r) => r.p);
    // what each left-out pipeline is: failing the run, else its verdict
    const kind = (p: ReportPipeline): string =>
      pipelineFails(p, failOn) ? 'fail the run' : p.verdict === 'fail' ? 'fail' : p.verdict;
    const counts = ['fail the run', 'fail', 'unknown', 'pass']
      .map((k) => [k, rest.filter((p) => kind(p) === k).length] as const)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    out.add(
      `\n**${plural(rest.length, 'more pipeline')} not shown** (${counts}): the comment would ` +
        "exceed GitHub's size limit. The pipelines that fail the run are listed first.\n",
    );
  }
  const l = s.links;
  out.add(
    '\n' +
      `**${plural(l.total, 'link')}**: ${allowedWords(l)}, ${l.denied} denied, ${l.unknown} unknown, ` +
      `${plural(l.warning, 'warning')}${l.accepted > 0 ? `, ${l.accepted} accepted by the baseline` : ''}; ` +
      `${escapeMarkdown(gateSentence(g, failOn))}.\n\n`,
  );

  if (g.expired.length > 0) {
    out.add('### Expired baseline entries\n\n');
    let named = 0;
    for (const { pipeline, link } of g.expired) {
      const line =
        `- ${code(pipeline.name)} ${code(link.id)}: accepted until ${value(link.expired!.expires)} ` +
        `(${value(link.expired!.reason)}); expired, so the link fails the run\n`;
      if (!out.fits(line)) break;
      out.add(line);
      named++;
    }
    if (named < g.expired.length) {
      out.add(
        `\n**${plural(g.expired.length - named, 'more expired entry', 'more expired entries')} not shown.**\n`,
      );
    }
    out.add('\n');
  }

  // the links that fail the run first, then the others, each by severity
  const broken: { pipeline: ReportPipeline; link: ReportLink; status: LinkStatus }[] = [];
  for (const failing of [true, false]) {
    for (const status of SEVERITY_ORDER) {
      for (const pipeline of report.pipelines) {
        for (const link of pipeline.links) {
          if (linkStatus(link) !== status) continue;
          if ((linkFailure(link, failOn) !== undefined) === failing) {
            broken.push({ pipeline, link, status });
          }
        }
      }
    }
  }

  if (broken.length > 0) out.add('### Links that are not allowed\n\n');
  let shown = 0;
  for (const b of broken) {
    const block = renderLinkBlock(b.pipeline, b.link, b.status, linkFailure(b.link, failOn));
    if (!out.fits(block)) break;
    out.add(block);
    shown++;
  }
  if (shown < broken.length) {
    const rest = broken.slice(shown);
    const byStatus = SEVERITY_ORDER.map(
      (st) => [st, rest.filter((r) => r.status === st).length] as const,
    )
      .filter(([, n]) => n > 0)
      .map(([st, n]) => `${n} ${st}`)
      .join(', ');
    out.add(
      `**${plural(rest.length, 'more link')} not shown** (${byStatus}): the comment would exceed ` +
        `GitHub's size limit. Run \`permchain analyze --format text\` for the full report.\n\n`,
    );
  }
  const warned = report.pipelines.flatMap((pipeline) =>
    pipeline.links.flatMap((link) =>
      link.decision === 'Allowed' ? (link.warnings ?? []).map((w) => ({ pipeline, link, w })) : [],
    ),
  );
  if (warned.length > 0) {
    out.add('### Allowed, but wider than it should be\n\n');
    let listedWarnings = 0;
    for (const { pipeline, link, w } of warned) {
      const line = `- ${code(pipeline.name)} ${code(link.permission)} by ${code(link.principal)}: ${value(w, MAX_TEXT)}\n`;
      if (!out.fits(line)) break;
      out.add(line);
      listedWarnings++;
    }
    if (listedWarnings < warned.length)
      out.add(`\n**${plural(warned.length - listedWarnings, 'more warning')} not shown.**\n`);
    out.add('\n');
  }
  addProblems(out, report.problems);
  return withinBudget(breakWorkflowCommands(out.text), budget);
}

/** The input problems, sorted, as many as fit, saying how many did not. */
function addProblems(out: Budgeted, all: readonly Problem[]): void {
  const problems = sortProblems(all).map((p) => `- ${value(formatProblem(p), MAX_TEXT)}`);
  if (problems.length === 0) return;
  out.add('### Input problems\n\n');
  let listedProblems = 0;
  for (const p of problems) {
    if (!out.fits(p + '\n')) break;
    out.add(p + '\n');
    listedProblems++;
  }
  if (listedProblems < problems.length) {
    out.add(`\n**${plural(problems.length - listedProblems, 'more problem')} not shown.**\n`);
  }
}

/**
 * The last guard: text over the budget (a budget smaller than the fixed parts) is cut at a line
 * end, saying so. Every piece above is budgeted, so this does not happen with the default budget.
 */
export function withinBudget(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const note = '\n**The rest of this comment was cut: it would exceed the size limit.**\n';
  const room = Math.max(0, budget - note.length);
  const cut = text.lastIndexOf('\n', room);
  return (cut > 0 ? text.slice(0, cut) : '') + note;
}

function renderLinkBlock(
  pipeline: ReportPipeline,
  link: ReportLink,
  status: LinkStatus,
  failure: LinkFailure | undefined,
): string {
  const where = [pipeline.name, link.stage, link.action].filter((x) => x !== undefined);
  const rows: [string, string][] = [
    ['principal', code(link.principal)],
    ['action', code(link.permission)],
    ['resource', code(link.resource)],
  ];
  link.deniedBy.slice(0, MAX_ITEMS).forEach((r, i) => {
    const loc = r.location ? ` at ${code(formatLocation(r.location))}` : '';
    rows.push([
      i === 0 ? 'decided by' : 'also',
      value(formatReason({ ...r, location: undefined }), MAX_TEXT) + loc,
    ]);
  });
  if (link.deniedBy.length > MAX_ITEMS) {
    rows.push(['also', `${link.deniedBy.length - MAX_ITEMS} more not shown`]);
  }
  rows.push(['why', value(link.why, MAX_TEXT)]);
  if (link.missing && link.missing.length > 0) {
    // what it would settle, as every format says it: the link, or (denied) whether a deny applies
    rows.push([settles(link), listOf(link.missing)]);
  }
  if (link.fix) rows.push(['fix', value(link.fix, MAX_TEXT)]);
  if (link.blocks && link.blocks.length > 0) rows.push(['blocks', listOf(link.blocks)]);
  if (link.declaredAt) rows.push(['declared at', code(formatLocation(link.declaredAt))]);
  if (link.accepted) {
    rows.push([
      'accepted',
      `${value(link.accepted.reason)} (until ${value(link.accepted.expires)})`,
    ]);
  }
  if (link.expired) {
    rows.push([
      'expired',
      `accepted until ${value(link.expired.expires)} (${value(link.expired.reason)}): ` +
        'the baseline entry has expired, so the link fails the run',
    ]);
  }
  const doc = link.doc !== undefined ? asUri(link.doc) : undefined;
  if (doc && doc.length <= MAX_TEXT) rows.push(['docs', `[${value(link.requirement)}](<${doc}>)`]);
  else rows.push(['requirement', code(link.requirement)]);
  // an accepted link keeps its decision in sight, as the text report's `(implicitly denied)`
  const notes = status === 'accepted' ? [decisionLabel(link)] : [];
  if (link.level === 'recommended') notes.push('recommended');
  const level = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  const label =
    failure === undefined || failure === 'denied' ? STATUS_LABEL[status] : `:x: ${status}`;
  const fails =
    failure === 'unknown'
      ? ', fails the run (--fail-on unknown)'
      : failure === 'expired'
        ? `, fails the run (baseline entry expired on ${value(link.expired!.expires)})`
        : '';
  return (
    '<details>\n' +
    `<summary>${label}${level}${fails}: ${code(link.permission)} in ${where.map((w) => value(w)).join(' / ')}</summary>\n\n` +
    '| | |\n| --- | --- |\n' +
    rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n') +
    '\n\n</details>\n\n'
  );
}
