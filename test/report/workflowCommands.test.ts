/**
 * No value from the input can make a CI runner read a workflow command in what a CI log may
 * print: every report format and the CLI's stderr lines. The GitHub
 * Actions runner reads `::command ...::` at the start of a line after white space, and the legacy
 * `##[command]` anywhere in a line (actions/runner ActionCommand.TryParse).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/problems.js';
import { renderGithub } from '../../src/report/github.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderDot } from '../../src/report/dot.js';
import { renderMermaid } from '../../src/report/mermaid.js';
import { renderSarif } from '../../src/report/sarif.js';
import {
  breakWorkflowCommands,
  breakWorkflowCommandsInJson,
  sanitizeForTerminal,
  sanitizeLines,
} from '../../src/report/sanitize.js';
import { renderText } from '../../src/report/text.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { runCli } from '../cli/runCli.js';
import { crossAccountReport } from './fixtures.js';

/** What .NET's String.TrimStart() removes (char.IsWhiteSpace), and U+FEFF. */
const RUNNER_SPACE = /^[\s\u0085]*/;

/** The lines of `out` the GitHub runner would read as a workflow command (it splits at CR and LF). */
function commandLines(out: string): string[] {
  return out
    .split(/\r\n|\r|\n/)
    .filter((l) => l.replace(RUNNER_SPACE, '').startsWith('::') || l.includes('##['));
}

const FORGED = '::error title=Forged::fine';
/** a name of many words, so the text report wraps it and a word starts a line */
const LONG_NAME = 'Deploy ' + Array(8).fill(FORGED).join(' ');
/** values that start a line by themselves, after every kind of white space the runner trims */
const LINE_STARTS = [
  FORGED,
  ` \t${FORGED}`,
  `\u00a0${FORGED}`,
  `\u3000\u2003${FORGED}`,
  `\u0085${FORGED}`,
  `\ufeff${FORGED}`,
  `x\n${FORGED}`,
  `x\r  ${FORGED}`,
  `x\u2028${FORGED}`,
  'legacy ##[error]forged ###[warning]too ##vso[task.logissue type=error]az',
];

function hostile(): Report {
  const r = crossAccountReport();
  const [first, ...rest] = r.pipelines;
  const links = first!.links.map((l, i): ReportLink => ({
    ...l,
    action: l.action === undefined ? undefined : LONG_NAME,
    why: `${l.why} ${LINE_STARTS.join(' ')}`,
    fix: l.fix === undefined ? undefined : LINE_STARTS[i % LINE_STARTS.length],
    principal: i === 0 ? LINE_STARTS[1]! : l.principal,
  }));
  return {
    pipelines: [{ ...first!, name: `${FORGED} ##[error]pipe`, links }, ...rest],
    problems: [
      ...r.problems,
      ...LINE_STARTS.map((s, i) => ({
        file: s,
        pointer: '',
        message: s,
        id: `x.${i}`,
        severity: 'warning' as const,
      })),
    ],
  };
}

describe('breakWorkflowCommandsInJson', () => {
  it('writes the first # of ##[ and ##vso[ as \\u0023: the JSON reads back the same', () => {
    const value = { a: 'x ##[error]y ###[group]z ##VSO[task]w', 'k ##[b]': 1 };
    const text = breakWorkflowCommandsInJson(JSON.stringify(value, null, 2));
    expect(commandLines(text)).toEqual([]);
    expect(JSON.parse(text)).toEqual(value);
    const plain = JSON.stringify({ a: '## [x] #[y] ::error::' });
    expect(breakWorkflowCommandsInJson(plain)).toBe(plain);
  });
});

describe('breakWorkflowCommands', () => {
  it('breaks a `::` that starts a line after white space, and every `##[` and `##vso[`', () => {
    expect(breakWorkflowCommands('::error::x')).toBe(':\u200b:error::x');
    expect(breakWorkflowCommands('a\n \u00a0\t::warning::x\r::notice::y')).toBe(
      'a\n \u00a0\t:\u200b:warning::x\r:\u200b:notice::y',
    );
    expect(breakWorkflowCommands('a ##[error]b ###[group]c ##VSO[task]d')).toBe(
      'a #\u200b#[error]b ##\u200b#[group]c #\u200b#VSO[task]d',
    );
    for (const s of LINE_STARTS) expect(commandLines(breakWorkflowCommands(s))).toEqual([]);
  });

  it('leaves everything else as it is, and is idempotent', () => {
    const plain = 'arn:aws:iam::111111111111:role/a ::error:: mid-line ## [x] #[y] :x:\n  : :';
    expect(breakWorkflowCommands(plain)).toBe(plain);
    for (const s of LINE_STARTS) {
      const once = breakWorkflowCommands(s);
      expect(breakWorkflowCommands(once)).toBe(once);
      // only zero-width spaces were added: the text reads the same
      expect(once.replace(/\u200b/g, '')).toBe(s);
    }
  });

  it('sanitizeForTerminal breaks commands and escapes DEL in text that is otherwise plain ASCII', () => {
    // printable ASCII with no `::` and no `##` is returned at once: the text at the edges of that
    expect(sanitizeForTerminal('::error::x')).toBe(':\u200b:error::x');
    expect(sanitizeForTerminal(' ::warning::x')).toBe(' :\u200b:warning::x');
    expect(sanitizeForTerminal('a ##[group]b')).toBe('a #\u200b#[group]b');
    expect(sanitizeForTerminal('a\u007fb ~')).toBe('a\\x7fb ~');
    expect(sanitizeForTerminal('arn:aws:iam::111111111111:role/a')).toBe(
      'arn:aws:iam::111111111111:role/a',
    );
    expect(sanitizeForTerminal(' !"#$%&()*+,-./09:;<=>?@AZ[\\]^_`az{|}~')).toBe(
      ' !"#$%&()*+,-./09:;<=>?@AZ[\\]^_`az{|}~',
    );
  });

  it('sanitizeForTerminal and sanitizeLines give lines that are no command', () => {
    for (const s of LINE_STARTS) {
      expect(commandLines(sanitizeForTerminal(s))).toEqual([]);
      expect(commandLines(sanitizeLines(s))).toEqual([]);
    }
    expect(
      formatProblem({
        file: '111111111111/s3/##[error]forged-by-filename.json',
        pointer: '',
        message: 'not valid json',
        id: 'snapshot.json.invalid',
        severity: 'error',
      }),
    ).toBe(
      'error: 111111111111/s3/#\u200b#[error]forged-by-filename.json: not valid json [snapshot.json.invalid]',
    );
  });
});

