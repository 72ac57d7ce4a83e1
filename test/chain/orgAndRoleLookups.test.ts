/**
 * What a review of IAM and organization loading found, on edits of the pass-cross-account
 * scenario (every link Allowed as it is):
 * - an RCP without `Targets` whose statement cannot be read may still deny: Unknown, not Allowed;
 * - RCPs, like SCPs, need all features: an organization with consolidated billing only has none;
 * - no SCP attached anywhere reads as SCPs possibly disabled, not as a folder "missing";
 * - a pipeline role named without its path is not taken for the role with the path.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';

/** The scenario after `edit(dir)`, analyzed (in a copy removed afterwards). */
const analyzeWith = (edit: (dir: string) => void): Report =>
  inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir));
  });

const links = (r: Report): ReportLink[] => r.pipelines.flatMap((p) => p.links);
const count = (r: Report, decision: string): number =>
  links(r).filter((l) => l.decision === decision).length;
const OBJECT_READ = 'codebuild-project.input-get-object';

describe('the scenario as it is', () => {
  it('allows every link', () => {
    const r = analyzeWith(() => {});
    expect(links(r).length).toBeGreaterThan(40);
    expect(links(r).every((l) => l.decision === 'Allowed')).toBe(true);
  });
});

describe('an RCP without Targets whose Deny statement cannot be read', () => {
  // "What is missing is unknown, never allowed" (snapshot-format.md); an RCP's explicit deny
  // overrides any allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html)
  it('leaves the links Unknown, naming the statement (was Allowed)', () => {
    const r = analyzeWith((dir) => {
      const content = {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Ok', Effect: 'Deny', Principal: '*', Action: 'ec2:*', Resource: '*' },
          {
            Sid: 'Bad',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: '*',
            Condition: { StringNotEqualsTypo: { 'aws:PrincipalOrgID': 'o-exmpl7a2b9c' } },
          },
        ],
      };
      writeFileSync(
        join(dir, 'organization/rcp/p-rcpbad.json'),
        JSON.stringify({
          Policy: {
            PolicySummary: {
              Id: 'p-rcpbad',
              Name: 'rcp-bad',
              Type: 'RESOURCE_CONTROL_POLICY',
              AwsManaged: false,
            },
            Content: JSON.stringify(content),
          },
        }),
      );
    });
    const read = links(r).find((l) => l.requirement === OBJECT_READ)!;
    expect(read.decision).toBe('Unknown');
    expect(read.missing).toContain(
      'organization/rcp/p-rcpbad.json#/Policy/Content/Statement/1 (invalid statement)',
    );
  });
});

describe('an organization with consolidated billing only', () => {
  // "RCPs are available only in an organization that has all features enabled"
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html)
  it('has no SCPs and no RCPs: the links are decided without them (was Unknown for rcp/)', () => {
    const r = analyzeWith((dir) => {
      // no policy of either type can exist: the crawler writes neither folder
      for (const sub of ['scp', 'rcp'])
        rmSync(join(dir, 'organization', sub), { recursive: true, force: true });
      editJson(join(dir, 'organization/describe-organization.json'), (doc) => {
        (doc['Organization'] as Json)['FeatureSet'] = 'CONSOLIDATED_BILLING';
      });
    });
    expect(links(r).every((l) => l.decision === 'Allowed')).toBe(true);
  });
});

describe('SCP files none of which is attached anywhere', () => {
  // while SCPs are enabled "Every root, OU, and account must have at least one SCP attached"
  // (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DetachPolicy.html)
  it('are Unknown, saying SCPs may be disabled', () => {
    const r = analyzeWith((dir) => {
      for (const f of ['p-FullAWSAccess', 'p-exmguard01'])
        editJson(join(dir, `organization/scp/${f}.json`), (doc) => {
          doc['Targets'] = [];
        });
    });
    const read = links(r).find((l) => l.requirement === OBJECT_READ)!;
    expect(read.decision).toBe('Unknown');
    expect(JSON.stringify(read)).toContain('SCPs may be disabled in the organization');
  });
});

describe('a pipeline role named without its path', () => {
  // an IAM ARN includes the path
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns)
  it('is not taken for the role with the path: its links are Unknown, naming both ARNs (was Allowed for its own links, Denied by the other account’s trust)', () => {
    const pathless = 'arn:aws:iam::111111111111:role/orders-api-pipeline-role';
    const r = analyzeWith((dir) => {
      editJson(join(dir, '111111111111/us-east-1/codepipeline/orders-api.json'), (doc) => {
        (doc['pipeline'] as Json)['roleArn'] = pathless;
      });
    });
    const own = links(r).filter((l) => l.principal === pathless);
    expect(own.length).toBeGreaterThan(5);
    for (const l of own) expect(l.decision, l.id).toBe('Unknown');
    expect(own[0]!.missing!.join()).toContain(
      `the role is \`arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role\`, named \`${pathless}\``,
    );
    expect(count(r, 'ImplicitlyDenied')).toBe(0);
  });
});
