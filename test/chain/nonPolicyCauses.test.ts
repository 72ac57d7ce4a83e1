/**
 * A link denied by something other than an IAM policy (a configuration error, a role that does
 * not exist, a connection of another account that cannot be shared) names no policy in
 * `deniedBy`: the text report would print it as "decided by <policy type> ... (no matching
 * allow)". Its why says what decides it, and its fix what to change.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const A = '111111111111';
const OTHER = '222222222222';

function links(scenario: string, edit: (dir: string) => void): ReportLink[] {
  return inScenarioCopy(join('fixtures/scenarios', scenario), (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
  });
}

/** Replace `from` by `to` everywhere in a JSON file of the copy. */
function replaceIn(dir: string, file: string, from: string, to: string): void {
  editJson(join(dir, file), (doc) => {
    const text = JSON.stringify(doc);
    expect(text).toContain(from);
    const next = JSON.parse(text.split(from).join(to)) as Json;
    for (const k of Object.keys(doc)) delete doc[k];
    Object.assign(doc, next);
  });
}

describe('a link denied by no policy', () => {
  it('a CloudFormation action without RoleArn: no policy reason, the why names the setting', () => {
    const found = links('pass-cross-account', (dir) =>
      replaceIn(
        dir,
        `${A}/us-east-1/codepipeline/orders-api.json`,
        `"RoleArn":"arn:aws:iam::${OTHER}:role/orders-api-cfn-exec"`,
        '"Unused":"x"',
      ),
    ).find((l) => l.requirement === 'cloudformation.role-arn-required')!;
    expect(found.decision).toBe('ImplicitlyDenied');
    expect(found.deniedBy).toEqual([]);
    expect(found.why).toContain('configuration `RoleArn` is not set');
    expect(found.fix).toContain('set `RoleArn` of `DeployProd/DeployStack`');
  });

  it('an action role that does not exist: no policy reason, the why names where it was looked for', () => {
    const own = links('pass-cross-account', (dir) =>
      editJson(join(dir, `${OTHER}/iam.json`), (doc) => {
        doc['RoleDetailList'] = (doc['RoleDetailList'] as Json[]).filter(
          (r) => r['RoleName'] !== 'orders-api-deploy-action',
        );
      }),
    ).filter(
      (l) =>
        l.principal === `arn:aws:iam::${OTHER}:role/orders-api-deploy-action` &&
        l.decision !== 'Allowed',
    );
    expect(own.length).toBeGreaterThan(3);
    for (const l of own) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.deniedBy, l.id).toEqual([]);
      expect(l.why, l.id).toContain('does not exist (not in `222222222222/iam.json`)');
      expect(l.fix, l.id).toBe(
        `name a role that exists in place of \`arn:aws:iam::${OTHER}:role/orders-api-deploy-action\` (or create it)`,
      );
    }
  });
});

describe('a connection of another account', () => {
  const CONNECTION = `arn:aws:codeconnections:us-east-1:${A}:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a`;
  const CODEBUILD = `${A}/us-east-1/codebuild.json`;
  const IAM = `${A}/iam.json`;
  const connectionLinks = (edit: (dir: string) => void): ReportLink[] =>
    links('all-providers', edit).filter(
      (l) => l.requirement.includes('.secondary-source-') && l.requirement.endsWith('connection'),
    );

  it('of codestar-connections: cannot be shared, which the why says, with no policy reason', () => {
    const old = `arn:aws:codestar-connections:us-east-1:${OTHER}:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a`;
    const found = connectionLinks((dir) => {
      replaceIn(dir, CODEBUILD, CONNECTION, old);
      replaceIn(dir, IAM, CONNECTION, old);
    });
    expect(found.length).toBe(4);
    for (const l of found) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.deniedBy, l.id).toEqual([]);
      expect(l.why).toContain(
        `\`${old}\` is a \`codestar-connections\` connection of \`${OTHER}\`, which cannot be shared with \`${A}\``,
      );
      expect(l.fix).toBe(
        `use a connection of \`${A}\`, or a \`codeconnections\` connection shared with it through AWS RAM`,
      );
    }
  });

  it('of codeconnections, which the caller may not use: its own policies decide, not a resource policy', () => {
    const shared = CONNECTION.replace(A, OTHER);
    const found = connectionLinks((dir) => replaceIn(dir, CODEBUILD, CONNECTION, shared));
    expect(found.length).toBe(4);
    for (const l of found) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(
        l.deniedBy.map((d) => d.policyType),
        l.id,
      ).toEqual(['identity']);
      expect(l.why).toContain('through AWS RAM is not known');
      expect(l.fix).toContain('in the policies of');
    }
  });
});
