/**
 * An entity the loader could not read in full is not decided on what was left: a role whose
 * second inline policy has a wrong shape may hold a Deny that was left out, so the lookup does
 * not hand the role out, the links that rely on it are Unknown and name the unreadable element;
 * an explicit deny from another policy (an SCP) still decides.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const IAM = '222222222222/iam.json';
const ROLE = 'arn:aws:iam::222222222222:role/demo-deploy-action';

function demoWithBrokenPolicy(extraDeny?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-unreadable-'));
  cpSync('fixtures/demo', dir, { recursive: true });
  const file = join(dir, IAM);
  const iam = JSON.parse(readFileSync(file, 'utf8')) as {
    RoleDetailList: { Arn: string; RolePolicyList: object[] }[];
  };
  const role = iam.RoleDetailList.find((r) => r.Arn === ROLE)!;
  // a policy the loader cannot read: PolicyName must be a string
  role.RolePolicyList.push({
    PolicyName: 7,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }],
    },
  });
  if (extraDeny) role.RolePolicyList.push(extraDeny);
  writeFileSync(file, JSON.stringify(iam, null, 2));
  return dir;
}

describe('entities with unreadable parts', () => {
  it('makes the links of the role Unknown, naming what could not be read', () => {
    const model = loadSnapshot(demoWithBrokenPolicy());
    expect(model.problems.map((p) => `${p.file}#${p.pointer}`)).toContain(
      `${IAM}#/RoleDetailList/0/RolePolicyList/1/PolicyName`,
    );
    const report = analyzeModel(model);
    const pipeline = report.pipelines[0]!;
    expect(pipeline.verdict).toBe('unknown');
    const mine = pipeline.links.filter((l) => l.principal === ROLE);
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain(
        `${IAM}#/RoleDetailList/0/RolePolicyList/1/PolicyName (not readable)`,
      );
    }
    // other principals are decided as before
    expect(pipeline.links.some((l) => l.principal !== ROLE && l.decision === 'Allowed')).toBe(true);
  });

  it('uses nothing of the role, not even a Deny it holds; a deny from elsewhere still decides', () => {
    const dir = demoWithBrokenPolicy({
      PolicyName: 'no-describe',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'cloudformation:DescribeStacks', Resource: '*' }],
      },
    });
    const describe = (model: ReturnType<typeof loadSnapshot>) =>
      analyzeModel(model).pipelines[0]!.links.filter(
        (l) => l.principal === ROLE && l.permission === 'cloudformation:DescribeStacks',
      );
    expect(describe(loadSnapshot(dir)).map((l) => l.decision)).toEqual(['Unknown']);
    // an SCP on the workloads OU (the prod account's) that denies it decides the link anyway
    const scpFile = join(dir, 'organization/scp/p-demoguard1.json');
    const scp = JSON.parse(readFileSync(scpFile, 'utf8')) as { Policy: { Content: string } };
    scp.Policy.Content = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'cloudformation:DescribeStacks', Resource: '*' }],
    });
    writeFileSync(scpFile, JSON.stringify(scp));
    const denied = describe(loadSnapshot(dir));
    expect(denied.map((l) => l.decision)).toEqual(['ExplicitlyDenied']);
    expect(denied[0]!.deniedBy[0]).toMatchObject({ policyType: 'scp', explicit: true });
  });
});

describe('a CodeDeploy group with an unreadable part', () => {
  it('is not guessed from what was left: the links that need it are Unknown and name it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-unreadable-group-'));
    cpSync('fixtures/scenarios/all-providers', dir, { recursive: true });
    const file = '111111111111/us-east-1/codedeploy/platform-legacy.fleet.json';
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      deploymentGroupInfo: Record<string, unknown>;
    };
    doc.deploymentGroupInfo['deploymentConfigName'] = 12;
    writeFileSync(join(dir, file), JSON.stringify(doc));
    const report = analyzeModel(loadSnapshot(dir));
    const legacy = report.pipelines.find((p) => p.name === 'platform-legacy')!;
    const config = legacy.links.filter((l) => l.requirement === 'codedeploy.get-deployment-config');
    expect(config.length).toBeGreaterThan(0);
    for (const l of config) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([
        `${file}#/deploymentGroupInfo/deploymentConfigName (not readable)`,
      ]);
    }
  });
});

/** A copy of the demo with `edit` applied to the JSON of `file`. */
function demoWith(file: string, edit: (doc: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-unreadable-list-'));
  cpSync('fixtures/demo', dir, { recursive: true });
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  edit(doc);
  writeFileSync(join(dir, file), JSON.stringify(doc, null, 2));
  return dir;
}

describe('lists with unreadable elements', () => {
  const TOOLS_IAM = '111111111111/iam.json';
  const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/service-role/demo-pipeline-role';

  it('an unreadable element of RoleDetailList may be the role: Unknown, not "does not exist"', () => {
    const dir = demoWith(TOOLS_IAM, (iam) => {
      const roles = iam['RoleDetailList'] as unknown[];
      // the pipeline role's entry can no longer be read as a role
      const i = roles.findIndex((r) => (r as { Arn: string }).Arn === PIPELINE_ROLE);
      roles[i] = [roles[i]];
    });
    const model = loadSnapshot(dir);
    const mine = analyzeModel(model).pipelines[0]!.links.filter(
      (l) => l.principal === PIPELINE_ROLE,
    );
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${TOOLS_IAM}#/RoleDetailList/1 (not readable)`]);
    }
    // a role that is really not there, in an iam.json read in full, does not exist
    const gone = demoWith(TOOLS_IAM, (iam) => {
      iam['RoleDetailList'] = (iam['RoleDetailList'] as { Arn: string }[]).filter(
        (r) => r.Arn !== PIPELINE_ROLE,
      );
    });
    const denied = analyzeModel(loadSnapshot(gone)).pipelines[0]!.links.filter(
      (l) => l.principal === PIPELINE_ROLE,
    );
    expect(denied.length).toBe(mine.length);
    for (const l of denied) expect(l.decision, l.id).not.toBe('Unknown');
  });

  it('an SCP whose Targets cannot all be read may apply anywhere: an allow becomes Unknown', () => {
    const dir = demoWith('organization/scp/p-demoguard1.json', (scp) => {
      const policy = scp['Policy'] as { Content: string };
      policy.Content = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }],
      });
      scp['Targets'] = [['ou-demo-workloads']];
    });
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    const kms = links.filter(
      (l) =>
        l.permission.startsWith('kms:') && l.principal.startsWith('arn:aws:iam::111111111111:'),
    );
    expect(kms.length).toBeGreaterThan(0);
    for (const l of kms) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual(['organization/scp/p-demoguard1.json']);
    }
  });

  it('a denial that no guardrail can undo stays a denial when only organization files are missing', () => {
    const dir = demoWith('organization/scp/p-demoguard1.json', (scp) => {
      scp['Targets'] = [['ou-demo-workloads']];
    });
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    // the demo's broken link: the key policy does not let the prod role decrypt; SCPs only
    // take permissions away, so an unknown SCP cannot make it work
    const broken = links.find(
      (l) => l.id === 'DeployProd/DeployStack:artifacts.input.kms-decrypt:kms:Decrypt',
    )!;
    expect(broken.decision).toBe('ImplicitlyDenied');
    expect(broken.deniedBy.map((r) => r.policyType)).toEqual(['resource']);
    // the SCP whose targets are unknown denies only organizations:LeaveOrganization: tried at
    // each level, it changes no link, so the allowed links are decided and nothing names it
    expect(links.filter((l) => l.decision === 'Unknown')).toEqual([]);
    expect(links.some((l) => l.missing?.includes('organization/scp/p-demoguard1.json'))).toBe(
      false,
    );
  });

  it('an SCP whose targets are unknown leaves Unknown the links it could deny', () => {
    const dir = demoWith('organization/scp/p-demoguard1.json', (scp) => {
      scp['Targets'] = [['ou-demo-workloads']];
      const policy = scp['Policy'] as { Content: string };
      policy.Content = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'cloudformation:*', Resource: '*' }],
      });
    });
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    const cfn = links.filter((l) => l.permission.startsWith('cloudformation:'));
    expect(cfn.length).toBeGreaterThan(0);
    for (const l of cfn) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual(['organization/scp/p-demoguard1.json']);
    }
    const s3 = links.filter((l) => l.permission.startsWith('s3:'));
    expect(s3.every((l) => l.decision === 'Allowed')).toBe(true);
  });

  it('an account missing from an accounts.json read in part is not taken as outside the organization', () => {
    // the tools account's entry cannot be read and parents.json does not list it, but an SCP
    // denying kms:* is attached to it, and a policy is only ever attached to a member of the
    // organization (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html):
    // its levels above are unknown, its own level is known, and its deny decides (before session
    // 13: Unknown; before that, "not in the organization", so the deny was ignored and its KMS
    // links were allowed)
    const dir = demoWith('organization/accounts.json', (doc) => {
      doc['Accounts'] = (doc['Accounts'] as { Id: string }[]).map((a) =>
        a.Id === '111111111111' ? [a] : a,
      );
    });
    const parentsFile = join(dir, 'organization/parents.json');
    const parents = JSON.parse(readFileSync(parentsFile, 'utf8')) as Record<string, string>;
    delete parents['111111111111'];
    writeFileSync(parentsFile, JSON.stringify(parents));
    const scpFile = join(dir, 'organization/scp/p-demoguard1.json');
    const scp = JSON.parse(readFileSync(scpFile, 'utf8')) as {
      Policy: { Content: string };
      Targets: object[];
    };
    scp.Policy.Content = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }],
    });
    scp.Targets.push({ TargetId: '111111111111', Type: 'ACCOUNT' });
    writeFileSync(scpFile, JSON.stringify(scp));
    const kms = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter(
      (l) =>
        l.permission.startsWith('kms:') && l.principal.startsWith('arn:aws:iam::111111111111:'),
    );
    expect(kms.length).toBeGreaterThan(0);
    for (const l of kms) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((r) => `${r.policyType} ${r.policy}`)).toContain(
        'scp p-demoguard1 (deny-leave-org)',
      );
    }
  });

  it('an implicit deny by an SCP level stays Unknown while another SCP may be attached there', () => {
    // FullAWSAccess with unreadable targets: the levels seen have no allow, but it may be on them
    const dir = demoWith('organization/scp/p-FullAWSAccess.json', (scp) => {
      scp['Targets'] = [['r-demo']];
    });
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    // a link another policy already denies stays denied: SCPs cannot supply the missing allow
    const denied = links.filter((l) => l.decision === 'ImplicitlyDenied');
    for (const l of denied)
      expect(
        l.deniedBy.some((r) => r.policyType !== 'scp'),
        l.id,
      ).toBe(true);
    const roleLinks = links.filter(
      (l) => l.principal.startsWith('arn:aws:iam::') && l.decision !== 'ImplicitlyDenied',
    );
    expect(roleLinks.length).toBeGreaterThan(0);
    for (const l of roleLinks) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain('organization/scp/p-FullAWSAccess.json');
    }
  });
});
