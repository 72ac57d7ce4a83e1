/**
 * Baselines: known findings accepted for a while. An entry names a pipeline (name or ARN), a
 * link id, why it is accepted and until when (YYYY-MM-DD, inclusive). applyBaseline marks the
 * matching links `accepted`; entries past their date that still match are returned as expired
 * (the gate fails on them), entries that match no broken link as stale (to be removed).
 */
import { escapePointerToken, type Problem } from '../problems.js';
import { compareStrings, computeVerdict } from './summarize.js';
import type { Report, ReportLink, ReportPipeline } from './types.js';

export interface BaselineEntry {
  /** pipeline name, or its ARN when names are ambiguous */
  readonly pipeline: string;
  /** link id */
  readonly link: string;
  readonly reason: string;
  /** YYYY-MM-DD; the entry holds through that day */
  readonly expires: string;
}

export interface Baseline {
  readonly version: 1;
  readonly entries: readonly BaselineEntry[];
}

export interface BaselineResult {
  readonly report: Report;
  readonly expired: readonly BaselineEntry[];
  readonly stale: readonly BaselineEntry[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function matches(entry: BaselineEntry, pipeline: ReportPipeline, link: ReportLink): boolean {
  return (
    (entry.pipeline === pipeline.name || entry.pipeline === pipeline.arn) && entry.link === link.id
  );
}

export function applyBaseline(report: Report, baseline: Baseline, today: string): BaselineResult {
  const used = new Set<BaselineEntry>();
  const expired = new Set<BaselineEntry>();
  const pipelines = report.pipelines.map((pipeline) => {
    let changed = false;
    const links = pipeline.links.map((link) => {
      if (link.decision === 'Allowed') return link;
      const candidates = baseline.entries.filter((e) => matches(e, pipeline, link));
      for (const e of candidates) used.add(e);
      // YYYY-MM-DD strings compare as dates
      const live = candidates.find((e) => e.expires >= today);
      for (const e of candidates) if (e.expires < today) expired.add(e);
      if (!live) return link;
      changed = true;
      return { ...link, accepted: { reason: live.reason, expires: live.expires } };
    });
    if (!changed) return pipeline;
    return { ...pipeline, links, verdict: computeVerdict(links) };
  });
  // an expired entry is reported only when no live entry covers the same link
  const stillExpired = [...expired].filter(
    (e) =>
      !baseline.entries.some(
        (o) => o !== e && o.expires >= today && o.link === e.link && o.pipeline === e.pipeline,
      ),
  );
  return {
    report: { ...report, pipelines },
    expired: sortEntries(stillExpired),
    stale: sortEntries(baseline.entries.filter((e) => !used.has(e))),
  };
}

/**
 * A baseline accepting every link that is not allowed now. Links already accepted keep their
 * reason and date; the others get the given ones. Pipelines are named by name, or by ARN when
 * two pipelines of the report share a name.
 */
export function writeBaseline(
  report: Report,
  defaults: { reason: string; expires: string },
): Baseline {
  const nameCount = new Map<string, number>();
  for (const p of report.pipelines) nameCount.set(p.name, (nameCount.get(p.name) ?? 0) + 1);
  const entries: BaselineEntry[] = [];
  for (const p of report.pipelines) {
    const key = (nameCount.get(p.name) ?? 0) > 1 ? p.arn : p.name;
    for (const l of p.links) {
      if (l.decision === 'Allowed') continue;
      const a = l.accepted ?? defaults;
      entries.push({ pipeline: key, link: l.id, reason: a.reason, expires: a.expires });
    }
  }
  return { version: 1, entries: sortEntries(entries) };
}

function sortEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  return [...entries].sort(
    (a, b) =>
      compareStrings(a.pipeline, b.pipeline) ||
      compareStrings(a.link, b.link) ||
      compareStrings(a.expires, b.expires) ||
      compareStrings(a.reason, b.reason),
  );
}

const ENTRY_KEYS = ['pipeline', 'link', 'reason', 'expires'] as const;

/**
 * Read a baseline file's text. Bad input is a value: problems name the file and JSON pointer;
 * invalid entries are skipped, the valid ones kept. Unknown keys are rejected so a typo
 * (`expiry`) cannot silently make an entry never expire.
 */
export function parseBaseline(
  text: string,
  file: string,
): { baseline: Baseline; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (pointer: string, message: string, id: string): void => {
    problems.push({ file, pointer, message, id, severity: 'error' });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    problem('', `baseline is not valid json: ${(err as Error).message}`, 'baseline.json.invalid');
    return { baseline: { version: 1, entries: [] }, problems };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problem('', 'baseline must be a json object', 'baseline.shape.invalid');
    return { baseline: { version: 1, entries: [] }, problems };
  }
  const obj = doc as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k !== 'version' && k !== 'entries') {
      problem(`/${escapePointerToken(k)}`, `unknown key \`${k}\``, 'baseline.key.unknown');
    }
  }
  if (obj['version'] !== 1) {
    problem(
      '/version',
      `unsupported baseline version \`${String(obj['version'])}\`: expected \`1\``,
      'baseline.version.unsupported',
    );
    return { baseline: { version: 1, entries: [] }, problems };
  }
  const raw = obj['entries'];
  if (!Array.isArray(raw)) {
    problem('/entries', '`entries` must be an array', 'baseline.entries.invalid');
    return { baseline: { version: 1, entries: [] }, problems };
  }
  const entries: BaselineEntry[] = [];
  raw.forEach((e: unknown, i) => {
    const at = `/entries/${i}`;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      problem(at, 'entry must be an object', 'baseline.entry.invalid');
      return;
    }
    const rec = e as Record<string, unknown>;
    let ok = true;
    for (const k of Object.keys(rec)) {
      if (!(ENTRY_KEYS as readonly string[]).includes(k)) {
        problem(
          `${at}/${escapePointerToken(k)}`,
          `unknown key \`${k}\``,
          'baseline.entry.key-unknown',
        );
        ok = false;
      }
    }
    for (const k of ENTRY_KEYS) {
      const v = rec[k];
      if (typeof v !== 'string' || v === '') {
        problem(
          `${at}/${k}`,
          `\`${k}\` must be a non-empty string`,
          'baseline.entry.field-missing',
        );
        ok = false;
      }
    }
    if (ok && !isIsoDate(rec['expires'] as string)) {
      problem(
        `${at}/expires`,
        `\`${String(rec['expires'])}\` is not a date: expected YYYY-MM-DD`,
        'baseline.entry.expires-invalid',
      );
      ok = false;
    }
    if (ok) {
      const [pipeline, link, reason, expires] = ENTRY_KEYS.map((k) => rec[k] as string) as [
        string,
        string,
        string,
        string,
      ];
      entries.push({ pipeline, link, reason, expires });
    }
  });
  return { baseline: { version: 1, entries }, problems };
}
