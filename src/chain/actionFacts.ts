/**
 * What the requirement catalog needs to know about one pipeline action, read from the model.
 * A group of facts that the snapshot does not hold stays undefined (links that need it are
 * Unknown) and the file that would settle it is recorded in `gaps`.
 */
import { isAccountId, isRegionName, parseArn, partitionOfRegion } from '../model/arn.js';
import {
  findBucket,
  findCodeBuildProject,
  findDeploymentGroup,
  findEventBus,
  findLambda,
  findSnsTopic,
  resolveKmsKey,
} from '../model/queries.js';
import { snapshotPath } from '../model/snapshotPath.js';
import { PLACEHOLDER_PATTERN } from '../model/placeholders.js';
import { actionVariablesProblem } from '../model/environmentVariables.js';
import {
  buildspecDeclaresArtifacts,
  buildspecReferences,
  buildspecSecondaryArtifacts,
  namesBuildspec,
  plainArtifactName,
} from '../model/buildspec.js';
import type {
  ActionModel,
  CodeBuildProjectModel,
  CodeBuildSourceModel,
  EventRuleModel,
  EventsModel,
  Location,
  Model,
  PipelineModel,
  RoleModel,
  StageModel,
} from '../model/types.js';
import {
  DEFAULT_TASK_DEFINITION_PATH,
  NO_ARTIFACTS,
  taskDefinitionKey,
  type SuppliedArtifacts,
} from '../model/artifacts.js';
import { expandAction } from './catalog.js';
import { operatorMatch } from './eventPatternOperators.js';
import { unresolvedIn } from './resolveLink.js';
import { busPolicyPlace } from './eventBusPolicy.js';
import {
  isDefaultBus,
  ruleTargetFacts,
  ruleTargetLabel,
  targetRoleFailure,
  unreadRuleFacts,
  unsettledRule,
} from './eventsRuleTargets.js';
import type {
  ActionFacts,
  Catalog,
  CloneRefSource,
  CodeBuildProjectFacts,
  CrossAccountSend,
  EventsRuleFailure,
  EventsRuleUnsettled,
  ExpandedLink,
  ReplicatedInput,
  StackSetFacts,
} from './catalogTypes.js';

export interface FactsWithGaps {
  readonly facts: ActionFacts;
  /**
   * set when the artifact key is named in a way the action cannot use: an alias the action's
   * account cannot resolve, or a key of another region; `fix` when it is not the alias's
   */
  readonly storeKeyFailure?: {
    readonly keyArn: string;
    readonly why: string;
    readonly fix?: string;
  };
  /** files that would settle facts left unknown, by what they are about */
  readonly gaps: ReadonlyMap<FactGroup, string>;
  /**
   * every rule target that starts the pipeline, when there are several (`facts.eventsRule` is
   * the first): expand the trigger once for each (expandWithEveryRule)
   */
  readonly eventsRules?: readonly EventsRuleFacts[];
}

export type FactGroup =
  | 'codebuild'
  | 'lambda'
  | 'codedeploy'
  | 'codedeployInstances'
  | 'ecs'
  | 's3Source'
  | 's3Deploy'
  | 'notificationTopic'
  | 'replication'
  | 'events'
  | 'artifactStore'
  | 'pipelineRole';

/** The producer of each artifact name in a pipeline: `stage/action` and the action itself. */
export type Producers = ReadonlyMap<
  string,
  { readonly stage: StageModel; readonly action: ActionModel }
>;

export function artifactProducers(pipeline: PipelineModel): Producers {
  const out = new Map<string, { stage: StageModel; action: ActionModel }>();
  for (const stage of pipeline.stages) {
    for (const action of stage.actions) {
      for (const a of action.outputArtifacts) if (!out.has(a)) out.set(a, { stage, action });
    }
  }
  return out;
}

export function partitionOf(pipeline: PipelineModel): string {
  return parseArn(pipeline.arn)?.partition ?? partitionOfRegion(pipeline.region);
}

/** The ARN of a KMS key as configured (key id, key ARN, alias name or alias ARN), default `aws/s3`. */
export function keyArnOf(
  model: Model,
  configured: string | undefined,
  account: string,
  region: string,
  partition: string,
): string {
  const ref = configured ?? 'alias/aws/s3';
  const arn = parseArn(ref);
  if (arn && arn.resource.startsWith('key/')) return ref;
  const found = resolveKmsKey(model, account, region, ref);
  if (found.kind === 'found') return found.value.arn;
  if (arn) return ref;
  if (ref.startsWith('alias/')) return `arn:${partition}:kms:${region}:${account}:${ref}`;
  return `arn:${partition}:kms:${region}:${account}:key/${ref}`;
}

/**
 * The artifact key as an action sees it. An action in another account resolves the configured
 * key there: "Aliases are recognized only in the account that created the KMS key. For
 * cross-account actions, you can only use the key ID or key ARN"
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html). So an
 * alias or bare key id names a key in the action's account, which usually does not exist.
 */
function storeKeyArn(
  model: Model,
  configured: string | undefined,
  pipelineAccount: string,
  actionAccount: string,
  region: string,
  partition: string,
): string {
  if (configured !== undefined && actionAccount !== pipelineAccount && !isKeyArn(configured)) {
    const arn = parseArn(configured);
    {
      const ref = arn
        ? arn.resource
        : configured.startsWith('alias/')
          ? configured
          : `key/${configured}`;
      return `arn:${partition}:kms:${region}:${actionAccount}:${ref}`;
    }
  }
  return keyArnOf(model, configured, pipelineAccount, region, partition);
}

