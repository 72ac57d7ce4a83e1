import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';
import { addKeyStatement, BROKEN, demo, KEY_FILE, PROD_DECRYPT, root } from './demoCopy.js';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadInput } from '../../src/cli/loadInput.js';
import { renderJson } from '../../src/report/json.js';
import type { Report } from '../../src/report/types.js';

const cli = runCli;

/** A copy of the demo whose key policy also lets the prod account use the key. */
function fixedDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-demo-'));
  cpSync(demo, dir, { recursive: true });
  addKeyStatement(dir, {
    ...PROD_DECRYPT,
    Sid: 'ProdAccountUse',
    Action: ['kms:Decrypt', 'kms:DescribeKey'],
  });
  return dir;
}

describe('permchain analyze on the demo', () => {
  it('exits 1 and names the one broken link, its deciding policy and the fix', async () => {
    const r = await cli(root, 'analyze', 'fixtures/demo');
    expect(r.code).toBe(1);
    expect(r.out).toContain('DENIED    kms:Decrypt');
    expect(r.out).toContain('arn:aws:iam::222222222222:role/demo-deploy-action');
    expect(r.out).toContain(`${KEY_FILE}#/Policy`);
    expect(r.out).toMatch(
      /1 pipeline \(1 fail, 0 unknown, 0 pass\), \d+ links \(\d+ allowed, 1 denied, 0 unknown, 0 warnings\)/,
    );
  });

  it('prints the JSON contract', async () => {
    const r = await cli(root, 'analyze', 'fixtures/demo', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.problems).toEqual([]);
    const [p] = report.pipelines;
    expect(p).toMatchObject({
      name: 'demo-app',
      account: '111111111111',
      region: 'us-east-1',
      arn: 'arn:aws:codepipeline:us-east-1:111111111111:demo-app',
      verdict: 'fail',
    });
    const denied = p!.links.filter((l) => l.decision !== 'Allowed');
    expect(denied.map((l) => l.id)).toEqual([BROKEN]);
    expect(denied[0]).toMatchObject({
      stage: 'DeployProd',
      action: 'DeployStack',
      principal: 'arn:aws:iam::222222222222:role/demo-deploy-action',
      permission: 'kms:Decrypt',
      resource: 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10',
      decision: 'ImplicitlyDenied',
      deniedBy: [
        {
          policyType: 'resource',
          policy: 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10',
          explicit: false,
        },
      ],
      blocks: ['DeployProd'],
    });
    expect(typeof denied[0]!.why).toBe('string');
    // the same input gives the same bytes: no timestamps, stable order
    expect((await cli(root, 'analyze', 'fixtures/demo', '--format', 'json')).out).toBe(r.out);
  });

  it('passes once the key policy lets the prod account decrypt', async () => {
    const r = await cli(root, 'analyze', fixedDemo(), '--format', 'json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Report).pipelines[0]!.verdict).toBe('pass');
  });

  it('--pipeline narrows, and an unknown pipeline is an input error', async () => {
    expect((await cli(root, 'analyze', 'fixtures/demo', '--pipeline', 'demo-app')).code).toBe(1);
    const r = await cli(root, 'analyze', 'fixtures/demo', '--pipeline', 'nope', '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no pipeline `nope`');
  });

  it('writes several formats with --output-dir', async () => {
    const out = mkdtempSync(join(tmpdir(), 'permchain-out-'));
    const r = await cli(
      root,
      'analyze',
      'fixtures/demo',
      '--format',
      'sarif,junit,markdown',
      '--output-dir',
      out,
    );
    expect(r.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['report.md', 'report.sarif', 'report.xml']);
    const sarif = JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')) as {
      runs: { results: unknown[] }[];
    };
    expect(sarif.runs[0]!.results).toHaveLength(1);
  });

  it('--fail-on never exits 0; usage errors exit 2', async () => {
    expect((await cli(root, 'analyze', 'fixtures/demo', '--fail-on', 'never')).code).toBe(0);
    expect((await cli(root, 'analyze', 'fixtures/demo', '--format', 'yaml')).code).toBe(2);
    expect((await cli(root, 'analyze', 'fixtures/demo', '--format', 'json,text')).code).toBe(2);
    expect((await cli(root, 'analyze', 'no/such/dir')).code).toBe(2);
  });

  it('a baseline accepts the known failure until it expires', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-baseline-'));
    const file = join(dir, 'baseline.json');
    const w = await cli(
      root,
      'baseline',
      'fixtures/demo',
      '--output',
      file,
      '--expires',
      '2027-01-31',
      '--reason',
      'prod key fix in review',
    );
    expect(w.code).toBe(0);
    const baseline = JSON.parse(readFileSync(file, 'utf8')) as {
      entries: { link: string; reason: string }[];
    };
    expect(baseline.entries).toEqual([
      {
        pipeline: 'arn:aws:codepipeline:us-east-1:111111111111:demo-app',
        link: BROKEN,
        decision: 'ImplicitlyDenied',
        // what it accepts: a link id holds neither the principal nor the resource
        principal: 'arn:aws:iam::222222222222:role/demo-deploy-action',
        resource: 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10',
        deniedBy: [
          {
            policyType: 'resource',
            policy: 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10',
            explicit: false,
          },
        ],
        reason: 'prod key fix in review',
        expires: '2027-01-31',
      },
    ]);
    expect(
      (await cli(root, 'analyze', 'fixtures/demo', '--baseline', file, '--today', '2027-01-31'))
        .code,
    ).toBe(0);
    const late = await cli(
      root,
      'analyze',
      'fixtures/demo',
      '--baseline',
      file,
      '--today',
      '2027-02-01',
    );
    expect(late.code).toBe(1);
    expect(late.err).toContain('expired on 2027-01-31');
  });
});

