/**
 * Test helper: one template read alone as a stack of account 111111111111 in us-east-1 (no
 * AWS-managed policies), a CodeBuild project of its model, and the template laid over a snapshot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import type { ReportLink } from '../../../src/report/types.js';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';
import type { CodeBuildProjectModel, Model } from '../../../src/model/types.js';

export const TEMPLATE_ACCOUNT = '111111111111';

export function templateModel(file: string): Model {
  return loadSingleTemplate(file, {
    account: TEMPLATE_ACCOUNT,
    region: 'us-east-1',
    managedPolicies: noManagedPolicies,
  }).model;
}

/** The template `file`, read as templateModel does with no input error, laid over `snapshot`. */
export function templateOverSnapshot(snapshot: string, file: string): Model {
  const template = templateModel(file);
  expect(template.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return mergeModels(loadSnapshot(snapshot), template);
}

export function projectOf(model: Model, name: string): CodeBuildProjectModel | undefined {
  return model.accounts
    .get(TEMPLATE_ACCOUNT)
    ?.regions.get('us-east-1')
    ?.codebuild?.projects.get(name);
}

/**
 * A template's text analyzed alone as templateModel does: its problems as
 * `<severity> <pointer> <id>`, and the links of all its pipelines.
 */
export function analyzeTemplateText(text: string): {
  readonly problems: readonly string[];
  readonly links: readonly ReportLink[];
} {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-template-'));
  try {
    writeFileSync(join(dir, 't.yaml'), text);
    const model = templateModel(join(dir, 't.yaml'));
    return {
      problems: model.problems.map((p) => `${p.severity} ${p.pointer} ${p.id}`),
      links: analyzeModel(model).pipelines.flatMap((p) => p.links),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
