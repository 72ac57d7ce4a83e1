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

/**
 * `qualifier`: the version or alias the pipeline invokes. Both calls take it: the configuration
 * (execution role included) is the version's, and a version or alias has a policy of its own
 * (https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html). The file is still
 * `lambda/<name>.json`, the one `analyze` reads for the function however it is qualified.
 */
export async function readFunction(
  ctx: CrawlContext,
  place: Place,
  name: string,
  qualifier?: string,
): Promise<GetFunctionConfigurationCommandOutput | undefined> {
  const { GetFunctionConfigurationCommand, GetPolicyCommand } = await ctx.sdk('lambda');
  const subject = `Lambda function \`${qualifier !== undefined ? `${name}:${qualifier}` : name}\``;
  const input = {
    FunctionName: name,
    ...(qualifier !== undefined ? { Qualifier: qualifier } : {}),
  };
  const [fn, policy] = await Promise.all([
    ctx.call<GetFunctionConfigurationCommandOutput>(
      'lambda',
      place,
      new GetFunctionConfigurationCommand(input),
      subject,
    ),
    ctx.call<GetPolicyCommandOutput>('lambda', place, new GetPolicyCommand(input), subject),
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
