/**
 * The snapshot format names its files exactly (`iam.json`, `codepipeline/<name>.json`): a file
 * whose name differs only in case (`iam.JSON`, `<name>.Json`, `IAM.json`, as AWS CLI output
 * redirected on a case-insensitive file system may be named) was skipped without a word, and the
 * role it held was missing, its links Unknown with no reason. It is still not read (the format
 * names files exactly), and a warning names it.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const DEMO = 'fixtures/demo';
const A = '111111111111';
const REGION = `${A}/us-east-1`;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the demo. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-name-case-'));
  dirs.push(dir);
  cpSync(DEMO, dir, { recursive: true });
  return dir;
}

/** A copy of the demo with `from` renamed `to` (paths relative to the snapshot). */
function renamed(from: string, to: string): string {
  const dir = copy();
  renameSync(join(dir, from), join(dir, to));
  return dir;
}

function caseWarnings(dir: string): string[][] {
  return loadSnapshot(dir)
    .problems.filter((p) => p.id === 'snapshot.file.name-case')
    .map((p) => [p.severity, p.file ?? '', p.pointer, p.message]);
}

describe('a snapshot file named in another case', () => {
  const cases: [from: string, to: string, expected: string][] = [
    [`${A}/iam.json`, `${A}/iam.JSON`, 'iam.json'],
    [`${A}/iam.json`, `${A}/IAM.json`, 'iam.json'],
    [`${REGION}/codebuild.json`, `${REGION}/codebuild.Json`, 'codebuild.json'],
    [`${REGION}/events.json`, `${REGION}/Events.json`, 'events.json'],
    [
      `${REGION}/codepipeline/demo-app.json`,
      `${REGION}/codepipeline/demo-app.JSON`,
      'demo-app.json',
    ],
    [
      `${REGION}/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json`,
      `${REGION}/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.Json`,
      '0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json',
    ],
    [`${REGION}/kms/aliases.json`, `${REGION}/kms/aliases.JSON`, 'aliases.json'],
    [
      `${A}/s3/demo-artifacts-111111111111-us-east-1.json`,
      `${A}/s3/demo-artifacts-111111111111-us-east-1.JSON`,
      'demo-artifacts-111111111111-us-east-1.json',
    ],
    [
      'organization/scp/p-demoguard1.json',
      'organization/scp/p-demoguard1.JSON',
      'p-demoguard1.json',
    ],
    ['organization/parents.json', 'organization/Parents.json', 'parents.json'],
    [`${REGION}/codepipeline`, `${REGION}/CodePipeline`, 'codepipeline'],
    ['organization', 'Organization', 'organization'],
  ];
  for (const [from, to, expected] of cases) {
    it(`\`${to}\` is not read, and a warning names it`, () => {
      const folder = !to.includes('.');
      expect(caseWarnings(renamed(from, to))).toEqual([
        [
          'warning',
          to,
          '',
          `not read: the snapshot format names this ${folder ? 'folder' : 'file'} \`${expected}\`, and names are case-sensitive`,
        ],
      ]);
    });
  }

  // An entry of the other kind is named as it is on disk and said to be what it is (was: `a
  // folder `Codebuild.json`: "names this folder `codebuild.json`", a file `KMS`: "names this file
  // `kms`", the format naming neither)
  const otherKind: [path: string, isDir: boolean, expectedKind: string, expected: string][] = [
    [`${REGION}/Codebuild.json`, true, 'file', 'codebuild.json'],
    [`${REGION}/Events.json`, true, 'file', 'events.json'],
    [`${A}/IAM.json`, true, 'file', 'iam.json'],
    ['organization/Parents.json', true, 'file', 'parents.json'],
    [`${REGION}/kms/Aliases.json`, true, 'file', 'aliases.json'],
    [`${REGION}/KMS`, false, 'folder', 'kms'],
    [`${REGION}/CodePipeline`, false, 'folder', 'codepipeline'],
    [`${A}/S3`, false, 'folder', 's3'],
    ['organization/SCP', false, 'folder', 'scp'],
    ['Organization', false, 'folder', 'organization'],
  ];
  for (const [path, isDir, expectedKind, expected] of otherKind) {
    it(`a ${isDir ? 'folder' : 'file'} \`${path}\` where the format names a ${expectedKind} \`${expected}\`: said so, naming it as it is`, () => {
      const dir = copy();
      if (isDir) mkdirSync(join(dir, path));
      else writeFileSync(join(dir, path), '{}');
      const name = path.slice(path.lastIndexOf('/') + 1);
      const warnings = caseWarnings(dir);
      expect(warnings).toEqual([
        [
          'warning',
          path,
          '',
          `not read: \`${name}\` is a ${isDir ? 'folder' : 'file'}, where the snapshot format names a ${expectedKind} \`${expected}\` (names are case-sensitive)`,
        ],
      ]);
      expect(warnings[0]![3]).not.toContain('\n');
    });
  }

  // a folder `<name>.JSON` where a file `<name>.json` belongs is said to be a folder, as a folder
  // `<name>.json` is an error (was: passed over without a word)
  for (const path of [
    `${REGION}/codepipeline/demo-app.JSON`,
    `${REGION}/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c11.Json`,
    `${A}/s3/other-bucket.JSON`,
    'organization/scp/p-other.JSON',
  ]) {
    it(`a folder \`${path}\`: said to be a folder where the format names a file`, () => {
      const dir = copy();
      mkdirSync(join(dir, path));
      const name = path.slice(path.lastIndexOf('/') + 1);
      expect(caseWarnings(dir)).toEqual([
        [
          'warning',
          path,
          '',
          `not read: \`${name}\` is a folder, where the snapshot format names a file \`${name.slice(0, -5)}.json\` (names are case-sensitive)`,
        ],
      ]);
    });
  }

  it('a folder `team.JSON/` under ecr/ is a namespace, read as such: no warning', () => {
    const dir = copy();
    mkdirSync(join(dir, REGION, 'ecr', 'team.JSON'), { recursive: true });
    cpSync(join(DEMO, REGION, 'codebuild.json'), join(dir, REGION, 'ecr', 'team.JSON', 'app.json'));
    const model = loadSnapshot(dir);
    expect(model.problems.filter((p) => p.id === 'snapshot.file.name-case')).toEqual([]);
    const region = model.accounts.get(A)!.regions.get('us-east-1')!;
    expect([...region.ecrRepositories.keys()]).toContain('team.JSON/app');
  });

  it('a dangling link `IAM.json`: not said to be a file', () => {
    const dir = copy();
    symlinkSync(join(dir, 'nowhere'), join(dir, A, 'IAM.json'));
    expect(caseWarnings(dir)).toEqual([
      [
        'warning',
        `${A}/IAM.json`,
        '',
        'not read: `IAM.json` is not a readable file or folder, where the snapshot format names a file `iam.json` (names are case-sensitive)',
      ],
    ]);
  });

  it('the role of an `iam.JSON` is missing as before, and the warning says why', () => {
    const dir = renamed(`${A}/iam.json`, `${A}/iam.JSON`);
    const model = loadSnapshot(dir);
    expect(model.accounts.get(A)!.iam).toBeUndefined();
    const report = analyzeModel(model);
    expect(report.problems.map((p) => [p.id, p.file])).toContainEqual([
      'snapshot.file.name-case',
      `${A}/iam.JSON`,
    ]);
    // its links are Unknown naming the file the format names
    expect(JSON.stringify(report)).toContain(`${A}/iam.json`);
  });

  it('a `kms/Aliases.json` is warned as a mis-cased `aliases.json`, never read as a key named `Aliases` (was: a key file, an error)', () => {
    for (const to of ['Aliases.json', 'ALIASES.JSON']) {
      const dir = renamed(`${REGION}/kms/aliases.json`, `${REGION}/kms/${to}`);
      const model = loadSnapshot(dir);
      expect(
        model.problems
          .filter((p) => p.file?.startsWith(`${REGION}/kms/`))
          .map((p) => [p.id, p.severity, p.file, p.message]),
      ).toEqual([
        [
          'snapshot.file.name-case',
          'warning',
          `${REGION}/kms/${to}`,
          'not read: the snapshot format names this file `aliases.json`, and names are case-sensitive',
        ],
      ]);
      const region = model.accounts.get(A)!.regions.get('us-east-1')!;
      expect([...region.kmsKeys.keys()]).toEqual(['0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10']);
      // the aliases are unknown, as without the file
      expect(region.aliases).toBeUndefined();
    }
  });

  it('an ECR repository file `.JSON` under ecr/ (read as deep as a name goes)', () => {
    const dir = copy();
    mkdirSync(join(dir, REGION, 'ecr', 'team'), { recursive: true });
    cpSync(join(DEMO, REGION, 'codebuild.json'), join(dir, REGION, 'ecr', 'team', 'app.JSON'));
    expect(caseWarnings(dir)).toEqual([
      [
        'warning',
        `${REGION}/ecr/team/app.JSON`,
        '',
        'not read: the snapshot format names this file `app.json`, and names are case-sensitive',
      ],
    ]);
  });

  it('the demo as written has none, and other names are not taken for one', () => {
    expect(caseWarnings(DEMO)).toEqual([]);
    const dir = renamed(`${REGION}/codepipeline/demo-app.json`, `${REGION}/codepipeline/notes.txt`);
    expect(caseWarnings(dir)).toEqual([]);
  });
});