describe('permchain diff', () => {
  it('exits 1 when a change newly denies a link, 0 when it only fixes one', async () => {
    const fixed = fixedDemo();
    const breaks = await cli(root, 'diff', fixed, 'fixtures/demo');
    expect(breaks.code).toBe(1);
    expect(breaks.out).toContain('kms:Decrypt');
    const fixes = await cli(root, 'diff', 'fixtures/demo', fixed, '--format', 'json');
    expect(fixes.code).toBe(0);
    const d = JSON.parse(fixes.out) as { newlyAllowed: { link: string }[]; newlyDenied: unknown[] };
    expect(d.newlyDenied).toEqual([]);
    expect(d.newlyAllowed.map((c) => c.link)).toEqual([BROKEN]);
  });

  it('--fail-on unknown also fails a change that makes a required link undecidable', async () => {
    const after = mkdtempSync(join(tmpdir(), 'permchain-diff-unknown-'));
    cpSync('fixtures/demo', after, { recursive: true });
    // the artifact key file is gone: the KMS links on it cannot be decided
    rmSync(join(after, '111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json'));
    const fixed = fixedDemo();
    const plain = await cli(root, 'diff', fixed, after, '--format', 'json');
    const d = JSON.parse(plain.out) as {
      newlyDenied: unknown[];
      newlyUnknown: { level: string }[];
    };
    expect(d.newlyDenied).toEqual([]);
    expect(d.newlyUnknown.some((c) => c.level === 'required')).toBe(true);
    expect(plain.code).toBe(0);
    expect((await cli(root, 'diff', fixed, after, '--fail-on', 'unknown')).code).toBe(1);
    expect((await cli(root, 'diff', fixed, after, '--fail-on', 'never')).code).toBe(0);
    const bad = await cli(root, 'diff', fixed, after, '--fail-on', 'sometimes');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown --fail-on `sometimes`');
  });

  it('says which side an input error is in, and puts it in the JSON too', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'permchain-diff-bad-'));
    cpSync('fixtures/demo', broken, { recursive: true });
    writeFileSync(join(broken, '111111111111/us-east-1/codepipeline/demo-app.json'), '{bad');
    const after = await cli(root, 'diff', 'fixtures/demo', broken, '--format', 'json');
    expect(after.code).toBe(2);
    expect(after.err).toContain(`(after \`${broken}\`)`);
    const d = JSON.parse(after.out) as { problems?: { file: string; severity: string }[] };
    expect(d.problems?.map((x) => [x.file, x.severity])).toEqual([
      ['111111111111/us-east-1/codepipeline/demo-app.json', 'error'],
    ]);
    // the text lists it (not repeated on stderr), and ends with how the run ends
    const before = await cli(root, 'diff', broken, 'fixtures/demo');
    expect(before.code).toBe(2);
    expect(before.out).toContain(`(before \`${broken}\`)`);
    expect(before.err).toBe('');
    expect(before.out.trimEnd().split('\n').at(-1)).toMatch(/^the run fails \(exit 2\): /);
  });
});

