/**
 * Inputs that must not hang, crash or quietly change a value: a stacks file with a YAML alias
 * bomb, a CDK manifest whose nested assemblies name their own folder, a chain of SSM parameters
 * each reading the previous one twice, and an unquoted account id with a leading zero.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCdkAssembly } from '../../../src/load/cdk.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { isStacksFile, loadSingleTemplate, loadStacksFile } from '../../../src/load/stacks.js';
import { findRole } from '../../../src/model/queries.js';

const DIR = 'test/load/templates/fixtures/unknowns';
const ENV = { account: '111111111111', region: 'us-east-1' };

describe('a stacks file with a YAML alias bomb', () => {
  it('is one input error, quickly, not an exception', () => {
    const file = `${DIR}/stacks-bomb.yaml`;
    expect(isStacksFile(file)).toBe(true);
    const started = Date.now();
    const { problems } = loadStacksFile(file, { managedPolicies: noManagedPolicies });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(problems.map((p) => [p.severity, p.id, p.file])).toEqual([
      ['error', 'stacks.file.invalid', file],
    ]);
    expect(problems[0]!.message).toContain('too large or too deeply nested');
  });
});

describe('a CDK manifest whose nested assemblies name its own folder', () => {
  it('reads each folder once, with a warning for each repeat', () => {
    const started = Date.now();
    const { problems } = loadCdkAssembly(`${DIR}/cdk-loop`, {
      ...ENV,
      managedPolicies: noManagedPolicies,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(problems.map((p) => p.id)).toEqual(Array(10).fill('cdk.assembly.repeated'));
    expect(problems[0]!.pointer).toBe('/artifacts/n0/properties/directoryName');
  });
});

describe('a stacks file with a map of 60,000 keys', () => {
  it('is recognised without comparing every key with every other (that took 20 s)', () => {
    const root = mkdtempSync(join(tmpdir(), 'permchain-stacks-wide-'));
    try {
      const file = join(root, 'stacks.yaml');
      const keys = Array.from({ length: 60000 }, (_, i) => `  k${i}: v`).join('\n');
      writeFileSync(file, `stacks: []\nextra:\n${keys}\n`);
      const started = Date.now();
      expect(isStacksFile(file)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('CDK assemblies nested deeper than permchain reads', () => {
  it('are reported, not dropped without a word', () => {
    const root = mkdtempSync(join(tmpdir(), 'permchain-cdk-deep-'));
    try {
      // ten levels, each a nested assembly in the next folder
      let dir = root;
      for (let i = 0; i < 10; i++) {
        writeFileSync(
          join(dir, 'manifest.json'),
          JSON.stringify({
            version: '36.0.0',
            artifacts: {
              [`n${i}`]: { type: 'cdk:cloud-assembly', properties: { directoryName: 'inner' } },
            },
          }),
        );
        dir = join(dir, 'inner');
        mkdirSync(dir);
      }
      writeFileSync(
        join(dir, 'manifest.json'),
        JSON.stringify({ version: '36.0.0', artifacts: {} }),
      );
      const { problems } = loadCdkAssembly(root, { ...ENV, managedPolicies: noManagedPolicies });
      expect(problems.map((p) => [p.severity, p.id, p.pointer])).toEqual([
        ['error', 'cdk.assembly.too-deep', '/artifacts/n8/properties/directoryName'],
      ]);
      expect(
        (problems[0]!.file ?? '').endsWith(
          'inner/inner/inner/inner/inner/inner/inner/inner/manifest.json',
        ),
      ).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('SSM parameters whose values read the previous one twice', () => {
  it('resolve each value once: a chain of 28 is loaded at once', () => {
    const started = Date.now();
    const { model } = loadSingleTemplate(`${DIR}/ssm-chain.yaml`, {
      ...ENV,
      managedPolicies: noManagedPolicies,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    // P28's value is P0's, through every link of the chain
    expect(findRole(model, 'arn:aws:iam::111111111111:role/x').kind).toBe('found');
  });
});

describe('stacks file parameter values', () => {
  it('keep their text: an unquoted 011111111111 is that account, not 11111111111', () => {
    const { model, problems } = loadStacksFile(`${DIR}/zero/stacks.yaml`, {
      managedPolicies: noManagedPolicies,
    });
    expect(problems).toEqual([]);
    const approver = findRole(model, 'arn:aws:iam::222222222222:role/approver');
    expect(approver.kind).toBe('found');
    if (approver.kind !== 'found') return;
    expect(approver.value.trustPolicy?.statements[0]?.principal?.aws).toEqual([
      'arn:aws:iam::011111111111:root',
    ]);
  });
});
