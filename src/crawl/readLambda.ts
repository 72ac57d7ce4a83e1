/** Lambda: get-function merged with get-policy (none is a 404, known: no resource policy). */
import type { GetFunctionCommandOutput, GetPolicyCommandOutput } from '@aws-sdk/client-lambda';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

export async function readFunction(
  ctx: CrawlContext,
  place: Place,
  name: string,
): Promise<GetFunctionCommandOutput | undefined> {
  const { GetFunctionCommand, GetPolicyCommand } = await ctx.sdk('lambda');
  const subject = `Lambda function \`${name}\``;
  const [fn, policy] = await Promise.all([
    ctx.call<GetFunctionCommandOutput>(
      'lambda',
      place,
      new GetFunctionCommand({ FunctionName: name }),
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
