/**
 * What a pipeline (and what it points at) references: accounts, buckets, KMS keys, CodeBuild
 * projects, Lambda functions, SNS topics, CodeDeploy deployment groups, ECR repositories and the
 * EventBridge rules that start it. Pure functions over the SDK output objects; the crawler follows
 * every reference they return.
 */
import { isAccountId, parseArn, partitionOfRegion } from '../model/arn.js';

/** Where a resource lives. */
export interface Place {
  readonly account: string;
  readonly region: string;
}

export type Reference =
  | { readonly kind: 'account'; readonly account: string }
  /** `likelyAccount` is the account the reference came from; the owner is confirmed by ListBuckets */
  | { readonly kind: 'bucket'; readonly bucket: string; readonly likelyAccount: string }
  /** `key` is what the reference says: a key id, key ARN, alias name or alias ARN */
  | { readonly kind: 'key'; readonly place: Place; readonly key: string }
  | { readonly kind: 'project'; readonly place: Place; readonly name: string }
  /**
   * `qualifier`: the version or alias the reference names (`fn:live`, `fn:3`, a qualified ARN);
   * undefined for the unqualified function, which is `$LATEST`
   */
  | {
      readonly kind: 'function';
      readonly place: Place;
      readonly name: string;
      readonly qualifier?: string;
    }
  | { readonly kind: 'topic'; readonly place: Place; readonly name: string }
  | {
      readonly kind: 'deployment-group';
      readonly place: Place;
      readonly application: string;
      readonly group: string;
    }
  | { readonly kind: 'repository'; readonly place: Place; readonly name: string }
  /** the EventBridge rules in `place` that target this pipeline */
  | { readonly kind: 'pipeline-rules'; readonly place: Place; readonly pipelineArn: string };