describe('no report a CI log may print holds a workflow command from the input', () => {
  const report = hostile();

  it('text: wrapped values do not start a line with `::`', () => {
    for (const color of [false, true]) {
      const out = renderText(report, { color });
      expect(commandLines(out)).toEqual([]);
      // the long action name is wrapped, and a word of it starts a continuation line
      expect(out).toMatch(/\n {21}:\u200b:error title=Forged::fine/);
      // it reads the same once the zero-width spaces are removed
      expect(out.replace(/\u200b/g, '')).toContain(`action ${LONG_NAME}`);
    }
  });

  it('markdown, html, junit: no line reads as a command', () => {
    for (const failOn of ['denied', 'unknown', 'never'] as const) {
      expect(commandLines(renderMarkdown(report, { failOn }))).toEqual([]);
      expect(commandLines(renderHtml(report, { failOn }))).toEqual([]);
      expect(commandLines(renderJunit(report, { failOn }))).toEqual([]);
    }
  });

  it('json and sarif: no line reads as a command, and the values read back unchanged', () => {
    for (const out of [renderJson(report), renderSarif(report)]) {
      expect(commandLines(out)).toEqual([]);
      expect(out).toContain('\\u0023#[error]');
    }
    const back = JSON.parse(renderJson(report)) as Report;
    expect(back.pipelines[0]!.name).toBe(`${FORGED} ##[error]pipe`);
    expect(back.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining(LINE_STARTS.filter((x) => x.includes('##['))),
    );
  });

  it('mermaid and dot: no line reads as a command', () => {
    expect(commandLines(renderMermaid(report))).toEqual([]);
    expect(commandLines(renderDot(report))).toEqual([]);
  });

  it('github: every line is one of its own commands or the summary', () => {
    const lines = renderGithub(report).trimEnd().split('\n');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^::(error|warning|notice) /);
    expect(lines.at(-1)).toMatch(/^permchain: /);
    // values cannot end the command or start another line
    expect(lines.every((l) => !/[\r\u0085]/.test(l))).toBe(true);
  });
});

describe('permchain analyze: stdout and stderr hold no command from the input', () => {
  const DEMO = resolve(__dirname, '../../fixtures/demo');
  function snapshot(): string {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-commands-'));
    const snap = join(dir, 'snap');
    cpSync(DEMO, snap, { recursive: true });
    const file = join(snap, '111111111111/us-east-1/codepipeline/demo-app.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      pipeline: { stages: { actions: { name: string }[] }[] };
    };
    doc.pipeline.stages[2]!.actions[0]!.name = LONG_NAME;
    writeFileSync(file, JSON.stringify(doc, null, 2));
    writeFileSync(join(snap, '111111111111/s3/##[error]forged-by-filename.json'), '{');
    return dir;
  }

  it('text report on stdout, problems on stderr', async () => {
    const dir = snapshot();
    const text = await runCli(dir, 'analyze', 'snap');
    expect(text.code).toBe(2);
    expect(text.out).toContain('forged-by-filename.json');
    expect(text.out).toMatch(/\n {21}:\u200b:error title=Forged::fine/);
    expect(commandLines(text.out)).toEqual([]);
    expect(commandLines(text.err)).toEqual([]);
    for (const format of ['json', 'markdown', 'html', 'junit']) {
      const r = await runCli(dir, 'analyze', 'snap', '--format', format);
      expect(r.err).toContain(
        'error: 111111111111/s3/#\u200b#[error]forged-by-filename.json: not valid json',
      );
      expect(commandLines(r.err)).toEqual([]);
      expect(commandLines(r.out)).toEqual([]);
    }
  });
});
