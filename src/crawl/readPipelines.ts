/** CodePipeline: list the pipelines of an account and region, then get-pipeline each one. */
import type {
  GetPipelineCommandOutput,
  ListPipelinesCommandOutput,
} from '@aws-sdk/client-codepipeline';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

export interface PipelineRead {
  readonly place: Place;
  readonly name: string;
  readonly output: GetPipelineCommandOutput;
}

/** `names`: only these pipelines (all when undefined). */
export async function readPipelines(
  ctx: CrawlContext,
  place: Place,
  names: ReadonlySet<string> | undefined,
): Promise<PipelineRead[]> {
  const { ListPipelinesCommand, GetPipelineCommand } = await ctx.sdk('codepipeline');
  const listed = await ctx.paginate<ListPipelinesCommandOutput>(
    'codepipeline',
    place,
    (nextToken) => new ListPipelinesCommand(nextToken ? { nextToken } : {}),
    (o) => o.nextToken,
    `the pipelines of account \`${place.account}\` in \`${place.region}\``,
  );
  if (listed.status !== 'ok') return [];
  const wanted = listed.pages
    .flatMap((p) => p.pipelines ?? [])
    .flatMap((p) => (p.name ? [p.name] : []))
    .filter((name) => !names || names.has(name))
    .sort();
  const reads = await Promise.all(
    wanted.map(async (name) => {
      const out = await ctx.call<GetPipelineCommandOutput>(
        'codepipeline',
        place,
        new GetPipelineCommand({ name }),
        `pipeline \`${name}\``,
      );
      if (out.status !== 'ok') return [];
      ctx.record({
        kind: 'pipeline',
        account: place.account,
        region: place.region,
        output: out.output,
      });
      return [{ place, name, output: out.output }];
    }),
  );
  return reads.flat();
}
