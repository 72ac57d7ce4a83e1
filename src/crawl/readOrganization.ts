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
import { compareNames } from '../load/snapshotFiles.js';
import { CRAWL_CALLS } from './calls.js';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';
import type { CrawlRecord, OrgPolicyType } from './snapshotWriter.js';

export interface OrganizationRead {
  /** the organization's accounts, when they could be listed (accounts.json is written) */
  readonly accounts?: readonly Account[];
  /** true when the caller's account is in no organization (AWSOrganizationsNotInUseException) */
  readonly callerOutside?: boolean;
  /** the organization's id and management account, from describe-organization */
  readonly id?: string;
  readonly managementAccount?: string;
  /** the parents.json entries (accounts and OUs), when the whole tree was read */
  readonly tree?: Readonly<Record<string, string>>;
}

/**
 * Read the organization from `account` (the caller's by default; the management account's when
 * the caller is in no organization, readMemberOrganizations).
 */
export async function readOrganization(
  ctx: CrawlContext,
  account: string = ctx.callerAccount,
): Promise<OrganizationRead> {
  const org = await ctx.sdk('organizations');
  // Organizations is a global service served from one region per partition
  const place: Place = { account, region: ctx.homeRegionOf(account) };
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
    withholdOrganization(ctx);
    return {};
  }
  ctx.record({ kind: 'organization', output: described.output });
  const id = described.output.Organization?.Id;
  const managementAccount = described.output.Organization?.MasterAccountId;

  const [accounts, tree] = await Promise.all([
    listAccounts(ctx, place),
    readTree(ctx, place),
    readPolicies(ctx, place, 'SERVICE_CONTROL_POLICY'),
    readPolicies(ctx, place, 'RESOURCE_CONTROL_POLICY'),
  ]);
  return {
    ...(accounts ? { accounts } : {}),
    ...(tree ? { tree } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(managementAccount !== undefined ? { managementAccount } : {}),
  };
}

/**
 * The organization is unknown (describe-organization failed, or the crawled accounts are in one
 * this crawl cannot read): with --merge, every organization file an earlier crawl wrote is
 * removed, since `analyze` would read it as current (an old scp/ folder without a new Deny, an
 * old accounts.json without a new member). The empty `organization/` folder says it is unknown.
 */
function withholdOrganization(ctx: CrawlContext): void {
  for (const path of [
    'organization/describe-organization.json',
    'organization/accounts.json',
    'organization/parents.json',
    'organization/scp',
    'organization/rcp',
  ])
    ctx.record({ kind: 'withheld', path });
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
  if (out.status !== 'ok') {
    // an earlier crawl's list may leave out an account that is a member now (read as outside)
    ctx.record({ kind: 'withheld', path: 'organization/accounts.json' });
    return undefined;
  }
  const accounts = out.pages.flatMap((p) => p.Accounts ?? []);
  ctx.record({ kind: 'organization-accounts', accounts });
  return accounts;
}

/** Walk the tree from the roots; parents.json is written only when the whole tree was read. */
async function readTree(
  ctx: CrawlContext,
  place: Place,
): Promise<Record<string, string> | undefined> {
  const { ListRootsCommand, ListChildrenCommand } = await ctx.sdk('organizations');
  const roots = await ctx.paginate<ListRootsCommandOutput>(
    'organizations',
    place,
    (NextToken) => new ListRootsCommand(NextToken ? { NextToken } : {}),
    (o) => o.NextToken,
    'the organization roots',
  );
  if (roots.status !== 'ok') {
    ctx.record({ kind: 'withheld', path: 'organization/parents.json' });
    return undefined;
  }
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
  if (!complete) {
    // a tree in part would put an account outside the OUs whose policies apply to it
    ctx.record({ kind: 'withheld', path: 'organization/parents.json' });
    return undefined;
  }
  ctx.record({ kind: 'organization-parents', parents });
  return parents;
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
  const folder = policyType === 'SERVICE_CONTROL_POLICY' ? 'organization/scp' : 'organization/rcp';
  if (listed.status === 'failed') {
    // an earlier crawl's folder may lack a policy that denies now
    ctx.record({ kind: 'withheld', path: folder });
    return;
  }
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
  if (policies.length < read.length) {
    ctx.record({ kind: 'withheld', path: folder });
    return;
  }
  ctx.record({ kind: 'folder', path: folder });
  for (const record of policies) ctx.record(record);
}

