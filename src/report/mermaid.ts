/**
 * Mermaid flowchart: one subgraph per pipeline holding one subgraph per stage; principals
 * (stadiums) point at resources (cylinders) with the permission as edge label. Denied
 * links are red, unknown dashed, warnings orange, allowed plain.
 * Labels use mermaid's entity codes (`#quot;`, `#35;`...) so no value can end a string, nor
 * hold a directive: mermaid reads `%%{init: …}%%` anywhere in the text, inside a quoted label
 * too (its configuration, theme CSS included, would restyle the chart: `%`, `{`, `}` and `'` are
 * written as codes). https://mermaid.js.org/syntax/flowchart.html,
 * https://mermaid.js.org/config/directives.html
 */
import { buildChainGraph, pipelineTitle, type GraphEdge } from './chainGraph.js';
import type { ReportOptions } from './options.js';
import { breakWorkflowCommands } from './sanitize.js';
import { toWellFormed } from './summarize.js';
import type { Report } from './types.js';

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and the bidirectional
 * controls that reorder displayed text (U+202A–U+202E, U+2066–U+2069, CVE-2021-42574): a
 * label shows a space for each.
 */
/* eslint-disable no-control-regex */
const CONTROL = /^[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]$/;
const MERMAID_SPECIAL =
  /[#"'%{}<>&|`\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/** Text inside a quoted mermaid label, with every character that has a meaning as `#code;`. */
export function escapeMermaid(s: string): string {
  return toWellFormed(s).replace(MERMAID_SPECIAL, (c) =>
    CONTROL.test(c) ? ' ' : `#${c.charCodeAt(0)};`,
  );
}

const EDGE_STYLE: Readonly<Record<GraphEdge['status'], string | undefined>> = {
  allowed: undefined,
  denied: 'stroke:#d1242f,stroke-width:2px,color:#d1242f',
  warning: 'stroke:#bc4c00,stroke-width:2px,color:#bc4c00',
  unknown: 'stroke:#6e7781,stroke-dasharray:5 5,color:#6e7781',
  accepted: 'stroke:#6e7781,color:#6e7781',
};

export function renderMermaid(report: Report, options: ReportOptions = {}): string {
  const out: string[] = ['flowchart LR'];
  const styles: string[] = [];
  let edgeIndex = 0;
  report.pipelines.forEach((pipeline, pi) => {
    const g = buildChainGraph(pipeline, pi);
    out.push(`  subgraph ${g.id}["${escapeMermaid(pipelineTitle(pipeline, options))}"]`);
    out.push('    direction LR');
    for (const group of g.groups) {
      out.push(`    subgraph ${group.id}["${escapeMermaid(group.title)}"]`);
      for (const n of group.nodes) {
        const label = escapeMermaid(n.label);
        out.push(
          n.kind === 'principal' ? `      ${n.id}(["${label}"])` : `      ${n.id}[("${label}")]`,
        );
      }
      for (const e of group.edges) {
        const arrow = e.status === 'unknown' ? '-.->' : '-->';
        const mark = e.status === 'allowed' ? '' : ` (${e.status})`;
        out.push(`      ${e.from} ${arrow}|"${escapeMermaid(e.label + mark)}"| ${e.to}`);
        const style = EDGE_STYLE[e.status];
        if (style) styles.push(`  linkStyle ${edgeIndex} ${style}`);
        edgeIndex++;
      }
      out.push('    end');
    }
    out.push('  end');
  });
  return breakWorkflowCommands([...out, ...styles].join('\n') + '\n');
}
