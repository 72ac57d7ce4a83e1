/**
 * Names AWS could never have produced (past the documented length, or with characters outside
 * the documented pattern) are input errors at the name's pointer, and the item is not read: a
 * pipeline is not analyzed, a role or CodeBuild project is unknown. A name at the limit, with
 * every character AWS allows, is read as before. The message never repeats a long name in full.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { findCodeBuildProject, findRole } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { Problem } from '../../src/problems.js';
import { exitCodeFor } from '../../src/report/gate.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PASS = 'fixtures/scenarios/pass-cross-account';
const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
const CODEBUILD = '111111111111/us-east-1/codebuild.json';
const PROD_IAM = '222222222222/iam.json';

function edit(dir: string, file: string, change: (d: Json) => void): void {
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
  change(doc);
  writeFileSync(join(dir, file), JSON.stringify(doc, null, 2));
}

function load(file: string, change: (d: Json) => void): Model {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-names-'));
  cpSync(PASS, dir, { recursive: true });
  edit(dir, file, change);
  return loadSnapshot(dir);
}

const nameProblems = (m: Model): Problem[] =>
  m.problems.filter((p) => p.id === 'snapshot.name.invalid');
const pipelines = (m: Model): string[] => [
  ...m.accounts.get('111111111111')!.regions.get('us-east-1')!.pipelines.keys(),
];

/** `n` characters: the allowed ones first, padded with `x`. */
const nameOf = (allowed: string, n: number): string => (allowed + 'x'.repeat(n)).slice(0, n);

describe('pipeline names (CodePipeline: 1 to 100 of A-Za-z0-9.@-_)', () => {
  const rename = (name: string) => (d: Json) => {
    d['pipeline'].name = name;
  };

  it('reads a name of 100 characters with every allowed character', () => {
    const name = nameOf('aZ09.@-_', 100);
    const model = load(PIPE, rename(name));
    expect(nameProblems(model)).toEqual([]);
    expect(pipelines(model)).toEqual([name]);
  });

  it('does not analyze a pipeline whose name is 101 characters: an input error at the name', () => {
    const model = load(PIPE, rename('p'.repeat(101)));
    expect(nameProblems(model)).toEqual([
      {
        file: PIPE,
        pointer: '/pipeline/name',
        message: `the pipeline name \`${'p'.repeat(40)}\`… (101 characters) is longer than CodePipeline allows (at most 100 characters): the pipeline is not analyzed`,
        id: 'snapshot.name.invalid',
        severity: 'error',
      },
    ]);
    expect(pipelines(model)).toEqual([]);
    expect(exitCodeFor(analyzeModel(model), 'denied')).toBe(2);
  });

  it('keeps a 1 MB name out of the messages', () => {
    const model = load(PIPE, rename('p'.repeat(1 << 20)));
    const [p] = nameProblems(model);
    expect(p!.message.length).toBeLessThan(200);
    expect(p!.message).toContain('(1048576 characters)');
    expect(pipelines(model)).toEqual([]);
  });

  it('rejects a character CodePipeline does not allow, and an empty name', () => {
    expect(nameProblems(load(PIPE, rename('orders api'))).map((p) => p.message)).toEqual([
      'the pipeline name `orders api` has characters CodePipeline does not allow (letters, digits and `.@-_`): the pipeline is not analyzed',
    ]);
    expect(nameProblems(load(PIPE, rename(''))).map((p) => p.message)).toEqual([
      'the pipeline name is empty: the pipeline is not analyzed',
    ]);
  });
});

describe('role names (IAM: 1 to 64 of A-Za-z0-9_+=,.@-)', () => {
  const rename = (name: string) => (d: Json) => {
    const role = d['RoleDetailList'][0];
    role.RoleName = name;
    role.Arn = `arn:aws:iam::222222222222:role/${name}`;
  };

  it('reads a name of 64 characters with every allowed character', () => {
    const name = nameOf('aZ09_+=,.@-', 64);
    const model = load(PROD_IAM, rename(name));
    expect(nameProblems(model)).toEqual([]);
    const role = findRole(model, `arn:aws:iam::222222222222:role/${name}`);
    expect(role.kind).toBe('found');
  });

  it('does not read a role whose name is 65 characters: a lookup of it is unknown, not absent', () => {
    const name = 'r'.repeat(65);
    const model = load(PROD_IAM, rename(name));
    expect(nameProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/RoleDetailList/0/RoleName',
        message: `the role name \`${'r'.repeat(40)}\`… (65 characters) is longer than IAM allows (at most 64 characters): the role is not read`,
        id: 'snapshot.name.invalid',
        severity: 'error',
      },
    ]);
    expect(findRole(model, `arn:aws:iam::222222222222:role/${name}`).kind).toBe('missing');
    // the other roles of the account are still read
    expect(findRole(model, 'arn:aws:iam::222222222222:role/orders-api-cfn-exec').kind).toBe(
      'found',
    );
  });

  it('rejects a character IAM does not allow (a path is not part of the name)', () => {
    expect(nameProblems(load(PROD_IAM, rename('team/deploy'))).map((p) => p.message)).toEqual([
      'the role name `team/deploy` has characters IAM does not allow (letters, digits and `_+=,.@-`): the role is not read',
    ]);
  });
});

describe('codebuild project names (CodeBuild: 2 to 255, [A-Za-z0-9][A-Za-z0-9-_]{1,254})', () => {
  const rename = (name: string) => (d: Json) => {
    d['projects'][0].name = name;
    delete d['projects'][0].arn;
  };
  const find = (m: Model, name: string) =>
    findCodeBuildProject(m, '111111111111', 'us-east-1', name);

  it('reads names of 255 and of 2 characters with every allowed character', () => {
    const name = nameOf('aZ09-_', 255);
    const model = load(CODEBUILD, rename(name));
    expect(nameProblems(model)).toEqual([]);
    expect(find(model, name).kind).toBe('found');
    expect(find(load(CODEBUILD, rename('a-')), 'a-').kind).toBe('found');
  });

  it('does not read a project whose name is 256 characters: what uses it is unknown', () => {
    const name = 'b'.repeat(256);
    const model = load(CODEBUILD, rename(name));
    expect(nameProblems(model)).toEqual([
      {
        file: CODEBUILD,
        pointer: '/projects/0/name',
        message: `the codebuild project name \`${'b'.repeat(40)}\`… (256 characters) is longer than CodeBuild allows (at most 255 characters): the project is not read`,
        id: 'snapshot.name.invalid',
        severity: 'error',
      },
    ]);
    expect(find(model, name).kind).toBe('missing');
  });

  it('rejects a name of one character, a first character that is not a letter or digit, and a dot', () => {
    const messages = (name: string): string[] =>
      nameProblems(load(CODEBUILD, rename(name))).map((p) => p.message);
    expect(messages('a')).toEqual([
      'the codebuild project name `a` is shorter than CodeBuild allows (at least 2 characters): the project is not read',
    ]);
    const chars =
      'has characters CodeBuild does not allow (letters, digits, `-` and `_`, starting with a letter or digit): the project is not read';
    expect(messages('-build')).toEqual([`the codebuild project name \`-build\` ${chars}`]);
    expect(messages('orders.build')).toEqual([
      `the codebuild project name \`orders.build\` ${chars}`,
    ]);
  });
});
