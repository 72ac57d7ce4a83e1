/** ECR: get-repository-policy (none is RepositoryPolicyNotFoundException: known, written as `{}`). */
import type { GetRepositoryPolicyCommandOutput } from '@aws-sdk/client-ecr';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

export async function readRepository(
  ctx: CrawlContext,
  place: Place,
  repository: string,
): Promise<void> {
  const { GetRepositoryPolicyCommand } = await ctx.sdk('ecr');
  const out = await ctx.call<GetRepositoryPolicyCommandOutput>(
    'ecr',
    place,
    new GetRepositoryPolicyCommand({ repositoryName: repository, registryId: place.account }),
    `ECR repository \`${repository}\``,
  );
  if (out.status === 'failed') return;
  ctx.record({
    kind: 'ecr',
    account: place.account,
    region: place.region,
    repository,
    output: out.status === 'ok' ? out.output : {},
  });
}
