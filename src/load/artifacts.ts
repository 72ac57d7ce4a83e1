/**
 * Artifact contents given offline (`permchain analyze --artifact [PIPELINE/]NAME=DIR`). Some
 * actions read a file from an input artifact at run time, which neither a snapshot nor a
 * template holds: the CodeDeployToECS action registers the task definition written in
 * `TaskDefinitionTemplatePath` (default `taskdef.json`) of `TaskDefinitionTemplateArtifact`
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html).
 * Before a deploy that file usually sits in the repository being deployed, so the user points at
 * the folder that holds the artifact's files.
 *
 * The files are read here, once, for the actions that need them; the chain reads the result,
 * which is plain data.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { listPipelines } from '../model/queries.js';
import type { Model } from '../model/types.js';
import {
  DEFAULT_TASK_DEFINITION_PATH,
  NO_ARTIFACTS,
  taskDefinitionKey,
  type SuppliedArtifacts,
  type TaskDefinitionTemplate,
} from '../model/artifacts.js';
import { joinPointer, shownValue, sortProblems, type Problem } from '../problems.js';
import { duplicateMemberProblems, readJsonText } from './jsonFile.js';

/** One `--artifact` value. */
export interface ArtifactDirectory {
  /** the artifact name, as the pipeline's actions name their input artifacts */
  readonly artifact: string;
  /** only the artifact of this pipeline (name or ARN); undefined: of every pipeline */
  readonly pipeline?: string;
  /** the folder holding the artifact's files, as the user wrote it (relative to `cwd`) */
  readonly dir: string;
}

/**
 * `[PIPELINE/]NAME=DIR`. Artifact names are letters, digits, `_` and `-`, and pipeline names
 * hold no `/` or `=`
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ArtifactDeclaration.html),
 * so the first `=` ends the name and a `/` before it ends the pipeline.
 */
export function parseArtifactOption(text: string): ArtifactDirectory | { readonly error: string } {
  const eq = text.indexOf('=');
  const dir = eq < 0 ? '' : text.slice(eq + 1);
  const head = eq < 0 ? '' : text.slice(0, eq);
  const slash = head.lastIndexOf('/');
  const pipeline = slash < 0 ? undefined : head.slice(0, slash);
  const artifact = slash < 0 ? head : head.slice(slash + 1);
  if (dir === '' || artifact === '' || pipeline === '') {
    return { error: `--artifact \`${text}\` is not [PIPELINE/]NAME=DIR` };
  }
  if (!/^[A-Za-z0-9_-]+$/.test(artifact)) {
    return { error: `--artifact \`${text}\`: \`${artifact}\` is not an artifact name` };
  }
  return pipeline === undefined ? { artifact, dir } : { artifact, pipeline, dir };
}

/**
 * Read, from the given folders, the files the actions of the model's pipelines (or of
 * `pipelines`, names or ARNs) would read from their input artifacts. A folder given for a
 * pipeline wins over one given for every pipeline.
 */
export function readSuppliedArtifacts(
  model: Model,
  dirs: readonly ArtifactDirectory[],
  options: { readonly cwd: string; readonly pipelines?: readonly string[] },
): { readonly artifacts: SuppliedArtifacts; readonly problems: readonly Problem[] } {
  if (dirs.length === 0) return { artifacts: NO_ARTIFACTS, problems: [] };
  const problems: Problem[] = [];
  const taskDefinitions = new Map<string, TaskDefinitionTemplate>();
  const used = new Set<ArtifactDirectory>();
  const missing = new Set<ArtifactDirectory>();
  // one read per file, however many actions read it
  const read = new Map<string, TaskDefinitionTemplate>();
  const wanted = options.pipelines ?? [];
  for (const d of dirs) {
    if (!isFolder(resolve(options.cwd, d.dir))) {
      missing.add(d);
      problems.push({
        file: d.dir,
        pointer: '',
        message: `--artifact \`${d.artifact}\`: no such folder`,
        id: 'artifact.folder.missing',
        severity: 'error',
      });
      used.add(d);
    }
  }
  for (const pipeline of listPipelines(model)) {
    if (wanted.length > 0 && !wanted.includes(pipeline.name) && !wanted.includes(pipeline.arn)) {
      continue;
    }
    const folderOf = (artifact: string): ArtifactDirectory | undefined =>
      dirs.find(
        (d) =>
          d.artifact === artifact && (d.pipeline === pipeline.name || d.pipeline === pipeline.arn),
      ) ?? dirs.find((d) => d.artifact === artifact && d.pipeline === undefined);
    for (const stage of pipeline.stages) {
      for (const action of stage.actions) {
        if (action.provider !== 'CodeDeployToECS') continue;
        const artifact = action.configuration['TaskDefinitionTemplateArtifact'];
        const d = artifact === undefined ? undefined : folderOf(artifact);
        if (!d || artifact === undefined) continue;
        used.add(d);
        const path =
          action.configuration['TaskDefinitionTemplatePath'] || DEFAULT_TASK_DEFINITION_PATH;
        const file = displayFile(d.dir, path);
        let td = read.get(file);
        if (!td) {
          td = missing.has(d)
            ? invalidTemplate(file)
            : readTaskDefinition(resolve(options.cwd, d.dir), file, path, problems);
          read.set(file, td);
        }
        taskDefinitions.set(taskDefinitionKey(pipeline.arn, artifact, path), td);
      }
    }
  }
  for (const d of dirs) {
    if (used.has(d)) continue;
    problems.push({
      file: d.dir,
      pointer: '',
      message: `--artifact \`${d.artifact}\`: no CodeDeployToECS action${d.pipeline ? ` of pipeline \`${d.pipeline}\`` : ''} reads its task definition from artifact \`${d.artifact}\``,
      id: 'artifact.unused',
      severity: 'warning',
    });
  }
  return { artifacts: { taskDefinitions }, problems: sortProblems(problems) };
}

