/**
 * Types and vocabularies of the requirement catalog (policies/requirements/*.json): what each
 * CodePipeline action provider needs, who calls, on which resource, with which context.
 * The JSON Schema is policies/requirements.schema.json; src/chain/catalog.ts loads, validates
 * and expands entries. Facts and citations: /work/shared/aws-facts.md part 1.
 */
import type { Location } from '../model/types.js';

/** Provider names as written in the pipeline JSON (`actionTypeId.provider`). */
export const PROVIDERS = [
  'CodeBuild',
  'CloudFormation',
  'CodeCommit',
  'CodeStarSourceConnection',
  'S3',
  'ECR',
  'CodeDeploy',
  'ECS',
  'CodeDeployToECS',
  'ElasticBeanstalk',
  'Lambda',
  'StepFunctions',
  'Manual',
  'CloudFormationStackSet',
  'CloudFormationStackInstances',
  'Commands',
  'EC2',
  'CodePipeline',
  'ECRBuildAndPublish',
  'EKS',
  'AppConfig',
  'InspectorScan',
] as const;

/**
 * Pseudo-providers: entries that are not tied to one provider.
 * - AnyAction: every action (assuming the action role);
 * - ArtifactStore: every action that reads or writes artifacts (the `when` says which);
 * - CodeBuildProject: the project behind a CodeBuild action (its service role's own needs);
 * - PipelineTrigger: the EventBridge rule that starts the pipeline for a source action;
 * - Pipeline: once per pipeline (CodePipeline assuming the pipeline role). Expansion gives the
 *   same links for every action of the pipeline: expand them once. The entries whose `when`
 *   tests `EventsRule.Schedule` are expanded once for each EventBridge rule that starts the
 *   pipeline on a schedule instead (src/chain/scheduleRules.ts).
 */
export const PSEUDO_PROVIDERS = [
  'AnyAction',
  'ArtifactStore',
  'CodeBuildProject',
  'PipelineTrigger',
  'Pipeline',
] as const;

/**
 * Providers of stage-condition rules (`ruleTypeId.provider`, category `Rule`,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference.html). Kept apart from
 * PROVIDERS: `Commands` is also an action provider (policies/requirements/commands.json), and an
 * entry for a rule has category `Rule`, so the two never mix; src/chain/rules.ts says how each
 * rule is modelled.
 */
export const RULE_PROVIDERS = [
  'Commands',
  'LambdaInvoke',
  'CloudWatchAlarm',
  'DeploymentWindow',
  'VariableCheck',
  'CodeBuild',
] as const;

export const CATEGORIES = [
  'Source',
  'Build',
  'Test',
  'Deploy',
  'Approval',
  'Invoke',
  'Compute',
  'Rule',
] as const;

/**
 * Who makes the call. `actionRole` is the action's roleArn, else the pipeline role
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html).
 * `stacksetAdministrationRole` is the administration role of the stack set a StackSets action
 * deploys, which CloudFormation assumes to assume the execution role in each target account
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html).
 * `stacksetExecutionRole` is the execution role of that stack set in each target account, which
 * runs the stack operations there (same page): one caller per target account.
 * `codebuildBatchRole` is the batch service role of a CodeBuild project (its
 * `buildBatchConfig.serviceRole`), which CodeBuild uses to start, stop and retry the builds of a
 * batch build (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role).
 * `cloudformationRegionalService` is `cloudformation.<region>.amazonaws.com` for each Region of a
 * StackSets action that is disabled by default, which the administration role must also trust
 * (same page): one caller per such Region.
 * The `*Service` kinds are service principals (trust policies, repository policies).
 */
export const PRINCIPAL_KINDS = [
  'pipelineRole',
  'actionRole',
  'codebuildProjectRole',
  'codebuildBatchRole',
  'lambdaFunctionRole',
  'eventsRuleRole',
  'codedeployInstanceRole',
  'stacksetAdministrationRole',
  'stacksetExecutionRole',
  'codepipelineService',
  'codebuildService',
  'cloudformationService',
  'cloudformationRegionalService',
  'lambdaService',
  'eventsService',
] as const;

/** The service principal each `*Service` kind stands for. */
export const SERVICE_PRINCIPALS: Readonly<Partial<Record<PrincipalKind, string>>> = {
  codepipelineService: 'codepipeline.amazonaws.com',
  codebuildService: 'codebuild.amazonaws.com',
  cloudformationService: 'cloudformation.amazonaws.com',
  lambdaService: 'lambda.amazonaws.com',
  eventsService: 'events.amazonaws.com',
};

