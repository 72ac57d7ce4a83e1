/**
 * The Step Functions action polls its execution with states:DescribeExecution, authorized on the
 * execution ARN, whose name is the action execution id or `<ExecutionNamePrefix>-<id>`
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html).
 * The all-providers scenario's `platform-web` pipeline runs `platform-post-deploy` with the prefix
 * `platform-web`; its pipeline role allows `execution:platform-post-deploy:*`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const EXECUTIONS = 'arn:aws:states:us-east-1:111111111111:execution:platform-post-deploy';

/** The DescribeExecution link's decision with the role's grant on `resource` (and a Deny). */
function describeExecution(resource: string, deny?: string): string {
  return inScenarioCopy(SCENARIO, (dir) => {
    const file = join(dir, '111111111111/iam.json');
    const text = readFileSync(file, 'utf8').replace(`"${EXECUTIONS}:*"`, JSON.stringify(resource));
    const iam = JSON.parse(text) as {
      RoleDetailList: {
        RoleName: string;
        RolePolicyList: { PolicyDocument: { Statement: unknown[] } }[];
      }[];
    };
    if (deny) {
      const role = iam.RoleDetailList.find((r) => r.RoleName === 'platform-pipeline-role')!;
      role.RolePolicyList[0]!.PolicyDocument.Statement.push({
        Effect: 'Deny',
        Action: 'states:DescribeExecution',
        Resource: deny,
      });
    }
    writeFileSync(file, JSON.stringify(iam));
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    const l = p.links.find((x) => x.permission === 'states:DescribeExecution')!;
    return `${l.decision} ${l.resource.slice(EXECUTIONS.length)}`;
  });
}

const ID = '????????-????-????-????-????????????';

describe('states:DescribeExecution on the execution the action starts', () => {
  it('is allowed by a pattern covering every run, scoped to the prefix or not', () => {
    expect(describeExecution(`${EXECUTIONS}:*`)).toBe(`Allowed :platform-web-${ID}`);
    expect(describeExecution(`${EXECUTIONS}:platform-web-*`)).toBe(`Allowed :platform-web-${ID}`);
  });

  it('is denied by a pattern for another prefix, or a single past run', () => {
    expect(describeExecution(`${EXECUTIONS}:other-*`)).toBe(`ImplicitlyDenied :platform-web-${ID}`);
    expect(
      describeExecution(`${EXECUTIONS}:platform-web-1624a1d1-3699-43f0-8e1e-6bafd7fde791`),
    ).toBe(`ImplicitlyDenied :platform-web-${ID}`);
  });

  it('is denied by a Deny on the prefix', () => {
    expect(describeExecution(`${EXECUTIONS}:*`, `${EXECUTIONS}:platform-web-*`)).toBe(
      `ExplicitlyDenied :platform-web-${ID}`,
    );
  });
});