describe('permchain analyze with templates', () => {
  it('lays a template over the snapshot and points the broken link at the template line', async () => {
    const r = await cli(
      root,
      'analyze',
      'fixtures/demo',
      '--template',
      'fixtures/templates/demo-pipeline-v2.yaml',
      '--account',
      '111111111111',
      '--region',
      'us-east-1',
      '--pipeline',
      'demo-app-v2',
      '--format',
      'json',
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.pipelines.map((p) => p.name)).toEqual(['demo-app-v2']);
    const broken = report.pipelines[0]!.links.filter((l) => l.decision !== 'Allowed');
    expect(broken.map((l) => [l.id, l.decision])).toEqual([[BROKEN, 'ImplicitlyDenied']]);
    // declared in the template, decided by the key policy the snapshot holds
    expect(broken[0]!.declaredAt).toMatchObject({
      file: 'fixtures/templates/demo-pipeline-v2.yaml',
      line: 41,
    });
    expect(broken[0]!.deniedBy[0]!.location?.file).toBe(KEY_FILE);
  });

  it('--template needs --account and --region; --parameter needs KEY=VALUE', async () => {
    const r = await cli(
      root,
      'analyze',
      'fixtures/demo',
      '--template',
      'fixtures/templates/demo-pipeline-v2.yaml',
    );
    expect(r.code).toBe(2);
    expect(r.out).toContain('a template needs its account and region (--account, --region)');
    const p = await cli(
      root,
      'analyze',
      '--template',
      'x.yaml',
      '--account',
      '1',
      '--region',
      'r',
      '--parameter',
      'novalue',
    );
    expect(p.code).toBe(2);
  });

  it.skipIf(!existsSync(join(root, '../shared/corpus')))(
    'a stacks file over the corpus finds the reference architecture key policy that only lets the tools account administer the key',
    async () => {
      const r = await cli(root, 'analyze', 'fixtures/stacks/refarch-cross-account/stacks.yaml');
      expect(r.code).toBe(1);
      expect(r.out).toContain('pre-reqs.yaml:37');
      expect(r.out).toMatch(/DENIED {4}kms:Decrypt/);
    },
  );
});

describe('permchain analyze on broken input', () => {
  it('reports every broken file with its pointer, exits 2, and never passes a pipeline it could not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-hostile-'));
    cpSync(demo, dir, { recursive: true });
    writeFileSync(join(dir, '222222222222/iam.json'), '['.repeat(100_000) + ']'.repeat(100_000));
    writeFileSync(
      join(dir, '111111111111/us-east-1/codebuild.json'),
      Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
    );
    const x = join(dir, '333333333333/us-east-1/codepipeline');
    mkdirSync(x, { recursive: true });
    writeFileSync(join(x, 'x.json'), JSON.stringify({ pipeline: { name: 'x', stages: { a: 1 } } }));
    const r = await cli(root, 'analyze', dir, '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as Report;
    expect(report.problems.map((p) => [p.file, p.pointer, p.id])).toEqual(
      expect.arrayContaining([
        ['111111111111/us-east-1/codebuild.json', '', 'snapshot.json.invalid'],
        ['222222222222/iam.json', '', 'snapshot.shape.invalid'],
        [
          '333333333333/us-east-1/codepipeline/x.json',
          '/pipeline/stages',
          'snapshot.shape.invalid',
        ],
      ]),
    );
    // every error is one line on stderr, no stack trace
    expect(r.err).not.toMatch(/\n\s+at /);
    const verdicts = Object.fromEntries(report.pipelines.map((p) => [p.name, p.verdict]));
    expect(verdicts).toEqual({ 'demo-app': 'unknown', x: 'unknown' });
  });
});

