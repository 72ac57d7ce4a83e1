/**
 * Lambda: get-function-configuration merged with get-policy (none is a 404, known: no resource
 * policy), written as `{"Configuration": ..., "Policy": ...}` like get-function's output. Not
 * get-function: its `Code.Location` is a presigned URL to download the code, more than the
 * crawl needs (https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html).
 */
import type {
  GetFunctionConfigurationCommandOutput,
  GetPolicyCommandOutput,
} from '@aws-sdk/client-lambda';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

export async function readFunction(
  ctx: CrawlContext,
  place: Place,
  name: string,
): Promise<GetFunctionConfigurationCommandOutput | undefined> {
  const { GetFunctionConfigurationCommand, GetPolicyCommand } = await ctx.sdk('lambda');
  const subject = `Lambda function \`${name}\``;
  const [fn, policy] = await Promise.all([
    ctx.call<GetFunctionConfigurationCommandOutput>(
      'lambda',
      place,
      new GetFunctionConfigurationCommand({ FunctionName: name }),
      subject,
    ),
    ctx.call<GetPolicyCommandOutput>(
      'lambda',
      place,
      new GetPolicyCommand({ FunctionName: name }),
      subject,
    ),
  ]);
  if (fn.status !== 'ok' || policy.status === 'failed')
    return fn.status === 'ok' ? fn.output : undefined;
  ctx.record({
    kind: 'lambda',
    account: place.account,
    region: place.region,
    name,
    output: fn.output,
    policy: policy.status === 'ok' ? (policy.output.Policy ?? null) : null,
  });
  return fn.output;
}
