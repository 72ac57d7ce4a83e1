/**
 * The terminal report: per pipeline, its stages and actions with their links. Allowed links take
 * one line; broken ones a block naming principal, permission, resource, the deciding policy and
 * statement with its location, why, and the fix. A pipeline that fails the run is tagged FAIL
 * whatever its own verdict, and the summary ends with how the run ends (src/report/gate.ts), so
 * the report agrees with the exit code. The pipelines and their links, the summary and the
 * sentence on how the run ends are wrapped at 100 columns (a token longer than the room, an ARN
 * or a path, stays whole on its own line; a line continued is indented deeper); each problem
 * stays one line, as README promises ("input errors are reported one line each": a CI log or
 * grep finds a problem whole).
 * ANSI colour only when options.color is set. User values are stripped of control characters so a hostile name cannot
 * move the cursor or forge lines.
 */
import { mapIterable } from './mapIterable.js';
import { formatProblem, sortProblems, type Problem } from '../problems.js';
import { settles } from './explainLink.js';
import { gateSentence, gateSummary, type GateSummary } from './gate.js';
import { shownVerdict } from './markdown.js';
import type { ReportOptions } from './options.js';
import { breakWorkflowCommands, sanitizeForTerminal } from './sanitize.js';
import {
  allowedWords,
  countLinks,
  decisionLabel,
  formatLocation,
  formatReason,
  groupByStage,
  linkStatus,
  plural,
  type LinkCounts,
  type LinkStatus,
} from './summarize.js';
import type { Report, ReportLink, ReportPipeline } from './types.js';

const WIDTH = 100;

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';
const ANSI: Readonly<Record<Style, string>> = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  magenta: '\u001b[35m',
};
const RESET = '\u001b[0m';

const STATUS_TAG: Readonly<Record<LinkStatus, [string, Style]>> = {
  allowed: ['allowed', 'green'],
  denied: ['DENIED', 'red'],
  warning: ['WARNING', 'yellow'],
  unknown: ['UNKNOWN', 'magenta'],
  accepted: ['ACCEPTED', 'cyan'],
};

const VERDICT_TAG: Readonly<Record<ReportPipeline['verdict'], [string, Style]>> = {
  pass: ['PASS', 'green'],
  fail: ['FAIL', 'red'],
  unknown: ['UNKNOWN', 'magenta'],
};

export function renderText(report: Report, options: ReportOptions = {}): string {
  const failOn = options.failOn ?? 'denied';
  const chunks = renderTextChunks(report.pipelines, report.problems, options, () =>
    gateSummary(report, failOn),
  );
  return [...chunks].join('');
}

/**
 * The same text, one pipeline at a time, for pipelines that come one at a time
 * (analyzeModelLazily): each is written and let go before the next is analyzed, so the text of
 * ten thousand pipelines is written without holding their links at once. The summary at the end
 * is counted as the pipelines go by; `gate` says how the run ends, asked once they all have.
 */
export function renderTextChunks(
  pipelines: Iterable<ReportPipeline>,
  problems: readonly Problem[],
  options: ReportOptions,
  gate: () => GateSummary,
): Generator<string> {
  return renderTextPieces(
    mapIterable(pipelines, (p) => textPipelinePiece(p, options)),
    problems,
    options,
    gate,
  );
}

/** A pipeline's part of the text report, with what the summary counts of it. */
export interface TextPiece {
  readonly text: string;
  /** the verdict its tag shows */
  readonly verdict: ReportPipeline['verdict'];
  readonly counts: LinkCounts;
}

/**
 * A pipeline's text as renderTextPieces places it, and what the summary counts of it: made
 * apart so a worker thread can write it (src/cli/parallelAnalyze.ts).
 */
export function textPipelinePiece(pipeline: ReportPipeline, options: ReportOptions): TextPiece {
  const paint = painter(options);
  // a pipeline that fails the run shows FAIL whatever its own verdict, saying why
  const verdict = shownVerdict(pipeline, options.failOn ?? 'denied');
  const lines: string[] = [];
  renderPipeline(pipeline, verdict, lines, paint);
  lines.push('');
  // wrapping may start a line with a word of a value: no line may read as a CI workflow
  // command (each piece starts a line, so piece by piece is the same as the whole)
  return {
    text: breakWorkflowCommands(lines.join('\n') + '\n'),
    verdict: verdict.verdict,
    counts: countLinks(pipeline.links),
  };
}

const painter =
  (options: ReportOptions) =>
  (style: Style, s: string): string =>
    options.color ? ANSI[style] + s + RESET : s;

