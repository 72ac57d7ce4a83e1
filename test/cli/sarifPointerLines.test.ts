/**
 * SARIF places a finding in a snapshot file (a JSON pointer, no line) at the line where the
 * pointer's value starts, read from the file again; its related locations too. A file that cannot
 * be scanned (too large, not a regular file, not .json) keeps line 1.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pointerLineReader } from '../../src/cli/pointerLines.js';
import { root, tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const SCENARIO = 'fixtures/scenarios/codebuild-role-no-kms';
const IAM = `${SCENARIO}/111111111111/iam.json`;
const PIPELINE = `${SCENARIO}/111111111111/us-east-1/codepipeline/orders-api.json`;
const { tempDir, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

const hasMkfifo = ((): boolean => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  properties?: { jsonPointer: string };
}

function locations(out: string): [string, number, string | undefined][] {
  const sarif = JSON.parse(out) as {
    runs: { results: { locations?: SarifLocation[]; relatedLocations?: SarifLocation[] }[] }[];
  };
  const first = sarif.runs[0]!.results[0]!;
  return [...(first.locations ?? []), ...(first.relatedLocations ?? [])].map((l) => [
    l.physicalLocation.artifactLocation.uri,
    l.physicalLocation.region.startLine,
    l.properties?.jsonPointer,
  ]);
}

/** the 1-based number of the only line of `file` that matches `re` */
function lineOf(file: string, re: RegExp, nth = 0): number {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const found = lines.flatMap((l, i) => (re.test(l) ? [i + 1] : []));
  return found[nth]!;
}

describe('SARIF: a snapshot finding at the line of its pointer', () => {
  it('the deciding policy and the related locations, at the line where each value starts', async () => {
    const r = await cli(root, 'analyze', SCENARIO, '--format', 'sarif');
    // the third role's first inline policy document, its first stage-2 action, the pipeline
    expect(lineOf(IAM, /"PolicyDocument": \{/, 2)).toBe(162);
    expect(locations(r.out)).toEqual([
      [IAM, 162, '/RoleDetailList/2/RolePolicyList/0/PolicyDocument'],
      [PIPELINE, 44, '/pipeline/stages/1/actions/0'],
      [PIPELINE, 2, '/pipeline'],
    ]);
    expect(readFileSync(join(root, PIPELINE), 'utf8').split('\n')[43]).toMatch(/^\s*\{$/);
    expect(readFileSync(join(root, PIPELINE), 'utf8').split('\n')[1]).toMatch(/"pipeline": \{/);
  });

  it('a file too large to scan, or not a regular file, or not .json: no line (1 in SARIF)', () => {
    const dir = tempDir('pointer-lines');
    writeFileSync(join(dir, 'a.json'), '{\n  "a": {\n    "b": 1\n  }\n}\n');
    writeFileSync(join(dir, 'a.yaml'), '{\n  "a": {\n    "b": 1\n  }\n}\n');
    expect(pointerLineReader(dir, undefined)('a.json', '/a/b')).toBe(3);
    expect(pointerLineReader(dir, undefined, 10)('a.json', '/a/b')).toBeUndefined();
    expect(pointerLineReader(dir, undefined)('a.yaml', '/a/b')).toBeUndefined();
    expect(pointerLineReader(dir, undefined)('gone.json', '/a')).toBeUndefined();
    // a snapshot's files are named relative to its folder
    mkdirSync(join(dir, '111111111111'));
    writeFileSync(join(dir, '111111111111/x.json'), '\n\n{"a": 1}');
    expect(pointerLineReader(tempDir('elsewhere'), dir)('111111111111/x.json', '/a')).toBe(3);
    if (hasMkfifo) {
      execFileSync('mkfifo', [join(dir, 'fifo.json')]);
      expect(pointerLineReader(dir, undefined)('fifo.json', '/a')).toBeUndefined();
    }
  });
});