export function actionFacts(
  model: Model,
  pipeline: PipelineModel,
  stage: StageModel,
  action: ActionModel,
  producers: Producers,
  artifacts: SuppliedArtifacts = NO_ARTIFACTS,
): FactsWithGaps {
  const gaps = new Map<FactGroup, string>();
  const partition = partitionOf(pipeline);
  const actionRegion = action.region ?? pipeline.region;
  const actionAccount = (action.roleArn && parseArn(action.roleArn)?.account) || pipeline.account;
  const cfg = action.configuration;

  const store = pipeline.artifactStores.get(actionRegion);
  if (!store) gaps.set('artifactStore', storesPlace(pipeline));
  // a pipeline the input gives without its role (an input error says so): where it would be
  if (pipeline.roleArn === undefined) {
    const at = pipeline.location;
    gaps.set(
      'pipelineRole',
      at.pointer.startsWith('/Resources/')
        ? `${at.file}#${propertiesOf(at)}/RoleArn`
        : `${at.file}#/pipeline/roleArn`,
    );
  }
  const artifactStore = store
    ? {
        bucket: store.bucket,
        ...(store.encryptionKey ? { keyId: store.encryptionKey.id } : {}),
        keyArn: storeKeyArn(
          model,
          store.encryptionKey?.id,
          pipeline.account,
          actionAccount,
          actionRegion,
          partition,
        ),
        pipelineKeyArn: keyArnOf(
          model,
          store.encryptionKey?.id,
          pipeline.account,
          actionRegion,
          partition,
        ),
      }
    : undefined;

  let codebuild: ActionFacts['codebuild'];
  let cloneRefUnknown: string | undefined;
  let cloneRefSources: CloneRefSource[] | undefined;
  if (action.provider === 'CodeBuild' && isAwsOwned(action) && cfg['ProjectName']) {
    const found = findCodeBuildProject(model, actionAccount, actionRegion, cfg['ProjectName']);
    if (found.kind === 'found') {
      const p = found.value;
      // the action may run the build as another role than the project's: StartBuild's
      // serviceRoleOverride (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_StartBuild.html),
      // the action's `ServiceRoleArnOverride` (CDK's CodeBuildAction serviceRoleOverride emits it
      // and grants iam:PassRole on it to the action role, scoped to codebuild.amazonaws.com)
      const serviceRole = cfg['ServiceRoleArnOverride'] || p.serviceRole;
      codebuild = {
        ...(serviceRole ? { serviceRoleArn: serviceRole } : {}),
        ...(p.logsConfig?.cloudWatchLogs?.status
          ? { cloudWatchLogsStatus: p.logsConfig.cloudWatchLogs.status }
          : {}),
        ...(p.logsConfig?.cloudWatchLogs?.groupName
          ? { logGroupName: p.logsConfig.cloudWatchLogs.groupName }
          : {}),
        ...(p.environment?.imagePullCredentialsType
          ? { imagePullCredentialsType: p.environment.imagePullCredentialsType }
          : {}),
        ...(p.environment?.image ? { image: p.environment.image } : {}),
        ...(p.encryptionKey ? { encryptionKeyId: p.encryptionKey } : {}),
        // CodeBuild encrypts its outputs with the project's key (default aws/s3 of the project's
        // account), not the pipeline's artifact key (aws-facts.md 1.3, PRAC [CDK-4183])
        encryptionKeyArn: keyArnOf(model, p.encryptionKey, p.account, p.region, partition),
        ...(p.vpcConfig && p.vpcConfig.subnets.length > 0
          ? { subnets: p.vpcConfig.subnets, securityGroupIds: p.vpcConfig.securityGroupIds }
          : {}),
        ...buildReferences(p, cfg['EnvironmentVariables']),
        ...secondaryFetches(p, partition),
        ...s3LogsOf(p),
        ...batchRoleOf(p),
        ...undeclaredArtifactsOf(p),
      };
    } else {
      gaps.set('codebuild', found.file ?? snapshotPath.codebuild(actionAccount, actionRegion));
    }
    cloneRefSources = [];
    for (const input of action.inputArtifacts) {
      const producer = producers.get(input);
      const pc = producer?.action.configuration;
      const format = pc?.['OutputArtifactFormat'];
      if (format !== undefined && PLACEHOLDER_PATTERN.test(format)) {
        // a format only known at run time may be CODEBUILD_CLONE_REF: what the build clones
        // is not known
        cloneRefUnknown ??= `the OutputArtifactFormat of \`${input}\` is \`${format}\`, which the input does not settle`;
        continue;
      }
      if (!producer || !pc || format !== 'CODEBUILD_CLONE_REF') continue;
      const src = producer.action;
      const srcRegion = src.region ?? pipeline.region;
      const srcAccount = (src.roleArn && parseArn(src.roleArn)?.account) || pipeline.account;
      if (!isAwsOwned(src)) continue;
      if (src.provider === 'CodeCommit' && pc['RepositoryName']) {
        cloneRefSources.push({
          provider: 'CodeCommit',
          repositoryArn: `arn:${partition}:codecommit:${srcRegion}:${srcAccount}:${pc['RepositoryName']}`,
        });
      } else if (src.provider === 'CodeStarSourceConnection' && pc['ConnectionArn']) {
        cloneRefSources.push({
          provider: 'CodeStarSourceConnection',
          connectionArn: pc['ConnectionArn'],
          ...(pc['FullRepositoryId'] ? { fullRepositoryId: pc['FullRepositoryId'] } : {}),
          ...(pc['BranchName'] ? { branchName: pc['BranchName'] } : {}),
        });
      }
    }
  }

  let codedeploy: ActionFacts['codedeploy'];
  if (
    (action.provider === 'CodeDeploy' || action.provider === 'CodeDeployToECS') &&
    cfg['ApplicationName']
  ) {
    const group = cfg['DeploymentGroupName'];
    if (group) {
      const found = findDeploymentGroup(
        model,
        actionAccount,
        actionRegion,
        cfg['ApplicationName'],
        group,
      );
      const roles = found.kind === 'found' ? found.value.instanceRoles : undefined;
      if (found.kind === 'found') {
        // a group without a configuration uses CodeDeployDefault.OneAtATime
        // (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html)
        codedeploy = {
          deploymentConfigName: found.value.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
          ...(roles
            ? { instanceRoles: { roleArns: roles.roleArns, unresolved: roles.unresolved } }
            : {}),
        };
      } else if (found.kind === 'missing') gaps.set('codedeploy', found.file);
      if (!roles && action.provider === 'CodeDeploy') {
        gaps.set(
          'codedeployInstances',
          `the instance profile of the EC2 instances of deployment group ${cfg['ApplicationName']}/${group} (snapshots name none: a template that defines the group and its Auto Scaling groups)`,
        );
      }
    }
  }
  let ecs: ActionFacts['ecs'];
  if (action.provider === 'CodeDeployToECS') {
    const found = blueGreenTaskDefinition(model, pipeline, action, actionAccount, artifacts);
    if ('facts' in found) ecs = found.facts;
    if (found.gap) gaps.set('ecs', found.gap);
  } else if (action.provider === 'ECS') {
    // The standard ECS action deploys a new revision of the service's task definition; a
    // template that defines the service and its task definition names the family and the
    // roles ECS must be passed. Snapshots hold no ECS data, so those stay unknown.
    const region = model.accounts.get(actionAccount)?.regions.get(actionRegion);
    const service = cfg['ServiceName']
      ? region?.ecsServices?.get(`${cfg['ClusterName'] ?? 'default'}/${cfg['ServiceName']}`)
      : undefined;
    const td = service?.taskDefinitionFamily
      ? region?.ecsTaskDefinitions?.get(service.taskDefinitionFamily)
      : undefined;
    if (td) {
      // a role may be given by its name (`!Ref` of an AWS::IAM::Role gives the name): ECS takes
      // "the short name or full ARN" of the task role
      // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
      const at = `${td.location.file}#${propertiesOf(td.location)}`;
      const roles = roleArnsByName(model, td.account, [
        ...(td.taskRoleArn !== undefined
          ? [{ role: td.taskRoleArn, at: `${at}/TaskRoleArn` }]
          : []),
        ...(td.executionRoleArn !== undefined
          ? [{ role: td.executionRoleArn, at: `${at}/ExecutionRoleArn` }]
          : []),
      ]);
      ecs = {
        taskDefinitionFamily: td.family,
        ...(roles.gap === undefined ? { passRoleArns: roles.arns } : {}),
      };
      if (roles.gap !== undefined) gaps.set('ecs', roles.gap);
    } else {
      gaps.set(
        'ecs',
        `the ECS task definition of ${stage.name}/${action.name} (snapshots hold none: a template that defines the service)`,
      );
    }
  }

  let s3Source: ActionFacts['s3Source'];
  if (action.provider === 'S3' && action.category === 'Source' && cfg['S3Bucket']) {
    const found = findBucket(model, cfg['S3Bucket'], actionAccount);
    if (found.kind === 'found') {
      const b = found.value;
      const enc = b.encryption;
      const kms = enc?.sseAlgorithm?.startsWith('aws:kms');
      // every bucket has a default encryption (SSE-S3 at least, since January 2023:
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html), so
      // a bucket file without it was not read in full: the key is not known, never "none"
      if (!enc) gaps.set('s3Source', `${b.location.file}#/ServerSideEncryptionConfiguration`);
      s3Source = {
        bucketAccount: b.account,
        ...(!enc ? { encryptionUnknown: true } : {}),
        ...(kms
          ? {
              keyArn: keyArnOf(
                model,
                enc?.kmsMasterKeyId,
                b.account,
                b.region ?? actionRegion,
                partition,
              ),
            }
          : {}),
      };
    } else if (found.kind === 'missing')
      // in no account's folder: the bucket's owner is not known (it need not be the action's)
      gaps.set('s3Source', snapshotPath.bucket('*', cfg['S3Bucket']));
  }

  let s3Deploy: ActionFacts['s3Deploy'];
  if (action.provider === 'S3' && action.category === 'Deploy' && cfg['BucketName']) {
    const configured = cfg['KMSEncryptionKeyARN'];
    const found = findBucket(model, cfg['BucketName'], actionAccount);
    // the bucket's owner, where its file is (its S3 Bucket Key setting: buildChain.ts
    // s3ActionObjects); not known when the bucket is in no account's folder
    const bucketAccount = found.kind === 'found' ? { bucketAccount: found.value.account } : {};
    if (configured) {
      // "you can use the key ID, key ARN, or alias ARN"
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html);
      // a key id names a key of the account making the request, the action's ("If the KMS key
      // doesn't exist in the same account that's issuing the command, you must use the full Key
      // ARN", https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html)
      s3Deploy = {
        keyArn: keyArnOf(model, configured, actionAccount, actionRegion, partition),
        ...bucketAccount,
      };
    } else {
      // without one, S3 encrypts with the bucket's default encryption: SSE-KMS needs
      // kms:GenerateDataKey on the bucket's default key
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html)
      if (found.kind === 'found') {
        const b = found.value;
        const enc = b.encryption;
        // a bucket file without its default encryption was not read in full (see S3 source)
        if (!enc) gaps.set('s3Deploy', `${b.location.file}#/ServerSideEncryptionConfiguration`);
        else
          s3Deploy = enc.sseAlgorithm?.startsWith('aws:kms')
            ? {
                // a key id or alias (and the default aws/s3) is resolved in the requester's
                // account: "KMS resolves the key within the requester's account"
                // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html)
                keyArn: keyArnOf(
                  model,
                  enc.kmsMasterKeyId,
                  actionAccount,
                  b.region ?? actionRegion,
                  partition,
                ),
                ...bucketAccount,
              }
            : bucketAccount;
      } else
        gaps.set(
          's3Deploy',
          found.kind === 'missing'
            ? snapshotPath.bucket('*', cfg['BucketName'])
            : (found.file ?? snapshotPath.bucket('*', cfg['BucketName'])),
        );
    }
  }

  let lambda: ActionFacts['lambda'];
  if (action.provider === 'Lambda' && cfg['FunctionName']) {
    const found = findLambda(model, actionAccount, actionRegion, cfg['FunctionName']);
    if (found.kind === 'found') {
      lambda = found.value.role ? { functionRoleArn: found.value.role } : {};
      // the function's role is what get-function's Configuration.Role says
      if (!found.value.role) {
        const at = found.value.location;
        gaps.set('lambda', `${at.file}#${at.pointer === '' ? '' : at.pointer}/Configuration/Role`);
      }
    } else if (found.kind === 'missing') gaps.set('lambda', found.file);
  }

  // the state machine a StepFunctions action starts, when a template defines it: its type says
  // whether CodePipeline polls DescribeExecution (catalog.ts: StepFunctions.StateMachineType)
  let stateMachine: ActionFacts['stateMachine'];
  if (action.provider === 'StepFunctions' && isAwsOwned(action) && cfg['StateMachineArn']) {
    const arn = parseArn(cfg['StateMachineArn']);
    if (arn && arn.service === 'states' && arn.resource.startsWith('stateMachine:')) {
      // `stateMachine:<name>`, or a version or alias of it: `stateMachine:<name>:<qualifier>`
      const name = arn.resource.slice('stateMachine:'.length).split(':')[0]!;
      const found = model.accounts
        .get(arn.account)
        ?.regions.get(arn.region)
        ?.stateMachines?.get(name);
      if (found) stateMachine = found.type !== undefined ? { type: found.type } : {};
    }
  }

  const stackSet =
    STACKSET_PROVIDERS.has(action.provider) && isAwsOwned(action)
      ? stackSetFacts(pipeline, action, actionRegion, actionAccount)
      : undefined;

  const replicatedInputs = replicatedInputsOf(
    model,
    pipeline,
    action,
    producers,
    actionRegion,
    gaps,
  );

  let notificationTopic: ActionFacts['notificationTopic'];
  const topicArn =
    action.provider === 'Manual' ? parseArn(cfg['NotificationArn'] ?? '') : undefined;
  if (topicArn && topicArn.service === 'sns') {
    const found = findSnsTopic(model, topicArn.account, topicArn.region, topicArn.resource);
    if (found.kind === 'found') {
      const id = found.value.kmsMasterKeyId;
      // a key id or alias names a key of the topic's account and region
      // (https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html, KmsMasterKeyId)
      notificationTopic = id
        ? { keyArn: keyArnOf(model, id, topicArn.account, topicArn.region, topicArn.partition) }
        : {};
    } else if (found.kind === 'missing') gaps.set('notificationTopic', found.file);
  }

  const eventsRules: EventsRuleFacts[] = [];
  let triggerSetAside: readonly string[] | undefined;
  if (stage === pipeline.stages[0]) {
    const events = model.accounts.get(pipeline.account)?.regions.get(pipeline.region)?.events;
    if (events) {
      const found = sourceChangeEvents(
        action,
        partition,
        actionRegion,
        actionAccount,
        s3Source?.bucketAccount,
      );
      // an account the input does not settle names where it is set (the action's role)
      const changes =
        found && !isAccountId(found.account)
          ? { ...found, accountPlaces: unresolvedIn(model, action.roleArn ?? '') }
          : found;
      const { starting, setAside } = rulesStarting(model, events, pipeline, changes, partition);
      eventsRules.push(...starting);
      // without any rule that may start the pipeline on this source's changes, events.json is
      // what says so (a rule whose targets were not read names their place: unreadTargets), and
      // the rules that target the pipeline but were set aside are named, with why
      if (starting.length === 0) {
        gaps.set(
          'events',
          events.location.pointer === ''
            ? events.location.file
            : `${events.location.file}#${events.location.pointer}`,
        );
        if (setAside.length > 0) triggerSetAside = setAside;
      }
    } else gaps.set('events', snapshotPath.events(pipeline.account, pipeline.region));
  }
  const eventsRule = eventsRules[0]?.facts;

  const facts: ActionFacts = {
    partition,
    region: pipeline.region,
    account: pipeline.account,
    pipelineName: pipeline.name,
    ...(pipeline.roleArn ? { pipelineRoleArn: pipeline.roleArn } : {}),
    stageName: stage.name,
    actionName: action.name,
    category: action.category,
    // the catalog's providers are AWS's: a Custom or ThirdParty action type of the same name is
    // another action (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionTypeId.html)
    provider: isAwsOwned(action) ? action.provider : `${action.owner}/${action.provider}`,
    actionRegion,
    actionAccount,
    ...(action.roleArn ? { actionRoleArn: action.roleArn } : {}),
    configuration: cfg,
    inputArtifacts: action.inputArtifacts,
    outputArtifacts: action.outputArtifacts,
    ...(artifactStore ? { artifactStore } : {}),
    ...(codebuild ? { codebuild } : {}),
    ...(replicatedInputs.length > 0 ? { replicatedInputs } : {}),
    ...(cloneRefSources ? { cloneRefSources } : {}),
    ...(cloneRefUnknown ? { cloneRefUnknown } : {}),
    ...(codedeploy ? { codedeploy } : {}),
    ...(ecs ? { ecs } : {}),
    ...(s3Source ? { s3Source } : {}),
    ...(s3Deploy ? { s3Deploy } : {}),
    ...(notificationTopic ? { notificationTopic } : {}),
    ...(lambda ? { lambda } : {}),
    ...(stateMachine ? { stateMachine } : {}),
    ...(stackSet ? { stackSet } : {}),
    ...(eventsRule ? { eventsRule } : {}),
    ...(triggerSetAside ? { triggerSetAside } : {}),
  };
  const configuredKey = store?.encryptionKey?.id;
  const storeKeyFailure =
    (artifactStore &&
      keyOfAnotherRegion(pipeline, configuredKey, artifactStore.keyArn, actionRegion)) ||
    (artifactStore &&
    configuredKey !== undefined &&
    actionAccount !== pipeline.account &&
    !isKeyArn(configuredKey)
      ? {
          keyArn: artifactStore.keyArn,
          why:
            `the artifact store names its key \`${configuredKey}\`, which AWS resolves in the action's account ` +
            `\`${actionAccount}\`, not in \`${pipeline.account}\` ("for cross-account actions, you can only use ` +
            'the key ID or key ARN"): set encryptionKey.id to the key ARN',
        }
      : undefined);
  return {
    facts,
    gaps,
    ...(storeKeyFailure ? { storeKeyFailure } : {}),
    ...(eventsRules.length > 1 ? { eventsRules } : {}),
  };
}

/**
 * The artifact store of `region` naming its key by the ARN of a key (or alias) of another region:
 * every call on it fails whatever the policies say. "You must create the artifact bucket and
 * encryption key in the same AWS Region" as the actions that use them, and "for each entry in the
 * mapping, the resources must be in the respective AWS Region"
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html);
 * S3 encrypts a bucket's objects with a key of the bucket's region
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html). A key id or
 * alias name is resolved in the region itself: only an ARN can name another. A region the input
 * does not settle (a placeholder) is not compared.
 */
function keyOfAnotherRegion(
  pipeline: PipelineModel,
  configured: string | undefined,
  keyArn: string | undefined,
  region: string,
): { keyArn: string; why: string; fix: string } | undefined {
  if (configured === undefined || keyArn === undefined) return undefined;
  const arn = parseArn(configured);
  // a key of the store's own region, the usual case, first: no region name to check then
  if (!arn || arn.service !== 'kms' || arn.region === region) return undefined;
  if (!isRegionName(arn.region) || !isRegionName(region)) return undefined;
  return {
    keyArn,
    why:
      `the artifact store of \`${region}\` names its key \`${configured}\`, a key of \`${arn.region}\`: ` +
      `the artifact bucket and its key must be in the same region, and S3 does not encrypt or decrypt ` +
      `the artifacts of a bucket of \`${region}\` with a key of another region`,
    fix:
      `set \`encryptionKey.id\` of the artifact store of pipeline \`${pipeline.name}\` in \`${region}\` ` +
      `to the ARN of a key of \`${region}\` (a key created there, or the replica there of a multi-Region key) ` +
      `in place of \`${configured}\``,
  };
}

/** One EventBridge rule target that starts the pipeline, as the catalog's eventsRule facts. */
export interface EventsRuleFacts {
  /** the rule name, and the target id when the rule has several targets on the pipeline */
  readonly label: string;
  readonly facts: NonNullable<ActionFacts['eventsRule']>;
}

/**
 * Every target of an enabled rule that starts the pipeline on the source action's changes, each
 * with its own role: any of them may start a run, so each must be allowed to. A DISABLED rule
 * starts nothing (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html:
 * State; one whose state the input does not settle may be: eventsRuleTargets.ts unsettledRule),
 * a rule whose event pattern cannot match the action's change events does not start the
 * pipeline on them (ruleMatch), and a target's RoleArn is what EventBridge assumes to call it
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html): a target without
 * one cannot start the pipeline (eventsRuleTargets.ts: targetRoleFailure). A rule whose targets
 * the input does not hold may start it (eventsRuleTargets.ts: unreadTargets).
 *
 * AWS services send their events to the default event bus of the account and Region of the
 * resource ("Your account's default event bus receives events from AWS services",
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EventBus.html;
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html): a rule on
 * another bus sees a source's changes only if a rule on the default bus sends them there, so it
 * is set aside (when no other rule starts the pipeline its links are Unknown, naming it). A
 * source of another account than the pipeline's sends its changes to that account's default
 * bus: a rule of the pipeline's account sees them only if a rule there sends them on, and the
 * receiving bus's policy lets it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html),
 * which the snapshot does not hold: such a rule's links are Unknown, naming what would settle it.
 *
 * `setAside` lists, in words, the rules that target the pipeline (enabled or not) and were not
 * taken, with why: the text of the Unknown trigger when no rule is taken.
 */
