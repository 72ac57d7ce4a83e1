/**
 * `Ref` of an AWS::StepFunctions::StateMachine is its ARN, and `Fn::GetAtt` gives `Arn` and `Name`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html);
 * a state machine that names none gets the name CloudFormation generates. Both were "not known
 * offline", which left every link of a StepFunctions action built the way the AWS CDK builds it
 * (the action's StateMachineArn and its role's policy are `Ref` of the machine) Unknown.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { generatedName } from '../../../src/load/templateNames.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/stepfunctions/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };
const MACHINE = `arn:aws:states:us-east-1:111111111111:stateMachine:${generatedName('pipeline', 'Machine', 80)}`;

function load(parameters: Record<string, string> = {}) {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  return model;
}
function stepFunctionsLinks(parameters: Record<string, string> = {}): ReportLink[] {
  return analyzeModel(load(parameters)).pipelines[0]!.links.filter((l) =>
    l.requirement.startsWith('stepfunctions.'),
  );
}

describe('a state machine in a template', () => {
  it('`Ref` is its ARN, with the name CloudFormation generates when it names none', () => {
    const model = load();
    expect(model.problems).toEqual([]);
    const pipeline = model.accounts.get('111111111111')!.regions.get('us-east-1')!.pipelines;
    const action = [...pipeline.values()][0]!.stages[1]!.actions[0]!;
    expect(action.configuration['StateMachineArn']).toBe(MACHINE);
    expect(MACHINE).toMatch(/:stateMachine:pipeline-Machine-[A-Z0-9]{13}$/);
  });

  it("a StepFunctions action built on it is decided, not Unknown: `Ref` in its role's policy is the same ARN", () => {
    expect(stepFunctionsLinks().map((l) => [l.permission, l.decision])).toEqual([
      ['states:DescribeExecution', 'Allowed'],
      ['states:StartExecution', 'Allowed'],
      ['states:DescribeStateMachine', 'Allowed'],
    ]);
  });

  it('executions of another machine (named by `StateMachineName`, through Fn::Split of its ARN) do not do', () => {
    const describe = stepFunctionsLinks({ Executions: 'other' }).find(
      (l) => l.permission === 'states:DescribeExecution',
    )!;
    // the machine names no StateMachineType: STANDARD, whose executions CodePipeline polls
    expect(describe.decision).toBe('ImplicitlyDenied');
    expect(describe.level).toBe('required');
    expect(describe.resource).toContain(`:execution:${MACHINE.split(':')[6]}:release-`);
  });
});

describe("the state machine's type, from the template that defines it", () => {
  const describeLink = (parameters: Record<string, string>): ReportLink | undefined =>
    stepFunctionsLinks({ Executions: 'other', ...parameters }).find(
      (l) => l.permission === 'states:DescribeExecution',
    );

  it('is read into the model: STANDARD when absent, else as given; undefined when not settled', () => {
    const machine = (MachineType: string) =>
      load({ MachineType }).accounts.get('111111111111')!.regions.get('us-east-1')!.stateMachines!;
    expect(machine('').get(MACHINE.split(':')[6]!)!.type).toBe('STANDARD');
    expect(machine('').get('nightly-report')!.type).toBe('STANDARD');
    expect(machine('EXPRESS').get(MACHINE.split(':')[6]!)!.type).toBe('EXPRESS');
    expect(machine('imported').get(MACHINE.split(':')[6]!)!.type).toBeUndefined();
    // and says so, as for any property the template does not settle
    const problems = load({ MachineType: 'imported' }).problems;
    expect(problems.map((p) => p.id)).toEqual(['template.value.unresolved']);
    expect(problems[0]!.pointer).toContain('/Properties/StateMachineType/');
  });

  it('STANDARD, named: DescribeExecution is needed and decided (denied here)', () => {
    expect(describeLink({ MachineType: 'STANDARD' })!.decision).toBe('ImplicitlyDenied');
  });

  it('EXPRESS: CodePipeline does not poll DescribeExecution, so no link asks for it', () => {
    expect(describeLink({ MachineType: 'EXPRESS' })).toBeUndefined();
    expect(
      stepFunctionsLinks({ MachineType: 'EXPRESS' }).map((l) => [l.permission, l.decision]),
    ).toEqual([
      ['states:StartExecution', 'Allowed'],
      ['states:DescribeStateMachine', 'Allowed'],
    ]);
  });

  it('a type the template does not settle (Fn::ImportValue) is presumed STANDARD: Unknown, never denied', () => {
    const link = describeLink({ MachineType: 'imported' })!;
    expect(link.decision).toBe('Unknown');
    expect(link.why).toContain('would be denied by identity policy');
  });
});
