/**
 * The CI gate end to end: baselines that must not hide a new denial or lose other pipelines'
 * entries, an input that holds no pipeline, option values that are contradictions, file system
 * errors as one line (exit 2), and input values that cannot forge lines on stderr.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addKeyStatement,
  PROD_DECRYPT,
  BROKEN,
  demo,
  EAST,
  KEY_FILE,
  PIPELINE_FILE,
  root,
  tempFolders,
  WEST,
  writeBaselineFile,
} from './demoCopy.js';
import { runCli } from './runCli.js';
import { processIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Report } from '../../src/report/types.js';

const cli = runCli;

/** Temporary folders of this file, removed after its tests. */
const { tempDir, demoCopy, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

interface Entry {
  pipeline: string;
  link: string;
  reason: string;
  expires: string;
  decision?: string;
}
function entries(file: string): Entry[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { entries: Entry[] }).entries;
}

describe('a baseline entry accepts only the decision it was written for', () => {
  it('an entry written while the link was Unknown does not hide the denial it later becomes', async () => {
    // without the key file, the decrypt link cannot be settled: Unknown
    const unknownDemo = demoCopy();
    rmSync(join(unknownDemo, KEY_FILE));
    const dir = tempDir('baseline-decision');
    const file = join(dir, 'baseline.json');
    const w = await cli(dir, 'baseline', unknownDemo, '--output', file, '--expires', '2099-01-01');
    expect(w.code).toBe(0);
    const written = entries(file).find((e) => e.link === BROKEN);
    expect(written).toMatchObject({ pipeline: EAST, decision: 'Unknown' });

    // with the key file, the same link is denied: the entry does not accept it
    const r = await cli(dir, 'analyze', demo, '--baseline', file, '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    const link = report.pipelines[0]!.links.find((l) => l.id === BROKEN)!;
    expect(link.decision).toBe('ImplicitlyDenied');
    expect(link.accepted).toBeUndefined();
    const index = entries(file).findIndex((e) => e.link === BROKEN);
    const message =
      `baseline entry for \`${EAST}\` / \`${BROKEN}\` accepts Unknown, but the link is now ` +
      'ImplicitlyDenied: not accepted (run `permchain baseline` again to accept it)';
    expect(r.err).toContain(
      `warning: ${file}#/entries/${index}: ${message} [baseline.entry.decision-changed]\n`,
    );
    // the warning is in the report too, so every format shows why the link fails
    expect(report.problems).toContainEqual({
      file,
      pointer: `/entries/${index}`,
      message,
      id: 'baseline.entry.decision-changed',
      severity: 'warning',
    });
  });

  it('an entry without a decision (written before decisions were recorded) matches as before', async () => {
    const dir = tempDir('baseline-old');
    const file = join(dir, 'baseline.json');
    writeBaselineFile(file, [
      { pipeline: 'demo-app', link: BROKEN, reason: 'old entry', expires: '2099-01-01' },
    ]);
    const r = await cli(dir, 'analyze', demo, '--baseline', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ACCEPTED');
    // an entry with the same decision accepts; another decision does not
    writeBaselineFile(file, [
      {
        pipeline: 'demo-app',
        link: BROKEN,
        reason: 'r',
        expires: '2099-01-01',
        decision: 'ImplicitlyDenied',
      },
    ]);
    expect((await cli(dir, 'analyze', demo, '--baseline', file)).code).toBe(0);
    writeBaselineFile(file, [
      {
        pipeline: 'demo-app',
        link: BROKEN,
        reason: 'r',
        expires: '2099-01-01',
        decision: 'ExplicitlyDenied',
      },
    ]);
    const other = await cli(dir, 'analyze', demo, '--baseline', file, '--format', 'sarif');
    expect(other.code).toBe(1);
    expect(other.err).toContain('accepts ExplicitlyDenied, but the link is now ImplicitlyDenied');
  });

  it('a decision that is not one of the three is an input error naming its pointer', async () => {
    const dir = tempDir('baseline-bad-decision');
    const file = join(dir, 'baseline.json');
    writeBaselineFile(file, [
      {
        pipeline: 'demo-app',
        link: BROKEN,
        reason: 'r',
        expires: '2099-01-01',
        decision: 'Allowed',
      },
    ]);
    const r = await cli(dir, 'analyze', demo, '--baseline', file, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}#/entries/0/decision: \`decision\` must be one of`);
  });
});

describe('baseline mistakes are said', () => {
  it('two entries for one link (one expired, one live): a warning names both', async () => {
    const dir = tempDir('baseline-duplicate');
    const file = join(dir, 'b.json');
    const live = { pipeline: EAST, link: BROKEN, reason: 'new', expires: '2099-01-01' };
    const old = { pipeline: 'demo-app', link: BROKEN, reason: 'old', expires: '2020-01-01' };
    writeBaselineFile(file, [live, old]);
    const r = await cli(dir, 'analyze', demo, '--baseline', file, '--format', 'json');
    expect(r.code).toBe(0);
    const message =
      `2 baseline entries match \`${EAST}\` / \`${BROKEN}\`: /entries/0 (any decision, until ` +
      "2099-01-01), /entries/1 (any decision, until 2020-01-01); a live entry of the link's " +
      'decision accepts it, the others say nothing: keep one';
    expect(r.err).toBe(`warning: ${file}#/entries/0: ${message} [baseline.entry.duplicate]\n`);
    // the entries record no cause (as version 1 wrote them): a warning of its own
    expect((JSON.parse(r.out) as Report).problems.map((p) => p.id)).toEqual([
      'baseline.entry.cause-unrecorded',
      'baseline.entry.duplicate',
    ]);
  });

  it('--expires in the past is written, with a warning; one entry is one entry', async () => {
    const dir = tempDir('baseline-past');
    const file = join(dir, 'b.json');
    const r = await cli(dir, 'baseline', demo, '--output', file, '--expires', '2020-01-01');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote 1 baseline entry to ${file}\n`);
    expect(r.err).toMatch(
      /^warning: --expires 2020-01-01 is in the past \(today is \d{4}-\d{2}-\d{2} UTC\): the entries written have expired already and accept nothing \(`analyze --baseline` fails on those whose link fails the run without a baseline\)\n$/,
    );
    // run again, the expired entry is renewed (session 23: it kept 2020-01-01 in silence)
    const future = await cli(dir, 'baseline', demo, '--output', file, '--expires', '2999-01-01');
    expect(future.err).toMatch(
      /expired on 2020-01-01: its link is written with --reason and --expires \[baseline\.entry\.renewed\]\n$/,
    );
    expect(future.out).toBe(`wrote 1 baseline entry to ${file}\n`);
    const entries = (JSON.parse(readFileSync(file, 'utf8')) as { entries: { expires: string }[] })
      .entries;
    expect(entries.map((e) => e.expires)).toEqual(['2999-01-01']);
  });
});

describe('help and options say what the commands do', () => {
  it('analyze --help states the exit codes as the gate gives them', async () => {
    const help = await cli(root, 'analyze', '--help');
    expect(help.code).toBe(0);
    const text = help.out.replace(/\s+/g, ' ');
    expect(text).not.toContain('0 every required link allowed');
    expect(text).toContain(
      'Exit codes: 0 no required link denied (unknown links and recommended ones do not fail the run by default',
    );
    expect(text).toContain(
      'A baseline entry that has expired accepts nothing: its link is judged as without a baseline (an error when that fails the run, a warning otherwise).',
    );
    // and it does: a demo with only Unknown links exits 0 by default, 1 with --strict
    const dir = onlyUnknownDemo();
    expect((await cli(dir, 'analyze', '.')).code).toBe(0);
    expect((await cli(dir, 'analyze', '.', '--strict')).code).toBe(1);
  });

  it('diff --pipeline is repeatable, as for analyze', async () => {
    const dir = twoRegionDemo();
    const count = async (...pipelines: string[]): Promise<number> => {
      const r = await cli(dir, 'diff', '.', '.', ...pipelines.flatMap((p) => ['--pipeline', p]));
      expect(r.code).toBe(0);
      return Number(/\((\d+) links unchanged\)/.exec(r.out)![1]);
    };
    const east = await count(EAST);
    const west = await count(WEST);
    expect(east).toBeGreaterThan(0);
    expect(await count(EAST, WEST)).toBe(east + west);
    const both = await cli(dir, 'diff', '.', '.', '--pipeline', `${EAST},${WEST}`);
    expect(both.out).toContain(`(${east + west} links unchanged)`);
  });
});

describe('baseline --pipeline', () => {
  it('keeps the entries of pipelines it did not analyze; a full run rewrites them all', async () => {
    const dir = tempDir('baseline-pipeline');
    const file = join(dir, 'baseline.json');
    const other: Entry = {
      pipeline: 'other-app',
      link: 'Build/Build:codebuild.start-build',
      reason: 'owned by another team',
      expires: '2030-01-01',
      decision: 'ImplicitlyDenied',
    };
    writeBaselineFile(file, [other]);
    const r = await cli(
      dir,
      'baseline',
      demo,
      '--pipeline',
      'demo-app',
      '--output',
      file,
      '--expires',
      '2099-01-01',
    );
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `wrote 2 baseline entries to ${file} (1 of pipelines not analyzed this time kept)\n`,
    );
    expect(entries(file)).toEqual([
      {
        pipeline: EAST,
        link: BROKEN,
        decision: 'ImplicitlyDenied',
        principal: 'arn:aws:iam::222222222222:role/demo-deploy-action',
        resource: 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10',
        deniedBy: [
          {
            policyType: 'resource',
            policy: 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10',
            explicit: false,
          },
        ],
        reason: 'accepted when the baseline was written',
        expires: '2099-01-01',
      },
      other,
    ]);
    // without --pipeline every pipeline of the input was analyzed: the file is the input's
    expect(
      (await cli(dir, 'baseline', demo, '--output', file, '--expires', '2099-01-01')).code,
    ).toBe(0);
    expect(entries(file).map((e) => e.pipeline)).toEqual([EAST]);
  });
});

/** The demo with its pipeline copied into us-west-2: two pipelines named demo-app. */
function twoRegionDemo(): string {
  const dir = demoCopy();
  const west = join(dir, '111111111111/us-west-2');
  mkdirSync(join(west, 'codepipeline'), { recursive: true });
  writeFileSync(
    join(west, 'codepipeline/demo-app.json'),
    readFileSync(join(dir, PIPELINE_FILE), 'utf8').replace(EAST, WEST),
  );
  cpSync(join(dir, '111111111111/us-east-1/codebuild.json'), join(west, 'codebuild.json'));
  return dir;
}

describe('a baseline entry accepts a link of one pipeline, not of its namesake elsewhere', () => {
  const failing = (r: { out: string }, arn: string): string[] =>
    (JSON.parse(r.out) as Report).pipelines
      .find((p) => p.arn === arn)!
      .links.filter((l) => l.decision !== 'Allowed' && !l.accepted)
      .map((l) => l.id);

  it('an entry written for the us-east-1 pipeline does not accept the us-west-2 one', async () => {
    const dir = twoRegionDemo();
    const file = join(tempDir('outside-snapshot'), 'tb.json');
    const w = await cli(
      dir,
      'baseline',
      '.',
      '--pipeline',
      EAST,
      '--output',
      file,
      '--expires',
      '2027-01-01',
    );
    expect(w.code).toBe(0);
    expect(entries(file).map((e) => e.pipeline)).toEqual([EAST]);
    const r = await cli(
      dir,
      'analyze',
      '.',
      '--baseline',
      file,
      '--today',
      '2026-01-01',
      '--format',
      'json',
    );
    expect(r.code).toBe(1);
    expect(failing(r, EAST)).toEqual([]);
    expect(failing(r, WEST)).toContain(BROKEN);
  });

  it('an older entry naming the pipeline by name accepts nothing when two have that name', async () => {
    const dir = twoRegionDemo();
    const file = join(tempDir('outside-snapshot'), 'old.json');
    const old = { pipeline: 'demo-app', link: BROKEN, reason: 'old', expires: '2099-01-01' };
    writeBaselineFile(file, [old]);
    const r = await cli(dir, 'analyze', '.', '--baseline', file, '--format', 'json');
    expect(r.code).toBe(1);
    expect(failing(r, EAST)).toContain(BROKEN);
    expect(failing(r, WEST)).toContain(BROKEN);
    const warning =
      `warning: ${file}#/entries/0: baseline entry for \`demo-app\` / \`${BROKEN}\` names the ` +
      `pipeline by name, and 2 analyzed pipelines have that name (\`${EAST}\`, \`${WEST}\`): it ` +
      'accepts nothing (run `permchain baseline` again: entries name pipelines by ARN) ' +
      '[baseline.entry.pipeline-ambiguous]\n';
    expect(r.err).toContain(warning);
    expect((JSON.parse(r.out) as Report).problems.map((p) => p.id)).toContain(
      'baseline.entry.pipeline-ambiguous',
    );
    // rewriting the baseline says so too, and names both pipelines by ARN
    const b = await cli(dir, 'baseline', '.', '--output', file, '--expires', '2099-01-01');
    expect(b.code).toBe(0);
    expect(b.err).toContain('[baseline.entry.pipeline-ambiguous]');
    expect(new Set(entries(file).map((e) => e.pipeline))).toEqual(new Set([EAST, WEST]));
    // --pipeline narrows what is analyzed, not which pipelines share the name
    writeBaselineFile(file, [old]);
    const west = await cli(
      dir,
      'analyze',
      '.',
      '--pipeline',
      WEST,
      '--baseline',
      file,
      '--format',
      'json',
    );
    expect(west.code).toBe(1);
    expect(failing(west, WEST)).toContain(BROKEN);
    expect(west.err).toContain('[baseline.entry.pipeline-ambiguous]');
    const bw = await cli(
      dir,
      'baseline',
      '.',
      '--pipeline',
      WEST,
      '--output',
      file,
      '--expires',
      '2099-01-01',
    );
    expect(bw.code).toBe(0);
    // the old entry (perhaps the us-east-1 pipeline's) is kept; the us-west-2 one is new
    expect(entries(file).find((e) => e.pipeline === 'demo-app')).toEqual(old);
    expect(entries(file).find((e) => e.pipeline === WEST && e.link === BROKEN)!.reason).toBe(
      'accepted when the baseline was written',
    );
    // with one pipeline of that name, the old entry still accepts its link
    writeBaselineFile(file, [old]);
    const one = await cli(root, 'analyze', demo, '--baseline', file, '--format', 'json');
    expect(one.code).toBe(0);
    expect(one.err).toBe('');
  });
});

/**
 * The demo with the key policy fixed and no EventBridge rules file: only the trigger links are
 * not allowed, and they are Unknown.
 */
function onlyUnknownDemo(): string {
  const dir = demoCopy();
  addKeyStatement(dir, PROD_DECRYPT);
  rmSync(join(dir, '111111111111/us-east-1/events.json'));
  return dir;
}

describe('the reports agree with the exit code', () => {
  it('--strict: markdown, github, junit and SARIF show the unknown links as failures', async () => {
    const dir = onlyUnknownDemo();
    expect((await cli(dir, 'analyze', '.')).code).toBe(0);
    const out = join(tempDir('outside-snapshot'), 'out');
    const r = await cli(
      dir,
      'analyze',
      '.',
      '--strict',
      '--format',
      'markdown,github,junit,sarif',
      '--output-dir',
      out,
    );
    expect(r.code).toBe(1);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).not.toContain('no pipeline fails');
    expect(md).toContain('## permchain: 1 of 1 pipeline fails\n');
    expect(readFileSync(join(out, 'report.github.txt'), 'utf8')).toMatch(/^::error .*unknown/m);
    expect(readFileSync(join(out, 'report.xml'), 'utf8')).toMatch(
      /<testsuites name="permchain" tests="\d+" failures="[1-9]/,
    );
    const sarif = JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')) as {
      runs: { results: { level: string }[] }[];
    };
    expect(sarif.runs[0]!.results.some((x) => x.level === 'error')).toBe(true);
  });

  it('an expired baseline entry fails the run and every report names it', async () => {
    const dir = onlyUnknownDemo();
    const file = join(tempDir('outside-snapshot'), 'b.json');
    expect(
      (await cli(dir, 'baseline', '.', '--output', file, '--expires', '2025-01-31')).code,
    ).toBe(0);
    const unknownEntry = entries(file).find((e) => e.decision === 'Unknown')!;
    writeBaselineFile(file, [unknownEntry]);
    const out = join(tempDir('outside-snapshot'), 'out');
    // under --strict the Unknown link fails on its own: its expired entry fails the run
    const r = await cli(
      dir,
      'analyze',
      '.',
      '--strict',
      '--baseline',
      file,
      '--today',
      '2025-02-01',
      '--format',
      'markdown,junit,github,sarif,text,json,html',
      '--output-dir',
      out,
    );
    expect(r.code).toBe(1);
    for (const f of [
      'report.md',
      'report.xml',
      'report.github.txt',
      'report.sarif',
      'report.txt',
      'report.json',
      'report.html',
    ]) {
      const text = readFileSync(join(out, f), 'utf8');
      expect({ f, expired: text.includes('expired') && text.includes('2025-01-31') }).toEqual({
        f,
        expired: true,
      });
    }
    expect(readFileSync(join(out, 'report.md'), 'utf8')).not.toContain('no pipeline fails');
    expect(readFileSync(join(out, 'report.xml'), 'utf8')).toContain(
      '<failure type="baseline-expired"',
    );
  });
});