describe('trust hygiene', () => {
  it('warns when the action role trusts the whole pipeline account instead of the pipeline role', async () => {
    const dir = fixedDemo();
    const file = join(dir, '222222222222/iam.json');
    const iam = JSON.parse(readFileSync(file, 'utf8')) as {
      RoleDetailList: { RoleName: string; AssumeRolePolicyDocument: unknown }[];
    };
    const role = iam.RoleDetailList.find((r) => r.RoleName === 'demo-deploy-action')!;
    role.AssumeRolePolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'sts:AssumeRole',
        },
      ],
    };
    writeFileSync(file, JSON.stringify(iam));
    const r = await cli(root, 'analyze', dir, '--format', 'json');
    expect(r.code).toBe(0);
    const links = (JSON.parse(r.out) as Report).pipelines[0]!.links;
    const warned = links.filter((l) => (l.warnings ?? []).length > 0);
    expect(warned.map((l) => l.id)).toEqual([
      'DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole',
    ]);
    expect(warned[0]!.warnings![0]).toContain('trusts the whole account `111111111111`');
    // the advice names the link's caller (here the pipeline role)
    expect(warned[0]!.warnings![0]).toContain(`name \`${warned[0]!.principal}\``);
    const text = await cli(root, 'analyze', dir);
    expect(text.out).toContain('warning      the trust policy of');
    // the demo names the pipeline role: no warning
    const clean = await cli(root, 'analyze', fixedDemo(), '--format', 'json');
    expect((JSON.parse(clean.out) as Report).pipelines[0]!.links.some((l) => l.warnings)).toBe(
      false,
    );
  });
});

describe('permchain analyze on a CDK cloud assembly', () => {
  it('reads manifest.json (environment-agnostic stacks take --account/--region) and reports what it cannot resolve', async () => {
    const r = await cli(
      root,
      'analyze',
      'test/load/templates/fixtures/cdk.out',
      '--account',
      '333333333333',
      '--region',
      'eu-west-1',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.problems.map((p) => [p.id, p.file, p.severity])).toContainEqual([
      'template.value.unresolved',
      'test/load/templates/fixtures/cdk.out/Agnostic.template.json',
      'warning',
    ]);
  });
});

describe('SCP levels in words', () => {
  it('names the organization target of a level whose SCPs allow nothing for the action', async () => {
    const dir = fixedDemo();
    const full = join(dir, 'organization/scp/p-FullAWSAccess.json');
    const doc = JSON.parse(readFileSync(full, 'utf8')) as { Targets: { TargetId: string }[] };
    doc.Targets = doc.Targets.filter((t) => t.TargetId !== 'ou-demo-workloads');
    writeFileSync(full, JSON.stringify(doc));
    const allowList = {
      Policy: {
        PolicySummary: {
          Id: 'p-allowlist',
          Name: 'allow-list',
          Type: 'SERVICE_CONTROL_POLICY',
          AwsManaged: false,
        },
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', NotAction: 'kms:*', Resource: '*' }],
        }),
      },
      Targets: [{ TargetId: 'ou-demo-workloads', Type: 'ORGANIZATIONAL_UNIT' }],
    };
    writeFileSync(join(dir, 'organization/scp/p-allowlist.json'), JSON.stringify(allowList));
    const r = await cli(root, 'analyze', dir, '--format', 'json');
    expect(r.code).toBe(1);
    const kms = (JSON.parse(r.out) as Report).pipelines[0]!.links.filter(
      (l) => l.permission.startsWith('kms:') && l.decision === 'ImplicitlyDenied',
    );
    expect(kms.length).toBeGreaterThan(0);
    for (const l of kms) {
      // the level is named by its target and its SCPs (ids and names), not as `level 2`
      expect(l.deniedBy).toContainEqual(
        expect.objectContaining({
          policyType: 'scp',
          policy:
            'SCPs attached to ou-demo-workloads (level 2 of 3): p-allowlist (allow-list), p-demoguard1 (deny-leave-org)',
        }),
      );
      expect(l.why).toContain('no SCP attached to `ou-demo-workloads` allows');
    }
  });
});

describe('a policy with an invalid statement', () => {
  it('makes the links it decides Unknown, naming the skipped statement, instead of deciding without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-invalid-'));
    cpSync(demo, dir, { recursive: true });
    // meant to let the prod account decrypt, but `Permit` is not an effect: the statement is skipped
    addKeyStatement(dir, { ...PROD_DECRYPT, Sid: 'ProdAccountUse', Effect: 'Permit' });
    const r = await cli(root, 'analyze', dir, '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as Report;
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        file: KEY_FILE,
        pointer: '/Policy/Statement/2/Effect',
        severity: 'error',
      }),
    );
    const link = report.pipelines[0]!.links.find((l) => l.id === BROKEN)!;
    expect(link.decision).toBe('Unknown');
    expect(link.missing).toEqual([`${KEY_FILE}#/Policy/Statement/2 (invalid statement)`]);
  });
});

