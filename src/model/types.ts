/**
 * The in-memory model of a snapshot folder (see /work/shared/snapshot-format.md). Built once by
 * `loadSnapshot`; everything downstream (chain, graph, evaluator inputs) reads it and never
 * touches the file system.
 *
 * Three states run through the whole model and must never be confused:
 * - `undefined`: unknown. The file that would tell us is missing (or unreadable, and then a
 *   problem says why). A link that depends on it is `Unknown`, never allowed.
 * - `null`: known absent. The file is present and says there is no such policy
 *   (for example `{}` written after `NoSuchBucketPolicy`).
 * - a value: known.
 *
 * Maps are keyed by the natural AWS identifier and iterate in sorted key order, so anything
 * rendered from the model is deterministic.
 */
import type { Problem } from '../problems.js';
import type { CompiledPolicy } from '../policy/types.js';

/** Where an entity is written: a snapshot file (relative to the snapshot root, `/`-separated) and a JSON pointer in it. */
export interface Location {
  readonly file: string;
  readonly pointer: string;
  /** 1-based source line, when the loader knows it (templates) */
  readonly line?: number;
  /** 1-based source column, when the loader knows it (templates) */
  readonly column?: number;
  /**
   * a template resource whose `Properties` are read elsewhere than `<pointer>/Properties`: the
   * branch an `Fn::If` chooses (`/Resources/P/Properties/Fn::If/1`); absent otherwise
   */
  readonly properties?: string;
}

/**
 * A value a template loader could not resolve (an SSM parameter with no value given, a macro,
 * an unknown attribute...). The model holds `placeholder` in its place, shaped so that lookups
 * of it never find anything (`missing`, never `absent`); `location` names the template element.
 */
export interface UnresolvedValueModel {
  readonly placeholder: string;
  readonly reason: string;
  readonly location: Location;
}

export interface Model {
  /** the snapshot folder as given to the loader */
  readonly root: string;
  /** by 12-digit account id */
  readonly accounts: ReadonlyMap<string, AccountModel>;
  /** undefined: no `organization/` folder, so no guardrail (SCP/RCP) is known */
  readonly organization: OrganizationModel | undefined;
  /** every input problem, sorted (file, pointer, id, message) */
  readonly problems: readonly Problem[];
  /** where the model came from; undefined: a snapshot */
  readonly source?: 'snapshot' | 'template' | 'merged';
  /** template values that could not be resolved, by the placeholder the model holds instead */
  readonly unresolved?: ReadonlyMap<string, UnresolvedValueModel>;
}

export interface AccountModel {
  readonly id: string;
  /** undefined: `<account>/iam.json` is missing, so every principal and managed policy is unknown */
  readonly iam: IamModel | undefined;
  /** by bucket name, from `<account>/s3/<bucket>.json`; a bucket not in it is unknown */
  readonly buckets: ReadonlyMap<string, BucketModel>;
  /** by region name, one per region folder */
  readonly regions: ReadonlyMap<string, RegionModel>;
}

// ---------------------------------------------------------------------------------------------
// IAM (aws iam get-account-authorization-details)

export interface IamModel {
  /** by role ARN as IAM reports it (with path) */
  readonly roles: ReadonlyMap<string, RoleModel>;
  readonly users: ReadonlyMap<string, UserModel>;
  readonly groups: ReadonlyMap<string, GroupModel>;
  /** customer-managed and attached AWS-managed policies, by policy ARN */
  readonly policies: ReadonlyMap<string, ManagedPolicyModel>;
  /**
   * true when the output says `IsTruncated: true`: then a principal that is not listed is
   * unknown rather than known not to exist
   */
  readonly truncated: boolean;
  readonly location: Location;
}

/** An inline policy of a role, user or group. */
export interface InlinePolicyModel {
  readonly name: string;
  /** undefined: the document could not be compiled (a problem says why); treat as unknown */
  readonly policy: CompiledPolicy | undefined;
  readonly location: Location;
}

