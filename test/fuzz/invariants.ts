/**
 * What must hold for any input, however broken (the project's promise on bad input): the CLI
 * never throws and exits 0, 1 or 2; no stack trace; the JSON report's problems each name a file
 * and a JSON pointer that is one (RFC 6901) and is found in that file (a missing member is
 * reported at the object that lacks it, a policy held as a string is entered); an input error
 * exits 2; what the fuzzer made unreadable is an input error naming its file; a change that means
 * the same (a byte-order mark) changes nothing; a run is byte-identical the second time; what is
 * unreadable never turns a link that was not allowed into Allowed; pipelines of files left alone
 * are still analysed.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readJsonText, readTextFile } from '../../src/load/jsonFile.js';
import { parseTemplateText } from '../../src/load/templateParse.js';
import type { Report } from '../../src/report/types.js';
import type { Mutation, SubjectKind } from './generator.js';

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly report?: Report;
  /** the exception main threw, if it did */
  readonly thrown?: string;
}

export async function analyzeIn(dir: string, args: readonly string[]): Promise<Run> {
  const io = memoryIo(dir);
  let code: number;
  try {
    code = await main(['node', 'permchain', 'analyze', ...args, '--format', 'json'], io);
  } catch (err) {
    return {
      code: -1,
      out: io.out,
      err: io.err,
      thrown: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
  let report: Report | undefined;
  try {
    report = JSON.parse(io.out) as Report;
  } catch {
    report = undefined;
  }
  return { code, out: io.out, err: io.err, ...(report ? { report } : {}) };
}

/** Is `pointer` an RFC 6901 JSON pointer? */
export function isJsonPointer(pointer: string): boolean {
  return pointer === '' || /^(\/([^~]|~[01])*)+$/su.test(pointer);
}

const unescapeToken = (t: string): string => t.replace(/~1/g, '/').replace(/~0/g, '~');

/** A document written as a JSON string (or a URL-encoded one), as the loaders read them. */
function decoded(v: string): unknown {
  const text = /^\s*%7B/i.test(v) ? safeDecode(v) : v;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function safeDecode(v: string): string | undefined {
  try {
    return decodeURIComponent(v);
  } catch {
    return undefined;
  }
}

/** Does `pointer` name a value of `root`? Strings holding a JSON document are entered. */
export function resolves(root: unknown, pointer: string): boolean {
  if (pointer === '') return true;
  let at: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = unescapeToken(raw);
    if (typeof at === 'string') at = decoded(at);
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= at.length) return false;
      at = at[Number(token)];
    } else if (typeof at === 'object' && at !== null) {
      if (!Object.prototype.hasOwnProperty.call(at, token)) return false;
      at = (at as Record<string, unknown>)[token];
    } else return false;
  }
  return true;
}

/** The data of an input file as the loaders read it, or undefined when it cannot be read. */
function fileData(path: string): unknown {
  if (path.endsWith('.json')) {
    const read = readJsonText(path);
    if (read.ok) return read.value;
  }
  const text = readTextFile(path);
  if (!text.ok) return undefined;
  const parsed = parseTemplateText(text.text, path);
  return parsed.value;
}

