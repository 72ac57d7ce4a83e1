/**
 * Hand-built reports for the reporter tests. `crossAccountReport` is a realistic cross-account
 * pipeline: tools account 111111111111 owns the pipeline, the artifact bucket and its KMS key;
 * production account 222222222222 holds the deploy role. It has allowed links, an explicit SCP
 * deny, an implicit deny by a key policy, unknown links, a recommended-level warning, and
 * locations of both kinds (template file + line, snapshot file + JSON pointer).
 */
import { computeVerdict } from '../../src/report/summarize.js';
import type { Report, ReportLink, ReportPipeline } from '../../src/report/types.js';

const TOOLS = '111111111111';
const PROD = '222222222222';
const REGION = 'us-east-1';
const PIPELINE_ROLE = `arn:aws:iam::${TOOLS}:role/app-release-pipeline`;
const BUILD_ROLE = `arn:aws:iam::${TOOLS}:role/app-release-build`;
const DEPLOY_ROLE = `arn:aws:iam::${PROD}:role/app-release-deploy`;
const CFN_ROLE = `arn:aws:iam::${PROD}:role/app-release-cfn-exec`;
const EVENTS_ROLE = `arn:aws:iam::${TOOLS}:role/app-release-trigger`;
const BUCKET = 'tools-artifacts-111111111111';
const KEY = `arn:aws:kms:${REGION}:${TOOLS}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const KEY_FILE = `snapshot/${TOOLS}/${REGION}/kms/1234abcd-12ab-34cd-56ef-1234567890ab.json`;
const TEMPLATE = 'infra/pipeline.yaml';
const DOC_XACCT =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html';
const DOC_CB_KMS = 'https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-kms.html';
const DOC_CB_ROLE =
  'https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html';
const DOC_CP_ROLE =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role';
const DOC_CFN =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html';
const DOC_TRIGGER =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/create-cloudtrail-S3-source-cfn.html';
const DOC_CSC =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html';

const appRelease: ReportPipeline = {
  name: 'app-release',
  account: TOOLS,
  region: REGION,
  arn: `arn:aws:codepipeline:${REGION}:${TOOLS}:app-release`,
  verdict: 'fail',
  location: { file: TEMPLATE, line: 12 },
  links: [
    {
      id: 'trigger.start-execution@pipeline',
      requirement: 'trigger.start-execution',
      level: 'required',
      principal: EVENTS_ROLE,
      permission: 'codepipeline:StartPipelineExecution',
      resource: `arn:aws:codepipeline:${REGION}:${TOOLS}:app-release`,
      decision: 'Allowed',
      deniedBy: [],
      allowedBy: [
        {
          policyType: 'identity',
          policy: `${EVENTS_ROLE} (StartPipeline)`,
          statement: 1,
          explicit: false,
          location: { file: TEMPLATE, line: 161 },
        },
      ],
      why: 'the trigger role allows StartPipelineExecution on the pipeline',
      doc: DOC_TRIGGER,
      declaredAt: { file: TEMPLATE, line: 150 },
    },
    {
      id: 'codestar.use-connection@Source/Checkout',
      requirement: 'codestar.use-connection',
      level: 'required',
      stage: 'Source',
      action: 'Checkout',
      principal: PIPELINE_ROLE,
      permission: 'codestar-connections:UseConnection',
      resource: `arn:aws:codestar-connections:${REGION}:${TOOLS}:connection/aaaa-bbbb`,
      decision: 'Allowed',
      deniedBy: [],
      allowedBy: [
        {
          policyType: 'identity',
          policy: `${PIPELINE_ROLE} (PipelinePolicy)`,
          statement: 'UseConnection',
          explicit: false,
          location: { file: TEMPLATE, line: 58 },
        },
      ],
      why: 'the pipeline role allows UseConnection on the connection',
      doc: DOC_CSC,
      declaredAt: { file: TEMPLATE, line: 24 },
    },
    {
      id: 'artifact-store.s3-put@Source/Checkout',
      requirement: 'artifact-store.s3-put',
      level: 'required',
      stage: 'Source',
      action: 'Checkout',
      principal: PIPELINE_ROLE,
      permission: 's3:PutObject',
      resource: `arn:aws:s3:::${BUCKET}/app-release/*`,
      decision: 'Allowed',
      deniedBy: [],
      allowedBy: [
        {
          policyType: 'identity',
          policy: `${PIPELINE_ROLE} (PipelinePolicy)`,
          statement: 'AllowS3ObjectAccess',
          explicit: false,
          location: { file: TEMPLATE, line: 64 },
        },
      ],
      why: 'the pipeline role allows PutObject on the artifact bucket and the bucket policy does not deny it',
      doc: DOC_CP_ROLE,
      declaredAt: { file: TEMPLATE, line: 24 },
    },
    {
      id: 'artifact-store.kms-encrypt@Source/Checkout',
      requirement: 'artifact-store.kms-encrypt',
      level: 'required',
      stage: 'Source',
      action: 'Checkout',
      principal: PIPELINE_ROLE,
      permission: 'kms:GenerateDataKey',
      resource: KEY,
      decision: 'Allowed',
      deniedBy: [],
      allowedBy: [
        {
          policyType: 'resource',
          policy: KEY,
          statement: 'AllowPipelineRole',
          explicit: false,
          location: { file: KEY_FILE, pointer: '/Policy/Statement/1' },
        },
      ],
      why: 'the key policy allows the pipeline role to generate data keys',
      doc: DOC_XACCT,
      declaredAt: { file: TEMPLATE, line: 24 },
    },
    {
      id: 'codebuild.kms-decrypt@Build/Build',
      requirement: 'codebuild.kms-decrypt',
      level: 'required',
      stage: 'Build',
      action: 'Build',
      principal: BUILD_ROLE,
      permission: 'kms:Decrypt',
      resource: KEY,
      decision: 'ImplicitlyDenied',
      deniedBy: [
        {
          policyType: 'resource',
          policy: KEY,
          explicit: false,
          location: { file: KEY_FILE, pointer: '/Policy' },
        },
      ],
      why: 'the key policy has no statement that allows the build role and does not delegate to IAM',
      fix: `add a key policy statement allowing \`${BUILD_ROLE}\` kms:Decrypt on the key`,
      doc: DOC_CB_KMS,
      blocks: ['Build', 'Deploy'],
      declaredAt: { file: TEMPLATE, line: 88 },
    },
    {
      id: 'codebuild.logs@Build/Build',
      requirement: 'codebuild.logs',
      level: 'recommended',
      stage: 'Build',
      action: 'Build',
      principal: BUILD_ROLE,
      permission: 'logs:CreateLogGroup',
      resource: `arn:aws:logs:${REGION}:${TOOLS}:log-group:/aws/codebuild/app-release-build`,
      decision: 'ImplicitlyDenied',
      deniedBy: [
        {
          policyType: 'identity',
          policy: `${BUILD_ROLE} (BuildPolicy)`,
          explicit: false,
          location: { file: TEMPLATE, line: 42 },
        },
      ],
      why: 'no identity policy of the build role allows logs:CreateLogGroup; the build runs without logs',
      fix: 'allow logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on the project log group',
      doc: DOC_CB_ROLE,
      declaredAt: { file: TEMPLATE, line: 88 },
    },
    {
      id: 'cross-account.assume-role@Deploy/DeployProd',
      requirement: 'cross-account.assume-role',
      level: 'required',
      stage: 'Deploy',
      action: 'DeployProd',
      principal: PIPELINE_ROLE,
      permission: 'sts:AssumeRole',
      resource: DEPLOY_ROLE,
      decision: 'Allowed',
      deniedBy: [],
      allowedBy: [
        {
          policyType: 'identity',
          policy: `${PIPELINE_ROLE} (PipelinePolicy)`,
          statement: 'AssumeDeployRoles',
          explicit: false,
          location: { file: TEMPLATE, line: 71 },
        },
        {
          policyType: 'resource',
          policy: `${DEPLOY_ROLE} (trust policy)`,
          statement: 1,
          explicit: false,
          location: {
            file: `snapshot/${PROD}/iam.json`,
            pointer: '/RoleDetailList/3/AssumeRolePolicyDocument/Statement/0',
          },
        },
      ],
      why: 'the pipeline role may assume the deploy role and the deploy role trusts the pipeline role',
      doc: DOC_XACCT,
      declaredAt: {
        file: `snapshot/${TOOLS}/${REGION}/codepipeline/app-release.json`,
        pointer: '/pipeline/stages/2/actions/0/roleArn',
      },
    },
    {
      id: 'cross-account.kms-decrypt@Deploy/DeployProd',
      requirement: 'cross-account.kms-decrypt',
      level: 'required',
      stage: 'Deploy',
      action: 'DeployProd',
      principal: DEPLOY_ROLE,
      permission: 'kms:Decrypt',
      resource: KEY,
      decision: 'ExplicitlyDenied',
      deniedBy: [
        {
          policyType: 'scp',
          policy: 'p-abc12345 (DenyKmsOutsideOrg)',
          statement: 'DenyCrossAccountKms',
          explicit: true,
          location: {
            file: 'snapshot/organization/scp/p-abc12345.json',
            pointer: '/Policy/Content/Statement/1',
          },
        },
      ],
      allowedBy: [
        {
          policyType: 'identity',
          policy: `${DEPLOY_ROLE} (DeployPolicy)`,
          statement: 'UseArtifactKey',
          explicit: false,
          location: {
            file: `snapshot/${PROD}/iam.json`,
            pointer: '/RoleDetailList/3/RolePolicyList/0',
          },
        },
      ],
      why: 'the SCP on the production OU denies kms:* on keys outside account 222222222222',
      fix: 'exempt the artifact key ARN in the SCP statement `DenyCrossAccountKms` (or use a key in the production account)',
      doc: DOC_XACCT,
      blocks: ['Deploy'],
      declaredAt: {
        file: `snapshot/${TOOLS}/${REGION}/codepipeline/app-release.json`,
        pointer: '/pipeline/stages/2/actions/0',
      },
    },
    {
      id: 'cross-account.s3-get@Deploy/DeployProd',
      requirement: 'cross-account.s3-get',
      level: 'required',
      stage: 'Deploy',
      action: 'DeployProd',
      principal: DEPLOY_ROLE,
      permission: 's3:GetObject',
      resource: `arn:aws:s3:::${BUCKET}/app-release/*`,
      decision: 'Unknown',
      deniedBy: [],
      why: 'cross-account access needs the bucket policy, which is not in the snapshot',
      missing: [`snapshot/${TOOLS}/s3/${BUCKET}.json`],
      doc: DOC_XACCT,
      blocks: ['Deploy'],
      declaredAt: {
        file: `snapshot/${TOOLS}/${REGION}/codepipeline/app-release.json`,
        pointer: '/pipeline/stages/2/actions/0',
      },
    },
    {
      id: 'cloudformation.pass-role@Deploy/DeployProd',
      requirement: 'cloudformation.pass-role',
      level: 'required',
      stage: 'Deploy',
      action: 'DeployProd',
      principal: DEPLOY_ROLE,
      permission: 'iam:PassRole',
      resource: CFN_ROLE,
      decision: 'Allowed',
      deniedBy: [],
      allowedBy: [
        {
          policyType: 'identity',
          policy: `${DEPLOY_ROLE} (DeployPolicy)`,
          statement: 'PassExecRole',
          explicit: false,
          location: {
            file: `snapshot/${PROD}/iam.json`,
            pointer: '/RoleDetailList/3/RolePolicyList/0',
          },
        },
      ],
      why: 'the deploy role may pass the execution role to cloudformation.amazonaws.com',
      doc: DOC_CFN,
      declaredAt: {
        file: `snapshot/${TOOLS}/${REGION}/codepipeline/app-release.json`,
        pointer: '/pipeline/stages/2/actions/0/configuration/RoleArn',
      },
    },
  ],
};

const docsSite: ReportPipeline = {
  name: 'docs-site',
  account: TOOLS,
  region: REGION,
  arn: `arn:aws:codepipeline:${REGION}:${TOOLS}:docs-site`,
  verdict: 'pass',
  location: {
    file: `snapshot/${TOOLS}/${REGION}/codepipeline/docs-site.json`,
    pointer: '/pipeline',
  },
  links: [
    {
      id: 'artifact-store.s3-put@Source/Fetch',
      requirement: 'artifact-store.s3-put',
      level: 'required',
      stage: 'Source',
      action: 'Fetch',
      principal: `arn:aws:iam::${TOOLS}:role/docs-site-pipeline`,
      permission: 's3:PutObject',
      resource: `arn:aws:s3:::${BUCKET}/docs-site/*`,
      decision: 'Allowed',
      deniedBy: [],
      why: 'the pipeline role allows PutObject on the artifact bucket',
      doc: DOC_CP_ROLE,
    },
    {
      id: 's3-deploy.put-object@Deploy/Publish',
      requirement: 's3-deploy.put-object',
      level: 'required',
      stage: 'Deploy',
      action: 'Publish',
      principal: `arn:aws:iam::${TOOLS}:role/docs-site-pipeline`,
      permission: 's3:PutObject',
      resource: 'arn:aws:s3:::docs.example.com/*',
      decision: 'Allowed',
      deniedBy: [],
      why: 'the pipeline role allows PutObject on the website bucket',
      doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html',
    },
  ],
};

const nightly: ReportPipeline = {
  name: 'nightly-scan',
  account: '333333333333',
  region: 'eu-west-1',
  arn: 'arn:aws:codepipeline:eu-west-1:333333333333:nightly-scan',
  verdict: 'unknown',
  links: [
    {
      id: 'codebuild.start-build@Scan/Scan',
      requirement: 'codebuild.start-build',
      level: 'required',
      stage: 'Scan',
      action: 'Scan',
      principal: 'arn:aws:iam::333333333333:role/nightly-pipeline',
      permission: 'codebuild:StartBuild',
      resource: 'arn:aws:codebuild:eu-west-1:333333333333:project/nightly-scan',
      decision: 'Unknown',
      deniedBy: [],
      why: 'the pipeline role is not in the snapshot',
      missing: ['snapshot/333333333333/iam.json'],
      doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html',
      declaredAt: {
        file: 'snapshot/333333333333/eu-west-1/codepipeline/nightly-scan.json',
        pointer: '/pipeline/stages/0/actions/0',
      },
    },
  ],
};

export function crossAccountReport(): Report {
  return {
    pipelines: [appRelease, docsSite, nightly],
    problems: [
      {
        file: `snapshot/${PROD}/iam.json`,
        pointer: '/Policies/7',
        message:
          'attached managed policy `arn:aws:iam::aws:policy/PowerUserAccess` is not in the snapshot',
        id: 'snapshot.managed-policy.missing',
        severity: 'warning',
      },
      {
        file: `snapshot/${TOOLS}/${REGION}/kms/aliases.json`,
        pointer: '',
        message: 'file is not valid json: unexpected end of input',
        id: 'snapshot.json.invalid',
        severity: 'error',
      },
    ],
  };
}

/** Every string a reporter writes, made hostile: markup, quotes, control characters, newlines. */
export const HOSTILE = 'a<b>&c"d\'e]]>f\u0001g\u001bh\r\ni%j:k,l|m`n#o\\p*q_r[s](t)\u2028u\ud800v';