export interface RoleModel {
  readonly kind: 'role';
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly roleId: string | undefined;
  /**
   * true when `roleId` is made up: the role is created by a template, and AWS gives its RoleId
   * when the stack is deployed (the template's `Fn::GetAtt Role.RoleId` gives the same made-up
   * id); a literal RoleId another policy names may be the real one
   */
  readonly roleIdGenerated?: boolean;
  readonly account: string;
  /** undefined: the trust policy could not be compiled (a problem says why) */
  readonly trustPolicy: CompiledPolicy | undefined;
  readonly inlinePolicies: readonly InlinePolicyModel[];
  /** attached managed policy ARNs, in IAM's order; look them up with `findManagedPolicy` */
  readonly managedPolicyArns: readonly string[];
  readonly boundaryArn: string | undefined;
  readonly tags: ReadonlyMap<string, string>;
  /**
   * path `/aws-service-role/`: SCPs and RCPs do not apply to service-linked roles
   * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)
   */
  readonly isServiceLinked: boolean;
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
}

export interface UserModel {
  readonly kind: 'user';
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly userId: string | undefined;
  readonly account: string;
  readonly inlinePolicies: readonly InlinePolicyModel[];
  readonly managedPolicyArns: readonly string[];
  /** group names, as `GroupList` gives them */
  readonly groupNames: readonly string[];
  readonly boundaryArn: string | undefined;
  readonly tags: ReadonlyMap<string, string>;
  readonly location: Location;
}

export interface GroupModel {
  readonly kind: 'group';
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly account: string;
  readonly inlinePolicies: readonly InlinePolicyModel[];
  readonly managedPolicyArns: readonly string[];
  readonly location: Location;
}

export type PrincipalModel = RoleModel | UserModel;

export interface ManagedPolicyModel {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly policyId: string | undefined;
  /** `arn:<partition>:iam::aws:policy/...` */
  readonly isAwsManaged: boolean;
  readonly defaultVersionId: string | undefined;
  /** the default version's document; undefined when it is absent or could not be compiled */
  readonly policy: CompiledPolicy | undefined;
  /**
   * when `policy` is undefined: why the document in force is not known, in words (`default
   * version v3 is not in PolicyVersionList`), and where the input says so
   */
  readonly documentUnknown?: { readonly why: string; readonly location: Location };
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
}

// ---------------------------------------------------------------------------------------------
// S3

export interface BucketModel {
  readonly name: string;
  readonly arn: string;
  /** the account whose folder holds the bucket file (the bucket owner) */
  readonly account: string;
  /**
   * the bucket policy: null = the file has no `Policy` (known: the bucket has no policy);
   * undefined = `Policy` is present but could not be compiled (a problem says why)
   */
  readonly policy: CompiledPolicy | null | undefined;
  /**
   * from `LocationConstraint` (null there means us-east-1, in an account of the `aws` partition);
   * undefined when not in the file, or null in an account of another partition (src/load/snapshotS3.ts)
   */
  readonly region: string | undefined;
  /** from `ServerSideEncryptionConfiguration`; undefined when not in the file */
  readonly encryption: BucketEncryptionModel | undefined;
  /** `ObjectOwnership` of `OwnershipControls` (BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter) */
  readonly ownership: string | undefined;
  /**
   * set when `ownership` is the default of a bucket a template creates (the template sets no
   * `OwnershipControls`): a bucket created before April 2023 keeps ObjectWriter
   */
  readonly ownershipByDefault?: true;
  readonly publicAccessBlock: PublicAccessBlockModel | undefined;
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
  /**
   * the template element that leaves the policy open or unreadable (`file#pointer`); absent when
   * a snapshot's document could not be compiled (then it is at `location.file`)
   */
  readonly policyUnknownAt?: string;
}

