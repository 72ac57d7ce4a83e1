/**
 * A CDK cloud assembly (`cdk.out`): `manifest.json` lists each stack's template, account and
 * region (https://docs.aws.amazon.com/cdk/v2/guide/environments.html). Environment-agnostic
 * stacks (`aws://unknown-account/unknown-region`) take the account and region given here.
 * Nested assemblies (CDK stages) are read too.
 */
import { realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { joinPointer, type Problem } from '../problems.js';
import {
  displayPath,
  loadStacks,
  readTemplateFile,
  type StackSpec,
  type TemplateLoadOptions,
  type TemplateLoadResult,
} from './stacks.js';
import type { StackParameterInput } from './templateStack.js';
import { readJsonText } from './jsonFile.js';

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A folder with a `manifest.json` that is not a folder. A snapshot never has one at its top
 * level, so a manifest that cannot be read or lists no artifacts is reported as a broken
 * assembly (readAssembly) instead of being read as a snapshot with no pipelines.
 */
export function isCdkAssembly(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    return !statSync(join(dir, 'manifest.json')).isDirectory();
  } catch {
    return false;
  }
}

const MAX_NESTING = 8;

/** A folder as one path, whatever link or `..` leads to it. */
function canonicalDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

export function loadCdkAssembly(
  dir: string,
  opts: { account?: string; region?: string } & TemplateLoadOptions,
): TemplateLoadResult {
  const problems: Problem[] = [];
  const specs: StackSpec[] = [];
  readAssembly(dir, opts, specs, problems, 0, new Set());
  return loadStacks(specs, displayPath(dir), opts, problems);
}

function readAssembly(
  dir: string,
  opts: { account?: string; region?: string },
  specs: StackSpec[],
  problems: Problem[],
  depth: number,
  visited: Set<string>,
): void {
  // a nested assembly that names a folder already read (itself, an ancestor, a sibling's) is
  // read once: a manifest whose nested assemblies name their own folder would otherwise be read
  // ten times per level
  visited.add(canonicalDir(dir));
  const manifestPath = join(dir, 'manifest.json');
  const file = displayPath(manifestPath);
  const read = readJsonText(manifestPath);
  const artifacts = read.ok && isObject(read.value) ? read.value['artifacts'] : undefined;
  if (!isObject(artifacts)) {
    problems.push({
      file,
      pointer: '',
      message: read.ok
        ? 'expected a cdk `manifest.json` with `artifacts`'
        : `expected a cdk \`manifest.json\` with \`artifacts\`: ${read.message}`,
      id: 'cdk.manifest.invalid',
      severity: 'error',
    });
    return;
  }
  for (const id of Object.keys(artifacts).sort()) {
    const a = artifacts[id];
    const pointer = joinPointer('/artifacts', id);
    if (!isObject(a)) continue;
    const props = isObject(a['properties']) ? a['properties'] : {};
    if (a['type'] === 'cdk:cloud-assembly' && typeof props['directoryName'] === 'string') {
      const nested = join(dir, props['directoryName']);
      if (visited.has(canonicalDir(nested))) {
        problems.push({
          file,
          pointer: joinPointer(pointer, 'properties', 'directoryName'),
          message: `the nested assembly \`${props['directoryName'].slice(0, 120)}\` is a folder already read: it is read once`,
          id: 'cdk.assembly.repeated',
          severity: 'warning',
        });
      } else if (depth < MAX_NESTING) {
        readAssembly(nested, opts, specs, problems, depth + 1, visited);
      } else {
        // its stacks are not read: say so, or their pipelines would vanish without a word
        problems.push({
          file,
          pointer: joinPointer(pointer, 'properties', 'directoryName'),
          message: `the nested assembly \`${props['directoryName'].slice(0, 120)}\` is more than ${MAX_NESTING} levels deep: it is not read (analyze it directly)`,
          id: 'cdk.assembly.too-deep',
          severity: 'error',
        });
      }
      continue;
    }
    if (a['type'] !== 'aws:cloudformation:stack') continue;
    const templateFile = props['templateFile'];
    if (typeof templateFile !== 'string') {
      problems.push({
        file,
        pointer: joinPointer(pointer, 'properties'),
        message: `stack \`${id}\` has no \`templateFile\``,
        id: 'cdk.stack.invalid',
        severity: 'error',
      });
      continue;
    }
    const env =
      typeof a['environment'] === 'string'
        ? a['environment']
        : 'aws://unknown-account/unknown-region';
    const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(env);
    let reported = false;
    let account = m?.[1] ?? 'unknown-account';
    let region = m?.[2] ?? 'unknown-region';
    if (account === 'unknown-account') {
      if (opts.account !== undefined) account = opts.account;
      else {
        reported = true;
        problems.push({
          file,
          pointer: joinPointer(pointer, 'environment'),
          message: `stack \`${id}\` is environment-agnostic: give an account`,
          id: 'cdk.environment.account-unknown',
          severity: 'warning',
        });
      }
    }
    if (region === 'unknown-region') {
      if (opts.region !== undefined) region = opts.region;
      else {
        reported = true;
        problems.push({
          file,
          pointer: joinPointer(pointer, 'environment'),
          message: `stack \`${id}\` is environment-agnostic: give a region`,
          id: 'cdk.environment.region-unknown',
          severity: 'warning',
        });
      }
    }
    const parameters = new Map<string, StackParameterInput>();
    if (isObject(props['parameters'])) {
      for (const [k, v] of Object.entries(props['parameters']).sort(([x], [y]) =>
        x < y ? -1 : 1,
      )) {
        if (typeof v === 'string' || typeof v === 'number') parameters.set(k, String(v));
      }
    }
    const templatePath = join(dir, templateFile);
    specs.push({
      file: displayPath(templatePath),
      ...readTemplateFile(templatePath),
      name: typeof props['stackName'] === 'string' ? props['stackName'] : id,
      account,
      region,
      parameters,
      declaredIn: { file, pointer, accountKey: 'environment', regionKey: 'environment' },
      environmentReported: reported,
    });
  }
}
