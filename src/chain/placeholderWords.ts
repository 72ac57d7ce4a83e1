import type { PrincipalKind } from './catalogTypes.js';

/**
 * The catalog's placeholders a report may still hold when the input does not settle them (an
 * Unknown link's resource, a why that quotes it), in words: a report never shows the catalog's
 * internal names such as `${Ecs.TaskDefinitionFamily}`. A whole value is `<words> (not known)`
 * ("the EventBridge rule's role (not known)"); a placeholder inside a value (an ARN) is
 * `<<words>, not known>`, the slot notation of AWS's ARN formats. These are names and ARNs the
 * input would give, not ids assigned when a resource is created, which a report shows as `*`
 * (README): none of them is `*`.
 */

/**
 * Each placeholder of a catalog resource that the facts may leave unsettled, in words (an
 * action's configuration key `Config.<Key>` is "the action's <Key>": wordsOf).
 */
export const PLACEHOLDER_WORDS: Readonly<Record<string, string>> = {
  ActionRoleArn: "the action's role",
  PipelineRoleArn: 'the pipeline role',
  ArtifactBucket: 'the artifact store bucket',
  ArtifactKeyArn: "the artifact store's kms key",
  InputArtifactKey: 'the keys of the input artifacts',
  OutputArtifactKey: 'the keys of the output artifacts',
  'CloneRef.CodeCommitRepositoryArn': 'the CodeCommit repository the build clones',
  'CloneRef.ConnectionArn': 'the connection the build clones with',
  'CloudFormation.RoleArn': 'the CloudFormation execution role',
  'CodeBuild.BatchServiceRoleArn': "the CodeBuild project's batch service role",
  'CodeBuild.EncryptionKeyArn': "the CodeBuild project's kms key",
  'CodeBuild.ImageRepositoryArn': "the ECR repository of the CodeBuild project's image",
  'CodeBuild.LogGroupName': "the CodeBuild project's log group",
  'CodeBuild.ParameterArn': 'the Parameter Store parameters the build reads',
  'CodeBuild.SecondaryArtifactAclBucketArn':
    "the buckets of the CodeBuild project's S3 secondary artifacts that give their owner access",
  'CodeBuild.SecondaryArtifactObjectArn':
    "the objects of the CodeBuild project's S3 secondary artifacts",
  'CodeBuild.SecondarySourceConnectionArn':
    "the connections of the CodeBuild project's secondary sources",
  'CodeBuild.SecondarySourceObjectArn':
    "the objects of the CodeBuild project's S3 secondary sources",
  'CodeBuild.SecondarySourceRepositoryArn':
    "the CodeCommit repositories of the CodeBuild project's secondary sources",
  'CodeBuild.SecondarySourceSecretArn': "the secrets of the CodeBuild project's secondary sources",
  'CodeBuild.SecretArn': 'the Secrets Manager secrets the build reads',
  'CodeBuild.SecurityGroupArn': "the security groups of the CodeBuild project's VPC",
  'CodeBuild.ServiceRoleArn': "the CodeBuild project's service role",
  'CodeBuild.SubnetArn': "the subnets of the CodeBuild project's VPC",
  'CodeDeploy.DeploymentConfigName': "the deployment group's deployment configuration",
  'CodeBuild.S3LogsBucket': "the bucket of the CodeBuild project's S3 logs",
  'CodeBuild.S3LogsObjectKey': "the keys of the CodeBuild project's S3 logs",
  'S3Deploy.KeyArn': 'the kms key the deploy encrypts with',
  'S3Deploy.ObjectKey': 'the keys the action deploys to',
  'S3Source.KeyArn': "the S3 source object's kms key",
  'S3Deploy.KeyRegion': 'the region of the kms key the deploy encrypts with',
  'S3Source.KeyRegion': "the region of the S3 source object's kms key",
  'Ec2Deploy.TargetGroupName': "the EC2 deploy action's target groups",
  'AppConfig.DeploymentStrategyArn': "the AppConfig action's deployment strategy",
  'EksDeploy.SecurityGroupArn': "the EKS deploy action's security groups",
  'EksDeploy.SubnetArn': "the EKS deploy action's subnets",
  'Ecs.PassRoleArn': "the task definition's task and execution roles",
  'Ecs.TaskDefinitionFamily': 'the task definition family',
  'EventsRule.RoleArn': "the EventBridge rule's role",
  'Lambda.FunctionArn': 'the Lambda function',
  'Lambda.FunctionRoleArn': "the Lambda function's execution role",
  'LambdaDeploy.AlarmName': "the Lambda deploy action's alarms",
  'LambdaDeploy.AliasArn': 'the alias the Lambda deploy action shifts',
  'LambdaDeploy.FunctionArn': 'the function the Lambda deploy action deploys to',
  'NotificationTopic.KeyArn': "the notification topic's kms key",
  'Replication.ArtifactKey': 'the keys of the artifacts copied from another region',
  'Replication.SourceBucket': "the artifact store bucket of the artifacts' region",
  'Replication.SourceKeyArn': 'the kms key of the artifacts in their region',
  'Replication.TargetKeyArn': "the artifact store's kms key, as the pipeline's account resolves it",
  'StackSet.AdministrationRoleArn': "the stack set's administration role",
  'StackSet.ExecutionRoleName': "the stack set's execution role",
  'StackSet.TargetAccount': "the stack set's target accounts",
  'StepFunctions.ExecutionArn': "the state machine's executions",
};