describe('SARIF and GitHub annotations name snapshot files as the repository has them', () => {
  it('relative to the working directory, not to the snapshot folder', async () => {
    const sarif = await cli(root, 'analyze', 'fixtures/demo', '--format', 'sarif');
    const uris = [...sarif.out.matchAll(/"uri": "([^"]*)"/g)].map((m) => m[1]!);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) {
      expect(uri.startsWith('fixtures/demo/')).toBe(true);
      expect(existsSync(join(root, decodeURIComponent(uri)))).toBe(true);
    }
    expect(uris).toContain(`fixtures/demo/${KEY_FILE}`);
    const github = await cli(root, 'analyze', 'fixtures/demo', '--format', 'github');
    expect(github.out).toContain(`::error file=fixtures/demo/${KEY_FILE},`);
    // from inside the snapshot folder the paths are the snapshot's own
    const inside = await cli(demo, 'analyze', '.', '--format', 'github');
    expect(inside.out).toContain(`::error file=${KEY_FILE},`);
  });

  it('a snapshot outside the working directory is named with ../ segments, never absolute', async () => {
    const dir = demoCopy();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const sarif = await cli(sub, 'analyze', '..', '--format', 'sarif');
    const uris = [...sarif.out.matchAll(/"uri": "([^"]*)"/g)].map((m) => m[1]!);
    expect(uris).toContain(`../${KEY_FILE}`);
    for (const uri of uris) {
      expect(uri.startsWith('../')).toBe(true);
      expect(existsSync(join(sub, decodeURIComponent(uri)))).toBe(true);
    }
    const github = await cli(sub, 'analyze', '..', '--format', 'github');
    expect(github.out).toContain(`::error file=../${KEY_FILE},`);
    expect(github.out).not.toContain(`file=${dir}`);
  });
});

