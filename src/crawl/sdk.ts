/**
 * The only place that loads the AWS SDK, always with a dynamic `import()` so that commands other
 * than `crawl` never load it (a test checks this). Types come from `import type`, which the
 * compiler erases.
 */
import type { CrawlService } from './calls.js';

const loaders = {
  codebuild: () => import('@aws-sdk/client-codebuild'),
  codedeploy: () => import('@aws-sdk/client-codedeploy'),
  codepipeline: () => import('@aws-sdk/client-codepipeline'),
  ecr: () => import('@aws-sdk/client-ecr'),
  eventbridge: () => import('@aws-sdk/client-eventbridge'),
  iam: () => import('@aws-sdk/client-iam'),
  kms: () => import('@aws-sdk/client-kms'),
  lambda: () => import('@aws-sdk/client-lambda'),
  organizations: () => import('@aws-sdk/client-organizations'),
  s3: () => import('@aws-sdk/client-s3'),
  sns: () => import('@aws-sdk/client-sns'),
  sts: () => import('@aws-sdk/client-sts'),
} as const satisfies Record<CrawlService, () => Promise<unknown>>;

export type SdkModule<S extends CrawlService> = Awaited<ReturnType<(typeof loaders)[S]>>;

/** The client class of each package. */
const CLIENT_CLASS = {
  codebuild: 'CodeBuildClient',
  codedeploy: 'CodeDeployClient',
  codepipeline: 'CodePipelineClient',
  ecr: 'ECRClient',
  eventbridge: 'EventBridgeClient',
  iam: 'IAMClient',
  kms: 'KMSClient',
  lambda: 'LambdaClient',
  organizations: 'OrganizationsClient',
  s3: 'S3Client',
  sns: 'SNSClient',
  sts: 'STSClient',
} as const satisfies Record<CrawlService, string>;

/** What every command-capable SDK client offers. */
export interface SendableClient {
  send(command: unknown): Promise<unknown>;
  destroy(): void;
}

const cache = new Map<CrawlService, Promise<unknown>>();

export function loadSdk<S extends CrawlService>(service: S): Promise<SdkModule<S>> {
  let p = cache.get(service);
  if (!p) {
    p = loaders[service]();
    cache.set(service, p);
  }
  return p as Promise<SdkModule<S>>;
}

/** Build a client of `service` with the given config (region, credentials, retries, endpoint). */
export async function createClient(
  service: CrawlService,
  config: Record<string, unknown>,
): Promise<SendableClient> {
  const mod = (await loadSdk(service)) as unknown as Record<
    string,
    new (config: Record<string, unknown>) => SendableClient
  >;
  const Client = mod[CLIENT_CLASS[service]];
  if (!Client) throw new Error(`no client class ${CLIENT_CLASS[service]} in the ${service} SDK`);
  return new Client(config);
}

/**
 * The region the SDK's default chain yields (AWS_REGION, the profile's `region`), or undefined
 * when none is configured.
 */
export async function resolveDefaultRegion(
  profile: string | undefined,
): Promise<string | undefined> {
  const client = (await createClient(
    'sts',
    profile !== undefined ? { profile } : {},
  )) as SendableClient & {
    config: { region: () => Promise<string> };
  };
  try {
    const region = await client.config.region();
    return typeof region === 'string' && region !== '' ? region : undefined;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