export function hostileReport(): Report {
  const h = HOSTILE;
  const link: ReportLink = {
    id: `hostile.${h}@St ${h}/Act ${h}`,
    requirement: `hostile.${h}`,
    level: 'required',
    stage: `St ${h}`,
    action: `Act ${h}`,
    principal: `arn:aws:iam::111111111111:role/${h}`,
    permission: `s3:${h}`,
    resource: `arn:aws:s3:::${h}/*`,
    decision: 'ExplicitlyDenied',
    deniedBy: [
      {
        policyType: 'resource',
        policy: `pol ${h}`,
        statement: `sid ${h}`,
        explicit: true,
        location: { file: `dir ${h}/file.json`, pointer: `/Statement/${h}` },
      },
    ],
    why: `why ${h}`,
    fix: `fix ${h}`,
    doc: `https://example.com/doc?a=1&b=<x>"y'z &c=${h}`,
    declaredAt: { file: `tpl ${h}.yaml`, line: 3, column: 7 },
  };
  const unknown: ReportLink = {
    ...link,
    id: `hostile-unknown@St ${h}/Act ${h}`,
    decision: 'Unknown',
    deniedBy: [],
    missing: [`missing ${h}.json`],
  };
  return {
    pipelines: [
      {
        name: `pipe ${h}`,
        account: '111111111111',
        region: 'us-east-1',
        arn: `arn:aws:codepipeline:us-east-1:111111111111:${h}`,
        verdict: 'fail',
        links: [link, unknown],
      },
    ],
    problems: [
      { file: `f ${h}`, pointer: `/p/${h}`, message: `m ${h}`, id: 'x.y', severity: 'error' },
    ],
  };
}