describe('an input with no pipeline', () => {
  it('warns in every format, passes by default and fails with --strict', async () => {
    const empty = tempDir('empty');
    // a region folder with the wrong case holds no pipeline the loader reads
    mkdirSync(join(empty, '111111111111', 'US-EAST-1', 'codepipeline'), { recursive: true });
    const line =
      `warning: ${empty}: no pipelines found: nothing was analyzed (check the path; a snapshot ` +
      'holds them in <account>/<region>/codepipeline/, with region folders named like ' +
      'us-east-1) [input.no-pipelines]\n';
    const json = await cli(root, 'analyze', empty, '--format', 'json');
    expect(json.code).toBe(0);
    expect(json.err).toContain(line);
    expect((JSON.parse(json.out) as Report).problems.map((p) => p.id)).toContain(
      'input.no-pipelines',
    );
    const text = await cli(root, 'analyze', empty);
    expect(text.code).toBe(0);
    expect(text.out).toContain('no pipelines found');
    for (const format of ['sarif', 'junit', 'markdown', 'github', 'html']) {
      const r = await cli(root, 'analyze', empty, '--format', format);
      expect({ format, code: r.code, warned: r.out.includes('no pipelines found') }).toEqual({
        format,
        code: 0,
        warned: true,
      });
    }
    expect((await cli(root, 'analyze', empty, '--strict')).code).toBe(1);
    expect((await cli(root, 'analyze', empty, '--fail-on', 'unknown')).code).toBe(1);
    // not for an input with pipelines
    const demoRun = await cli(root, 'analyze', demo, '--format', 'json');
    expect(demoRun.err).not.toContain('no pipelines found');
  });

  it('not when a pipeline, template or stacks file could not be read: its error says why', async () => {
    const dir = tempDir('syntax');
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'Resources:\n  P: {Type: "AWS::CodePipeline::Pipeline", Properties: {Name: x\n',
    );
    for (const args of [
      ['--template', 'broken.yaml', '--account', '111111111111', '--region', 'us-east-1'],
      ['broken.yaml'],
    ]) {
      const r = await cli(dir, 'analyze', ...args, '--format', 'json');
      expect(r.code).toBe(2);
      const lines = r.err.trim().split('\n');
      expect(lines).toHaveLength(1);
      // (the path is relative to the process folder, here not the folder the CLI was given)
      expect(lines[0]).toMatch(/^error: (.*\/)?broken\.yaml: .*line 3, column 1: /);
      expect(r.err).not.toContain('no pipelines found');
    }
    // nor for a snapshot whose only pipeline file is not JSON
    mkdirSync(join(dir, 'snap', '111111111111', 'us-east-1', 'codepipeline'), { recursive: true });
    writeFileSync(join(dir, 'snap', '111111111111', 'us-east-1', 'codepipeline', 'p.json'), '{');
    const snap = await cli(dir, 'analyze', 'snap', '--format', 'json');
    expect(snap.code).toBe(2);
    expect(snap.err).toContain('codepipeline/p.json: not valid json');
    expect(snap.err).not.toContain('no pipelines found');
  });

  it('diff says so for the side that has none', async () => {
    const empty = tempDir('empty-diff');
    const r = await cli(root, 'diff', empty, demo);
    expect(r.out).toContain(`warning: ${empty}: (before \`${empty}\`) no pipelines found`);
    const md = await cli(root, 'diff', empty, demo, '--format', 'markdown');
    expect(md.err).toContain(`warning: ${empty}: (before \`${empty}\`) no pipelines found`);
  });
});

