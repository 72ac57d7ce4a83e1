/**
 * The rules of stage conditions (beforeEntry, onSuccess, onFailure of V2 pipelines,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html). A rule is
 * modelled like an action of category `Rule` (StageModel.rules): it has a provider, a
 * configuration, input artifacts, an optional role and region. Its links come from the rule
 * entries of the catalog (policies/requirements/rules.json), the role assumption every action
 * has (a rule with `roleArn`: the pipeline role must be allowed to assume it and be trusted by
 * it) and the reads of its input artifacts (the catalog's ArtifactStore input entries; for the
 * CodeBuild rule, the build's links as its project's role, the CodeBuildProject entries). A rule
 * the catalog cannot check is never silent: one Unknown link says why.
 */
import type { ActionModel, PipelineModel } from '../model/types.js';
import type { Catalog, Requirement } from './catalogTypes.js';
import type { LinkSpec } from './linkTypes.js';

export const RULE_REFERENCE =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference.html';

/** What permchain knows of a rule provider (owner AWS, version 1). */
type RuleSupport =
  /**
   * the catalog has its requirements; `notChecked` says why a rule of this configuration is
   * not checked all the same (one Unknown link), when it is not
   */
  | {
      readonly kind: 'modelled';
      readonly doc: string;
      readonly notChecked?: (configuration: Readonly<Record<string, string>>) => string | undefined;
    }
  /** AWS evaluates the rule itself: no call is made with the pipeline's roles */
  | { readonly kind: 'no-permissions'; readonly doc: string }
  /** the rule makes calls, but AWS documents no permissions for them */
  | {
      readonly kind: 'undocumented';
      readonly doc: string;
      readonly what: (configuration: Readonly<Record<string, string>>) => string;
    }
  /** AWS documents what the rule calls, but the catalog has no entries for it yet: why not */
  | {
      readonly kind: 'not-modelled';
      readonly doc: string;
      readonly why: (configuration: Readonly<Record<string, string>>) => string;
    };

const RULES: Readonly<Record<string, RuleSupport>> = {
  // "For this rule, CodePipeline will assume the pipeline service role": logs on the pipeline's
  // log group (rules.json) and its input artifacts (the ArtifactStore input entries)
  Commands: {
    kind: 'modelled',
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-Commands.html',
  },
  // the window is a cron expression CodePipeline checks itself; the reference lists no
  // permission (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html)
  DeploymentWindow: {
    kind: 'no-permissions',
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html',
  },
  // compares a pipeline variable with a value, in CodePipeline; the reference lists no
  // permission (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-VariableCheck.html)
  VariableCheck: {
    kind: 'no-permissions',
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-VariableCheck.html',
  },
  // the rule invokes a function, but its reference says nothing of the permissions it takes
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-LambdaInvoke.html):
  // not guessed
  LambdaInvoke: {
    kind: 'undocumented',
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-LambdaInvoke.html',
    what: (c) => `invoke the function \`${c['FunctionName'] ?? ''}\``,
  },
  // the rule reads an alarm's state, but its reference says nothing of the permissions it takes
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CloudWatchAlarm.html):
  // not guessed
  CloudWatchAlarm: {
    kind: 'undocumented',
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CloudWatchAlarm.html',
    what: (c) => `read the state of the alarm \`${c['AlarmName'] ?? ''}\``,
  },
  // the rule runs a build: its reference asks codebuild:StartBuild and codebuild:BatchGetBuilds
  // on the project in the CodePipeline service role's policy
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html;
  // rules.json rule-codebuild.start-build, as the role the rule runs as), and the build then
  // runs as the project's service role: its links are the project's (CodeBuildProject entries,
  // ruleCatalog), as for a CodeBuild action, including its reads of the rule's input artifacts
  // (the action role's reads, ArtifactStore with provider CodeBuild excluded, are not made for
  // it). With BatchEnabled the action starts a build batch (StartBuildBatch); for the rule the
  // reference documents no batch permission: not guessed
  CodeBuild: {
    kind: 'modelled',
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html',
    notChecked: (c) =>
      c['BatchEnabled']?.toLowerCase() === 'true'
        ? `the \`CodeBuild\` rule runs build project \`${c['ProjectName'] ?? ''}\` as a batch build (\`BatchEnabled\` is \`true\`): AWS documents codebuild:StartBuild and codebuild:BatchGetBuilds for the rule, not what a batch build of a rule calls (an action's asks codebuild:StartBuildBatch and codebuild:BatchGetBuildBatches), so the rule's own calls are not checked (its build's links are)`
        : undefined,
  },
};

