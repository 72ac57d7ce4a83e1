/**
 * A link that is Unknown because a fact is missing still shows what is known of its resource:
 * the partition, region, account and names are filled in, and only what no input settles is
 * left, in words (`<the task definition family, not known>`, never the catalog's `${Name}`).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const SETTLED = ['Partition', 'Region', 'Account', 'ActionRegion', 'ActionAccount', 'PipelineName'];

describe('the resource of an Unknown link', () => {
  const links = analyzeModel(loadSnapshot('fixtures/scenarios/all-providers')).pipelines.flatMap(
    (p) => p.links,
  );
  const open = links.filter((l) => l.resource.includes(', not known>'));

  it('keeps only what the input does not settle unknown, in words', () => {
    // no link of any decision keeps a catalog placeholder in its resource
    expect(links.filter((l) => l.resource.includes('${')).map((l) => l.id)).toEqual([]);
    expect(open.length).toBeGreaterThan(3);
    for (const l of open) {
      // a family the input does not settle is tried with made-up ones: the pipeline role allows
      // ecs:RegisterTaskDefinition on `*`, whatever the family (resolveLink byUnsettledName), and
      // ecs:TagResource on none (a recommended link, with its settled `ecs:CreateAction`)
      if (l.permission === 'ecs:RegisterTaskDefinition') expect(l.decision, l.id).toBe('Allowed');
      else if (l.permission === 'ecs:TagResource')
        expect(l.decision, l.id).toBe('ImplicitlyDenied');
      else expect(l.decision, l.id).toBe('Unknown');
      for (const name of SETTLED) expect(l.resource, l.id).not.toContain(`\${${name}}`);
    }
    const family = open.find((l) => l.requirement === 'ecs.register-task-definition')!;
    expect(family.resource).toBe(
      'arn:aws:ecs:us-east-1:111111111111:task-definition/<the task definition family, not known>:*',
    );
  });
});