function rulesStarting(
  model: Model,
  events: EventsModel,
  pipeline: PipelineModel,
  changes: SourceChanges | undefined,
  partition: string,
): { starting: EventsRuleFacts[]; setAside: string[] } {
  const out: EventsRuleFacts[] = [];
  const setAside: string[] = [];
  const crossAccount = changes !== undefined && changes.account !== pipeline.account;
  for (const rule of events.rules.values()) {
    // the targets first: a rule that starts other pipelines only is not this one's, whatever
    // its pattern (which is then not read)
    const targets = rule.targets?.filter((t) => t.arn === pipeline.arn);
    if (targets !== undefined && targets.length === 0) continue;
    // a rule whose targets were not read may target the pipeline: it is not named when set aside
    const named = (why: string): void => {
      if (targets !== undefined) setAside.push(`\`${rule.name}\` ${why}`);
    };
    if (rule.state === 'DISABLED') {
      named('is DISABLED, and a DISABLED rule starts nothing');
      continue;
    }
    if (!crossAccount && !isDefaultBus(rule.eventBusName, pipeline.region)) {
      named(
        `is on event bus \`${rule.eventBusName}\`, and AWS services send their events to the default event bus: it sees these changes only if a rule on the default bus sends them there`,
      );
      continue;
    }
    const match = ruleMatch(rule, changes?.events);
    if (match === 'schedule') {
      named('has a schedule and no event pattern: it starts the pipeline by time, not on changes');
      continue;
    }
    if (typeof match === 'object') {
      named(
        `has an event pattern that does not match these changes (${match.fields.map((f) => `\`${f}\``).join(', ')})`,
      );
      continue;
    }
    // what leaves the rule's links Unknown: its state or targets (eventsRuleTargets.ts), a
    // pattern that cannot be read (unless its state says so already: the snapshot loader makes
    // the state of a rule with an unreadable pattern a placeholder), a source of another account
    const state = unsettledRule(model, rule);
    const pattern =
      match === 'unreadable' && state === undefined ? unreadablePattern(model, rule) : undefined;
    const also = mergeUnsettled(
      pattern,
      crossAccount
        ? crossAccountTrigger(model, pipeline, changes, rule, partition)
        : unsettledBus(model, rule),
    );
    // a source of a settled other account puts its changes on the rule's bus: the bus's policy
    // must let it (eventBusPolicy.ts), a link of its own, needed when the rule starts the
    // pipeline (Unknown when the rule's state, targets or pattern leave that open)
    const send = (open: EventsRuleUnsettled | undefined): { crossAccount?: CrossAccountSend } =>
      crossAccount && isAccountId(changes.account)
        ? {
            crossAccount: {
              sender: changes.account,
              busArn: busArn(partition, pipeline.region, pipeline.account, rule.eventBusName),
              what: changes.what,
              ...(open ? { unsettled: open } : {}),
            },
          }
        : {};
    if (targets === undefined) {
      // the rule's targets are not in the input: it may start this pipeline, with a role that
      // is not known (its trigger links are Unknown, naming where the targets would be)
      const unread = unreadRuleFacts(model, events, rule);
      out.push({
        label: rule.name,
        facts: {
          ...unread,
          unsettled: mergeUnsettled(unread.unsettled, also)!,
          ...send(mergeUnsettled(unread.unsettled, pattern)),
        },
      });
      continue;
    }
    const unsettled = mergeUnsettled(state, also);
    const sendOpen = mergeUnsettled(state, pattern);
    targets.forEach((target, index) => {
      out.push({
        label: ruleTargetLabel(rule.name, target, index, targets.length),
        facts: {
          ...ruleTargetFacts(rule, target),
          // a target without RoleArn cannot start the pipeline, as for a schedule
          ...failureOf(targetRoleFailure(rule, target)),
          ...(unsettled ? { unsettled } : {}),
          ...send(sendOpen),
        },
      });
    });
  }
  return { starting: out, setAside };
}

const failureOf = (failure: EventsRuleFailure | undefined): { failure?: EventsRuleFailure } =>
  failure ? { failure } : {};

/** Both reasons a rule's links are Unknown, when both hold. */
function mergeUnsettled(
  a: EventsRuleUnsettled | undefined,
  b: EventsRuleUnsettled | undefined,
): EventsRuleUnsettled | undefined {
  if (!a || !b) return a ?? b;
  return { why: `${a.why}; ${b.why}`, missing: [...new Set([...a.missing, ...b.missing])] };
}

/**
 * A rule on an event bus the input does not settle (a template value): isDefaultBus does not say
 * it is another, yet on another bus it does not see the source's changes (rulesStarting), so its
 * links are Unknown, naming where the bus is set.
 */
function unsettledBus(model: Model, rule: EventRuleModel): EventsRuleUnsettled | undefined {
  const bus = rule.eventBusName;
  if (bus === undefined || !PLACEHOLDER_PATTERN.test(bus)) return undefined;
  return {
    why: `the event bus of EventBridge rule \`${rule.name}\` is not settled, and AWS services send their events to the default event bus: on another bus it does not see these changes`,
    missing: unresolvedIn(model, bus),
  };
}

/**
 * A rule whose event pattern cannot be read (the loader reported it as an input error, and made
 * it a placeholder at its place; a template pattern it could not settle): whether it matches the
 * source's changes is not known, so its links are Unknown, naming the pattern's place.
 */
function unreadablePattern(model: Model, rule: EventRuleModel): EventsRuleUnsettled {
  const places = unresolvedIn(model, rule.eventPattern ?? '');
  const at = rule.location;
  return {
    why: `the event pattern of EventBridge rule \`${rule.name}\` could not be read, so whether it matches these changes is not known`,
    missing:
      places.length > 0
        ? places
        : [
            at.line !== undefined
              ? `${at.file}:${at.line}`
              : `${at.file}#${at.pointer}/EventPattern`,
          ],
  };
}

/**
 * A rule of the pipeline's account for a source of another account: the source's changes go to
 * the default event bus of the source's account and Region (API_EventBus.html, above), and reach
 * the rule's bus only through a rule there whose target is that bus, and only if the bus's
 * resource policy lets the source's account put events on it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html). Whether a rule
 * there sends them on is never settled: Unknown, naming the source account's rules (and whether
 * they hold one that may send the changes on), in the terms of the input (a snapshot file, or a
 * stack of the source's account for templates). The bus policy is checked by a link of its own
 * (trigger.cross-account-put-events, eventBusPolicy.ts) when the source's account is settled;
 * these links name it too while no input gives it (a snapshot holds none; templates write it as
 * AWS::Events::EventBusPolicy).
 */
function crossAccountTrigger(
  model: Model,
  pipeline: PipelineModel,
  changes: SourceChanges,
  rule: EventRuleModel,
  partition: string,
): EventsRuleUnsettled {
  const bus = busArn(partition, pipeline.region, pipeline.account, rule.eventBusName);
  if (!isAccountId(changes.account)) {
    // the account of the source is a value the input does not settle (an action role the
    // template does not resolve): it may be another account, whose bus the rule does not see
    return {
      why: `the account of ${changes.what} is not settled (\`${changes.account}\`): if it is not the pipeline's account \`${pipeline.account}\`, AWS sends its changes to that account's default event bus, and EventBridge rule \`${rule.name}\` sees them only if a rule there sends them to event bus \`${bus}\``,
      missing: changes.accountPlaces ?? [],
    };
  }
  const source = model.accounts.get(changes.account)?.regions.get(changes.region)?.events;
  // templates alone: no snapshot file would settle it, a stack of the source's account would
  // (the AWS CDK puts the rule that sends a source's changes to another account's bus in the
  // source's stack)
  const fromTemplates = model.source === 'template';
  const file = source
    ? source.location.pointer === ''
      ? source.location.file
      : `${source.location.file}#${source.location.pointer}`
    : fromTemplates
      ? `a template of account \`${changes.account}\` in \`${changes.region}\` with an AWS::Events::Rule on its default event bus that sends ${changes.what}'s changes to \`${bus}\` (the input has no stack of that account and Region)`
      : snapshotPath.events(changes.account, changes.region);
  let held = '';
  let rulesMissing = file;
  if (source) {
    const senders = [...source.rules.values()]
      .filter(
        (r) =>
          r.state !== 'DISABLED' &&
          isDefaultBus(r.eventBusName, changes.region) &&
          (r.targets === undefined || r.targets.some((t) => t.arn === bus)) &&
          mayMatch(ruleMatch(r, changes.events)),
      )
      .map((r) => `\`${r.name}\``);
    held =
      senders.length > 0
        ? `; rule ${senders.join(', ')} of \`${changes.account}\` may send them there`
        : `; \`${file}\` holds no enabled rule on the default event bus that sends them there`;
    if (senders.length === 0)
      rulesMissing = `${file} (a rule on the default event bus that sends ${changes.what}'s changes to \`${bus}\`, which it does not hold)`;
  }
  // the bus's policy as the templates write it: its own link checks it
  const busName = parseArn(bus)?.resource.replace(/^event-bus\//, '');
  const policyGiven =
    busName !== undefined && findEventBus(model, pipeline.account, pipeline.region, busName);
  return {
    why: `${changes.what} is in account \`${changes.account}\`, not the pipeline's account \`${pipeline.account}\`: AWS sends its changes to the default event bus of \`${changes.account}\` in \`${changes.region}\`, so EventBridge rule \`${rule.name}\` sees them only if a rule there sends them to event bus \`${bus}\` and that bus's resource policy lets \`${changes.account}\` put events on it${held}`,
    missing: [
      rulesMissing,
      // the AWS CDK writes the policy as an AWS::Events::EventBusPolicy of a support stack
      // (EventBusPolicy-<source account>-<region>-<pipeline account>)
      ...(policyGiven ? [] : [busPolicyPlace(model, bus, pipeline.account, changes.account)]),
    ],
  };
}

/** The ARN of event bus `bus` (a name or ARN; undefined: the default one) of an account. */
function busArn(
  partition: string,
  region: string,
  account: string,
  bus: string | undefined,
): string {
  if (bus?.startsWith('arn:')) return bus;
  return `arn:${partition}:events:${region}:${account}:event-bus/${bus || 'default'}`;
}

/**
 * The events a source action's changes send to EventBridge (`events`: one per shape), the
 * account and Region of the default event bus they go to, and the source in words.
 */
interface SourceChanges {
  readonly events: readonly ChangeEvent[];
  readonly account: string;
  /** where the account is set, when the input does not settle it */
  readonly accountPlaces?: readonly string[];
  readonly region: string;
  readonly what: string;
}

/**
 * One shape of the events a source action's changes send to EventBridge, as far as a rule's
 * pattern can tell them apart: the values at each path (keys joined by PATH_SEP; undefined when
 * the action's value is not settled; several when AWS sends one of several events for a change,
 * any of which starts the pipeline), and the paths of the other shapes, which this one does not
 * have. Paths not listed are not known: a pattern on them may match.
 */
interface ChangeEvent {
  readonly values: ReadonlyMap<string, readonly string[] | undefined>;
  readonly absent: ReadonlySet<string>;
}

const PATH_SEP = '\u0000';
const at = (...keys: string[]): string => keys.join(PATH_SEP);

/**
 * The events that start a pipeline on a source action's changes
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/change-detection-methods.html), by
 * the fields that name what changed and what kind of change it is; undefined for a source
 * EventBridge does not detect changes of (a rule's pattern is then not compared). Every event
 * has `source`, `detail-type`, `region` (the Region of the resource, that of the source action:
 * CodePipeline has no cross-Region source actions) and `account`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html):
 * - CodeCommit: a push to the branch is a `CodeCommit Repository State Change` with
 *   `detail.event` `referenceCreated` (a new branch) or `referenceUpdated`,
 *   `detail.referenceType` `branch`, `resources` the repository ARN, `detail.repositoryName`,
 *   `detail.referenceName` the branch and `detail.referenceFullName` `refs/heads/<branch>`, of
 *   the repository's account
 *   (https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html, and the rule
 *   CodePipeline creates: https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-repo-changes-cli.html);
 * - ECR, two ways: a push of the image is an `ECR Image Action` with `detail.action-type` `PUSH`
 *   and `detail.result` `SUCCESS`, `detail.repository-name` and `detail.image-tag`, which
 *   defaults to `latest`, of the registry's account
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html,
 *   https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECR.html), and the
 *   PutImage call through CloudTrail, `AWS API Call via CloudTrail` with `detail.eventName`
 *   `PutImage` and `detail.requestParameters.repositoryName` and `.imageTag` (the rule the CDK
 *   writes for an ECR source);
 * - S3, two ways (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-s3.html): API
 *   calls through CloudTrail, `AWS API Call via CloudTrail` with `detail.eventSource`
 *   `s3.amazonaws.com`, `detail.eventName` `PutObject`, `CopyObject` or `CompleteMultipartUpload`,
 *   `detail.requestParameters.bucketName` and `.key` (the rule CodePipeline documents:
 *   https://docs.aws.amazon.com/codepipeline/latest/userguide/create-cloudtrail-S3-source-cli.html;
 *   the account of these is not compared), or the bucket's own EventBridge notifications,
 *   `Object Created` with `resources` the bucket ARN, `detail.bucket.name` and
 *   `detail.object.key`, of the bucket owner's account
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html,
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html,
 *   https://docs.aws.amazon.com/codepipeline/latest/userguide/create-S3-source-events.html).
 * `account` is the account of the resource: the action role's (the pipeline's without one), or
 * for S3 that of the bucket when the input holds it.
 */
function sourceChangeEvents(
  action: ActionModel,
  partition: string,
  region: string,
  account: string,
  bucketAccount: string | undefined,
): SourceChanges | undefined {
  if (action.category !== 'Source' || !isAwsOwned(action)) return undefined;
  const cfg = action.configuration;
  const settled = (v: string | undefined): string[] | undefined =>
    v === undefined || v === '' || PLACEHOLDER_PATTERN.test(v) ? undefined : [v];
  const event = (values: [string, string[] | undefined][], absent: string[] = []): ChangeEvent => ({
    values: new Map(values),
    absent: new Set(absent),
  });
  const envelope = (detailType: string, owner?: string): [string, string[] | undefined][] => [
    [at('detail-type'), [detailType]],
    [at('region'), settled(region)],
    ...(owner !== undefined
      ? [
          [at('account'), isAccountId(owner) ? [owner] : undefined] as [
            string,
            string[] | undefined,
          ],
        ]
      : []),
  ];
  const shown = (v: string | undefined): string => `\`${v || '?'}\``;
  switch (action.provider) {
    case 'CodeCommit': {
      const repo = settled(cfg['RepositoryName']);
      const branch = settled(cfg['BranchName']);
      return {
        account,
        region,
        what: `CodeCommit repository ${shown(cfg['RepositoryName'])}`,
        events: [
          event([
            [at('source'), ['aws.codecommit']],
            ...envelope('CodeCommit Repository State Change', account),
            [
              at('resources'),
              repo && [`arn:${partition}:codecommit:${region}:${account}:${repo[0]}`],
            ],
            [at('detail', 'event'), ['referenceCreated', 'referenceUpdated']],
            [at('detail', 'referenceType'), ['branch']],
            [at('detail', 'repositoryName'), repo],
            [at('detail', 'referenceName'), branch],
            [at('detail', 'referenceFullName'), branch && [`refs/heads/${branch[0]}`]],
          ]),
        ],
      };
    }
    case 'ECR': {
      const repository = settled(cfg['RepositoryName']);
      const tag = settled(cfg['ImageTag'] || 'latest');
      const imageAction = [
        at('detail', 'action-type'),
        at('detail', 'result'),
        at('detail', 'repository-name'),
        at('detail', 'image-tag'),
      ];
      const trail = [
        at('detail', 'eventSource'),
        at('detail', 'eventName'),
        at('detail', 'requestParameters', 'repositoryName'),
        at('detail', 'requestParameters', 'imageTag'),
      ];
      return {
        account,
        region,
        what: `ECR repository ${shown(cfg['RepositoryName'])}`,
        events: [
          event(
            [
              [at('source'), ['aws.ecr']],
              ...envelope('ECR Image Action', account),
              [imageAction[0]!, ['PUSH']],
              [imageAction[1]!, ['SUCCESS']],
              [imageAction[2]!, repository],
              [imageAction[3]!, tag],
            ],
            trail,
          ),
          // the push as an API call through CloudTrail, which the CDK's EcrSourceAction matches
          // (Repository.onCloudTrailImagePushed: `eventName` PutImage and the repository and tag
          // under `requestParameters`, https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ecr.Repository.html#oncloudtrailimagepushedid-options;
          // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html);
          // the account of these is not compared, as for S3's
          event(
            [
              [at('source'), ['aws.ecr']],
              ...envelope('AWS API Call via CloudTrail'),
              [trail[0]!, ['ecr.amazonaws.com']],
              [trail[1]!, ['PutImage']],
              [trail[2]!, repository],
              [trail[3]!, tag],
            ],
            imageAction,
          ),
        ],
      };
    }
    case 'S3': {
      const bucket = settled(cfg['S3Bucket']);
      const key = settled(cfg['S3ObjectKey']);
      const trail = [
        at('detail', 'eventSource'),
        at('detail', 'eventName'),
        at('detail', 'requestParameters', 'bucketName'),
        at('detail', 'requestParameters', 'key'),
      ];
      const notification = [at('detail', 'bucket', 'name'), at('detail', 'object', 'key')];
      return {
        account: bucketAccount ?? account,
        region,
        what: `S3 bucket ${shown(cfg['S3Bucket'])}`,
        events: [
          event(
            [
              [at('source'), ['aws.s3']],
              ...envelope('AWS API Call via CloudTrail'),
              [trail[0]!, ['s3.amazonaws.com']],
              [trail[1]!, ['PutObject', 'CopyObject', 'CompleteMultipartUpload']],
              [trail[2]!, bucket],
              [trail[3]!, key],
            ],
            notification,
          ),
          event(
            [
              [at('source'), ['aws.s3']],
              ...envelope('Object Created', bucketAccount ?? ''),
              [at('resources'), bucket && [`arn:${partition}:s3:::${bucket[0]}`]],
              [notification[0]!, bucket],
              // a key with characters URL encoding would change is not compared: how the event
              // writes them is not settled here
              [notification[1]!, key && /^[A-Za-z0-9/._~-]*$/.test(key[0]!) ? key : undefined],
            ],
            trail,
          ),
        ],
      };
    }
    default:
      return undefined;
  }
}

/**
 * Whether a rule may start the pipeline on one of `changes` (undefined: not compared, may):
 * `may`; `schedule` for a rule with a schedule and no pattern, started by time, not by changes
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html); `unreadable`
 * for a pattern that cannot be read (its links are Unknown: rulesStarting); else the fields of
 * its pattern that rule each change event out. Its event pattern must match the event: "the
 * event must contain all the field names listed in the event pattern", with one of the values
 * it lists there, and the fields it does not give match anything
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html). Only the
 * fields ChangeEvent knows are compared, as exact strings or with the comparison operators
 * (prefix, suffix, equals-ignore-case, wildcard, anything-but, exists, numeric, cidr:
 * eventPatternOperators.ts); what is not decided there may match.
 */
function ruleMatch(
  rule: EventRuleModel,
  changes: readonly ChangeEvent[] | undefined,
): 'may' | 'schedule' | 'unreadable' | { readonly fields: readonly string[] } {
  const pattern = rule.eventPattern;
  if (pattern === undefined || pattern === '')
    return rule.scheduleExpression === undefined || rule.scheduleExpression === ''
      ? 'may'
      : 'schedule';
  const parsed = parsedPattern(rule, pattern);
  if (parsed === UNREADABLE_PATTERN) return 'unreadable';
  if (changes === undefined) return 'may';
  const fields = new Set<string>();
  for (const e of changes) {
    const failed = patternMismatch(parsed, e, [], 0);
    if (failed === undefined) return 'may';
    fields.add(failed);
  }
  return { fields: [...fields] };
}

/** Whether a rule (ruleMatch) may match the changes: a pattern that cannot be read may. */
const mayMatch = (m: ReturnType<typeof ruleMatch>): boolean => m === 'may' || m === 'unreadable';

/** A rule's event pattern that is not JSON, or not a JSON object. */
const UNREADABLE_PATTERN = Symbol('unreadable event pattern');

/**
 * Each rule's event pattern, parsed once (a region's rules are compared with the change events
 * of every source action that a rule targets): keyed by the rule object, with the pattern text
 * it was parsed from, so a rule is never compared on another text than its own.
 */
const parsedPatterns = new WeakMap<
  EventRuleModel,
  { readonly text: string; readonly parsed: Record<string, unknown> | typeof UNREADABLE_PATTERN }
>();

function parsedPattern(
  rule: EventRuleModel,
  text: string,
): Record<string, unknown> | typeof UNREADABLE_PATTERN {
  const cached = parsedPatterns.get(rule);
  if (cached !== undefined && cached.text === text) return cached.parsed;
  let parsed: Record<string, unknown> | typeof UNREADABLE_PATTERN = UNREADABLE_PATTERN;
  try {
    const json: unknown = JSON.parse(text);
    if (isPlainObject(json)) parsed = json;
  } catch {
    // not JSON (the loaders report it, and make it a placeholder): not read
  }
  parsedPatterns.set(rule, { text, parsed });
  return parsed;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Nesting past which a pattern is not compared (it may match): the change events' fields are at
 * most three levels deep, and EventBridge takes patterns of at most 4,096 characters
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html), so only a
 * hostile file nests deeper, and it must not overflow the stack.
 */
const MAX_PATTERN_DEPTH = 32;

/**
 * Where a pattern object (at `path` of the event) rules the event out: the field (its keys
 * joined by dots), or undefined when it may match.
 */
function patternMismatch(
  pattern: Record<string, unknown>,
  event: ChangeEvent,
  path: readonly string[],
  depth: number,
): string | undefined {
  if (depth > MAX_PATTERN_DEPTH) return undefined;
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      // one of the patterns listed must match (an $or that is not a list is not decided)
      if (
        Array.isArray(value) &&
        value.length > 0 &&
        !value.some(
          (p) => !isPlainObject(p) || patternMismatch(p, event, path, depth + 1) === undefined,
        )
      )
        return [...path, '$or'].join('.');
      continue;
    }
    const inner = [...path, key];
    if (Array.isArray(value)) {
      if (!valuesMayMatch(value, event, at(...inner))) return inner.join('.');
    } else if (isPlainObject(value)) {
      const failed = patternMismatch(value, event, inner, depth + 1);
      if (failed !== undefined) return failed;
    }
    // anything else is no pattern EventBridge takes (the loaders report it): not decided
  }
  return undefined;
}