export const LEVELS = ['required', 'recommended'] as const;
export const BASES = ['DOC', 'PRAC', 'INF'] as const;

export type Provider = (typeof PROVIDERS)[number];
export type PseudoProvider = (typeof PSEUDO_PROVIDERS)[number];
export type RuleProvider = (typeof RULE_PROVIDERS)[number];
export type Category = (typeof CATEGORIES)[number];
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];
export type Level = (typeof LEVELS)[number];
export type Basis = (typeof BASES)[number];

/** One `when` condition: `subject` is Provider, Category or a placeholder name; one test. */
export interface Condition {
  readonly subject: string;
  /** true: the subject has a value (a non-empty list); false: it is absent (or empty) */
  readonly present?: boolean;
  /** the value is one of these (case-insensitive); for a list, any element is */
  readonly in?: readonly string[];
  /** the value is none of these (case-insensitive); also true when the subject is absent */
  readonly notIn?: readonly string[];
}

export type ContextTemplate = string | readonly string[];

/** One catalog entry, as in the JSON file, plus the file it came from. */
export interface Requirement {
  readonly id: string;
  readonly provider: Provider | PseudoProvider | RuleProvider;
  readonly category?: Category;
  readonly principal: PrincipalKind;
  /** IAM actions; each becomes its own link */
  readonly actions: readonly string[];
  /** ARN template, or `*` for actions without a resource type */
  readonly resource: string;
  /**
   * a second ARN template AWS documents the call as authorized on, when its documents disagree
   * on which: the link is evaluated on both and is Unknown when the answers differ
   */
  readonly alternativeResource?: string;
  /** the account owning the resource when its ARN does not say (S3) */
  readonly resourceAccount?: string;
  readonly context?: Readonly<Record<string, ContextTemplate>>;
  /**
   * context keys the service may or may not send (AWS documents no value for them): the link
   * is evaluated with and without them, and is Unknown when the answer depends on it
   */
  readonly uncertainContext?: Readonly<Record<string, ContextTemplate>>;
  /**
   * the call carries request tags (`aws:RequestTag/*`, `aws:TagKeys`) that no input gives: the
   * link is tried with the ones its policies test (resolveLink, uncertainKeys requestTagTrials)
   */
  readonly requestTagsUnknown?: true;
  readonly level: Level;
  /**
   * a `required` entry whose link is only `recommended` when its resource ARN has this service
   * prefix: a call AWS documents for every resource, which working pipelines make without on the
   * resources of an older prefix (see the entry's note)
   */
  readonly recommendedOnService?: string;
  /**
   * a `recommended` entry that some runs do need (a multipart upload's kms:Decrypt: only a large
   * artifact's upload is multipart, and it fails without it): when, in words, which end a denied
   * link's why (after `; `) in place of "it is recommended, not required: working pipelines run
   * without it"
   */
  readonly whenNeeded?: string;
  /** all must hold (AND) */
  readonly when?: readonly Condition[];
  readonly doc: string;
  readonly basis: Basis;
  readonly note?: string;
  /** one-line fix hint; may use ${Action}, ${Resource}, ${Principal} and any placeholder */
  readonly fix: string;
  /** the catalog file, relative to the package root (for problem reports) */
  readonly file: string;
}

export interface Catalog {
  /** sorted by id */
  readonly entries: readonly Requirement[];
  readonly byId: ReadonlyMap<string, Requirement>;
}

export interface ArtifactStoreFacts {
  readonly bucket: string;
  /** `encryptionKey.id` as configured in the pipeline (key id, key ARN or alias); absent = default aws/s3 */
  readonly keyId?: string;
  /** the key ARN behind it, when known (a customer key, or the resolved aws/s3 key) */
  readonly keyArn?: string;
  /**
   * the key ARN as the pipeline's account resolves it (keyArn is the action's account's view: an
   * alias names a key of the account that uses it); the copy of a replicated input into this
   * store is made by the pipeline role
   */
  readonly pipelineKeyArn?: string;
}

/**
 * An input artifact an action reads in its own region, produced in another: CodePipeline copies
 * it from the producer region's artifact store to the action region's
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html).
 */
export interface ReplicatedInput {
  readonly artifact: string;
  readonly sourceRegion: string;
  /** the producer region's artifact store bucket; absent when the pipeline names none there */
  readonly sourceBucket?: string;
  /**
   * the key the artifact is encrypted with there: the store key, or the producer's CodeBuild
   * project key; absent when not known
   */
  readonly sourceKeyArn?: string;
}