export interface BucketEncryptionModel {
  /** `AES256`, `aws:kms`, `aws:kms:dsse` */
  readonly sseAlgorithm: string | undefined;
  /** key id, key ARN or alias ARN, as configured; absent with aws:kms means `aws/s3` */
  readonly kmsMasterKeyId: string | undefined;
  /**
   * whether the bucket uses an S3 Bucket Key for SSE-KMS; undefined when not given, which AWS
   * takes as false ("By default, S3 Bucket Key is not enabled",
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-serversideencryptionrule.html;
   * "If this value isn't specified, it defaults to false",
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_SSEKMSEncryption.html), or when the input
   * does not settle it (then `bucketKeyUnknownAt` says where)
   */
  readonly bucketKeyEnabled: boolean | undefined;
  /**
   * the place (`file#pointer`) of a `BucketKeyEnabled` the input gives but does not settle (a
   * template value not resolved, a value that is not a Boolean): whether the bucket uses an S3
   * Bucket Key is not known
   */
  readonly bucketKeyUnknownAt?: string;
  /**
   * the place (`file#pointer`) of a `BucketKeyEnabled` the input writes `true`, where it is
   * written (a template's may be in an `Fn::If` branch of the resource's properties)
   */
  readonly bucketKeyAt?: string;
}

export interface PublicAccessBlockModel {
  readonly blockPublicAcls: boolean | undefined;
  readonly ignorePublicAcls: boolean | undefined;
  readonly blockPublicPolicy: boolean | undefined;
  readonly restrictPublicBuckets: boolean | undefined;
}

// ---------------------------------------------------------------------------------------------
// Regional resources

export interface RegionModel {
  readonly name: string;
  readonly account: string;
  /** by pipeline name, from `codepipeline/<name>.json` */
  readonly pipelines: ReadonlyMap<string, PipelineModel>;
  /** undefined: `codebuild.json` is missing, so every project is unknown */
  readonly codebuild: CodeBuildModel | undefined;
  /** by key id, from `kms/<key-id>.json` */
  readonly kmsKeys: ReadonlyMap<string, KmsKeyModel>;
  /** by alias name (`alias/x`); undefined: `kms/aliases.json` is missing */
  readonly aliases: ReadonlyMap<string, KmsAliasModel> | undefined;
  /**
   * true when `aliases` lists some aliases only (those templates define): one not in it is
   * unknown, not absent, as if `kms/aliases.json` were missing
   */
  readonly aliasesPartial?: boolean;
  /** by function name, from `lambda/<name>.json` */
  readonly lambdas: ReadonlyMap<string, LambdaModel>;
  /** by `<application>/<group>`, from `codedeploy/<app>.<group>.json`; see deploymentGroupKey */
  readonly deploymentGroups: ReadonlyMap<string, DeploymentGroupModel>;
  /** undefined: `events.json` is missing */
  readonly events: EventsModel | undefined;
  /** by repository name (which may hold `/`), from `ecr/<repository>.json` */
  readonly ecrRepositories: ReadonlyMap<string, EcrRepositoryModel>;
  /** by topic name, from `sns/<topic>.json` */
  readonly snsTopics: ReadonlyMap<string, SnsTopicModel>;
  /**
   * ECS task definitions by family. Snapshots hold none (the snapshot format has no ECS files);
   * templates define them (`AWS::ECS::TaskDefinition`)
   */
  readonly ecsTaskDefinitions?: ReadonlyMap<string, EcsTaskDefinitionModel>;
  /** ECS services by `<cluster>/<service>`, from templates (`AWS::ECS::Service`) */
  readonly ecsServices?: ReadonlyMap<string, EcsServiceModel>;
  /**
   * Step Functions state machines by name. Snapshots hold none (the snapshot format has no Step
   * Functions files); templates define them (`AWS::StepFunctions::StateMachine`)
   */
  readonly stateMachines?: ReadonlyMap<string, StateMachineModel>;
  /**
   * Event buses by name (`default`...) whose resource policy templates write
   * (`AWS::Events::EventBusPolicy`). Snapshots hold none (the snapshot format has no event bus
   * file): a bus not in it has a policy no input gives
   */
  readonly eventBuses?: ReadonlyMap<string, EventBusModel>;
}

