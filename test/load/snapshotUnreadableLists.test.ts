/**
 * A per-region file whose top-level list is not a list (`events.json` `Rules`, `codebuild.json`
 * `projects`) lists nothing, yet the region may hold rules or projects: beside the input error
 * at the list's pointer, what the file would have said is unknown, as without the file (the
 * region's `events` or `codebuild` undefined), never "present, and none". A rule the file would
 * list may start a pipeline on a schedule or on its source's changes; a project not in it is not
 * "not in the file".
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Model, RegionModel } from '../../src/model/types.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const A = '111111111111';
const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const EVENTS = `${A}/us-east-1/events.json`;
const CODEBUILD = `${A}/us-east-1/codebuild.json`;

function region(model: Model): RegionModel {
  return model.accounts.get(A)!.regions.get('us-east-1')!;
}

/** Load a copy of the scenario with `file` edited (or removed, edit undefined), and analyze it. */
function load(file: string, edit: ((doc: Json) => void) | undefined) {
  return inScenarioCopy(SCENARIO, (dir) => {
    if (edit) editJson(join(dir, file), edit);
    else rmSync(join(dir, file));
    const model = loadSnapshot(dir);
    const report = analyzeModel(model);
    const links = report.pipelines.find((p) => p.name === 'orders-api')!.links;
    const errors = model.problems
      .filter((p) => p.severity === 'error')
      .map((p) => [p.file?.endsWith(file), p.pointer, p.id]);
    return { region: region(model), links, errors };
  });
}

/** The decision and `missing` of each link of `requirement`, by link id. */
function linksOf(links: ReturnType<typeof load>['links'], prefix: string) {
  return links
    .filter((l) => l.requirement.startsWith(prefix))
    .map((l) => [l.id, l.decision, l.missing]);
}

describe('events.json whose Rules is not a list', () => {
  for (const [what, bad] of [
    ['a number', 5],
    ['an object', { Name: 'orders-api-on-push' }],
  ] as const) {
    it(`(${what}) is an input error at /Rules, and the rules are unknown as without the file`, () => {
      const broken = load(EVENTS, (doc) => {
        doc['Rules'] = bad;
      });
      expect(broken.errors).toEqual([[true, '/Rules', 'snapshot.shape.invalid']]);
      expect(broken.region.events).toBeUndefined();
      // the source trigger's links are Unknown naming events.json, as when it is missing
      const missing = load(EVENTS, undefined);
      const triggers = linksOf(broken.links, 'trigger.');
      expect(triggers.length).toBeGreaterThan(0);
      expect(triggers).toEqual(linksOf(missing.links, 'trigger.'));
      expect(triggers.every(([, decision]) => decision === 'Unknown')).toBe(true);
    });
  }
});

describe('events.json without Rules', () => {
  // `aws events list-rules` always writes `Rules`: a file without it is not its output
  for (const [what, edit] of [
    ['absent', (doc: Json) => delete doc['Rules']],
    ['null', (doc: Json) => (doc['Rules'] = null)],
  ] as const) {
    it(`(${what}) is a warning at /Rules, and the rules are unknown as without the file`, () => {
      const broken = load(EVENTS, (doc) => {
        edit(doc);
      });
      // a warning (snapshot.list.missing), not an input error
      expect(broken.errors).toEqual([]);
      expect(broken.region.events).toBeUndefined();
      const missing = load(EVENTS, undefined);
      const triggers = linksOf(broken.links, 'trigger.');
      expect(triggers.length).toBeGreaterThan(0);
      expect(triggers).toEqual(linksOf(missing.links, 'trigger.'));
    });
  }
});

describe('codebuild.json whose projects is not a list', () => {
  it('is an input error at /projects, and the projects are unknown as without the file', () => {
    const broken = load(CODEBUILD, (doc) => {
      doc['projects'] = { name: 'orders-api-build' };
    });
    expect(broken.errors).toEqual([[true, '/projects', 'snapshot.shape.invalid']]);
    expect(broken.region.codebuild).toBeUndefined();
    // never "the project is not in the file": it may well be, unread
    const missing = load(CODEBUILD, undefined);
    const build = linksOf(broken.links, 'codebuild');
    expect(build.length).toBeGreaterThan(0);
    expect(build).toEqual(linksOf(missing.links, 'codebuild'));
    expect(JSON.stringify(build)).not.toContain('is not in the file');
  });
});
