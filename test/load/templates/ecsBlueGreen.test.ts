import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import {
  parseArtifactOption,
  readSuppliedArtifacts,
  type ArtifactDirectory,
} from '../../../src/load/artifacts.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { Problem } from '../../../src/problems.js';
import type { ReportLink } from '../../../src/report/types.js';

const DIR = 'test/load/templates/fixtures/ecs-blue-green';
const TEMPLATE = `${DIR}/pipeline.yaml`;
const ENV = { account: '111111111111', region: 'us-east-1' };
const CWD = resolve(__dirname, '../../..');
const TASK = 'arn:aws:iam::111111111111:role/web-task';
const EXECUTION = 'arn:aws:iam::111111111111:role/web-execution';
const PASS = 'Deploy/Deploy:ecs-blue-green.pass-role:iam:PassRole';
const REGISTER = 'Deploy/Deploy:ecs-blue-green.register-task-definition:ecs:RegisterTaskDefinition';

function analyze(
  dirs: readonly ArtifactDirectory[],
  parameters: Record<string, string> = {},
): { links: Map<string, ReportLink>; problems: readonly Problem[] } {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  const supplied = readSuppliedArtifacts(model, dirs, { cwd: CWD });
  const report = analyzeModel(model, { artifacts: supplied.artifacts });
  const links = report.pipelines[0]!.links.filter((l) =>
    l.requirement.startsWith('ecs-blue-green.'),
  );
  return { links: new Map(links.map((l) => [l.id, l])), problems: supplied.problems };
}

const SOURCE: ArtifactDirectory = { artifact: 'App', dir: `${DIR}/source` };

