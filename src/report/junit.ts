/**
 * JUnit XML: one testsuite per pipeline, one testcase per link (classname
 * `pipeline.stage.action`, name `permission on resource [link id]`: an action can have several
 * links of one permission on one resource, for several principals or conditions, and the link id
 * tells them apart; a classname and name that still repeat, as in two pipelines of one name in two
 * accounts, get ` (2)`, ` (3)`... in report order, so a tool that keys cases by classname and name
 * sees each once). A link is a `<failure>` exactly when
 * it fails the run (src/report/gate.ts): a required link denied; an unknown one (type `unknown`)
 * only under failOn 'unknown' (a skipped test would hide it), otherwise a passing testcase whose
 * `<system-out>` says unknown; a link that fails the run and whose baseline entry has expired
 * (type `baseline-expired`). Recommended denials, baseline-accepted links and, under failOn
 * 'never', required denials pass with a `<system-out>` note naming the link's status (`warning`,
 * `accepted`, `denied`, `unknown`), matching the gate's exit code. Input problems of severity error become
 * `<error>` testcases; the no-pipeline warning is a `<failure>` under failOn 'unknown', where it
 * fails the run.
 */
import { formatProblem, sortProblems, type Problem } from '../problems.js';
import { explainLink } from './explainLink.js';
import { NO_PIPELINES_ID, gateSummary, linkFailure } from './gate.js';
import type { FailOn, ReportOptions } from './options.js';
import { breakWorkflowCommands } from './sanitize.js';
import { linkSentence, linkStatus, toWellFormed } from './summarize.js';
import type { Report, ReportLink, ReportPipeline } from './types.js';

/**
 * Characters XML 1.0 cannot carry even as references (C0 controls but tab/LF/CR, U+FFFE,
 * U+FFFF, lone surrogates): shown as `\xNN`/`\uNNNN` text instead.
 * https://www.w3.org/TR/xml/#charsets
 */
function visibleInvalidXmlChars(s: string): string {
  // eslint-disable-next-line no-control-regex
  return toWellFormed(s).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? '\\x' + code.toString(16).padStart(2, '0')
      : '\\u' + code.toString(16).padStart(4, '0');
  });
}