type Membership =
  | { readonly account: string; readonly status: 'skipped' | 'absent' | 'failed' }
  | {
      readonly account: string;
      readonly status: 'ok';
      readonly id: string;
      readonly managementAccount?: string;
    };

/**
 * Which organization `account` is in, asked with its own credentials: DescribeOrganization works
 * from any member account
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html).
 * `skipped` when the account cannot be reached (nothing of it is read); a failed call is
 * recorded by ctx.call.
 */
async function membershipOf(ctx: CrawlContext, account: string): Promise<Membership> {
  if (!(await ctx.canReach(account))) return { account, status: 'skipped' };
  const org = await ctx.sdk('organizations');
  const described = await ctx.call<DescribeOrganizationCommandOutput>(
    'organizations',
    { account, region: ctx.homeRegionOf(account) },
    new org.DescribeOrganizationCommand({}),
    'the organization',
  );
  if (described.status !== 'ok') return { account, status: described.status };
  const o = described.output.Organization;
  return {
    account,
    status: 'ok',
    id: o?.Id ?? '(no id)',
    ...(o?.MasterAccountId !== undefined ? { managementAccount: o.MasterAccountId } : {}),
  };
}

/**
 * After the crawl: settle, for every crawled account, whether the organization files written
 * can say it is outside the organization. `analyze` reads an account that accounts.json (read in
 * full) and parents.json leave out as outside the organization, so that no SCP or RCP applies to
 * it (src/model/queries.ts, orgMembership). ListAccounts lists every account of the caller's
 * organization (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html),
 * but a crawled account may be in another organization, whose SCPs and RCPs this snapshot does not
 * hold. Each such account is asked which organization it is in: in none, it is outside, as
 * accounts.json says; in another (or the same, yet not listed), or when it cannot say, a failure
 * says so and accounts.json is left out, so that whether an account outside parents.json is in
 * the organization is unknown, and its SCP and RCP levels too (the snapshot format cannot say
 * that of one account alone).
 */
export async function settleMembership(
  ctx: CrawlContext,
  org: OrganizationRead | undefined,
  accounts: readonly string[],
): Promise<void> {
  if (org?.callerOutside) await readMemberOrganizations(ctx, accounts);
  else if (org) await checkUnlisted(ctx, org, accounts, new Map());
}

async function checkUnlisted(
  ctx: CrawlContext,
  org: OrganizationRead,
  accounts: readonly string[],
  known: ReadonlyMap<string, Membership>,
): Promise<void> {
  if (!org.accounts) return;
  const listed = new Set(org.accounts.flatMap((a) => (a.Id ? [a.Id] : [])));
  const unlisted = [...new Set(accounts)]
    .filter((a) => !listed.has(a) && !(org.tree && a in org.tree) && a !== org.managementAccount)
    .sort();
  const outcomes = await Promise.all(unlisted.map((a) => known.get(a) ?? membershipOf(ctx, a)));
  let unsettled = false;
  for (const o of outcomes) {
    if (o.status === 'skipped' || o.status === 'absent') continue;
    unsettled = true;
    if (o.status !== 'ok') continue;
    const place = { account: o.account, region: '' };
    if (o.id === org.id) {
      ctx.recordFailure(
        CRAWL_CALLS['organizations.ListAccounts'],
        place,
        `whether account \`${o.account}\` is in organization \`${o.id}\``,
        {
          reason: 'error',
          code: 'AccountNotListed',
          message:
            `account \`${o.account}\` says it is in organization \`${o.id}\`, but list-accounts ` +
            'did not list it: accounts.json is left out, so whether an account is in the ' +
            'organization is unknown',
        },
      );
    } else {
      ctx.recordFailure(
        CRAWL_CALLS['organizations.ListPolicies'],
        place,
        `the SCPs and RCPs of organization \`${o.id}\``,
        {
          reason: 'organization-not-readable',
          code: 'OrganizationNotReadable',
          message:
            `account \`${o.account}\` is in organization \`${o.id}\`, not in \`${org.id ?? '(no id)'}\` ` +
            `whose SCPs and RCPs the snapshot holds; \`${o.id}\`'s are not readable here: crawl it ` +
            'from its management account or a delegated administrator (accounts.json is left ' +
            'out, so its SCPs and RCPs are unknown)',
        },
      );
    }
  }
  if (unsettled) {
    ctx.unrecord((r) => r.kind === 'organization-accounts');
    ctx.record({ kind: 'withheld', path: 'organization/accounts.json' });
  }
}