/**
 * Whether one of a pattern field's values may match the event's field `path`: an exact string,
 * or a comparison operator (eventPatternOperators.ts), which may leave it undecided. A field
 * with several values (one of several events) matches when one of them does.
 */
function valuesMayMatch(values: readonly unknown[], event: ChangeEvent, path: string): boolean {
  if (values.length === 0) return true;
  const absent = event.absent.has(path);
  // a field the events are not known to have or lack: not compared
  if (!absent && !event.values.has(path)) return true;
  const actual = absent ? undefined : event.values.get(path);
  const field = { present: !absent, values: actual };
  return values.some((v) => {
    if (isPlainObject(v)) return operatorMatch(v, field) !== false;
    // a field the event does not have matches no value
    if (absent || typeof v !== 'string') return false;
    return PLACEHOLDER_PATTERN.test(v) || actual === undefined || actual.includes(v);
  });
}

/**
 * The links and unknowns of an action, with those of the pipeline trigger expanded once for
 * every rule that starts the pipeline (`eventsRules`, from actionFacts) rather than for the
 * first one only. `ruleOf` gives the rule (its label, and the facts it was expanded with) of each
 * trigger link and unknown when there are several.
 */
export function expandWithEveryRule(
  catalog: Catalog,
  facts: ActionFacts,
  eventsRules: readonly EventsRuleFacts[] | undefined,
  options: { readonly pipelineScope?: boolean },
): ReturnType<typeof expandAction> & {
  ruleOf: ReadonlyMap<object, { readonly label: string; readonly facts: ActionFacts }>;
} {
  const ruleOf = new Map<object, { readonly label: string; readonly facts: ActionFacts }>();
  if (!eventsRules || eventsRules.length < 2)
    return { ...expandAction(catalog, facts, options), ruleOf };
  const isTrigger = (id: string): boolean => catalog.byId.get(id)?.provider === 'PipelineTrigger';
  const links: ExpandedLink[] = [];
  const unknowns: { requirementId: string; reason: string }[] = [];
  eventsRules.forEach((rule, i) => {
    const ruleFacts: ActionFacts = { ...facts, eventsRule: rule.facts };
    const tag = { label: rule.label, facts: ruleFacts };
    const e = expandAction(catalog, ruleFacts, options);
    for (const l of e.links) {
      if (!isTrigger(l.requirementId)) {
        if (i === 0) links.push(l);
        continue;
      }
      ruleOf.set(l, tag);
      links.push(l);
    }
    for (const u of e.unknowns) {
      if (!isTrigger(u.requirementId)) {
        if (i === 0) unknowns.push(u);
        continue;
      }
      ruleOf.set(u, tag);
      unknowns.push(u);
    }
  });
  return { links, unknowns, ruleOf };
}

/**
 * A blue/green ECS deployment registers the task definition written in its task definition
 * template (`TaskDefinitionTemplatePath`, default `taskdef.json`, of the input artifact
 * `TaskDefinitionTemplateArtifact`), read at run time: known when the user gave the artifact's
 * files (src/load/artifacts.ts). A role written as a name rather than an ARN (ECS takes a name
 * for the task role) is a role of the account that registers the task definition: its ARN is
 * looked up there, and unknown when the input does not hold it.
 */
function blueGreenTaskDefinition(
  model: Model,
  pipeline: PipelineModel,
  action: ActionModel,
  account: string,
  artifacts: SuppliedArtifacts,
): { facts: NonNullable<ActionFacts['ecs']>; gap?: string } | { gap: string } {
  const cfg = action.configuration;
  const artifact = cfg['TaskDefinitionTemplateArtifact'];
  const path = cfg['TaskDefinitionTemplatePath'] || DEFAULT_TASK_DEFINITION_PATH;
  if (!artifact) return { gap: 'the action configuration TaskDefinitionTemplateArtifact' };
  const td = artifacts.taskDefinitions.get(taskDefinitionKey(pipeline.arn, artifact, path));
  if (!td) {
    return {
      gap: `${path} of input artifact ${artifact}, the task definition template read at run time (give the artifact's files: --artifact ${artifact}=DIR)`,
    };
  }
  if (!td.valid) return { gap: `${td.file}, once its problems are fixed` };
  const roles = roleArnsByName(
    model,
    account,
    [td.taskRoleArn, td.executionRoleArn]
      .filter((r): r is string => r !== undefined)
      .map((role) => ({ role, at: td.file })),
  );
  const facts = {
    taskDefinitionFamily: td.family!,
    ...(roles.gap === undefined ? { passRoleArns: roles.arns } : {}),
  };
  return roles.gap === undefined ? { facts } : { facts, gap: roles.gap };
}

/**
 * The ARNs of a task definition's roles, each an ARN or a role name (`at` says where it is
 * written). A name is the role of that name in the account that registers the task definition:
 * its ARN, with its path, is looked up in that account's roles; `gap` names each role the input
 * does not hold (its ARN is then not known: never guessed without its path).
 */
function roleArnsByName(
  model: Model,
  account: string,
  roles: readonly { readonly role: string; readonly at: string }[],
): { readonly arns: string[]; readonly gap?: string } {
  const arns: string[] = [];
  const unknown: string[] = [];
  const known = model.accounts.get(account)?.iam?.roles;
  for (const { role, at } of roles) {
    if (role.startsWith('arn:')) {
      arns.push(role);
      continue;
    }
    const byName = known ? rolesByName(known).get(role) : undefined;
    if (byName) arns.push(byName.arn);
    else unknown.push(`the role ${role} that ${at} names without its ARN`);
  }
  return unknown.length === 0
    ? { arns }
    : {
        arns,
        gap: `${unknown.join('; ')}, in account ${account} (write its ARN, or give the input that defines the role)`,
      };
}

/**
 * An account's roles (by ARN) by role name, built once per roles map: the first role of each
 * name in the map's order, as a search of the map would find. The map is the loaded model's,
 * not changed while the chain is built; an index built before the map grew is built again.
 */
const roleNameIndexes = new WeakMap<
  ReadonlyMap<string, RoleModel>,
  { readonly size: number; readonly byName: ReadonlyMap<string, RoleModel> }
>();

function rolesByName(roles: ReadonlyMap<string, RoleModel>): ReadonlyMap<string, RoleModel> {
  const cached = roleNameIndexes.get(roles);
  if (cached !== undefined && cached.size === roles.size) return cached.byName;
  const byName = new Map<string, RoleModel>();
  for (const r of roles.values()) if (!byName.has(r.name)) byName.set(r.name, r);
  roleNameIndexes.set(roles, { size: roles.size, byName });
  return byName;
}

