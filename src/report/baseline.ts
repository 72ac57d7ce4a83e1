/**
 * Baselines: known findings accepted for a while. An entry names a pipeline (its ARN; entries
 * written by earlier versions may name it by name), a link id, the decision it accepts, why it
 * is accepted and until when (YYYY-MM-DD, inclusive).
 * applyBaseline marks the matching links `accepted`. An entry past its date that still matches
 * accepts nothing: its link is judged as without a baseline. When that link fails the run on its
 * own (under failOn) the entry is returned as expired and the link marked `expired` (the gate
 * fails on it, so an acceptance cannot silently outlive its date); otherwise (a recommended
 * link, an Unknown one under failOn 'denied') it is returned as lapsed, a warning: an expired
 * entry never makes the gate stricter than no baseline. Entries that match no broken link are
 * returned as stale (to be removed: the CLI warns of them), and entries whose link is now decided otherwise as changed
 * (the link is not accepted: an Unknown accepted yesterday must not hide a real denial today).
 * An entry naming a pipeline by name matches only when exactly one analyzed pipeline has that
 * name: pipelines of one name in two regions or accounts are two pipelines, and an entry written
 * for one must not accept the same failing link in the other (it is returned as ambiguous and
 * accepts nothing).
 * "Analyzed" counts every pipeline of the input when the caller passes them (options.pipelines).
 */
import { where } from '../load/jsonFile.js';
import { escapePointerToken, type Problem } from '../problems.js';
import { failureWithoutBaseline } from './gate.js';
import type { FailOn } from './options.js';
import { compareStrings, computeVerdict } from './summarize.js';
import type { LinkDecision, Report, ReportLink } from './types.js';

/** The decisions a baseline entry can accept: every one but Allowed. */
export type AcceptedDecision = Exclude<LinkDecision, 'Allowed'>;
const ACCEPTED_DECISIONS: readonly AcceptedDecision[] = [
  'ExplicitlyDenied',
  'ImplicitlyDenied',
  'Unknown',
];

export interface BaselineEntry {
  /**
   * the pipeline's ARN. Entries written by earlier versions may hold its name: such an entry
   * matches only while exactly one analyzed pipeline has that name
   */
  readonly pipeline: string;
  /** link id */
  readonly link: string;
  readonly reason: string;
  /** YYYY-MM-DD; the entry holds through that day */
  readonly expires: string;
  /**
   * the decision accepted; the link is accepted only while it is decided so. Absent in entries
   * written before decisions were recorded: those match the link whatever its decision
   */
  readonly decision?: AcceptedDecision;
}

export interface Baseline {
  readonly version: 1;
  readonly entries: readonly BaselineEntry[];
}

export interface BaselineResult {
  readonly report: Report;
  /** entries past their date whose link fails the run on its own: the run fails on them */
  readonly expired: readonly BaselineEntry[];
  /**
   * entries past their date whose link does not fail the run without a baseline (a recommended
   * link, an Unknown one under failOn 'denied'): they accept nothing, and are warnings only
   */
  readonly lapsed: readonly LapsedEntry[];
  /**
   * entries that match no link that is not allowed: the link is allowed now, or no analyzed
   * pipeline has it (the entry names a pipeline the input does not hold). To be removed, or they
   * would accept the failure if it came back. An entry of a pipeline of the input that was not
   * analyzed (options.pipelines holds more than the report) is not stale: it may still match
   */
  readonly stale: readonly BaselineEntry[];
  /** entries whose link is not accepted because it is now decided otherwise */
  readonly changed: readonly ChangedEntry[];
  /** entries naming by name a pipeline that several analyzed pipelines are named: they accept nothing */
  readonly ambiguous: readonly AmbiguousEntry[];
  /**
   * groups of entries that match the same link (say one expired and one live): only one
   * decides, so the file says two things about one link. Each group sorted as a baseline file is
   */
  readonly duplicates: readonly (readonly BaselineEntry[])[];
}

export interface AmbiguousEntry {
  readonly entry: BaselineEntry;
  /** the ARNs of the analyzed pipelines with that name, sorted */
  readonly pipelines: readonly string[];
}

