/**
 * The drawable form of a pipeline's chain, shared by the mermaid, dot and html reporters:
 * stage by stage, principals and resources as nodes, one edge per link. A node belongs to one
 * stage group (the same role in two stages is drawn in each), so every group can be drawn as a
 * subgraph. Ids are positional (`p0s1n2`), so they are safe in every syntax and deterministic.
 */
import { shownVerdict } from './markdown.js';
import type { ReportOptions } from './options.js';
import { groupByStage, linkStatus, type LinkStatus } from './summarize.js';
import type { ReportLink, ReportPipeline } from './types.js';

export interface GraphNode {
  readonly id: string;
  readonly kind: 'principal' | 'resource';
  /** full ARN or service principal */
  readonly name: string;
  /** short label for drawing */
  readonly label: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly status: LinkStatus;
  readonly link: ReportLink;
}

export interface GraphGroup {
  readonly id: string;
  /** undefined: pipeline-level links */
  readonly stage: string | undefined;
  readonly title: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface ChainGraph {
  readonly id: string;
  readonly pipeline: ReportPipeline;
  readonly groups: readonly GraphGroup[];
}

export function buildChainGraph(pipeline: ReportPipeline, index: number): ChainGraph {
  const pid = `p${index}`;
  const groups = groupByStage(pipeline).map((g, gi) => {
    const gid = `${pid}s${gi}`;
    const nodes: GraphNode[] = [];
    const byKey = new Map<string, GraphNode>();
    const node = (kind: GraphNode['kind'], name: string): GraphNode => {
      const key = `${kind}\u0000${name}`;
      let n = byKey.get(key);
      if (!n) {
        n = { id: `${gid}n${nodes.length}`, kind, name, label: shortLabel(name) };
        byKey.set(key, n);
        nodes.push(n);
      }
      return n;
    };
    const edges: GraphEdge[] = [];
    for (const a of g.actions) {
      for (const link of a.links) {
        const from = node('principal', link.principal);
        const to = node('resource', link.resource);
        edges.push({
          from: from.id,
          to: to.id,
          label: link.permission,
          status: linkStatus(link),
          link,
        });
      }
    }
    return {
      id: gid,
      stage: g.stage,
      title: g.stage === undefined ? 'pipeline' : `stage ${g.stage}`,
      nodes,
      edges,
    };
  });
  return { id: pid, pipeline, groups };
}

/**
 * A readable label for an ARN: the resource part plus the account, e.g.
 * `role/deploy (222222222222)`, `bucket/key/*` for S3; anything else is kept as it is.
 */
export function shortLabel(name: string): string {
  const m = /^arn:[^:]*:([^:]*):([^:]*):([^:]*):(.*)$/s.exec(name);
  if (!m) return name;
  const [, service, , account, resource] = m as unknown as [string, string, string, string, string];
  const res = resource === '' ? service : resource;
  return account === '' ? `${service}:${res}` : `${service}:${res} (${account})`;
}

/**
 * A pipeline's title in a chart: its name and the verdict the other reports show (shownVerdict:
 * a pipeline that fails the run under --fail-on unknown shows as failing, and why), not only its
 * own verdict.
 */
export function pipelineTitle(pipeline: ReportPipeline, options: ReportOptions): string {
  const shown = shownVerdict(pipeline, options.failOn ?? 'denied');
  const why = shown.why.length > 0 ? `: ${shown.why.join(', ')}` : '';
  return `pipeline ${pipeline.name} (${shown.verdict}${why})`;
}