// ---------------------------------------------------------------------------------------------
// CloudFormation StackSets
// ---------------------------------------------------------------------------------------------

const STACKSET_PROVIDERS: ReadonlySet<string> = new Set([
  'CloudFormationStackSet',
  'CloudFormationStackInstances',
]);

/**
 * The default CodePipeline uses when the action names no administration role: "If you do not
 * specify the role name, it is set to AWSCloudFormationStackSetAdministrationRole"
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html).
 * It holds when the stack set is created; an update without the setting keeps the stack set's
 * role, so the chain does not assume it (settingsOf) and only names it.
 * The administration role is a role of the administrator account, the account the stack set is
 * created in ("Stack sets are created in this administrator account",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html):
 * the account of the role that calls CreateStackSet, the action's.
 */
const DEFAULT_ADMINISTRATION_ROLE = 'AWSCloudFormationStackSetAdministrationRole';

/** An organizational unit id or an organization root id, which only SERVICE_MANAGED takes. */
const ORG_TARGET = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;

/** Role names: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The unsettled-value text of a configuration value, or undefined when it is settled. */
function unsettledValue(key: string, value: string): string | undefined {
  const placeholder = PLACEHOLDER_PATTERN.exec(value)?.[0];
  return placeholder !== undefined
    ? `configuration \`${key}\` is \`${placeholder}\`, which the input does not settle`
    : undefined;
}

type Settings = Pick<
  StackSetFacts,
  | 'permissionModel'
  | 'permissionModelUnknown'
  | 'administrationRoleArn'
  | 'administrationRoleUnknown'
  | 'executionRoleName'
  | 'executionRoleUnknown'
>;

/**
 * The permission model and roles a CloudFormationStackSet action configures
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html):
 * `PermissionModel` defaults to SELF_MANAGED; `AdministrationRoleArn` and `ExecutionRoleName` are
 * "not used for the SERVICE_MANAGED permissions model". A missing `AdministrationRoleArn` or
 * `ExecutionRoleName` leaves that role unknown: an update keeps the stack set's existing one.
 */
function settingsOf(cfg: Readonly<Record<string, string>>): Settings {
  const model = cfg['PermissionModel'];
  if (model !== undefined && model !== '') {
    const open = unsettledValue('PermissionModel', model);
    if (open !== undefined) return { permissionModelUnknown: open };
    const upper = model.toUpperCase();
    if (upper !== 'SELF_MANAGED' && upper !== 'SERVICE_MANAGED')
      return {
        permissionModelUnknown: `configuration \`PermissionModel\` is \`${model}\`, neither SELF_MANAGED nor SERVICE_MANAGED`,
      };
    if (upper === 'SERVICE_MANAGED') return { permissionModel: 'SERVICE_MANAGED' };
  }
  const out: { -readonly [K in keyof Settings]: Settings[K] } = { permissionModel: 'SELF_MANAGED' };
  const admin = cfg['AdministrationRoleArn'];
  if (admin === undefined || admin === '')
    // Not the default: on an update "If you do not specify a customized administrator role,
    // CloudFormation performs the update using the role previously associated with the
    // StackSet" (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStackSet.html,
    // AdministrationRoleARN); which role that is, no input says (as for ExecutionRoleName)
    out.administrationRoleUnknown = `configuration \`AdministrationRoleArn\` is not set, so an update uses the stack set's existing administration role (${DEFAULT_ADMINISTRATION_ROLE} only if the stack set was created without one), which is not in any input`;
  else {
    const open = unsettledValue('AdministrationRoleArn', admin);
    const arn = parseArn(admin);
    if (open !== undefined) out.administrationRoleUnknown = open;
    else if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/'))
      out.administrationRoleUnknown = `configuration \`AdministrationRoleArn\` is \`${admin}\`, not a role ARN`;
    else out.administrationRoleArn = admin;
  }
  const exec = cfg['ExecutionRoleName'];
  if (exec === undefined || exec === '')
    // Not the default: on an update "If you do not specify a customized execution role,
    // CloudFormation performs the update using the role previously associated with the
    // StackSet" (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStackSet.html,
    // ExecutionRoleName), and whether the stack set exists, and which role it has, no input says
    out.executionRoleUnknown =
      "configuration `ExecutionRoleName` is not set, so an update uses the stack set's existing execution role, which is not in any input";
  else {
    const open = unsettledValue('ExecutionRoleName', exec);
    if (open !== undefined) out.executionRoleUnknown = open;
    else if (!ROLE_NAME.test(exec))
      out.executionRoleUnknown = `configuration \`ExecutionRoleName\` is \`${exec}\`, not a role name`;
    else out.executionRoleName = exec;
  }
  return out;
}

/**
 * The items of a comma-separated list a StackSets action is configured with (`DeploymentTargets`,
 * `Regions`), trimmed, empty ones left out; or why they are not known: a value the input does not
 * settle, or a file of an input artifact read at run time ("in the format
 * InputArtifactName::AccountsFileName", action-reference-StackSets.html).
 */
function configList(
  key: string,
  value: string,
  what: string,
): { readonly items: string[] } | { readonly unknown: string } {
  const open = unsettledValue(key, value);
  if (open !== undefined) return { unknown: open };
  const sep = value.indexOf('::');
  if (sep >= 0)
    return {
      unknown: `configuration \`${key}\` is read at run time from \`${value.slice(sep + 2)}\` of input artifact \`${value.slice(0, sep)}\`, so ${what} are not known`,
    };
  return {
    items: value
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  };
}

/** The targets `DeploymentTargets` lists: accounts and organization ids, or why not known. */
function deploymentTargets(
  value: string | undefined,
): { readonly accounts: string[]; readonly orgIds: string[] } | { readonly unknown: string } {
  if (value === undefined || value.trim() === '')
    // "If no instances are specified and the stack set already exists, all instances are
    // updated" (action-reference-StackSets.html): which accounts those are, no input says
    return {
      unknown:
        "configuration `DeploymentTargets` is not set, so the operation reaches the stack set's existing instances, which the input does not list",
    };
  // a literal list: `account_ID,account_ID` (or organization ids, comma-separated)
  const list = configList('DeploymentTargets', value, 'the target accounts');
  if ('unknown' in list) return list;
  const items = list.items;
  if (items.length === 0)
    return { unknown: `configuration \`DeploymentTargets\` (\`${value}\`) lists no target` };
  const accounts = new Set<string>();
  const orgIds = new Set<string>();
  for (const item of items) {
    if (isAccountId(item)) accounts.add(item);
    else if (ORG_TARGET.test(item)) orgIds.add(item);
    else
      return {
        unknown: `\`${item}\` in configuration \`DeploymentTargets\` is neither an account id nor an organizational unit or root id`,
      };
  }
  return { accounts: [...accounts].sort(), orgIds: [...orgIds].sort() };
}

/**
 * The stack set a StackSets action deploys. A CloudFormationStackSet action names its permission
 * model and roles; a CloudFormationStackInstances action does not (its configuration has only
 * the stack set's name, targets and overrides), and deploys with the stack set's own: taken from
 * the pipeline's CloudFormationStackSet actions of the same stack set (name, region and account),
 * which set them on every run (INF). Without one they are not known, except that targets that are
 * all organization ids make the model SERVICE_MANAGED ("For the SELF_MANAGED permissions model,
 * you can only provide accounts", action-reference-StackSets.html).
 */
function stackSetFacts(
  pipeline: PipelineModel,
  action: ActionModel,
  actionRegion: string,
  actionAccount: string,
): StackSetFacts {
  const cfg = action.configuration;
  const targets = deploymentTargets(cfg['DeploymentTargets']);
  let settings: Settings;
  if (action.provider === 'CloudFormationStackSet') settings = settingsOf(cfg);
  else {
    settings = stackSetSettings(pipeline, action, actionRegion, actionAccount);
    if (
      settings.permissionModel === undefined &&
      'orgIds' in targets &&
      targets.orgIds.length > 0 &&
      targets.accounts.length === 0
    )
      settings = { permissionModel: 'SERVICE_MANAGED' };
  }
  const regions = stackSetRegions(
    cfg,
    action.provider,
    (cfg['DeploymentTargets'] ?? '').trim() !== '',
  );
  let targetAccounts: string[] | undefined;
  let targetsUnknown: string | undefined;
  if ('unknown' in targets) targetsUnknown = targets.unknown;
  else if (settings.permissionModel === 'SELF_MANAGED' && targets.orgIds.length > 0)
    targetsUnknown = `configuration \`DeploymentTargets\` names \`${targets.orgIds[0]}\`, an organization id, which the SELF_MANAGED permission model does not take (accounts only)`;
  else targetAccounts = targets.accounts;
  return {
    ...settings,
    ...(targetAccounts !== undefined ? { targetAccounts } : {}),
    ...(targetsUnknown !== undefined ? { targetsUnknown } : {}),
    ...('regions' in regions ? { regions: regions.regions } : {}),
    ...('unknown' in regions ? { regionsUnknown: regions.unknown } : {}),
    ...('existing' in regions ? { regionsExisting: regions.existing } : {}),
  };
}