export interface LapsedEntry {
  readonly entry: BaselineEntry;
  /** the link's decision and level, which do not fail the run under failOn */
  readonly decision: LinkDecision;
  readonly level: ReportLink['level'];
}

export interface ChangedEntry {
  readonly entry: BaselineEntry;
  /** what the link is decided now */
  readonly decision: LinkDecision;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The entry names this pipeline: by ARN, or (entries of earlier versions) by a name that only
 * this pipeline of the input has.
 */
export function namesPipeline(
  entry: BaselineEntry,
  pipeline: { readonly name: string; readonly arn: string },
  byName: ReadonlyMap<string, readonly string[]>,
): boolean {
  if (entry.pipeline === pipeline.arn) return true;
  const named = byName.get(pipeline.name);
  return entry.pipeline === pipeline.name && named?.length === 1 && named[0] === pipeline.arn;
}

export interface ApplyBaselineOptions {
  /**
   * every pipeline of the input, analyzed or not (default: the report's). An entry naming a
   * pipeline by name matches only when exactly one of them has that name: with `--pipeline`,
   * a name unique among the analyzed pipelines may still be another region's pipeline too
   */
  readonly pipelines?: readonly { readonly name: string; readonly arn: string }[];
  /**
   * what fails the run (default 'denied'): an expired entry whose link does not fail under it is
   * lapsed, not expired
   */
  readonly failOn?: FailOn;
}

/** The ARNs of the pipelines of each name. */
export function pipelinesByName(
  pipelines: readonly { readonly name: string; readonly arn: string }[],
): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const p of pipelines) byName.set(p.name, [...(byName.get(p.name) ?? []), p.arn]);
  return byName;
}

export function applyBaseline(
  report: Report,
  baseline: Baseline,
  today: string,
  options: ApplyBaselineOptions = {},
): BaselineResult {
  const all = options.pipelines ?? report.pipelines;
  const byName = pipelinesByName(all);
  const arns = new Set(all.map((p) => p.arn));
  const analyzed = new Set(report.pipelines.map((p) => p.arn));
  // the pipelines of the input not analyzed (--pipeline): none in the usual run
  const unanalyzed = all.filter((p) => !analyzed.has(p.arn));
  const ambiguous = new Map<BaselineEntry, readonly string[]>();
  for (const e of baseline.entries) {
    const named = byName.get(e.pipeline);
    if (named && named.length > 1 && !arns.has(e.pipeline)) {
      ambiguous.set(e, [...named].sort(compareStrings));
    }
  }
  const used = new Set<BaselineEntry>(ambiguous.keys());
  const duplicates: BaselineEntry[][] = [];
  const expired = new Set<BaselineEntry>();
  const lapsed = new Map<BaselineEntry, LapsedEntry>();
  const changed = new Map<BaselineEntry, LinkDecision>();
  const pipelines = report.pipelines.map((pipeline) => {
    let changedLinks = false;
    const links = pipeline.links.map((link) => {
      if (link.decision === 'Allowed') return link;
      const candidates = baseline.entries.filter(
        (e) => e.link === link.id && namesPipeline(e, pipeline, byName),
      );
      for (const e of candidates) used.add(e);
      if (candidates.length > 1) duplicates.push(sortBaselineEntries(candidates));
      const same = candidates.filter(
        (e) => e.decision === undefined || e.decision === link.decision,
      );
      // YYYY-MM-DD strings compare as dates
      const live = same.find((e) => e.expires >= today);
      if (!live) {
        // an expired entry is reported only when no live entry covers the same link
        const past = sortBaselineEntries(same.filter((e) => e.expires < today));
        for (const e of candidates) if (!same.includes(e)) changed.set(e, link.decision);
        const last = past.at(-1);
        if (!last) return link;
        // a link that would not fail without a baseline does not fail for an expired entry
        if (failureWithoutBaseline(link, options.failOn) === undefined) {
          for (const e of past) {
            lapsed.set(e, { entry: e, decision: link.decision, level: link.level });
          }
          return link;
        }
        for (const e of past) expired.add(e);
        // the link says so itself, so every report names the expired acceptance
        changedLinks = true;
        return { ...link, expired: { reason: last.reason, expires: last.expires } };
      }
      changedLinks = true;
      return { ...link, accepted: { reason: live.reason, expires: live.expires } };
    });
    if (!changedLinks) return pipeline;
    return { ...pipeline, links, verdict: computeVerdict(links) };
  });
  return {
    report: { ...report, pipelines },
    expired: sortBaselineEntries([...expired]),
    lapsed: sortBaselineEntries([...lapsed.keys()]).map((e) => lapsed.get(e)!),
    // an entry of a pipeline of the input that was not analyzed (--pipeline) may still match
    stale: sortBaselineEntries(
      baseline.entries.filter(
        (e) => !used.has(e) && !unanalyzed.some((p) => namesPipeline(e, p, byName)),
      ),
    ),
    changed: sortBaselineEntries([...changed.keys()]).map((entry) => ({
      entry,
      decision: changed.get(entry)!,
    })),
    ambiguous: sortBaselineEntries([...ambiguous.keys()]).map((entry) => ({
      entry,
      pipelines: ambiguous.get(entry)!,
    })),
    duplicates,
  };
}

