/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per requirement id, one result per link that is
 * not allowed, its level the severity of the finding (findingSeverity, the rule the github
 * format's annotations follow too): error for a required denial (under --fail-on never too) and
 * for whatever fails the run (an unknown link under failOn 'unknown'); warning for a recommended
 * denial; kind `open` and level `none` for an unknown link that does not fail the run),
 * located at the deciding statement when known, else where the pipeline declares the action.
 * Accepted (baselined) links carry an external suppression so code scanning shows them closed.
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * GitHub's subset: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import { createHash } from 'node:crypto';
import { sortProblems } from '../problems.js';
import {
  DEFAULT_INFORMATION_URI,
  DEFAULT_TOOL_VERSION,
  locationLine,
  type ReportOptions,
} from './options.js';
import { stableJson } from './stableJson.js';
import { asUri } from './asUri.js';
import { settles } from './explainLink.js';
import { NO_PIPELINES_ID, gateSummary, linkFailure, type LinkFailure } from './gate.js';
import {
  compareStrings,
  decidingReason,
  findingSeverity,
  formatReason,
  isAbsolutePath,
  linkSentence,
  linkStatus,
  toRepoPath,
  toWellFormed,
} from './summarize.js';
import type { Location, Report, ReportLink, ReportPipeline } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** partialFingerprints key; bump the version if the fingerprint input ever changes */
export const FINGERPRINT_KEY = 'permchainLink/v1';

type Json = Record<string, unknown>;

export function renderSarif(report: Report, options: ReportOptions = {}): string {
  const rules = buildRules(report);
  const ruleIndex = new Map(rules.map((r, i) => [r.id as string, i]));
  const results: Json[] = [];
  for (const pipeline of report.pipelines) {
    for (const link of pipeline.links) {
      if (link.decision === 'Allowed') {
        // a link that works but is wider than it should be: a note, never a failure
        for (const w of link.warnings ?? []) {
          results.push(
            buildWarningResult(pipeline, link, w, ruleIndex.get(link.requirement) ?? 0, options),
          );
        }
        continue;
      }
      results.push(buildResult(pipeline, link, ruleIndex.get(link.requirement) ?? 0, options));
    }
  }
  const failOn = options.failOn ?? 'denied';
  const noPipelinesFails = gateSummary(report, failOn).noPipelinesFails;
  const notifications = sortProblems(report.problems).map((p) => {
    const n: Json = {
      // the warning that no pipeline was found fails the run under failOn 'unknown'
      level: p.id === NO_PIPELINES_ID && noPipelinesFails ? 'error' : p.severity,
      message: { text: plainMessage(p.message) },
      descriptor: { id: clean(p.id) },
    };
    if (p.file !== undefined) {
      n['locations'] = [sarifLocation({ file: p.file, pointer: p.pointer }, options)];
    }
    return n;
  });
  const run: Json = {
    tool: {
      driver: {
        name: 'permchain',
        version: options.toolVersion ?? DEFAULT_TOOL_VERSION,
        informationUri: options.informationUri ?? DEFAULT_INFORMATION_URI,
        rules,
      },
    },
    // Input problems (unreadable snapshot files...) are not findings: they go to the invocation.
    // An input error leaves the analysis incomplete (the run exits 2): not a successful run.
    invocations: [
      {
        executionSuccessful: !report.problems.some((p) => p.severity === 'error'),
        toolExecutionNotifications: notifications,
      },
    ],
    results,
    columnKind: 'utf16CodeUnits',
  };
  return stableJson({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] });
}

function buildRules(report: Report): Json[] {
  const byId = new Map<string, ReportLink[]>();
  for (const p of report.pipelines) {
    for (const l of p.links) {
      const list = byId.get(l.requirement) ?? [];
      list.push(l);
      byId.set(l.requirement, list);
    }
  }
  return [...byId.keys()].sort(compareStrings).map((id) => {
    const links = byId.get(id) ?? [];
    const permissions = [...new Set(links.map((l) => l.permission))].sort(compareStrings);
    const required = links.some((l) => l.level === 'required');
    // only a doc link that is already a clean URI becomes helpUri (validators disagree on
    // odd escapes); any other stays readable in the help text
    const docs = links.map((l) => l.doc).filter((d): d is string => d !== undefined);
    const doc = docs.find((d) => asUri(d) === d) ?? docs[0];
    const what = `${permissions.join(', ')} must be allowed for this pipeline link`;
    const levelText = required
      ? 'required: the pipeline run fails without it'
      : // not "runs without it" alone: a multipart upload's kms:Decrypt is recommended, and a
        // large artifact's upload fails without it (the catalog's whenNeeded, in the result's why)
        'recommended: a denial is a warning, never a failure; the why of each result says which runs, if any, need it';
    const help =
      `permchain requirement ${id} (${levelText}). Every policy on the path must allow ` +
      `${permissions.join(', ')}: identity policies, the resource policy, SCPs, RCPs, ` +
      `permissions boundaries and session policies. The result names the deciding statement ` +
      `and a fix.` +
      (doc ? ` Documentation: ${doc}` : '');
    const helpUri = doc !== undefined && asUri(doc) === doc ? doc : undefined;
    const markdownHelp = helpUri
      ? help.replace(`Documentation: ${doc}`, `[Documentation](${helpUri})`)
      : help;
    const rule: Json = {
      id: clean(id),
      name: ruleName(id),
      shortDescription: { text: clean(what) },
      fullDescription: { text: clean(`${what} (${levelText})`) },
      help: {
        text: clean(help),
        markdown: clean(markdownHelp),
      },
      defaultConfiguration: { level: required ? 'error' : 'warning' },
      properties: { tags: ['iam', 'aws-codepipeline', 'permissions'] },
    };
    if (helpUri) rule['helpUri'] = helpUri;
    return rule;
  });
}

