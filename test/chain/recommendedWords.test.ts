/**
 * A recommended link is one working pipelines run without (README): denied, it is a warning, and
 * its why says it would be denied, never that the action "fails", and that the run does not
 * depend on it. A required link still fails.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';

const links = (name: string): ReportLink[] =>
  analyzeModel(loadSnapshot(join('fixtures/scenarios', name))).pipelines.flatMap((p) => p.links);
const NOTE = '; it is recommended, not required: working pipelines run without it';

describe('the why of a denied recommended link', () => {
  it('says it would be denied, and that working pipelines run without it', () => {
    const all = links('bucket-policy-missing-account');
    const versioning = all.find((l) =>
      l.id.startsWith(
        'DeployProd/DeployStack:artifacts.bucket.read-configuration:s3:GetBucketVersioning',
      ),
    )!;
    expect(versioning.level).toBe('recommended');
    expect(versioning.decision).toBe('ImplicitlyDenied');
    expect(versioning.why).toMatch(
      /^`DeployProd\/DeployStack` \(CloudFormation\) would be denied s3:GetBucketVersioning: the resource policy of /,
    );
    expect(versioning.why.endsWith(NOTE)).toBe(true);
    expect(versioning.why).not.toContain(' fails');
    // a required link of the same action fails
    const get = all.find((l) =>
      l.id.startsWith('DeployProd/DeployStack:artifacts.input.get-object:'),
    )!;
    expect(get.level).toBe('required');
    expect(get.why).toMatch(/^`DeployProd\/DeployStack` \(CloudFormation\) fails: /);
    expect(get.why).not.toContain(NOTE);
  });

  it('explicitly denied, says so too', () => {
    const l = links('org-perimeter-bucket-policy').find((x) =>
      x.id.startsWith('DeployProd/DeployStack:artifacts.bucket.read-configuration:s3:GetBucketAcl'),
    )!;
    expect(l.decision).toBe('ExplicitlyDenied');
    expect(l.why.endsWith(NOTE)).toBe(true);
  });
});
