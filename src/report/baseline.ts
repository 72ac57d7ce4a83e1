/**
 * Baselines: known findings accepted for a while. An entry names a pipeline (its ARN; entries
 * written by earlier versions may name it by name), a link id, what it accepts (the decision, the
 * link's principal and resource, and the policies that decide it: a link id holds neither the
 * principal nor the resource), why it is accepted and until when (YYYY-MM-DD, inclusive).
 * applyBaseline marks the matching links `accepted`. An entry past its date that still matches
 * accepts nothing: its link is judged as without a baseline. When that link fails the run on its
 * own (under failOn) the entry is returned as expired and the link marked `expired` (the gate
 * fails on it, so an acceptance cannot silently outlive its date); otherwise (a recommended
 * link, an Unknown one under failOn 'denied') it is returned as lapsed, a warning: an expired
 * entry never makes the gate stricter than no baseline. Entries that match no broken link are
 * returned as stale (to be removed: the CLI warns of them), and entries whose link is now decided
 * otherwise, or for another cause, as changed (the link is not accepted: an Unknown accepted
 * yesterday must not hide a real denial today, nor a denial by the key policy one by the role's
 * own policy, or one on another key). Entries written before causes were recorded (version 1)
 * hold no principal, resource or deciding policies: they match whatever those are (the decision
 * alone is checked, when they record it), and parsing such a file gives a warning
 * (`baseline.entry.cause-unrecorded`) asking to run `permchain baseline` again.
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
import { compareStrings, computeVerdict, formatReason, namesPolicyGroup } from './summarize.js';
import type { PolicyType } from '../policy/types.js';
import type { LinkDecision, LinkReason, Report, ReportLink } from './types.js';

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
  /**
   * the link's principal when it was accepted; the link is accepted only while it has it. Absent
   * in entries written before causes were recorded (version 1): those match any principal
   */
  readonly principal?: string;
  /** the link's resource when it was accepted (absent: any resource, as for principal) */
  readonly resource?: string;
  /**
   * the policies that decided the link when it was accepted (its `deniedBy`, without locations,
   * sorted: see decidingReasons); the link is accepted only while the same policies decide it.
   * Absent: whatever decides it, as for principal
   */
  readonly deniedBy?: readonly BaselineReason[];
}

/** A deciding policy as an entry records it: a report's LinkReason without its location. */
export type BaselineReason = Omit<LinkReason, 'location'>;

/**
 * The version written: 2 records each entry's principal, resource and deciding policies; files of
 * version 1 (which have none) are still read.
 */
export const BASELINE_VERSION = 2;