/** `codebuild.kms-decrypt` → `CodebuildKmsDecrypt` (SARIF rule names are Pascal case by convention) */
function ruleName(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return name === '' ? 'Requirement' : name;
}

function buildResult(
  pipeline: ReportPipeline,
  link: ReportLink,
  ruleIndex: number,
  options: ReportOptions,
): Json {
  const status = linkStatus(link);
  const failure = linkFailure(link, options.failOn);
  // the severity of the finding (findingSeverity, as the github format's annotation kind): an
  // error for a required denial, whatever --fail-on, and for what fails the run. An Unknown link
  // the run does not fail on is `open`: the tool could not tell pass from fail (§3.27.9), and a
  // kind other than `fail` has level `none` (§3.27.10)
  const severity = findingSeverity(link, failure !== undefined);
  const open = severity === 'unknown';
  const level = open ? 'none' : severity;
  const reason = decidingReason(link);
  const places: { loc: Location; what: string }[] = [];
  if (reason?.location) places.push({ loc: reason.location, what: 'the deciding policy' });
  if (link.declaredAt)
    places.push({ loc: link.declaredAt, what: 'the pipeline declares the action here' });
  if (pipeline.location) places.push({ loc: pipeline.location, what: 'the pipeline definition' });
  // GitHub rejects a result without a location; an unknown link may have none but the input
  // that would settle it
  const settle = link.missing?.[0];
  if (places.length === 0 && settle !== undefined) {
    places.push({
      loc: { file: settle },
      what:
        link.decision === 'Unknown'
          ? 'the missing input that would settle this link'
          : 'the missing input that would settle whether a deny applies',
    });
  }

  const result: Json = {
    ruleId: clean(link.requirement),
    ruleIndex,
    level,
    kind: open ? 'open' : 'fail',
    message: { text: plainMessage(resultMessage(pipeline, link, failure)) },
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(pipeline, link) },
    properties: resultProperties(pipeline, link),
  };
  const [primary, ...related] = places;
  if (primary) result['locations'] = [sarifLocation(primary.loc, options)];
  if (related.length > 0) {
    result['relatedLocations'] = related.map((p, i) => ({
      id: i + 1,
      ...sarifLocation(p.loc, options),
      message: { text: p.what },
    }));
  }
  if (status === 'accepted' && link.accepted) {
    result['suppressions'] = [
      {
        kind: 'external',
        status: 'accepted',
        justification: clean(`${link.accepted.reason} (accepted until ${link.accepted.expires})`),
      },
    ];
  }
  return result;
}

function buildWarningResult(
  pipeline: ReportPipeline,
  link: ReportLink,
  warning: string,
  ruleIndex: number,
  options: ReportOptions,
): Json {
  const where = [pipeline.name, link.stage, link.action].filter((s) => s !== undefined).join(' / ');
  const trust = link.allowedBy?.find((r) => r.policyType === 'resource' && r.location);
  const loc = trust?.location ?? link.declaredAt ?? pipeline.location;
  const result: Json = {
    ruleId: clean(link.requirement),
    ruleIndex,
    level: 'note',
    kind: 'fail',
    message: {
      text: plainMessage(`${linkSentence(link)} (${where}) is allowed, but ${warning}.`),
    },
    partialFingerprints: {
      [FINGERPRINT_KEY]: createHash('sha256')
        .update(
          toWellFormed(`${pipeline.arn}\u0000${link.id}\u0000warning\u0000${warning}`),
          'utf8',
        )
        .digest('hex')
        .slice(0, 32),
    },
    properties: resultProperties(pipeline, link),
  };
  if (loc) result['locations'] = [sarifLocation(loc, options)];
  return result;
}