describe('keys CodePipeline may or may not send', () => {
  function withPipelineTrustCondition(condition: Record<string, unknown>): string {
    const dir = fixedDemo();
    const file = join(dir, '111111111111/iam.json');
    const iam = JSON.parse(readFileSync(file, 'utf8')) as {
      RoleDetailList: { RoleName: string; AssumeRolePolicyDocument: unknown }[];
    };
    iam.RoleDetailList.find((r) => r.RoleName === 'demo-pipeline-role')!.AssumeRolePolicyDocument =
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'codepipeline.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: condition,
          },
        ],
      };
    writeFileSync(file, JSON.stringify(iam));
    return dir;
  }
  const assumeLink = (out: string) =>
    (JSON.parse(out) as Report).pipelines[0]!.links.find(
      (l) => l.id === 'pipeline.assume-service-role:sts:AssumeRole',
    )!;

  it('a trust policy that needs aws:SourceArn (undocumented for CodePipeline) makes the assumption Unknown', async () => {
    const dir = withPipelineTrustCondition({
      ArnEquals: { 'aws:SourceArn': 'arn:aws:codepipeline:us-east-1:111111111111:demo-app' },
    });
    const link = assumeLink((await cli(root, 'analyze', dir, '--format', 'json')).out);
    expect(link.decision).toBe('Unknown');
    expect(link.why).toContain('`aws:SourceArn`');
  });
  it('aws:SourceAccount is taken as sent: a matching condition allows, a wrong one denies', async () => {
    const ok = withPipelineTrustCondition({
      StringEquals: { 'aws:SourceAccount': '111111111111' },
    });
    expect(assumeLink((await cli(root, 'analyze', ok, '--format', 'json')).out).decision).toBe(
      'Allowed',
    );
    const wrong = withPipelineTrustCondition({
      StringEquals: { 'aws:SourceAccount': '999999999999' },
    });
    expect(assumeLink((await cli(root, 'analyze', wrong, '--format', 'json')).out).decision).toBe(
      'ImplicitlyDenied',
    );
  });
});

/** The blue/green fixture: a template and the artifact folders beside it. */
const BG = 'test/load/templates/fixtures/ecs-blue-green';
const BG_TEMPLATE = [
  '--template',
  `${BG}/pipeline.yaml`,
  '--account',
  '111111111111',
  '--region',
  'us-east-1',
];

describe('permchain analyze --artifact', () => {
  const args = ['analyze', ...BG_TEMPLATE, '--format', 'json'];
  const decisions = (out: string): Record<string, string> =>
    Object.fromEntries(
      (JSON.parse(out) as Report).pipelines[0]!.links.filter((l) =>
        /^ecs-blue-green\.(pass-role|register-task-definition)$/.test(l.requirement),
      ).map((l) => [l.id, l.decision]),
    );

  it('reads the task definition of a blue/green deploy from the folder given for its artifact', async () => {
    const r = await cli(root, ...args, '--artifact', `App=${BG}/source`);
    expect(r.err).toBe('');
    expect(decisions(r.out)).toEqual({
      'Deploy/Deploy:ecs-blue-green.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-task':
        'Allowed',
      'Deploy/Deploy:ecs-blue-green.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-execution':
        'Allowed',
      'Deploy/Deploy:ecs-blue-green.register-task-definition:ecs:RegisterTaskDefinition': 'Allowed',
    });
    expect(r.code).toBe(0);
  });

  it('exits 1 on the role the pipeline role may not pass, and its roles stay Unknown without the artifact', async () => {
    const denied = await cli(
      root,
      ...args,
      '--parameter',
      'PassExecutionRole=false',
      '--artifact',
      `web/App=${BG}/source`,
    );
    expect(denied.code).toBe(1);
    expect(
      decisions(denied.out)[
        'Deploy/Deploy:ecs-blue-green.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-execution'
      ],
    ).toBe('ImplicitlyDenied');
    // without the artifact the task definition's roles are not known (PassRole Unknown); its
    // family is not either, but the pipeline role registers any family (Resource "*")
    const without = await cli(root, ...args);
    expect(decisions(without.out)).toEqual({
      'Deploy/Deploy:ecs-blue-green.pass-role:iam:PassRole': 'Unknown',
      'Deploy/Deploy:ecs-blue-green.register-task-definition:ecs:RegisterTaskDefinition': 'Allowed',
    });
    expect(without.code).toBe(0);
    const strict = await cli(root, ...args, '--strict');
    expect(strict.code).toBe(1);
  });

  it('a malformed taskdef.json is a one-line input error naming the file and the pointer (exit 2)', async () => {
    const r = await cli(root, ...args, '--artifact', `App=${BG}/source-malformed`);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: ${BG}/source-malformed/taskdef.json#/taskRoleArn: \`taskRoleArn\` must be a string [artifact.taskdef.invalid]\n`,
    );
    // the rest is analyzed
    const report = JSON.parse(r.out) as Report;
    expect(report.pipelines[0]!.links.some((l) => l.decision === 'Allowed')).toBe(true);
  });

  it('rejects a value that is not [PIPELINE/]NAME=DIR (exit 2) and documents the option', async () => {
    const r = await cli(root, ...args, '--artifact', `${BG}/source`);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not [PIPELINE/]NAME=DIR');
    const help = await cli(root, 'analyze', '--help');
    expect(help.out).toContain('--artifact <[pipeline/]name=dir>');
    expect(help.out).toContain('TaskDefinitionTemplatePath (default taskdef.json)');
  });
});

