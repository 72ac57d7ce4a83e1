/**
 * One self-contained HTML page: inline CSS and inline SVG, no script and no network (a
 * Content-Security-Policy forbids every fetch). It holds the summary, a drawn graph of each
 * pipeline (stage bands; principals left, resources right, one arrow per link labelled with the
 * permission: denied red, unknown dashed, warnings orange, allowed plain) and the table of all
 * links.
 */
import { sortProblems, formatProblem } from '../problems.js';
import { asUri } from './asUri.js';
import { buildChainGraph, type ChainGraph, type GraphEdge } from './chainGraph.js';
import type { ReportOptions } from './options.js';
import {
  capitalize,
  allowedWords,
  countLinks,
  formatLocation,
  formatReason,
  linkStatus,
  plural,
  summarize,
  toWellFormed,
  type LinkStatus,
} from './summarize.js';
import { breakWorkflowCommands, sanitizeForTerminal } from './sanitize.js';
import { gateSentence, gateSummary } from './gate.js';
import { shownVerdict } from './markdown.js';
import type { FailOn } from './options.js';
import type { Report, ReportLink, ReportPipeline } from './types.js';

const HTML_ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute content; control characters are shown as `\xNN`. */
export function escapeHtml(s: string): string {
  return sanitizeForTerminal(toWellFormed(s)).replace(/[&<>"']/g, (c) => HTML_ENTITY[c] ?? c);
}

export const EDGE_COLORS: Readonly<Record<LinkStatus, string>> = {
  allowed: '#57606a',
  denied: '#d1242f',
  warning: '#bc4c00',
  unknown: '#6e7781',
  accepted: '#8c959f',
};

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.s-pass,.s-allowed{background:#1a7f37}.s-fail,.s-denied{background:#d1242f}.s-unknown{background:#6e7781}
.s-warning{background:#bc4c00}.s-accepted{background:#8c959f}
tr.link.denied td{background:#ffebe9}tr.link.warning td{background:#fff1e5}tr.link.unknown td{background:#f6f8fa}
td.detail div{margin:0 0 2px}
svg.chain{border:1px solid #d0d7de;border-radius:6px;background:#fff;max-width:100%;height:auto}
svg.chain text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;fill:#1f2328}
svg.chain .stage-title{font-weight:700;font-family:system-ui,sans-serif;font-size:12px}
svg.chain rect.principal{fill:#ddf4ff;stroke:#54aeff}svg.chain rect.resource{fill:#fff8c5;stroke:#d4a72c}
svg.chain rect.band{fill:#f6f8fa;stroke:#d0d7de}
.legend span{margin-right:16px}
`;

/**
 * A pipeline's verdict badge: as the markdown verdict column shows it (shownVerdict), so a
 * pipeline that fails the run is `fail` whatever its own verdict, saying why.
 */
function verdictBadge(p: ReportPipeline, failOn: FailOn): string {
  const shown = shownVerdict(p, failOn);
  const why = shown.why.length > 0 ? `: ${escapeHtml(shown.why.join(', '))}` : '';
  return `<span class="badge s-${shown.verdict}">${shown.verdict}${why}</span>`;
}

export function renderHtml(report: Report, options: ReportOptions = {}): string {
  const s = summarize(report);
  const failOn = options.failOn ?? 'denied';
  // pipelines counted by the verdict their badge shows
  const shown = { fail: 0, unknown: 0, pass: 0 };
  for (const p of report.pipelines) shown[shownVerdict(p, failOn).verdict]++;
  const parts: string[] = [];
  parts.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>permchain report</title>',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>permchain report</h1>',
    `<p class="summary">${plural(s.pipelines.total, 'pipeline')}: ${shown.fail} fail, ` +
      `${shown.unknown} unknown, ${shown.pass} pass. ${plural(s.links.total, 'link')}: ` +
      `${allowedWords(s.links)}, ${s.links.denied} denied, ${s.links.unknown} unknown, ` +
      `${plural(s.links.warning, 'warning')}, ${s.links.accepted} accepted. ` +
      `${escapeHtml(capitalize(gateSentence(gateSummary(report, failOn), failOn)))}.</p>`,
    '<table class="pipelines"><thead><tr><th>pipeline</th><th>verdict</th><th>denied</th><th>unknown</th><th>warnings</th><th>links</th></tr></thead><tbody>',
  );
  report.pipelines.forEach((p, i) => {
    const c = countLinks(p.links);
    parts.push(
      `<tr class="pipeline"><td><a href="#p${i}"><code>${escapeHtml(p.name)}</code></a></td>` +
        `<td>${verdictBadge(p, failOn)}</td><td class="num">${c.denied}</td>` +
        `<td class="num">${c.unknown}</td><td class="num">${c.warning}</td><td class="num">${c.total}</td></tr>`,
    );
  });
  parts.push('</tbody></table>');

  parts.push(
    '<p class="legend">' +
      (['allowed', 'denied', 'warning', 'unknown', 'accepted'] as const)
        .map(
          (st) =>
            `<span><svg width="40" height="10" aria-hidden="true"><line x1="0" y1="5" x2="40" y2="5" stroke="${EDGE_COLORS[st]}" stroke-width="2"${dash(st)}/></svg> ${st}</span>`,
        )
        .join('') +
      '</p>',
  );

  report.pipelines.forEach((p, i) => {
    parts.push(
      `<section class="pipeline" id="p${i}"><h2>pipeline <code>${escapeHtml(p.name)}</code> ` +
        `${verdictBadge(p, failOn)}</h2>`,
      `<p><code>${escapeHtml(p.arn)}</code> · ${escapeHtml(p.account)} · ${escapeHtml(p.region)}` +
        (p.location ? ` · <code>${escapeHtml(formatLocation(p.location))}</code>` : '') +
        '</p>',
      renderSvg(buildChainGraph(p, i)),
      '</section>',
    );
  });

  parts.push(
    '<h2>Links</h2>',
    '<table class="links"><thead><tr><th>status</th><th>pipeline / stage / action</th><th>principal</th><th>permission</th><th>resource</th><th>details</th></tr></thead><tbody>',
  );
  for (const p of report.pipelines) {
    for (const link of p.links) parts.push(renderRow(p.name, link));
  }
  parts.push('</tbody></table>');

  const problems = sortProblems(report.problems);
  if (problems.length > 0) {
    parts.push('<h2>Input problems</h2>', '<ul class="problems">');
    for (const pr of problems) {
      parts.push(
        `<li class="problem ${pr.severity}"><code>${escapeHtml(formatProblem(pr))}</code></li>`,
      );
    }
    parts.push('</ul>');
  }
  parts.push('</body>', '</html>');
  // a CI step may print the page: no line of it may read as a workflow command
  return breakWorkflowCommands(parts.join('\n') + '\n');
}

function dash(status: LinkStatus): string {
  return status === 'unknown'
    ? ' stroke-dasharray="6 4"'
    : status === 'accepted'
      ? ' stroke-dasharray="2 3"'
      : '';
}

function renderRow(pipeline: string, link: ReportLink): string {
  const status = linkStatus(link);
  const where = [pipeline, link.stage, link.action]
    .filter((x) => x !== undefined)
    .map(escapeHtml)
    .join(' / ');
  const details: string[] = [];
  link.deniedBy.forEach((r, i) =>
    details.push(
      `<div><b>${i === 0 ? 'decided by' : 'also'}:</b> ${escapeHtml(formatReason(r))}</div>`,
    ),
  );
  details.push(`<div><b>why:</b> ${escapeHtml(link.why)}</div>`);
  // a link that works but is wider than it should be
  for (const w of link.warnings ?? []) details.push(`<div><b>warning:</b> ${escapeHtml(w)}</div>`);
  if (link.missing && link.missing.length > 0) {
    details.push(
      `<div><b>missing:</b> ${link.missing.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ')}</div>`,
    );
  }
  if (link.fix) details.push(`<div><b>fix:</b> ${escapeHtml(link.fix)}</div>`);
  if (link.accepted) {
    details.push(
      `<div><b>accepted:</b> ${escapeHtml(link.accepted.reason)} (until ${escapeHtml(link.accepted.expires)})</div>`,
    );
  }
  if (link.expired) {
    details.push(
      `<div><b>expired:</b> accepted until ${escapeHtml(link.expired.expires)} (${escapeHtml(link.expired.reason)}): ` +
        'the baseline entry has expired, so the link fails the run</div>',
    );
  }
  const doc = link.doc !== undefined ? asUri(link.doc) : undefined;
  if (doc)
    details.push(`<div><a href="${escapeHtml(doc)}">${escapeHtml(link.requirement)}</a></div>`);
  const level = link.level === 'recommended' ? ' <small>(recommended)</small>' : '';
  return (
    `<tr class="link ${status}" data-link="${escapeHtml(link.id)}">` +
    `<td><span class="badge s-${status}">${status}</span>${level}</td><td>${where}</td>` +
    `<td><code>${escapeHtml(link.principal)}</code></td><td><code>${escapeHtml(link.permission)}</code></td>` +
    `<td><code>${escapeHtml(link.resource)}</code></td><td class="detail">${details.join('')}</td></tr>`
  );
}

// SVG geometry (px); labels are cut to what fits at ~6.7px per 11px monospace character
const W = 1000;
const PX = 16;
const PW = 320;
const RX = 640;
const RW = 344;
const ROW = 34;
const BAND_HEAD = 26;
const GAP = 12;
const CHARS_EDGE = 42;

function cut(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/**
 * Rows: the links of a stage ordered by principal then resource (first appearance), so each
 * principal box spans its consecutive rows and each resource box the rows of one principal.
 * Every edge is a horizontal arrow in its own row: labels never overlap.
 */
function renderSvg(g: ChainGraph): string {
  const body: string[] = [];
  let y = GAP;
  for (const group of g.groups) {
    const nodeById = new Map(group.nodes.map((n) => [n.id, n]));
    const order = new Map(group.nodes.map((n, i) => [n.id, i]));
    const edges = [...group.edges]
      .map((e, i) => ({ e, i }))
      .sort(
        (a, b) =>
          (order.get(a.e.from) ?? 0) - (order.get(b.e.from) ?? 0) ||
          (order.get(a.e.to) ?? 0) - (order.get(b.e.to) ?? 0) ||
          a.i - b.i,
      )
      .map((x) => x.e);
    const bandHeight = BAND_HEAD + edges.length * ROW + 8;
    body.push(
      `<g class="stage">`,
      `<rect class="band" x="4" y="${y}" width="${W - 8}" height="${bandHeight}" rx="6"/>`,
      `<text class="stage-title" x="${PX}" y="${y + 17}">${escapeHtml(group.title)}</text>`,
    );
    const top = y + BAND_HEAD;
    // spans of consecutive rows: principal boxes, and resource boxes within a principal
    const spans = (
      key: (e: GraphEdge) => string,
    ): { start: number; end: number; e: GraphEdge }[] => {
      const out: { start: number; end: number; e: GraphEdge }[] = [];
      edges.forEach((e, i) => {
        const last = out[out.length - 1];
        if (last && key(last.e) === key(e)) last.end = i;
        else out.push({ start: i, end: i, e });
      });
      return out;
    };
    const box = (kind: 'principal' | 'resource', id: string, start: number, end: number): void => {
      const n = nodeById.get(id);
      if (!n) return;
      const x = kind === 'principal' ? PX : RX;
      const w = kind === 'principal' ? PW : RW;
      const by = top + start * ROW + 4;
      const h = (end - start + 1) * ROW - 8;
      body.push(
        `<g class="node ${kind}"><title>${escapeHtml(n.name)}</title>` +
          `<rect class="${kind}" x="${x}" y="${by}" width="${w}" height="${h}" rx="${kind === 'principal' ? 12 : 3}"/>` +
          `<text x="${x + 8}" y="${by + h / 2 + 4}">${escapeHtml(cut(n.label, Math.floor((w - 16) / 6.7)))}</text></g>`,
      );
    };
    for (const sp of spans((e) => e.from)) box('principal', sp.e.from, sp.start, sp.end);
    for (const sp of spans((e) => `${e.from}\u0000${e.to}`))
      box('resource', sp.e.to, sp.start, sp.end);
    edges.forEach((e, i) => {
      const ey = top + i * ROW + ROW / 2;
      const color = EDGE_COLORS[e.status];
      const x1 = PX + PW;
      const x2 = RX - 2;
      const mark = e.status === 'allowed' ? '' : ` (${e.status})`;
      body.push(
        `<g class="edge edge-${e.status}" data-link="${escapeHtml(e.link.id)}"><title>${escapeHtml(e.link.id)}</title>` +
          `<line x1="${x1}" y1="${ey}" x2="${x2 - 8}" y2="${ey}" stroke="${color}" stroke-width="${e.status === 'allowed' ? 1.5 : 2.5}"${dash(e.status)}/>` +
          `<polygon points="${x2 - 10},${ey - 5} ${x2},${ey} ${x2 - 10},${ey + 5}" fill="${color}"/>` +
          `<text x="${(x1 + x2) / 2}" y="${ey - 5}" text-anchor="middle" style="fill:${color}">${escapeHtml(cut(e.label + mark, CHARS_EDGE))}</text></g>`,
      );
    });
    body.push('</g>');
    y += bandHeight + GAP;
  }
  const height = Math.max(y, 40);
  return (
    `<svg class="chain" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-label="permission chain of ${escapeHtml(g.pipeline.name)}">\n` +
    body.join('\n') +
    '\n</svg>'
  );
}
