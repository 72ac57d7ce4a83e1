/**
 * The resource policy of the event bus a source of another account sends its changes to. AWS
 * services send their events to the default event bus of the resource's account and Region, so
 * a rule of the pipeline's account sees the changes of a source of another account only if a
 * rule there sends them on to a bus of the pipeline's account, and that bus's resource policy
 * lets the sending account put events on it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html). The
 * `trigger.cross-account-put-events` link (buildChain.ts) checks that policy; a snapshot holds
 * none, templates write it as AWS::Events::EventBusPolicy (templateResources.ts eventBusPolicy).
 */
import type { CompiledPolicy, CompiledStatement } from '../policy/types.js';
import type { Model } from '../model/types.js';

export const PUT_EVENTS_REQUIREMENT = 'trigger.cross-account-put-events';

export const BUS_POLICY_DOC =
  'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html';

/**
 * Where the resource policy of event bus `bus` (of account `owner`) would be, when no input
 * gives it, in the terms of the input: a template's AWS::Events::EventBusPolicy (the AWS CDK
 * writes one in a support stack of the receiving account), or `aws events describe-event-bus`,
 * whose output a snapshot does not hold. `sender`: the account it should let put events.
 */
export function busPolicyPlace(model: Model, bus: string, owner: string, sender?: string): string {
  const describe = `\`aws events describe-event-bus\` in \`${owner}\``;
  if (model.source === 'template' || model.source === 'merged')
    return `the resource policy of event bus \`${bus}\` (an AWS::Events::EventBusPolicy ${sender !== undefined ? `letting \`${sender}\` put events on it` : 'on it'}, which the templates do not hold; ${describe})`;
  return `the resource policy of event bus \`${bus}\` (${describe}), which a snapshot does not hold`;
}

/**
 * The bus policy as it applies to an account that puts events on the bus itself (a rule of that
 * account whose target, the bus, has no `RoleArn`), and whether a sender that puts them with a
 * role (the target's `RoleArn`) may be allowed where the account itself is not:
 * - "If you grant permissions using an organization, then accounts in that organization must
 *   specify a RoleArn with proper permissions when they use PutTarget to add your account's event
 *   bus as a target"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-eventbuspolicy.html):
 *   an Allow for any principal that tests the organization (`aws:PrincipalOrgID`,
 *   `aws:PrincipalOrgPaths`) does not admit the account itself, so it is left out here, and a
 *   sender with a role may be admitted by it;
 * - an Allow naming a role or user of an account, or one for any principal that tests who the
 *   principal is (its ARN, type, id, name or tags), may admit a sender's role and not the account.
 * Which one the sending rule uses is in the sending account's rule, which the link does not read:
 * where it matters, a denial of the account is not certain (`roleMayDiffer`).
 */
export function accountSenderPolicy(policy: CompiledPolicy): {
  readonly policy: CompiledPolicy;
  readonly roleMayDiffer: boolean;
} {
  let roleMayDiffer = false;
  const kept: CompiledStatement[] = [];
  for (const st of policy.statements) {
    if (st.effect === 'Allow' && st.principal !== undefined) {
      const tests = (keys: (k: string) => boolean): boolean =>
        st.conditions.some((c) => keys(c.keyLower));
      if (st.principal.any && tests((k) => ORG_KEYS.has(k))) {
        roleMayDiffer = true;
        continue;
      }
      if (
        st.principal.aws.some((a) => NOT_AN_ACCOUNT.test(a)) ||
        (st.principal.any &&
          tests((k) => IDENTITY_KEYS.has(k) || k.startsWith('aws:principaltag/')))
      )
        roleMayDiffer = true;
    }
    kept.push(st);
  }
  return {
    policy: kept.length === policy.statements.length ? policy : { ...policy, statements: kept },
    roleMayDiffer,
  };
}

const ORG_KEYS: ReadonlySet<string> = new Set(['aws:principalorgid', 'aws:principalorgpaths']);

/** condition keys that tell one principal of an account from another */
const IDENTITY_KEYS: ReadonlySet<string> = new Set([
  'aws:principalarn',
  'aws:principaltype',
  'aws:userid',
  'aws:username',
]);

/** an IAM or STS principal ARN that is not an account's root */
const NOT_AN_ACCOUNT = /^arn:[^:]+:(?:iam::[^:]*:(?!root$)|sts::)/;
