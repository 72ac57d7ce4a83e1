/**
 * A pull-request comment: a heading saying what the gate decides, a summary table (pipeline,
 * verdict, denied, unknown), the expired baseline entries, then each broken link in a `<details>`
 * block, those that fail the run first, most severe first. Stays under GitHub's comment limit (65,536
 * characters) by cutting whole link blocks and saying how many were left out. User values are
 * escaped so they cannot open markup, tables, emphasis, @mentions or #references.
 */
import { formatProblem, sortProblems } from '../problems.js';
import { asUri } from './asUri.js';
import {
  gateSentence,
  gateSummary,
  linkFailure,
  pipelineFails,
  type GateSummary,
  type LinkFailure,
} from './gate.js';
import type { FailOn, ReportOptions } from './options.js';
import {
  countLinks,
  formatLocation,
  formatReason,
  linkStatus,
  plural,
  summarize,
  toWellFormed,
  type LinkStatus,
} from './summarize.js';
import { sanitizeForTerminal } from './text.js';
import type { Report, ReportLink, ReportPipeline } from './types.js';

/** GitHub rejects issue and pull-request comments longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
const DEFAULT_BUDGET = 65_000;
/** first line of every comment, so a CI step can find and update its previous comment */
export const MARKDOWN_MARKER = '<!-- permchain-report -->';

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * Inline text safe in a table cell, a `<summary>` or a paragraph: HTML specials become
 * entities, markdown specials and `@`/`#` become numeric references (GitHub decodes them for
 * display but does not parse them as syntax), newlines become spaces.
 */
