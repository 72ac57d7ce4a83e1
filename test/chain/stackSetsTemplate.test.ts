/**
 * The StackSets actions read from templates (AWS::CodePipeline::Pipeline, src/load/templateResources.ts)
 * give the links a snapshot gives: test/load/templates/fixtures/stacksets is the DeployGuardrails
 * stage of the pass-stacksets scenario as a stacks file (tools, prod and staging templates). When
 * the targets and the administration role hang on values the templates do not settle (SSM
 * parameters), the links built on them are Unknown and name the template lines.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadStacksFile } from '../../src/load/stacks.js';
import type { Report, ReportLink } from '../../src/report/types.js';

const DIR = 'test/load/templates/fixtures/stacksets';
const TOOLS = `${DIR}/tools.yaml`;
/** The execution roles' stack operations (cloudformation-stackset.execution-role-stack-operations). */
const OPS = [
  'cloudformation:CreateStack',
  'cloudformation:DeleteStack',
  'cloudformation:DescribeStacks',
  'cloudformation:UpdateStack',
];

/** The StackSets links of the pipeline: id, decision, caller, action and resource. */
function stackSetLinks(report: Report): string[][] {
  return report.pipelines[0]!.links.filter((l) => l.requirement.startsWith('cloudformation-stack'))
    .map((l) => [l.id, l.decision, l.principal, l.permission, l.resource])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

function fromStacks(file: string): Report {
  const { model } = loadStacksFile(file);
  return analyzeModel(model);
}

describe('StackSets actions from templates', () => {
  it('give the same links as the snapshot when the templates settle them', () => {
    const templates = stackSetLinks(fromStacks(`${DIR}/stacks.yaml`));
    const snapshot = stackSetLinks(analyzeModel(loadSnapshot('fixtures/scenarios/pass-stacksets')));
    expect(templates.length).toBe(29);
    expect(templates).toEqual(snapshot);
    expect(templates.every((l) => l[1] === 'Allowed')).toBe(true);
  });

  it('are Unknown, naming the template line, where the targets or the administration role are not settled', () => {
    const report = fromStacks(`${DIR}/stacks-unsettled.yaml`);
    const links = report.pipelines[0]!.links.filter((l) =>
      l.requirement.startsWith('cloudformation-stack'),
    );
    const open = (l: ReportLink): string =>
      `${l.id} ${l.decision} ${(l.missing ?? []).join(' | ')}`;
    const ADMIN = `${TOOLS}:112 (parameter \`SsmAdministrationRole\` reads the ssm parameter \`/guardrails/administration-role\` at deploy time, so its value is not known offline)`;
    expect(
      links
        .filter((l) => l.decision !== 'Allowed')
        .map(open)
        .sort(),
    ).toEqual([
      `DeployGuardrails/Instances:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole Unknown ${ADMIN}`,
      `DeployGuardrails/Instances:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Unknown ${ADMIN}`,
      `DeployGuardrails/Instances:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole Unknown ${TOOLS}:122 (parameter \`SsmTargets\` reads the ssm parameter \`/guardrails/targets\` at deploy time, so its value is not known offline)`,
      ...OPS.map(
        (op) =>
          `DeployGuardrails/Instances:cloudformation-stackinstances.execution-role-stack-operations:${op} Unknown ${TOOLS}:122 (parameter \`SsmTargets\` reads the ssm parameter \`/guardrails/targets\` at deploy time, so its value is not known offline)`,
      ),
      `DeployGuardrails/StackSet:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole Unknown ${ADMIN}`,
      `DeployGuardrails/StackSet:cloudformation-stackset.assume-administration-role:sts:AssumeRole Unknown ${ADMIN}`,
      `DeployGuardrails/StackSet:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown ${TOOLS}:113 (parameter \`SsmTargets\` reads the ssm parameter \`/guardrails/targets\` at deploy time, so its value is not known offline)`,
      ...OPS.map(
        (op) =>
          `DeployGuardrails/StackSet:cloudformation-stackset.execution-role-stack-operations:${op} Unknown ${TOOLS}:113 (parameter \`SsmTargets\` reads the ssm parameter \`/guardrails/targets\` at deploy time, so its value is not known offline)`,
      ),
      `DeployGuardrails/StackSet:cloudformation-stackset.get-administration-role:iam:GetRole Unknown ${ADMIN}`,
      `DeployGuardrails/StackSet:cloudformation-stackset.pass-administration-role:iam:PassRole Unknown ${ADMIN}`,
    ]);
    // what the unsettled values do not touch is still decided
    expect(
      links
        .filter((l) => l.decision === 'Allowed')
        .map((l) => l.id)
        .sort(),
    ).toEqual([
      'DeployGuardrails/Instances:cloudformation-stackinstances.create-stack-instances:cloudformation:CreateStackInstances',
      'DeployGuardrails/Instances:cloudformation-stackinstances.describe-stack-set-operation:cloudformation:DescribeStackSetOperation',
      'DeployGuardrails/StackSet:cloudformation-stackset.create-stack-instances:cloudformation:CreateStackInstances',
      // the unsettled administration role may be in their cloudformation:RoleArn, which no
      // policy here tests
      'DeployGuardrails/StackSet:cloudformation-stackset.create-stack-set:cloudformation:CreateStackSet',
      'DeployGuardrails/StackSet:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSet',
      'DeployGuardrails/StackSet:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSetOperation',
      'DeployGuardrails/StackSet:cloudformation-stackset.list-stack-instances:cloudformation:ListStackInstances',
      'DeployGuardrails/StackSet:cloudformation-stackset.update-stack-set:cloudformation:UpdateStackSet',
    ]);
    expect(report.pipelines[0]!.verdict).toBe('unknown');
  });
});