/** A Region name (https://docs.aws.amazon.com/general/latest/gr/rande.html#regional-endpoints). */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The Regions a StackSets action deploys stack instances to: `Regions`, "a list of AWS Regions
 * ... in the format `Region1,Region2`" (action-reference-StackSets.html). It is required for a
 * CloudFormationStackInstances action and "When [DeploymentTargets] is selected, you must also
 * select Regions": then a missing value is unknown. A CloudFormationStackSet action without
 * either creates the stack set alone or updates it and its existing instances ("If no instances
 * are specified and the stack set already exists, all instances are updated"), whose Regions no
 * input gives: `existing`, saying so.
 */
function stackSetRegions(
  cfg: Readonly<Record<string, string>>,
  provider: string,
  hasTargets: boolean,
): { readonly regions: string[] } | { readonly unknown: string } | { readonly existing: string } {
  const value = cfg['Regions'];
  if (value === undefined || value.trim() === '') {
    if (provider === 'CloudFormationStackInstances')
      return {
        unknown:
          'configuration `Regions` is not set, which a CloudFormationStackInstances action requires',
      };
    return hasTargets
      ? { unknown: 'configuration `Regions` is not set, which `DeploymentTargets` needs' }
      : {
          existing:
            "the action sets neither `Regions` nor `DeploymentTargets`, so an update reaches the stack set's existing instances, whose Regions are in no input",
        };
  }
  const list = configList('Regions', value, 'the Regions');
  if ('unknown' in list) return list;
  const regions: string[] = [];
  for (const item of list.items) {
    if (!REGION_NAME.test(item))
      return { unknown: `\`${item}\` in configuration \`Regions\` is not a Region name` };
    if (!regions.includes(item)) regions.push(item);
  }
  if (regions.length === 0)
    return { unknown: `configuration \`Regions\` (\`${value}\`) lists no Region` };
  return { regions };
}

/** The settings of the stack set a CloudFormationStackInstances action deploys (stackSetFacts). */
function stackSetSettings(
  pipeline: PipelineModel,
  action: ActionModel,
  actionRegion: string,
  actionAccount: string,
): Settings {
  const name = action.configuration['StackSetName'] ?? '';
  const unknown = (why: string): Settings => ({
    permissionModelUnknown: why,
    administrationRoleUnknown: why,
    executionRoleUnknown: why,
  });
  const open = unsettledValue('StackSetName', name);
  if (open !== undefined) return unknown(open);
  const found: { where: string; settings: Settings }[] = [];
  let unsettled: string | undefined;
  for (const stage of pipeline.stages) {
    for (const other of stage.actions) {
      if (other.unsettled !== undefined) {
        unsettled ??= `${stage.name}/${other.name}`;
        continue;
      }
      if (other.provider !== 'CloudFormationStackSet' || !isAwsOwned(other)) continue;
      const region = other.region ?? pipeline.region;
      const account = (other.roleArn && parseArn(other.roleArn)?.account) || pipeline.account;
      if (other.configuration['StackSetName'] !== name) continue;
      if (region !== actionRegion || account !== actionAccount) continue;
      found.push({
        where: `${stage.name}/${other.name}`,
        settings: settingsOf(other.configuration),
      });
    }
  }
  const at = `stack set \`${name}\` (region \`${actionRegion}\`, account \`${actionAccount}\`)`;
  if (found.length === 0)
    return unknown(
      `the permission model and roles of ${at} are set where it is created, and no CloudFormationStackSet action of pipeline \`${pipeline.name}\` deploys it${unsettled !== undefined ? ` (\`${unsettled}\`, which the input does not settle, may)` : ''}`,
    );
  const first = JSON.stringify(found[0]!.settings);
  const other = found.find((f) => JSON.stringify(f.settings) !== first);
  if (other !== undefined)
    return unknown(
      `the CloudFormationStackSet actions \`${found[0]!.where}\` and \`${other.where}\` deploy ${at} with different permission models or roles`,
    );
  return found[0]!.settings;
}

function isKeyArn(ref: string): boolean {
  const arn = parseArn(ref);
  return arn !== undefined && arn.service === 'kms' && arn.resource.startsWith('key/');
}

/**
 * The parameters and secrets CodeBuild reads with the project's service role before the build
 * starts: the PARAMETER_STORE and SECRETS_MANAGER environment variables of the project, as the
 * action's `EnvironmentVariables` override them by name ("To allow CodeBuild to retrieve custom
 * environment variables stored in Amazon EC2 Systems Manager Parameter Store, you must add the
 * ssm:GetParameters action to your CodeBuild service role",
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html and
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html;
 * action overrides: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html),
 * and a private registry credential stored in Secrets Manager
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-private-registry.html).
 */
function buildReferences(
  project: CodeBuildProjectModel,
  actionVariables: string | undefined,
): { parameters?: string[]; secrets?: string[]; referencesUnknown?: string } {
  // a value only known at run time (a CodePipeline variable in any variable): the loader made
  // the whole text a placeholder, so which variables the action sets is not known
  const placeholder =
    actionVariables !== undefined ? PLACEHOLDER_PATTERN.exec(actionVariables)?.[0] : undefined;
  if (placeholder !== undefined) {
    // the placeholder in the reason lets the chain name its place (unresolvedIn)
    return {
      referencesUnknown: `the action's EnvironmentVariables are \`${placeholder}\`, which the input does not settle`,
    };
  }
  const projectOpen = project.environment?.environmentVariablesUnknown;
  if (projectOpen !== undefined) {
    return {
      referencesUnknown: `the project's environment variables hold \`${projectOpen}\`, which the input does not settle`,
    };
  }
  const fromBuildspec = buildspecNames(project);
  if (!fromBuildspec.ok) return { referencesUnknown: fromBuildspec.reason };
  const byName = new Map<string, { type: string; reference: string | undefined }>();
  for (const v of project.environment?.environmentVariables ?? []) byName.set(v.name, v);
  if (actionVariables !== undefined) {
    // the snapshot loader has made text it cannot read a placeholder (above, reported as
    // snapshot.codepipeline.environment-variables-invalid); text that still cannot be read, or
    // that has a type CodeBuild does not document, leaves the references unknown, never empty
    const problem = actionVariablesProblem(actionVariables);
    if (problem !== undefined)
      return { referencesUnknown: `the action's EnvironmentVariables cannot be read (${problem})` };
    const list: unknown = JSON.parse(actionVariables);
    if (Array.isArray(list)) {
      for (const v of list as Record<string, unknown>[]) {
        if (typeof v?.['name'] !== 'string') continue;
        const type = typeof v['type'] === 'string' ? v['type'] : 'PLAINTEXT';
        const value = typeof v['value'] === 'string' ? v['value'] : undefined;
        byName.set(v['name'], { type, reference: value });
      }
    }
  }
  const parameters = new Set<string>();
  const secrets = new Set<string>();
  for (const v of byName.values()) {
    if (v.reference === undefined || v.reference === '') continue;
    if (v.type === 'PARAMETER_STORE') parameters.add(v.reference);
    else if (v.type === 'SECRETS_MANAGER') secrets.add(v.reference);
  }
  // the buildspec's `env.parameter-store` and `env.secrets-manager` are read the same way; CodeBuild
  // documents no precedence between them and the environment variables, so a variable both set
  // reads both (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store)
  for (const p of fromBuildspec.parameters) parameters.add(p);
  for (const s of fromBuildspec.secrets) secrets.add(s);
  const credential = project.environment?.registryCredential;
  if (credential && credential.credentialProvider === 'SECRETS_MANAGER')
    secrets.add(credential.credential);
  return {
    ...(parameters.size > 0 ? { parameters: [...parameters].sort() } : {}),
    ...(secrets.size > 0 ? { secrets: [...secrets].sort() } : {}),
  };
}

/**
 * The parameters and secrets the project's inline buildspec names in `env.parameter-store` and
 * `env.secrets-manager`, read with the project's service role before the build starts like the
 * environment variables of those types
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager).
 * A buildspec that is a file of the source or an S3 object is not read (README "Known limits").
 * A placeholder (the template does not settle it, or the loader could not read it) or text that
 * cannot be read leaves them unknown, naming the place.
 */
function buildspecNames(
  project: CodeBuildProjectModel,
):
  | { ok: true; parameters: readonly string[]; secrets: readonly string[] }
  | { ok: false; reason: string } {
  const text = project.source?.buildspec;
  if (text === undefined || text === '') return { ok: true, parameters: [], secrets: [] };
  const placeholder = PLACEHOLDER_PATTERN.exec(text)?.[0];
  // the placeholder in the reason lets the chain name its place (unresolvedIn)
  if (placeholder !== undefined)
    return {
      ok: false,
      reason: `the buildspec of project \`${project.name}\` is \`${placeholder}\`, which the input does not settle`,
    };
  if (namesBuildspec(text)) return { ok: true, parameters: [], secrets: [] };
  const refs = buildspecReferences(text);
  if (refs.ok) return refs;
  const at = project.location;
  const pointer = at.pointer.startsWith('/Resources/')
    ? `${propertiesOf(at)}/Source/BuildSpec`
    : `${at.pointer}/source/buildspec`;
  return {
    ok: false,
    reason: `the inline buildspec of project \`${project.name}\` cannot be read (${refs.reason}), so the parameters and secrets it names are not known (${at.file}#${pointer})`,
  };
}

/**
 * A project whose inline buildspec is known and has no `artifacts` section: what the build then
 * uploads for the action's output artifacts AWS does not document (the buildspec reference says
 * the section is "not required if, for example, you are building and pushing a Docker image to
 * Amazon ECR, or you are running unit tests on your source code, but not building it",
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts),
 * so the upload is presumed (CodeBuild.ArtifactsDeclared): only an allow is certain. A buildspec
 * file of the source, one the input does not settle, or one that cannot be read stays as before.
 */
function undeclaredArtifactsOf(project: CodeBuildProjectModel): { undeclaredArtifacts?: string } {
  const text = project.source?.buildspec;
  if (text === undefined || text === '' || namesBuildspec(text) || PLACEHOLDER_PATTERN.test(text))
    return {};
  if (buildspecDeclaresArtifacts(text) !== false) return {};
  const at = project.location;
  const pointer = at.pointer.startsWith('/Resources/')
    ? `${propertiesOf(at)}/Source/BuildSpec`
    : `${at.pointer}/source/buildspec`;
  return {
    undeclaredArtifacts: `an upload of the output artifact by project ${project.name}, whose inline buildspec (${at.file}#${pointer}) has no artifacts section (AWS does not document whether the build then uploads anything)`,
  };
}

const CODECOMMIT_CLONE_URL =
  /^https:\/\/git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/v1\/repos\/([^/?#]+)\/?$/;

/** Secondary source types CodeBuild knows (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html). */
const SOURCE_TYPES = new Set([
  'BITBUCKET',
  'CODECOMMIT',
  'CODEPIPELINE',
  'GITHUB',
  'GITHUB_ENTERPRISE',
  'GITLAB',
  'GITLAB_SELF_MANAGED',
  'NO_SOURCE',
  'S3',
]);

/** Artifact types (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). */
const ARTIFACT_TYPES = new Set(['CODEPIPELINE', 'NO_ARTIFACTS', 'S3']);

/**
 * What a build fetches and writes itself for the project's secondary sources and artifacts, with
 * the project's service role: every secondary source is downloaded into its own directory
 * (`CODEBUILD_SRC_DIR_<sourceIdentifier>`) and every secondary artifact uploaded to its bucket
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-multi-in-out.html); the service
 * role policy grants `codecommit:GitPull` for CodeCommit sources, `s3:GetObject` and
 * `s3:GetObjectVersion` for S3 sources and `s3:PutObject` for S3 artifacts
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html).
 * CODEPIPELINE and NO_SOURCE sources, and CODEPIPELINE and NO_ARTIFACTS artifacts, are the
 * pipeline's artifacts (already links of their own) or nothing. A GitHub, GitHub Enterprise,
 * Bitbucket or GitLab source is fetched with an OAuth app, a token, a Secrets Manager secret
 * holding a token, or a connection. Only a connection or a secret the source names itself
 * (`auth: {type: CODECONNECTIONS | SECRETS_MANAGER, resource: <ARN>}`, "source level
 * credentials", https://docs.aws.amazon.com/codebuild/latest/userguide/multiple-access-tokens.html)
 * is an IAM call of the role to a resource the input names:
 * - a connection: the project role needs `codeconnections:GetConnectionToken` and
 *   `codeconnections:GetConnection` on it
 *   (https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html,
 *   https://docs.aws.amazon.com/codebuild/latest/userguide/connections-bitbucket-app.html,
 *   multiple-access-tokens.html). The catalog asks for the `codestar-connections` twins of both
 *   as well, recommended: the docs do not settle which prefix IAM evaluates (the connections
 *   guide says a policy's prefix must match the ARN's,
 *   https://docs.aws.amazon.com/dtconsole/latest/userguide/security-iam.html; CodePipeline that
 *   UseConnection needs both whatever the ARN's prefix,
 *   https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html);
 * - a secret: the project role needs `secretsmanager:GetSecretValue` on it
 *   (multiple-access-tokens.html, "Grant CodeBuild project IAM role access to Secrets Manager
 *   secrets"). The `kms:Decrypt` the same page adds for a secret encrypted with a customer
 *   managed key is not checked: no snapshot names a secret's key.
 * A source without `auth` uses the project's fallback credential or the account's default one
 * (multiple-access-tokens.html), which no snapshot holds: no link. OAUTH auth makes no link
 * either.
 *
 * A CodeCommit location is its HTTPS clone URL, `https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>`
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html: "the HTTPS
 * clone URL to the repository"); AWS documents no other form for a CodeBuild source, so any other
 * location leaves the repository unknown. An S3 source location is `<bucket>/<key>` of a ZIP
 * file or `<bucket>/<folder>/` (read as every object under the folder); an S3 artifact location
 * is the bucket name, and its path, namespace, name and packaging make the key of its objects
 * (secondaryArtifactObject).
 */
export function secondaryFetches(
  project: CodeBuildProjectModel,
  partition: string,
): Pick<
  CodeBuildProjectFacts,
  | 'secondaryRepositoryArns'
  | 'secondarySourceObjectArns'
  | 'secondaryRepositoriesUnknown'
  | 'secondarySourceObjectsUnknown'
  | 'secondaryConnectionArns'
  | 'secondaryConnectionsUnknown'
  | 'secondarySecrets'
  | 'secondarySecretsUnknown'
  | 'secondaryArtifacts'
  | 'secondaryArtifactsUnknown'
  | 'secondaryArtifactAclBuckets'
  | 'secondaryArtifactAclUnknown'
> {
  const repositories = new Set<string>();
  const objects = new Set<string>();
  const connections = new Set<string>();
  const secrets = new Set<string>();
  // every reason, so that each place the input does not settle is named
  const repositoriesUnknown: string[] = [];
  const objectsUnknown: string[] = [];
  const connectionsUnknown: string[] = [];
  const secretsUnknown: string[] = [];
  const project_ = `project \`${project.name}\``;
  project.secondarySources.forEach((s, i) => {
    const place = secondaryPlace(project, 'sources', i);
    const label = `secondary source ${s.sourceIdentifier ? `\`${s.sourceIdentifier}\`` : i + 1} of ${project_}`;
    const type = s.type;
    const credential = sourceCredential(project, s, label, place);
    // a credential of a kind not known may be a connection or a secret
    const mayConnect = credential !== undefined && credential.kind !== 'secret';
    const mayRead = credential !== undefined && credential.kind !== 'connection';
    let open: string | undefined;
    if (type === undefined || type === '') open = `${label} has no type (${place})`;
    else if (PLACEHOLDER_PATTERN.test(type))
      open = `the type of ${label} is \`${type}\`, which the input does not settle`;
    else if (!SOURCE_TYPES.has(type.toUpperCase()))
      open = `${label} has the type \`${type}\`, which permchain does not know (${place})`;
    if (open !== undefined) {
      // any type: a CodeCommit repository or an S3 object may be fetched, and a source that
      // names a connection or a secret (or may) may be of a provider fetched with it
      repositoriesUnknown.push(open);
      objectsUnknown.push(open);
      if (mayConnect) connectionsUnknown.push(open);
      if (mayRead) secretsUnknown.push(open);
      return;
    }
    if (credential !== undefined && TOKEN_SOURCE_TYPES.has(type!.toUpperCase())) {
      if (credential.id !== undefined)
        (credential.kind === 'connection' ? connections : secrets).add(credential.id);
      else {
        if (mayConnect) connectionsUnknown.push(credential.unknown);
        if (mayRead) secretsUnknown.push(credential.unknown);
      }
    }
    const location = s.location ?? '';
    switch (type!.toUpperCase()) {
      case 'CODECOMMIT': {
        const m = CODECOMMIT_CLONE_URL.exec(location);
        if (m) repositories.add(`arn:${partition}:codecommit:${m[1]}:${project.account}:${m[2]}`);
        else if (location === '')
          repositoriesUnknown.push(
            `CODECOMMIT ${label} has no location, so the repository the build clones is not known (${place})`,
          );
        else
          repositoriesUnknown.push(
            `the location \`${location}\` of CODECOMMIT ${label} is not a CodeCommit HTTPS clone URL (\`https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>\`), so the repository the build clones is not known (${place})`,
          );
        break;
      }
      case 'S3': {
        const path = location.replace(/^\/+/, '');
        if (path === '')
          objectsUnknown.push(
            `S3 ${label} has no location, so the object the build downloads is not known (${place})`,
          );
        else
          objects.add(
            `arn:${partition}:s3:::${!path.includes('/') ? `${path}/*` : path.endsWith('/') ? `${path}*` : path}`,
          );
        break;
      }
      default:
        break;
    }
  });
  // by object ARN: encrypted, and the artifacts, what the end of their key holds when no input
  // gives it, and where the build id is. Two artifacts of one ARN whose `*`s differ (one a
  // character of a path or name, the other the build id or the end) are taken to hold the
  // unknown parts of both: the character is then tried with other values, as unknown text is
  const artifacts = new Map<
    string,
    {
      encrypted: boolean;
      labels: string[];
      holds: string[];
      open: boolean;
      buildIdAt: number | undefined;
    }
  >();
  const artifactsUnknown: string[] = [];
  // buckets whose owner an S3 secondary artifact gives access to its objects (bucketOwnerAccess
  // READ_ONLY or FULL): "To use this property, your CodeBuild service role must have the
  // s3:PutBucketAcl permission"
  // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html).
  // NONE, the default, needs nothing
  const aclBuckets = new Set<string>();
  const aclUnknown: string[] = [];
  // the artifacts the inline buildspec defines, with the names it gives them
  const declared = buildspecSecondaryArtifactsOf(project);
  project.secondaryArtifacts.forEach((a, i) => {
    const place = secondaryPlace(project, 'artifacts', i);
    const label = `secondary artifact ${a.artifactIdentifier ? `\`${a.artifactIdentifier}\`` : i + 1} of ${project_}`;
    const type = a.type;
    if (type === undefined || type === '') artifactsUnknown.push(`${label} has no type (${place})`);
    else if (PLACEHOLDER_PATTERN.test(type))
      artifactsUnknown.push(`the type of ${label} is \`${type}\`, which the input does not settle`);
    else if (!ARTIFACT_TYPES.has(type.toUpperCase()))
      artifactsUnknown.push(
        `${label} has the type \`${type}\`, which permchain does not know (${place})`,
      );
    else if (type.toUpperCase() === 'S3') {
      const bucket = (a.location ?? '').replace(/^\/+|\/+$/g, '');
      if (bucket === '')
        artifactsUnknown.push(
          `S3 ${label} has no location, so the bucket the build writes to is not known (${place})`,
        );
      else {
        const definition =
          declared && a.artifactIdentifier !== undefined
            ? declared.artifacts.get(a.artifactIdentifier)
            : undefined;
        const { key, holds, buildIdAt } = secondaryArtifactObject(
          a,
          definition && { ...definition, place: declared!.place },
        );
        const head = `arn:${partition}:s3:::${bucket}/`;
        const objectArn = `${head}${key}`;
        const entry = artifacts.get(objectArn) ?? {
          encrypted: false,
          labels: [],
          holds: [],
          open: false,
          buildIdAt: undefined,
        };
        // "Set to true if you do not want your output artifacts encrypted"
        // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html)
        entry.encrypted ||= a.encryptionDisabled !== true;
        if (holds.length > 0 || buildIdAt !== undefined) {
          entry.open = true;
          if (!entry.labels.includes(label)) entry.labels.push(label);
          for (const h of holds) if (!entry.holds.includes(h)) entry.holds.push(h);
          if (buildIdAt !== undefined) entry.buildIdAt ??= head.length + buildIdAt;
        }
        artifacts.set(objectArn, entry);
        const access = a.bucketOwnerAccess;
        if (access === undefined || access === '' || access.toUpperCase() === 'NONE') {
          // no access for the bucket owner
        } else if (PLACEHOLDER_PATTERN.test(access))
          aclUnknown.push(
            `the bucketOwnerAccess of ${label} is \`${access}\`, which the input does not settle`,
          );
        else if (access.toUpperCase() === 'READ_ONLY' || access.toUpperCase() === 'FULL')
          aclBuckets.add(`arn:${partition}:s3:::${bucket}`);
        else
          aclUnknown.push(
            `${label} has the bucketOwnerAccess \`${access}\`, which is none of NONE, READ_ONLY and FULL (${place})`,
          );
      }
    }
  });
  return {
    ...(repositories.size > 0 ? { secondaryRepositoryArns: [...repositories].sort() } : {}),
    ...(objects.size > 0 ? { secondarySourceObjectArns: [...objects].sort() } : {}),
    ...(repositoriesUnknown.length > 0
      ? { secondaryRepositoriesUnknown: repositoriesUnknown.join('; ') }
      : {}),
    ...(objectsUnknown.length > 0
      ? { secondarySourceObjectsUnknown: objectsUnknown.join('; ') }
      : {}),
    ...(connections.size > 0 ? { secondaryConnectionArns: [...connections].sort() } : {}),
    ...(connectionsUnknown.length > 0
      ? { secondaryConnectionsUnknown: connectionsUnknown.join('; ') }
      : {}),
    ...(secrets.size > 0 ? { secondarySecrets: [...secrets].sort() } : {}),
    ...(secretsUnknown.length > 0 ? { secondarySecretsUnknown: secretsUnknown.join('; ') } : {}),
    ...(artifacts.size > 0
      ? {
          secondaryArtifacts: [...artifacts.entries()]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([objectArn, { encrypted, labels, holds, open, buildIdAt }]) => ({
              objectArn,
              encrypted,
              ...(open
                ? {
                    unknownEnd: {
                      kind: 'secondaryArtifact' as const,
                      artifacts: wordList(labels),
                      ...(holds.length > 0 ? { holds: wordList(holds) } : {}),
                      ...(buildIdAt !== undefined ? { buildIdAt } : {}),
                    },
                  }
                : {}),
            })),
        }
      : {}),
    ...(artifactsUnknown.length > 0
      ? { secondaryArtifactsUnknown: artifactsUnknown.join('; ') }
      : {}),
    ...(aclBuckets.size > 0 ? { secondaryArtifactAclBuckets: [...aclBuckets].sort() } : {}),
    ...(aclUnknown.length > 0 ? { secondaryArtifactAclUnknown: aclUnknown.join('; ') } : {}),
  };
}

/**
 * Source types whose `auth` may name a connection or a secret holding a token: GitHub and GitHub
 * Enterprise Server (https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html),
 * Bitbucket (https://docs.aws.amazon.com/codebuild/latest/userguide/connections-bitbucket-app.html)
 * and GitLab (https://docs.aws.amazon.com/codebuild/latest/userguide/access-tokens-gitlab-overview.html);
 * CodeBuild documents a Secrets Manager secret for GitHub, GitHub Enterprise and Bitbucket
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/asm-create-secret.html), and a GitLab
 * source whose auth names one is checked the same way. The other types are fetched without a
 * token (CodeCommit, S3) or not by the build (CODEPIPELINE, NO_SOURCE): their `auth` makes no
 * link.
 */
const TOKEN_SOURCE_TYPES = new Set([
  'BITBUCKET',
  'GITHUB',
  'GITHUB_ENTERPRISE',
  'GITLAB',
  'GITLAB_SELF_MANAGED',
]);

/** Auth types (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_SourceAuth.html). */
const AUTH_TYPES = new Set(['CODECONNECTIONS', 'OAUTH', 'SECRETS_MANAGER']);

/**
 * The credential a source's `auth` names, or why it is not known; undefined when the source
 * names none (no auth, or OAUTH). `kind` says what the credential is: a connection
 * (CODECONNECTIONS), a secret (SECRETS_MANAGER), or `either` for an auth type that is not settled
 * or not known.
 *
 * A CODECONNECTIONS auth's `resource` is the connection ARN ("The connection ARN if your authType
 * is CODECONNECTIONS",
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_SourceCredentialsInfo.html), of
 * either prefix: `arn:<partition>:codestar-connections:<region>:<account>:connection/<id>` or
 * `arn:<partition>:codeconnections:…` (connections made since July 2024,
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/security_iam_id-based-policy-examples-connections.html).
 *
 * A SECRETS_MANAGER auth's `resource` is the secret holding the token: CodeBuild documents its ARN
 * (`resource=<secret-or-connection-arn>` on a source, and `!Ref` of the secret in a template, at
 * https://docs.aws.amazon.com/codebuild/latest/userguide/multiple-access-tokens.html; "For the
 * authType SECRETS_MANAGER, this is the secretArn" for the account's credential,
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ImportSourceCredentials.html).
 * A partial ARN (without the six characters AWS appends) is checked with a stand-in for them
 * (as for SECRETS_MANAGER environment variables). A secret name never reaches this function: the
 * loaders keep an auth resource only when it is an ARN (an OAUTH resource can be a token), so a
 * name gives the Unknown "names no secret ARN" below.
 *
 * A resource missing, of another form, or not settled leaves the credential unknown: never no
 * link.
 */
function sourceCredential(
  project: CodeBuildProjectModel,
  s: CodeBuildSourceModel,
  label: string,
  place: string,
):
  | {
      readonly kind: 'connection' | 'secret';
      readonly id: string;
      readonly unknown?: undefined;
    }
  | {
      readonly kind: 'connection' | 'secret' | 'either';
      readonly id?: undefined;
      readonly unknown: string;
    }
  | undefined {
  const type = s.authType;
  if (type === undefined || type === '') return undefined;
  if (PLACEHOLDER_PATTERN.test(type))
    return {
      kind: 'either',
      unknown: `the auth type of ${label} is \`${type}\`, which the input does not settle`,
    };
  const upper = type.toUpperCase();
  // a template project is located at `/Resources/<id>`; a snapshot one in batch-get-projects
  const auth = project.location.pointer.startsWith('/Resources/') ? 'Auth' : 'auth';
  if (!AUTH_TYPES.has(upper))
    return {
      kind: 'either',
      unknown: `${label} has the auth type \`${type}\`, which permchain does not know, so whether the build takes a token from a connection or a secret is not known (${place}/${auth}/${auth === 'Auth' ? 'Type' : 'type'})`,
    };
  if (upper === 'OAUTH') return undefined;
  const resource = s.authResource;
  const at = `${place}/${auth}/${auth === 'Auth' ? 'Resource' : 'resource'}`;
  if (upper === 'SECRETS_MANAGER') {
    // the loaders keep an ARN only (an OAUTH resource can be a token): a name is absent here
    if (resource === undefined || resource === '')
      return {
        kind: 'secret',
        unknown: `SECRETS_MANAGER ${label} names no secret ARN (its auth resource is missing or not an ARN), so the secret the build reads its token from is not known (${at})`,
      };
    if (PLACEHOLDER_PATTERN.test(resource))
      return {
        kind: 'secret',
        unknown: `the secret of ${label} is \`${resource}\`, which the input does not settle`,
      };
    if (resource.startsWith('arn:') ? !isSecretArn(resource) : !SECRET_NAME.test(resource))
      return {
        kind: 'secret',
        unknown: `the auth resource \`${resource}\` of SECRETS_MANAGER ${label} is not a secret ARN (\`arn:<partition>:secretsmanager:<region>:<account>:secret:<name>\`), so the secret the build reads its token from is not known (${at})`,
      };
    return { kind: 'secret', id: resource };
  }
  // the loaders keep an ARN only (an OAUTH resource can be a token): anything else is absent here
  if (resource === undefined || resource === '')
    return {
      kind: 'connection',
      unknown: `CODECONNECTIONS ${label} names no connection ARN (its auth resource is missing or not an ARN), so the connection the build takes its token from is not known (${at})`,
    };
  if (PLACEHOLDER_PATTERN.test(resource))
    return {
      kind: 'connection',
      unknown: `the connection of ${label} is \`${resource}\`, which the input does not settle`,
    };
  if (!isConnectionArn(resource))
    return {
      kind: 'connection',
      unknown: `the auth resource \`${resource}\` of CODECONNECTIONS ${label} is not a connection ARN (\`arn:<partition>:codeconnections:<region>:<account>:connection/<id>\`, or \`codestar-connections\`), so the connection the build takes its token from is not known (${at})`,
    };
  return { kind: 'connection', id: resource };
}

/**
 * The characters of a secret name: "ASCII letters, numbers, and the following characters:
 * /_+=.@-" (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html).
 */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>` (full or partial). */
function isSecretArn(value: string): boolean {
  const arn = parseArn(value);
  if (!arn) return false;
  if (arn.service !== 'secretsmanager') return false;
  if (arn.region === '' || !isAccountId(arn.account)) return false;
  const name = arn.resource.startsWith('secret:') ? arn.resource.slice('secret:'.length) : '';
  return SECRET_NAME.test(name);
}

/** `arn:<partition>:(codestar-connections|codeconnections):<region>:<account>:connection/<id>`. */
function isConnectionArn(value: string): boolean {
  const arn = parseArn(value);
  if (!arn) return false;
  if (arn.service !== 'codeconnections' && arn.service !== 'codestar-connections') return false;
  if (arn.region === '' || !isAccountId(arn.account)) return false;
  const id = arn.resource.startsWith('connection/') ? arn.resource.slice('connection/'.length) : '';
  return id !== '' && !id.includes('/') && !id.includes(':');
}

/**
 * Where the build writes its S3 build logs, from the project's `logsConfig.s3Logs`
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html): only when
 * its status is ENABLED (S3 logs are off unless a project turns them on,
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_LogsConfig.html). The location is
 * `<bucket>/<prefix>` or `arn:aws:s3:::<bucket>/<prefix>`; the log objects' names under the
 * prefix are the build's, so the resource is `<bucket>/<prefix>/*` (`<bucket>/*` without a
 * prefix). A status or location the input does not settle makes the links Unknown, naming it.
 */
export function s3LogsOf(
  project: CodeBuildProjectModel,
): Pick<
  CodeBuildProjectFacts,
  's3LogsBucket' | 's3LogsObjectKey' | 's3LogsUnknown' | 's3LogsBucketOwnerAccess'
> {
  const s3 = project.logsConfig?.s3Logs;
  if (!s3) return {};
  const at = project.location;
  const place = `${at.file}#${at.pointer.startsWith('/Resources/') ? `${propertiesOf(at)}/LogsConfig/S3Logs` : `${at.pointer}/logsConfig/s3Logs`}`;
  const label = `the S3 logs of project \`${project.name}\``;
  const status = s3.status;
  if (status === undefined || status === '')
    return { s3LogsUnknown: `${label} have no status (${place})` };
  if (PLACEHOLDER_PATTERN.test(status))
    return {
      s3LogsUnknown: `the status of ${label} is \`${status}\`, which the input does not settle`,
    };
  if (status.toUpperCase() === 'DISABLED') return {};
  if (status.toUpperCase() !== 'ENABLED')
    return {
      s3LogsUnknown: `${label} have the status \`${status}\`, which is neither ENABLED nor DISABLED (${place})`,
    };
  const location = s3.location ?? '';
  if (PLACEHOLDER_PATTERN.test(location))
    return {
      s3LogsUnknown: `the location of ${label} is \`${location}\`, which the input does not settle`,
    };
  const arn = parseArn(location);
  const path = (arn && arn.service === 's3' ? arn.resource : location).replace(/^\/+|\/+$/g, '');
  const slash = path.indexOf('/');
  const bucket = slash < 0 ? path : path.slice(0, slash);
  if (bucket === '' || (location.startsWith('arn:') && !(arn && arn.service === 's3')))
    return {
      s3LogsUnknown:
        location === ''
          ? `${label} are ENABLED but have no location, so the bucket the build writes them to is not known (${place})`
          : `the location \`${location}\` of ${label} is neither \`<bucket>/<prefix>\` nor an S3 ARN (${place})`,
    };
  return {
    s3LogsBucket: bucket,
    s3LogsObjectKey: slash < 0 ? '*' : `${path.slice(slash + 1)}/*`,
    // READ_ONLY or FULL make the service role need s3:PutBucketAcl (API_S3LogsConfig.html)
    ...(s3.bucketOwnerAccess !== undefined && s3.bucketOwnerAccess !== ''
      ? { s3LogsBucketOwnerAccess: s3.bucketOwnerAccess }
      : {}),
  };
}

/**
 * The project's batch service role, which a batch build (a CodeBuild action with BatchEnabled)
 * runs under: "Batch builds introduce a new security role in the batch configuration. This new
 * role is required as CodeBuild must be able to call the StartBuild, StopBuild, and RetryBuild
 * actions on your behalf" (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role).
 * A project allows batch builds only through its batch configuration ("Define batch
 * configuration: Select to allow batch builds in this project",
 * https://docs.aws.amazon.com/codebuild/latest/userguide/create-project-console.html#create-project-console-batch-config),
 * whose `serviceRole` is an ARN (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectBuildBatchConfig.html).
 * A project without one, a configuration without a role, or a role that is not an ARN leaves the
 * role unknown, saying so; a placeholder (not settled, not readable) is kept, and its links name
 * its place.
 */
export function batchRoleOf(
  project: CodeBuildProjectModel,
): Pick<CodeBuildProjectFacts, 'batchServiceRoleArn' | 'batchServiceRoleUnknown'> {
  const at = project.location;
  const template = at.pointer.startsWith('/Resources/');
  const batch = project.buildBatchConfig;
  if (!batch)
    return {
      batchServiceRoleUnknown: `CodeBuild project \`${project.name}\` has no batch configuration (\`${template ? 'BuildBatchConfig' : 'buildBatchConfig'}\`, ${at.file}#${at.pointer}): AWS runs batch builds only for a project whose batch configuration allows them, under the batch service role it names (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role), so the batch build is not expected to start; give the project a batch configuration with a batch service role`,
    };
  const role = batch.serviceRole;
  const place = `${batch.location.file}#${batch.location.pointer}/${template ? 'ServiceRole' : 'serviceRole'}`;
  if (role === undefined || role === '')
    return {
      batchServiceRoleUnknown: `the batch configuration of CodeBuild project \`${project.name}\` names no batch service role (${place}): AWS documents that batch builds run under their own service role, which CodeBuild uses to start, stop and retry the builds of the batch (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role)`,
    };
  const arn = parseArn(role);
  if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/'))
    return {
      batchServiceRoleUnknown: `the batch service role \`${role}\` of CodeBuild project \`${project.name}\` is not a role ARN, which AWS takes it as (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectBuildBatchConfig.html), so the role batch builds run under is not known (${place})`,
    };
  return { batchServiceRoleArn: role };
}

/**
 * The key of the objects an S3 secondary artifact writes in its bucket, as its `path`,
 * `namespaceType`, `name`, `packaging` and `overrideArtifactName` make it
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html): path
 * `MyArtifacts`, namespace BUILD_ID and name `MyArtifact.zip` store the artifact in
 * `MyArtifacts/<build-ID>/MyArtifact.zip`; a name `/` stores it in the root (of the path, and of
 * the build id's folder); packaging ZIP (not the default) makes one ZIP object of that name, NONE
 * (the default) a folder of that name holding the build output's files; overrideArtifactName lets
 * a name the buildspec gives at build time (with shell commands:
 * https://docs.aws.amazon.com/codebuild/latest/userguide/sample-buildspec-artifact-naming.html)
 * replace the name: the project's inline buildspec (`definition`, its definition of the artifact
 * in `artifacts.secondary-artifacts`) says which, a plain name (plainArtifactName) or none, which
 * leaves the project's; a name the shell computes, a buildspec that does not define the artifact,
 * or one that is not known leave the name unknown. The pieces are joined with one `/`, the slashes
 * at their ends dropped (AWS documents the joins by the examples above only).
 *
 * The build id (namespaceType BUILD_ID) is a `*` between the path and the rest (`buildIdAt`, its
 * offset in the key): one segment of the key, which no input gives, tried with made-up ids as
 * other ids CodeBuild gives at run time are (resolveLink s3ObjectValue), so that a policy on
 * `<path>/*` allows `<path>/<build-ID>/<name>`, as does one with a `*` for the build id only, and
 * one on `<path>/<name>` does not. The rest is exact (`holds` empty) for a ZIP artifact of a known
 * name without a buildspec's name; else it is the part of it the project settles, ending in `/`,
 * then `*` standing for the rest, which `holds` says what it holds. A placeholder (a value a
 * template does not settle) of the path or name stays in the key, where the values tried for it
 * decide (resolveLink byUnsettledValues); one of the namespace (which may or may not be
 * BUILD_ID), the packaging or the override flag leaves the rest of the key open like an unknown
 * value.
 */
function secondaryArtifactObject(
  a: CodeBuildProjectModel['secondaryArtifacts'][number],
  definition?: { readonly name?: string | null; readonly place: string },
): {
  readonly key: string;
  readonly holds: readonly string[];
  readonly buildIdAt?: number;
} {
  const trim = (v: string | undefined): string => (v ?? '').replace(/^\/+|\/+$/g, '');
  const join = (...parts: string[]): string => parts.filter((p) => p !== '').join('/');
  // overrideArtifactName: "a name specified in the buildspec file overrides the artifact name"
  // (API_ProjectArtifacts.html); the inline buildspec's definition of the artifact gives a plain
  // name, or none (the project's name stays), or one the shell computes at build time
  let override = a.overrideArtifactName;
  let givenName = a.name;
  let computed: string | undefined;
  if (override === true && definition !== undefined) {
    if (definition.name === undefined) override = false;
    else if (plainArtifactName(definition.name)) {
      override = false;
      givenName = definition.name;
    } else
      computed = `the name the buildspec (${definition.place}) gives it, which the shell computes at build time or which is not text`;
  }
  const path = trim(a.path);
  const name = trim(givenName);
  // a name `/` is no name: the artifact is stored at the root (of the path, or the build id)
  const root = givenName !== undefined && givenName !== '' && name === '';
  // (an empty value is taken as unset: the default)
  const namespace = (a.namespaceType || 'NONE').toUpperCase();
  const packaging = (a.packaging || 'NONE').toUpperCase();
  const zip = packaging === 'ZIP';
  const folder = packaging === 'NONE';
  // the build id, a known value of the namespace: its `*` follows the path
  const buildId = namespace === 'BUILD_ID' && !PLACEHOLDER_PATTERN.test(a.namespaceType ?? '');
  const base = buildId ? join(path, '*') : path;
  const at = buildId ? { buildIdAt: base.length - 1 } : {};
  // what the key holds after the part the project settles, that no input gives, in the order
  // the key holds it
  const holds: string[] = [];
  if (PLACEHOLDER_PATTERN.test(a.namespaceType ?? ''))
    holds.push('the build id, or not (the input does not settle `namespaceType`)');
  else if (namespace !== 'NONE' && !buildId)
    holds.push(
      `what the namespace type \`${a.namespaceType!}\`, which permchain does not know, puts there`,
    );
  if (computed !== undefined) holds.push(computed);
  else if (override === true)
    holds.push('a name the buildspec may give at build time (`overrideArtifactName`)');
  else if (typeof override === 'string')
    holds.push(
      'a name the buildspec may give at build time (the input does not settle `overrideArtifactName`)',
    );
  else if (name === '' && !root) holds.push('a name the project does not give');
  else if (root && zip)
    holds.push('the name of the ZIP object of an artifact named `/`, which AWS does not document');
  if (PLACEHOLDER_PATTERN.test(a.packaging ?? ''))
    holds.push(
      'one ZIP object or the path of each file of the build output (the input does not settle `packaging`)',
    );
  else if (folder)
    holds.push('the path of each file of the build output (`packaging` NONE: a folder)');
  else if (!zip)
    holds.push(
      `what the packaging \`${a.packaging!}\`, which permchain does not know, makes there`,
    );
  // one ZIP object of a known name: its key
  if (holds.length === 0) return { key: join(base, name), holds, ...at };
  // a folder of a known name: its files are under it
  const named = override === undefined || override === false;
  if (named && folder && !root && name !== '' && holds.length === 1)
    return { key: `${join(base, name)}/*`, holds, ...at };
  return { key: base === '' ? '*' : `${base}/*`, holds, ...at };
}

/**
 * The artifacts the project's inline buildspec defines in `artifacts.secondary-artifacts`, by
 * artifact identifier, with the name each gives
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.secondary-artifacts:
 * "Each artifact identifier in this block must match an artifact defined in the
 * secondaryArtifacts attribute of your project"), and where the buildspec is; undefined when the
 * buildspec is not known (a file of the source, an S3 object, a template value not settled, text
 * that cannot be read). An identifier of the buildspec that no secondary artifact of the project
 * has is not taken for an error: in a pipeline the identifiers are the action's output artifacts
 * ("The names of the output artifacts specified in the pipeline's JSON file must match the names
 * of the secondary artifacts defined in your buildspec file",
 * https://docs.aws.amazon.com/codebuild/latest/userguide/sample-pipeline-multi-input-output.html),
 * and AWS does not document what a build does with one it has no artifact for.
 */
function buildspecSecondaryArtifactsOf(project: CodeBuildProjectModel):
  | {
      readonly artifacts: ReadonlyMap<string, { readonly name?: string | null }>;
      readonly place: string;
    }
  | undefined {
  const text = project.source?.buildspec;
  if (text === undefined || text === '' || namesBuildspec(text) || PLACEHOLDER_PATTERN.test(text))
    return undefined;
  const artifacts = buildspecSecondaryArtifacts(text);
  if (artifacts === undefined) return undefined;
  const at = project.location;
  const pointer = at.pointer.startsWith('/Resources/')
    ? `${propertiesOf(at)}/Source/BuildSpec`
    : `${at.pointer}/source/buildspec`;
  return { artifacts, place: `${at.file}#${pointer}` };
}

/** `a`, `a and b`, `a, b and c` */
function wordList(words: readonly string[]): string {
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}

/** Where a project's secondary source or artifact `i` is: `file#pointer`. */
function secondaryPlace(
  project: CodeBuildProjectModel,
  list: 'sources' | 'artifacts',
  i: number,
): string {
  const at = project.location;
  // a template project is located at `/Resources/<id>`; a snapshot one in batch-get-projects
  const key = at.pointer.startsWith('/Resources/')
    ? `${propertiesOf(at)}/${list === 'sources' ? 'SecondarySources' : 'SecondaryArtifacts'}`
    : `${at.pointer}/${list === 'sources' ? 'secondarySources' : 'secondaryArtifacts'}`;
  return `${at.file}#${key}/${i}`;
}

/**
 * The input artifacts of an action produced in another region, each with the store and key it
 * is copied from. The copy is CodePipeline's, made with the pipeline role: CDK grants the pipeline
 * role read and write on each region's replication bucket and key ("The Pipeline role must be
 * able to replicate to that bucket", aws-cdk-lib aws-codepipeline pipeline.ts), and a failed copy
 * reports "Check source and destination artifact buckets exist and <pipeline service role> has
 * permission to access it" (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
 * documents the copy, one store and key per region). A CodeBuild output is encrypted with its
 * project's key (aws-facts.md 1.3), which the copy must decrypt.
 */
function replicatedInputsOf(
  model: Model,
  pipeline: PipelineModel,
  action: ActionModel,
  producers: Producers,
  actionRegion: string,
  gaps: Map<FactGroup, string>,
): ReplicatedInput[] {
  const out: ReplicatedInput[] = [];
  const partition = partitionOf(pipeline);
  for (const artifact of action.inputArtifacts) {
    const producer = producers.get(artifact)?.action;
    if (!producer) continue;
    const from = producer.region ?? pipeline.region;
    if (from === actionRegion) continue;
    const store = pipeline.artifactStores.get(from);
    if (!store) {
      gaps.set('replication', storesPlace(pipeline));
      out.push({ artifact, sourceRegion: from });
      continue;
    }
    let sourceKeyArn: string | undefined;
    if (producer.provider === 'CodeBuild' && isAwsOwned(producer)) {
      const account = (producer.roleArn && parseArn(producer.roleArn)?.account) || pipeline.account;
      const project = producer.configuration['ProjectName'] ?? '';
      const found = findCodeBuildProject(model, account, from, project);
      if (found.kind === 'found') {
        const p = found.value;
        sourceKeyArn = keyArnOf(model, p.encryptionKey, p.account, p.region, partition);
      } else gaps.set('replication', found.file ?? snapshotPath.codebuild(account, from));
    } else {
      sourceKeyArn = keyArnOf(model, store.encryptionKey?.id, pipeline.account, from, partition);
    }
    out.push({
      artifact,
      sourceRegion: from,
      sourceBucket: store.bucket,
      ...(sourceKeyArn !== undefined ? { sourceKeyArn } : {}),
    });
  }
  return out;
}

/**
 * Where the pipeline names its artifact stores: `artifactStores` of get-pipeline, or the
 * template resource's `ArtifactStores` (a template pipeline is located at `/Resources/<id>`).
 */
function storesPlace(pipeline: PipelineModel): string {
  const at = pipeline.location;
  return at.pointer.startsWith('/Resources/')
    ? `${at.file}#${propertiesOf(at)}/ArtifactStores`
    : `${at.file}#${pipeline.artifactStoresPointer ?? '/pipeline/artifactStores'}`;
}

/**
 * The pointer of a template resource's `Properties`: where the loader read them (the branch a
 * `Properties: !If` chooses, Location.properties), else `<resource>/Properties`.
 */
function propertiesOf(at: Location): string {
  return at.properties ?? `${at.pointer}/Properties`;
}

/** Whether an action (or rule) type is AWS's own: its owner is `AWS` (or not given). */
export function isAwsOwned(action: ActionModel): boolean {
  return action.owner === 'AWS' || action.owner === '';
}
