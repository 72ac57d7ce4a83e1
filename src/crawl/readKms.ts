/**
 * KMS: resolve a key reference (key id, key ARN, alias name or alias ARN) with describe-key, then
 * read its default key policy and grants. Key policies can only be read from the key's own
 * account (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html: "Cross-account
 * use: No"), so every call runs with the owner's credentials.
 */
import type {
  DescribeKeyCommandOutput,
  GetKeyPolicyCommandOutput,
  ListAliasesCommandOutput,
  ListGrantsCommandOutput,
} from '@aws-sdk/client-kms';
import type { CrawlContext } from './crawlContext.js';
import { parseArn, type Place } from './references.js';

export async function readKey(ctx: CrawlContext, place: Place, key: string): Promise<void> {
  const { DescribeKeyCommand } = await ctx.sdk('kms');
  ctx.schedule(`kms-aliases|${place.account}|${place.region}`, () => readAliases(ctx, place));
  const described = await ctx.call<DescribeKeyCommandOutput>(
    'kms',
    place,
    new DescribeKeyCommand({ KeyId: key }),
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
      (o) => (o.Truncated ? o.NextMarker : undefined),
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

async function readAliases(ctx: CrawlContext, place: Place): Promise<void> {
  const { ListAliasesCommand } = await ctx.sdk('kms');
  const out = await ctx.paginate<ListAliasesCommandOutput>(
    'kms',
    place,
    (Marker) => new ListAliasesCommand(Marker ? { Marker } : {}),
    (o) => (o.Truncated ? o.NextMarker : undefined),
    `the KMS aliases of account \`${place.account}\` in \`${place.region}\``,
  );
  if (out.status !== 'ok') return;
  ctx.record({
    kind: 'kms-aliases',
    account: place.account,
    region: place.region,
    aliases: out.pages.flatMap((p) => p.Aliases ?? []),
  });
}