/**
 * An event bus and its resource policy, as the templates write it: one statement per
 * `AWS::Events::EventBusPolicy` (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-eventbuspolicy.html).
 */
export interface EventBusModel {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /** undefined: not known (`policyUnknownAt` says where, else it could not be compiled) */
  readonly policy: CompiledPolicy | undefined;
  /** the template element that leaves the policy open or unreadable (`file#pointer`) */
  readonly policyUnknownAt?: string;
  /** the first statement written for it */
  readonly location: Location;
}

export interface StateMachineModel {
  readonly name: string;
  /** `STANDARD` or `EXPRESS`; undefined when the template does not settle it */
  readonly type: 'STANDARD' | 'EXPRESS' | undefined;
  readonly account: string;
  readonly region: string;
  readonly location: Location;
}

export interface EcsTaskDefinitionModel {
  readonly family: string;
  /** the task role: what the containers run as */
  readonly taskRoleArn: string | undefined;
  /** the task execution role: what ECS pulls images and writes logs with */
  readonly executionRoleArn: string | undefined;
  readonly account: string;
  readonly region: string;
  readonly generated?: boolean;
  readonly location: Location;
}

export interface EcsServiceModel {
  /** the cluster name */
  readonly cluster: string;
  readonly name: string;
  /** the family of the service's task definition; undefined when it cannot be told */
  readonly taskDefinitionFamily: string | undefined;
  readonly account: string;
  readonly region: string;
  readonly location: Location;
}

export interface PipelineModel {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** `metadata.pipelineArn` when present, else built from account, region and name */
  readonly arn: string;
  /** the pipeline service role; undefined only when the file lacks it (a problem says so) */
  readonly roleArn: string | undefined;
  /** `V1` / `V2` when given */
  readonly pipelineType: string | undefined;
  /**
   * by region. A single `artifactStore` is keyed by the pipeline's own region; `artifactStores`
   * (cross-Region pipelines) by the region AWS gives
   */
  readonly artifactStores: ReadonlyMap<string, ArtifactStoreModel>;
  /**
   * where a snapshot's pipeline file gives them (`/pipeline/artifactStore` or
   * `/pipeline/artifactStores`), when it gives one of the two
   */
  readonly artifactStoresPointer?: string;
  readonly stages: readonly StageModel[];
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
}

export interface ArtifactStoreModel {
  readonly region: string;
  /** `S3` */
  readonly type: string;
  /** the bucket name (AWS calls it `location`) */
  readonly bucket: string;
  /** `{ id, type: 'KMS' }`; undefined: the AWS-managed `aws/s3` key is used */
  readonly encryptionKey: { readonly id: string; readonly type: string } | undefined;
  /** the artifact store object in the get-pipeline output */
  readonly location: Location;
}

export interface StageModel {
  readonly name: string;
  readonly actions: readonly ActionModel[];
  /**
   * The rules of the stage's conditions (V2 pipelines: `beforeEntry`, `onSuccess`, `onFailure`,
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html), in that
   * order, each as an action of category `Rule` (a rule has a provider, configuration, input
   * artifacts, an optional role and region, like an action). Its `name` says where it is:
   * `<condition kind>[<condition number>]/<rule name>`, e.g. `beforeEntry[1]/GateLambda`. A
   * rule (or condition) the input does not settle is an unsettled action (`unsettled`). Absent:
   * the stage has no conditions.
   */
  readonly rules?: readonly ActionModel[];
  readonly location: Location;
}

