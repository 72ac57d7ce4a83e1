/**
 * The product's core: a model in, a report out. Every pipeline becomes its chain of links,
 * every link is evaluated on its own, and the graph says which stages a broken link blocks.
 * Pure: no I/O here (the catalog is loaded once by the caller or lazily from the package).
 */
import { buildChainGraph, blockedStages } from '../graph/chainGraph.js';
import { listPipelines } from '../model/queries.js';
import { NO_ARTIFACTS, type SuppliedArtifacts } from '../model/artifacts.js';
import type { ActionModel, Model, PipelineModel } from '../model/types.js';
import type { Problem } from '../problems.js';
import { sortProblems } from '../problems.js';
import { computeVerdict } from '../report/summarize.js';
import type { Report, ReportLink, ReportPipeline } from '../report/types.js';
import { buildPipelineLinks } from './buildChain.js';
import { getCatalog } from './catalog.js';
import type { Catalog } from './catalogTypes.js';
import { resolveLinkOnce, withBlocks } from './resolveLink.js';

export interface AnalyzeOptions {
  /** only these pipelines (name or ARN); all when empty */
  readonly pipelines?: readonly string[];
  readonly catalog?: Catalog;
  /** files of input artifacts given offline (src/load/artifacts.ts: readSuppliedArtifacts) */
  readonly artifacts?: SuppliedArtifacts;
}

export function analyzeModel(model: Model, options: AnalyzeOptions = {}): Report {
  const lazy = analyzeModelLazily(model, options);
  return { pipelines: [...lazy.pipelines], problems: lazy.problems };
}

/** A report whose pipelines are analyzed one at a time, as they are read. */
export interface LazyReport {
  /** every problem of the report: analyzing a pipeline adds none */
  readonly problems: Problem[];
  /** analyzed on demand, in report order; iterate once */
  readonly pipelines: Iterable<ReportPipeline>;
}

/**
 * The same report as analyzeModel, pipeline by pipeline: a caller that writes each pipeline as
 * it comes (the JSON report) never holds the links of the whole organization at once.
 */
export function analyzeModelLazily(model: Model, options: AnalyzeOptions = {}): LazyReport {
  const selection = selectPipelines(model, options);
  function* analyzed(): Generator<ReportPipeline> {
    for (let i = 0; i < selection.pipelines.length; i++) yield selection.analyzeAt(i);
  }
  return { problems: selection.problems, pipelines: analyzed() };
}

/** The pipelines a run analyzes, in report order, each analyzed on its own when asked. */
export interface PipelineSelection {
  /** every problem of the report: analyzing a pipeline adds none */
  readonly problems: Problem[];
  readonly pipelines: readonly PipelineModel[];
  /**
   * The report of `pipelines[i]`. It depends on the model and that pipeline alone, not on which
   * pipelines were analyzed before (test/chain/analyzeOrder.test.ts), so threads that each load
   * the same input can share the pipelines out (src/cli/parallelAnalyze.ts).
   */
  analyzeAt(i: number): ReportPipeline;
}

export function selectPipelines(model: Model, options: AnalyzeOptions = {}): PipelineSelection {
  const catalog = options.catalog ?? getCatalog();
  const problems: Problem[] = [...model.problems];
  const wanted = options.pipelines ?? [];
  let pipelines = listPipelines(model);
  if (wanted.length > 0) {
    pipelines = pipelines.filter((p) => wanted.includes(p.name) || wanted.includes(p.arn));
    for (const w of wanted) {
      if (!pipelines.some((p) => p.name === w || p.arn === w)) {
        problems.push({
          pointer: '',
          message: `no pipeline \`${w}\` in the input`,
          id: 'analyze.pipeline.not-found',
          severity: 'error',
        });
      }
    }
  }
  // a pipeline whose own file is broken, or that yields no link at all, is not known to pass:
  // whatever could not be read might hold what fails
  const brokenFiles = new Set(
    model.problems.filter((p) => p.severity === 'error').map((p) => p.file),
  );
  const analyzeAt = (i: number): ReportPipeline => {
    const p = pipelines[i]!;
    const r = analyzePipeline(model, p, catalog, options.artifacts);
    if (r.verdict !== 'pass' || (r.links.length > 0 && !brokenFiles.has(p.location.file))) return r;
    return { ...r, verdict: 'unknown' as const };
  };
  return { problems: sortProblems(problems), pipelines, analyzeAt };
}