/** A large report: `pipelines` pipelines with `linksPerPipeline` denied links each. */
export function largeReport(pipelines: number, linksPerPipeline: number): Report {
  const out: ReportPipeline[] = [];
  for (let p = 0; p < pipelines; p++) {
    const name = `pipeline-${String(p).padStart(3, '0')}`;
    const links: ReportLink[] = [];
    for (let i = 0; i < linksPerPipeline; i++) {
      const stage = `Stage${i % 5}`;
      links.push({
        id: `artifact-store.kms-decrypt@${stage}/Action${i}`,
        requirement: `artifact-store.kms-decrypt-${i % 7}`,
        level: i % 10 === 0 ? 'recommended' : 'required',
        stage,
        action: `Action${i}`,
        principal: `arn:aws:iam::111111111111:role/${name}-role-${i}`,
        permission: 'kms:Decrypt',
        resource: `arn:aws:kms:us-east-1:111111111111:key/${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`,
        decision: i % 3 === 0 ? 'Unknown' : 'ImplicitlyDenied',
        deniedBy:
          i % 3 === 0
            ? []
            : [
                {
                  policyType: 'resource',
                  policy: `key-${i}`,
                  explicit: false,
                  location: { file: 'kms.json', pointer: `/Policy/${i}` },
                },
              ],
        why: 'the key policy does not allow the role and does not delegate to IAM policies in its account',
        fix: 'add a key policy statement that allows the role kms:Decrypt, or delegate to IAM',
        ...(i % 3 === 0 ? { missing: [`snapshot/111111111111/us-east-1/kms/key-${i}.json`] } : {}),
        declaredAt: { file: 'infra/pipeline.yaml', line: 10 + i },
      });
    }
    out.push({
      name,
      account: '111111111111',
      region: 'us-east-1',
      arn: `arn:aws:codepipeline:us-east-1:111111111111:${name}`,
      verdict: 'fail',
      links,
    });
  }
  return { pipelines: out, problems: [] };
}