describe('permchain baseline and diff take the inputs analyze takes', () => {
  const template = BG_TEMPLATE;
  const PASS_EXECUTION =
    'Deploy/Deploy:ecs-blue-green.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-execution';

  it('a baseline written from a template, parameters and artifact folders accepts what analyze then finds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-baseline-artifact-'));
    const file = join(dir, 'baseline.json');
    const denied = [...template, '--parameter', 'PassExecutionRole=false'];
    const artifact = ['--artifact', `App=${BG}/source`];
    const written = await cli(
      root,
      'baseline',
      ...denied,
      ...artifact,
      '--output',
      file,
      '--expires',
      '2099-01-01',
    );
    expect(written.err).toBe('');
    expect(written.code).toBe(0);
    const baseline = JSON.parse(readFileSync(file, 'utf8')) as {
      entries: { link: string }[];
    };
    expect(baseline.entries.map((e) => e.link)).toContain(PASS_EXECUTION);

    const gated = await cli(root, 'analyze', ...denied, ...artifact, '--baseline', file);
    expect(gated.code).toBe(0);
    // without the artifact folder the baseline could not have named the role
    const blind = await cli(
      root,
      'baseline',
      ...denied,
      '--output',
      join(dir, 'b2.json'),
      '--expires',
      '2099-01-01',
    );
    expect(blind.code).toBe(0);
    const blindEntries = (
      JSON.parse(readFileSync(join(dir, 'b2.json'), 'utf8')) as {
        entries: { link: string }[];
      }
    ).entries.map((e) => e.link);
    expect(blindEntries).not.toContain(PASS_EXECUTION);
  });

  it('baseline rejects a bad --parameter or --artifact value as a usage error (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-baseline-usage-'));
    const out = ['--output', join(dir, 'b.json'), '--expires', '2099-01-01'];
    const p = await cli(root, 'baseline', ...template, '--parameter', 'novalue', ...out);
    expect(p.code).toBe(2);
    expect(p.err).toBe('error: --parameter `novalue` is not KEY=VALUE\n');
    const a = await cli(root, 'baseline', ...template, '--artifact', 'nodir', ...out);
    expect(a.code).toBe(2);
    expect(a.err).toContain('is not [PIPELINE/]NAME=DIR');
  });

  it('diff reads the artifact folders for both inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-diff-artifact-'));
    const stacks = (pass: boolean): string => {
      const f = join(dir, `stacks-${pass}.yaml`);
      writeFileSync(
        f,
        [
          'stacks:',
          `  - template: ${resolve(root, BG, 'pipeline.yaml')}`,
          '    name: web',
          '    account: "111111111111"',
          '    region: us-east-1',
          '    parameters:',
          `      PassExecutionRole: "${pass}"`,
          '',
        ].join('\n'),
      );
      return f;
    };
    const before = stacks(true);
    const after = stacks(false);
    const r = await cli(
      root,
      'diff',
      before,
      after,
      '--format',
      'json',
      '--artifact',
      `App=${BG}/source`,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out) as { newlyDenied: { link: string }[] };
    expect(d.newlyDenied.map((l) => l.link)).toContain(PASS_EXECUTION);
    // without the folder both sides are Unknown there: nothing is newly denied
    const blind = await cli(root, 'diff', before, after, '--format', 'json');
    expect(blind.code).toBe(0);
    const bad = await cli(root, 'diff', before, after, '--artifact', 'nodir');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('error: --artifact `nodir` is not [PIPELINE/]NAME=DIR\n');
    expect(bad.out).toBe('');
  });
});

