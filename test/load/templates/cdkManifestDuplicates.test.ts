/**
 * A cdk.out `manifest.json` with a member written twice in one object (found by the structural
 * fuzzer: an artifact id twice): JSON.parse kept the last, so the first stack vanished with its
 * pipelines and the run passed. The CDK never writes one: the manifest could be read two ways,
 * and is an input error at each duplicate, not read.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCdkAssembly } from '../../../src/load/cdk.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { listPipelines } from '../../../src/model/queries.js';

const TEMPLATE = 'fixtures/templates/demo-pipeline-v2.yaml';
const STACK = (file: string) =>
  `{ "type": "aws:cloudformation:stack", "environment": "aws://111111111111/us-east-1", "properties": { "templateFile": "${file}" } }`;

function load(manifest: string) {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-cdk-duplicates-'));
  try {
    copyFileSync(TEMPLATE, join(dir, 'Tools.template.json'));
    writeFileSync(join(dir, 'manifest.json'), manifest);
    const { model, problems } = loadCdkAssembly(dir, { managedPolicies: noManagedPolicies });
    return {
      pipelines: listPipelines(model).length,
      problems: problems.map((p) => [p.severity, p.id, p.pointer]),
      messages: problems.map((p) => p.message),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a cdk manifest with a member written twice', () => {
  it('is read when each member is written once', () => {
    const r = load(
      `{ "version": "36.0.0", "artifacts": { "Tools": ${STACK('Tools.template.json')} } }`,
    );
    expect(r.problems).toEqual([]);
    expect(r.pipelines).toBe(1);
  });

  it('an artifact id twice is an input error at the duplicate, and the manifest is not read', () => {
    const r = load(
      `{ "version": "36.0.0", "artifacts": { "Tools": ${STACK('Tools.template.json')}, "Tools": ${STACK('Other.template.json')} } }`,
    );
    expect(r.problems).toEqual([['error', 'cdk.manifest.duplicate-key', '/artifacts/Tools']]);
    expect(r.messages[0]).toBe(
      'the member `Tools` appears twice in one object: JSON readers keep one of them, so the manifest could be read two ways and is not read',
    );
    expect(r.pipelines).toBe(0);
  });

  it('a templateFile twice is an input error at its pointer', () => {
    const stack = STACK('Tools.template.json').replace(
      '"properties": {',
      '"properties": { "templateFile": "Other.template.json",',
    );
    const r = load(`{ "version": "36.0.0", "artifacts": { "Tools": ${stack} } }`);
    expect(r.problems).toEqual([
      ['error', 'cdk.manifest.duplicate-key', '/artifacts/Tools/properties/templateFile'],
    ]);
  });
});