/** The rule providers permchain knows, and how (for tests and docs). */
export function ruleSupport(provider: string): RuleSupport['kind'] | undefined {
  return RULES[provider]?.kind;
}

/**
 * The catalog entries a rule is expanded with: the rule entries (category `Rule`), the role
 * assumption of every action (AnyAction) and the reads of input artifacts (ArtifactStore entries
 * that apply only when there are input artifacts). The other entries describe what actions do
 * (write output artifacts, read the artifact bucket's configuration, be started by an
 * EventBridge rule) and are not expanded for rules.
 */
export function ruleCatalog(catalog: Catalog): Catalog {
  let c = CACHE.get(catalog);
  if (!c) {
    c = { entries: catalog.entries.filter(isRuleEntry), byId: catalog.byId };
    CACHE.set(catalog, c);
  }
  return c;
}

const CACHE = new WeakMap<Catalog, Catalog>();

function isRuleEntry(e: Requirement): boolean {
  if (e.category === 'Rule') return true;
  if (e.provider === 'AnyAction') return true;
  // the build a CodeBuild rule runs, as its project's role (catalog.ts: appliesToProvider keeps
  // them to a rule of provider CodeBuild)
  if (e.provider === 'CodeBuildProject') return true;
  return (
    e.provider === 'ArtifactStore' &&
    (e.when ?? []).some((c) => c.subject === 'InputArtifacts' && c.present === true)
  );
}

/**
 * The Unknown link of a rule the catalog does not check: a provider (or owner, or version) it
 * does not know, or one whose permissions AWS does not document. Undefined when the rule is
 * modelled or needs no permission.
 */
export function ruleNotChecked(
  pipeline: PipelineModel,
  stage: string,
  rule: ActionModel,
  where: string,
  declaredAt: { file: string; pointer: string },
): LinkSpec | undefined {
  const known = rule.owner === 'AWS' && rule.version === '1' ? RULES[rule.provider] : undefined;
  const modelledBut =
    known?.kind === 'modelled' ? known.notChecked?.(rule.configuration) : undefined;
  if (known && (known.kind === 'modelled' || known.kind === 'no-permissions') && !modelledBut)
    return undefined;
  const caller = rule.roleArn ?? pipeline.roleArn;
  const base = {
    level: 'required' as const,
    stage,
    action: rule.name,
    declaredAt,
    // a caller the input does not give is named in words, as buildChain's unknownCaller names it
    principal: { kind: 'role' as const, arn: caller ?? 'the pipeline role (not known)' },
    permission: '*',
    resource: '*',
    context: {},
    purpose: `rule \`${where}\` (${rule.provider})`,
    unknown: [],
  };
  if (known?.kind === 'not-modelled' || (known?.kind === 'modelled' && modelledBut)) {
    return {
      ...base,
      id: `${where}:rule.provider-not-modelled`,
      requirement: 'rule.provider-not-modelled',
      doc: known.doc,
      unknownReason: known.kind === 'modelled' ? modelledBut! : known.why(rule.configuration),
    };
  }
  if (known?.kind === 'undocumented') {
    return {
      ...base,
      id: `${where}:rule.permissions-not-documented`,
      requirement: 'rule.permissions-not-documented',
      doc: known.doc,
      unknownReason: `AWS documents no permissions for the \`${rule.provider}\` rule (${known.doc}), so whether ${caller !== undefined ? `\`${caller}\`` : 'the pipeline role (not known)'} may ${known.what(rule.configuration)} is not checked`,
    };
  }
  return {
    ...base,
    id: `${where}:rule.provider-not-modelled`,
    requirement: 'rule.provider-not-modelled',
    doc: RULE_REFERENCE,
    unknownReason: `the rule type \`${rule.owner}/${rule.provider}\` version \`${rule.version}\` (${rule.category}) is not one permchain models, so what it calls is not checked (its artifact links are)`,
  };
}