function invalidTemplate(file: string): TaskDefinitionTemplate {
  return {
    file,
    valid: false,
    family: undefined,
    taskRoleArn: undefined,
    executionRoleArn: undefined,
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function displayFile(dir: string, path: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${path}`;
}

/**
 * A task definition template: the JSON `register-task-definition` takes. CodeDeploy replaces
 * `<IMAGE1_NAME>`-style placeholders in container images only, so the family and roles are
 * read as written.
 */
function readTaskDefinition(
  dir: string,
  file: string,
  path: string,
  problems: Problem[],
): TaskDefinitionTemplate {
  const invalid = invalidTemplate(file);
  const problem = (pointer: string, message: string, id: string): TaskDefinitionTemplate => {
    problems.push({ file, pointer, message, id, severity: 'error' });
    return invalid;
  };
  const normalized = normalize(path);
  if (isAbsolute(path) || normalized.split(/[\\/]/)[0] === '..') {
    return problem(
      '',
      '`TaskDefinitionTemplatePath` leads out of the artifact',
      'artifact.path.invalid',
    );
  }
  const read = readJsonText(join(dir, normalized));
  if (!read.ok) {
    const id =
      read.reason === 'invalid'
        ? 'artifact.json.invalid'
        : read.reason === 'too-large'
          ? 'artifact.file.too-large'
          : 'artifact.file.unreadable';
    const message =
      read.message === 'file not found'
        ? 'file not found: the artifact folder has no task definition template at this path'
        : read.message;
    return problem('', message, id);
  }
  // a member name twice in one object (`taskRoleArn` written twice): JSON.parse keeps the last,
  // where another reader may keep the first: the file could be read two ways and is not read
  // (as a snapshot file or a CDK manifest with one: snapshotFiles.ts, cdk.ts)
  if (read.duplicates !== undefined) {
    problems.push(
      ...duplicateMemberProblems(file, read, 'artifact.json.duplicate-key', 'the task definition'),
    );
    return invalid;
  }
  const value = read.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem(
      '',
      'expected a task definition object (`family`, `taskRoleArn`, `executionRoleArn`, ...)',
      'artifact.taskdef.invalid',
    );
  }
  const o = value as Record<string, unknown>;
  let ok = true;
  const str = (key: string, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null || v === '') {
      if (required) {
        ok = false;
        problem(joinPointer('', key), `missing \`${key}\``, 'artifact.taskdef.invalid');
      }
      return undefined;
    }
    if (typeof v === 'string') return v;
    ok = false;
    problem(joinPointer('', key), `\`${key}\` must be a string`, 'artifact.taskdef.invalid');
    return undefined;
  };
  const family = str('family', true);
  const taskRoleArn = str('taskRoleArn', false);
  const executionRoleArn = str('executionRoleArn', false);
  if (family !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    ok = false;
    problem(
      '/family',
      `${shownValue(family, 80)} is not a task definition family (letters, digits, \`_\` and \`-\`)`,
      'artifact.taskdef.invalid',
    );
  }
  return ok ? { file, valid: true, family, taskRoleArn, executionRoleArn } : invalid;
}