export interface CodeBuildProjectFacts {
  readonly serviceRoleArn?: string;
  /** `logsConfig.cloudWatchLogs.status`; default ENABLED */
  readonly cloudWatchLogsStatus?: string;
  /** `logsConfig.cloudWatchLogs.groupName`; default `/aws/codebuild/<project>` */
  readonly logGroupName?: string;
  /** `environment.imagePullCredentialsType`; default CODEBUILD */
  readonly imagePullCredentialsType?: string;
  /** `environment.image`, e.g. `111122223333.dkr.ecr.eu-west-1.amazonaws.com/repo:tag` */
  readonly image?: string;
  /** `encryptionKey` as configured on the project; absent = aws/s3 of the project account */
  readonly encryptionKeyId?: string;
  /** the key ARN the project encrypts outputs with, when known */
  readonly encryptionKeyArn?: string;
  /** `vpcConfig.subnets`: subnet ids or ARNs; empty or absent = no VPC */
  readonly subnets?: readonly string[];
  /** `vpcConfig.securityGroupIds`: security group ids or ARNs */
  readonly securityGroupIds?: readonly string[];
  /**
   * Parameter Store parameters CodeBuild reads for the build (PARAMETER_STORE environment
   * variables of the project, as the action overrides them): names or ARNs
   */
  readonly parameters?: readonly string[];
  /**
   * Secrets Manager secrets CodeBuild reads for the build (SECRETS_MANAGER environment variables,
   * as the action overrides them, and the private registry credential): secret ids as written
   * (`name-or-arn[:json-key:version-stage:version-id]`)
   */
  readonly secrets?: readonly string[];
  /**
   * set when the action's EnvironmentVariables are only known at run time (they hold a
   * CodePipeline variable): which parameters and secrets are read is not known; says why
   */
  readonly referencesUnknown?: string;
  /**
   * the CodeCommit repositories of the project's CODECOMMIT secondary sources, which the build
   * clones itself with the service role (ARNs; the repository is in the project's account)
   */
  readonly secondaryRepositoryArns?: readonly string[];
  /**
   * the objects of the project's S3 secondary sources, which the build downloads itself with the
   * service role: `arn:<partition>:s3:::<bucket>/<key>` (a folder location: `…/<folder>/*`)
   */
  readonly secondarySourceObjectArns?: readonly string[];
  /** set when the input does not settle a CODECOMMIT secondary source's repository: why */
  readonly secondaryRepositoriesUnknown?: string;
  /** set when the input does not settle an S3 secondary source's object: why */
  readonly secondarySourceObjectsUnknown?: string;
  /**
   * the connections of the project's secondary sources whose `auth` is CODECONNECTIONS, which
   * the build takes a token from with the service role (connection ARNs as written, with the
   * `codestar-connections` or the `codeconnections` prefix)
   */
  readonly secondaryConnectionArns?: readonly string[];
  /** set when the input does not settle a secondary source's connection: why */
  readonly secondaryConnectionsUnknown?: string;
  /**
   * the Secrets Manager secrets of the project's secondary sources whose `auth` is
   * SECRETS_MANAGER, which the build reads its token from with the service role (secret ids as
   * written: an ARN, or a name)
   */
  readonly secondarySecrets?: readonly string[];
  /** set when the input does not settle a secondary source's secret: why */
  readonly secondarySecretsUnknown?: string;
  /** the project's S3 secondary artifacts, which the build uploads itself with the service role */
  readonly secondaryArtifacts?: readonly CodeBuildSecondaryArtifact[];
  /** set when the input does not settle a secondary artifact's type or bucket: why */
  readonly secondaryArtifactsUnknown?: string;
  /**
   * the buckets (`arn:<partition>:s3:::<bucket>`) of the S3 secondary artifacts whose
   * `bucketOwnerAccess` is READ_ONLY or FULL, on which the service role needs s3:PutBucketAcl
   */
  readonly secondaryArtifactAclBuckets?: readonly string[];
  /** set when the input does not settle an S3 secondary artifact's bucketOwnerAccess: why */
  readonly secondaryArtifactAclUnknown?: string;
  /** the bucket the build writes its S3 build logs to when `logsConfig.s3Logs.status` is ENABLED */
  readonly s3LogsBucket?: string;
  /** the keys of those logs in `s3LogsBucket`: `<prefix>/*` (`*` without a prefix) */
  readonly s3LogsObjectKey?: string;
  /** set when the input does not settle whether, or where, the build writes S3 logs: why */
  readonly s3LogsUnknown?: string;
  /**
   * `logsConfig.s3Logs.bucketOwnerAccess` of logs the build writes (`NONE`, `READ_ONLY`,
   * `FULL`; a placeholder when the input does not settle it); absent when not set
   */
  readonly s3LogsBucketOwnerAccess?: string;
  /**
   * the project's batch service role (`buildBatchConfig.serviceRole`), which CodeBuild uses to
   * start, stop and retry the builds of a batch build
   */
  readonly batchServiceRoleArn?: string;
  /** set when the batch service role is not known (no batch configuration, no role): why */
  readonly batchServiceRoleUnknown?: string;
  /**
   * set when the project's inline buildspec is known and has no `artifacts` section: the upload
   * of the action's output artifacts, in words, naming the buildspec's place (it may upload
   * nothing, which AWS does not document)
   */
  readonly undeclaredArtifacts?: string;
}

