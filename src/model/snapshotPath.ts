/**
 * The relative path of each snapshot file (see /work/shared/snapshot-format.md). The loader
 * records these as locations; lookups name them as the file that would settle an unknown.
 */
export const snapshotPath = {
  iam: (account: string): string => `${account}/iam.json`,
  bucket: (account: string, bucket: string): string => `${account}/s3/${bucket}.json`,
  pipeline: (account: string, region: string, name: string): string =>
    `${account}/${region}/codepipeline/${name}.json`,
  codebuild: (account: string, region: string): string => `${account}/${region}/codebuild.json`,
  kmsKey: (account: string, region: string, keyId: string): string =>
    `${account}/${region}/kms/${keyId}.json`,
  kmsAliases: (account: string, region: string): string => `${account}/${region}/kms/aliases.json`,
  lambda: (account: string, region: string, name: string): string =>
    `${account}/${region}/lambda/${name}.json`,
  deploymentGroup: (account: string, region: string, app: string, group: string): string =>
    `${account}/${region}/codedeploy/${app}.${group}.json`,
  events: (account: string, region: string): string => `${account}/${region}/events.json`,
  ecrRepository: (account: string, region: string, name: string): string =>
    `${account}/${region}/ecr/${name}.json`,
  snsTopic: (account: string, region: string, name: string): string =>
    `${account}/${region}/sns/${name}.json`,
  orgDescribe: 'organization/describe-organization.json',
  orgParents: 'organization/parents.json',
  orgAccounts: 'organization/accounts.json',
  orgScpFolder: 'organization/scp/',
  orgRcpFolder: 'organization/rcp/',
  orgScp: (id: string): string => `organization/scp/${id}.json`,
  orgRcp: (id: string): string => `organization/rcp/${id}.json`,
} as const;
