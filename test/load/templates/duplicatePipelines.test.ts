/**
 * A pipeline that two stacks of a stacks file define (the same name, account and region), or two
 * resources of one template: one copy was kept without a word (the later one), so the links were
 * decided on whichever stack came last. As for two pipeline files of a snapshot, each copy is an
 * input error naming the other, and the pipeline is one Unknown link naming both.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../../src/load/snapshot.js';
import { loadSingleTemplate, loadStacksFile } from '../../../src/load/stacks.js';
import { mergeModels } from '../../../src/load/templateMerge.js';

const DEMO = readFileSync('fixtures/templates/demo-pipeline-v2.yaml', 'utf8');
const OPTS = { managedPolicies: noManagedPolicies };

function withTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-dup-pipeline-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a pipeline defined twice by the templates', () => {
  it('in two stacks of a stacks file is an error at each and one Unknown link', () => {
    withTemp((dir) => {
      writeFileSync(join(dir, 't.yaml'), DEMO);
      const file = join(dir, 'stacks.yaml');
      writeFileSync(
        file,
        [
          'stacks:',
          '  - { template: t.yaml, account: "111111111111", region: us-east-1, name: a }',
          '  - template: t.yaml',
          '    account: "111111111111"',
          '    region: us-east-1',
          '    name: b',
          '    parameters: { ProdAccount: "333333333333" }',
          '',
        ].join('\n'),
      );
      const { model, problems } = loadStacksFile(file, OPTS);
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => [p.id, p.pointer])).toEqual([
        ['template.pipeline.duplicate', '/Resources/PipelineV2'],
        ['template.pipeline.duplicate', '/Resources/PipelineV2'],
      ]);
      expect(errors.map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^pipeline `demo-app-v2` in `111111111111` `us-east-1` of stack `a` is defined more than once \(also by stack `b` at `.*t\.yaml#\/Resources\/PipelineV2`\)/,
        ),
        expect.stringMatching(/of stack `b` is defined more than once \(also by stack `a` at /),
      ]);
      // laid over the demo snapshot, as the review ran it: no copy's deploy role is used
      const report = analyzeModel(mergeModels(loadSnapshot('fixtures/demo'), model), {
        pipelines: ['demo-app-v2'],
      });
      const p = report.pipelines[0]!;
      expect(p.verdict).toBe('unknown');
      expect(p.links.map((l) => [l.requirement, l.decision])).toEqual([
        ['action.not-settled', 'Unknown'],
      ]);
      expect(p.links[0]!.missing).toEqual([
        expect.stringMatching(
          /t\.yaml:14 \(stack `a`: defined more than once\), .*t\.yaml:14 \(stack `b`: defined more than once\)$/,
        ),
      ]);
    });
  });

  it('in two resources of one template is the same', () => {
    withTemp((dir) => {
      const copy = DEMO.slice(DEMO.indexOf('  PipelineV2:\n')).replace(
        '  PipelineV2:\n',
        '  PipelineV2Copy:\n',
      );
      const path = join(dir, 't.yaml');
      writeFileSync(path, `${DEMO}${copy}`);
      const { model, problems } = loadSingleTemplate(path, {
        account: '111111111111',
        region: 'us-east-1',
        ...OPTS,
      });
      expect(problems.filter((p) => p.severity === 'error').map((p) => [p.id, p.pointer])).toEqual([
        ['template.pipeline.duplicate', '/Resources/PipelineV2'],
        ['template.pipeline.duplicate', '/Resources/PipelineV2Copy'],
      ]);
      const p = analyzeModel(model).pipelines[0]!;
      expect(p.links.map((l) => l.requirement)).toEqual(['action.not-settled']);
    });
  });

  it('three times names every copy', () => {
    withTemp((dir) => {
      writeFileSync(join(dir, 't.yaml'), DEMO);
      const file = join(dir, 'stacks.yaml');
      const stack = (n: string): string =>
        `  - { template: t.yaml, account: "111111111111", region: us-east-1, name: ${n} }`;
      writeFileSync(file, ['stacks:', stack('a'), stack('b'), stack('c'), ''].join('\n'));
      const { model, problems } = loadStacksFile(file, OPTS);
      expect(problems.filter((p) => p.id === 'template.pipeline.duplicate')).toHaveLength(6);
      const missing = analyzeModel(model).pipelines[0]!.links[0]!.missing![0]!;
      expect(missing.match(/stack `[abc]`/g)).toEqual(['stack `a`', 'stack `b`', 'stack `c`']);
    });
  });
});
