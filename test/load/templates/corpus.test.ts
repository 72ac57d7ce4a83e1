/**
 * The real templates of /work/shared/corpus (see its SOURCES.md), loaded through the stacks
 * files in fixtures/stacks/<set>/. Every problem is expected and explained; the findings that
 * SOURCES.md names as clear denials are asserted through analyzeModel.
 * Terraform, get-pipeline JSON and documentation snippets are not templates: out of scope here.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadStacksFile } from '../../../src/load/stacks.js';
import { findRole } from '../../../src/model/queries.js';
import type { Model, RoleModel } from '../../../src/model/types.js';
import type { Problem } from '../../../src/problems.js';
import type { ReportLink, ReportPipeline } from '../../../src/report/types.js';

const CORPUS = '../shared/corpus';
const present = existsSync(`${CORPUS}/SOURCES.md`);

function load(set: string, file = 'stacks.yaml'): { model: Model; problems: Problem[] } {
  // no managed policy package: the expected problems must not depend on what is installed
  return loadStacksFile(`fixtures/stacks/${set}/${file}`, { managedPolicies: noManagedPolicies });
}

/** [id, file relative to the set (or the stacks file), pointer] */
function tuples(set: string, problems: readonly Problem[]): [string, string, string][] {
  return problems.map((p) => [p.id, (p.file ?? '').replace(`${CORPUS}/${set}/`, ''), p.pointer]);
}

function role(model: Model, arn: string): RoleModel {
  const r = findRole(model, arn);
  if (r.kind !== 'found') throw new Error(`no role ${arn}`);
  return r.value;
}

function link(p: ReportPipeline, id: string): ReportLink {
  const l = p.links.find((x) => x.id === id);
  if (!l) throw new Error(`no link ${id}`);
  return l;
}

const UNKNOWN_BASIC_EXECUTION = 'template.managed-policy.unknown';

describe.skipIf(!present)('corpus: refarch-cross-account', () => {
  const set = 'refarch-cross-account';
  const first = load(set);
  const second = load(set, 'stacks-second-pass.yaml');

  it('loads both passes; the only problem is the bucket policy without Version', () => {
    const expected = [
      [
        'policy.version.missing',
        'code-pipeline.yaml',
        '/Resources/S3BucketPolicy/Properties/PolicyDocument',
      ],
    ];
    expect(tuples(set, first.problems)).toEqual(expected);
    expect(tuples(set, second.problems)).toEqual(expected);
  });

  it('target roles trust the whole tools account (no condition)', () => {
    const r = role(
      first.model,
      'arn:aws:iam::222222222222:role/ToolsAcctCodePipelineCodeCommitRole',
    );
    const s = r.trustPolicy!.statements[0]!;
    expect(s.principal?.aws).toEqual(['arn:aws:iam::111111111111:root']);
    expect(s.conditions).toEqual([]);
    expect(r.location).toMatchObject({
      file: `${CORPUS}/${set}/toolsacct-codepipeline-codecommit.yaml`,
      line: 19,
    });
  });

  it('first pass: the key policy gives the tools account only administration, so the pipeline role cannot use the CMK', () => {
    const report = analyzeModel(first.model);
    const p = report.pipelines[0]!;
    expect(p.name).toBe('sample-lambda-pipeline');
    expect(p.verdict).toBe('fail');
    const keyArn = p.links.find((l) => l.permission === 'kms:GenerateDataKey')!.resource;
    expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\//);
    // the pipeline role's IAM kms:Decrypt on the CMK has no effect: the key policy decides
    for (const id of [
      'Source/App:artifacts.output.kms-generate-data-key:kms:GenerateDataKey',
      'DeployToTest/CreateChangeSetTest:artifacts.input.kms-decrypt:kms:Decrypt',
    ]) {
      const l = link(p, id);
      expect(l.principal).toBe('arn:aws:iam::111111111111:role/sample-lambda-codepipeline-role');
      expect(l.decision).toBe('ImplicitlyDenied');
      expect(l.deniedBy[0]).toMatchObject({
        policyType: 'resource',
        policy: keyArn,
        location: {
          file: `${CORPUS}/${set}/pre-reqs.yaml`,
          pointer: '/Resources/KMSKey/Properties/KeyPolicy',
          line: 37,
        },
      });
    }
    // CodeBuildCondition=false: the CodeBuild role is not in the key policy either
    const build = link(p, 'Build/Build:codebuild-project.input-kms-decrypt:kms:Decrypt');
    expect(build.principal).toBe('arn:aws:iam::111111111111:role/sample-lambda-CodeBuildRole');
    expect(build.decision).toBe('ImplicitlyDenied');
  });

  it('warns that the cross-account roles trust the whole tools account (SOURCES.md: over-permissive)', () => {
    const p = analyzeModel(second.model).pipelines[0]!;
    const assume = p.links.filter(
      (l) => l.requirement === 'action.assume-action-role' && l.decision === 'Allowed',
    );
    expect(assume.length).toBeGreaterThan(0);
    for (const l of assume) {
      expect(l.warnings?.[0]).toMatch(/trusts the whole account `111111111111`/);
    }
  });

  it('second pass (both conditions true): the key links are allowed and the pipeline passes', () => {
    const p = analyzeModel(second.model).pipelines[0]!;
    expect(p.verdict).toBe('pass');
    expect(link(p, 'Build/Build:codebuild-project.input-kms-decrypt:kms:Decrypt').decision).toBe(
      'Allowed',
    );
    const denied = p.links.filter((l) => l.decision !== 'Allowed');
    expect(denied.every((l) => l.level === 'recommended')).toBe(true);
  });
});