export interface Baseline {
  readonly version: 1 | 2;
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
  /**
   * entries whose link is not accepted because it is now decided otherwise, or has another
   * principal or resource, or other policies decide it
   */
  readonly changed: readonly ChangedEntry[];
  /**
   * live entries that accepted a link while recording no principal, resource or deciding
   * policies (written by an earlier version): they accept it whatever those are
   */
  readonly unrecorded: readonly BaselineEntry[];
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
  /** the link's principal now, when the entry records another one */
  readonly principal?: string;
  /** the link's resource now, when the entry records another one */
  readonly resource?: string;
  /** the policies that decide the link now (sorted), when the entry records others */
  readonly deniedBy?: readonly BaselineReason[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The order of deciding policies in an entry: type, policy, statement, explicit. */
function compareReasons(a: BaselineReason, b: BaselineReason): number {
  const str = (v: string | number | undefined): string =>
    v === undefined ? '' : `${typeof v === 'number' ? 'n' : 's'}${String(v)}`;
  return (
    compareStrings(a.policyType, b.policyType) ||
    compareStrings(str(a.policy), str(b.policy)) ||
    compareStrings(str(a.statement), str(b.statement)) ||
    Number(a.explicit) - Number(b.explicit)
  );
}

/**
 * The policies that decide a link, as an entry records them: its `deniedBy` without locations
 * (a policy moved down a file still decides it), sorted, each once.
 */
export function decidingReasons(link: Pick<ReportLink, 'deniedBy'>): readonly BaselineReason[] {
  const out: BaselineReason[] = [];
  for (const r of link.deniedBy) {
    const reason: BaselineReason = {
      policyType: r.policyType,
      policy: r.policy,
      ...(r.statement !== undefined ? { statement: r.statement } : {}),
      explicit: r.explicit,
    };
    if (!out.some((o) => compareReasons(o, reason) === 0)) out.push(reason);
  }
  return out.sort(compareReasons);
}

/**
 * A deciding policy as entries written before groups of policies were named recorded it: the
 * missing allow of several identity policies was `identity policies` (now `identity policies of
 * <principal ARN>`: the entry's principal is matched on its own), and that of an SCP level with
 * several SCPs `level N` (now `SCPs attached to <target> (level N of M): <SCPs>`, which keeps N).
 * Such an entry still matches the link it was written for; any other reason is as it is.
 */
export function legacyReason(r: BaselineReason): BaselineReason {
  if (!namesPolicyGroup(r)) return r;
  const policy = r.policy as string;
  if (r.policyType === 'identity') return { ...r, policy: 'identity policies' };
  const level = /^SCPs (?:attached to \S+ \(|of )level (\d+) of \d+\)?: /.exec(policy);
  return level ? { ...r, policy: `level ${level[1]!}` } : r;
}

/** Two lists of deciding policies name the same policies (in any order). */
export function sameReasons(a: readonly BaselineReason[], b: readonly BaselineReason[]): boolean {
  const x = [...a].sort(compareReasons);
  const y = [...b].sort(compareReasons);
  return x.length === y.length && x.every((r, i) => compareReasons(r, y[i]!) === 0);
}

/**
 * What of the entry the link no longer matches: the link's decision, principal, resource and
 * deciding policies now, for each the entry records otherwise; undefined when it matches. A member
 * the entry does not record (entries of earlier versions) matches anything.
 */
function mismatch(e: BaselineEntry, link: ReportLink): Omit<ChangedEntry, 'entry'> | undefined {
  const decision = e.decision !== undefined && e.decision !== link.decision;
  const principal = e.principal !== undefined && e.principal !== link.principal;
  const resource = e.resource !== undefined && e.resource !== link.resource;
  const now = e.deniedBy !== undefined ? decidingReasons(link) : undefined;
  const reasons =
    e.deniedBy !== undefined &&
    !sameReasons(e.deniedBy, now!) &&
    !sameReasons(e.deniedBy, now!.map(legacyReason));
  if (!decision && !principal && !resource && !reasons) return undefined;
  return {
    decision: link.decision,
    ...(principal ? { principal: link.principal } : {}),
    ...(resource ? { resource: link.resource } : {}),
    ...(reasons ? { deniedBy: now! } : {}),
  };
}

/** The entry records no cause: written before principal, resource and policies were recorded. */
function recordsNoCause(e: BaselineEntry): boolean {
  return e.principal === undefined && e.resource === undefined && e.deniedBy === undefined;
}

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
  const changed = new Map<BaselineEntry, Omit<ChangedEntry, 'entry'>>();
  const unrecorded = new Set<BaselineEntry>();
  const pipelines = report.pipelines.map((pipeline) => {
    let changedLinks = false;
    const links = pipeline.links.map((link) => {
      if (link.decision === 'Allowed') return link;
      const candidates = baseline.entries.filter(
        (e) => e.link === link.id && namesPipeline(e, pipeline, byName),
      );
      for (const e of candidates) used.add(e);
      if (candidates.length > 1) duplicates.push(sortBaselineEntries(candidates));
      // an entry accepts the link only while it is decided so, on the same principal and
      // resource, by the same policies (each as far as the entry records it)
      const differs = new Map<BaselineEntry, Omit<ChangedEntry, 'entry'>>();
      for (const e of candidates) {
        const m = mismatch(e, link);
        if (m) differs.set(e, m);
      }
      const same = candidates.filter((e) => !differs.has(e));
      // YYYY-MM-DD strings compare as dates
      const live = same.find((e) => e.expires >= today);
      if (!live) {
        // an expired entry is reported only when no live entry covers the same link
        const past = sortBaselineEntries(same.filter((e) => e.expires < today));
        for (const [e, m] of differs) changed.set(e, m);
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
      if (recordsNoCause(live)) unrecorded.add(live);
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
      ...changed.get(entry)!,
    })),
    unrecorded: sortBaselineEntries([...unrecorded]),
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

/** Deciding policies in words, comma-separated; none: what decides it is not a policy. */
export function describeReasons(reasons: readonly BaselineReason[]): string {
  return reasons.length === 0
    ? 'no policy (its configuration decides it)'
    : reasons.map(formatReason).join(', ');
}

/**
 * One line for an entry whose link is decided otherwise now, or has another principal or
 * resource, or is decided by other policies: it says each of these that changed (the link is
 * not accepted). `rewriting`: said by `permchain baseline`, which writes the link anew.
 */
export function describeChangedEntry(c: ChangedEntry, rewriting = false): string {
  const e = c.entry;
  const what: string[] = [];
  if (e.decision !== undefined && e.decision !== c.decision) {
    what.push(`accepts ${e.decision}, but the link is now ${c.decision}`);
  }
  if (c.principal !== undefined) {
    what.push(
      `accepts it for principal \`${e.principal!}\`, but the link's principal is now \`${c.principal}\``,
    );
  }
  if (c.resource !== undefined) {
    what.push(
      `accepts it on resource \`${e.resource!}\`, but the link is now on \`${c.resource}\``,
    );
  }
  // another decision has other deciding policies: they are said only for the same decision
  if (c.deniedBy !== undefined && (e.decision === undefined || e.decision === c.decision)) {
    what.push(
      `accepts it denied by ${describeReasons(e.deniedBy ?? [])}, but it is now denied by ` +
        describeReasons(c.deniedBy),
    );
  }
  return (
    `baseline entry for \`${e.pipeline}\` / \`${e.link}\` ${what.join('; ')}: not accepted ` +
    (rewriting
      ? '(its reason and date are not kept: the link is written with --reason and --expires)'
      : '(run `permchain baseline` again to accept it)')
  );
}

/**
 * A baseline accepting every link that is not allowed now, each entry recording the link's
 * decision, principal, resource and deciding policies. Links already accepted (by an entry of
 * the same cause: applyBaseline) keep their reason and date; the others get the given ones, so
 * a reason is never carried over to another cause. Pipelines are named by ARN, always: a name
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
        principal: l.principal,
        resource: l.resource,
        deniedBy: decidingReasons(l),
        reason: a.reason,
        expires: a.expires,
      });
    }
  }
  return { version: BASELINE_VERSION, entries: sortBaselineEntries(entries) };
}

/**
 * Entries in file order: pipeline, link, expiry, reason, decision, principal, resource, deciding
 * policies.
 */
export function sortBaselineEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  const reasons = (e: BaselineEntry): string =>
    e.deniedBy === undefined ? '' : JSON.stringify(e.deniedBy);
  return [...entries].sort(
    (a, b) =>
      compareStrings(a.pipeline, b.pipeline) ||
      compareStrings(a.link, b.link) ||
      compareStrings(a.expires, b.expires) ||
      compareStrings(a.reason, b.reason) ||
      compareStrings(a.decision ?? '', b.decision ?? '') ||
      compareStrings(a.principal ?? '', b.principal ?? '') ||
      compareStrings(a.resource ?? '', b.resource ?? '') ||
      compareStrings(reasons(a), reasons(b)),
  );
}

const ENTRY_KEYS = ['pipeline', 'link', 'reason', 'expires'] as const;
const OPTIONAL_ENTRY_KEYS = ['decision'] as const;
/** the members version 2 adds: an entry holds all of them or none (one an older version kept) */
const CAUSE_KEYS = ['principal', 'resource', 'deniedBy'] as const;
const REASON_KEYS = ['policyType', 'policy', 'statement', 'explicit'] as const;
const POLICY_TYPES: readonly PolicyType[] = [
  'identity',
  'resource',
  'permissionBoundary',
  'session',
  'scp',
  'rcp',
];
/** the id of the warning for a file whose entries record no cause (written by an older version) */
export const CAUSE_UNRECORDED = 'baseline.entry.cause-unrecorded';

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
      baseline: { version: BASELINE_VERSION, entries: [] },
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
    return { baseline: { version: BASELINE_VERSION, entries: [] }, problems, pointers };
  }
  const obj = doc as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k !== 'version' && k !== 'entries') {
      problem(`/${escapePointerToken(k)}`, `unknown key \`${k}\``, 'baseline.key.unknown');
    }
  }
  const version = obj['version'];
  if (version !== 1 && version !== 2) {
    problem(
      '/version',
      `unsupported baseline version \`${String(version)}\`: expected \`1\` or \`${BASELINE_VERSION}\``,
      'baseline.version.unsupported',
    );
    return { baseline: { version: BASELINE_VERSION, entries: [] }, problems, pointers };
  }
  const raw = obj['entries'];
  if (!Array.isArray(raw)) {
    problem('/entries', '`entries` must be an array', 'baseline.entries.invalid');
    return { baseline: { version, entries: [] }, problems, pointers };
  }
  // both versions are read alike: a file of version 1 whose entries record a cause (entries
  // of a version 2 file copied into it) is read as recording it
  const optional: readonly string[] = [...OPTIONAL_ENTRY_KEYS, ...CAUSE_KEYS];
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
      if (!(ENTRY_KEYS as readonly string[]).includes(k) && !optional.includes(k)) {
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
    const cause = causeFromJson(rec, at, problem);
    if (cause === undefined) ok = false;
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
        ...cause,
      };
      entries.push(entry);
      pointers.set(entry, at);
    }
  });
  // entries of an older version accept their link whatever its principal, resource and deciding
  // policies: said once per file, at the first of them (a file of version 1, or of version 2
  // keeping them: `baseline --pipeline` keeps the entries of the pipelines it leaves out)
  const unrecorded = entries.filter(recordsNoCause);
  if (unrecorded.length > 0) {
    problems.push({
      file,
      pointer: pointers.get(unrecorded[0]!) ?? '',
      message:
        `the ${unrecorded.length === 1 ? 'entry' : `${unrecorded.length} entries`} written by ` +
        `an earlier version ${unrecorded.length === 1 ? 'records' : 'record'} no principal, ` +
        'resource or deciding policies: each accepts its link whatever they are, checking its ' +
        'decision alone; run `permchain baseline` again to record them ' +
        `(version ${BASELINE_VERSION})`,
      id: CAUSE_UNRECORDED,
      severity: 'warning',
    });
  }
  return { baseline: { version, entries }, problems, pointers };
}