export interface ActionModel {
  readonly name: string;
  readonly category: string;
  readonly owner: string;
  readonly provider: string;
  readonly version: string;
  /** the action role; undefined: the action runs as the pipeline role */
  readonly roleArn: string | undefined;
  /** the action's region (cross-Region actions); undefined: the pipeline's region */
  readonly region: string | undefined;
  readonly namespace: string | undefined;
  /**
   * as get-pipeline returns it, except that the values of `PLAINTEXT` entries in a CodeBuild
   * `EnvironmentVariables` value are removed (they are often secrets), and that a value holding
   * a CodePipeline variable (`#{...}`, known only at run time:
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html) is a
   * placeholder (src/model/placeholders.ts) that `Model.unresolved` maps to its file#pointer
   */
  readonly configuration: Readonly<Record<string, string>>;
  readonly inputArtifacts: readonly string[];
  readonly outputArtifacts: readonly string[];
  readonly runOrder: number;
  /** the action object in the get-pipeline output */
  readonly location: Location;
  /**
   * For a rule of a stage condition (StageModel.rules): the `result` of its condition as the
   * input gives it (`FAIL`, `SKIP`, `ROLLBACK`, `RETRY`:
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_Condition.html), what
   * CodePipeline does when the condition is not met. Absent: not given, or not text.
   */
  readonly conditionResult?: string;
  /**
   * set when the input does not settle the action (or its stage): a template's `file:line
   * (reason)`; a snapshot's `file#pointer (not readable)` (or `(missing)`, `(defined more than
   * once)`), comma-separated when several. The other fields are then empty and the chain has one
   * Unknown link for the action.
   */
  readonly unsettled?: string;
}

/** aws codebuild batch-get-projects */
export interface CodeBuildModel {
  /** by project name */
  readonly projects: ReadonlyMap<string, CodeBuildProjectModel>;
  /** `projectsNotFound`: known not to exist */
  readonly notFound: readonly string[];
  readonly location: Location;
}

export interface CodeBuildProjectModel {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly serviceRole: string | undefined;
  /** key ARN or alias (`alias/aws/s3` is CodeBuild's default); undefined when not set */
  readonly encryptionKey: string | undefined;
  readonly environment: CodeBuildEnvironmentModel | undefined;
  readonly source: CodeBuildSourceModel | undefined;
  readonly secondarySources: readonly CodeBuildSourceModel[];
  readonly artifacts: CodeBuildArtifactsModel | undefined;
  readonly secondaryArtifacts: readonly CodeBuildArtifactsModel[];
  readonly logsConfig: CodeBuildLogsModel | undefined;
  readonly vpcConfig: CodeBuildVpcModel | undefined;
  /**
   * `buildBatchConfig`: the project's batch configuration, which batch builds need (absent: the
   * project has none)
   */
  readonly buildBatchConfig?: CodeBuildBatchConfigModel;
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
}

/**
 * A project's batch configuration (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectBuildBatchConfig.html).
 * Only the batch service role is kept: the role CodeBuild uses to start, stop and retry the
 * builds of a batch (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role).
 */
export interface CodeBuildBatchConfigModel {
  /**
   * `serviceRole` as given (an ARN, AWS documents), or a placeholder
   * (src/model/placeholders.ts) when a template does not settle it; undefined when the
   * configuration names none
   */
  readonly serviceRole: string | undefined;
  /** the batch configuration object (`buildBatchConfig`, a template's `BuildBatchConfig`) */
  readonly location: Location;
}

export interface CodeBuildEnvironmentModel {
  readonly type: string | undefined;
  readonly image: string | undefined;
  readonly computeType: string | undefined;
  /** `CODEBUILD` or `SERVICE_ROLE` */
  readonly imagePullCredentialsType: string | undefined;
  readonly privilegedMode: boolean | undefined;
  /** a Secrets Manager ARN or name: not a secret itself */
  readonly registryCredential:
    { readonly credential: string; readonly credentialProvider: string } | undefined;
  readonly environmentVariables: readonly CodeBuildEnvironmentVariableModel[];
  /**
   * a placeholder (model/placeholders.ts) when the input does not settle which variables there
   * are or of which type (a template's `!If` or list parameter): which parameters and secrets
   * the build reads is then not known
   */
  readonly environmentVariablesUnknown?: string;
}

