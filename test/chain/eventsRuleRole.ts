/**
 * For the tests that add an `AWS::Events::Rule` to a template: the template lines of a role
 * EventBridge may assume, that may start pipeline `Pipeline` (or what `resource` names), and the
 * trigger links of settings.yaml with such rules added.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { Problem } from '../../src/problems.js';
import type { ReportLink } from '../../src/report/types.js';

const PIPELINE_ARN =
  '!Sub "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"';

export function eventsRuleRole(
  logicalId = 'RuleRole',
  roleName = 'rule-role',
  resource = PIPELINE_ARN,
): string[] {
  return [
    `  ${logicalId}:`,
    '    Type: AWS::IAM::Role',
    '    Properties:',
    `      RoleName: ${roleName}`,
    '      AssumeRolePolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: { Service: events.amazonaws.com }',
    '            Action: sts:AssumeRole',
    '      Policies:',
    '        - PolicyName: start',
    '          PolicyDocument:',
    '            Version: "2012-10-17"',
    '            Statement:',
    '              - Effect: Allow',
    '                Action: codepipeline:StartPipelineExecution',
    `                Resource: ${resource}`,
  ];
}

// pipeline `app`: an S3 source (Source/Src on art-bucket-111, src.zip), then a CodeBuild build
const SETTINGS = 'test/load/templates/fixtures/booleans/settings.yaml';

/**
 * settings.yaml with its S3 source started by EventBridge (PollForSourceChanges false),
 * `parameters` declared without a value and `resources` added, read alone as a stack of
 * 111111111111 in us-east-1 (the file is `template.yaml` in a temporary folder): its trigger
 * links, its problems, and the line of the template's first line holding a text.
 */
export function eventsTriggerLinks(
  resources: readonly string[],
  parameters: readonly string[] = [],
  edit: (template: string) => string = (t) => t,
): {
  links: ReportLink[];
  problems: readonly Problem[];
  lineOf: (text: string) => number;
} {
  const text =
    edit(readFileSync(SETTINGS, 'utf8'))
      .replace(
        'Parameters:\n',
        `Parameters:\n${parameters.map((p) => `  ${p}: { Type: String }\n`).join('')}`,
      )
      .replace(
        'Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip }',
        'Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip, PollForSourceChanges: "false" }',
      ) + `${resources.join('\n')}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'permchain-rule-template-'));
  try {
    const file = join(dir, 'template.yaml');
    writeFileSync(file, text);
    const { model } = loadSingleTemplate(file, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
      parameters: {},
    });
    const links = analyzeModel(model).pipelines[0]!.links.filter((l) =>
      l.requirement.startsWith('trigger.'),
    );
    const lines = text.split('\n');
    return {
      links,
      problems: model.problems,
      lineOf: (t) => lines.findIndex((l) => l.includes(t)) + 1,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