/**
 * One line for entries that match the same link: which one decides (a live entry of the
 * link's decision, else none), so a forgotten expired or stale twin is seen and removed.
 */
export function describeDuplicateEntries(
  group: readonly BaselineEntry[],
  where: (e: BaselineEntry) => string,
): string {
  const first = group[0]!;
  const list = group
    .map((e) => `${where(e)} (${e.decision ?? 'any decision'}, until ${e.expires})`)
    .join(', ');
  return (
    `${group.length} baseline entries match \`${first.pipeline}\` / \`${first.link}\`: ${list}; ` +
    "a live entry of the link's decision accepts it, the others say nothing: keep one"
  );
}

/** One line for an entry that names by name a pipeline several analyzed pipelines are named. */
export function describeAmbiguousEntry(a: AmbiguousEntry): string {
  return (
    `baseline entry for \`${a.entry.pipeline}\` / \`${a.entry.link}\` names the pipeline by name, ` +
    `and ${a.pipelines.length} analyzed pipelines have that name (${a.pipelines.map((p) => `\`${p}\``).join(', ')}): ` +
    'it accepts nothing (run `permchain baseline` again: entries name pipelines by ARN)'
  );
}

/** One line for an entry past its date whose link does not fail the run without it. */
export function describeLapsedEntry(l: LapsedEntry, failOn: FailOn = 'denied'): string {
  const why =
    failOn === 'never'
      ? 'nothing fails the run under --fail-on never'
      : l.level === 'recommended'
        ? 'a recommended link is a warning, never a failure'
        : 'an Unknown link fails the run only under --fail-on unknown';
  return (
    `baseline entry for \`${l.entry.pipeline}\` / \`${l.entry.link}\` expired on ${l.entry.expires}: ` +
    `it accepts nothing, and the link (${l.decision}) is judged as without a baseline, where it ` +
    `does not fail the run (${why}); renew the entry or remove it`
  );
}

/** One line for an entry that matches no link that is not allowed: it should go. */
export function describeStaleEntry(entry: BaselineEntry): string {
  return (
    `baseline entry for \`${entry.pipeline}\` / \`${entry.link}\` matches no link that is not ` +
    'allowed (the link is allowed now, or no analyzed pipeline has it): remove it, or it accepts ' +
    'the failure if it comes back'
  );
}

/** One line for an entry whose link is decided otherwise now (the link is not accepted). */
export function describeChangedEntry(c: ChangedEntry): string {
  return (
    `baseline entry for \`${c.entry.pipeline}\` / \`${c.entry.link}\` accepts ${c.entry.decision ?? 'any decision'}, ` +
    `but the link is now ${c.decision}: not accepted (run \`permchain baseline\` again to accept it)`
  );
}