/**
 * The stages a skipped stage blocks, given `stages`, the stage and every stage after it (in
 * run order): the stage itself, and from the first later stage with an action or rule that
 * reads what the skipped stage's actions write (one of their output artifacts, or a variable of
 * their namespace, `#{<namespace>.<name>}`), that stage and all after it. A skipped stage writes
 * neither in that run, and what CodePipeline gives an action whose input was not written is not
 * documented (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html
 * says only that the stage is skipped): the stage is not known to run, and a stage that fails
 * stops the run. A later stage that reads none of them is not blocked.
 */
function skippedStageBlocks(
  model: Model,
  pipeline: PipelineModel,
  stages: readonly string[],
): string[] {
  const [own, ...later] = stages;
  if (own === undefined) return [];
  const skipped = pipeline.stages.find((s) => s.name === own)?.actions ?? [];
  const written = new Set(skipped.flatMap((a) => a.outputArtifacts));
  const namespaces = skipped.flatMap((a) => (a.namespace ? [`#{${a.namespace}.`] : []));
  // a configuration value holding a variable is a placeholder whose reason names the variable
  const texts = (v: string): string[] => [
    v,
    ...[v, ...[...v.matchAll(/unresolved-[0-9a-f]{10}/g)].map((m) => m[0])].map(
      (k) => model.unresolved?.get(k)?.reason ?? '',
    ),
  ];
  const readsVariable = (v: string): boolean =>
    namespaces.length > 0 && texts(v).some((t) => namespaces.some((ns) => t.includes(ns)));
  const reads = (a: ActionModel): boolean =>
    a.inputArtifacts.some((n) => written.has(n)) ||
    Object.values(a.configuration).some(readsVariable);
  const first = later.findIndex((name) =>
    pipeline.stages
      .filter((s) => s.name === name)
      .some((s) => [...s.actions, ...(s.rules ?? [])].some(reads)),
  );
  return first < 0 ? [own] : [own, ...later.slice(first)];
}

export function analyzePipeline(
  model: Model,
  pipeline: PipelineModel,
  catalog: Catalog,
  artifacts: SuppliedArtifacts = NO_ARTIFACTS,
): ReportPipeline {
  const specs = buildPipelineLinks(model, pipeline, catalog, artifacts);
  const evaluated = specs.map((s) => resolveLinkOnce(model, s));
  const shape = {
    name: pipeline.name,
    // a stage's condition rules are nodes of the stage like its actions
    stages: pipeline.stages.map((s) => ({
      name: s.name,
      actions: [...s.actions, ...(s.rules ?? [])].map((a) => a.name),
    })),
  };
  // the graph answers which stages a broken link blocks; a pipeline whose links are all
  // allowed has nothing to ask it
  // (a recommended link blocks nothing: working pipelines run without it)
  const blocking = (l: ReportLink): boolean => l.decision !== 'Allowed' && l.level === 'required';
  let links: ReportLink[] = evaluated;
  if (evaluated.some(blocking)) {
    const graph = buildChainGraph(shape, evaluated);
    // a link of an entry condition's rule whose result is SKIP blocks its own stage: the
    // stage is skipped and the run goes on (LinkSpec.skipsItsStage), but not past a later stage
    // that reads what the skipped stage would have written (skippedStageBlocks). `specs` and
    // `evaluated` are in the same order
    links = evaluated.map((l, i) => {
      if (!blocking(l)) return l;
      const stages = blockedStages(graph, pipeline.name, l.stage);
      return withBlocks(
        l,
        specs[i]!.skipsItsStage ? skippedStageBlocks(model, pipeline, stages) : stages,
      );
    });
  }
  // keys in sorted order, so the JSON report is written without copying (see stableJson)
  return {
    account: pipeline.account,
    arn: pipeline.arn,
    links,
    location: { file: pipeline.location.file, pointer: pipeline.location.pointer },
    name: pipeline.name,
    region: pipeline.region,
    verdict: computeVerdict(links),
  };
}
