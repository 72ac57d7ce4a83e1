/**
 * Test helper: one template read alone as a stack of account 111111111111 in us-east-1 (no
 * AWS-managed policies), and a CodeBuild project of its model.
 */
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { CodeBuildProjectModel, Model } from '../../../src/model/types.js';

export const TEMPLATE_ACCOUNT = '111111111111';

export function templateModel(file: string): Model {
  return loadSingleTemplate(file, {
    account: TEMPLATE_ACCOUNT,
    region: 'us-east-1',
    managedPolicies: noManagedPolicies,
  }).model;
}

export function projectOf(model: Model, name: string): CodeBuildProjectModel | undefined {
  return model.accounts
    .get(TEMPLATE_ACCOUNT)
    ?.regions.get('us-east-1')
    ?.codebuild?.projects.get(name);
}