/** An S3 secondary artifact of a CodeBuild project. */
export interface CodeBuildSecondaryArtifact {
  /**
   * the objects written: `arn:<partition>:s3:::<bucket>/<path>/<name>` when the project settles
   * the key, with `*` for the build id after the path (namespaceType BUILD_ID), and the part of
   * it the project settles and `*` for the rest when it does not settle the end (`unknownEnd`)
   * (actionFacts.ts secondaryArtifactObject)
   */
  readonly objectArn: string;
  /** false when the artifact sets `encryptionDisabled`; else encrypted with the project's key */
  readonly encrypted: boolean;
  /**
   * set when `objectArn` holds a part of the key no input gives (the build id, the end): what
   * each is, in words
   */
  readonly unknownEnd?: SecondaryArtifactEnd;
}

/**
 * The parts of the key of an S3 secondary artifact's objects that no input gives, each a `*` of
 * CodeBuildSecondaryArtifact.objectArn, in words: resolveLink tries values in their place
 * (s3ObjectValue), never the character `*`.
 */
export interface SecondaryArtifactEnd {
  readonly kind: 'secondaryArtifact';
  /** the artifacts whose objects these are: secondary artifact `rel` of project `web` */
  readonly artifacts: string;
  /**
   * what the `*` that ends the ARN holds, that no input gives: `the path of each file of the
   * build output (packaging NONE: a folder)`; absent when the ARN ends in a name the project
   * gives (only the build id is not known)
   */
  readonly holds?: string;
  /**
   * the offset in the ARN of the `*` that is the build id, which namespaceType BUILD_ID puts
   * between the path and the name (`<path>/<build-ID>/<name>`); a value of one segment (no `/`)
   */
  readonly buildIdAt?: number;
}

/** An input artifact of a CodeBuild action that is a CODEBUILD_CLONE_REF from a source action. */
export interface CloneRefSource {
  readonly provider: 'CodeCommit' | 'CodeStarSourceConnection';
  /** CodeCommit: the repository ARN */
  readonly repositoryArn?: string;
  /** CodeStarSourceConnection: the connection ARN */
  readonly connectionArn?: string;
  /** CodeStarSourceConnection: the source action's FullRepositoryId and BranchName */
  readonly fullRepositoryId?: string;
  readonly branchName?: string;
}

/**
 * Everything the expander needs to know about one pipeline action. Plain data, built by the
 * chain builder. An optional group left undefined means "not known" (links that need it come
 * back as Unknown); a field left undefined inside a known group means "absent".
 */
