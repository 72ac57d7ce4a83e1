import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shortLabel } from '../../src/report/chainGraph.js';
import { escapeDot, renderDot } from '../../src/report/dot.js';
import { escapeMermaid, renderMermaid } from '../../src/report/mermaid.js';
import { crossAccountReport, hostileReport, onlyUnknown } from './fixtures.js';

describe('mermaid', () => {
  const mmd = renderMermaid(crossAccountReport());
  const lines = mmd.split('\n');

  it('draws a subgraph per pipeline and per stage, one edge per link', () => {
    expect(lines[0]).toBe('flowchart LR');
    expect(lines.filter((l) => /^ {2}subgraph p\d+\[/.test(l))).toHaveLength(3);
    expect(
      lines.filter((l) => /^ {4}subgraph p0s\d+\[/.test(l)).map((l) => /"(.*)"/.exec(l)![1]),
    ).toEqual(['pipeline', 'stage Source', 'stage Build', 'stage Deploy']);
    const edges = lines.filter((l) => / (-->|-\.->)\|/.test(l));
    expect(edges).toHaveLength(13);
  });

  it('styles denied edges red, unknown dashed, allowed plain', () => {
    const edges = lines.filter((l) => / (-->|-\.->)\|/.test(l));
    const styleOf = (i: number): string | undefined =>
      lines.find((l) => l.startsWith(`  linkStyle ${i} `));
    edges.forEach((e, i) => {
      if (e.includes('(denied)')) expect(styleOf(i)).toContain('stroke:#d1242f');
      else if (e.includes('(unknown)')) {
        expect(e).toContain('-.->');
        expect(styleOf(i)).toContain('stroke-dasharray');
      } else if (!e.includes('(warning)')) expect(styleOf(i)).toBeUndefined();
    });
  });

  it('escapes hostile labels so no value can end a string or add syntax', () => {
    const out = renderMermaid(hostileReport());
    for (const l of out.split('\n').filter((x) => x.includes('"'))) {
      // quotes only delimit labels: an even number on every line
      expect((l.match(/"/g) ?? []).length % 2).toBe(0);
    }
    expect(escapeMermaid('a"b|c<d>#e\nf')).toBe('a#34;b#124;c#60;d#62;#35;e f');
    expect(out.replace(/ (-->|-\.->)/g, ' ')).not.toMatch(/[<>]/);
  });

  it('writes no directive: `%%{init: …}%%` in a name is codes, not configuration (theme CSS would restyle the chart)', () => {
    const directive = "Source%%{init: {'themeCSS':'.edgePaths path{stroke:gray}'}}%%";
    expect(escapeMermaid(directive)).toBe(
      'Source#37;#37;#123;init: #123;#39;themeCSS#39;:#39;.edgePaths path#123;stroke:gray#125;#39;#125;#125;#37;#37;',
    );
    const report = crossAccountReport();
    const named = {
      ...report,
      pipelines: report.pipelines.map((p) => ({
        ...p,
        name: directive,
        links: p.links.map((l) => ({ ...l, stage: directive })),
      })),
    };
    const out = renderMermaid(named);
    expect(out).not.toContain('%');
    // braces only where the syntax puts them: none (labels are quoted, shapes are ([ ]) and [( )])
    expect(out).not.toMatch(/[{}]/);
  });

  it('titles a pipeline with the verdict the run gives it: failing under --fail-on unknown, and why', () => {
    const report = onlyUnknown;
    expect(renderMermaid(report)).toContain('(unknown)"]');
    const failing = renderMermaid(report, { failOn: 'unknown' });
    expect(failing).toContain('(fail: unknown links (--fail-on unknown))"]');
    expect(failing).not.toContain('(unknown)"]');
    expect(renderDot(report, { failOn: 'unknown' })).toContain(
      '(fail: unknown links (--fail-on unknown))";',
    );
    expect(renderDot(report)).toContain('(unknown)";');
  });
});

describe('dot', () => {
  it('draws clusters per pipeline and stage with coloured edges', () => {
    const dot = renderDot(crossAccountReport());
    expect(dot.match(/subgraph cluster_p\d+ \{/g)).toHaveLength(3);
    const edges = dot.split('\n').filter((l) => l.includes(' -> '));
    expect(edges).toHaveLength(13);
    for (const e of edges) {
      if (e.includes('(denied)')) expect(e).toContain('color="#d1242f"');
      if (e.includes('(unknown)')) expect(e).toContain('style=dashed');
    }
  });

  it('escapes quotes, backslashes and newlines', () => {
    expect(escapeDot('a"b\\c\r\nd\u0001')).toBe('a\\"b\\\\c\\nd ');
  });

  const hasDot = existsSync('/usr/bin/dot');
  it.skipIf(!hasDot)('is accepted by Graphviz, hostile input included', () => {
    for (const report of [crossAccountReport(), hostileReport()]) {
      const r = spawnSync('/usr/bin/dot', ['-Tsvg'], {
        input: renderDot(report),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('<svg');
    }
  });
  if (!hasDot)
    it.skip('graphviz is not installed (/usr/bin/dot): syntax not checked by dot', () => {});
});

describe('shortLabel', () => {
  it('keeps the resource part and the account', () => {
    expect(shortLabel('arn:aws:iam::222222222222:role/deploy')).toBe(
      'iam:role/deploy (222222222222)',
    );
    expect(shortLabel('arn:aws:s3:::bucket/key/*')).toBe('s3:bucket/key/*');
    expect(shortLabel('codebuild.amazonaws.com')).toBe('codebuild.amazonaws.com');
  });
});
