/**
 * AWS Organizations: the organization, its accounts, the OU tree (as child → parent) and every
 * SCP and RCP with its targets. Reading policies and the tree needs the management account or a
 * delegated administrator; from any other account these calls fail and the guardrails stay
 * unknown (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html).
 */
import type {
  Account,
  DescribeOrganizationCommandOutput,
  ListAccountsCommandOutput,
  ListChildrenCommandOutput,
  ListPoliciesCommandOutput,
  ListRootsCommandOutput,
  ListTargetsForPolicyCommandOutput,
  DescribePolicyCommandOutput,
} from '@aws-sdk/client-organizations';
import { CRAWL_CALLS } from './calls.js';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';
import type { CrawlRecord, OrgPolicyType } from './snapshotWriter.js';

export interface OrganizationRead {
  /** the organization's accounts, when they could be listed */
  readonly accounts?: readonly Account[];
  /** true when the caller's account is in no organization (AWSOrganizationsNotInUseException) */
  readonly callerOutside?: boolean;
}

export async function readOrganization(ctx: CrawlContext): Promise<OrganizationRead> {
  const org = await ctx.sdk('organizations');
  // Organizations is a global service served from one region per partition
  const place: Place = { account: ctx.callerAccount, region: ctx.homeRegion };
  const described = await ctx.call<DescribeOrganizationCommandOutput>(
    'organizations',
    place,
    new org.DescribeOrganizationCommand({}),
    'the organization',
  );
  // only AWSOrganizationsNotInUseException says the account is in no organization (status
  // `absent`, calls.ts): then there is no `organization/` folder and no SCP or RCP applies
  // (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html)
  if (described.status === 'absent') return { callerOutside: true };
  if (described.status !== 'ok') {
    // denied, throttled, failed: whether there is an organization is unknown. An empty
    // `organization/` folder says so (the loader then leaves SCP, RCP and organization-id links
    // Unknown, naming describe-organization.json, organization/scp/ and parents.json); the rest
    // needs the management account or a delegated administrator, so it is not tried
    ctx.record({ kind: 'folder', path: 'organization' });
    return {};
  }
  ctx.record({ kind: 'organization', output: described.output });

  const [accounts] = await Promise.all([
    listAccounts(ctx, place),
    readTree(ctx, place),
    readPolicies(ctx, place, 'SERVICE_CONTROL_POLICY'),
    readPolicies(ctx, place, 'RESOURCE_CONTROL_POLICY'),
  ]);
  return accounts ? { accounts } : {};
}

async function listAccounts(ctx: CrawlContext, place: Place): Promise<Account[] | undefined> {
  const { ListAccountsCommand } = await ctx.sdk('organizations');
  const out = await ctx.paginate<ListAccountsCommandOutput>(
    'organizations',
    place,
    (NextToken) => new ListAccountsCommand(NextToken ? { NextToken } : {}),
    (o) => o.NextToken,
    'the organization accounts',
  );
  if (out.status !== 'ok') return undefined;
  const accounts = out.pages.flatMap((p) => p.Accounts ?? []);
  ctx.record({ kind: 'organization-accounts', accounts });
  return accounts;
}

/** Walk the tree from the roots; parents.json is written only when the whole tree was read. */
async function readTree(ctx: CrawlContext, place: Place): Promise<void> {
  const { ListRootsCommand, ListChildrenCommand } = await ctx.sdk('organizations');
  const roots = await ctx.paginate<ListRootsCommandOutput>(
    'organizations',
    place,
    (NextToken) => new ListRootsCommand(NextToken ? { NextToken } : {}),
    (o) => o.NextToken,
    'the organization roots',
  );
  if (roots.status !== 'ok') return;
  const parents: Record<string, string> = {};
  let complete = true;
  const visit = async (parentId: string): Promise<void> => {
    const kinds = ['ORGANIZATIONAL_UNIT', 'ACCOUNT'] as const;
    const results = await Promise.all(
      kinds.map((ChildType) =>
        ctx.paginate<ListChildrenCommandOutput>(
          'organizations',
          place,
          (NextToken) =>
            new ListChildrenCommand({
              ParentId: parentId,
              ChildType,
              ...(NextToken ? { NextToken } : {}),
            }),
          (o) => o.NextToken,
          `the children of \`${parentId}\``,
        ),
      ),
    );
    const ous: string[] = [];
    results.forEach((r, i) => {
      if (r.status !== 'ok') {
        complete = false;
        return;
      }
      for (const child of r.pages.flatMap((p) => p.Children ?? [])) {
        if (!child.Id) continue;
        parents[child.Id] = parentId;
        if (kinds[i] === 'ORGANIZATIONAL_UNIT') ous.push(child.Id);
      }
    });
    await Promise.all(ous.map(visit));
  };
  const rootIds = roots.pages.flatMap((p) => p.Roots ?? []).flatMap((r) => (r.Id ? [r.Id] : []));
  await Promise.all(rootIds.map(visit));
  if (complete) ctx.record({ kind: 'organization-parents', parents });
}