export function escapeMarkdown(s: string): string {
  return sanitizeForTerminal(toWellFormed(s).replace(/\r\n|\r|\n/g, ' ')).replace(
    /[&<>"'|`*_[\]\\~#@]/g,
    (c) => ENTITY[c] ?? `&#${c.charCodeAt(0)};`,
  );
}

const code = (s: string): string => `<code>${escapeMarkdown(s)}</code>`;

const STATUS_LABEL: Readonly<Record<LinkStatus, string>> = {
  denied: ':x: denied',
  unknown: ':grey_question: unknown',
  warning: ':warning: warning',
  accepted: ':white_check_mark: accepted',
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
  else if (g.failingPipelines > 0) {
    title = `${g.failingPipelines} of ${plural(total, 'pipeline')} fail${g.failingPipelines === 1 ? 's' : ''}`;
  } else if (failOn === 'never' && report.pipelines.some((p) => p.verdict !== 'pass')) {
    title = 'no pipeline fails the run (--fail-on never)';
  } else title = 'no pipeline fails';
  if (g.errors > 0) title += `; ${plural(g.errors, 'input error')}: the analysis is incomplete`;
  return `## permchain: ${title}`;
}

/** The verdict cell: a pipeline that fails the run shows as failing whatever its verdict. */
function verdictLabel(p: ReportPipeline, failOn: FailOn): string {
  if (p.verdict === 'fail' || !pipelineFails(p, failOn)) return VERDICT_LABEL[p.verdict];
  const why = new Set(p.links.map((l) => linkFailure(l, failOn)));
  const reasons: string[] = [];
  if (why.has('unknown')) reasons.push('unknown links (--fail-on unknown)');
  if (why.has('expired')) reasons.push('expired baseline entry');
  return `:x: fail: ${reasons.join(', ')}`;
}

export function renderMarkdown(report: Report, options: ReportOptions = {}): string {
  const budget = Math.min(options.maxChars ?? DEFAULT_BUDGET, GITHUB_COMMENT_LIMIT - 1);
  const failOn = options.failOn ?? 'denied';
  const g = gateSummary(report, failOn);
  const s = summarize(report);
  const head: string[] = [MARKDOWN_MARKER];
  head.push(
    heading(report, failOn, g),
    '',
    '| pipeline | verdict | denied | unknown |',
    '| --- | --- | ---: | ---: |',
  );
  for (const p of report.pipelines) {
    const c = countLinks(p.links);
    head.push(`| ${code(p.name)} | ${verdictLabel(p, failOn)} | ${c.denied} | ${c.unknown} |`);
  }
  const l = s.links;
  head.push(
    '',
    `**${plural(l.total, 'link')}**: ${l.allowed} allowed, ${l.denied} denied, ${l.unknown} unknown, ` +
      `${plural(l.warning, 'warning')}${l.accepted > 0 ? `, ${l.accepted} accepted by the baseline` : ''}; ` +
      `${escapeMarkdown(gateSentence(g, failOn))}.`,
    '',
  );
  if (g.expired.length > 0) {
    head.push('### Expired baseline entries', '');
    for (const { pipeline, link } of g.expired) {
      head.push(
        `- ${code(pipeline.name)} ${code(link.id)}: accepted until ${escapeMarkdown(link.expired!.expires)} ` +
          `(${escapeMarkdown(link.expired!.reason)}); expired, so the link fails the run`,
      );
    }
    head.push('');
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

  const problems = sortProblems(report.problems).map(
    (p) => `- ${escapeMarkdown(formatProblem(p))}`,
  );
  // room kept for the "not shown" lines
  const reserve = 400;
  let out = head.join('\n') + '\n';
  if (broken.length > 0) out += '### Links that are not allowed\n\n';
  let shown = 0;
  for (const b of broken) {
    const block = renderLinkBlock(b.pipeline, b.link, b.status, linkFailure(b.link, failOn));
    if (out.length + block.length + reserve > budget) break;
    out += block;
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
    out +=
      `**${plural(rest.length, 'more link')} not shown** (${byStatus}): the comment would exceed ` +
      `GitHub's size limit. Run \`permchain analyze --format text\` for the full report.\n\n`;
  }
  const warned = report.pipelines.flatMap((pipeline) =>
    pipeline.links.flatMap((link) =>
      link.decision === 'Allowed' ? (link.warnings ?? []).map((w) => ({ pipeline, link, w })) : [],
    ),
  );
  if (warned.length > 0) {
    let section = '### Allowed, but wider than it should be\n\n';
    let listed = 0;
    for (const { pipeline, link, w } of warned) {
      const line = `- ${code(pipeline.name)} ${code(link.permission)} by ${code(link.principal)}: ${escapeMarkdown(w)}\n`;
      if (out.length + section.length + line.length + reserve > budget) break;
      section += line;
      listed++;
    }
    if (listed < warned.length)
      section += `\n**${plural(warned.length - listed, 'more warning')} not shown.**\n`;
    out += section + '\n';
  }
  if (problems.length > 0) {
    let section = '### Input problems\n\n';
    let listed = 0;
    for (const p of problems) {
      if (out.length + section.length + p.length + 1 + reserve > budget) break;
      section += p + '\n';
      listed++;
    }
    if (listed < problems.length) {
      section += `\n**${plural(problems.length - listed, 'more problem')} not shown.**\n`;
    }
    out += section;
  }
  return out;
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
  link.deniedBy.forEach((r, i) => {
    const loc = r.location ? ` at ${code(formatLocation(r.location))}` : '';
    rows.push([
      i === 0 ? 'decided by' : 'also',
      escapeMarkdown(formatReason({ ...r, location: undefined })) + loc,
    ]);
  });
  rows.push(['why', escapeMarkdown(link.why)]);
  if (link.missing && link.missing.length > 0) {
    rows.push(['missing input', link.missing.map(code).join(', ')]);
  }
  if (link.fix) rows.push(['fix', escapeMarkdown(link.fix)]);
  if (link.blocks && link.blocks.length > 0)
    rows.push(['blocks', link.blocks.map(code).join(', ')]);
  if (link.declaredAt) rows.push(['declared at', code(formatLocation(link.declaredAt))]);
  if (link.accepted) {
    rows.push([
      'accepted',
      `${escapeMarkdown(link.accepted.reason)} (until ${escapeMarkdown(link.accepted.expires)})`,
    ]);
  }
  if (link.expired) {
    rows.push([
      'expired',
      `accepted until ${escapeMarkdown(link.expired.expires)} (${escapeMarkdown(link.expired.reason)}): ` +
        'the baseline entry has expired, so the link fails the run',
    ]);
  }
  const doc = link.doc !== undefined ? asUri(link.doc) : undefined;
  if (doc) rows.push(['docs', `[${escapeMarkdown(link.requirement)}](<${doc}>)`]);
  else rows.push(['requirement', code(link.requirement)]);
  const level = link.level === 'recommended' ? ' (recommended)' : '';
  const label =
    failure === undefined || failure === 'denied' ? STATUS_LABEL[status] : `:x: ${status}`;
  const fails =
    failure === 'unknown'
      ? ', fails the run (--fail-on unknown)'
      : failure === 'expired'
        ? `, fails the run (baseline entry expired on ${escapeMarkdown(link.expired!.expires)})`
        : '';
  return (
    '<details>\n' +
    `<summary>${label}${level}${fails}: ${code(link.permission)} in ${where.map(escapeMarkdown).join(' / ')}</summary>\n\n` +
    '| | |\n| --- | --- |\n' +
    rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n') +
    '\n\n</details>\n\n'
  );
}
