/**
 * Every AWS API call the crawler can make, as data: the SDK client it goes through, the IAM
 * action that authorizes it, and the error codes that mean "known: there is none" rather than
 * a failure. `CrawlContext.call` refuses a command that is not registered here, and a test
 * scans src/crawl for every command the code constructs to prove the registry is complete; the least-privilege
 * policy (policies/crawler-read-only.json) is checked against it with permchain's evaluator.
 */

/** The SDK client packages the crawler uses, by short name. */
export const CRAWL_SERVICES = [
  'codebuild',
  'codedeploy',
  'codepipeline',
  'ecr',
  'eventbridge',
  'iam',
  'kms',
  'lambda',
  'organizations',
  's3',
  'sns',
  'sts',
] as const;
export type CrawlService = (typeof CRAWL_SERVICES)[number];

export interface CallSpec {
  readonly service: CrawlService;
  /** the SDK command class name */
  readonly command: string;
  /** the IAM action that authorizes the call */
  readonly action: string;
  /** error names that mean the resource has no such policy/setting: known, written as absent */
  readonly absentErrors?: readonly string[];
  /**
   * true for a permission the *caller's own* identity needs, not the crawler's read-only role
   * (sts:AssumeRole is a Write action granted on the caller side)
   */
  readonly callerOnly?: boolean;
}

function spec(
  service: CrawlService,
  operation: string,
  action: string,
  extra: Omit<CallSpec, 'service' | 'command' | 'action'> = {},
): CallSpec {
  return { service, command: `${operation}Command`, action, ...extra };
}

/** Keyed `service.Operation`. */
export const CRAWL_CALLS = {
  'sts.GetCallerIdentity': spec('sts', 'GetCallerIdentity', 'sts:GetCallerIdentity'),
  'sts.AssumeRole': spec('sts', 'AssumeRole', 'sts:AssumeRole', { callerOnly: true }),

  'iam.GetAccountAuthorizationDetails': spec(
    'iam',
    'GetAccountAuthorizationDetails',
    'iam:GetAccountAuthorizationDetails',
  ),

  'organizations.DescribeOrganization': spec(
    'organizations',
    'DescribeOrganization',
    'organizations:DescribeOrganization',
    // https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html
    { absentErrors: ['AWSOrganizationsNotInUseException'] },
  ),
  'organizations.ListAccounts': spec('organizations', 'ListAccounts', 'organizations:ListAccounts'),
  'organizations.ListRoots': spec('organizations', 'ListRoots', 'organizations:ListRoots'),
  'organizations.ListChildren': spec('organizations', 'ListChildren', 'organizations:ListChildren'),
  'organizations.ListPolicies': spec(
    'organizations',
    'ListPolicies',
    'organizations:ListPolicies',
    {
      // RCPs that were never enabled: there are none, which is known
      absentErrors: ['PolicyTypeNotEnabledException'],
    },
  ),
  'organizations.DescribePolicy': spec(
    'organizations',
    'DescribePolicy',
    'organizations:DescribePolicy',
  ),
  'organizations.ListTargetsForPolicy': spec(
    'organizations',
    'ListTargetsForPolicy',
    'organizations:ListTargetsForPolicy',
  ),

  'codepipeline.ListPipelines': spec('codepipeline', 'ListPipelines', 'codepipeline:ListPipelines'),
  'codepipeline.GetPipeline': spec('codepipeline', 'GetPipeline', 'codepipeline:GetPipeline'),

  'codebuild.BatchGetProjects': spec('codebuild', 'BatchGetProjects', 'codebuild:BatchGetProjects'),

  's3.ListBuckets': spec('s3', 'ListBuckets', 's3:ListAllMyBuckets'),
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
  's3.GetBucketPolicy': spec('s3', 'GetBucketPolicy', 's3:GetBucketPolicy', {
    absentErrors: ['NoSuchBucketPolicy'],
  }),
  's3.GetBucketLocation': spec('s3', 'GetBucketLocation', 's3:GetBucketLocation'),
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html
  's3.GetPublicAccessBlock': spec('s3', 'GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock', {
    absentErrors: ['NoSuchPublicAccessBlockConfiguration'],
  }),
  's3.GetBucketOwnershipControls': spec(
    's3',
    'GetBucketOwnershipControls',
    's3:GetBucketOwnershipControls',
    { absentErrors: ['OwnershipControlsNotFoundError'] },
  ),
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html (the action is
  // s3:GetEncryptionConfiguration, not s3:GetBucketEncryption)
  's3.GetBucketEncryption': spec('s3', 'GetBucketEncryption', 's3:GetEncryptionConfiguration', {
    absentErrors: ['ServerSideEncryptionConfigurationNotFoundError'],
  }),

  'kms.DescribeKey': spec('kms', 'DescribeKey', 'kms:DescribeKey'),
  'kms.GetKeyPolicy': spec('kms', 'GetKeyPolicy', 'kms:GetKeyPolicy'),
  'kms.ListAliases': spec('kms', 'ListAliases', 'kms:ListAliases'),
  'kms.ListGrants': spec('kms', 'ListGrants', 'kms:ListGrants'),

  // not GetFunction, whose `Code.Location` is a presigned URL to download the function's code,
  // which the crawl never needs: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
  'lambda.GetFunctionConfiguration': spec(
    'lambda',
    'GetFunctionConfiguration',
    'lambda:GetFunctionConfiguration',
  ),
  // https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html: no policy is a 404
  'lambda.GetPolicy': spec('lambda', 'GetPolicy', 'lambda:GetPolicy', {
    absentErrors: ['ResourceNotFoundException'],
  }),

  'sns.GetTopicAttributes': spec('sns', 'GetTopicAttributes', 'sns:GetTopicAttributes'),

  'eventbridge.ListEventBuses': spec('eventbridge', 'ListEventBuses', 'events:ListEventBuses'),
  'eventbridge.ListRuleNamesByTarget': spec(
    'eventbridge',
    'ListRuleNamesByTarget',
    'events:ListRuleNamesByTarget',
  ),
  'eventbridge.ListRules': spec('eventbridge', 'ListRules', 'events:ListRules'),
  'eventbridge.ListTargetsByRule': spec(
    'eventbridge',
    'ListTargetsByRule',
    'events:ListTargetsByRule',
  ),

  'codedeploy.GetDeploymentGroup': spec(
    'codedeploy',
    'GetDeploymentGroup',
    'codedeploy:GetDeploymentGroup',
  ),

  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetRepositoryPolicy.html
  'ecr.GetRepositoryPolicy': spec('ecr', 'GetRepositoryPolicy', 'ecr:GetRepositoryPolicy', {
    absentErrors: ['RepositoryPolicyNotFoundException'],
  }),
} as const satisfies Record<string, CallSpec>;

export type CallKey = keyof typeof CRAWL_CALLS;

/** Look a call up by its SDK client and command class name (the registry check in `call`). */
export function findCall(service: CrawlService, command: string): CallSpec | undefined {
  return Object.values(CRAWL_CALLS).find((c) => c.service === service && c.command === command);
}