describe('diff fails only on a required link newly denied', () => {
  it('a recommended link newly denied is a warning (exit 0); a required one fails (exit 1)', async () => {
    // the deploy action role is denied what CloudFormation only recommends
    const recommendedDenied = demoCopy();
    const iamFile = join(recommendedDenied, '222222222222/iam.json');
    const iam = JSON.parse(readFileSync(iamFile, 'utf8')) as {
      RoleDetailList: {
        RoleName: string;
        RolePolicyList: { PolicyDocument: { Statement: unknown[] } }[];
      }[];
    };
    const role = iam.RoleDetailList.find((r) => r.RoleName === 'demo-deploy-action')!;
    role.RolePolicyList[0]!.PolicyDocument.Statement.push({
      Effect: 'Deny',
      Action: ['cloudformation:DescribeStackEvents'],
      Resource: '*',
    });
    writeFileSync(iamFile, JSON.stringify(iam));
    const before = await cli(root, 'analyze', recommendedDenied, '--format', 'json');
    const denied = (JSON.parse(before.out) as Report).pipelines[0]!.links.filter(
      (l) => l.decision !== 'Allowed' && l.id !== BROKEN,
    );
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((l) => l.level === 'recommended')).toBe(true);

    const r = await cli(root, 'diff', demo, recommendedDenied);
    expect(r.code).toBe(0);
    expect(r.out).toContain('recommended: a warning');
    expect(r.out).toMatch(/\d+ newly denied \(\d+ recommended: warnings only\)/);
    // the demo's broken link is required
    const fixedKey = demoCopy();
    const keyFile = join(fixedKey, KEY_FILE);
    const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { Policy: string };
    const policy = JSON.parse(key.Policy) as { Statement: unknown[] };
    policy.Statement.push({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    writeFileSync(keyFile, JSON.stringify({ ...key, Policy: JSON.stringify(policy) }));
    expect((await cli(root, 'diff', fixedKey, demo)).code).toBe(1);
  });
});

describe('input values cannot forge lines on stderr', () => {
  it('a policy value with a newline and a workflow command stays on its problem line', async () => {
    const dir = demoCopy();
    const iamFile = join(dir, '111111111111/iam.json');
    const iam = JSON.parse(readFileSync(iamFile, 'utf8')) as {
      RoleDetailList: {
        RolePolicyList: { PolicyDocument: { Statement: { Effect: string }[] } }[];
      }[];
    };
    iam.RoleDetailList[0]!.RolePolicyList[0]!.PolicyDocument.Statement[0]!.Effect =
      'Allow\n::error file=x.ts::forged\u001b[2J';
    writeFileSync(iamFile, JSON.stringify(iam));
    for (const format of ['json', 'sarif', 'text']) {
      const r = await cli(root, 'analyze', dir, '--format', format);
      const lines = (r.err + (format === 'text' ? r.out : '')).split('\n');
      expect(lines.some((l) => l.startsWith('::'))).toBe(false);
      expect(r.err + r.out).not.toContain('\u001b[2J');
      expect(r.err + r.out).toContain('Allow\\x0a::error file=x.ts::forged\\x1b[2J');
    }
  });

  it('the baseline expiry line escapes a link id with a newline', async () => {
    const dir = demoCopy();
    const file = join(dir, PIPELINE_FILE);
    // the link id is built from the action's name; a pipeline name cannot carry a newline
    // (CodePipeline allows only letters, digits and `.@-_`: snapshot.name.invalid)
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replaceAll('"DeployStack"', '"Deploy\\n::error::x"'),
    );
    // such a name is an input error now (snapshot.name.invalid: `permchain baseline` writes no
    // file then), still analyzed: the baseline is written by hand, for the link it names
    const analyzed = await cli(root, 'analyze', dir, '--format', 'json');
    expect(analyzed.code).toBe(2);
    const report = JSON.parse(analyzed.out) as {
      pipelines: { arn: string; links: { id: string; decision: string }[] }[];
    };
    const pipeline = report.pipelines[0]!;
    const link = pipeline.links.find(
      (l) => l.id.includes('::error::x') && l.decision !== 'Allowed',
    )!;
    const baseline = join(tempDir('expiry'), 'b.json');
    writeFileSync(
      baseline,
      JSON.stringify({
        version: 1,
        entries: [
          {
            pipeline: pipeline.arn,
            link: link.id,
            decision: link.decision,
            reason: 'known',
            expires: '2020-01-01',
          },
        ],
      }),
    );
    const r = await cli(root, 'analyze', dir, '--baseline', baseline, '--today', '2021-01-01');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'error: baseline entry for `arn:aws:codepipeline:us-east-1:111111111111:demo-app` / `DeployProd/Deploy\\x0a::error::x:',
    );
    expect(r.err.split('\n').some((l) => l.startsWith('::'))).toBe(false);
  });

  it('baseline --output: the file name is printed with control characters escaped', async () => {
    const dir = tempDir('forged-name');
    const r = await cli(
      dir,
      'baseline',
      demo,
      '--output',
      'bx\n::error::forged.json',
      '--expires',
      '2099-01-01',
    );
    expect(r.code).toBe(0);
    expect(r.out).toBe('wrote 1 baseline entry to bx\\x0a::error::forged.json\n');
    expect(existsSync(join(dir, 'bx\n::error::forged.json'))).toBe(true);
  });

  it("commander's own usage errors quote arguments with control characters escaped", async () => {
    const bad = await cli(root, 'analyze', demo, '--no-such\n::error::forged\u202e');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("error: unknown option '--no-such\\x0a::error::forged\\u202e'\n");
    expect(bad.err.split('\n').some((l) => l.startsWith('::'))).toBe(false);
    expect(bad.err).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    const extra = await cli(root, 'diff', demo, demo, 'x\n::error::y');
    expect(extra.code).toBe(2);
    expect(extra.err.split('\n').some((l) => l.startsWith('::'))).toBe(false);
    // commander's suggestion ends the error's line
    const typo = await cli(root, 'analyze', demo, '--strickt');
    expect(typo.err).toContain("error: unknown option '--strickt' (Did you mean --strict?)\n");
  });

  it('simulate prints request values with control characters escaped', async () => {
    const dir = tempDir('simulate-ctl');
    const request = join(dir, 'r.json');
    writeFileSync(
      request,
      JSON.stringify({
        principal: 'arn:aws:iam::111122223333:role/Name',
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::bucket/key\n::error::forged',
        identityPolicies: [],
      }),
    );
    const r = await cli(dir, 'simulate', '--request', request);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').some((l) => l.startsWith('::'))).toBe(false);
    expect(r.out).toContain('bucket/key\\x0a::error::forged');
  });
});