async function readPolicies(
  ctx: CrawlContext,
  place: Place,
  policyType: OrgPolicyType,
): Promise<void> {
  const { ListPoliciesCommand, DescribePolicyCommand, ListTargetsForPolicyCommand } =
    await ctx.sdk('organizations');
  const kind = policyType === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP';
  const listed = await ctx.paginate<ListPoliciesCommandOutput>(
    'organizations',
    place,
    (NextToken) =>
      new ListPoliciesCommand({ Filter: policyType, ...(NextToken ? { NextToken } : {}) }),
    (o) => o.NextToken,
    `the organization ${kind}s`,
  );
  if (listed.status === 'failed') return;
  const folder = policyType === 'SERVICE_CONTROL_POLICY' ? 'organization/scp' : 'organization/rcp';
  // the folder is read as the full set of the type, so it is written whole or not at all:
  // an empty folder when there is none (the type not enabled, or nothing listed), no folder
  // when any policy or its targets could not be read (a missing one may be the one that denies)
  if (listed.status === 'absent') {
    ctx.record({ kind: 'folder', path: folder });
    return;
  }
  const ids = listed.pages.flatMap((p) => p.Policies ?? []).flatMap((p) => (p.Id ? [p.Id] : []));
  const read = await Promise.all(
    ids.map(async (policyId): Promise<CrawlRecord | undefined> => {
      const [described, targets] = await Promise.all([
        ctx.call<DescribePolicyCommandOutput>(
          'organizations',
          place,
          new DescribePolicyCommand({ PolicyId: policyId }),
          `${kind} \`${policyId}\``,
        ),
        ctx.paginate<ListTargetsForPolicyCommandOutput>(
          'organizations',
          place,
          (NextToken) =>
            new ListTargetsForPolicyCommand({
              PolicyId: policyId,
              ...(NextToken ? { NextToken } : {}),
            }),
          (o) => o.NextToken,
          `the targets of ${kind} \`${policyId}\``,
        ),
      ]);
      // a policy without its targets cannot be placed in the tree: both or nothing
      if (described.status !== 'ok' || targets.status !== 'ok') return undefined;
      return {
        kind: 'organization-policy',
        policyType,
        policyId,
        policy: described.output.Policy,
        targets: targets.pages.flatMap((p) => p.Targets ?? []),
      };
    }),
  );
  const policies = read.filter((r): r is CrawlRecord => r !== undefined);
  if (policies.length < read.length) return;
  ctx.record({ kind: 'folder', path: folder });
  for (const record of policies) ctx.record(record);
}

/**
 * When the caller's account is in no organization, the other crawled accounts may still be in
 * one, whose SCPs and RCPs apply to them. DescribeOrganization works from any member account
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html),
 * so each is asked with its own credentials. The policies themselves can only be read from the
 * management account or a delegated administrator
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html): when
 * an account is (or may be) in an organization, an empty `organization/` folder says the
 * guardrails are unknown (without it the loader reads "no SCP or RCP applies"), and a failure
 * says why. Accounts that cannot be reached at all are skipped: nothing of theirs is read.
 */
export async function readMemberOrganizations(
  ctx: CrawlContext,
  accounts: readonly string[],
): Promise<void> {
  const org = await ctx.sdk('organizations');
  const others = [...new Set(accounts)].filter((a) => a !== ctx.callerAccount).sort();
  const outcomes = await Promise.all(
    others.map(async (account) => {
      if (!(await ctx.canReach(account))) return { account, status: 'skipped' as const };
      const described = await ctx.call<DescribeOrganizationCommandOutput>(
        'organizations',
        { account, region: ctx.homeRegion },
        new org.DescribeOrganizationCommand({}),
        'the organization',
      );
      return described.status === 'ok'
        ? { account, status: 'ok' as const, id: described.output.Organization?.Id }
        : { account, status: described.status };
    }),
  );
  // a failed call is recorded by ctx.call: whether the account is in an organization is unknown
  if (!outcomes.some((o) => o.status === 'ok' || o.status === 'failed')) return;
  ctx.record({ kind: 'folder', path: 'organization' });
  for (const o of outcomes) {
    if (o.status !== 'ok') continue;
    const id = o.id ?? '(no id)';
    ctx.recordFailure(
      CRAWL_CALLS['organizations.ListPolicies'],
      { account: o.account, region: '' },
      `the SCPs and RCPs of organization \`${id}\``,
      {
        reason: 'organization-not-readable',
        code: 'OrganizationNotReadable',
        message:
          `account \`${o.account}\` is in organization \`${id}\`, whose SCPs and RCPs are not ` +
          `readable from the caller's account \`${ctx.callerAccount}\` (in no organization): run ` +
          'the crawl from the management account or a delegated administrator',
      },
    );
  }
}