const tmp = mkdtempSync(join(tmpdir(), 'permchain-artifacts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A folder holding `files`, as an artifact. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('blue/green ECS deploys read their task definition from the artifact given offline', () => {
  it('without the artifact, the task definition links are Unknown and say which file settles them', () => {
    const { links, problems } = analyze([]);
    expect(problems).toEqual([]);
    const link = links.get(PASS)!;
    expect(link.decision).toBe('Unknown');
    expect(link.missing).toEqual([
      "taskdef.json of input artifact App, the task definition template read at run time (give the artifact's files: --artifact App=DIR)",
    ]);
    // the family is not known either, but the pipeline role allows registering on `*`: every
    // family is allowed (resolveLink byUnsettledName)
    expect(links.get(REGISTER)!.decision).toBe('Allowed');
  });

  it('with it, checks passing each role and registering the family (pass-role and register pass)', () => {
    const { links, problems } = analyze([SOURCE]);
    expect(problems).toEqual([]);
    // the task role is named by its name in taskdef.json: the template's role of that name
    expect(links.get(`${PASS}:${TASK}`)).toMatchObject({
      decision: 'Allowed',
      level: 'required',
      resource: TASK,
      principal: 'arn:aws:iam::111111111111:role/web-pipeline',
    });
    expect(links.get(`${PASS}:${EXECUTION}`)).toMatchObject({ decision: 'Allowed' });
    expect(links.get(REGISTER)).toMatchObject({
      decision: 'Allowed',
      level: 'required',
      resource: 'arn:aws:ecs:us-east-1:111111111111:task-definition/web:*',
    });
    expect([...links.values()].filter((l) => l.decision !== 'Allowed')).toEqual([]);
  });

  it('finds the role the pipeline role may not pass (ecs-blue-green.pass-role fails)', () => {
    const { links } = analyze([SOURCE], { PassExecutionRole: 'false' });
    const denied = links.get(`${PASS}:${EXECUTION}`)!;
    expect(denied.decision).toBe('ImplicitlyDenied');
    expect(denied.deniedBy[0]).toMatchObject({
      policyType: 'identity',
      policy: 'arn:aws:iam::111111111111:role/web-pipeline pipeline',
    });
    expect(links.get(`${PASS}:${TASK}`)!.decision).toBe('Allowed');
  });

  it('finds a pipeline role that may not register the task definition (ecs-blue-green.register-task-definition fails)', () => {
    const { links } = analyze([SOURCE], { AllowRegister: 'false' });
    const denied = links.get(REGISTER)!;
    expect(denied.decision).toBe('ImplicitlyDenied');
    expect(denied.deniedBy[0]).toMatchObject({ policyType: 'identity' });
  });

  it('a malformed taskdef.json is one problem naming the file and the pointer; its links stay Unknown', () => {
    const file = `${DIR}/source-malformed/taskdef.json`;
    const { links, problems } = analyze([{ artifact: 'App', dir: `${DIR}/source-malformed` }]);
    expect(problems).toEqual([
      {
        file,
        pointer: '/taskRoleArn',
        message: '`taskRoleArn` must be a string',
        id: 'artifact.taskdef.invalid',
        severity: 'error',
      },
    ]);
    expect(links.get(PASS)).toMatchObject({
      decision: 'Unknown',
      missing: [`${file}, once its problems are fixed`],
    });
    // whatever family the fixed file names, the pipeline role may register it (on `*`)
    expect(links.get(REGISTER)!.decision).toBe('Allowed');
    // the rest of the action is analyzed
    expect(
      links.get('Deploy/Deploy:ecs-blue-green.create-deployment:codedeploy:CreateDeployment')!
        .decision,
    ).toBe('Allowed');
  });

  it('a taskdef.json with a member written twice is not read: it could be read two ways', () => {
    // JSON.parse keeps the last `taskRoleArn` (the execution role, which may be passed), where
    // another reader keeps the first (a role the pipeline role may not pass): the links that
    // depend on it stay Unknown, not Allowed
    const source = readFileSync(`${DIR}/source/taskdef.json`, 'utf8');
    const twice = source.replace(
      '"taskRoleArn": "web-task",',
      `"taskRoleArn": "web-task", "taskRoleArn": "${EXECUTION}",`,
    );
    expect(twice).not.toBe(source);
    const dir = folder('twice', { 'taskdef.json': twice });
    const { links, problems } = analyze([{ artifact: 'App', dir }]);
    expect(problems).toEqual([
      expect.objectContaining({
        file: `${dir}/taskdef.json`,
        pointer: '/taskRoleArn',
        id: 'artifact.json.duplicate-key',
        severity: 'error',
      }),
    ]);
    expect(links.get(PASS)!.decision).toBe('Unknown');
  });

  it('reports files that are not JSON, missing, or outside the artifact', () => {
    const bad = (files: Record<string, string>, name: string): readonly Problem[] =>
      analyze([{ artifact: 'App', dir: folder(name, files) }]).problems;
    expect(bad({ 'taskdef.json': '{\n  "family": "web",\n  oops\n}' }, 'syntax')).toEqual([
      expect.objectContaining({
        pointer: '',
        message: expect.stringMatching(/^not valid json: line 3 column 3$/),
        id: 'artifact.json.invalid',
        severity: 'error',
      }),
    ]);
    expect(bad({ 'appspec.yaml': 'version: 0.0' }, 'no-taskdef')).toEqual([
      expect.objectContaining({
        file: `${join(tmp, 'no-taskdef')}/taskdef.json`,
        id: 'artifact.file.unreadable',
        severity: 'error',
      }),
    ]);
    expect(bad({ 'taskdef.json': '{"taskRoleArn": "x"}' }, 'no-family')).toEqual([
      expect.objectContaining({ pointer: '/family', message: 'missing `family`' }),
    ]);
    expect(bad({ 'taskdef.json': '{"family": "<FAMILY>"}' }, 'placeholder')).toEqual([
      expect.objectContaining({
        pointer: '/family',
        message: '`<FAMILY>` is not a task definition family (letters, digits, `_` and `-`)',
      }),
    ]);
  });

  it('a role named only by its name that no input defines leaves pass-role Unknown, not the family', () => {
    const dir = folder('unknown-role', {
      'taskdef.json': JSON.stringify({ family: 'web', executionRoleArn: 'not-in-the-template' }),
    });
    const { links } = analyze([{ artifact: 'App', dir }]);
    expect(links.get(PASS)).toMatchObject({ decision: 'Unknown' });
    expect(links.get(PASS)!.missing?.[0]).toContain('the role not-in-the-template');
    expect(links.get(REGISTER)!.decision).toBe('Allowed');
  });

  it('the folder given for the pipeline wins over the one given for every pipeline', () => {
    const { model } = loadSingleTemplate(TEMPLATE, ENV);
    const wrong = folder('everyone', { 'taskdef.json': '{"family": "other"}' });
    const right = folder('for-web', { 'taskdef.json': '{"family": "web"}' });
    const supplied = readSuppliedArtifacts(
      model,
      [
        { artifact: 'App', dir: wrong },
        { artifact: 'App', pipeline: 'web', dir: right },
      ],
      { cwd: CWD },
    );
    expect([...supplied.artifacts.taskDefinitions.values()].map((t) => t.family)).toEqual(['web']);
    // the unused folder is a warning, not an error
    expect(supplied.problems).toEqual([
      expect.objectContaining({ file: wrong, id: 'artifact.unused', severity: 'warning' }),
    ]);
  });

  it('reads TaskDefinitionTemplatePath inside the artifact, never outside it', () => {
    const withPath = (path: string): string => {
      const file = join(tmp, `${path.replace(/\W/g, '_')}.yaml`);
      writeFileSync(
        file,
        readFileSync(TEMPLATE, 'utf8').replace(
          'AppSpecTemplateArtifact: App',
          `AppSpecTemplateArtifact: App\n                TaskDefinitionTemplatePath: ${path}`,
        ),
      );
      return file;
    };
    const dir = folder('nested', { 'deploy/td.json': '{"family": "nested"}' });
    const read = (path: string) => {
      const { model } = loadSingleTemplate(withPath(path), ENV);
      return readSuppliedArtifacts(model, [{ artifact: 'App', dir }], { cwd: CWD });
    };
    const nested = read('deploy/td.json');
    expect(nested.problems).toEqual([]);
    expect([...nested.artifacts.taskDefinitions.values()]).toEqual([
      {
        file: `${dir}/deploy/td.json`,
        valid: true,
        family: 'nested',
        taskRoleArn: undefined,
        executionRoleArn: undefined,
      },
    ]);
    expect(read('../secrets.json').problems).toEqual([
      expect.objectContaining({
        message: '`TaskDefinitionTemplatePath` leads out of the artifact',
        id: 'artifact.path.invalid',
        severity: 'error',
      }),
    ]);
  });

  it('folders that do not exist are input errors', () => {
    const { problems } = analyze([{ artifact: 'App', dir: 'no/such/folder' }]);
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'no/such/folder',
        id: 'artifact.folder.missing',
        severity: 'error',
      }),
    ]);
  });

  it('parses [PIPELINE/]NAME=DIR', () => {
    expect(parseArtifactOption('App=src')).toEqual({ artifact: 'App', dir: 'src' });
    expect(parseArtifactOption('web/App=./a=b')).toEqual({
      artifact: 'App',
      pipeline: 'web',
      dir: './a=b',
    });
    expect(parseArtifactOption('App')).toEqual({
      error: '--artifact `App` is not [PIPELINE/]NAME=DIR',
    });
    expect(parseArtifactOption('=dir')).toHaveProperty('error');
    expect(parseArtifactOption('/App=dir')).toHaveProperty('error');
    expect(parseArtifactOption('A.pp=dir')).toEqual({
      error: '--artifact `A.pp=dir`: `A.pp` is not an artifact name',
    });
  });
});