/** the report of an input without pipelines: no pipeline, the warning that says so */
export const noPipelines: Report = {
  pipelines: [],
  problems: [
    {
      file: 'snapshot',
      pointer: '',
      message: 'no pipelines found: nothing was analyzed',
      id: 'input.no-pipelines',
      severity: 'warning',
    },
  ],
};

/** the report without its error-severity problems (which would fail the run on their own) */
export const withoutErrors = (r: Report): Report => ({
  ...r,
  problems: r.problems.filter((p) => p.severity !== 'error'),
});
/** the report with each link mapped by `f`, each pipeline's verdict recomputed from its links */
export function mapLinks(r: Report, f: (l: ReportLink) => ReportLink): Report {
  return {
    ...r,
    pipelines: r.pipelines.map((p) => {
      const links = p.links.map(f);
      return { ...p, links, verdict: computeVerdict(links) };
    }),
  };
}
/** the link allowed, with no denying policy */
export const allow = (l: ReportLink): ReportLink => ({ ...l, decision: 'Allowed', deniedBy: [] });

/**
 * crossAccountReport without errors in which only the unknown links are not allowed: the
 * pipelines' verdicts are unknown or pass
 */
export const onlyUnknown = mapLinks(withoutErrors(crossAccountReport()), (l) =>
  l.decision === 'Unknown' ? l : allow(l),
);
