/** IAM: one paginated get-account-authorization-details per account (all roles, users, groups, policies). */
import type { GetAccountAuthorizationDetailsCommandOutput } from '@aws-sdk/client-iam';
import { flaggedToken, type CrawlContext } from './crawlContext.js';

export async function readIam(ctx: CrawlContext, account: string): Promise<void> {
  const { GetAccountAuthorizationDetailsCommand } = await ctx.sdk('iam');
  const out = await ctx.paginate<GetAccountAuthorizationDetailsCommandOutput>(
    'iam',
    { account, region: ctx.homeRegionOf(account) },
    (Marker) => new GetAccountAuthorizationDetailsCommand(Marker ? { Marker } : {}),
    // a page flagged IsTruncated without a Marker is not the last one: a failure, not complete
    // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html)
    (o) => flaggedToken(o.IsTruncated, o.Marker),
    `authorization details of account \`${account}\``,
  );
  if (out.status === 'ok') ctx.record({ kind: 'iam', account, pages: out.pages });
}