describe('file system errors are one line, exit 2', () => {
  it('baseline --output naming a folder', async () => {
    const dir = tempDir('out-folder');
    const r = await cli(dir, 'baseline', demo, '--output', dir, '--expires', '2099-01-01');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: --output \`${dir}\` is a folder: the output must be a regular file\n`,
    );
  });

  // a write that fails on a full disk: test/cli/outputErrors.test.ts (writeOutputFile)
  it.runIf(existsSync('/dev/full'))(
    '--output on a device is refused before analyzing',
    async () => {
      const why = 'error: --output `/dev/full` is a device: the output must be a regular file\n';
      const a = await cli(root, 'analyze', demo, '--output', '/dev/full');
      expect(a).toMatchObject({ code: 2, err: why });
      const j = await cli(root, 'analyze', demo, '--format', 'json', '--output', '/dev/full');
      expect(j).toMatchObject({ code: 2, err: why });
      const b = await cli(
        root,
        'baseline',
        demo,
        '--output',
        '/dev/full',
        '--expires',
        '2099-01-01',
      );
      expect(b).toMatchObject({ code: 2, err: why });
    },
  );

  it('a standard output that fails: one line, exit 2', async () => {
    // a stream that fails every write the way a full disk does: the error arrives as an event
    const stdout = new PassThrough();
    stdout.write = ((_chunk: unknown, cb?: unknown) => {
      const err = Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
      });
      process.nextTick(() => stdout.emit('error', err));
      if (typeof cb === 'function') process.nextTick(() => (cb as (e: Error) => void)(err));
      return false;
    }) as typeof stdout.write;
    let err = '';
    const stderr = new PassThrough();
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const io = processIo({ stdout, stderr });
    const code = await main(['node', 'permchain', 'analyze', demo, '--format', 'json'], io);
    await new Promise<void>((done) => setImmediate(done));
    expect(code).toBe(2);
    expect(err).toContain('error: standard output: no space left on the device\n');
    expect(err).not.toContain('    at ');
  });

  it.runIf(existsSync('/dev/zero'))(
    'a device as --request or --baseline is refused, not read forever',
    async () => {
      const s = await cli(root, 'simulate', '--request', '/dev/zero');
      expect(s).toMatchObject({
        code: 2,
        err: 'error: /dev/zero: not a regular file [input.file.unreadable]\n',
      });
      const a = await cli(root, 'analyze', demo, '--baseline', '/dev/zero', '--format', 'json');
      expect(a.code).toBe(2);
      expect(a.err).toContain('error: /dev/zero: not a regular file [baseline.file.unreadable]\n');
    },
  );

  it.runIf(process.platform !== 'win32')(
    'a FIFO as --request or --baseline is refused at once',
    async () => {
      const dir = tempDir('fifo');
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const s = await cli(dir, 'simulate', '--request', fifo);
      expect(s).toMatchObject({
        code: 2,
        err: `error: ${fifo}: not a regular file [input.file.unreadable]\n`,
      });
      const a = await cli(dir, 'analyze', demo, '--baseline', fifo, '--format', 'json');
      expect(a.code).toBe(2);
      expect(a.err).toContain(`error: ${fifo}: not a regular file [baseline.file.unreadable]\n`);
    },
    10_000,
  );

  it.runIf(process.platform !== 'win32')(
    'a FIFO or device named as a template, a stacks file or a CDK manifest is refused at once',
    async () => {
      const dir = tempDir('fifo-templates');
      execFileSync('mkfifo', [join(dir, 'template.yaml')]);
      // --template: the FIFO would block the read
      const t = await cli(
        dir,
        'analyze',
        '--template',
        'template.yaml',
        '--account',
        '111122223333',
        '--region',
        'us-east-1',
      );
      expect(t.code).toBe(2);
      expect(t.out).toContain(
        'template.yaml` cannot be read (not a regular file) [stacks.template.missing]',
      );
      // a stacks file naming the FIFO and /dev/zero (a device that never ends)
      writeFileSync(
        join(dir, 'stacks.yaml'),
        [
          'stacks:',
          '  - template: template.yaml',
          '    account: "111122223333"',
          '    region: us-east-1',
          ...(existsSync('/dev/zero')
            ? ['  - template: /dev/zero', '    account: "111122223333"', '    region: us-east-1']
            : []),
          '',
        ].join('\n'),
      );
      const s = await cli(dir, 'analyze', 'stacks.yaml');
      expect(s.code).toBe(2);
      expect(s.out).toContain('stacks.yaml#/stacks/0/template: the template `');
      expect(s.out).toContain(
        'template.yaml` cannot be read (not a regular file) [stacks.template.missing]',
      );
      if (existsSync('/dev/zero')) expect(s.out).toContain('/stacks/1/template: the template `');
      // a CDK assembly whose template is the FIFO
      const cdk = join(dir, 'cdk.out');
      mkdirSync(cdk);
      execFileSync('mkfifo', [join(cdk, 'App.template.json')]);
      writeFileSync(
        join(cdk, 'manifest.json'),
        JSON.stringify({
          version: '36.0.0',
          artifacts: {
            App: {
              type: 'aws:cloudformation:stack',
              environment: 'aws://111122223333/us-east-1',
              properties: { templateFile: 'App.template.json' },
            },
          },
        }),
      );
      const c = await cli(dir, 'analyze', 'cdk.out');
      expect(c.code).toBe(2);
      expect(c.out).toContain(
        'cdk.out/App.template.json` cannot be read (not a regular file) [stacks.template.missing]',
      );
      // a CDK assembly whose manifest is the FIFO: a broken assembly, not an empty snapshot
      const cdk2 = join(dir, 'cdk2.out');
      mkdirSync(cdk2);
      execFileSync('mkfifo', [join(cdk2, 'manifest.json')]);
      const m = await cli(dir, 'analyze', 'cdk2.out');
      expect(m.code).toBe(2);
      expect(m.out).toContain(
        'cdk2.out/manifest.json: expected a cdk `manifest.json` with `artifacts`: not a regular file [cdk.manifest.invalid]',
      );
    },
    10_000,
  );
});