export interface ActionFacts {
  readonly partition: string;
  /** the pipeline's region and account */
  readonly region: string;
  readonly account: string;
  readonly pipelineName: string;
  readonly pipelineRoleArn?: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly category: string;
  readonly provider: string;
  /** the action's region (`action.region`, else the pipeline's) */
  readonly actionRegion: string;
  /** where the action's target resources live: the account of `roleArn`, else the pipeline's */
  readonly actionAccount: string;
  readonly actionRoleArn?: string;
  /** action configuration, values as strings */
  readonly configuration: Readonly<Record<string, string>>;
  readonly inputArtifacts: readonly string[];
  readonly outputArtifacts: readonly string[];
  /** the artifact store of the action's region */
  readonly artifactStore?: ArtifactStoreFacts;
  /** the CodeBuild project of a CodeBuild action */
  readonly codebuild?: CodeBuildProjectFacts;
  /**
   * input artifacts produced in another region: CodePipeline copies each into the artifact store
   * of the action's region before the action runs (see ReplicatedInput)
   */
  readonly replicatedInputs?: readonly ReplicatedInput[];
  /** CODEBUILD_CLONE_REF inputs of a CodeBuild action; absent = none */
  readonly cloneRefSources?: readonly CloneRefSource[];
  /** set when an input may be a CODEBUILD_CLONE_REF but the input does not say: why */
  readonly cloneRefUnknown?: string;
  readonly codedeploy?: {
    readonly deploymentConfigName?: string;
    /**
     * the roles of the deployment group's EC2 instances (codedeployInstanceRole): one link per
     * role, and one Unknown link for the targets in `unresolved`; absent: not known
     */
    readonly instanceRoles?: {
      readonly roleArns: readonly string[];
      readonly unresolved: readonly string[];
    };
  };
  readonly ecs?: {
    readonly taskDefinitionFamily?: string;
    /** task role and task execution role ARNs of the task definition */
    readonly passRoleArns?: readonly string[];
  };
  /** S3 source bucket facts (S3 source actions) */
  readonly s3Source?: {
    readonly bucketAccount?: string;
    readonly keyArn?: string;
    /** the bucket's default encryption is not in the input: whether (and which) key is not known */
    readonly encryptionUnknown?: boolean;
  };
  /**
   * S3 deploy facts: the key the uploads are encrypted with (KMSEncryptionKeyARN, else the
   * deploy bucket's default SSE-KMS key; absent when neither); undefined when that is not known
   * (no KMSEncryptionKeyARN and the bucket is not in the input)
   */
  readonly s3Deploy?: {
    readonly keyArn?: string;
    /** the deploy bucket's owner, when the input holds the bucket */
    readonly bucketAccount?: string;
  };
  /**
   * the SNS topic a Manual approval notifies: the KMS key it is encrypted with (absent: not
   * encrypted); undefined when the topic is not in the input
   */
  readonly notificationTopic?: { readonly keyArn?: string };
  readonly lambda?: { readonly functionRoleArn?: string };
  /**
   * the state machine a StepFunctions action starts, when the input defines it: its type
   * (undefined when the input does not settle it)
   */
  readonly stateMachine?: { readonly type?: 'STANDARD' | 'EXPRESS' };
  /** the stack set a CloudFormationStackSet or CloudFormationStackInstances action deploys */
  readonly stackSet?: StackSetFacts;
  /**
   * the EventBridge rule that starts the pipeline for this source action, or (with `schedule`,
   * its ScheduleExpression) on a schedule: the facts the trigger.schedule-* entries are expanded
   * with, once for each such rule (src/chain/scheduleRules.ts)
   */
  readonly eventsRule?: {
    readonly arn?: string;
    readonly roleArn?: string;
    readonly schedule?: string;
    /**
     * the rule target cannot start the pipeline whatever the policies say (no RoleArn): its
     * trigger has one failing link instead (src/chain/eventsRuleTargets.ts)
     */
    readonly failure?: EventsRuleFailure;
    /**
     * whether the rule starts the pipeline is not settled (its targets were not read, its state
     * is not settled): its trigger links are Unknown, saying so
     */
    readonly unsettled?: EventsRuleUnsettled;
    /**
     * the source is in another account than the pipeline: its changes reach the rule's event
     * bus only if that account puts them there, which the bus's resource policy must allow
     * (src/chain/eventBusPolicy.ts; the link trigger.cross-account-put-events)
     */
    readonly crossAccount?: CrossAccountSend;
  };
  /**
   * the EventBridge rules that target the pipeline but do not start it on this source action's
   * changes, each with why, in words (a DISABLED rule, one on another event bus, one whose
   * pattern does not match): the text of the trigger's Unknown links when no rule starts it
   * (src/chain/actionFacts.ts rulesStarting)
   */
  readonly triggerSetAside?: readonly string[];
}

/** A source's changes sent from its account to the event bus of a rule that starts the pipeline. */
export interface CrossAccountSend {
  /** the source's account, which puts the events */
  readonly sender: string;
  /** the ARN of the rule's event bus, in the pipeline's account */
  readonly busArn: string;
  /** the source, in words (`CodeCommit repository \`app\``) */
  readonly what: string;
  /**
   * what the input does not settle about the rule besides the cross-account path (its state,
   * its targets, its pattern): whether the pipeline needs the events at all
   */
  readonly unsettled?: EventsRuleUnsettled;
}

/** What the input does not settle about an EventBridge rule, and the places that would. */
export interface EventsRuleUnsettled {
  readonly why: string;
  readonly missing: readonly string[];
}

