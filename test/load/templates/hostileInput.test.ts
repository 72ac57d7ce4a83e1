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
  // the 60 s timeout is a hang guard for the exponential alias expansion, not a speed measurement
  it('is one input error, not an exception, without hanging', () => {
    const file = `${DIR}/stacks-bomb.yaml`;
    expect(isStacksFile(file)).toBe(true);
    const { problems } = loadStacksFile(file, { managedPolicies: noManagedPolicies });
    expect(problems.map((p) => [p.severity, p.id, p.file, p.pointer])).toEqual([
      ['error', 'stacks.file.invalid', file, '/a5/2/9/7/9/8/3'],
    ]);
    expect(problems[0]!.message).toBe(
      'the stacks file is too large or too deeply nested: line 6, column 18: the aliases expand to more than 500000 values (each use of an alias repeats its anchor): the file is not read',
    );
  }, 60_000);
});

describe('a CDK manifest whose nested assemblies name its own folder', () => {
  // the 60 s timeout is a hang guard for the folder loop, not a speed measurement
  it('reads each folder once, with a warning for each repeat', () => {
    const { problems } = loadCdkAssembly(`${DIR}/cdk-loop`, {
      ...ENV,
      managedPolicies: noManagedPolicies,
    });
    expect(problems.map((p) => [p.severity, p.id, p.pointer])).toEqual(
      Array.from({ length: 10 }, (_, i) => [
        'warning',
        'cdk.assembly.repeated',
        `/artifacts/n${i}/properties/directoryName`,
      ]),
    );
  }, 60_000);
});

describe('a stacks file with a map of 60,000 keys', () => {
  // the 60 s timeout is a hang guard, not a speed measurement. The deterministic guard against
  // comparing every key with every other (the YAML library's unique-keys check: 20 s for these
  // keys, 51 s for half of them on a loaded 2-core machine) is the duplicate below: that check
  // makes the file unreadable, so no stacks file
  it('is recognised without comparing every key with every other', () => {
    const root = mkdtempSync(join(tmpdir(), 'permchain-stacks-wide-'));
    try {
      const file = join(root, 'stacks.yaml');
      const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: v`).join('\n');
      writeFileSync(file, `stacks: []\nextra:\n${keys}\n`);
      expect(isStacksFile(file)).toBe(true);
      // a key written twice is found when the file is loaded, not when it is recognised
      const dup = join(root, 'dup.yaml');
      writeFileSync(dup, 'stacks: []\nextra:\n  k0: v\n  k1: v\n  k0: w\n');
      expect(isStacksFile(dup)).toBe(true);
      const { problems } = loadStacksFile(dup, { managedPolicies: noManagedPolicies });
      expect(problems.map((p) => [p.severity, p.id, p.message])).toEqual([
        [
          'error',
          'stacks.file.invalid',
          'the stacks file is not valid yaml or json: line 5, column 3: Map keys must be unique',
        ],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
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
  // the 60 s timeout is a hang guard for the 2^28 paths along the chain, not a speed measurement
  it('resolve each value once: a chain of 28 is loaded without hanging', () => {
    const { model, problems } = loadSingleTemplate(`${DIR}/ssm-chain.yaml`, {
      ...ENV,
      managedPolicies: noManagedPolicies,
    });
    // only the fixture's empty trust policy is reported: no value of the chain is unknown
    expect(problems.map((p) => p.id)).toEqual(['policy.version.missing', 'policy.statement.empty']);
    // P28's value is P0's, through every link of the chain
    expect(findRole(model, 'arn:aws:iam::111111111111:role/x').kind).toBe('found');
  }, 60_000);
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
