/** CodeBuild: batch-get-projects, up to 100 names per call, one codebuild.json per region. */
import type { BatchGetProjectsCommandOutput, Project } from '@aws-sdk/client-codebuild';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

/** https://docs.aws.amazon.com/codebuild/latest/APIReference/API_BatchGetProjects.html */
const BATCH = 100;

export async function readProjects(
  ctx: CrawlContext,
  place: Place,
  names: readonly string[],
): Promise<Project[]> {
  const { BatchGetProjectsCommand } = await ctx.sdk('codebuild');
  const sorted = [...new Set(names)].sort();
  const batches: string[][] = [];
  for (let i = 0; i < sorted.length; i += BATCH) batches.push(sorted.slice(i, i + BATCH));
  const outputs = await Promise.all(
    batches.map((batch) =>
      ctx.call<BatchGetProjectsCommandOutput>(
        'codebuild',
        place,
        new BatchGetProjectsCommand({ names: batch }),
        `CodeBuild projects ${batch.map((n) => `\`${n}\``).join(', ')}`,
      ),
    ),
  );
  const ok = outputs.flatMap((o) => (o.status === 'ok' ? [o.output] : []));
  if (ok.length > 0)
    ctx.record({ kind: 'codebuild', account: place.account, region: place.region, outputs: ok });
  return ok.flatMap((o) => o.projects ?? []);
}
