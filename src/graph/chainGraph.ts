/**
 * The chain of a pipeline as a graph (graphology): the pipeline, its stages (in run order,
 * joined by `next` edges), actions, principals and resources are nodes; every link is an edge
 * from its principal to its resource carrying the link's verdict. A link that is not allowed
 * blocks its stage and every stage after it, which is what the graph answers.
 */
import { MultiDirectedGraph } from 'graphology';
import type { ReportLink } from '../report/types.js';

export type NodeKind = 'pipeline' | 'stage' | 'action' | 'principal' | 'resource';

export interface NodeAttributes {
  readonly kind: NodeKind;
  readonly label: string;
}

export type EdgeAttributes =
  | { readonly kind: 'contains' }
  | { readonly kind: 'next' }
  | { readonly kind: 'runs-as' }
  | { readonly kind: 'link'; readonly link: ReportLink };

export type ChainGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;

export interface PipelineShape {
  readonly name: string;
  readonly stages: readonly { readonly name: string; readonly actions: readonly string[] }[];
}

export const nodeId = {
  pipeline: (name: string) => `pipeline:${name}`,
  stage: (name: string) => `stage:${name}`,
  action: (stage: string, action: string) => `action:${stage}/${action}`,
  principal: (p: string) => `principal:${p}`,
  resource: (r: string) => `resource:${r}`,
};

export function buildChainGraph(pipeline: PipelineShape, links: readonly ReportLink[]): ChainGraph {
  const g: ChainGraph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  const p = nodeId.pipeline(pipeline.name);
  g.addNode(p, { kind: 'pipeline', label: pipeline.name });
  let previous: string | undefined;
  for (const stage of pipeline.stages) {
    const s = nodeId.stage(stage.name);
    g.mergeNode(s, { kind: 'stage', label: stage.name });
    g.addDirectedEdge(p, s, { kind: 'contains' });
    if (previous) g.addDirectedEdge(previous, s, { kind: 'next' });
    previous = s;
    for (const action of stage.actions) {
      const a = nodeId.action(stage.name, action);
      g.mergeNode(a, { kind: 'action', label: action });
      g.addDirectedEdge(s, a, { kind: 'contains' });
    }
  }
  for (const link of links) {
    const from = nodeId.principal(link.principal);
    const to = nodeId.resource(link.resource);
    g.mergeNode(from, { kind: 'principal', label: link.principal });
    g.mergeNode(to, { kind: 'resource', label: link.resource });
    g.addDirectedEdge(from, to, { kind: 'link', link });
    if (link.stage !== undefined && link.action !== undefined) {
      const a = nodeId.action(link.stage, link.action);
      if (
        g.hasNode(a) &&
        !g.someOutEdge(a, (_e, attr, _s, target) => attr.kind === 'runs-as' && target === from)
      ) {
        g.addDirectedEdge(a, from, { kind: 'runs-as' });
      }
    }
  }
  return g;
}

/**
 * The stages a link blocks when it is not allowed: its own stage and every stage after it
 * (stages run in order; a failed action stops the execution there). A pipeline-level link (no
 * stage: CodePipeline assuming the pipeline role) blocks every stage.
 */
export function blockedStages(
  g: ChainGraph,
  pipelineName: string,
  stage: string | undefined,
): string[] {
  const start = stage === undefined ? firstStage(g, pipelineName) : nodeId.stage(stage);
  if (!start || !g.hasNode(start)) return [];
  const out: string[] = [];
  let current: string | undefined = start;
  const seen = new Set<string>();
  while (current && !seen.has(current)) {
    seen.add(current);
    out.push(g.getNodeAttribute(current, 'label'));
    const from: string = current;
    current = g.findOutNeighbor(from, (n) =>
      g.someEdge(from, n, (_e, attr) => attr.kind === 'next'),
    );
  }
  return out;
}

function firstStage(g: ChainGraph, pipelineName: string): string | undefined {
  const p = nodeId.pipeline(pipelineName);
  if (!g.hasNode(p)) return undefined;
  return g.findOutNeighbor(p, (n, attr) => attr.kind === 'stage' && g.inDegree(n) === 1);
}
