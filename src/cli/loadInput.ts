/**
 * Turn the CLI's input argument into a model: a snapshot folder today; the template loaders
 * (stacks files, CDK assemblies) plug in here. Bad input is a problem, never a throw.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSnapshot } from '../load/snapshot.js';
import type { Model } from '../model/types.js';
import type { Problem } from '../problems.js';

export interface LoadedInput {
  readonly model: Model;
  readonly problems: readonly Problem[];
}

export function loadInput(cwd: string, input: string): LoadedInput {
  const path = resolve(cwd, input);
  if (!existsSync(path))
    return empty(path, inputProblem(input, 'no such file or folder', 'input.missing'));
  if (!statSync(path).isDirectory()) {
    return empty(path, inputProblem(input, 'expected a snapshot folder', 'input.not-a-folder'));
  }
  return { model: loadSnapshot(path), problems: [] };
}

function empty(root: string, problem: Problem): LoadedInput {
  return {
    model: { root, accounts: new Map(), organization: undefined, problems: [] },
    problems: [problem],
  };
}

function inputProblem(file: string, message: string, id: string): Problem {
  return { file, pointer: '', message, id, severity: 'error' };
}