/**
 * When the caller's account is in no organization, the other crawled accounts may still be in
 * one, whose SCPs and RCPs apply to them. Each is asked with its own credentials (membershipOf).
 * When one of them is the management account of its organization, the organization is read from
 * there (the crawl has its credentials), and the accounts it does not list are settled as above
 * (checkUnlisted). Otherwise the policies can only be read from the management account or a
 * delegated administrator
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html): when
 * an account is (or may be) in an organization, an empty `organization/` folder says the
 * guardrails are unknown (without it the loader reads "no SCP or RCP applies"), and a failure
 * says why. Accounts that cannot be reached at all are skipped: nothing of theirs is read.
 */
async function readMemberOrganizations(
  ctx: CrawlContext,
  accounts: readonly string[],
): Promise<void> {
  const others = [...new Set(accounts)].filter((a) => a !== ctx.callerAccount).sort();
  const outcomes = await Promise.all(others.map((account) => membershipOf(ctx, account)));
  // a failed call is recorded by ctx.call: whether the account is in an organization is unknown
  if (!outcomes.some((o) => o.status === 'ok' || o.status === 'failed')) return;

  // a crawled management account (the first by organization id): its organization is read there
  const managed = outcomes
    .flatMap((o) => (o.status === 'ok' && o.managementAccount === o.account ? [o] : []))
    .sort((a, b) => compareNames(a.id, b.id))[0];
  if (managed !== undefined) {
    const org = await readOrganization(ctx, managed.account);
    if (org.accounts) {
      const known = new Map<string, Membership>(outcomes.map((o) => [o.account, o]));
      known.set(ctx.callerAccount, { account: ctx.callerAccount, status: 'absent' });
      await checkUnlisted(ctx, org, [...accounts, ctx.callerAccount], known);
      return;
    }
    // no accounts.json: whether an account outside parents.json is a member is unknown already
  }

  ctx.record({ kind: 'folder', path: 'organization' });
  // nothing of the organization was read (a management account's read that lacks its accounts
  // withholds those itself): an earlier crawl's files of it would be read as current
  if (managed === undefined) withholdOrganization(ctx);
  for (const o of outcomes) {
    if (o.status !== 'ok' || o.id === managed?.id) continue;
    ctx.recordFailure(
      CRAWL_CALLS['organizations.ListPolicies'],
      { account: o.account, region: '' },
      `the SCPs and RCPs of organization \`${o.id}\``,
      {
        reason: 'organization-not-readable',
        code: 'OrganizationNotReadable',
        message:
          `account \`${o.account}\` is in organization \`${o.id}\`, whose SCPs and RCPs are not ` +
          `readable from the caller's account \`${ctx.callerAccount}\` (in no organization): run ` +
          'the crawl from the management account or a delegated administrator',
      },
    );
  }
}
