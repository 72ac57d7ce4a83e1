/**
 * After StartExecution, CodePipeline polls states:DescribeExecution for a STANDARD state machine
 * and succeeds at once for an EXPRESS one, which takes no output artifact
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html).
 * No input gives the state machine's type unless the action has an output artifact: without one,
 * DescribeExecution is presumed needed, so an allow is certain and a denial is Unknown. Each case
 * edits the all-providers scenario, whose platform-web pipeline runs `platform-post-deploy` with
 * an output artifact, and whose pipeline role allows DescribeExecution on its executions.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const PIPELINE_FILE = '111111111111/us-east-1/codepipeline/platform-web.json';
const EXECUTIONS = 'arn:aws:states:us-east-1:111111111111:execution:platform-post-deploy';

type Stages = { actions: { name: string; outputArtifacts: unknown[] }[] }[];

/** The PostDeploy DescribeExecution link, with or without its output artifact and grant. */
function describeExecution(options: { output: boolean; granted: boolean }): ReportLink {
  return inScenarioCopy(SCENARIO, (dir) => {
    if (!options.output)
      editJson(join(dir, PIPELINE_FILE), (doc) => {
        const stages = (doc['pipeline'] as { stages: Stages }).stages;
        stages.flatMap((s) => s.actions).find((a) => a.name === 'PostDeploy')!.outputArtifacts = [];
      });
    if (!options.granted)
      editJson(join(dir, '111111111111/iam.json'), (doc) => {
        const text = JSON.stringify(doc).replace(`"${EXECUTIONS}:*"`, `"${EXECUTIONS}:other-*"`);
        Object.assign(doc, JSON.parse(text));
      });
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    return p.links.find((l) => l.permission === 'states:DescribeExecution')!;
  });
}

describe('states:DescribeExecution, which only a STANDARD state machine needs', () => {
  it('is denied when the role lacks it and an output artifact makes the state machine STANDARD', () => {
    const link = describeExecution({ output: true, granted: false });
    expect(link.decision).toBe('ImplicitlyDenied');
    expect(link.level).toBe('required');
  });

  it('is Unknown, naming the type, when the role lacks it and no input gives the type', () => {
    const link = describeExecution({ output: false, granted: false });
    expect(link.decision).toBe('Unknown');
    expect(link.level).toBe('required');
    expect(link.why).toContain("the state machine's type (STANDARD or EXPRESS)");
  });

  it('is allowed whatever the type when the role has it', () => {
    expect(describeExecution({ output: false, granted: true }).decision).toBe('Allowed');
    expect(describeExecution({ output: true, granted: true }).decision).toBe('Allowed');
  });
});
