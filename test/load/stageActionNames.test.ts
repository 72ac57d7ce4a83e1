/**
 * Stage, action and rule names AWS could not produce (CodePipeline allows letters, digits and
 * `.@-_`): an input error naming the name's pointer, and the action still analyzed. Link ids join
 * the names with `/` and `:`, so `A` + `B/C` and `A/B` + `C` gave one id: the second got `#2`, by
 * the order of the stages (a review finding, session 22).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const PIPELINE = '111111111111/us-east-1/codepipeline/demo-app.json';

function analyzeNamed(stage: string, action: string) {
  return inScenarioCopy('fixtures/demo', (dir) => {
    editJson(`${dir}/${PIPELINE}`, (d) => {
      const s = ((d['pipeline'] as Json)['stages'] as Json[])[1]!;
      s['name'] = stage;
      (s['actions'] as Json[])[0]!['name'] = action;
    });
    const model = loadSnapshot(dir);
    return {
      problems: model.problems.map((p) => `${p.severity} ${p.pointer} ${p.id}`),
      links: analyzeModel(model).pipelines[0]!.links,
    };
  });
}

describe('stage and action names CodePipeline does not allow', () => {
  it('are input errors at their pointers; the action is still analyzed', () => {
    const base = analyzeNamed('Build', 'Build');
    expect(base.problems).toEqual([]);
    const r = analyzeNamed('A/B', 'C:D');
    expect(r.problems).toEqual([
      'error /pipeline/stages/1/actions/0/name snapshot.name.invalid',
      'error /pipeline/stages/1/name snapshot.name.invalid',
    ]);
    // the same links, decided the same way
    expect(r.links.map((l) => l.decision)).toEqual(base.links.map((l) => l.decision));
  });

  it('a name of every allowed character is no problem', () => {
    expect(analyzeNamed('Build.v2@x-y_z', 'Run-1').problems).toEqual([]);
  });
});
