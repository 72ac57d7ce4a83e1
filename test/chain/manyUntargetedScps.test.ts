/**
 * An organization with hundreds of SCPs whose targets are not known (no `Targets`): a link they
 * may decide named each one in its why, one clause per file (500 SCPs made a 43 KB why), and a
 * link denied by its own deny named each one's file in its "if the SCPs of ... apply" (18 KB of
 * why and as much fix). Both lists are bounded like the link's other lists: the first 20, then
 * how many more.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const COUNT = 500;
const GET = 'DeployProd/DeployStack:artifacts.input.get-object:s3:GetObject:';
const file = (i: number): string => `organization/scp/p-gen${String(i).padStart(5, '0')}.json`;

/** The demo with `count` SCPs that deny s3:GetObject and list no `Targets`. */
function analyzeWithScps(ownDeny: boolean, count = COUNT): ReportLink {
  return inScenarioCopy('fixtures/demo', (dir) => {
    for (let i = 0; i < count; i++) {
      const id = `p-gen${String(i).padStart(5, '0')}`;
      const doc = {
        Policy: {
          PolicySummary: {
            Id: id,
            Arn: `arn:aws:organizations::999999999999:policy/o-demo1234ab/service_control_policy/${id}`,
            Name: `gen-${i}`,
            Type: 'SERVICE_CONTROL_POLICY',
            AwsManaged: false,
          },
          Content: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }],
          }),
        },
      };
      writeFileSync(join(dir, file(i)), JSON.stringify(doc));
    }
    if (ownDeny)
      editJson(join(dir, '222222222222/iam.json'), (iam) => {
        const role = (iam['RoleDetailList'] as Json[]).find(
          (r) => r['RoleName'] === 'demo-deploy-action',
        )!;
        const policy = (role['RolePolicyList'] as Json[])[0]!;
        const statements = (policy['PolicyDocument'] as Json)['Statement'] as Json[];
        statements.push({ Sid: 'NoGet', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' });
      });
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    const l = links.find((x) => x.id.startsWith(GET));
    expect(l).toBeDefined();
    return l!;
  });
}

describe(`${COUNT} SCPs whose targets are not known`, () => {
  it('an Unknown link names the first 20 in its why, then counts the rest', () => {
    const l = analyzeWithScps(false);
    expect(l.decision).toBe('Unknown');
    const clauses = l.why.split('; ');
    for (let i = 0; i < 20; i++)
      expect(clauses).toContainEqual(
        expect.stringContaining(
          `\`${file(i)}\` has no \`Targets\`, so where it applies is not known`,
        ),
      );
    expect(l.why).not.toContain(file(20));
    expect(clauses.at(-1)).toBe('480 more SCP or RCP files whose `Targets` are not all known');
    expect(l.why.length).toBeLessThan(3_000);
    // `missing` was bounded already: 20, then one entry counting the rest
    expect(l.missing).toHaveLength(21);
    expect(l.missing!.at(-1)).toBe('(480 more inputs, not listed)');
  });

  it('one more than 20: the count says `file`, not `files`', () => {
    const l = analyzeWithScps(false, 21);
    expect(l.why.split('; ').at(-1)).toBe(
      '1 more SCP or RCP file whose `Targets` are not all known',
    );
  });

  it("a link denied by its own deny names the first 20 in its 'if the SCPs of ... apply'", () => {
    const l = analyzeWithScps(true);
    expect(l.decision).toBe('ExplicitlyDenied');
    const files = Array.from({ length: 20 }, (_, i) => `\`${file(i)}\``);
    const placement = `if the SCPs of ${files.join(', ')} and 480 more apply (not all their targets are known)`;
    expect(l.why).toContain(`; ${placement}, SCP `);
    expect(l.fix).toContain(`; ${placement}, also narrow the denies in SCP `);
    expect(l.why + (l.fix ?? '')).not.toContain(file(20));
    expect(l.why.length).toBeLessThan(3_000);
    expect(l.fix?.length).toBeLessThan(3_000);
  });
});