/** Text content: `&`, `<`, `>` escaped (so `]]>` cannot appear), CR kept as a reference. */
export function escapeXmlText(s: string): string {
  return visibleInvalidXmlChars(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Attribute value: also quotes, and tab/LF/CR as references (parsers normalise them to spaces). */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

/**
 * A testcase's identity, `classname="..." name="..."` (escaped), made unique in the document: a
 * pair already given gets ` (2)`, ` (3)`... appended to its name, in the order cases are written.
 */
type CaseId = (classname: string, name: string) => string;

function caseIds(): CaseId {
  // keyed as written: escaped, and as the document's breakWorkflowCommands leaves it, so two
  // values XML shows alike count as one (`##[` and `#\u200b#[` both read `#\u200b#[`)
  const used = new Set<string>();
  const last = new Map<string, number>();
  return (classname, name) => {
    const cls = escapeXmlAttr(classname);
    const base = escapeXmlAttr(name);
    const key = breakWorkflowCommands(cls) + '\u0000' + breakWorkflowCommands(base);
    let n = last.get(key) ?? 0;
    // ` (n)` escapes to itself and adds no workflow command: it is appended to the escaped
    // name and to its key alike
    let suffix: string;
    do {
      n++;
      suffix = n === 1 ? '' : ` (${n})`;
    } while (used.has(key + suffix));
    last.set(key, n);
    used.add(key + suffix);
    return `classname="${cls}" name="${base}${suffix}"`;
  };
}

export function renderJunit(report: Report, options: ReportOptions = {}): string {
  const failOn = options.failOn ?? 'denied';
  const id = caseIds();
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let errors = 0;
  for (const pipeline of report.pipelines) {
    const suite = renderSuite(pipeline, failOn, id);
    total += suite.tests;
    failures += suite.failures;
    suites.push(suite.xml);
  }
  const problems = sortProblems(report.problems);
  // the warning that no pipeline was found fails the run under failOn 'unknown'
  const failsRun = (p: Problem): boolean =>
    p.id === NO_PIPELINES_ID && gateSummary(report, failOn).noPipelinesFails;
  if (problems.length > 0) {
    const cases = problems.map((p) => {
      const name = `${p.file ?? '(input)'}${p.pointer ? '#' + p.pointer : ''} [${p.id}]`;
      const line = formatProblem(p);
      const body =
        p.severity === 'error'
          ? `      <error type="${escapeXmlAttr(p.id)}" message="${escapeXmlAttr(p.message)}">${escapeXmlText(line)}</error>\n`
          : failsRun(p)
            ? `      <failure type="${escapeXmlAttr(p.id)}" message="${escapeXmlAttr(p.message)}">${escapeXmlText(line)}</failure>\n`
            : `      <system-out>${escapeXmlText(line)}</system-out>\n`;
      return `    <testcase ${id('permchain.input', name)}>\n` + body + `    </testcase>\n`;
    });
    const errs = problems.filter((p) => p.severity === 'error').length;
    const fails = problems.filter((p) => p.severity !== 'error' && failsRun(p)).length;
    total += problems.length;
    errors += errs;
    failures += fails;
    suites.push(
      `  <testsuite name="permchain input problems" tests="${problems.length}" failures="${fails}" errors="${errs}" skipped="0">\n` +
        cases.join('') +
        `  </testsuite>\n`,
    );
  }
  // a CI step may print the file, and a value may hold a line break: no line of it may read as
  // a workflow command
  return breakWorkflowCommands(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<testsuites name="permchain" tests="${total}" failures="${failures}" errors="${errors}" skipped="0">\n` +
      suites.join('') +
      '</testsuites>\n',
  );
}

function renderSuite(
  pipeline: ReportPipeline,
  failOn: FailOn,
  id: CaseId,
): { xml: string; tests: number; failures: number } {
  let failures = 0;
  const cases = pipeline.links.map((link) => {
    const c = renderCase(pipeline, link, failOn, id);
    if (c.failed) failures++;
    return c.xml;
  });
  const props =
    '    <properties>\n' +
    `      <property name="arn" value="${escapeXmlAttr(pipeline.arn)}"/>\n` +
    `      <property name="account" value="${escapeXmlAttr(pipeline.account)}"/>\n` +
    `      <property name="region" value="${escapeXmlAttr(pipeline.region)}"/>\n` +
    `      <property name="verdict" value="${pipeline.verdict}"/>\n` +
    '    </properties>\n';
  const xml =
    `  <testsuite name="${escapeXmlAttr(pipeline.name)}" tests="${pipeline.links.length}" failures="${failures}" errors="0" skipped="0">\n` +
    props +
    cases.join('') +
    '  </testsuite>\n';
  return { xml, tests: pipeline.links.length, failures };
}

function renderCase(
  pipeline: ReportPipeline,
  link: ReportLink,
  failOn: FailOn,
  id: CaseId,
): { xml: string; failed: boolean } {
  const classname = [pipeline.name, link.stage, link.action]
    .filter((s) => s !== undefined)
    .join('.');
  const open = `    <testcase ${id(classname, `${link.permission} on ${link.resource} [${link.id}]`)}`;
  const status = linkStatus(link);
  if (status === 'allowed') {
    // a link that works but is wider than it should be: said, never a failure
    const warnings = link.warnings ?? [];
    if (warnings.length === 0) return { xml: open + '/>\n', failed: false };
    const text = escapeXmlText(warnings.map((w) => `warning: ${w}`).join('\n'));
    return {
      xml: `${open}>\n      <system-out>${text}</system-out>\n    </testcase>\n`,
      failed: false,
    };
  }
  const body = escapeXmlText(explainLink(link).join('\n'));
  const failure = linkFailure(link, failOn);
  if (failure !== undefined) {
    const type =
      failure === 'expired'
        ? 'baseline-expired'
        : failure === 'unknown'
          ? 'unknown'
          : link.decision;
    const sentence =
      failure === 'expired'
        ? `${linkSentence(link)}; its baseline entry expired on ${link.expired!.expires}`
        : linkSentence(link);
    const message = escapeXmlAttr(sentence);
    return {
      xml: `${open}>\n      <failure type="${type}" message="${message}">${body}</failure>\n    </testcase>\n`,
      failed: true,
    };
  }
  // the link's own status: under failOn 'never' a required denial passes, and says `denied`
  return {
    xml: `${open}>\n      <system-out>${escapeXmlText(status + ': ')}${body}</system-out>\n    </testcase>\n`,
    failed: false,
  };
}
