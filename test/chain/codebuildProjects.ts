/**
 * Builders shared by the CodeBuild secondary-source tests (secondarySources, secondaryConnections,
 * secondarySecrets): a project model in account 111111111111 (eu-west-1) with the given secondary
 * sources and artifacts, and the facts of the pipeline action that runs it; and the S3 secondary
 * artifact the secondary-artifact tests give pass-cross-account's build project.
 */
import type { ActionFacts } from '../../src/chain/catalogTypes.js';
import type {
  CodeBuildArtifactsModel,
  CodeBuildProjectModel,
  CodeBuildSourceModel,
} from '../../src/model/types.js';

export const ACCOUNT = '111111111111';

/**
 * An S3 secondary artifact as a snapshot's CodeBuild project file gives it (the secondary
 * artifact tests add it to pass-cross-account's build project): `release-bucket/builds/app.zip`,
 * one ZIP object of a known name, encrypted with the project's key.
 */
export const RELEASE: Readonly<Record<string, string>> = {
  type: 'S3',
  location: 'release-bucket',
  path: 'builds',
  name: 'app.zip',
  namespaceType: 'NONE',
  packaging: 'ZIP',
  artifactIdentifier: 'rel',
};

/** A source's optional fields, all unset. */
export const NO_SOURCE_FIELDS = {
  location: undefined,
  sourceIdentifier: undefined,
  authType: undefined,
  authResource: undefined,
};

/** Project `web` whose secondary sources (and artifacts) are `sources` (and `artifacts`). */
export function project(
  sources: Partial<CodeBuildSourceModel>[],
  artifacts: Partial<CodeBuildArtifactsModel>[] = [],
  pointer = '/projects/0',
): CodeBuildProjectModel {
  return {
    name: 'web',
    arn: `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/web`,
    account: ACCOUNT,
    region: 'eu-west-1',
    serviceRole: `arn:aws:iam::${ACCOUNT}:role/build`,
    encryptionKey: undefined,
    environment: undefined,
    source: { type: 'CODEPIPELINE', ...NO_SOURCE_FIELDS },
    secondarySources: sources.map((s) => ({ ...NO_SOURCE_FIELDS, type: undefined, ...s })),
    artifacts: undefined,
    secondaryArtifacts: artifacts.map((a) => ({
      type: undefined,
      location: undefined,
      artifactIdentifier: undefined,
      encryptionDisabled: undefined,
      ...a,
    })),
    logsConfig: undefined,
    vpcConfig: undefined,
    location: { file: `${ACCOUNT}/eu-west-1/codebuild.json`, pointer },
  };
}

/** The facts of the pipeline's CodeBuild action `Build/Build` running project `web`. */
export function buildFacts(codebuild: ActionFacts['codebuild']): ActionFacts {
  return {
    partition: 'aws',
    region: 'eu-west-1',
    account: ACCOUNT,
    pipelineName: 'app',
    stageName: 'Build',
    actionName: 'Build',
    category: 'Build',
    provider: 'CodeBuild',
    actionRegion: 'eu-west-1',
    actionAccount: ACCOUNT,
    configuration: { ProjectName: 'web' },
    inputArtifacts: [],
    outputArtifacts: [],
    ...(codebuild ? { codebuild } : {}),
  };
}