/**
 * A project environment variable without its value: `PLAINTEXT` values are often secrets and
 * must never reach a report. For `PARAMETER_STORE` and `SECRETS_MANAGER` the value is only the
 * name of the parameter or secret, which the build role must be allowed to read, so it is kept
 * as `reference`.
 */
export interface CodeBuildEnvironmentVariableModel {
  readonly name: string;
  /** `PLAINTEXT` (the default), `PARAMETER_STORE`, `SECRETS_MANAGER` */
  readonly type: string;
  readonly reference: string | undefined;
}

export interface CodeBuildSourceModel {
  /** `CODEPIPELINE`, `CODECOMMIT`, `GITHUB`, `S3`, `NO_SOURCE`, ... */
  readonly type: string | undefined;
  readonly location: string | undefined;
  readonly sourceIdentifier: string | undefined;
  /** `auth.type` (`OAUTH`, `CODECONNECTIONS`, `SECRETS_MANAGER`) */
  readonly authType: string | undefined;
  /** `auth.resource` when it is an ARN (a connection or secret); anything else is dropped */
  readonly authResource: string | undefined;
  /**
   * The primary source's `buildspec` (model/buildspec.ts): a file name in the source or an S3
   * ARN as given; an inline buildspec reduced to the JSON text of its `version` and its
   * `env.parameter-store` / `env.secrets-manager` maps (nothing else of it is kept: commands and
   * `env.variables` may hold secrets); a placeholder (model/placeholders.ts) when the input does
   * not settle it or it cannot be read, so what the build reads is not known. Absent when the
   * source sets none (CodeBuild then reads `buildspec.yml` of the source).
   */
  readonly buildspec?: string;
}

/**
 * A project's `artifacts` or one of its `secondaryArtifacts`
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). A
 * template's value it does not settle is a placeholder (src/model/placeholders.ts).
 */
export interface CodeBuildArtifactsModel {
  /** `CODEPIPELINE`, `S3`, `NO_ARTIFACTS` */
  readonly type: string | undefined;
  /** for S3, the bucket */
  readonly location: string | undefined;
  readonly artifactIdentifier: string | undefined;
  readonly encryptionDisabled: boolean | undefined;
  /** for S3, the path in the bucket before the namespace and the name; undefined when not set */
  readonly path?: string;
  /** for S3, the name of the object (ZIP) or folder (NONE); `/` stands for no folder of its own */
  readonly name?: string;
  /** `NONE` (the default) or `BUILD_ID`: whether the build id is part of the key */
  readonly namespaceType?: string;
  /** `NONE` (the default: a folder holding the build output's files) or `ZIP` (one object) */
  readonly packaging?: string;
  /**
   * `overrideArtifactName`: a name the buildspec gives replaces `name`; a placeholder when a
   * template does not settle it
   */
  readonly overrideArtifactName?: boolean | string;
  /**
   * `bucketOwnerAccess`: `NONE` (the default), `READ_ONLY` or `FULL`; with READ_ONLY or FULL the
   * service role needs s3:PutBucketAcl on the bucket; a placeholder when the input does not
   * settle it; absent when not set
   */
  readonly bucketOwnerAccess?: string;
}

export interface CodeBuildLogsModel {
  readonly cloudWatchLogs:
    | {
        readonly status: string | undefined;
        readonly groupName: string | undefined;
        readonly streamName: string | undefined;
      }
    | undefined;
  readonly s3Logs:
    | {
        readonly status: string | undefined;
        readonly location: string | undefined;
        readonly encryptionDisabled: boolean | undefined;
        /**
         * `bucketOwnerAccess`: `NONE` (the default), `READ_ONLY` or `FULL`; a placeholder when
         * the input does not settle it; absent when not set
         */
        readonly bucketOwnerAccess?: string;
      }
    | undefined;
}

