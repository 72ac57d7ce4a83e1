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

export interface PipelinesRead {
  readonly pipelines: readonly PipelineRead[];
  /**
   * false when the pipelines could not be listed: any name may be there. A failed call is
   * recorded (ctx.call), so a `--pipeline` name not found is that failure, not "not found".
   */
  readonly listed: boolean;
  /** pipelines listed whose get-pipeline failed */
  readonly unread: readonly string[];
}

/** `names`: only these pipelines (all when undefined). */
export async function readPipelines(
  ctx: CrawlContext,
  place: Place,
  names: ReadonlySet<string> | undefined,
): Promise<PipelinesRead> {
  const { ListPipelinesCommand, GetPipelineCommand } = await ctx.sdk('codepipeline');
  const listed = await ctx.paginate<ListPipelinesCommandOutput>(
    'codepipeline',
    place,
    (nextToken) => new ListPipelinesCommand(nextToken ? { nextToken } : {}),
    (o) => o.nextToken,
    `the pipelines of account \`${place.account}\` in \`${place.region}\``,
  );
  if (listed.status !== 'ok') return { pipelines: [], listed: false, unread: [] };
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
      if (out.status !== 'ok') return { name };
      ctx.record({
        kind: 'pipeline',
        account: place.account,
        region: place.region,
        output: out.output,
      });
      return { name, read: { place, name, output: out.output } };
    }),
  );
  return {
    pipelines: reads.flatMap((r) => (r.read ? [r.read] : [])),
    listed: true,
    unread: reads.flatMap((r) => (r.read ? [] : [r.name])),
  };
}