describe('the JSON and text reports are written pipeline by pipeline', () => {
  // analyze --format json streams (selectPipelines, each pipeline's piece, renderJsonBodies);
  // every path but text renders the whole report: both must give the same bytes and exit code
  const cases: [string, string[]][] = [
    ['demo', [demo]],
    ['all providers, Unknown links', [join(root, 'fixtures/scenarios/all-providers')]],
    ['missing file, --strict', [join(root, 'fixtures/scenarios/missing-key-file'), '--strict']],
    ['malformed input (exit 2)', [join(root, 'fixtures/scenarios/malformed-bucket-json')]],
    ['no such pipeline', [demo, '--pipeline', 'nope']],
  ];
  // two formats at once take the whole-report path: the run, and the report in `format`
  const wholeReport = async (args: string[], format: 'json' | 'text') => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-stream-'));
    const run = await cli(
      root,
      'analyze',
      ...args,
      '--format',
      `${format},markdown`,
      '--output-dir',
      dir,
    );
    const file = join(dir, format === 'json' ? 'report.json' : 'report.txt');
    return { ...run, report: readFileSync(file, 'utf8') };
  };

  it.each(cases)('%s', async (_name, args) => {
    const streamed = await cli(root, 'analyze', ...args, '--format', 'json');
    const whole = await wholeReport(args, 'json');
    expect(streamed.out).toBe(whole.report);
    expect(streamed.code).toBe(whole.code);
    expect(streamed.err).toBe(whole.err);
    // the streamed report written into --output-dir
    const alone = mkdtempSync(join(tmpdir(), 'permchain-stream-dir-'));
    const inDir = await cli(root, 'analyze', ...args, '--format', 'json', '--output-dir', alone);
    expect(readFileSync(join(alone, 'report.json'), 'utf8')).toBe(streamed.out);
    expect(inDir.code).toBe(streamed.code);
    const report = JSON.parse(streamed.out) as Report;
    const model = loadInput(root, args[0]!).model;
    expect(report).toEqual(
      JSON.parse(
        renderJson({
          ...analyzeModel(model, args.includes('--pipeline') ? { pipelines: ['nope'] } : {}),
        }),
      ),
    );
  });

  // the text report alone streams too (renderTextPieces, its summary counted as it goes, the
  // gate asked at the end of the findings kept aside): the same bytes and exit code as the text
  // the whole report gives
  it.each(cases)('text: %s', async (_name, args) => {
    const streamed = await cli(root, 'analyze', ...args);
    const whole = await wholeReport(args, 'text');
    expect(streamed.out).toBe(whole.report);
    expect(streamed.code).toBe(whole.code);
    const file = join(mkdtempSync(join(tmpdir(), 'permchain-stream-file-')), 'report.txt');
    const toFile = await cli(root, 'analyze', ...args, '--output', file);
    expect(readFileSync(file, 'utf8')).toBe(streamed.out);
    expect(toFile.code).toBe(streamed.code);
    expect(toFile.err).toBe(whole.err);
  });
});

