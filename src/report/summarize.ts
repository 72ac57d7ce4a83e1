/**
 * Shared classification of links and pipelines, so every reporter and the gate agree on what
 * counts as denied, a warning, unknown or accepted.
 */
import type {
  Location,
  LinkReason,
  PipelineVerdict,
  Report,
  ReportLink,
  ReportPipeline,
} from './types.js';
import { posix } from 'node:path';
import type { PolicyType } from '../policy/types.js';

/**
 * - allowed: the link is allowed
 * - denied: a required link is denied (fails the run)
 * - warning: a recommended link is denied (never fails the run)
 * - unknown: an input that would decide the link is missing
 * - accepted: not allowed, but accepted by a baseline entry that has not expired
 */
export type LinkStatus = 'allowed' | 'denied' | 'warning' | 'unknown' | 'accepted';

export function linkStatus(link: ReportLink): LinkStatus {
  if (link.decision === 'Allowed') return 'allowed';
  if (link.accepted) return 'accepted';
  if (link.decision === 'Unknown') return 'unknown';
  return link.level === 'required' ? 'denied' : 'warning';
}

export function isDeniedDecision(decision: ReportLink['decision']): boolean {
  return decision === 'ExplicitlyDenied' || decision === 'ImplicitlyDenied';
}

/**
 * The severity of a finding (a link that is not allowed), one rule for the SARIF level and the
 * GitHub annotation kind: the severity of the finding, not the gate's outcome (--fail-on sets only
 * the exit code; JUnit failures and the markdown heading follow that):
 * - error: a required link denied (under --fail-on never too), and any link that fails the run
 *   (`fails`: src/report/gate.ts linkFailure; an unknown link under --fail-on unknown)
 * - warning: a recommended link denied
 * - unknown: an unknown link that does not fail the run (SARIF kind `open`, level `none`; a
 *   GitHub `::warning`)
 * A baseline-accepted link keeps its severity: SARIF marks it with a suppression, GitHub, which
 * has none, shows it as a `::notice`.
 */
export type FindingSeverity = 'error' | 'warning' | 'unknown';

export function findingSeverity(link: ReportLink, fails: boolean): FindingSeverity {
  if (fails || (link.level === 'required' && isDeniedDecision(link.decision))) return 'error';
  return link.decision === 'Unknown' ? 'unknown' : 'warning';
}

/** fail when a required link is denied, else unknown when a required link is unknown, else pass */
export function computeVerdict(links: readonly ReportLink[]): PipelineVerdict {
  let unknown = false;
  for (const l of links) {
    if (l.level !== 'required' || l.decision === 'Allowed' || l.accepted) continue;
    if (isDeniedDecision(l.decision)) return 'fail';
    unknown = true;
  }
  return unknown ? 'unknown' : 'pass';
}

export interface LinkCounts {
  readonly total: number;
  readonly allowed: number;
  readonly denied: number;
  readonly warning: number;
  readonly unknown: number;
  readonly accepted: number;
  /** allowed links that are wider than they should be (ReportLink.warnings): counted in `allowed` too */
  readonly wide: number;
}

/** `12 allowed`, and how many of them are wider than they should be, if any. */
export function allowedWords(c: LinkCounts): string {
  return `${c.allowed} allowed${c.wide > 0 ? ` (${c.wide} wider than ${c.wide === 1 ? 'it' : 'they'} should be)` : ''}`;
}

export interface Summary {
  readonly pipelines: { readonly total: number } & Readonly<Record<PipelineVerdict, number>>;
  readonly links: LinkCounts;
}

export function countLinks(links: readonly ReportLink[]): LinkCounts {
  const c = { total: 0, allowed: 0, denied: 0, warning: 0, unknown: 0, accepted: 0, wide: 0 };
  for (const l of links) {
    c.total++;
    const status = linkStatus(l);
    c[status]++;
    if (status === 'allowed' && (l.warnings?.length ?? 0) > 0) c.wide++;
  }
  return c;
}