/** The principal kinds that are not a service principal of catalogTypes.ts SERVICE_PRINCIPALS. */
type CallerKind = Exclude<
  PrincipalKind,
  | 'codepipelineService'
  | 'codebuildService'
  | 'cloudformationService'
  | 'lambdaService'
  | 'eventsService'
>;

/**
 * Each caller kind a catalog entry names (catalogTypes.ts PRINCIPAL_KINDS, but for the service
 * principals, which are always known), in words, two ways: `caller` names the role itself, where
 * a link shows its principal (`<caller> (not known)`, as a whole placeholder above), and
 * `subject` is the noun of the reason a link is Unknown (`the <subject> is not known`), which
 * buildChain.ts filesFor matches against the facts' gaps ("instance role", "project role").
 */
export const CALLER_WORDS: Readonly<
  Record<CallerKind, { readonly caller: string; readonly subject: string }>
> = {
  pipelineRole: { caller: PLACEHOLDER_WORDS['PipelineRoleArn']!, subject: 'pipeline role' },
  actionRole: { caller: PLACEHOLDER_WORDS['ActionRoleArn']!, subject: 'action role' },
  codebuildProjectRole: {
    caller: "the CodeBuild project's role",
    subject: 'CodeBuild project role',
  },
  codebuildBatchRole: {
    caller: "the CodeBuild project's batch role",
    subject: 'CodeBuild project batch role',
  },
  lambdaFunctionRole: { caller: "the Lambda function's role", subject: 'Lambda function role' },
  eventsRuleRole: {
    caller: PLACEHOLDER_WORDS['EventsRule.RoleArn']!,
    subject: 'EventBridge rule role',
  },
  codedeployInstanceRole: {
    caller: "the CodeDeploy instances' role",
    subject: 'CodeDeploy instance role',
  },
  stacksetAdministrationRole: {
    caller: PLACEHOLDER_WORDS['StackSet.AdministrationRoleArn']!,
    subject: 'stack set administration role',
  },
  stacksetExecutionRole: {
    caller: PLACEHOLDER_WORDS['StackSet.ExecutionRoleName']!,
    subject: 'stack set execution role',
  },
  cloudformationRegionalService: {
    caller: 'the regional CloudFormation service principal',
    subject: 'regional CloudFormation service principal',
  },
};

/** A caller the input does not give, in words (never an internal name such as `(eventsRuleRole)`). */
export function unknownCaller(kind: PrincipalKind): string {
  return `${callerWordsOf(kind)?.caller ?? 'the caller'} (not known)`;
}

/** Why a link's caller is Unknown when the facts say no more than that: `the <subject> is not known`. */
export function callerNotKnown(kind: PrincipalKind): string {
  return `the ${callerWordsOf(kind)?.subject ?? 'caller'} is not known`;
}

function callerWordsOf(kind: PrincipalKind): (typeof CALLER_WORDS)[CallerKind] | undefined {
  return Object.hasOwn(CALLER_WORDS, kind) ? CALLER_WORDS[kind as CallerKind] : undefined;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)?)\}/g;

/** The words of placeholder `name`: PLACEHOLDER_WORDS, or an action's configuration key by name. */
export function wordsOf(name: string): string | undefined {
  return (
    PLACEHOLDER_WORDS[name] ??
    (name.startsWith('Config.') ? `the action's ${name.slice('Config.'.length)}` : undefined)
  );
}

/**
 * `text` with every placeholder of PLACEHOLDER_WORDS in words: the whole text when it is one
 * placeholder, else each in its slot. Other `${...}` (a fix template's `${Resource}`) stay.
 */
export function placeholdersInWords(text: string): string;
export function placeholdersInWords(text: string | undefined): string | undefined;
export function placeholdersInWords(text: string | undefined): string | undefined {
  if (text === undefined || !text.includes('${')) return text;
  const whole = /^\$\{([A-Za-z0-9.]+)\}$/.exec(text);
  const words = whole ? wordsOf(whole[1]!) : undefined;
  if (words !== undefined) return `${words} (not known)`;
  return text.replace(PLACEHOLDER, (all, name: string) => {
    const w = wordsOf(name);
    return w === undefined ? all : `<${w}, not known>`;
  });
}
