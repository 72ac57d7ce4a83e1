/** IAM: one paginated get-account-authorization-details per account (all roles, users, groups, policies). */
import type { GetAccountAuthorizationDetailsCommandOutput } from '@aws-sdk/client-iam';
import type { CrawlContext } from './crawlContext.js';

export async function readIam(ctx: CrawlContext, account: string): Promise<void> {
  const { GetAccountAuthorizationDetailsCommand } = await ctx.sdk('iam');
  const out = await ctx.paginate<GetAccountAuthorizationDetailsCommandOutput>(
    'iam',
    { account, region: ctx.homeRegion },
    (Marker) => new GetAccountAuthorizationDetailsCommand(Marker ? { Marker } : {}),
    (o) => (o.IsTruncated ? o.Marker : undefined),
    `authorization details of account \`${account}\``,
  );
  if (out.status === 'ok') ctx.record({ kind: 'iam', account, pages: out.pages });
}