/**
 * The cause members of an entry (version 2): all of principal, resource and deniedBy, or none
 * (an entry of an older version, kept by `baseline --pipeline`). Undefined when they are wrong,
 * after saying so.
 */
function causeFromJson(
  rec: Record<string, unknown>,
  at: string,
  problem: (pointer: string, message: string, id: string) => void,
): Pick<BaselineEntry, 'principal' | 'resource' | 'deniedBy'> | undefined {
  const present = CAUSE_KEYS.filter((k) => rec[k] !== undefined);
  if (present.length === 0) return {};
  let ok = true;
  for (const k of CAUSE_KEYS) {
    if (rec[k] === undefined) {
      problem(
        `${at}/${k}`,
        `\`${k}\` is missing: an entry records principal, resource and deniedBy together, or none of them`,
        'baseline.entry.field-missing',
      );
      ok = false;
    }
  }
  for (const k of ['principal', 'resource'] as const) {
    const v = rec[k];
    if (v !== undefined && (typeof v !== 'string' || v === '')) {
      problem(`${at}/${k}`, `\`${k}\` must be a non-empty string`, 'baseline.entry.field-missing');
      ok = false;
    }
  }
  const raw = rec['deniedBy'];
  const deniedBy: BaselineReason[] = [];
  if (raw !== undefined && !Array.isArray(raw)) {
    problem(`${at}/deniedBy`, '`deniedBy` must be an array', 'baseline.entry.denied-by-invalid');
    ok = false;
  } else if (Array.isArray(raw)) {
    raw.forEach((r: unknown, i) => {
      const reason = reasonFromJson(r);
      if (typeof reason === 'string') {
        problem(`${at}/deniedBy/${i}`, reason, 'baseline.entry.denied-by-invalid');
        ok = false;
      } else deniedBy.push(reason);
    });
  }
  if (!ok) return undefined;
  return {
    principal: rec['principal'] as string,
    resource: rec['resource'] as string,
    deniedBy: decidingReasons({ deniedBy }),
  };
}

/** A deciding policy of an entry, or what is wrong with it. */
function reasonFromJson(r: unknown): BaselineReason | string {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    return 'a deciding policy must be an object';
  }
  const rec = r as Record<string, unknown>;
  const unknown = Object.keys(rec).filter((k) => !(REASON_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    return `unknown key \`${unknown[0]!}\` (expected ${REASON_KEYS.join(', ')})`;
  }
  const { policyType, policy, statement, explicit } = rec;
  if (!(POLICY_TYPES as readonly unknown[]).includes(policyType)) {
    return `\`policyType\` must be one of ${POLICY_TYPES.join(', ')}`;
  }
  const name = (v: unknown): boolean =>
    (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v));
  if (!name(policy)) return '`policy` must be a non-empty string or a number';
  if (statement !== undefined && !name(statement)) {
    return '`statement` must be a non-empty string or a number';
  }
  if (typeof explicit !== 'boolean') return '`explicit` must be true or false';
  return {
    policyType: policyType as PolicyType,
    policy: policy as string | number,
    ...(statement !== undefined ? { statement: statement as string | number } : {}),
    explicit,
  };
}
