/**
 * A CodeBuild action's `ServiceRoleArnOverride` runs the build as that role (StartBuild's
 * serviceRoleOverride, https://docs.aws.amazon.com/codebuild/latest/APIReference/API_StartBuild.html):
 * the project-role links are checked on it, and the action role must pass it to CodeBuild. The
 * all-providers scenario's `UnitTests` action overrides with the project's own role, which the
 * pipeline role may pass.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const PIPELINE = '111111111111/us-east-1/codepipeline/platform-containers.json';
const TEST_ROLE = 'arn:aws:iam::111111111111:role/service-role/platform-api-test-role';
const SMOKE_ROLE = 'arn:aws:iam::111111111111:role/platform-smoke-test-role';

function unitTests(override: string | undefined) {
  return inScenarioCopy(SCENARIO, (dir) => {
    const file = join(dir, PIPELINE);
    const text = readFileSync(file, 'utf8');
    const next =
      override === undefined
        ? text.replace(/,\s*"ServiceRoleArnOverride": "[^"]*"/, '')
        : text.replace(
            `"ServiceRoleArnOverride": "${TEST_ROLE}"`,
            `"ServiceRoleArnOverride": "${override}"`,
          );
    writeFileSync(file, next);
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-containers'] }).pipelines[0]!;
    return p.links.filter((l) => l.action === 'UnitTests');
  });
}

describe("a CodeBuild action's ServiceRoleArnOverride", () => {
  it('is passed by the action role, and the build runs as it', () => {
    const links = unitTests(TEST_ROLE);
    const pass = links.find((l) => l.requirement === 'codebuild.pass-service-role-override')!;
    expect(`${pass.decision} ${pass.resource}`).toBe(`Allowed ${TEST_ROLE}`);
    expect(links.every((l) => l.decision === 'Allowed')).toBe(true);
  });

  it('runs the build as another role: its own links are checked on that role', () => {
    const links = unitTests(SMOKE_ROLE);
    const pass = links.find((l) => l.requirement === 'codebuild.pass-service-role-override')!;
    expect(pass.decision).toBe('ImplicitlyDenied');
    const logs = links.find((l) => l.requirement === 'codebuild-project.logs-write')!;
    expect(logs.principal).toBe(SMOKE_ROLE);
    expect(logs.decision).toBe('ImplicitlyDenied');
    // the smoke-test role trusts lambda.amazonaws.com, not CodeBuild
    const assume = links.find((l) => l.requirement === 'codebuild-project.assume-service-role')!;
    expect(`${assume.decision} ${assume.resource}`).toBe(`ImplicitlyDenied ${SMOKE_ROLE}`);
  });

  it('without it, the project role is used and nothing is passed', () => {
    const links = unitTests(undefined);
    expect(links.some((l) => l.requirement === 'codebuild.pass-service-role-override')).toBe(false);
    const logs = links.find((l) => l.requirement === 'codebuild-project.logs-write')!;
    expect(logs.principal).toBe(TEST_ROLE);
  });
});
