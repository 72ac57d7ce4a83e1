/** CodeDeploy: get-deployment-group. */
import type { GetDeploymentGroupCommandOutput } from '@aws-sdk/client-codedeploy';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

export async function readDeploymentGroup(
  ctx: CrawlContext,
  place: Place,
  application: string,
  group: string,
): Promise<GetDeploymentGroupCommandOutput | undefined> {
  const { GetDeploymentGroupCommand } = await ctx.sdk('codedeploy');
  const out = await ctx.call<GetDeploymentGroupCommandOutput>(
    'codedeploy',
    place,
    new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
    `CodeDeploy deployment group \`${application}/${group}\``,
  );
  if (out.status !== 'ok') return undefined;
  ctx.record({
    kind: 'codedeploy',
    account: place.account,
    region: place.region,
    application,
    group,
    output: out.output,
  });
  return out.output;
}
