/**
 * Files of pipeline artifacts that the user gave offline (read by src/load/artifacts.ts): plain
 * data for the chain. Keys use the pipeline ARN, since artifact names are only unique within a
 * pipeline.
 */

/** A task definition template (`taskdef.json`) read from an artifact. */
export interface TaskDefinitionTemplate {
  /** the file as reports name it: `<dir>/<path>` */
  readonly file: string;
  /** false: the file is missing, not JSON, or a field has the wrong type (problems say which) */
  readonly valid: boolean;
  readonly family: string | undefined;
  /** `taskRoleArn`: a role ARN, or a role name (ECS takes both) */
  readonly taskRoleArn: string | undefined;
  readonly executionRoleArn: string | undefined;
}

export interface SuppliedArtifacts {
  /** by `taskDefinitionKey(pipeline ARN, artifact, path)` */
  readonly taskDefinitions: ReadonlyMap<string, TaskDefinitionTemplate>;
}

export const NO_ARTIFACTS: SuppliedArtifacts = { taskDefinitions: new Map() };

/** The default of `TaskDefinitionTemplatePath`. */
export const DEFAULT_TASK_DEFINITION_PATH = 'taskdef.json';

export function taskDefinitionKey(pipelineArn: string, artifact: string, path: string): string {
  return `${pipelineArn}\u0000${artifact}\u0000${path}`;
}