/**
 * A baseline accepting every link that is not allowed now. Links already accepted keep their
 * reason and date; the others get the given ones. Pipelines are named by ARN, always: a name
 * unique in this run may not be unique in the next (another region or account, another
 * --pipeline), and an entry must not accept a link of another pipeline.
 */
export function writeBaseline(
  report: Report,
  defaults: { reason: string; expires: string },
): Baseline {
  const entries: BaselineEntry[] = [];
  for (const p of report.pipelines) {
    const key = p.arn;
    for (const l of p.links) {
      if (l.decision === 'Allowed') continue;
      const a = l.accepted ?? defaults;
      entries.push({
        pipeline: key,
        link: l.id,
        decision: l.decision,
        reason: a.reason,
        expires: a.expires,
      });
    }
  }
  return { version: 1, entries: sortBaselineEntries(entries) };
}

/** Entries in file order: pipeline, link, expiry, reason, decision. */
export function sortBaselineEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  return [...entries].sort(
    (a, b) =>
      compareStrings(a.pipeline, b.pipeline) ||
      compareStrings(a.link, b.link) ||
      compareStrings(a.expires, b.expires) ||
      compareStrings(a.reason, b.reason) ||
      compareStrings(a.decision ?? '', b.decision ?? ''),
  );
}

const ENTRY_KEYS = ['pipeline', 'link', 'reason', 'expires'] as const;
const OPTIONAL_ENTRY_KEYS = ['decision'] as const;

/**
 * Read a baseline file's text. Bad input is a value: problems name the file and JSON pointer;
 * invalid entries are skipped, the valid ones kept. Unknown keys are rejected so a typo
 * (`expiry`) cannot silently make an entry never expire. A parse error says where (line and
 * column), never quoting the text.
 */
export function parseBaseline(text: string, file: string): ParsedBaseline {
  let doc: unknown;
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    doc = JSON.parse(json);
  } catch {
    return {
      baseline: { version: 1, entries: [] },
      pointers: new Map(),
      problems: [
        {
          file,
          pointer: '',
          message: `baseline is not valid json${where(json)}`,
          id: 'baseline.json.invalid',
          severity: 'error',
        },
      ],
    };
  }
  return baselineFromJson(doc, file);
}

export interface ParsedBaseline {
  readonly baseline: Baseline;
  readonly problems: Problem[];
  /** where each entry is in the file (`/entries/3`) */
  readonly pointers: ReadonlyMap<BaselineEntry, string>;
}

/** A parsed baseline document (see parseBaseline). */
export function baselineFromJson(doc: unknown, file: string): ParsedBaseline {
  const problems: Problem[] = [];
  const pointers = new Map<BaselineEntry, string>();
  const problem = (pointer: string, message: string, id: string): void => {
    problems.push({ file, pointer, message, id, severity: 'error' });
  };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problem('', 'baseline must be a json object', 'baseline.shape.invalid');
    return { baseline: { version: 1, entries: [] }, problems, pointers };
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
    return { baseline: { version: 1, entries: [] }, problems, pointers };
  }
  const raw = obj['entries'];
  if (!Array.isArray(raw)) {
    problem('/entries', '`entries` must be an array', 'baseline.entries.invalid');
    return { baseline: { version: 1, entries: [] }, problems, pointers };
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
      if (
        !(ENTRY_KEYS as readonly string[]).includes(k) &&
        !(OPTIONAL_ENTRY_KEYS as readonly string[]).includes(k)
      ) {
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
    const decision = rec['decision'];
    if (decision !== undefined && !(ACCEPTED_DECISIONS as readonly unknown[]).includes(decision)) {
      problem(
        `${at}/decision`,
        `\`decision\` must be one of ${ACCEPTED_DECISIONS.join(', ')}`,
        'baseline.entry.decision-invalid',
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
      const entry: BaselineEntry = {
        pipeline,
        link,
        reason,
        expires,
        ...(decision !== undefined ? { decision: decision as AcceptedDecision } : {}),
      };
      entries.push(entry);
      pointers.set(entry, at);
    }
  });
  return { baseline: { version: 1, entries }, problems, pointers };
}