export interface CodeBuildVpcModel {
  readonly vpcId: string | undefined;
  readonly subnets: readonly string[];
  readonly securityGroupIds: readonly string[];
}

export interface KmsKeyModel {
  readonly keyId: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /**
   * the key policy; undefined when the file has no `Policy` or it could not be compiled.
   * Every KMS key has a key policy, so a missing one is unknown, never "no policy"
   * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html)
   */
  readonly policy: CompiledPolicy | undefined;
  /** `AWS` for AWS-managed keys (`aws/s3`...): RCPs do not apply to them and their policy cannot change */
  readonly keyManager: 'AWS' | 'CUSTOMER' | undefined;
  /** `SYMMETRIC_DEFAULT`, ...: CodePipeline only supports symmetric keys */
  readonly keySpec: string | undefined;
  readonly keyUsage: string | undefined;
  /**
   * `Enabled`, `Disabled`, `PendingDeletion`...; a placeholder (src/model/placeholders.ts) when a
   * template does not settle the key's `Enabled`: the state is unknown, and `model.unresolved`
   * names the property
   */
  readonly keyState: string | undefined;
  readonly enabled: boolean | undefined;
  readonly multiRegion: boolean | undefined;
  /** alias names (`alias/x`) that target this key, from kms/aliases.json */
  readonly aliases: readonly string[];
  /** undefined: the file has no `Grants` (unknown) */
  readonly grants: readonly KmsGrantModel[] | undefined;
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
  /**
   * where the key policy is (or would be) written: a snapshot key file's `/Policy`; a template
   * key's `KeyPolicy` property, or the key resource when it has none (the default key policy)
   */
  readonly policyLocation?: Location;
  /**
   * where the key state is read: a snapshot key file's `/KeyMetadata/KeyState`, or
   * `/KeyMetadata/Enabled` when the file gives `Enabled` without `KeyState`; a template key's
   * `Enabled` property, or the key resource when it does not set one (enabled by default)
   */
  readonly stateLocation?: Location;
}

export interface KmsGrantModel {
  readonly grantId: string | undefined;
  readonly name: string | undefined;
  readonly granteePrincipal: string | undefined;
  readonly retiringPrincipal: string | undefined;
  readonly operations: readonly string[];
  readonly encryptionContextEquals: ReadonlyMap<string, string> | undefined;
  readonly encryptionContextSubset: ReadonlyMap<string, string> | undefined;
  readonly location: Location;
}

export interface KmsAliasModel {
  /** `alias/x` */
  readonly name: string;
  readonly arn: string | undefined;
  /** undefined for an AWS-managed alias whose key AWS has not created yet */
  readonly targetKeyId: string | undefined;
  readonly location: Location;
}

export interface LambdaModel {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /** the execution role */
  readonly role: string | undefined;
  /** null: the file has no `Policy` (known: no resource policy); undefined: not compilable */
  readonly policy: CompiledPolicy | null | undefined;
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
  /**
   * the template element that leaves the policy open or unreadable (`file#pointer`); absent when
   * a snapshot's document could not be compiled (then it is at `location.file`)
   */
  readonly policyUnknownAt?: string;
}

export interface DeploymentGroupModel {
  readonly application: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly serviceRoleArn: string | undefined;
  /** `Server`, `Lambda`, `ECS` */
  readonly computePlatform: string | undefined;
  readonly deploymentConfigName: string | undefined;
  /**
   * The IAM roles of the group's EC2 instances (the roles of their instance profiles): the
   * CodeDeploy agent downloads each revision with them. Undefined: not known (a snapshot's
   * get-deployment-group names Auto Scaling groups and tag filters, not instance profiles);
   * templates that define the group and its targets give them (src/load/deploymentGroups.ts)
   */
  readonly instanceRoles?: InstanceRolesModel;
  readonly location: Location;
}