function accountOf(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const parsed = parseArn(arn);
  return parsed && isAccountId(parsed.account) ? parsed.account : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

type Obj = Record<string, unknown>;
function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function accountRef(arn: unknown): Reference[] {
  const account = accountOf(arn);
  return account ? [{ kind: 'account', account }] : [];
}

/**
 * A KMS key reference: a key ARN or alias ARN names its own account and region; a bare key id or
 * `alias/...` lives in the referencing resource's account and region.
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
 */
export function keyReference(key: unknown, place: Place): Reference[] {
  const k = str(key);
  if (!k) return [];
  const parsed = parseArn(k);
  if (parsed) {
    if (parsed.service !== 'kms' || !isAccountId(parsed.account) || parsed.region === '') return [];
    return [{ kind: 'key', place: { account: parsed.account, region: parsed.region }, key: k }];
  }
  return [{ kind: 'key', place, key: k }];
}

/** `bucket` or `bucket/prefix` (CodeBuild locations) → the bucket name. */
export function bucketName(location: unknown): string | undefined {
  const l = str(location);
  if (!l) return undefined;
  const name = l.startsWith('arn:') ? (parseArn(l)?.resource ?? '') : l;
  const bucket = name.split('/')[0];
  return bucket ? bucket : undefined;
}

function bucketRef(location: unknown, likelyAccount: string): Reference[] {
  const bucket = bucketName(location);
  return bucket ? [{ kind: 'bucket', bucket, likelyAccount }] : [];
}

/**
 * A function name, partial ARN or ARN (`FunctionName` accepts all three), each with an optional
 * `:version` or `:alias` qualifier, which invokes that version (an alias: the version it points
 * to) with the configuration it was published with, execution role included
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#lambda-Invoke-request-FunctionName,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html). `$LATEST` is the
 * unqualified function.
 */
function functionRef(name: unknown, place: Place): Reference[] {
  const n = str(name);
  if (!n) return [];
  const ref = (at: Place, fn: string, qualifier: string | undefined): Reference[] => [
    {
      kind: 'function',
      place: at,
      name: fn,
      ...(qualifier && qualifier !== '$LATEST' ? { qualifier } : {}),
    },
  ];
  const parsed = parseArn(n);
  if (parsed) {
    const [, fn, qualifier] = parsed.resource.split(':');
    if (parsed.service !== 'lambda' || !fn || !isAccountId(parsed.account)) return [];
    return ref({ account: parsed.account, region: parsed.region }, fn, qualifier);
  }
  const partial = /^(\d{12}):function:([^:]+)(?::([^:]*))?/.exec(n);
  if (partial?.[1] && partial[2])
    return ref({ ...place, account: partial[1] }, partial[2], partial[3]);
  const [fn = n, qualifier] = n.split(':');
  return ref(place, fn, qualifier);
}

function topicRef(arn: unknown): Reference[] {
  const parsed = typeof arn === 'string' ? parseArn(arn) : undefined;
  if (!parsed || parsed.service !== 'sns' || !isAccountId(parsed.account) || !parsed.resource) {
    return [];
  }
  return [
    {
      kind: 'topic',
      place: { account: parsed.account, region: parsed.region },
      name: parsed.resource,
    },
  ];
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

/** `111111111111.dkr.ecr.us-east-1.amazonaws.com/repo:tag` → the repository. */
export function ecrImageReference(image: unknown): Reference[] {
  const m = typeof image === 'string' ? ECR_IMAGE.exec(image) : null;
  if (!m?.[1] || !m[2] || !m[3]) return [];
  return [{ kind: 'repository', place: { account: m[1], region: m[2] }, name: m[3] }];
}

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\//;

/** The AWS-managed key S3 and CodeBuild use when SSE-KMS names no key. */
const AWS_MANAGED_S3_KEY = 'alias/aws/s3';

/** From `aws codepipeline get-pipeline` output. */
export function pipelineReferences(output: unknown, home: Place): Reference[] {
  const out = obj(output);
  const pipeline = obj(out['pipeline']);
  const refs: Reference[] = [{ kind: 'account', account: home.account }];
  refs.push(...accountRef(pipeline['roleArn']));
  const pipelineArn = str(obj(out['metadata'])['pipelineArn']);
  if (pipelineArn) refs.push({ kind: 'pipeline-rules', place: home, pipelineArn });

  // one artifact store, or one per region for cross-region actions
  // https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html
  const stores: [string, Obj][] = [];
  if (pipeline['artifactStore']) stores.push([home.region, obj(pipeline['artifactStore'])]);
  for (const [region, store] of Object.entries(obj(pipeline['artifactStores']))) {
    stores.push([region, obj(store)]);
  }
  for (const [region, store] of stores) {
    refs.push(...bucketRef(store['location'], home.account));
    refs.push(...keyReference(obj(store['encryptionKey'])['id'], { ...home, region }));
  }

  for (const s of arr(pipeline['stages'])) {
    const stage = obj(s);
    for (const a of arr(stage['actions']))
      refs.push(...actionReferences(obj(a), 'actionTypeId', home));
    // the rules of stage conditions run with their own role and region like actions
    // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RuleDeclaration.html)
    for (const key of ['beforeEntry', 'onSuccess', 'onFailure']) {
      for (const c of arr(obj(stage[key])['conditions'])) {
        for (const r of arr(obj(c)['rules']))
          refs.push(...actionReferences(obj(r), 'ruleTypeId', home));
      }
    }
  }
  return refs;
}

/**
 * What one action, or one stage-condition rule (`ruleTypeId` instead of `actionTypeId`),
 * references: its role's account, role ARNs in its configuration, and what its provider reads.
 */
function actionReferences(
  action: Obj,
  typeKey: 'actionTypeId' | 'ruleTypeId',
  home: Place,
): Reference[] {
  const refs: Reference[] = [];
  const place: Place = {
    account: accountOf(action['roleArn']) ?? home.account,
    region: str(action['region']) ?? home.region,
  };
  refs.push(...accountRef(action['roleArn']));
  const config = obj(action['configuration']);
  // any role ARN in the configuration (CloudFormation RoleArn, ...) names an account to read
  for (const v of Object.values(config)) {
    if (typeof v === 'string' && IAM_ROLE_ARN.test(v)) refs.push(...accountRef(v));
  }
  const type = obj(action[typeKey]);
  const provider = str(type['provider']);
  const category = str(type['category']);
  switch (provider) {
    case 'CodeBuild':
      if (str(config['ProjectName'])) {
        refs.push({ kind: 'project', place, name: String(config['ProjectName']) });
      }
      break;
    case 'S3':
      refs.push(...bucketRef(config['S3Bucket'], place.account));
      refs.push(...bucketRef(config['BucketName'], place.account));
      refs.push(...keyReference(config['KMSEncryptionKeyARN'], place));
      break;
    case 'Lambda':
      refs.push(...functionRef(config['FunctionName'], place));
      break;
    case 'CodeDeploy':
    case 'CodeDeployToECS': {
      const application = str(config['ApplicationName']);
      const group = str(config['DeploymentGroupName']);
      if (application && group) {
        refs.push({ kind: 'deployment-group', place, application, group });
      }
      break;
    }
    case 'ECR':
      if (category === 'Source' && str(config['RepositoryName'])) {
        refs.push({ kind: 'repository', place, name: String(config['RepositoryName']) });
      }
      break;
    // the private repository an ECRBuildAndPublish action pushes to, and the one whose image an
    // InspectorScan action scans: their policies decide the push and the pull
    case 'ECRBuildAndPublish':
      if (
        str(config['ECRRepositoryName']) &&
        (str(config['RegistryType']) ?? 'private').toLowerCase() !== 'public'
      ) {
        refs.push({ kind: 'repository', place, name: String(config['ECRRepositoryName']) });
      }
      break;
    case 'InspectorScan':
      if (
        str(config['ECRRepositoryName']) &&
        str(config['InspectorRunMode'])?.toLowerCase() === 'ecrimagescan'
      ) {
        refs.push({ kind: 'repository', place, name: String(config['ECRRepositoryName']) });
      }
      break;
    case 'Manual':
      refs.push(...topicRef(config['NotificationArn']));
      break;
    case 'CloudFormationStackSet':
    case 'CloudFormationStackInstances':
      // the stack set's administration role assumes the execution role of each target account:
      // the accounts a literal DeploymentTargets lists (`account_ID,account_ID`; a file of an
      // input artifact is read at run time)
      // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html
      for (const target of (str(config['DeploymentTargets']) ?? '').split(',')) {
        if (isAccountId(target.trim())) refs.push({ kind: 'account', account: target.trim() });
      }
      break;
    default:
      break;
  }
  return refs;
}

/** From one project of `aws codebuild batch-get-projects`. */
export function projectReferences(project: unknown, place: Place): Reference[] {
  const p = obj(project);
  const refs: Reference[] = [...accountRef(p['serviceRole'])];
  // the batch service role, which a batch build runs under
  // (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role)
  refs.push(...accountRef(obj(p['buildBatchConfig'])['serviceRole']));
  // "If you don't specify a value, CodeBuild uses the managed CMK for Amazon S3"
  // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Project.html#CodeBuild-Type-Project-encryptionKey)
  refs.push(...keyReference(str(p['encryptionKey']) ?? AWS_MANAGED_S3_KEY, place));
  const env = obj(p['environment']);
  refs.push(...ecrImageReference(env['image']));
  const s3Locations = (v: unknown): Reference[] => {
    const o = obj(v);
    return o['type'] === 'S3' ? bucketRef(o['location'], place.account) : [];
  };
  refs.push(...s3Locations(p['source']));
  for (const s of arr(p['secondarySources'])) refs.push(...s3Locations(s));
  refs.push(...s3Locations(p['artifacts']));
  for (const a of arr(p['secondaryArtifacts'])) refs.push(...s3Locations(a));
  refs.push(...s3Locations(p['cache']));
  const s3Logs = obj(obj(p['logsConfig'])['s3Logs']);
  if (s3Logs['status'] === 'ENABLED') refs.push(...bucketRef(s3Logs['location'], place.account));
  return refs;
}

/**
 * From `aws lambda get-function-configuration` output (a FunctionConfiguration). It has no image
 * URI (get-function's `Code.ImageUri`): the repository of a container image function is not
 * followed, as no link of a pipeline reads it.
 */
export function functionReferences(config: unknown, place: Place): Reference[] {
  const c = obj(config);
  return [...accountRef(c['Role']), ...keyReference(c['KMSKeyArn'], place)];
}

/** From `aws sns get-topic-attributes` Attributes. */
export function topicReferences(attributes: unknown, place: Place): Reference[] {
  return keyReference(obj(attributes)['KmsMasterKeyId'], place);
}

/** From `aws codedeploy get-deployment-group` deploymentGroupInfo. */
export function deploymentGroupReferences(info: unknown): Reference[] {
  return accountRef(obj(info)['serviceRoleArn']);
}

/** From `aws events list-targets-by-rule` Targets. */
export function ruleTargetReferences(targets: readonly unknown[]): Reference[] {
  return targets.flatMap((t) => accountRef(obj(t)['RoleArn']));
}

/**
 * From `aws s3api get-bucket-encryption` ServerSideEncryptionConfiguration: the default key, which
 * is the AWS-managed `aws/s3` key when SSE-KMS names none
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html).
 */
export function bucketEncryptionReferences(config: unknown, place: Place): Reference[] {
  return arr(obj(config)['Rules']).flatMap((r) => {
    const byDefault = obj(obj(r)['ApplyServerSideEncryptionByDefault']);
    const key = str(byDefault['KMSMasterKeyID']);
    const kms = str(byDefault['SSEAlgorithm'])?.startsWith('aws:kms') === true;
    return keyReference(key ?? (kms ? AWS_MANAGED_S3_KEY : undefined), place);
  });
}

/**
 * The first region of the partition `region` is in: older than March 2019 where that applies, so
 * enabled by default in every account, unlike the opt-in regions launched since
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). A partition
 * not listed keeps `region` itself (never a region of another partition).
 */
export function partitionHomeRegion(region: string): string {
  return HOME_REGIONS[partitionOfRegion(region)] ?? region;
}

const HOME_REGIONS: Readonly<Record<string, string>> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-eusc': 'eusc-de-east-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
};