function resultMessage(
  pipeline: ReportPipeline,
  link: ReportLink,
  failure: LinkFailure | undefined,
): string {
  const where = [pipeline.name, link.stage, link.action].filter((s) => s !== undefined).join(' / ');
  const parts = [`${linkSentence(link)} (${where}).`, `Why: ${link.why}.`];
  if (link.expired) {
    parts.push(
      `A baseline entry accepted it until ${link.expired.expires} (${link.expired.reason}); ` +
        'the entry has expired, so the link fails the run.',
    );
  } else if (failure === 'unknown') {
    parts.push('Unknown links fail the run under --fail-on unknown.');
  }
  const reason = decidingReason(link);
  if (reason) parts.push(`Decided by: ${formatReason(reason)}.`);
  if (link.missing && link.missing.length > 0) {
    const what = settles(link);
    parts.push(`${what[0]!.toUpperCase()}${what.slice(1)}: ${link.missing.join(', ')}.`);
  }
  if (link.fix) parts.push(`Fix: ${link.fix}.`);
  if (link.level === 'recommended') parts.push('This link is recommended, not required.');
  return parts.join(' ');
}

function resultProperties(pipeline: ReportPipeline, link: ReportLink): Json {
  const props: Json = {
    pipeline: pipeline.name,
    pipelineArn: pipeline.arn,
    link: link.id,
    level: link.level,
    decision: link.decision,
    principal: link.principal,
    permission: link.permission,
    resource: link.resource,
  };
  if (link.stage !== undefined) props['stage'] = link.stage;
  if (link.action !== undefined) props['action'] = link.action;
  if (link.fix !== undefined) props['fix'] = link.fix;
  if (link.missing) props['missing'] = [...link.missing];
  if (link.blocks) props['blocks'] = [...link.blocks];
  if (link.deniedBy.length > 0) props['deniedBy'] = link.deniedBy.map(formatReason);
  if (link.expired) props['baselineExpired'] = { ...link.expired };
  return cleanDeep(props) as Json;
}

/** sha-256 of pipeline ARN + link id: stable across runs, line moves and message rewording */
function fingerprint(pipeline: ReportPipeline, link: ReportLink): string {
  return createHash('sha256')
    .update(toWellFormed(`${pipeline.arn}\u0000${link.id}`), 'utf8')
    .digest('hex')
    .slice(0, 32);
}

/**
 * A template location becomes file + region.startLine; a snapshot location (file + JSON
 * pointer) has no line of its own: its line is where the pointer's value starts in the file
 * (options.pointerLine), and the pointer goes in a logicalLocation and in the location's
 * properties.
 */
function sarifLocation(loc: Location, options: ReportOptions): Json {
  const path = toRepoPath(loc.file, options.root, options.snapshotRoot);
  const physical: Json = { artifactLocation: { uri: fileUri(path) } };
  // GitHub shows a result only at a line (the multitool's GH1003 and SARIF2017 ask for
  // region.startLine); a pointer whose line cannot be told is shown at line 1 of its file, and
  // the pointer itself travels in logicalLocations and properties
  const region: Json = { startLine: locationLine(loc, options) ?? 1 };
  if (loc.line !== undefined && loc.column !== undefined && loc.column >= 1) {
    region['startColumn'] = loc.column;
  }
  physical['region'] = region;
  const out: Json = { physicalLocation: physical };
  if (loc.pointer !== undefined && loc.pointer !== '') {
    const pointer = clean(loc.pointer);
    out['logicalLocations'] = [{ fullyQualifiedName: pointer }];
    out['properties'] = { jsonPointer: pointer };
  }
  return out;
}

/**
 * A path as a URI: a relative path becomes a relative reference (every segment
 * percent-encoded, `../` kept); an absolute one (no root to be relative to, another drive)
 * becomes a `file:` URI, since a relative reference starting with `/` is not valid SARIF
 * (SARIF1004, §3.4.3: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html).
 */
function fileUri(path: string): string {
  const absolute = isAbsolutePath(path);
  const encoded = path
    .split('/')
    .map((seg, i) =>
      absolute && i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(toWellFormed(seg)),
    )
    .join('/');
  if (!absolute) return encoded;
  return path.startsWith('/') ? `file://${encoded}` : `file:///${encoded}`;
}

/**
 * A plain text message (§3.11.3) with no embedded link (§3.11.6): a `[text](destination)` in a
 * name or Sid would be shown by a SARIF viewer as a link to any URI (or to a location of the
 * result). Every `]` before `(` is escaped with a backslash, as is a backslash before it, so no
 * link text can end there; nothing else changes.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
function plainMessage(s: string): string {
  return clean(s).replace(/(\\*)\](?=\()/g, (_m, slashes: string) => `${slashes}${slashes}\\]`);
}

function clean(s: string): string {
  return toWellFormed(s);
}

function cleanDeep(v: unknown): unknown {
  if (typeof v === 'string') return clean(v);
  if (Array.isArray(v)) return v.map(cleanDeep);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cleanDeep(x)]));
  }
  return v;
}
