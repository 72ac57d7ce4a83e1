/**
 * A report says real names, never the catalog's internal ones: the action's provider (not a
 * pseudo provider such as `AnyAction` or `ArtifactStore`), a caller the input does not give in
 * words (not `(eventsRuleRole)`), a resource the input does not give (or settle in part) in words
 * (not `${EventsRule.RoleArn}`, not `task-definition/${Ecs.TaskDefinitionFamily}:*`); and a file the input holds is not named as missing, but what it
 * lacks.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';

const DIR = 'fixtures/scenarios';
const links = (name: string): ReportLink[] =>
  analyzeModel(loadSnapshot(join(DIR, name))).pipelines.flatMap((p) => p.links);

describe('names in a report', () => {
  it('no scenario names a pseudo provider, a principal kind or a catalog placeholder', () => {
    const names = readdirSync(DIR).filter((n) => statSync(join(DIR, n)).isDirectory());
    const leaks: string[] = [];
    for (const name of names) {
      for (const l of links(name)) {
        const text = `${l.principal} ${l.resource} ${l.why}`;
        if (/\((AnyAction|ArtifactStore|CodeBuildProject|PipelineTrigger)\)/.test(text))
          leaks.push(`${name} ${l.id}: ${l.why}`);
        if (
          /^\(|\((pipeline|action|codebuildProject|eventsRule|codedeployInstance)Role\)/.test(
            l.principal,
          )
        )
          leaks.push(`${name} ${l.id}: principal ${l.principal}`);
        // no catalog placeholder, in any field a user reads
        for (const [field, value] of Object.entries({
          principal: l.principal,
          resource: l.resource,
          why: l.why,
          fix: l.fix ?? '',
        }))
          if (/\$\{[\w.]+\}/.test(value)) leaks.push(`${name} ${l.id}: ${field} ${value}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('an assume-role link of a CloudFormation action names CloudFormation', () => {
    const l = links('trust-wrong-principal').find((x) =>
      x.id.endsWith(':action.assume-action-role:sts:AssumeRole'),
    )!;
    expect(l.why).toMatch(/^`DeployProd\/DeployStack` \(CloudFormation\) fails: /);
  });

  it("a CodeBuild project's role the input does not give is named in words", () => {
    const unknown = links('wrong-shape-codebuild').filter(
      (l) =>
        l.id.startsWith('Build/Build:codebuild-project.') &&
        l.principal !== 'codebuild.amazonaws.com',
    );
    expect(unknown.length).toBeGreaterThan(0);
    for (const l of unknown) expect(l.principal).toBe("the CodeBuild project's role (not known)");
  });

  it('a source no rule of a read events.json starts: the rule is what is missing, not the file', () => {
    const trigger = links('all-providers').filter(
      (l) => l.id.startsWith('Source/Config:trigger.') && l.decision === 'Unknown',
    );
    expect(trigger.map((l) => `${l.permission} ${l.principal} -> ${l.resource}`).sort()).toEqual([
      "codepipeline:StartPipelineExecution the EventBridge rule's role (not known) -> arn:aws:codepipeline:us-east-1:111111111111:platform-containers",
      "sts:AssumeRole events.amazonaws.com -> the EventBridge rule's role (not known)",
    ]);
    for (const l of trigger)
      expect(l.missing).toEqual([
        "111111111111/us-east-1/events.json (an EventBridge rule that starts the pipeline on this source's changes, which it does not hold)",
      ]);
  });
});
