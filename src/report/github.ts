/**
 * GitHub Actions workflow commands: `::error file=...,line=...,title=...::message` per required
 * link denied (under failOn 'never' too: the kind is the severity of the finding, as the SARIF
 * level, src/report/summarize.ts findingSeverity) and per link that fails the run (an unknown
 * link under failOn 'unknown'), `::warning` for recommended denials and the other unknown links,
 * `::notice` for accepted ones,
 * then the input problems, then a plain summary line.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */
import { sortProblems } from '../problems.js';
import { NO_PIPELINES_ID, gateSentence, gateSummary, linkFailure } from './gate.js';
import { locationLine, type ReportOptions } from './options.js';
import { sanitizeForTerminal } from './sanitize.js';
import {
  decidingReason,
  findingSeverity,
  formatReason,
  linkSentence,
  linkStatus,
  plural,
  summarize,
  toRepoPath,
  toWellFormed,
} from './summarize.js';
import type { Location, Report } from './types.js';

/**
 * Message data: `%`, CR and LF are percent-encoded (the runner decodes them); other control
 * characters and the bidirectional controls (U+202A–U+202E, U+2066–U+2069) are shown as `\xNN`
 * / `\uNNNN` so a value cannot drive the log viewer's terminal emulation or reorder its text.
 */
export function escapeCommandData(s: string): string {
  return (
    toWellFormed(s)
      .replace(/%/g, '%25')
      .replace(/\r/g, '%0D')
      .replace(/\n/g, '%0A')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
        const code = c.charCodeAt(0);
        return code <= 0xff
          ? '\\x' + code.toString(16).padStart(2, '0')
          : '\\u' + code.toString(16);
      })
  );
}

/** Property values: additionally `:` and `,`, which separate properties. */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(
  kind: 'error' | 'warning' | 'notice',
  props: readonly (readonly [string, string | number | undefined])[],
  message: string,
): string {
  const p = props
    .filter((x): x is readonly [string, string | number] => x[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeCommandProperty(String(v))}`)
    .join(',');
  return `::${kind}${p ? ' ' + p : ''}::${escapeCommandData(message)}`;
}

function fileProps(
  loc: Location | undefined,
  options: ReportOptions,
): [string, string | number | undefined][] {
  if (!loc) return [];
  // a snapshot file's location (a JSON pointer, no line) is at the line where the pointer's value
  // starts (options.pointerLine), as in SARIF; a column only where the input gives one
  const line = locationLine(loc, options);
  return [
    ['file', toRepoPath(loc.file, options.root, options.snapshotRoot)],
    ['line', line],
    ['col', line !== undefined && line === loc.line ? loc.column : undefined],
  ];
}

export function renderGithub(report: Report, options: ReportOptions = {}): string {
  const failOn = options.failOn ?? 'denied';
  const gate = gateSummary(report, failOn);
  const lines: string[] = [];
  for (const pipeline of report.pipelines) {
    for (const link of pipeline.links) {
      const status = linkStatus(link);
      if (status === 'allowed') continue;
      const reason = decidingReason(link);
      // annotate the deciding statement when known (that is where the fix goes), else the action
      const loc = reason?.location ?? link.declaredAt ?? pipeline.location;
      const where = [pipeline.name, link.stage, link.action]
        .filter((x) => x !== undefined)
        .join('/');
      const parts = [`${linkSentence(link)}`, `why: ${link.why}`];
      if (reason) parts.push(`decided by: ${formatReason(reason)}`);
      if (link.missing && link.missing.length > 0)
        parts.push(`missing: ${link.missing.join(', ')}`);
      if (link.fix) parts.push(`fix: ${link.fix}`);
      if (link.accepted)
        parts.push(`accepted until ${link.accepted.expires}: ${link.accepted.reason}`);
      if (link.expired) {
        parts.push(
          `baseline entry expired on ${link.expired.expires} (${link.expired.reason}): the link fails the run`,
        );
      }
      // the severity of the finding, as the SARIF level (findingSeverity): an error for a
      // required denial (under --fail-on never too) and for what fails the run; an accepted
      // link, which SARIF marks suppressed, is a notice
      const failure = linkFailure(link, failOn);
      const severity = findingSeverity(link, failure !== undefined);
      const kind = status === 'accepted' ? 'notice' : severity === 'error' ? 'error' : 'warning';
      const fails =
        failure === 'unknown'
          ? ', fails the run: --fail-on unknown'
          : failure === 'expired'
            ? ', fails the run: baseline entry expired'
            : '';
      const title = `permchain ${status}${fails}: ${link.permission} (${where})`;
      lines.push(command(kind, [...fileProps(loc, options), ['title', title]], parts.join('\n')));
    }
  }
  // links that work but are wider than they should be: a notice each, never a failure (SARIF
  // writes them as notes)
  for (const pipeline of report.pipelines) {
    for (const link of pipeline.links) {
      if (link.decision !== 'Allowed') continue;
      for (const w of link.warnings ?? []) {
        const where = [pipeline.name, link.stage, link.action]
          .filter((x) => x !== undefined)
          .join('/');
        const loc = link.declaredAt ?? pipeline.location;
        lines.push(
          command(
            'notice',
            [
              ...fileProps(loc, options),
              [
                'title',
                `permchain allowed, but wider than it should be: ${link.permission} (${where})`,
              ],
            ],
            `${linkSentence(link)}\nwarning: ${w}`,
          ),
        );
      }
    }
  }
  for (const p of sortProblems(report.problems)) {
    const loc = p.file !== undefined ? { file: p.file, pointer: p.pointer } : undefined;
    const msg = p.pointer ? `${p.pointer}: ${p.message} [${p.id}]` : `${p.message} [${p.id}]`;
    // the warning that no pipeline was found fails the run under failOn 'unknown'
    const kind = p.id === NO_PIPELINES_ID && gate.noPipelinesFails ? 'error' : p.severity;
    lines.push(command(kind, [...fileProps(loc, options), ['title', `permchain ${p.id}`]], msg));
  }
  const s = summarize(report);
  lines.push(
    `permchain: ${plural(s.pipelines.total, 'pipeline')} (${gate.failingPipelines} fail), ` +
      `${s.links.denied} denied, ${s.links.unknown} unknown, ${plural(s.links.warning, 'warning')}` +
      (s.links.accepted > 0 ? `, ${s.links.accepted} accepted` : '') +
      (s.links.wide > 0 ? `, ${s.links.wide} allowed but wider than it should be` : '') +
      `; ${sanitizeForTerminal(gateSentence(gate, failOn))}`,
  );
  return lines.join('\n') + '\n';
}
