/**
 * The demo snapshot made hostile, for tests that run `permchain analyze` on it the way a user
 * does: a stage and an action are named with markup, quotes, table and code-span breakers,
 * links, mentions, terminal escapes and characters XML cannot carry (the pipeline cannot be: see
 * PIPELINE_NAME); the deciding statement of the denied link has such a Sid; the pipeline file
 * has a name that needs percent-encoding; and CodeBuild holds secrets (PLAINTEXT variables of the project and of the
 * action, an inline buildspec) that no report may show.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DEMO = resolve(__dirname, '../../fixtures/demo');

/** Everything a name must not do in some report format. */
export const HOSTILE_NAME = [
  '</script><script>alert(1)</script>',
  `"dq" 'sq' <b>bold</b> &amp; |pipe| \`\`\`fence\`\`\` \`tick\``,
  '[click](javascript:alert(1)) [x](https://evil.example/phish)',
  '@octocat #12 https://evil.example/a www.evil.example mail@evil.example :x: {0}',
  'line\nbreak\rcarriage\u001b[31mred\u001b]8;;https://evil.example\u0007osc8\u001b]8;;\u0007',
  'bel\u0007nul\u0000c1\u009bcsi bidi\u202eevil\u2066 ls\u2028ps\u2029 ffff\uffff lone\ud800',
].join(' ');

/** A Sid that tries to leave every context it is written in. */
export const HOSTILE_SID = `</script><script>alert(1)</script>"'|\`@octocat ${'\u001b'}[2J\u0000`;

/**
 * The pipeline's name: CodePipeline allows only letters, digits and `.@-_` in one, and the
 * snapshot loader refuses any other (snapshot.name.invalid), so the stage and action carry the
 * hostile names
 */
export const PIPELINE_NAME = 'pipe.hostile@1_x-y';

/** The pipeline file's name: a space, `#`, `%`, `?`, brackets and a non-ASCII letter. */
export const HOSTILE_FILE = 'pipe #1 %41 é?[x].json';
export const HOSTILE_FILE_PATH = `111111111111/us-east-1/codepipeline/${HOSTILE_FILE}`;

/** Values that must never appear in a report. */
export const SECRETS = [
  'ghp_ProjectPlaintextSecret0123456789',
  'ActionPlaintextSecret-7f3a9c',
  'DefaultTypeSecret-51be02',
  'BuildspecCommandSecret-a1b2c3',
  'BuildspecVariableSecret-d4e5f6',
] as const;

const KEY_FILE = '111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json';
const DEMO_ARN = 'arn:aws:codepipeline:us-east-1:111111111111:demo-app';
const RENAMED_ARN = `arn:aws:codepipeline:us-east-1:111111111111:${PIPELINE_NAME}`;

// the AWS CLI documents, edited in place
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function edit(file: string, f: (doc: Doc) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
  f(doc);
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

/** A new temporary folder holding the hostile snapshot in `snap/`; returns the folder. */
export function hostileSnapshot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-hostile-'));
  const snap = join(dir, 'snap');
  cpSync(DEMO, snap, { recursive: true });
  const pipelines = join(snap, '111111111111/us-east-1/codepipeline');
  edit(join(pipelines, 'demo-app.json'), (doc) => {
    const p = doc['pipeline'];
    p.name = PIPELINE_NAME;
    p.stages[1].actions[0].configuration.EnvironmentVariables = JSON.stringify([
      { name: 'GITHUB_TOKEN', value: SECRETS[1], type: 'PLAINTEXT' },
      { name: 'API_SECRET', value: SECRETS[2] },
      { name: 'DB', value: '/app/db', type: 'PARAMETER_STORE' },
    ]);
    p.stages[2].name = `St ${HOSTILE_NAME}`;
    p.stages[2].actions[0].name = `Act ${HOSTILE_NAME}`;
    // the renamed pipeline's own ARN, as get-pipeline would give it (a file whose ARN is another
    // pipeline's is a warning: snapshot.codepipeline.arn-mismatch)
    doc['metadata']['pipelineArn'] = RENAMED_ARN;
  });
  // the EventBridge rule that starts the pipeline targets it by its ARN
  edit(join(snap, '111111111111/us-east-1/events.json'), (doc) => {
    for (const targets of Object.values(doc['Targets']) as { Arn?: string }[][])
      for (const t of targets) if (t.Arn === DEMO_ARN) t.Arn = RENAMED_ARN;
  });
  renameSync(join(pipelines, 'demo-app.json'), join(pipelines, HOSTILE_FILE));
  edit(join(snap, KEY_FILE), (doc) => {
    const policy = JSON.parse(doc['Policy']) as { Statement: unknown[] };
    policy.Statement.push({
      Sid: HOSTILE_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': '222222222222' } },
    });
    doc['Policy'] = JSON.stringify(policy);
  });
  edit(join(snap, '111111111111/us-east-1/codebuild.json'), (doc) => {
    const project = doc['projects'][0];
    project.environment.environmentVariables.push({
      name: 'GITHUB_TOKEN',
      value: SECRETS[0],
      type: 'PLAINTEXT',
    });
    project.source.buildspec = [
      'version: 0.2',
      'env:',
      '  variables:',
      `    TOKEN: ${SECRETS[4]}`,
      '  parameter-store:',
      '    DB_PASSWORD: /app/db-password',
      'phases:',
      '  build:',
      '    commands:',
      `      - curl -H "Authorization: ${SECRETS[3]}" https://example.com`,
      '',
    ].join('\n');
  });
  return dir;
}