/** The file a problem names, in the copy: snapshot files are named relative to the snapshot. */
function problemPath(dir: string, kind: SubjectKind, file: string): string | undefined {
  for (const base of kind === 'snapshot' ? [join(dir, 'snap'), dir] : [dir]) {
    const p = resolve(base, file);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

const STACK_TRACE = /^\s+at \S|\b(TypeError|RangeError|ReferenceError|Maximum call stack)\b/m;

export interface CaseContext {
  readonly dir: string;
  readonly kind: SubjectKind;
  readonly mutation: Mutation;
  /** the run of the unbroken copy */
  readonly before: Run;
  /** the first run of the broken copy, and the second */
  readonly run: Run;
  readonly again: Run;
  /** is the broken file read at all (an unreadable copy of it is an input error)? */
  readonly fileIsRead: boolean;
}

/** What breaks an invariant, one line each. */
export function violations(c: CaseContext): string[] {
  const out: string[] = [];
  const { run, mutation } = c;
  if (run.thrown !== undefined)
    return [`main threw: ${run.thrown.split('\n').slice(0, 6).join(' | ')}`];
  if (![0, 1, 2].includes(run.code)) out.push(`exit code ${run.code}`);
  if (STACK_TRACE.test(run.err)) out.push(`stderr holds a crash: ${firstMatch(run.err)}`);
  if (run.out !== c.again.out || run.err !== c.again.err || run.code !== c.again.code)
    out.push('a second run of the same input differs');
  const report = run.report;
  if (!report) return [...out, `stdout is not a JSON report: ${run.out.slice(0, 200)}`];

  const errors = report.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 !== (run.code === 2))
    out.push(`exit ${run.code} with ${errors.length} input errors`);
  const mutatedPath = resolve(c.dir, mutation.file);
  const data = new Map<string, unknown>();
  for (const p of report.problems) {
    const where = `${p.file ?? '(no file)'}#${p.pointer} [${p.id}]`;
    if (!isJsonPointer(p.pointer)) out.push(`not a JSON pointer: ${where}`);
    if (p.file === undefined) {
      if (p.severity === 'error') out.push(`an input error without a file: ${where}`);
      continue;
    }
    const path = problemPath(c.dir, c.kind, p.file);
    if (path === undefined || p.pointer === '') continue;
    if (!data.has(path)) data.set(path, fileData(path));
    const value = data.get(path);
    // a snapshot file's reader reports a missing member at the object that lacks it; a
    // template's problem may name a value an intrinsic function makes or a member that is
    // missing, located at its nearest ancestor (TemplateStack.position): the resource (or
    // stack, or artifact) it names is there
    const checked = path.endsWith('.json') && c.kind === 'snapshot' ? p.pointer : head(p.pointer);
    // a required member that is missing may be named by its own pointer (a topic's
    // `Attributes`: the topic's location, so a lookup of it finds the input error)
    const missing =
      /\bmissing\b/.test(`${p.id} ${p.message}`) && resolves(value, parentOf(checked));
    if (value !== undefined && !resolves(value, checked) && !missing)
      out.push(`pointer not in the file: ${where}: ${p.message.slice(0, 160)}`);
  }
  // the input errors the mutation made, naming the file broken: a stacks file or a CDK manifest
  // reports a template it cannot read at its own pointer, naming the template in its message
  const known = new Set(
    (c.before.report?.problems ?? []).map((p) => `${p.file ?? ''} ${p.pointer} ${p.id}`),
  );
  // by its name or a path to it: `exp.yaml`, `cdk.out/assembly-Stage/App.template.json`
  const named = new RegExp(
    `[\`/]${basename(mutation.file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``,
  );
  const namesMutated = errors.some(
    (p) =>
      p.file !== undefined &&
      !known.has(`${p.file} ${p.pointer} ${p.id}`) &&
      (problemPath(c.dir, c.kind, p.file) === mutatedPath || named.test(p.message)),
  );

  if (mutation.expect === 'unreadable' && c.fileIsRead && !namesMutated)
    out.push(`made unreadable, but no input error names ${mutation.file} (exit ${run.code})`);
  if (
    mutation.expect === 'sameAsBefore' &&
    (run.out !== c.before.out || run.code !== c.before.code)
  )
    out.push(`a change that means the same changed the report`);

  // unknown is not allowed: what the run says it could not read never allows a link more
  if (namesMutated && c.before.report) {
    const was = new Map<string, string>();
    for (const p of c.before.report.pipelines)
      for (const l of p.links) was.set(`${p.arn} ${l.id}`, l.decision);
    for (const p of report.pipelines)
      for (const l of p.links) {
        const before = was.get(`${p.arn} ${l.id}`);
        if (before !== undefined && before !== 'Allowed' && l.decision === 'Allowed')
          out.push(`unreadable input allowed ${p.arn} ${l.id} (was ${before}): ${l.why}`);
      }
  }

  // the rest is still analysed: the pipelines of the snapshot's other files are all there
  if (c.kind === 'snapshot' && c.before.report) {
    const now = new Set(report.pipelines.map((p) => p.arn));
    for (const p of c.before.report.pipelines) {
      const file = p.location?.file;
      if (file === undefined || resolve(c.dir, 'snap', file) === mutatedPath) continue;
      if (!now.has(p.arn)) out.push(`pipeline ${p.arn} (${file}) no longer analysed`);
    }
  }
  return out;
}

const parentOf = (pointer: string): string =>
  pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));

/** The first two tokens of a pointer. */
function head(pointer: string): string {
  const m = /^(\/[^/]*){0,2}/.exec(pointer);
  return m ? m[0] : '';
}

function firstMatch(text: string): string {
  const line = text.split('\n').find((l) => STACK_TRACE.test(l)) ?? '';
  return line.slice(0, 200);
}