/** Why an EventBridge rule target cannot start the pipeline, whatever the policies say. */
export interface EventsRuleFailure {
  /** the rule, as a report names what decides a link: its ARN, else its name */
  readonly rule: string;
  readonly why: string;
  readonly fix: string;
  readonly doc: string;
  /** where the rule (or its target) says so */
  readonly at: Location;
}

/**
 * The stack set a StackSets action deploys
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html).
 * A CloudFormationStackSet action names its settings; a CloudFormationStackInstances action does
 * not, and takes them from the pipeline's CloudFormationStackSet action of the same stack set
 * (src/chain/actionFacts.ts). Each value is undefined when not known, with the reason beside it.
 */
export interface StackSetFacts {
  /** `SELF_MANAGED` (the default) or `SERVICE_MANAGED` */
  readonly permissionModel?: 'SELF_MANAGED' | 'SERVICE_MANAGED';
  readonly permissionModelUnknown?: string;
  /**
   * self-managed: the administration role, as configured (AdministrationRoleArn); not set, it
   * is not known (an update keeps the stack set's existing role)
   */
  readonly administrationRoleArn?: string;
  readonly administrationRoleUnknown?: string;
  /**
   * self-managed: the execution role's name in each target account, as configured
   * (ExecutionRoleName); not set, it is not known (an update keeps the stack set's existing role)
   */
  readonly executionRoleName?: string;
  readonly executionRoleUnknown?: string;
  /** the accounts DeploymentTargets lists (self-managed: accounts only) */
  readonly targetAccounts?: readonly string[];
  readonly targetsUnknown?: string;
  /**
   * the Regions the action deploys stack instances to (`Regions`, a literal list, in its order);
   * all three absent when the action names none and needs none
   */
  readonly regions?: readonly string[];
  readonly regionsUnknown?: string;
  /**
   * a CloudFormationStackSet action without `Regions` and `DeploymentTargets`: an update reaches
   * the stack set's existing instances, whose Regions no input gives (why, in words)
   */
  readonly regionsExisting?: string;
}

/** A context key whose values no input gives: why, and whether the key is multivalued. */
export interface UnknownContextValue {
  readonly why: string;
  readonly multivalued: boolean;
}

/** One concrete request the evaluator must allow. */
export interface ExpandedLink {
  readonly requirementId: string;
  readonly principalRole: PrincipalKind;
  /** the principal's ARN (or service principal) when the facts name it */
  readonly principal?: string;
  /** why the principal is not known, when the facts say more than "not known" */
  readonly principalUnknown?: string;
  readonly action: string;
  readonly resource: string;
  /** the other documented resource of the call (Requirement.alternativeResource), filled */
  readonly alternativeResource?: string;
  readonly resourceAccount?: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly uncertainContext?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * keys the call carries with values no input gives (a multi placeholder whose values are not
   * known, as StackSet.Regions of an update that reaches the existing instances): the link is
   * evaluated without them and with each value its policies compare them with, and another, and
   * is Unknown if that matters
   */
  readonly unknownContext?: Readonly<Record<string, UnknownContextValue>>;
  /** Requirement.requestTagsUnknown */
  readonly requestTagsUnknown?: true;
  readonly level: Level;
  readonly doc: string;
  readonly basis: Basis;
  readonly note?: string;
  readonly fix: string;
  /**
   * a placeholder that met a `present` condition, or a value presumed to meet a condition (a state
   * machine presumed STANDARD): the link may not be needed (see presumedBy)
   */
  readonly presumed?: string;
  /** the resource stands in for one the input does not name in full (see secretStandIn) */
  readonly standIn?: string;
  /** the value of the entry's list placeholder this link was made for (one link per value) */
  readonly listValue?: string;
}

/** A requirement that applies (or may apply) but cannot be expanded without guessing. */
export interface UnknownExpansion {
  readonly unknown: string;
  /**
   * the placeholder whose value the facts do not give, when one left the entry unbuilt (the
   * first met: its resource, then its other templates), not whether the entry applies or who its
   * caller is: what decides whether the chain builder may try names in its place
   * (buildChain.ts unsettledNameOf)
   */
  readonly placeholder?: string;
  /**
   * the entry applies and its callers and list values are known; what the facts do not give is
   * a value the call is made with (a resource name, a context value), not whether it is made
   */
  readonly callMade?: true;
}

export type Expansion = readonly ExpandedLink[] | UnknownExpansion;
