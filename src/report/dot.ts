/**
 * Graphviz DOT: a cluster per pipeline, a cluster per stage inside it; principals (ellipses)
 * point at resources (boxes) with the permission as edge label. Denied links red, unknown
 * dashed, warnings orange, allowed plain. Full ARNs go in tooltips.
 * https://graphviz.org/doc/info/lang.html
 */
import { buildChainGraph, pipelineTitle, type GraphEdge } from './chainGraph.js';
import type { ReportOptions } from './options.js';
import { breakWorkflowCommands } from './sanitize.js';
import { toWellFormed } from './summarize.js';
import type { Report } from './types.js';

/**
 * A double-quoted DOT string: `\` and `"` escaped (a backslash sequence like `\N` would
 * otherwise be expanded by Graphviz); line breaks become `\n`, other controls spaces.
 */
export function escapeDot(s: string): string {
  return (
    toWellFormed(s)
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/\r\n|\r|\n/g, '\\n')
      // other controls (C0, DEL, C1), separators and bidirectional controls (CVE-2021-42574)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
  );
}

const EDGE_ATTRS: Readonly<Record<GraphEdge['status'], string>> = {
  allowed: 'color="#1a7f37"',
  denied: 'color="#d1242f", fontcolor="#d1242f", penwidth=2',
  warning: 'color="#bc4c00", fontcolor="#bc4c00", penwidth=2',
  unknown: 'color="#6e7781", fontcolor="#6e7781", style=dashed',
  accepted: 'color="#6e7781", fontcolor="#6e7781", style=dotted',
};

export function renderDot(report: Report, options: ReportOptions = {}): string {
  const out = [
    'digraph permchain {',
    '  rankdir=LR;',
    '  compound=true;',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  report.pipelines.forEach((pipeline, pi) => {
    const g = buildChainGraph(pipeline, pi);
    out.push(`  subgraph cluster_${g.id} {`);
    out.push(`    label="${escapeDot(pipelineTitle(pipeline, options))}";`);
    out.push(`    tooltip="${escapeDot(pipeline.arn)}";`);
    for (const group of g.groups) {
      out.push(`    subgraph cluster_${group.id} {`);
      out.push(`      label="${escapeDot(group.title)}";`);
      out.push('      style=rounded;');
      for (const n of group.nodes) {
        const shape = n.kind === 'principal' ? 'ellipse' : 'box';
        out.push(
          `      ${n.id} [shape=${shape}, label="${escapeDot(n.label)}", tooltip="${escapeDot(n.name)}"];`,
        );
      }
      for (const e of group.edges) {
        const mark = e.status === 'allowed' ? '' : ` (${e.status})`;
        out.push(
          `      ${e.from} -> ${e.to} [label="${escapeDot(e.label + mark)}", tooltip="${escapeDot(e.link.id)}", ${EDGE_ATTRS[e.status]}];`,
        );
      }
      out.push('    }');
    }
    out.push('  }');
  });
  out.push('}');
  return breakWorkflowCommands(out.join('\n') + '\n');
}
