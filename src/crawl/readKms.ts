/**
 * KMS: resolve a key reference (key id, key ARN, alias name or alias ARN) with describe-key, then
 * read its default key policy and grants. Key policies can only be read from the key's own
 * account (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html: "Cross-account
 * use: No"), so every call runs with the owner's credentials.
 */
import type {
  AliasListEntry,
  DescribeKeyCommandOutput,
  GetKeyPolicyCommandOutput,
  ListAliasesCommandOutput,
  ListGrantsCommandOutput,
} from '@aws-sdk/client-kms';
import { flaggedToken, type CrawlContext } from './crawlContext.js';
import { parseArn } from '../model/arn.js';
import type { Place } from './references.js';

/**
 * A predefined AWS alias (`alias/aws/s3`, ...), as a name or an alias ARN. Its AWS managed key may
 * not exist yet: list-aliases then lists the alias without a `TargetKeyId`
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html), and describe-key on
 * it would create the key (https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html:
 * KMS associates such an alias with an AWS managed key and returns it), which a read-only crawl
 * must not do.
 */
function awsAliasName(key: string): string | undefined {
  const arn = parseArn(key);
  const name = arn ? arn.resource : key;
  return name.startsWith('alias/aws/') ? name : undefined;
}

export async function readKey(ctx: CrawlContext, place: Place, key: string): Promise<void> {
  const { DescribeKeyCommand } = await ctx.sdk('kms');
  const aliases = aliasesOf(ctx, place);
  ctx.schedule(`kms-aliases|${place.account}|${place.region}`, async () => {
    await aliases;
  });
  let describeId = key;
  const awsAlias = awsAliasName(key);
  if (awsAlias !== undefined) {
    // the alias's key, from list-aliases (the alias and its key are in `place`: an alias ARN
    // names both); when it has none, or the aliases could not be listed (a failure recorded), the
    // key is not read. kms/aliases.json then says the alias has no key yet, or is not there, and
    // `analyze` takes the documented policy of an AWS managed key (which AWS creates on first use)
    // or leaves the link unknown.
    const listed = (await aliases)?.find((a) => a.AliasName === awsAlias);
    if (!listed?.TargetKeyId) return;
    describeId = listed.TargetKeyId;
  }
  const described = await ctx.call<DescribeKeyCommandOutput>(
    'kms',
    place,
    new DescribeKeyCommand({ KeyId: describeId }),
    `KMS key \`${key}\``,
  );
  if (described.status !== 'ok') return;
  const metadata = described.output.KeyMetadata;
  const keyId = metadata?.KeyId;
  if (!metadata || !keyId) return;
  const arn = metadata.Arn ? parseArn(metadata.Arn) : undefined;
  const owner: Place = {
    account: metadata.AWSAccountId ?? place.account,
    region: arn?.region || place.region,
  };
  // several references (alias, ARN, id) may name the same key: read it once
  ctx.schedule(`kms-key|${owner.account}|${owner.region}|${keyId}`, () =>
    readKeyPolicy(ctx, owner, keyId, metadata),
  );
}

async function readKeyPolicy(
  ctx: CrawlContext,
  place: Place,
  keyId: string,
  metadata: unknown,
): Promise<void> {
  const { GetKeyPolicyCommand, ListGrantsCommand } = await ctx.sdk('kms');
  const [policy, grants] = await Promise.all([
    ctx.call<GetKeyPolicyCommandOutput>(
      'kms',
      place,
      new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
      `the key policy of \`${keyId}\``,
    ),
    ctx.paginate<ListGrantsCommandOutput>(
      'kms',
      place,
      (Marker) => new ListGrantsCommand({ KeyId: keyId, ...(Marker ? { Marker } : {}) }),
      // a page flagged Truncated without a NextMarker is not the last one: a failure
      // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html)
      (o) => flaggedToken(o.Truncated, o.NextMarker),
      `the grants of \`${keyId}\``,
    ),
  ]);
  // without its policy the key is unknown: no file (a file without Policy would mean "none")
  if (policy.status !== 'ok') return;
  ctx.record({
    kind: 'kms-key',
    account: place.account,
    region: place.region,
    metadata,
    policy: policy.output.Policy,
    // grants that could not be read (the failure is recorded) are unknown, not none
    grants: grants.status === 'ok' ? grants.pages.flatMap((p) => p.Grants ?? []) : 'unknown',
  });
}

/** list-aliases of each account and region, read once per crawl. */
const aliasReads = new WeakMap<
  CrawlContext,
  Map<string, Promise<readonly AliasListEntry[] | undefined>>
>();

function aliasesOf(
  ctx: CrawlContext,
  place: Place,
): Promise<readonly AliasListEntry[] | undefined> {
  let reads = aliasReads.get(ctx);
  if (!reads) {
    reads = new Map();
    aliasReads.set(ctx, reads);
  }
  const key = `${place.account}|${place.region}`;
  let read = reads.get(key);
  if (!read) {
    read = readAliases(ctx, place);
    reads.set(key, read);
  }
  return read;
}

/** Every alias of the account and region, recorded; undefined when they could not be listed. */
async function readAliases(
  ctx: CrawlContext,
  place: Place,
): Promise<readonly AliasListEntry[] | undefined> {
  const { ListAliasesCommand } = await ctx.sdk('kms');
  const out = await ctx.paginate<ListAliasesCommandOutput>(
    'kms',
    place,
    (Marker) => new ListAliasesCommand(Marker ? { Marker } : {}),
    // a failure too (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html)
    (o) => flaggedToken(o.Truncated, o.NextMarker),
    `the KMS aliases of account \`${place.account}\` in \`${place.region}\``,
  );
  if (out.status !== 'ok') return undefined;
  const aliases = out.pages.flatMap((p) => p.Aliases ?? []);
  ctx.record({ kind: 'kms-aliases', account: place.account, region: place.region, aliases });
  return aliases;
}