export interface InstanceRolesModel {
  /** role ARNs of the targets the templates resolve, sorted, each once */
  readonly roleArns: readonly string[];
  /**
   * the targets whose role is not known, each in plain words, sorted; empty when every target
   * of the group is resolved
   */
  readonly unresolved: readonly string[];
}

export interface EventsModel {
  /** by rule name */
  readonly rules: ReadonlyMap<string, EventRuleModel>;
  readonly location: Location;
}

export interface EventRuleModel {
  readonly name: string;
  readonly arn: string | undefined;
  readonly state: string | undefined;
  readonly eventBusName: string | undefined;
  readonly eventPattern: string | undefined;
  readonly scheduleExpression: string | undefined;
  /** undefined: `Targets` has no entry for this rule (unknown) */
  readonly targets: readonly EventTargetModel[] | undefined;
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
}

export interface EventTargetModel {
  readonly id: string | undefined;
  readonly arn: string;
  readonly roleArn: string | undefined;
  readonly location: Location;
}

export interface EcrRepositoryModel {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /** from `policyText`; null: absent (known: no repository policy) */
  readonly policy: CompiledPolicy | null | undefined;
  readonly location: Location;
}

export interface SnsTopicModel {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /** from `Attributes.Policy`; null: absent */
  readonly policy: CompiledPolicy | null | undefined;
  readonly kmsMasterKeyId: string | undefined;
  /** true when a template loader made up the name or id, as AWS would generate it */
  readonly generated?: boolean;
  readonly location: Location;
  /**
   * the template element that leaves the policy open or unreadable (`file#pointer`); absent when
   * a snapshot's document could not be compiled (then it is at `location.file`)
   */
  readonly policyUnknownAt?: string;
}

// ---------------------------------------------------------------------------------------------
// AWS Organizations

export interface OrganizationModel {
  readonly id: string | undefined;
  readonly arn: string | undefined;
  readonly managementAccountId: string | undefined;
  /** `ALL` or `CONSOLIDATED_BILLING` (no SCPs then) */
  readonly featureSet: string | undefined;
  /** root ids (`r-...`): parents that have no parent themselves, plus targets of type ROOT */
  readonly rootIds: readonly string[];
  /** child (account id or OU id) -> parent (OU id or root id) */
  readonly parents: ReadonlyMap<string, string>;
  /** from accounts.json, by account id */
  readonly accounts: ReadonlyMap<string, OrgAccountModel>;
  readonly scps: readonly OrgPolicyModel[];
  readonly rcps: readonly OrgPolicyModel[];
  /** which parts were present (a folder counts as present even when empty) */
  readonly loaded: {
    readonly describe: boolean;
    readonly parents: boolean;
    readonly accounts: boolean;
    readonly scp: boolean;
    readonly rcp: boolean;
  };
}

export interface OrgAccountModel {
  readonly id: string;
  readonly name: string | undefined;
  readonly status: string | undefined;
  readonly location: Location;
}

export interface OrgPolicyModel {
  readonly id: string;
  readonly name: string | undefined;
  readonly arn: string | undefined;
  readonly awsManaged: boolean | undefined;
  /** undefined: `Content` is missing or could not be compiled (a problem says why) */
  readonly policy: CompiledPolicy | undefined;
  /** target ids (root, OU or account); undefined: the file has no `Targets` (unknown) */
  readonly targets: readonly string[] | undefined;
  readonly location: Location;
}

// ---------------------------------------------------------------------------------------------
// Lookups

/**
 * The answer of a model lookup: found; `missing` (unknown: `file` is what would settle it);
 * or `absent` (known not to exist: `file` is the snapshot file that says so).
 */
export type Lookup<T> =
  | { readonly kind: 'found'; readonly value: T }
  | { readonly kind: 'missing'; readonly file: string; readonly note?: string }
  | { readonly kind: 'absent'; readonly file?: string; readonly note?: string };