describe.skipIf(!present)('corpus: adf', () => {
  const set = 'adf';
  const { model, problems } = load(set);

  it('loads; unknowns come from nested applications, custom resources and layers', () => {
    expect(tuples(set, problems)).toEqual([
      // Fn::GetAtt of an AWS::Serverless::Application output (a nested stack)
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/AdfAutomationRole/Properties/AssumeRolePolicyDocument/Statement/0/Condition/ArnEquals/aws:PrincipalArn/0/Fn::GetAtt',
      ],
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/AdfAutomationRole/Properties/AssumeRolePolicyDocument/Statement/0/Condition/ArnEquals/aws:PrincipalArn/1/Fn::GetAtt',
      ],
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/CodeBuildRolePolicy/Properties/PolicyDocument/Statement/0/Resource/2/Fn::Sub',
      ],
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/CodeBuildRolePolicy/Properties/PolicyDocument/Statement/0/Resource/3/Fn::Sub',
      ],
      // a custom resource's attribute
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/CodePipeline/Properties/Stages/0/Actions/0/Configuration/BranchName/Fn::GetAtt',
      ],
      // SAM's generated role attaches AWSLambdaBasicExecutionRole; no package in this test
      [
        UNKNOWN_BASIC_EXECUTION,
        'deployment/global.yml',
        '/Resources/DetermineDefaultBranchNameHandler',
      ],
      // Ref of an AWS::Serverless::LayerVersion (its version number)
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/LambdaPolicy/Properties/PolicyDocument/Statement/0/Resource/0/Ref',
      ],
      [
        'policy.version.missing',
        'deployment/global.yml',
        '/Resources/PipelineBucketPolicy/Properties/PolicyDocument',
      ],
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/PipelineGenerationProvisionerCodeBuildRolePolicy/Properties/PolicyDocument/Statement/0/Resource/0/Fn::Sub',
      ],
      [
        'template.value.unresolved',
        'deployment/global.yml',
        '/Resources/PipelineGenerationProvisionerCodeBuildRolePolicy/Properties/PolicyDocument/Statement/0/Resource/1/Fn::Sub',
      ],
      [
        'policy.version.missing',
        'deployment/regional.yml',
        '/Resources/DeploymentFrameworkRegionalPipelineBucketPolicy/Properties/PolicyDocument',
      ],
    ]);
  });

  it('does not warn about root principals narrowed by an aws:PrincipalArn condition (SOURCES.md)', () => {
    const links = analyzeModel(model).pipelines.flatMap((p) => p.links);
    expect(links.filter((l) => (l.warnings ?? []).length > 0)).toEqual([]);
  });

  it('keeps the aws:PrincipalArn condition on target roles trusted by the deployment account root', () => {
    const r = role(model, 'arn:aws:iam::333333333333:role/adf-cloudformation-role');
    const s = r.trustPolicy!.statements[0]!;
    expect(s.principal?.aws).toEqual(['arn:aws:iam::222222222222:root']);
    expect(s.conditions.map((c) => c.key)).toContain('aws:PrincipalArn');
  });

  it('the DenyDifferentKMSKey of the bootstrap pipeline bucket denies an upload the buildspec does not declare: Unknown, not a failure (SOURCES.md "verify")', () => {
    const p = analyzeModel(model).pipelines.find(
      (x) => x.name === 'aws-deployment-framework-pipelines',
    )!;
    expect(p.verdict).toBe('unknown');
    expect(p.links.filter((l) => l.decision === 'ExplicitlyDenied')).toEqual([]);
    const put = p.links.filter((l) => l.requirement === 'codebuild-project.output-put-object');
    expect(put.map((l) => [l.permission, l.decision])).toEqual([['s3:PutObject', 'Unknown']]);
    // the deny is still found and named, for the case the build does upload
    expect(put[0]!.why).toMatch(
      /^`KickoffCreateOrUpdatePipelines\/CreateOrUpdate` \(CodeBuild\) would be denied by resource policy `arn:aws:s3:::adf-global-base-deployment-pipelinebucket-\w+` statement DenyDifferentKMSKey \(explicit deny\), but it is needed only if `an upload of the output artifact by project aws-deployment-framework-base, whose inline buildspec \(.*global\.yml#\/Resources\/CodeBuildProject\/Properties\/Source\/BuildSpec\) has no artifacts section/,
    );
  });
});

describe.skipIf(!present)('corpus: serverless-api-cross-account-cicd', () => {
  const set = 'serverless-api-cross-account-cicd';
  const { model, problems } = load(set);

  it('loads; kms:ReEncrypt in the key policy is not an action', () => {
    expect(tuples(set, problems)).toEqual([
      [
        'policy.action.unknown',
        'source-account/cf-ServerlessDeployPipeline.yml',
        '/Resources/CodePipelineKMSKey/Properties/KeyPolicy/Statement/1/Action/5',
      ],
      [
        'policy.version.missing',
        'source-account/cf-ServerlessDeployPipeline.yml',
        '/Resources/CodePipelineS3BucketPolicy/Properties/PolicyDocument',
      ],
    ]);
  });

  it('the pipeline itself passes (the cross-account step happens inside CodeBuild)', () => {
    const p = analyzeModel(model).pipelines[0]!;
    expect(p.verdict).toBe('pass');
    const target = role(
      model,
      'arn:aws:iam::222222222222:role/cross-account-role-serverless-deployment',
    );
    expect(target.trustPolicy!.statements[0]!.principal?.aws).toEqual([
      'arn:aws:iam::111111111111:root',
    ]);
  });
});

describe.skipIf(!present)('corpus: adcreare-code-pipeline-cross-account', () => {
  const set = 'adcreare-code-pipeline-cross-account';
  const { model, problems } = load(set);

  it('loads without problems (the ImportValue between its stacks resolves)', () => {
    expect(tuples(set, problems)).toEqual([]);
    const project = model.accounts.get('011111122222')!.regions.get('us-east-1')!.codebuild!
      .projects;
    expect([...project.keys()]).toEqual(['code-build-xaccount']);
  });

  it('keeps the hard-coded execute role of another account and the two different key ARNs', () => {
    const region = model.accounts.get('011111122222')!.regions.get('us-east-1')!;
    const pipeline = [...region.pipelines.values()][0]!;
    const actions = pipeline.stages.flatMap((s) => s.actions);
    expect(actions.map((a) => a.roleArn).filter((x) => x !== undefined)).toContain(
      'arn:aws:iam::945437139977:role/CP-Cross-Account-Access',
    );
    expect(pipeline.artifactStores.get('us-east-1')!.encryptionKey!.id).toContain('606723cf-6e08');
    expect(region.codebuild!.projects.get('code-build-xaccount')!.encryptionKey).toContain(
      '606723ff-6e07',
    );
    // the role in an account the input does not hold: unknown, not denied
    const p = analyzeModel(model).pipelines[0]!;
    const assume = p.links.filter(
      (l) =>
        l.permission === 'sts:AssumeRole' &&
        l.resource === 'arn:aws:iam::945437139977:role/CP-Cross-Account-Access',
    );
    expect(assume.length).toBeGreaterThan(0);
    expect(assume.every((l) => l.decision === 'Unknown')).toBe(true);
  });
});

describe.skipIf(!present)('corpus: davidkelley-cross-account-codepipeline', () => {
  const set = 'davidkelley-cross-account-codepipeline';
  const { model, problems } = load(set);

  it('loads; the macro and the Custom::Format results are unknowns', () => {
    expect(tuples(set, problems)).toEqual([
      [
        'template.value.unresolved',
        'examples/simple.yml',
        '/Resources/Pipeline/Properties/Stages/2/Actions/1/Configuration/RoleArn/Fn::Transform',
      ],
      [
        'template.value.unresolved',
        'examples/simple.yml',
        '/Resources/Pipeline/Properties/Stages/2/Actions/1/RoleArn/Fn::Transform',
      ],
      [
        UNKNOWN_BASIC_EXECUTION,
        'template.yml',
        '/Resources/ArtifactACLModifierFunctionExecutionRole',
      ],
      // the bucket policy is read without its Allow of the Custom::Format principals: it has no
      // Version (2008-10-17 rules)
      [
        'policy.version.missing',
        'template.yml',
        '/Resources/ArtifactsPolicy/Properties/PolicyDocument',
      ],
      [
        'template.value.unresolved',
        'template.yml',
        '/Resources/ArtifactsPolicy/Properties/PolicyDocument/Statement/2/Principal/AWS/Fn::GetAtt',
      ],
      [
        'template.value.unresolved',
        'template.yml',
        '/Resources/CodePipelineExecutionSharedPolicy/Properties/PolicyDocument/Statement/1/Fn::If/1/Resource/Fn::GetAtt',
      ],
      [
        'template.value.unresolved',
        'template.yml',
        '/Resources/Key/Properties/KeyPolicy/Statement/2/Principal/AWS/Fn::GetAtt',
      ],
    ]);
  });

  it('the deployer pipeline role is trusted by every target account (reverse trust)', () => {
    const r = role(model, 'arn:aws:iam::111111111111:role/DeployerCodePipelineDeployerExecution');
    const aws = r.trustPolicy!.statements.flatMap((s) => s.principal?.aws ?? []);
    expect(aws).toContain('arn:aws:iam::222222222222:root');
  });

  it('the macro-made role ARN is an unknown that names its template line', () => {
    const region = model.accounts.get('111111111111')!.regions.get('us-east-1')!;
    const deploy = [...region.pipelines.values()][0]!.stages[2]!.actions[1]!;
    const u = model.unresolved!.get(deploy.roleArn!)!;
    expect(u.location).toMatchObject({ file: `${CORPUS}/${set}/examples/simple.yml`, line: 113 });
    expect(findRole(model, deploy.roleArn!).kind).toBe('missing');
  });
});

describe.skipIf(!present)('corpus: ecs-refarch-continuous-deployment', () => {
  const set = 'ecs-refarch-continuous-deployment';
  const { model, problems } = load(set);

  it('loads without problems; the GitHub token never reaches the model', () => {
    expect(tuples(set, problems)).toEqual([]);
    const p = [
      ...model.accounts.get('111111111111')!.regions.get('us-east-1')!.pipelines.values(),
    ][0]!;
    expect(p.stages[0]!.actions[0]!.configuration['OAuthToken']).toBe('****');
    expect(JSON.stringify(p.stages)).not.toContain('not-a-real-token');
  });
});

describe.skipIf(!present)('corpus: aws-cdk-integ-cross-account-cfn-action', () => {
  const set = 'aws-cdk-integ-cross-account-cfn-action';
  const { model, problems } = load(set);
  const stacks = `fixtures/stacks/${set}/stacks.yaml`;

  it('loads CDK output with its made-up account and region, accepted with warnings', () => {
    expect(tuples(set, problems)).toEqual([
      // a Custom::CDKBucketDeployment attribute
      [
        'template.value.unresolved',
        'CdkPipelineCfnActionStack.template.json',
        '/Resources/CrossAccountCloudformationPipeline18407FD7/Properties/Stages/0/Actions/0/Configuration/S3ObjectKey/Fn::Select/1/Fn::GetAtt',
      ],
      [
        'template.value.unresolved',
        'CdkPipelineCfnActionStack.template.json',
        '/Resources/CrossAccountCloudformationPipelineSourceCodePipelineActionRoleDefaultPolicyD03C8DC4/Properties/PolicyDocument/Statement/0/Resource/1/Fn::Join/1/2/Fn::Select/1/Fn::GetAtt',
      ],
      [
        UNKNOWN_BASIC_EXECUTION,
        'CdkPipelineCfnActionStack.template.json',
        '/Resources/CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092',
      ],
      ['stacks.region.unknown', stacks, '/stacks/0/region'],
      ['stacks.account.invalid', stacks, '/stacks/1/account'],
      ['stacks.region.unknown', stacks, '/stacks/1/region'],
    ]);
    expect([...model.accounts.keys()]).toEqual(['12345678', '234567890123']);
  });

  it('keeps the aws:PrincipalArn condition of the cross-account action role trust', () => {
    const roles = [...model.accounts.get('234567890123')!.iam!.roles.values()];
    const action = roles.find((r) => r.name.includes('deployactionrole'))!;
    const s = action.trustPolicy!.statements[0]!;
    expect(s.principal?.aws).toEqual(['arn:aws:iam::12345678:root']);
    expect(s.conditions.map((c) => [c.base, c.key])).toEqual([['ArnEquals', 'aws:PrincipalArn']]);
  });
});

describe.skipIf(!present)(
  'corpus: aws-cdk-integ-codebuild-service-role-override-cross-account',
  () => {
    const set = 'aws-cdk-integ-codebuild-service-role-override-cross-account';
    const { model, problems } = load(set);
    const stacks = `fixtures/stacks/${set}/stacks.yaml`;

    it('loads; only the made-up region is reported', () => {
      expect(tuples(set, problems)).toEqual([
        ['stacks.region.unknown', stacks, '/stacks/0/region'],
        ['stacks.region.unknown', stacks, '/stacks/1/region'],
      ]);
    });

    it('the project in the second account uses the AWS-managed alias/aws/s3 key', () => {
      const projects = model.accounts.get('222222222222')!.regions.get('test-region')!.codebuild!
        .projects;
      expect(projects.get('my-cross-account-full-clone-project')!.encryptionKey).toBe(
        'alias/aws/s3',
      );
    });

    // SOURCES.md: "likely deny": connections have no resource policy. But a codeconnections
    // connection can be shared with other accounts through AWS RAM
    // (https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-share.html), which no
    // input holds: without the share the clone is denied, with it allowed
    it('the full clone from another account depends on a RAM share of the connection: Unknown, naming it', () => {
      const p = analyzeModel(model).pipelines[0]!;
      const clone = p.links.filter(
        (l) =>
          l.requirement === 'codebuild-project.clone-use-connection' &&
          l.permission === 'codeconnections:UseConnection',
      );
      expect(clone).toHaveLength(1);
      expect(clone[0]!.principal.startsWith('arn:aws:iam::222222222222:role/')).toBe(true);
      expect(clone[0]!.decision).toBe('Unknown');
      expect(clone[0]!.missing).toEqual([
        `the AWS RAM share of \`${clone[0]!.resource}\` with the caller's account (a snapshot holds none)`,
      ]);
      expect(clone[0]!.resource.startsWith('arn:aws:codeconnections:')).toBe(true);
      expect(clone[0]!.resource.split(':')[4]).toBe('111111111111');
    });
  },
);
