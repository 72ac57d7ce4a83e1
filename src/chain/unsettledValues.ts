/**
 * Values the input does not settle (placeholders, src/model/placeholders.ts: a template value
 * that could not be resolved, a CodePipeline variable `#{...}` in a configuration value,
 * src/model/pipelineVariables.ts) where the chain uses them beyond a link's resource: in the
 * request context, and as the name a fact was looked up by. A link's resource that carries one
 * is Unknown in resolveLink (its side is missing); these make the rest say so too.
 */
import type { ActionModel, Model } from '../model/types.js';
import type { LinkSpec } from './linkTypes.js';
import { unresolvedIn } from './resolveLink.js';

/**
 * The link, Unknown when a request-context value it sends (or may send) carries a value the
 * input does not settle: a policy may test that key (a `cloudformation:RoleArn` that is
 * `#{variables.DeployRole}`), and neither the placeholder's text nor its absence is what the
 * real request carries, so neither an allow nor a deny on it can be trusted.
 */
export function withUnsettledContext(model: Model, spec: LinkSpec): LinkSpec {
  // a link the configuration makes fail (LinkSpec.knownFailure: an action role that is not a role
  // ARN) fails whatever its context carries
  if (
    spec.unknownReason !== undefined ||
    spec.knownFailure !== undefined ||
    !model.unresolved ||
    model.unresolved.size === 0
  )
    return spec;
  for (const context of [spec.context, spec.uncertainContext ?? {}]) {
    for (const key of Object.keys(context).sort()) {
      const v = context[key]!;
      // the key itself may hold one: a tag key the action names (`aws:ResourceTag/<key>`)
      for (const value of [key, ...(typeof v === 'string' ? [v] : v)]) {
        const at = unresolvedIn(model, value);
        if (at.length === 0) continue;
        const reason =
          value === key
            ? `the request carries the key \`${key}\`, whose name the input does not settle, so what a policy testing it decides is not known`
            : `the request carries \`${key}\`, whose value the input does not settle, so what a policy testing it decides is not known`;
        return {
          ...spec,
          unknown: at,
          unknownReason: reason,
          // the call is made (only a value it carries is not settled), unless the link may not
          // be needed (LinkSpec.presumed): a deny of every resource by the caller's own side
          // then decides it (resolveLink callerDeniesAnyResource)
          ...(spec.presumed === undefined ? { callMade: { reason } } : {}),
        };
      }
    }
  }
  return spec;
}

/**
 * The configuration keys each group of facts (actionFacts' gaps) is looked up by. When the
 * value is one the input does not settle, the gap is that value's place (file#pointer or
 * template line), not the file the lookup would have read: no snapshot file settles a name
 * that is only known at run time.
 */
const LOOKED_UP_BY: Readonly<Record<string, readonly string[]>> = {
  codebuild: ['ProjectName'],
  lambda: ['FunctionName'],
  codedeploy: ['ApplicationName', 'DeploymentGroupName'],
  codedeployInstances: ['ApplicationName', 'DeploymentGroupName'],
  ecs: [
    'ClusterName',
    'ServiceName',
    'TaskDefinitionTemplateArtifact',
    'TaskDefinitionTemplatePath',
  ],
  s3Source: ['S3Bucket'],
  s3Deploy: ['BucketName', 'KMSEncryptionKeyARN'],
  notificationTopic: ['NotificationArn'],
};

/** `gaps` with each gap whose lookup used an unsettled value replaced by that value's place. */
export function settledGaps<G extends string>(
  model: Model,
  action: ActionModel,
  gaps: ReadonlyMap<G, string>,
): ReadonlyMap<G, string> {
  if (!model.unresolved || model.unresolved.size === 0 || gaps.size === 0) return gaps;
  let out: Map<G, string> | undefined;
  for (const group of gaps.keys()) {
    const places = (LOOKED_UP_BY[group] ?? []).flatMap((key) => {
      const v = action.configuration[key];
      return v === undefined ? [] : unresolvedIn(model, v);
    });
    if (places.length === 0) continue;
    out ??= new Map(gaps);
    out.set(group, [...new Set(places)].join(', '));
  }
  return out ?? gaps;
}