/** The text report of pipelines already written by textPipelinePiece, in report order. */
export function* renderTextPieces(
  pieces: Iterable<TextPiece>,
  problems: readonly Problem[],
  options: ReportOptions,
  gate: () => GateSummary,
): Generator<string> {
  const paint = painter(options);
  const failOn = options.failOn ?? 'denied';
  // pipelines counted by the verdict their tag shows
  const shown = { total: 0, pass: 0, fail: 0, unknown: 0 };
  const links: Record<keyof LinkCounts, number> = { ...countLinks([]) };

  for (const piece of pieces) {
    shown.total++;
    shown[piece.verdict]++;
    for (const k of Object.keys(links) as (keyof LinkCounts)[]) links[k] += piece.counts[k];
    yield piece.text;
  }

  const lines: string[] = [];
  const sorted = sortProblems(problems);
  if (sorted.length > 0) {
    lines.push(paint('bold', 'problems'));
    for (const p of sorted) {
      const line = sanitizeForTerminal(formatProblem(p));
      lines.push('  ' + (p.severity === 'error' ? paint('red', line) : paint('yellow', line)));
    }
    lines.push('');
  }

  const accepted = links.accepted > 0 ? `, ${links.accepted} accepted` : '';
  let summary =
    `${plural(shown.total, 'pipeline')} (${shown.fail} fail, ${shown.unknown} unknown, ${shown.pass} pass), ` +
    `${plural(links.total, 'link')} (${allowedWords(links)}, ${links.denied} denied, ${links.unknown} unknown, ` +
    `${plural(links.warning, 'warning')}${accepted})`;
  if (problems.length > 0) summary += `, ${plural(problems.length, 'problem')}`;
  lines.push(...wrapSummary(summary));
  // how the run ends, as the exit code says (src/report/gate.ts)
  const g = gate();
  const style = g.exitCode === 0 ? 'green' : 'red';
  for (const l of wrapSummary(gateSentence(g, failOn))) {
    const indent = l.length - l.trimStart().length;
    lines.push(l.slice(0, indent) + paint(style, l.slice(indent)));
  }
  yield breakWorkflowCommands(lines.join('\n') + '\n');
}

/**
 * The summary or the sentence on how the run ends at WIDTH columns, continued two columns deeper
 * (joining a continued line to the one above gives it back whole); a count stays with the word
 * it counts (`6 problems`, `(0 fail,`), never at the end of a line.
 */
