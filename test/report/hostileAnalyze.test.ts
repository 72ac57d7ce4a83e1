/**
 * Every report format, written by `permchain analyze` (the CLI path users run) from a snapshot
 * whose names, Sid and file name are hostile (./hostileSnapshot.ts): each format keeps its
 * syntax and shows the values as text, the files are byte-identical from run to run, and no
 * secret of the snapshot reaches any of them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/report/markdown.js';
import { runCli } from '../cli/runCli.js';
import {
  HOSTILE_FILE_PATH,
  HOSTILE_NAME,
  HOSTILE_SID,
  PIPELINE_NAME,
  SECRETS,
  hostileSnapshot,
} from './hostileSnapshot.js';
import { embeddedLinks } from './sarifLinks.js';
import { findAll, parseXml } from './xmlCheck.js';

/* eslint-disable no-control-regex */
/** what must never reach a terminal: C0 (but LF), DEL, C1, line separators, bidi controls */
const TERMINAL_CONTROLS =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** the same for workflow commands, which may carry a tab */
const COMMAND_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/* eslint-enable no-control-regex */

const FORMATS = 'text,json,sarif,junit,markdown,github,mermaid,dot,html';

interface Run {
  readonly dir: string;
  readonly code: number;
  readonly err: string;
  /** report.<ext> → content */
  readonly files: Record<string, string>;
  /** the text report on standard output */
  readonly stdout: string;
}

async function analyzeHostile(): Promise<Run> {
  const dir = hostileSnapshot();
  const r = await runCli(dir, 'analyze', 'snap', '--format', FORMATS, '--output-dir', 'out');
  const files: Record<string, string> = {};
  for (const f of readdirSync(join(dir, 'out'))) {
    files[f] = readFileSync(join(dir, 'out', f), 'utf8');
  }
  const text = await runCli(dir, 'analyze', 'snap');
  return { dir, code: r.code, err: r.err, files, stdout: text.out };
}

let first: Run;
let second: Run;
beforeAll(async () => {
  first = await analyzeHostile();
  second = await analyzeHostile();
});
afterAll(() => {
  for (const r of [first, second]) if (r) rmSync(r.dir, { recursive: true, force: true });
});

/**
 * What GitHub's post-processing (mentions, issue references) and the GFM autolink extension see
 * in a comment: the text with HTML comments kept as breaks (they end a text node), tags dropped
 * and character references decoded.
 */
function githubText(md: string): string {
  return md
    .replace(/<!--[\s\S]*?-->/g, '\u0000')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(lt|gt|amp|quot);/g, (_m, e: string) =>
      e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : '"',
    );
}

