/**
 * An action `region` of a snapshot pipeline that is no region name (`""`, `US-EAST-1`): AWS
 * accepts none (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html),
 * and the chain built ARNs in it (`arn:aws:codebuild::111111111111:project/...`), denied on
 * resources that exist nowhere, with no input problem. It is an input error at its pointer, and
 * the action is unsettled: one Unknown link.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const PIPELINE = '111111111111/us-east-1/codepipeline/orders-api.json';

describe('an action region that is no region name', () => {
  it.each([
    ['', 'the region is empty: not an AWS region name'],
    ['US-EAST-1', '`US-EAST-1` is not an AWS region name'],
  ])('`%s` is an input error, and the action one Unknown link', (region, message) => {
    inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
      editJson(join(dir, PIPELINE), (d) => {
        const stages = (d['pipeline'] as { stages: { name: string; actions: Json[] }[] }).stages;
        stages.find((s) => s.name === 'Build')!.actions[0]!['region'] = region;
      });
      const model = loadSnapshot(dir);
      expect(model.problems.filter((p) => p.id === 'snapshot.action.region-invalid')).toEqual([
        {
          file: PIPELINE,
          pointer: '/pipeline/stages/1/actions/0/region',
          message,
          id: 'snapshot.action.region-invalid',
          severity: 'error',
        },
      ]);
      const links = analyzeModel(model).pipelines[0]!.links.filter((l) =>
        l.id.startsWith('Build/'),
      );
      expect(links.map((l) => [l.requirement, l.decision])).toEqual([
        ['action.not-settled', 'Unknown'],
      ]);
    });
  });

  it('a region name is read as before', () => {
    inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
      editJson(join(dir, PIPELINE), (d) => {
        const stages = (d['pipeline'] as { stages: { name: string; actions: Json[] }[] }).stages;
        stages.find((s) => s.name === 'Build')!.actions[0]!['region'] = 'us-east-1';
      });
      const model = loadSnapshot(dir);
      expect(model.problems.filter((p) => p.severity === 'error')).toEqual([]);
    });
  });
});