describe('templates and CDK assemblies laid over a snapshot, in analyze and diff', () => {
  const V2 = join(root, 'fixtures/templates/demo-pipeline-v2.yaml');
  const ENV = ['--account', '111111111111', '--region', 'us-east-1'];
  const ASSUME_PIPELINE_ROLE = 'pipeline.assume-service-role:sts:AssumeRole';

  /** before.yaml: the v2 template as it is; after.yaml: its pipeline role swapped for the build role. */
  function versions(): { before: string; after: string } {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-diff-template-'));
    const text = readFileSync(V2, 'utf8');
    const before = join(dir, 'before.yaml');
    const after = join(dir, 'after.yaml');
    writeFileSync(before, text);
    const swapped = text.replace(
      'role/service-role/demo-pipeline-role',
      'role/service-role/demo-build-role',
    );
    expect(swapped).not.toBe(text);
    writeFileSync(after, swapped);
    return { before, after };
  }

  it('--stacks takes a CDK assembly and lays it over the snapshot', () => {
    const { model, problems } = loadInput(root, {
      input: 'fixtures/demo',
      stacks: 'test/load/templates/fixtures/cdk.out',
      account: '111111111111',
      region: 'us-east-1',
    });
    expect(problems).toEqual([]);
    const tools = model.accounts.get('111111111111')!;
    const roles = [...tools.iam!.roles.values()].map((r) => r.name);
    // the snapshot's roles stay, the assembly's agnostic stack adds its own
    expect(roles).toContain('demo-pipeline-role');
    expect(roles.some((n) => n.startsWith('Agnostic-Role-'))).toBe(true);
    // the nested assembly's bucket lands in the prod account, beside the snapshot's roles
    const prod = model.accounts.get('222222222222')!;
    expect([...prod.buckets.keys()]).toEqual(['stage-app-bucket']);
    expect([...prod.iam!.roles.values()].map((r) => r.name)).toContain('demo-deploy-action');
  });

  it('diff --snapshot compares two versions of a template laid over the same snapshot', async () => {
    const { before, after } = versions();
    const same = await cli(root, 'diff', '--snapshot', 'fixtures/demo', before, before, ...ENV);
    expect(same.err).toBe('');
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/^no change \(\d+ links unchanged\)/);

    const r = await cli(
      root,
      'diff',
      '--snapshot',
      'fixtures/demo',
      before,
      after,
      ...ENV,
      '--format',
      'json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out) as {
      newlyDenied: { pipeline: string; link: string; after: { decision: string } }[];
    };
    // the build role trusts codebuild, not codepipeline: the pipeline can no longer start
    expect(d.newlyDenied.map((c) => [c.pipeline, c.link])).toContainEqual([
      'demo-app-v2',
      ASSUME_PIPELINE_ROLE,
    ]);
    // the snapshot's own pipeline is the same on both sides
    expect(d.newlyDenied.filter((c) => c.pipeline !== 'demo-app-v2')).toEqual([]);
  });

  it('diff gives both versions of a template the same stack name, so generated names match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-diff-names-'));
    // the execution role without RoleName: CloudFormation names it after the stack, and the
    // PassRole link's id holds its ARN
    const text = readFileSync(join(root, 'test/load/templates/fixtures/ecs/pipeline.yaml'), 'utf8');
    const generated = text.replace(/\n\s*RoleName: web-execution\n/, '\n');
    expect(generated).not.toBe(text);
    const before = join(dir, 'pipeline-main.yaml');
    const after = join(dir, 'pipeline-branch.yaml');
    writeFileSync(before, generated);
    writeFileSync(after, generated);
    const r = await cli(root, 'diff', before, after, ...ENV, '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as Record<string, unknown[]>;
    expect(r.out).toContain('"unchanged": ');
    expect(d['newlyDenied']).toEqual([]);
    expect(d['newlyAllowed']).toEqual([]);
    expect(d['newlyUnknown']).toEqual([]);
    expect(d['removed'] ?? []).toEqual([]);
  });

  it('diff --snapshot refuses a snapshot folder as a side (exit 2, one line)', async () => {
    const { after } = versions();
    const r = await cli(
      root,
      'diff',
      '--snapshot',
      'fixtures/demo',
      'fixtures/demo',
      after,
      ...ENV,
    );
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'error: `fixtures/demo` is a snapshot folder: with --snapshot, BEFORE and AFTER are templates, stacks files or CDK assemblies laid over it\n',
    );
  });

  it('diff of a template needs its account and region, as analyze does', async () => {
    const { before, after } = versions();
    const r = await cli(root, 'diff', '--snapshot', 'fixtures/demo', before, after);
    expect(r.code).toBe(2);
    // the text lists the input errors (not repeated on stderr, as for analyze); JSON on stderr
    expect(r.out).toContain('a template needs its account and region (--account, --region)');
    const json = await cli(
      root,
      'diff',
      '--snapshot',
      'fixtures/demo',
      before,
      after,
      '--format',
      'json',
    );
    expect(json.code).toBe(2);
    expect(json.err).toContain('a template needs its account and region (--account, --region)');
  });
});