describe('analyze on a hostile snapshot', () => {
  it('denies the four links the snapshot breaks and writes every format', () => {
    // 2: the stage and action names are ones CodePipeline does not allow (snapshot.name.invalid),
    // and they are still analyzed, so that every report shows them escaped
    expect(first.code).toBe(2);
    expect(Object.keys(first.files).sort()).toEqual([
      'report.dot',
      'report.github.txt',
      'report.html',
      'report.json',
      'report.md',
      'report.mmd',
      'report.sarif',
      'report.txt',
      'report.xml',
    ]);
  });

  it('writes byte-identical files on every run, with no absolute path of the run', () => {
    expect(second.files).toEqual(first.files);
    expect(second.stdout).toBe(first.stdout);
    for (const [name, content] of Object.entries(first.files)) {
      expect(content.includes(first.dir), name).toBe(false);
      expect(content.includes('permchain-hostile-'), name).toBe(false);
    }
  });

  it('never shows a secret of the snapshot in any format, on stdout or on stderr', () => {
    for (const secret of SECRETS) {
      for (const [name, content] of Object.entries(first.files)) {
        expect(content.includes(secret), `${secret} in ${name}`).toBe(false);
      }
      expect(first.stdout.includes(secret), `${secret} on stdout`).toBe(false);
      expect(first.err.includes(secret), `${secret} on stderr`).toBe(false);
    }
  });

  it('text: no control character reaches the terminal or the file, names stay readable', () => {
    for (const text of [first.stdout, first.files['report.txt']!, first.err]) {
      expect(text).not.toMatch(TERMINAL_CONTROLS);
      expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
    const out = first.stdout;
    expect(out).toContain('stage St </script><script>alert(1)</script>');
    expect(out).toContain(
      'line\\x0abreak\\x0dcarriage\\x1b[31mred\\x1b]8;;https://evil.example\\x07osc8',
    );
    expect(out).toContain('c1\\x9bcsi bidi\\u202eevil\\u2066 ls\\u2028ps\\u2029');
    expect(first.files['report.txt']).toBe(out);
  });

  it('html: values are text, the only links are in-page anchors and https documentation', () => {
    const html = first.files['report.html']!;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;dq&quot; &#39;sq&#39;');
    const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h).toMatch(/^(#p\d+|https:\/\/[^\s"'<>]+)$/);
    // no attribute value is left open: every quote in a value is a reference
    for (const tag of html.match(/<[a-z][^>]*>/g) ?? []) {
      expect(tag, tag).toMatch(/^<[a-z][a-z0-9-]*(\s+[a-z][a-z0-9:-]*(="[^"<>]*")?)*\s*\/?>$/i);
    }
  });

  it('markdown: the tables keep their columns and GitHub sees no markup, link, mention or reference', () => {
    const md = first.files['report.md']!;
    expect(md).not.toMatch(/<(script|b|a)[\s>]/i);
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
      // a cell holds no raw pipe: the row has exactly the columns of its table
      expect([6, 3]).toContain(line.split('|').length - 1);
    }
    // the documentation links are the only link destinations
    const withoutDocs = md.replace(/\]\(<https:\/\/[^>]*>\)/g, ' DOC');
    expect(withoutDocs).not.toMatch(/\]\(/);
    const seen = githubText(withoutDocs);
    expect(seen).toContain('@'); // the mention is shown...
    expect(seen).not.toMatch(/@[A-Za-z0-9]/); // ...and is no mention
    expect(seen).not.toMatch(/#[0-9]/);
    expect(withoutDocs).not.toMatch(/[A-Za-z]:\/\//);
    expect(withoutDocs).not.toMatch(/www\./i);
    expect(seen).toContain('[click](javascript:alert(1))');
  });

  it('markdown: escapeMarkdown breaks mentions, references and autolinks, and nothing else', () => {
    expect(escapeMarkdown('@octocat @ #12 # x#y')).toBe(
      '&#64;<!-- -->octocat &#64; &#35;<!-- -->12 &#35; x&#35;y',
    );
    expect(escapeMarkdown('https://a.example http:x www.a.example awww.x wwwx')).toBe(
      'https&#58;//a.example http:x &#119;ww.a.example a&#119;ww.x wwwx',
    );
    expect(escapeMarkdown('a@b.example')).toBe('a&#64;<!-- -->b.example');
    // ARNs stay readable
    expect(escapeMarkdown('arn:aws:iam::111111111111:role/a')).toBe(
      'arn:aws:iam::111111111111:role/a',
    );
  });

  // a second check of the markdown by GitHub's own parser, when installed (apt: cmark-gfm); the
  // checks above do not need it, and without it this test shows as skipped, not passed
  const cmarkGfm = '/usr/bin/cmark-gfm';
  it.skipIf(!existsSync(cmarkGfm))(
    'markdown: cmark-gfm (GitHub Flavored Markdown) renders no link or tag from a value',
    () => {
      const bin = cmarkGfm;
      const r = spawnSync(
        bin,
        ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter'],
        { input: first.files['report.md']!, encoding: 'utf8' },
      );
      expect(r.status).toBe(0);
      const hrefs = [...r.stdout.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]!);
      for (const h of hrefs) expect(h).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|github\.com)\//);
      expect(r.stdout).not.toMatch(/<(script|b)[\s>]/);
    },
  );

  it('junit: well-formed XML 1.0 whose decoded values are the names, with only what XML cannot hold made visible', () => {
    const root = parseXml(first.files['report.xml']!); // throws on anything ill-formed
    const suite = findAll(root, 'testsuite')[0]!;
    const visible = HOSTILE_NAME.replace('\u001b[31m', '\\x1b[31m')
      .replace(
        '\u001b]8;;https://evil.example\u0007osc8\u001b]8;;\u0007',
        '\\x1b]8;;https://evil.example\\x07osc8\\x1b]8;;\\x07',
      )
      .replace('bel\u0007nul\u0000', 'bel\\x07nul\\x00')
      .replace('\uffff', '\\uffff')
      .replace('\ud800', '\ufffd');
    expect(suite.attrs['name']).toBe(PIPELINE_NAME);
    const stage = findAll(root, 'testcase').filter((t) =>
      t.attrs['classname']?.startsWith(`${PIPELINE_NAME}.St `),
    );
    expect(stage.length).toBeGreaterThan(0);
    // `<pipeline>.<stage>.<action>`: the stage and the action carry the hostile name
    for (const t of stage)
      expect(t.attrs['classname']).toBe(`${PIPELINE_NAME}.St ${visible}.Act ${visible}`);
    const kms = findAll(root, 'failure').find((f) => f.text.includes('kms:Decrypt'))!;
    expect(kms.text).toContain(
      'statement </script><script>alert(1)</script>"\'|`@octocat \\x1b[2J\\x00',
    );
    const xmllint = spawnSync('xmllint', ['--noout', '-'], {
      input: first.files['report.xml']!,
      encoding: 'utf8',
    });
    // a second, independent parser when one is installed (libxml2-utils)
    if (!xmllint.error) expect(xmllint.status, xmllint.stderr).toBe(0);
  });

  it('sarif: valid for the 2.1.0 schema, the hostile file name percent-encoded, ruleIds from the catalog', () => {
    const doc = JSON.parse(first.files['report.sarif']!) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          message: { text: string };
          locations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
          relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const run = doc.runs[0]!;
    // the snapshot's 4 denied links, each under its catalog requirement
    expect(run.results.map((r) => r.ruleId).sort()).toEqual([
      'artifacts.input.kms-decrypt',
      'codebuild-project.parameter-store-get-parameters',
      'codebuild-project.parameter-store-get-parameters',
      'trigger.start-pipeline-execution',
    ]);
    expect(run.tool.driver.rules.map((r) => r.id)).toContain('artifacts.input.kms-decrypt');
    const uris = run.results.flatMap((r) =>
      [...(r.locations ?? []), ...(r.relatedLocations ?? [])].map(
        (l) => l.physicalLocation.artifactLocation.uri,
      ),
    );
    const encoded =
      'snap/111111111111/us-east-1/codepipeline/pipe%20%231%20%2541%20%C3%A9%3F%5Bx%5D.json';
    expect(uris).toContain(encoded);
    expect(decodeURIComponent(encoded)).toBe(`snap/${HOSTILE_FILE_PATH}`);
    for (const u of uris) {
      expect(u).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+$/);
      expect(new URL(u, 'file:///repo/').pathname.startsWith('/repo/snap/')).toBe(true);
    }
    // the hostile stage's results carry its name, escaped
    const inStage = run.results.filter((r) => r.message.text.includes(' / St </script>'));
    expect(inStage.length).toBeGreaterThan(0);
    for (const r of run.results) expect(embeddedLinks(r.message.text)).toEqual([]);
    for (const r of inStage) {
      expect(r.message.text).toContain(
        '[click\\](javascript:alert(1)) [x\\](https://evil.example/phish)',
      );
    }
    const kms = run.results.find((r) => r.ruleId === 'artifacts.input.kms-decrypt')!;
    expect(kms.message.text).toContain(HOSTILE_SID.replace('\ud800', '\ufffd'));
  });

  it('mermaid and dot: no control, separator or bidirectional character in a label, names quoted', () => {
    const mmd = first.files['report.mmd']!;
    const dot = first.files['report.dot']!;
    for (const text of [mmd, dot]) {
      expect(text).not.toMatch(TERMINAL_CONTROLS);
      expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
    expect(mmd).toContain(
      '["stage St #60;/script#62;#60;script#62;alert(1)#60;/script#62; #34;dq#34;',
    );
    expect(mmd).toContain('c1 csi bidi evil  ls ps  ffff');
    expect(dot).toContain('label="stage St </script><script>alert(1)</script> \\"dq\\"');
    expect(dot).toContain('c1 csi bidi evil  ls ps  ffff');
    // Graphviz reads the file, when installed
    const graphviz = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    if (!graphviz.error) expect(graphviz.status, graphviz.stderr).toBe(0);
  });

  it('github: one workflow command per line, none started by a value', () => {
    const lines = first.files['report.github.txt']!.trimEnd().split('\n');
    // four denials, the two names CodePipeline does not allow (input errors), the summary
    expect(lines.length).toBe(7);
    for (const l of lines.slice(4, 6))
      expect(l).toMatch(
        /^::error file=snap\/111111111111\/us-east-1\/codepipeline\/.*snapshot\.name\.invalid/,
      );
    for (const l of lines.slice(0, 4))
      // at the line of the deciding policy's pointer in the snapshot file
      expect(l).toMatch(
        /^::error file=snap\/111111111111\/[^,]*,line=\d+,title=permchain denied%3A /,
      );
    expect(lines[3]).toMatch(/^::error file=snap\/111111111111\/us-east-1\/kms\//);
    expect(lines[6]).toMatch(/^permchain: 1 pipeline \(1 fail\), 4 denied/);
    expect(lines.join('\n')).not.toMatch(COMMAND_CONTROLS);
  });
});

// the SARIF 2.1.0 schema shipped with Microsoft's multitool, as in ./sarif.test.ts
const require = createRequire(import.meta.url);
const schemaFile = join(
  require.resolve('@microsoft/sarif-multitool-linux/package.json'),
  '..',
  'sarif-2.1.0.json',
);
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
