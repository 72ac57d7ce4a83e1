/** SNS: get-topic-attributes (the topic policy is the `Policy` attribute). */
import type { GetTopicAttributesCommandOutput } from '@aws-sdk/client-sns';
import type { CrawlContext } from './crawlContext.js';
import { partitionOfRegion } from '../model/arn.js';
import type { Place } from './references.js';

export async function readTopic(
  ctx: CrawlContext,
  place: Place,
  topic: string,
): Promise<Record<string, string> | undefined> {
  const { GetTopicAttributesCommand } = await ctx.sdk('sns');
  const arn = `arn:${partitionOfRegion(place.region)}:sns:${place.region}:${place.account}:${topic}`;
  const out = await ctx.call<GetTopicAttributesCommandOutput>(
    'sns',
    place,
    new GetTopicAttributesCommand({ TopicArn: arn }),
    `SNS topic \`${arn}\``,
  );
  if (out.status !== 'ok') return undefined;
  const attributes = out.output.Attributes ?? {};
  ctx.record({ kind: 'sns', account: place.account, region: place.region, topic, attributes });
  return attributes;
}