function wrapSummary(text: string): string[] {
  const words: string[] = [];
  for (const w of text.split(' ')) {
    const last = words.length - 1;
    if (last >= 0 && /^\(?\d+$/.test(words[last]!)) words[last] += ' ' + w;
    else words.push(w);
  }
  return wrapLine(words, 0, 2);
}

type Paint = (style: Style, s: string) => string;

function renderPipeline(
  pipeline: ReportPipeline,
  shown: ReturnType<typeof shownVerdict>,
  lines: string[],
  paint: Paint,
): void {
  const [tag, style] = VERDICT_TAG[shown.verdict];
  const label = shown.why.length > 0 ? `${tag}: ${shown.why.join(', ')}` : tag;
  const name = 'pipeline ' + sanitizeForTerminal(pipeline.name);
  const place = `${sanitizeForTerminal(pipeline.account)} ${sanitizeForTerminal(pipeline.region)}`;
  if (name.length + label.length + place.length + 4 <= WIDTH) {
    lines.push(`${paint('bold', name)}  ${paint(style, label)}  ${place}`);
  } else {
    // too long for one line (a long name, or why the run fails): the tag stays on the heading,
    // the why goes under it, wrapped like every other line
    lines.push(`${paint('bold', name)}  ${paint(style, tag)}  ${place}`);
    if (shown.why.length > 0)
      for (const l of wrapLine(shown.why.join(', '), 2, 4)) {
        const at = l.length - l.trimStart().length;
        lines.push(l.slice(0, at) + paint(style, l.slice(at)));
      }
  }
  const where = pipeline.location ? ` (${formatLocation(pipeline.location)})` : '';
  lines.push(...wrap('  ', 2, sanitizeForTerminal(pipeline.arn + where)));
  for (const group of groupByStage(pipeline)) {
    const stageTitle =
      group.stage === undefined
        ? 'pipeline-level links'
        : 'stage ' + sanitizeForTerminal(group.stage);
    lines.push('  ' + paint('bold', stageTitle));
    for (const action of group.actions) {
      let indent = 4;
      if (action.action !== undefined) {
        lines.push('    action ' + sanitizeForTerminal(action.action));
        indent = 6;
      }
      for (const link of action.links) renderLink(link, indent, lines, paint);
    }
  }
}

const TAG_WIDTH = 10;
const FIELD_WIDTH = 13;

function renderLink(link: ReportLink, indent: number, lines: string[], paint: Paint): void {
  const status = linkStatus(link);
  const [tag, style] = STATUS_TAG[status];
  const pad = ' '.repeat(indent);
  const head = pad + paint(style, tag) + ' '.repeat(TAG_WIDTH - tag.length);
  const headWidth = indent + TAG_WIDTH;
  const u = sanitizeForTerminal;

  if (status === 'allowed') {
    lines.push(
      ...wrap(head, headWidth, `${u(link.permission)} ${u(link.principal)} -> ${u(link.resource)}`),
    );
    for (const w of link.warnings ?? []) {
      const prefix = ' '.repeat(indent + 2) + paint('yellow', 'warning'.padEnd(FIELD_WIDTH));
      lines.push(...wrap(prefix, indent + 2 + FIELD_WIDTH, u(w)));
    }
    return;
  }

  const notes: string[] = link.decision === 'Unknown' ? [] : [decisionLabel(link)];
  if (link.level === 'recommended') notes.push('recommended');
  const note = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  lines.push(...wrap(head, headWidth, u(link.permission) + note));

  const fieldIndent = indent + 2;
  const field = (name: string, value: string): void => {
    if (name.length >= FIELD_WIDTH) {
      // a label longer than its column (what missing input would settle) takes a line of its
      // own, and its value starts in the value column below it
      lines.push(' '.repeat(fieldIndent) + paint('dim', name));
      lines.push(
        ...wrap(' '.repeat(fieldIndent + FIELD_WIDTH), fieldIndent + FIELD_WIDTH, u(value)),
      );
      return;
    }
    const prefix = ' '.repeat(fieldIndent) + paint('dim', name.padEnd(FIELD_WIDTH));
    lines.push(...wrap(prefix, fieldIndent + FIELD_WIDTH, u(value)));
  };
  field('principal', link.principal);
  field('resource', link.resource);
  link.deniedBy.forEach((r, i) => {
    field(i === 0 ? 'decided by' : 'also', formatReason({ ...r, location: undefined }));
    if (r.location) field('  at', formatLocation(r.location));
  });
  field('why', link.why);
  if (link.missing && link.missing.length > 0) {
    // what it would settle, as every format says it: the link, or (denied) whether a deny applies
    field(settles(link), link.missing.join(', '));
  }
  if (link.fix) field('fix', link.fix);
  if (link.blocks && link.blocks.length > 0) field('blocks', link.blocks.join(', '));
  if (link.declaredAt) field('declared at', formatLocation(link.declaredAt));
  if (link.accepted) field('accepted', `${link.accepted.reason} (until ${link.accepted.expires})`);
  if (link.expired) {
    field(
      'expired',
      `accepted until ${link.expired.expires} (${link.expired.reason}): the baseline entry has expired, so the link fails the run`,
    );
  }
  if (link.doc) field('docs', link.doc);
  field('link', `${link.id} [${link.requirement}]`);
}

/**
 * Word-wrap `text` to WIDTH columns after a prefix of visible width `prefixWidth` (the prefix
 * may hold ANSI codes); continuation lines are indented to the same column. Words longer than
 * the room (ARNs) stay whole on their own line.
 */
function wrap(prefix: string, prefixWidth: number, text: string): string[] {
  const cont = ' '.repeat(prefixWidth);
  return wrapWords(text, WIDTH - prefixWidth, WIDTH - prefixWidth).map(
    (l, i) => (i === 0 ? prefix : cont) + l,
  );
}

/**
 * One line of text as lines of at most WIDTH columns: the first after `indent` columns, the
 * ones it continues on after `contIndent` (deeper, so they read as one line). A word is never
 * broken: one longer than the room (an ARN, a path) stays whole on its own line. `text` given as
 * a list is its words, each kept whole (a phrase of several words may be one).
 */
export function wrapLine(
  text: string | readonly string[],
  indent: number,
  contIndent: number,
): string[] {
  return wrapWords(text, WIDTH - indent, WIDTH - contIndent).map(
    (l, i) => ' '.repeat(i === 0 ? indent : contIndent) + l,
  );
}

/**
 * Words of `text` (split at spaces, or given: a word then may hold spaces and is kept whole)
 * filled into lines of `first`, then `rest` columns.
 */
function wrapWords(text: string | readonly string[], first: number, rest: number): string[] {
  const out: string[] = [];
  let room = Math.max(20, first);
  let line = '';
  for (const word of typeof text === 'string' ? text.split(' ') : text) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= room) line += ' ' + word;
    else {
      out.push(line);
      line = word;
      room = Math.max(20, rest);
    }
  }
  out.push(line);
  return out;
}