export function summarize(report: Report): Summary {
  const pipelines = { total: 0, pass: 0, fail: 0, unknown: 0 };
  const all: ReportLink[] = [];
  for (const p of report.pipelines) {
    pipelines.total++;
    pipelines[p.verdict]++;
    all.push(...p.links);
  }
  return { pipelines, links: countLinks(all) };
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** the text with its first character upper-cased (a sentence starting a line) */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `file:line[:column]`, `file#pointer` or `file` */
export function formatLocation(loc: Location): string {
  if (loc.line !== undefined) {
    return `${loc.file}:${loc.line}${loc.column !== undefined ? ':' + loc.column : ''}`;
  }
  if (loc.pointer !== undefined && loc.pointer !== '') return `${loc.file}#${loc.pointer}`;
  return loc.file;
}

const POLICY_TYPE_LABELS: Readonly<Record<PolicyType, string>> = {
  identity: 'identity policy',
  resource: 'resource policy',
  permissionBoundary: 'permissions boundary',
  session: 'session policy',
  scp: 'SCP',
  rcp: 'RCP',
};

export function policyTypeLabel(t: PolicyType): string {
  return POLICY_TYPE_LABELS[t] ?? String(t);
}

/** `statement DenyKms` or `statement #2` */
export function formatStatement(statement: string | number): string {
  return typeof statement === 'number' ? `statement #${statement}` : `statement ${statement}`;
}

/**
 * A reason's `policy` that names several policies at once, for the allow none of them gives:
 * the caller's identity policies (`identity policies of <principal ARN>`, src/evaluate/evaluate.ts)
 * or the SCPs of one level (`SCPs attached to <target> (level N of M): <id (name)>, ...`,
 * src/chain/resolveLink.ts). It names its policy type itself.
 */
export function namesPolicyGroup(r: Pick<LinkReason, 'policyType' | 'policy'>): boolean {
  if (typeof r.policy !== 'string') return false;
  return (
    (r.policyType === 'identity' &&
      (r.policy.startsWith(IDENTITY_GROUP) || r.policy === LEGACY_IDENTITY_GROUP)) ||
    (r.policyType === 'scp' && r.policy.startsWith(SCP_GROUP))
  );
}
const IDENTITY_GROUP = 'identity policies of ';
/** the same group as baseline entries of earlier versions recorded it (baseline.ts legacyReason) */
const LEGACY_IDENTITY_GROUP = 'identity policies';
const SCP_GROUP = 'SCPs ';

/**
 * The policy a reason names, with its type: `SCP p-123 (Name)`, `identity policy <role ARN>
 * (inline: name)`; a group's label as it is (namesPolicyGroup: its type word is in it). `quote`
 * marks the policy's name (`\`…\``) where the words are markdown-like text.
 */
export function reasonPolicy(
  r: Pick<LinkReason, 'policyType' | 'policy'>,
  quote: (name: string) => string = (name) => name,
): string {
  if (namesPolicyGroup(r)) return String(r.policy);
  return `${policyTypeLabel(r.policyType)} ${quote(String(r.policy))}`;
}

/** One line: `SCP p-123 statement DenyKms (explicit deny) at org/scp/p-123.json#/Statement/0` */
export function formatReason(r: LinkReason): string {
  let s = reasonPolicy(r);
  if (r.statement !== undefined) s += ' ' + formatStatement(r.statement);
  s += r.explicit ? ' (explicit deny)' : ' (no matching allow)';
  if (r.location) s += ' at ' + formatLocation(r.location);
  return s;
}

/** The reason that decides a non-allowed link (the first one; analyze sorts them). */
export function decidingReason(link: ReportLink): LinkReason | undefined {
  return link.decision === 'Allowed' ? undefined : link.deniedBy[0];
}

export function decisionLabel(link: ReportLink): string {
  switch (link.decision) {
    case 'Allowed':
      return 'allowed';
    case 'ExplicitlyDenied':
      return 'explicitly denied';
    case 'ImplicitlyDenied':
      return 'implicitly denied';
    case 'Unknown':
      return 'unknown';
  }
}

export interface StageGroup {
  /** undefined: links not tied to a stage (triggers, artifact store...) */
  readonly stage: string | undefined;
  readonly actions: readonly ActionGroup[];
}

export interface ActionGroup {
  readonly action: string | undefined;
  readonly links: readonly ReportLink[];
}

/**
 * Links grouped by stage then action, in order of first appearance in the report (analyze
 * emits them in pipeline order); links without a stage come first.
 */
export function groupByStage(pipeline: ReportPipeline): StageGroup[] {
  const stages = new Map<string | undefined, Map<string | undefined, ReportLink[]>>();
  const noStage = pipeline.links.filter((l) => l.stage === undefined);
  if (noStage.length > 0) stages.set(undefined, new Map());
  for (const l of pipeline.links) {
    let actions = stages.get(l.stage);
    if (!actions) {
      actions = new Map();
      stages.set(l.stage, actions);
    }
    let links = actions.get(l.action);
    if (!links) {
      links = [];
      actions.set(l.action, links);
    }
    links.push(l);
  }
  return [...stages].map(([stage, actions]) => ({
    stage,
    actions: [...actions].map(([action, links]) => ({ action, links })),
  }));
}

/** Code-unit order, the same on every machine (localeCompare is not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { toWellFormed } from './sanitize.js';

/**
 * A location file as a repository-relative, forward-slash path: backslashes become slashes,
 * a leading `./` goes, and a file under `root` loses that prefix. A snapshot file (the loader
 * names it relative to the snapshot folder: `<account>/...` or `organization/...`) is first put
 * under `snapshotRoot`, so it names the file in the repository and not in the snapshot. An
 * absolute file outside `root` is written relative to it with `../` segments (a snapshot next
 * to the working directory), so it stays a relative reference; one on another drive stays
 * absolute.
 */
export function toRepoPath(file: string, root?: string, snapshotRoot?: string): string {
  let f = file.replace(/\\/g, '/');
  if (snapshotRoot !== undefined && snapshotRoot !== '' && isSnapshotFile(f)) {
    f = snapshotRoot.replace(/\\/g, '/').replace(/\/+$/, '') + '/' + f;
  }
  if (root !== undefined && root !== '') {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
    if (f.startsWith(r)) f = f.slice(r.length);
    else f = relativeTo(r, f) ?? f;
  }
  while (f.startsWith('./')) f = f.slice(2);
  return f;
}

/** `C:` of a Windows path (forward slashes), '' for a POSIX absolute path, else undefined */
function absolutePrefix(p: string): string | undefined {
  if (p.startsWith('/')) return '';
  const m = /^([A-Za-z]:)\//.exec(p);
  return m ? m[1]!.toUpperCase() : undefined;
}

/**
 * `file` relative to the folder `dir` (both absolute, forward slashes, `dir` ending in `/`),
 * with `..` segments; undefined when either is relative or they are on different drives.
 */
function relativeTo(dir: string, file: string): string | undefined {
  const dp = absolutePrefix(dir);
  const fp = absolutePrefix(file);
  if (dp === undefined || fp === undefined || dp !== fp) return undefined;
  const strip = (p: string): string => (dp === '' ? p : p.slice(2));
  return posix.relative(strip(dir), strip(file));
}

/** A path that is absolute (POSIX `/...` or Windows `C:/...`, after slashes are normalised). */
export function isAbsolutePath(p: string): boolean {
  return absolutePrefix(p.replace(/\\/g, '/')) !== undefined;
}

/** A path the snapshot contract defines: under an account folder or `organization/`. */
function isSnapshotFile(f: string): boolean {
  const slash = f.indexOf('/');
  if (slash <= 0) return false;
  const first = f.slice(0, slash);
  return first === 'organization' || /^\d{12}$/.test(first);
}

/** One sentence (no final period): who may not do what on which resource. */
export function linkSentence(link: ReportLink): string {
  const what = `${link.permission} on ${link.resource}`;
  switch (link.decision) {
    case 'Allowed':
      return `${link.principal} is allowed ${what}`;
    case 'ExplicitlyDenied':
      return `${link.principal} is explicitly denied ${what}`;
    case 'ImplicitlyDenied':
      return `${link.principal} is implicitly denied ${what} (no policy allows it)`;
    case 'Unknown':
      return `unknown whether ${link.principal} is allowed ${what}`;
  }
}