describe('a malformed baseline file', () => {
  it('is reported by line and column, never quoted', async () => {
    const dir = tempDir('baseline-malformed');
    const file = join(dir, 'b.json');
    writeFileSync(file, '{\n  "version": 1,\n  "entries": [],\n  "token": "ghp_SECRET",\n}');
    const r = await cli(dir, 'analyze', demo, '--baseline', file, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('ghp_');
    expect(r.err).toContain(
      `error: ${file}: not valid json: line 5 column 1 [baseline.json.invalid]\n`,
    );
    const b = await cli(dir, 'baseline', demo, '--output', file, '--expires', '2099-01-01');
    expect(b.code).toBe(2);
    expect(b.err).not.toContain('ghp_');
    expect(b.err).toContain('not valid json: line 5 column 1');
  });
});

describe('option values', () => {
  it.each([
    [['--today', '2025-13-01'], '--today `2025-13-01` is not a date written YYYY-MM-DD'],
    [['--today', '2025-02-30'], '--today `2025-02-30` is not a date written YYYY-MM-DD'],
    [['--today', 'tomorrow'], '--today `tomorrow` is not a date written YYYY-MM-DD'],
    [
      ['--strict', '--fail-on', 'never'],
      '--strict means --fail-on unknown: it cannot be used with --fail-on never',
    ],
    [
      ['--strict', '--fail-on', 'denied'],
      '--strict means --fail-on unknown: it cannot be used with --fail-on denied',
    ],
    [
      ['--strict', '--fail-on', 'bogus'],
      'unknown --fail-on value `bogus` (expected denied, unknown, never)',
    ],
    [['--output', ''], '--output needs a file name, not an empty value'],
    [['--output-dir', ''], '--output-dir needs a folder name, not an empty value'],
    [['--baseline', ''], '--baseline needs a file name, not an empty value'],
    [
      ['--format', ''],
      '--format needs a format name (one of text, json, sarif, junit, markdown, github, mermaid, dot, html)',
    ],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await cli(root, 'analyze', demo, ...args);
    expect(r).toMatchObject({ code: 2, out: '', err: `error: ${message}\n` });
  });

  it('baseline --output "" is a usage error, not a read of the working directory', async () => {
    const dir = tempDir('empty-output');
    const r = await cli(dir, 'baseline', demo, '--output', '', '--expires', '2099-01-01');
    expect(r).toMatchObject({
      code: 2,
      out: '',
      err: 'error: --output needs a file name, not an empty value\n',
    });
  });

  it('--strict with --fail-on unknown agrees; --today takes a real date', async () => {
    expect((await cli(root, 'analyze', demo, '--strict', '--fail-on', 'unknown')).code).toBe(1);
    expect((await cli(root, 'analyze', demo, '--today', '2024-02-29')).code).toBe(1);
  });
});

/**
 * The demo with the key policy fixed and the deploy role's `Validate` statement removed: the only
 * link not allowed is the recommended cloudformation:ValidateTemplate, a warning.
 */
function onlyWarningDemo(): string {
  const dir = onlyUnknownDemo();
  cpSync(
    join(demo, '111111111111/us-east-1/events.json'),
    join(dir, '111111111111/us-east-1/events.json'),
  );
  const iamFile = join(dir, '222222222222/iam.json');
  const iam = JSON.parse(readFileSync(iamFile, 'utf8')) as {
    RoleDetailList: {
      RolePolicyList: { PolicyDocument: { Statement: { Sid?: string }[] } }[];
    }[];
  };
  for (const role of iam.RoleDetailList) {
    for (const p of role.RolePolicyList) {
      p.PolicyDocument.Statement = p.PolicyDocument.Statement.filter((s) => s.Sid !== 'Validate');
    }
  }
  writeFileSync(iamFile, JSON.stringify(iam));
  return dir;
}

describe('an expired baseline entry is never stricter than no baseline', () => {
  it('on a recommended link: the run passes as without a baseline, and a warning names the entry', async () => {
    const dir = onlyWarningDemo();
    expect((await cli(dir, 'analyze', '.')).code).toBe(0);
    const file = join(tempDir('outside-snapshot'), 'b.json');
    await cli(dir, 'baseline', '.', '--output', file, '--expires', '2026-01-01');
    const [entry] = entries(file);
    expect(entries(file)).toHaveLength(1);
    expect(entry!.link).toContain('cloudformation:ValidateTemplate');
    const r = await cli(
      dir,
      'analyze',
      '.',
      '--baseline',
      file,
      '--today',
      '2026-02-01',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const message =
      `baseline entry for \`${EAST}\` / \`${entry!.link}\` expired on 2026-01-01: it accepts ` +
      'nothing, and the link (ImplicitlyDenied) is judged as without a baseline, where it does ' +
      'not fail the run (a recommended link is a warning, never a failure); renew the entry or ' +
      'remove it';
    expect(r.err).toBe(`warning: ${file}#/entries/0: ${message} [baseline.entry.expired]\n`);
    const report = JSON.parse(r.out) as Report;
    expect(report.problems).toEqual([
      { file, pointer: '/entries/0', message, id: 'baseline.entry.expired', severity: 'warning' },
    ]);
    const link = report.pipelines[0]!.links.find((l) => l.id === entry!.link)!;
    expect(link.expired).toBeUndefined();
    expect(link.accepted).toBeUndefined();
    // every format agrees: no failure anywhere, under --strict too
    const strict = await cli(
      dir,
      'analyze',
      '.',
      '--strict',
      '--baseline',
      file,
      '--today',
      '2026-02-01',
      '--format',
      'junit',
    );
    expect(strict.code).toBe(0);
    expect(strict.out).toMatch(/<testsuites name="permchain" tests="\d+" failures="0"/);
    // the run without the baseline says the same
    expect((await cli(dir, 'analyze', '.', '--strict')).code).toBe(0);
  });

  it('on Unknown links: a warning under --fail-on denied, a failure under --fail-on unknown', async () => {
    const scenario = join(root, 'fixtures/scenarios/missing-key-file');
    const dir = tempDir('missing-key-baseline');
    const file = join(dir, 'b.json');
    expect((await cli(dir, 'analyze', scenario)).code).toBe(0);
    expect((await cli(dir, 'analyze', scenario, '--strict')).code).toBe(1);
    await cli(dir, 'baseline', scenario, '--output', file, '--expires', '2026-01-01');
    const written = entries(file);
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((e) => e.decision === 'Unknown')).toBe(true);
    const late = ['--baseline', file, '--today', '2026-02-01', '--format', 'json'];
    const r = await cli(dir, 'analyze', scenario, ...late);
    expect(r.code).toBe(0);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(written.length);
    // the Unknown links include recommended ones (a multipart upload's kms:Decrypt on the key
    // whose file is missing), which never fail the run, under --strict either
    const level = new Map(
      (JSON.parse(r.out) as Report).pipelines.flatMap((p) => p.links.map((l) => [l.id, l.level])),
    );
    const required = written.filter((e) => level.get(e.link) === 'required');
    expect(required.length).toBeGreaterThan(0);
    expect(required.length).toBeLessThan(written.length);
    for (const [i, line] of lines.entries()) {
      const why =
        level.get(written[i]!.link) === 'required'
          ? 'an Unknown link fails the run only under --fail-on unknown'
          : 'a recommended link is a warning, never a failure';
      expect(line).toMatch(
        new RegExp(
          `^warning: ${file}#/entries/${i}: .* \\(${why}\\); renew the entry or remove it \\[baseline\\.entry\\.expired\\]$`,
        ),
      );
    }
    const strict = await cli(dir, 'analyze', scenario, '--strict', ...late);
    expect(strict.code).toBe(1);
    expect(strict.err.match(/\[baseline\.entry\.expired\]$/gm)).toHaveLength(
      written.length - required.length,
    );
    expect(strict.err.match(/^error: baseline entry for .* expired on 2026-01-01$/gm)).toHaveLength(
      required.length,
    );
    // while live, the entries accept the links under --strict
    const live = await cli(
      dir,
      'analyze',
      scenario,
      '--strict',
      '--baseline',
      file,
      '--today',
      '2026-01-01',
    );
    expect(live.code).toBe(0);
  });
});
