/**
 * A seeded generator of evaluator requests for the differential test against
 * @cloud-copilot/iam-simulate and for the benchmark.
 *
 * Every case is reproducible from (seed, index) alone: each case gets its own PRNG, so a
 * disagreement can be regenerated without replaying the cases before it.
 *
 * The pools mix exact values with "near misses" (a different case, a sibling action, another
 * account, a neighbouring CIDR) so that every statement element matches about half the time and
 * all three decisions occur often.
 *
 * This file has no runtime imports (types only): bench/run.js transpiles it on the fly.
 */
import type { EvaluationRequest, RawContextValue } from '../../src/evaluate/types.js';

/** mulberry32: a tiny, fast 32-bit PRNG; good enough to spread test inputs, not for crypto. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform choice among `items` (never empty), drawn with `r`. */
export function picker(r: () => number): <T>(items: readonly T[]) => T {
  return (items) => items[Math.floor(r() * items.length)]!;
}

/** murmur3's 32-bit finalizer: spreads every input bit over the output */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mix a seed and an index into one 32-bit seed (so cases are independent of each other). */
function mixSeed(seed: number, index: number): number {
  return fmix32((fmix32(seed) + Math.imul(index + 1, 0x9e3779b9)) >>> 0);
}

export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';
/** an account nobody in the cases belongs to: a near miss for account principals */
export const ACCOUNT_C = '777788889999';
export const REGION = 'us-east-1';
export const ORG_ID = 'o-a1b2c3d4e5';

export type PrincipalKind = 'role' | 'session' | 'user' | 'root' | 'service' | 'serviceLinkedRole';

export interface GeneratedPrincipal {
  readonly kind: PrincipalKind;
  /** the request's principal string */
  readonly arn: string;
  readonly account: string | undefined;
  readonly roleArn?: string;
  readonly sessionArn?: string;
  readonly userArn?: string;
  readonly userName?: string;
  readonly service?: string;
}

export interface GeneratedCase {
  /** `<seed>:<index>`: regenerate with generateCase(seed, index) */
  readonly id: string;
  readonly seed: number;
  readonly index: number;
  readonly principal: GeneratedPrincipal;
  /** which target template the request uses (s3-object, kms-key, trust, ...) */
  readonly target: string;
  readonly request: EvaluationRequest;
}

type Rng = () => number;

interface Gen {
  readonly r: Rng;
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [number, T])[]): T;
  some<T>(items: readonly T[], min: number, max: number): T[];
}

function gen(r: Rng): Gen {
  const g: Gen = {
    r,
    int: (n) => Math.floor(r() * n),
    chance: (p) => r() < p,
    pick: picker(r),
    weighted: (items) => {
      let total = 0;
      for (const [w] of items) total += w;
      let x = r() * total;
      for (const [w, v] of items) {
        x -= w;
        if (x < 0) return v;
      }
      return items[items.length - 1]![1];
    },
    some: (items, min, max) => {
      const n = min + Math.floor(r() * (max - min + 1));
      const out: (typeof items)[number][] = [];
      for (let i = 0; i < n; i++) out.push(items[Math.floor(r() * items.length)]!);
      return [...new Set(out)];
    },
  };
  return g;
}

/** Randomly change the case of some letters (action names and condition keys are case-insensitive). */
function mangleCase(g: Gen, text: string): string {
  let out = '';
  for (const ch of text)
    out += g.chance(0.3) ? (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) : ch;
  return out;
}

// ---------------------------------------------------------------------------------------------
// principals

function role(account: string, path: string, name: string): GeneratedPrincipal {
  const arn = `arn:aws:iam::${account}:role/${path}${name}`;
  return { kind: 'role', arn, account, roleArn: arn };
}

function session(
  account: string,
  path: string,
  name: string,
  sessionName: string,
): GeneratedPrincipal {
  const roleArn = `arn:aws:iam::${account}:role/${path}${name}`;
  // a session ARN never carries the role's path: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
  const sessionArn = `arn:aws:sts::${account}:assumed-role/${name}/${sessionName}`;
  return { kind: 'session', arn: sessionArn, account, roleArn, sessionArn };
}

function user(account: string, name: string): GeneratedPrincipal {
  const arn = `arn:aws:iam::${account}:user/${name}`;
  return { kind: 'user', arn, account, userArn: arn, userName: name };
}

/** a service principal: it has no account */
function service(name: string): GeneratedPrincipal {
  return { kind: 'service', arn: name, account: undefined, service: name };
}

const PRINCIPALS_SAME: readonly (readonly [number, GeneratedPrincipal])[] = [
  [10, role(ACCOUNT_A, 'pipeline/', 'BuildRole')],
  [8, role(ACCOUNT_A, '', 'DeployRole')],
  [12, session(ACCOUNT_A, 'pipeline/', 'BuildRole', 's-1')],
  [8, session(ACCOUNT_A, '', 'DeployRole', 'codepipeline-session')],
  [10, user(ACCOUNT_A, 'alice')],
  [4, { kind: 'root', arn: `arn:aws:iam::${ACCOUNT_A}:root`, account: ACCOUNT_A }],
  [7, service('codepipeline.amazonaws.com')],
  [5, service('codebuild.amazonaws.com')],
  [
    2,
    {
      kind: 'serviceLinkedRole',
      arn: `arn:aws:iam::${ACCOUNT_A}:role/aws-service-role/codebuild.amazonaws.com/AWSServiceRoleForCodeBuild`,
      account: ACCOUNT_A,
      roleArn: `arn:aws:iam::${ACCOUNT_A}:role/aws-service-role/codebuild.amazonaws.com/AWSServiceRoleForCodeBuild`,
    },
  ],
];

const PRINCIPALS_CROSS: readonly (readonly [number, GeneratedPrincipal])[] = [
  [8, role(ACCOUNT_B, '', 'CrossAccountRole')],
  [10, session(ACCOUNT_B, '', 'CrossAccountRole', 'pipeline')],
  [5, user(ACCOUNT_B, 'bob')],
  [2, { kind: 'root', arn: `arn:aws:iam::${ACCOUNT_B}:root`, account: ACCOUNT_B }],
];

/** every principal ARN a policy may name, with the near misses */
function principalNames(p: GeneratedPrincipal): string[] {
  const out: string[] = [];
  if (p.roleArn) out.push(p.roleArn);
  if (p.sessionArn) out.push(p.sessionArn);
  if (p.userArn) out.push(p.userArn);
  if (p.account) out.push(`arn:aws:iam::${p.account}:root`, p.account);
  return out;
}

const OTHER_PRINCIPAL_NAMES = [
  `arn:aws:iam::${ACCOUNT_A}:role/pipeline/BuildRole`,
  `arn:aws:iam::${ACCOUNT_A}:role/BuildRole`,
  `arn:aws:iam::${ACCOUNT_A}:role/DeployRole`,
  `arn:aws:sts::${ACCOUNT_A}:assumed-role/BuildRole/s-1`,
  `arn:aws:sts::${ACCOUNT_A}:assumed-role/DeployRole/other-session`,
  `arn:aws:iam::${ACCOUNT_A}:user/alice`,
  `arn:aws:iam::${ACCOUNT_A}:user/Alice`,
  `arn:aws:iam::${ACCOUNT_A}:root`,
  `arn:aws:iam::${ACCOUNT_B}:root`,
  `arn:aws:iam::${ACCOUNT_B}:role/CrossAccountRole`,
  `arn:aws:sts::${ACCOUNT_B}:assumed-role/CrossAccountRole/pipeline`,
  `arn:aws:iam::${ACCOUNT_B}:user/bob`,
  `arn:aws:iam::${ACCOUNT_C}:root`,
  ACCOUNT_A,
  ACCOUNT_B,
  ACCOUNT_C,
];

const SERVICE_PRINCIPALS = [
  'codepipeline.amazonaws.com',
  'codebuild.amazonaws.com',
  'cloudformation.amazonaws.com',
];

// ---------------------------------------------------------------------------------------------
// targets: an action, a resource, and the pools policies draw on for them

interface Target {
  readonly name: string;
  readonly service: string;
  readonly actions: readonly string[];
  /** near-miss actions in the same service */
  readonly siblings: readonly string[];
  /** action wildcards that match the actions */
  readonly actionWildcards: readonly string[];
  /** the request's resource ARN in the owner's account (object keys vary per case) */
  readonly resource: (owner: string, g?: Gen) => string;
  /** resource patterns that match, and near misses that don't */
  readonly resourcePatterns: (owner: string) => readonly string[];
  /** 'none' | 'optional' | 'required' (KMS key policies and role trust policies) */
  readonly resourcePolicy: 'none' | 'optional' | 'required';
  readonly wildcardOnly?: boolean;
  /** request context keys the action supports, with value pools */
  readonly serviceKeys?: Readonly<Record<string, readonly string[]>>;
  /** the actions that send serviceKeys (default: all of the target's actions) */
  readonly serviceKeyActions?: readonly string[];
  /** owner is always the principal's account (PassRole: roles can't be passed cross-account) */
  readonly sameAccountOnly?: boolean;
}

const OBJECT_KEYS = [
  'pipe/obj.zip',
  'alice/out.zip',
  'BuildRole/art.zip',
  'pipeline/x/y.zip',
  'pipe/obj.zi?',
];

const TARGETS: readonly (readonly [number, Target])[] = [
  [
    14,
    {
      name: 's3-object',
      service: 's3',
      actions: ['s3:GetObject', 's3:PutObject'],
      siblings: ['s3:GetObjectAcl', 's3:GetObjectVersion', 's3:PutObjectAcl', 's3:ListBucket'],
      actionWildcards: ['s3:*', 's3:Get*', 's3:Put*', 's3:*Object', 's3:?etObject', 's3:G*t*'],
      resource: (o, g) => `arn:aws:s3:::art-${o}/${g ? g.pick(OBJECT_KEYS) : OBJECT_KEYS[0]!}`,
      resourcePatterns: (o) => [
        `arn:aws:s3:::art-${o}/*`,
        `arn:aws:s3:::art-${o}/pipe/*`,
        `arn:aws:s3:::art-${o}/alice/*`,
        `arn:aws:s3:::art-*/*`,
        `arn:aws:s3:::art-${o}`,
        `arn:aws:s3:::ART-${o}/*`,
        `arn:aws:s3:::art-${o}/*/*.zip`,
        `arn:aws:s3:::art-${o}/??????/*`,
        `arn:aws:s3:::art-${o}/\${aws:username}/*`,
        `arn:aws:s3:::art-${o}/\${aws:PrincipalTag/team}/*`,
        `arn:aws:s3:::art-${o}/\${aws:PrincipalTag/team, 'pipe'}/*`,
        `arn:aws:s3:::art-${o}/pipe\${*}`,
        `arn:aws:s3:::art-${o}/pipe/obj.zi\${?}`,
        `arn:aws:s3:::*`,
        `arn:aws:s3:::other-bucket/*`,
      ],
      resourcePolicy: 'optional',
      serviceKeys: { 's3:x-amz-server-side-encryption': ['aws:kms', 'AES256'] },
      serviceKeyActions: ['s3:PutObject'],
    },
  ],
  [
    5,
    {
      name: 's3-bucket',
      service: 's3',
      actions: ['s3:ListBucket'],
      siblings: ['s3:ListBucketVersions', 's3:GetBucketLocation', 's3:GetObject'],
      actionWildcards: ['s3:*', 's3:List*', 's3:*Bucket', 's3:L?stBucket'],
      resource: (o) => `arn:aws:s3:::art-${o}`,
      resourcePatterns: (o) => [
        `arn:aws:s3:::art-${o}`,
        `arn:aws:s3:::art-${o}/*`,
        `arn:aws:s3:::art-*`,
        `arn:aws:s3:::*`,
        `arn:aws:s3:::Art-${o}`,
      ],
      resourcePolicy: 'optional',
      serviceKeys: { 's3:prefix': ['pipe/', 'alice/', ''] },
    },
  ],
  [
    12,
    {
      name: 'kms-key',
      service: 'kms',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      siblings: ['kms:Encrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyPair'],
      actionWildcards: ['kms:*', 'kms:GenerateDataKey*', 'kms:De*', 'kms:*crypt', 'kms:Gen*'],
      resource: (o) => `arn:aws:kms:${REGION}:${o}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      resourcePatterns: (o) => [
        `arn:aws:kms:${REGION}:${o}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        `arn:aws:kms:${REGION}:${o}:key/*`,
        `arn:aws:kms:*:${o}:key/*`,
        `arn:aws:kms:${REGION}:*:key/*`,
        `arn:aws:kms:eu-west-1:${o}:key/*`,
        `arn:aws:kms:${REGION}:${o}:alias/*`,
        `arn:aws:kms:${REGION}:${o}:key/1234ABCD-12ab-34cd-56ef-1234567890ab`,
      ],
      resourcePolicy: 'required',
      serviceKeys: {
        'kms:ViaService': [`s3.${REGION}.amazonaws.com`, `secretsmanager.${REGION}.amazonaws.com`],
        'kms:CallerAccount': [ACCOUNT_A, ACCOUNT_B],
      },
    },
  ],
  [
    12,
    {
      name: 'trust',
      service: 'sts',
      actions: ['sts:AssumeRole'],
      siblings: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
      actionWildcards: ['sts:*', 'sts:Assume*', 'sts:AssumeRol?'],
      resource: (o) => `arn:aws:iam::${o}:role/TargetRole`,
      resourcePatterns: (o) => [
        `arn:aws:iam::${o}:role/TargetRole`,
        `arn:aws:iam::${o}:role/*`,
        `arn:aws:iam::*:role/TargetRole`,
        `arn:aws:iam::${o}:role/targetrole`,
        `arn:aws:iam::${ACCOUNT_C}:role/*`,
      ],
      resourcePolicy: 'required',
    },
  ],
  [
    6,
    {
      name: 'passrole',
      service: 'iam',
      actions: ['iam:PassRole'],
      siblings: ['iam:GetRole', 'iam:PassRoles'],
      actionWildcards: ['iam:*', 'iam:Pass*', 'iam:*Role'],
      resource: (o) => `arn:aws:iam::${o}:role/CfnExecRole`,
      resourcePatterns: (o) => [
        `arn:aws:iam::${o}:role/CfnExecRole`,
        `arn:aws:iam::${o}:role/*`,
        `arn:aws:iam::${o}:role/Cfn*`,
        `arn:aws:iam::*:role/CfnExecRole`,
        `arn:aws:iam::${o}:role/cfnexecrole`,
      ],
      resourcePolicy: 'none',
      sameAccountOnly: true,
      serviceKeys: {
        'iam:PassedToService': [
          'cloudformation.amazonaws.com',
          'ecs-tasks.amazonaws.com',
          'codebuild.amazonaws.com',
        ],
      },
    },
  ],
  [
    5,
    {
      name: 'codebuild',
      service: 'codebuild',
      actions: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'],
      siblings: ['codebuild:StopBuild', 'codebuild:StartBuildBatch'],
      actionWildcards: ['codebuild:*', 'codebuild:Start*', 'codebuild:*Build*'],
      resource: (o) => `arn:aws:codebuild:${REGION}:${o}:project/Build`,
      resourcePatterns: (o) => [
        `arn:aws:codebuild:${REGION}:${o}:project/Build`,
        `arn:aws:codebuild:*:${o}:project/*`,
        `arn:aws:codebuild:${REGION}:${o}:project/build`,
        `arn:aws:codebuild:${REGION}:${o}:*`,
      ],
      resourcePolicy: 'none',
    },
  ],
  [
    5,
    {
      name: 'lambda',
      service: 'lambda',
      actions: ['lambda:InvokeFunction'],
      siblings: ['lambda:InvokeAsync', 'lambda:GetFunction'],
      actionWildcards: ['lambda:*', 'lambda:Invoke*', 'LAMBDA:invokefunction'],
      resource: (o) => `arn:aws:lambda:${REGION}:${o}:function:Deployer`,
      resourcePatterns: (o) => [
        `arn:aws:lambda:${REGION}:${o}:function:Deployer`,
        `arn:aws:lambda:${REGION}:${o}:function:*`,
        `arn:aws:lambda:${REGION}:${o}:function:Deployer:*`,
        `arn:aws:lambda:${REGION}:${o}:*`,
        `arn:aws:lambda:*:*:function:Dep*`,
        `arn:aws:lambda:${REGION}:${o}:function:deployer`,
      ],
      resourcePolicy: 'optional',
    },
  ],
  [
    4,
    {
      name: 'sns',
      service: 'sns',
      actions: ['sns:Publish'],
      siblings: ['sns:Subscribe', 'sns:PublishBatch'],
      actionWildcards: ['sns:*', 'sns:Pub*', 'sns:P?blish'],
      resource: (o) => `arn:aws:sns:${REGION}:${o}:Approvals`,
      resourcePatterns: (o) => [
        `arn:aws:sns:${REGION}:${o}:Approvals`,
        `arn:aws:sns:${REGION}:${o}:*`,
        `arn:aws:sns:*:*:Appr*`,
        `arn:aws:sns:${REGION}:${o}:approvals`,
      ],
      resourcePolicy: 'optional',
    },
  ],
  [
    4,
    {
      name: 'secret',
      service: 'secretsmanager',
      actions: ['secretsmanager:GetSecretValue'],
      siblings: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
      actionWildcards: ['secretsmanager:*', 'secretsmanager:Get*', 'secretsmanager:*SecretValue'],
      resource: (o) => `arn:aws:secretsmanager:${REGION}:${o}:secret:db-AbCdEf`,
      resourcePatterns: (o) => [
        `arn:aws:secretsmanager:${REGION}:${o}:secret:db-AbCdEf`,
        `arn:aws:secretsmanager:${REGION}:${o}:secret:db-*`,
        `arn:aws:secretsmanager:${REGION}:${o}:secret:db-??????`,
        `arn:aws:secretsmanager:${REGION}:${o}:secret:DB-*`,
      ],
      resourcePolicy: 'optional',
    },
  ],
  [
    4,
    {
      name: 'ecr',
      service: 'ecr',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      siblings: ['ecr:PutImage', 'ecr:BatchCheckLayerAvailability'],
      actionWildcards: ['ecr:*', 'ecr:BatchGet*', 'ecr:Get*'],
      resource: (o) => `arn:aws:ecr:${REGION}:${o}:repository/app`,
      resourcePatterns: (o) => [
        `arn:aws:ecr:${REGION}:${o}:repository/app`,
        `arn:aws:ecr:${REGION}:${o}:repository/*`,
        `arn:aws:ecr:*:${o}:repository/a*`,
        `arn:aws:ecr:${REGION}:${o}:repository/App`,
      ],
      resourcePolicy: 'optional',
    },
  ],
  [
    4,
    {
      name: 'codepipeline',
      service: 'codepipeline',
      actions: ['codepipeline:StartPipelineExecution', 'codepipeline:GetPipeline'],
      siblings: ['codepipeline:StopPipelineExecution', 'codepipeline:UpdatePipeline'],
      actionWildcards: ['codepipeline:*', 'codepipeline:Start*', 'codepipeline:*Pipeline*'],
      resource: (o) => `arn:aws:codepipeline:${REGION}:${o}:Pipe`,
      resourcePatterns: (o) => [
        `arn:aws:codepipeline:${REGION}:${o}:Pipe`,
        `arn:aws:codepipeline:${REGION}:${o}:*`,
        `arn:aws:codepipeline:*:${o}:P*`,
        `arn:aws:codepipeline:${REGION}:${o}:pipe`,
      ],
      resourcePolicy: 'none',
    },
  ],
  [
    3,
    {
      name: 'wildcard-only',
      service: 'codepipeline',
      actions: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'],
      siblings: ['codepipeline:PollForJobs', 'codepipeline:AcknowledgeJob'],
      actionWildcards: ['codepipeline:*', 'codepipeline:PutJob*', 'codepipeline:*Result'],
      resource: () => '*',
      resourcePatterns: (o) => ['*', `arn:aws:codepipeline:${REGION}:${o}:*`],
      resourcePolicy: 'none',
      wildcardOnly: true,
    },
  ],
];

// ---------------------------------------------------------------------------------------------
// condition keys

type Family = 'string' | 'arn' | 'numeric' | 'date' | 'bool' | 'ip' | 'binary';

interface KeySpec {
  readonly key: string;
  readonly family: Family;
  /** values for the request */
  readonly requestValues: readonly string[];
  /** values for policies (overlapping the request values, plus near misses and patterns) */
  readonly policyValues: readonly string[];
  readonly multi?: boolean;
  /** filled in by the evaluator from the principal; the generator only sometimes sets it */
  readonly implied?: boolean;
  /** only for these target names */
  readonly targets?: readonly string[];
}

const ARNS_FOR_KEYS = [
  `arn:aws:iam::${ACCOUNT_A}:role/pipeline/BuildRole`,
  `arn:aws:iam::${ACCOUNT_A}:role/DeployRole`,
  `arn:aws:iam::${ACCOUNT_B}:role/CrossAccountRole`,
  `arn:aws:iam::${ACCOUNT_A}:user/alice`,
];

const KEYS: readonly KeySpec[] = [
  {
    key: 'aws:PrincipalTag/team',
    family: 'string',
    requestValues: ['pipeline', 'Pipeline', 'ops', 'pipe'],
    policyValues: [
      'pipeline',
      'PIPELINE',
      'ops',
      'pipe*',
      'p?pe',
      'dev',
      '${aws:PrincipalTag/dept}',
      "${aws:PrincipalTag/dept, 'ops'}",
      'pipe${*}',
    ],
  },
  {
    key: 'aws:PrincipalTag/dept',
    family: 'string',
    requestValues: ['ops', 'pipeline'],
    policyValues: ['ops', 'pipeline', 'o*'],
  },
  {
    key: 'aws:PrincipalOrgID',
    family: 'string',
    requestValues: [ORG_ID, 'o-zzzzzzzzzz'],
    policyValues: [ORG_ID, 'o-zzzzzzzzzz', 'o-*', 'O-A1B2C3D4E5'],
  },
  {
    key: 'aws:SourceVpce',
    family: 'string',
    requestValues: ['vpce-0a1b2c3d', 'vpce-99999999'],
    policyValues: ['vpce-0a1b2c3d', 'vpce-1111', 'vpce-*'],
  },
  {
    key: 'aws:RequestedRegion',
    family: 'string',
    requestValues: ['us-east-1', 'eu-west-1'],
    policyValues: ['us-east-1', 'eu-*', 'US-EAST-1', 'us-?ast-1'],
  },
  {
    key: 'aws:PrincipalAccount',
    family: 'string',
    implied: true,
    requestValues: [],
    policyValues: [ACCOUNT_A, ACCOUNT_B, '${aws:ResourceAccount}', '1111*'],
  },
  {
    key: 'aws:ResourceAccount',
    family: 'string',
    implied: true,
    requestValues: [],
    policyValues: [ACCOUNT_A, ACCOUNT_B, '${aws:PrincipalAccount}'],
  },
  {
    key: 'aws:username',
    family: 'string',
    implied: true,
    requestValues: [],
    policyValues: ['alice', 'Alice', 'bob', 'a*'],
  },
  {
    key: 'aws:PrincipalType',
    family: 'string',
    implied: true,
    requestValues: [],
    policyValues: ['AssumedRole', 'User', 'Account', 'assumedrole'],
  },
  {
    key: 'aws:SourceAccount',
    family: 'string',
    requestValues: [ACCOUNT_A, ACCOUNT_B],
    policyValues: [
      ACCOUNT_A,
      ACCOUNT_B,
      '${aws:PrincipalAccount}',
      "${aws:ResourceAccount, '000000000000'}",
    ],
  },
  {
    key: 'aws:PrincipalArn',
    family: 'arn',
    implied: true,
    requestValues: [],
    policyValues: [
      ...ARNS_FOR_KEYS,
      `arn:aws:iam::${ACCOUNT_A}:role/*`,
      `arn:aws:iam::*:role/pipeline/*`,
      `arn:aws:iam::${ACCOUNT_A}:*`,
      `arn:aws:iam::\${aws:PrincipalAccount}:role/*`,
      `arn:aws:iam::${ACCOUNT_A}:user/\${aws:username}`,
    ],
  },
  {
    key: 'aws:SourceArn',
    family: 'arn',
    requestValues: [
      `arn:aws:codebuild:${REGION}:${ACCOUNT_A}:project/Build`,
      `arn:aws:codepipeline:${REGION}:${ACCOUNT_A}:Pipe`,
      `arn:aws:codebuild:${REGION}:${ACCOUNT_B}:project/Build`,
    ],
    policyValues: [
      `arn:aws:codebuild:${REGION}:${ACCOUNT_A}:project/Build`,
      `arn:aws:codebuild:*:${ACCOUNT_A}:project/*`,
      `arn:aws:codepipeline:${REGION}:${ACCOUNT_A}:*`,
      `arn:aws:codebuild:${REGION}:\${aws:PrincipalAccount}:project/*`,
      `arn:aws:codebuild:${REGION}:${ACCOUNT_A}:project/build`,
      `arn:aws:*:*:${ACCOUNT_A}:*`,
    ],
  },
  {
    key: 'aws:MultiFactorAuthAge',
    family: 'numeric',
    requestValues: ['0', '300', '3600', '86400'],
    policyValues: ['300', '3600', '3600.5', '0', '86400'],
  },
  {
    key: 'aws:CurrentTime',
    family: 'date',
    requestValues: ['2024-06-01T00:00:00Z', '2025-06-01T12:00:00Z', '2026-01-01T00:00:00Z'],
    policyValues: ['2024-06-01T00:00:00Z', '2025-06-01T12:00:00Z', '2025-01-01T00:00:00Z'],
  },
  {
    key: 'aws:EpochTime',
    family: 'date',
    requestValues: ['1700000000', '1750000000'],
    policyValues: ['1700000000', '1720000000', '1750000000'],
  },
  {
    key: 'aws:SecureTransport',
    family: 'bool',
    requestValues: ['true', 'false'],
    policyValues: ['true', 'false'],
  },
  {
    key: 'aws:ViaAWSService',
    family: 'bool',
    requestValues: ['true', 'false'],
    policyValues: ['true', 'false'],
  },
  {
    key: 'aws:PrincipalIsAWSService',
    family: 'bool',
    implied: true,
    requestValues: [],
    policyValues: ['true', 'false'],
  },
  {
    key: 'aws:SourceIp',
    family: 'ip',
    requestValues: ['10.1.2.3', '192.0.2.44', '203.0.113.5', '198.51.100.7', '2001:db8::1'],
    policyValues: [
      '10.0.0.0/8',
      '192.0.2.0/24',
      '203.0.113.5',
      '203.0.113.0/30',
      '2001:db8::/32',
      '198.51.100.0/25',
    ],
  },
  {
    key: 'aws:PrincipalTag/blob',
    family: 'binary',
    requestValues: ['QUJD', 'QUJE'],
    policyValues: ['QUJD', 'QUJF'],
  },
  {
    key: 'aws:TagKeys',
    family: 'string',
    multi: true,
    requestValues: ['env', 'team', 'owner', 'Env'],
    policyValues: ['env', 'team', 'owner', 'e*', 'Env', 'cost'],
  },
  {
    key: 'aws:CalledVia',
    family: 'string',
    multi: true,
    requestValues: ['cloudformation.amazonaws.com', 'athena.amazonaws.com'],
    policyValues: ['cloudformation.amazonaws.com', 'athena.amazonaws.com', '*.amazonaws.com'],
  },
  {
    key: 'aws:PrincipalServiceNamesList',
    family: 'string',
    multi: true,
    requestValues: ['codebuild.amazonaws.com', 'ec2.amazonaws.com'],
    policyValues: ['codebuild.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com'],
  },
];

const OPERATORS: Readonly<Record<Family, readonly string[]>> = {
  string: [
    'StringEquals',
    'StringNotEquals',
    'StringEqualsIgnoreCase',
    'StringNotEqualsIgnoreCase',
    'StringLike',
    'StringNotLike',
  ],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
  numeric: [
    'NumericEquals',
    'NumericNotEquals',
    'NumericLessThan',
    'NumericLessThanEquals',
    'NumericGreaterThan',
    'NumericGreaterThanEquals',
  ],
  date: [
    'DateEquals',
    'DateNotEquals',
    'DateLessThan',
    'DateLessThanEquals',
    'DateGreaterThan',
    'DateGreaterThanEquals',
  ],
  bool: ['Bool'],
  ip: ['IpAddress', 'NotIpAddress'],
  binary: ['BinaryEquals'],
};

function keysFor(target: Target): KeySpec[] {
  const out: KeySpec[] = [...KEYS];
  for (const [key, values] of Object.entries(target.serviceKeys ?? {})) {
    out.push({
      key,
      family: 'string',
      requestValues: values,
      policyValues: [...values, `${values[0]!.slice(0, 3)}*`],
      targets: [target.name],
    });
  }
  return out;
}

type Conditions = Record<string, Record<string, string | string[]>>;

function genCondition(g: Gen, target: Target, into: Conditions): void {
  const spec = g.pick(keysFor(target));
  const useNull = g.chance(0.1);
  let operator: string;
  let values: string[];
  if (useNull) {
    operator = 'Null';
    values = [g.pick(['true', 'false'])];
  } else {
    operator = g.pick(OPERATORS[spec.family]);
    // several values: OR for positive operators, NOR for negated ones
    values = g.some(spec.policyValues, 1, 3);
    // Bool takes one value; variables only with string and ARN operators
    if (spec.family === 'bool') values = [values[0]!];
    if (spec.family !== 'string' && spec.family !== 'arn')
      values = values.filter((v) => !v.includes('${'));
    if (values.length === 0) values = [spec.policyValues.find((v) => !v.includes('${'))!];
    if (spec.multi || g.chance(0.08))
      operator = `${g.pick(['ForAnyValue', 'ForAllValues'])}:${operator}`;
    if (g.chance(0.15)) operator += 'IfExists';
  }
  const key = g.chance(0.2) ? mangleCase(g, spec.key) : spec.key;
  const block = (into[operator] ??= {});
  block[key] = values.length === 1 && g.chance(0.5) ? values[0]! : values;
}

function genConditions(g: Gen, target: Target, p: number): Conditions | undefined {
  if (!g.chance(p)) return undefined;
  const out: Conditions = {};
  const n = g.weighted([
    [6, 1],
    [3, 2],
    [1, 3],
  ] as const);
  for (let i = 0; i < n; i++) genCondition(g, target, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// statements and policies

type Statement = Record<string, unknown>;
type Policy = { Version?: string; Id?: string; Statement: Statement[] | Statement };

function actionValues(g: Gen, target: Target, action: string): string | string[] {
  const pool = g.weighted<() => string>([
    [5, () => action],
    [2, () => mangleCase(g, action)],
    [4, () => g.pick(target.actionWildcards)],
    [1, () => '*'],
    [3, () => g.pick(target.siblings)],
    [1, () => g.pick(['ec2:DescribeVpcs', 'logs:PutLogEvents', 'cloudformation:CreateStack'])],
  ]);
  const n = g.weighted([
    [6, 1],
    [3, 2],
    [1, 3],
  ] as const);
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(pool());
  const list = [...out];
  return list.length === 1 && g.chance(0.6) ? list[0]! : list;
}

function resourceValues(g: Gen, target: Target, o: StatementOptions): string | string[] {
  const patterns = target.resourcePatterns(o.owner);
  const other = o.owner === ACCOUNT_A ? ACCOUNT_B : ACCOUNT_A;
  const pool = g.weighted<() => string>([
    [5, () => o.resource],
    [2, () => '*'],
    [6, () => g.pick(patterns)],
    [1, () => o.resource.split(o.owner).join(other)],
  ]);
  const n = g.weighted([
    [7, 1],
    [3, 2],
  ] as const);
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(pool());
  const list = [...out];
  return list.length === 1 && g.chance(0.6) ? list[0]! : list;
}

function principalValue(g: Gen, p: GeneratedPrincipal): unknown {
  const names = principalNames(p);
  const kind = g.weighted<string>([
    [2, 'star'],
    [1, 'awsStar'],
    [8, 'self'],
    [5, 'other'],
    [p.kind === 'service' ? 6 : 1, 'service'],
    [1, 'list'],
  ]);
  switch (kind) {
    case 'star':
      return '*';
    case 'awsStar':
      return { AWS: '*' };
    case 'self':
      if (p.service) return { Service: p.service };
      return { AWS: g.pick(names) };
    case 'other':
      return { AWS: g.pick(OTHER_PRINCIPAL_NAMES) };
    case 'service':
      return { Service: g.pick(SERVICE_PRINCIPALS) };
    default: {
      // `*` in a list too: it names everyone whatever else is listed beside it
      const aws = g.some([...names, ...OTHER_PRINCIPAL_NAMES, '*'], 2, 3);
      return g.chance(0.5) ? { AWS: aws, Service: g.pick(SERVICE_PRINCIPALS) } : { AWS: aws };
    }
  }
}

interface StatementOptions {
  readonly kind: 'identity' | 'resource' | 'trust' | 'scp' | 'rcp';
  readonly owner: string;
  readonly principal: GeneratedPrincipal;
  readonly action: string;
  readonly resource: string;
  /** probability of Deny */
  readonly deny: number;
}

function genStatement(g: Gen, target: Target, o: StatementOptions, index: number): Statement {
  const s: Statement = {};
  if (g.chance(0.3)) s.Sid = `S${index}`;
  s.Effect = o.kind === 'rcp' || g.chance(o.deny) ? 'Deny' : 'Allow';
  if (o.kind === 'resource' || o.kind === 'trust') {
    // Deny + NotPrincipal is the documented form; Allow + NotPrincipal is not supported, and
    // NotPrincipal is not allowed in role trust policies:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    if (s.Effect === 'Deny' && o.kind === 'resource' && g.chance(0.12))
      s.NotPrincipal = {
        AWS: g.some([...principalNames(o.principal), ...OTHER_PRINCIPAL_NAMES], 1, 3),
      };
    else s.Principal = principalValue(g, o.principal);
  }
  if (o.kind === 'rcp') s.Principal = '*';
  if (o.kind === 'rcp') {
    // RCPs take Action only, never `*` (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html)
    s.Action = g.pick([
      [`${target.service}:*`],
      [o.action],
      ['s3:*', 'kms:*', 'sts:*', 'secretsmanager:*'],
      target.actionWildcards.filter((a) => a !== '*').slice(0, 2),
    ]);
  } else if (g.chance(0.12) && o.kind !== 'trust') {
    s.NotAction = actionValues(g, target, o.action);
  } else {
    s.Action = actionValues(g, target, o.action);
  }
  if (o.kind === 'trust') {
    // trust policies usually have no Resource element
  } else if (target.name === 'kms-key' && o.kind === 'resource') {
    s.Resource = g.chance(0.85) ? '*' : resourceValues(g, target, o);
  } else if (g.chance(0.08) && o.kind !== 'rcp') {
    s.NotResource = resourceValues(g, target, o);
  } else {
    s.Resource = resourceValues(g, target, o);
  }
  const cond = genConditions(g, target, o.kind === 'rcp' ? 0.7 : 0.35);
  if (cond) s.Condition = cond;
  return s;
}

function version(g: Gen): string | undefined {
  return g.weighted<string | undefined>([
    [92, '2012-10-17'],
    [6, '2008-10-17'],
    [2, undefined],
  ]);
}

function genPolicy(g: Gen, target: Target, o: StatementOptions, min: number, max: number): Policy {
  const n = min + g.int(max - min + 1);
  const statements: Statement[] = [];
  for (let i = 0; i < n; i++) statements.push(genStatement(g, target, o, i + 1));
  const v = o.kind === 'rcp' || o.kind === 'scp' ? '2012-10-17' : version(g);
  const policy: Policy = {
    Statement: statements.length === 1 && g.chance(0.3) ? statements[0]! : statements,
  };
  return v ? { Version: v, ...policy } : policy;
}

/** A key policy: usually with the default "Enable IAM User Permissions" statement. */
function genKeyPolicy(g: Gen, target: Target, o: StatementOptions): Policy {
  const statements: Statement[] = [];
  if (g.chance(0.55)) {
    statements.push({
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: g.chance(0.8) ? `arn:aws:iam::${o.owner}:root` : o.owner },
      Action: 'kms:*',
      Resource: '*',
    });
  }
  if (g.chance(0.3)) {
    // cross-account delegation, as the CodePipeline cross-account guide shows
    statements.push({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_B}:root` },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    });
  }
  const extra = genPolicy(g, target, o, 0, 2);
  const extraStatements = Array.isArray(extra.Statement) ? extra.Statement : [extra.Statement];
  return { Version: '2012-10-17', Statement: [...statements, ...extraStatements] };
}

/** A role trust policy: names a service, a role, an account... */
function genTrustPolicy(g: Gen, target: Target, o: StatementOptions): Policy {
  const p = genPolicy(g, target, o, 1, 2);
  return { ...p, Version: '2012-10-17' };
}

const FULL_ACCESS: Policy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

function genScpLevels(g: Gen, target: Target, o: StatementOptions): Policy[][] {
  const levels: Policy[][] = [];
  const n = 1 + g.int(3);
  for (let i = 0; i < n; i++) {
    const level: Policy[] = [];
    // most levels keep FullAWSAccess; some have only an allow list, or nothing that allows
    const shape = g.weighted([
      [6, 'full'],
      [3, 'allowList'],
      [1, 'denyOnly'],
    ] as const);
    if (shape === 'full') level.push(FULL_ACCESS);
    if (shape === 'allowList')
      level.push(genPolicy(g, target, { ...o, kind: 'scp', deny: 0 }, 1, 2));
    if (shape === 'denyOnly' || g.chance(0.35))
      level.push(genPolicy(g, target, { ...o, kind: 'scp', deny: 1 }, 1, 2));
    levels.push(level);
  }
  return levels;
}

function genRcpLevels(g: Gen, target: Target, o: StatementOptions): Policy[][] {
  const levels: Policy[][] = [];
  const n = 1 + g.int(3);
  for (let i = 0; i < n; i++) {
    // RCPFullAWSAccess is implied at every level; a level may add deny statements or nothing
    levels.push(g.chance(0.6) ? [genPolicy(g, target, { ...o, kind: 'rcp', deny: 1 }, 1, 2)] : []);
  }
  return levels;
}

// ---------------------------------------------------------------------------------------------
// request context

function genContext(
  g: Gen,
  target: Target,
  action: string,
  p: GeneratedPrincipal,
  owner: string,
): Record<string, RawContextValue> {
  const ctx: Record<string, RawContextValue> = {};
  // a request carries a service key only for the actions that send it
  const serviceKeys = !target.serviceKeyActions || target.serviceKeyActions.includes(action);
  for (const spec of keysFor(target)) {
    if (spec.targets && !serviceKeys) continue;
    if (spec.implied) continue;
    if (!g.chance(spec.multi ? 0.45 : 0.55)) continue;
    const key = g.chance(0.15) ? mangleCase(g, spec.key) : spec.key;
    if (spec.multi) {
      // absent, empty, one or several values
      ctx[key] = g.chance(0.2) ? [] : g.some(spec.requestValues, 1, 3);
    } else {
      ctx[key] = g.pick(spec.requestValues);
    }
  }
  // The keys the principal implies: the evaluator fills them in; set them explicitly in some
  // cases (with the same values AWS would send) so both paths are exercised.
  if (g.chance(0.3)) Object.assign(ctx, impliedContext(p, owner));
  return ctx;
}

/**
 * The context keys AWS sets from the principal and the resource owner
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 * The adapter gives these to iam-simulate, which does not derive them itself.
 */
export function impliedContext(
  p: GeneratedPrincipal,
  resourceAccount: string | undefined,
): Record<string, string> {
  const ctx: Record<string, string> = {};
  if (p.kind === 'service') {
    ctx['aws:PrincipalIsAWSService'] = 'true';
    ctx['aws:PrincipalServiceName'] = p.service!;
  } else {
    ctx['aws:PrincipalIsAWSService'] = 'false';
    ctx['aws:PrincipalAccount'] = p.account!;
    if (p.kind === 'user') {
      ctx['aws:PrincipalArn'] = p.userArn!;
      ctx['aws:PrincipalType'] = 'User';
      ctx['aws:username'] = p.userName!;
    } else if (p.kind === 'root') {
      ctx['aws:PrincipalArn'] = `arn:aws:iam::${p.account!}:root`;
      ctx['aws:PrincipalType'] = 'Account';
    } else {
      // aws:PrincipalArn of a role session is the role ARN
      ctx['aws:PrincipalArn'] = p.roleArn!;
      ctx['aws:PrincipalType'] = 'AssumedRole';
    }
  }
  if (resourceAccount !== undefined) ctx['aws:ResourceAccount'] = resourceAccount;
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// cases

/**
 * KMS operations on a key that work in the key's own account but not across accounts
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html);
 * each takes the key resource and the kms:CallerAccount and kms:ViaService keys the kms-key
 * target sends.
 */
const KMS_KEY_ADMIN_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:DisableKey',
];

// ---------------------------------------------------------------------------------------------
// focused cases: one feature, in one place, where it decides the answer

/** salt of the focused cases' PRNG (see generateCase) */
const FOCUS_SALT = 0x3c6ef372;
/** the share of cases that are focused cases */
const FOCUS_SHARE = 0.3;

type Feature = 'arn' | 'ip' | 'numeric' | 'date' | 'vars' | 'serviceName' | 'notPrincipal' | 'deny';

/** where the focused statement goes */
type Place =
  | 'identity-allow'
  | 'identity-deny'
  | 'boundary-allow'
  | 'boundary-deny'
  | 'session-allow'
  | 'session-deny'
  | 'resource-allow'
  | 'resource-deny'
  | 'scp-deny'
  | 'rcp-deny';

/** same-account IAM principals (no root: its full access is a known difference) */
const FOCUS_PRINCIPALS: readonly (readonly [number, GeneratedPrincipal])[] = [
  [3, role(ACCOUNT_A, 'pipeline/', 'BuildRole')],
  [2, role(ACCOUNT_A, '', 'DeployRole')],
  [4, session(ACCOUNT_A, 'pipeline/', 'BuildRole', 's-1')],
  [3, session(ACCOUNT_A, '', 'DeployRole', 'codepipeline-session')],
  [3, user(ACCOUNT_A, 'alice')],
];

const FOCUS_SERVICES: readonly GeneratedPrincipal[] = [
  service('codepipeline.amazonaws.com'),
  service('codebuild.amazonaws.com'),
];

/** targets whose resource can have a resource policy, and those RCPs apply to */
const FOCUS_TARGETS = ['s3-object', 's3-bucket', 'lambda', 'sns', 'secret', 'ecr', 'codebuild'];
const RESOURCE_POLICY_TARGETS = ['s3-object', 's3-bucket', 'lambda', 'sns', 'secret', 'ecr'];
const RCP_TARGETS = ['s3-object', 's3-bucket', 'secret'];

function targetNamed(name: string): Target {
  return TARGETS.find(([, t]) => t.name === name)![1];
}

/** ARN values for ArnLike: some match as one string but not segment by segment */
const SOURCE_ARNS = [
  `arn:aws:codebuild:${REGION}:${ACCOUNT_A}:project/Build`,
  `arn:aws:codepipeline:${REGION}:${ACCOUNT_A}:Pipe`,
  `arn:aws:lambda:${REGION}:${ACCOUNT_A}:function:Deployer:prod`,
  `arn:aws:codebuild:${REGION}:${ACCOUNT_B}:project/Build`,
];
const SOURCE_ARN_PATTERNS = [
  // five segments, the last ending in `*`: in a condition it does not cross colons, as it does in
  // Resource (repros/arnlike-open-ended-five-segments.json)
  `arn:aws:codebuild:${REGION}:1111*`,
  // five segments: matches the codebuild and lambda ARNs as one string, no ARN segment by segment
  `arn:aws:*:${ACCOUNT_A}:*`,
  `arn:aws:codebuild:${REGION}:*/Build`,
  `arn:aws:lambda:*:function:Deployer:*`,
  `arn:aws:*:*:${ACCOUNT_A}:*`,
  `arn:aws:codebuild:*:*:project/*`,
  `arn:aws:codebuild:${REGION}:${ACCOUNT_A}:project/Build`,
  `arn:aws:codebuild:us-east-?:${ACCOUNT_A}:project/Bu?ld`,
  `arn:aws:lambda:*:*:function:*`,
  `arn:aws:lambda:${REGION}:${ACCOUNT_A}:function:Deployer`,
  `arn:aws:codebuild:*:${ACCOUNT_A}:project/build`,
  `arn:aws:codepipeline:${REGION}:${ACCOUNT_A}:*`,
];
const PRINCIPAL_ARN_PATTERNS = [
  `arn:aws:iam::1111*`,
  `arn:aws:iam:*:role/DeployRole`,
  `arn:aws:iam:*:user/alice`,
  `arn:aws:iam::*:role/*`,
  `arn:aws:iam::${ACCOUNT_A}:role/DeployRole`,
  `arn:aws:iam::${ACCOUNT_A}:user/*`,
  `arn:aws:iam::*:*`,
  `arn:aws:iam:*:role/pipeline/*`,
];
/** Resource patterns that match the request's resource as one string but not segment by segment */
const SEGMENT_RESOURCE_PATTERNS: Readonly<Record<string, readonly string[]>> = {
  lambda: [
    `arn:aws:lambda:*:function:Deployer`,
    `arn:aws:lambda:${REGION}:*:Deployer`,
    `arn:aws:lambda:*:*:function:Deployer`,
  ],
  codebuild: [`arn:aws:codebuild:${REGION}:*/Build`, `arn:aws:codebuild:*:*:project/Build`],
  sns: [`arn:aws:sns:*:Approvals`, `arn:aws:sns:*:*:Approvals`],
  ecr: [`arn:aws:ecr:*:repository/app`, `arn:aws:ecr:*:*:repository/app`],
  secret: [`arn:aws:secretsmanager:*:secret:db-AbCdEf`, `arn:aws:secretsmanager:*:*:secret:db-*`],
};

const IPV6_CALLERS = [
  '2001:db8::1',
  '2001:db8:0:1::7',
  '2001:db9::1',
  '::ffff:203.0.113.5',
  '2001:db8::',
  '2001:db8:0:0:0:0:0:ffff',
];
const IPV4_CALLERS = ['203.0.113.5', '10.1.2.3', '192.0.2.44'];
const IP_RANGES = [
  '2001:db8::/32',
  '2001:db8::/48',
  '2001:db8:0:1::/64',
  '2001:db8::/127',
  '::/0',
  '2001:0db8:0000::/48',
  '2001:db8::1',
  '2001:db8::/128',
  '::ffff:203.0.113.0/120',
  '203.0.113.0/24',
  '0.0.0.0/0',
  '2001:db8:0:1::/63',
];

/** a date in ISO 8601 and in epoch seconds */
const DATES: readonly (readonly [string, string])[] = [
  ['2024-06-01T00:00:00Z', '1717200000'],
  ['2025-06-01T12:00:00Z', '1748779200'],
  ['2026-01-01T00:00:00Z', '1767225600'],
  ['2023-11-14T22:13:20Z', '1700000000'],
  ['2025-06-15T15:06:40Z', '1750000000'],
];

interface FocusCondition {
  readonly condition: Conditions;
  /** context keys the condition needs (left out now and then) */
  readonly context: Record<string, RawContextValue>;
}

function focusOperator(f: Gen, ops: readonly string[]): string {
  let op = f.pick(ops);
  if (f.chance(0.1)) op += 'IfExists';
  return op;
}

/** a condition on the feature's keys, with the request values it is about */
function focusCondition(f: Gen, feature: Feature, p: GeneratedPrincipal): FocusCondition {
  const context: Record<string, RawContextValue> = {};
  const one = (op: string, key: string, values: string[]): Conditions => ({
    [op]: { [key]: values.length === 1 && f.chance(0.5) ? values[0]! : values },
  });
  switch (feature) {
    case 'arn': {
      const ops = ['ArnLike', 'ArnNotLike', 'ArnLike', 'ArnNotLike', 'ArnEquals', 'ArnNotEquals'];
      // the string operators are the contrast: `*` spans colons there
      const op = f.chance(0.15) ? f.pick(['StringLike', 'StringNotLike']) : focusOperator(f, ops);
      if (f.chance(0.3)) {
        // derived from the principal (no `${...}`: variables in ARN conditions are excluded)
        return {
          condition: one(op, 'aws:PrincipalArn', f.some(PRINCIPAL_ARN_PATTERNS, 1, 2)),
          context,
        };
      }
      context['aws:SourceArn'] = f.pick(SOURCE_ARNS);
      return { condition: one(op, 'aws:SourceArn', f.some(SOURCE_ARN_PATTERNS, 1, 2)), context };
    }
    case 'ip': {
      context['aws:SourceIp'] = f.chance(0.7) ? f.pick(IPV6_CALLERS) : f.pick(IPV4_CALLERS);
      const op = focusOperator(f, ['IpAddress', 'NotIpAddress']);
      return { condition: one(op, 'aws:SourceIp', f.some(IP_RANGES, 1, 2)), context };
    }
    case 'numeric': {
      const request = f.pick(['0', '300', '3599', '3600', '86400']);
      context['aws:MultiFactorAuthAge'] = request;
      const value = f.chance(0.45) ? request : f.pick(['300', '3600', '3600.5', '0', '86400']);
      const op = focusOperator(f, [
        'NumericEquals',
        'NumericNotEquals',
        'NumericLessThan',
        'NumericLessThanEquals',
        'NumericGreaterThan',
        'NumericGreaterThanEquals',
      ]);
      return { condition: one(op, 'aws:MultiFactorAuthAge', [value]), context };
    }
    case 'date': {
      // aws:CurrentTime comes in ISO 8601, aws:EpochTime in epoch seconds; a policy may use either
      const epochKey = f.chance(0.5);
      const key = epochKey ? 'aws:EpochTime' : 'aws:CurrentTime';
      const [iso, epoch] = f.pick(DATES);
      context[key] = epochKey ? epoch : iso;
      const [piso, pepoch] = f.chance(0.55) ? [iso, epoch] : f.pick(DATES);
      const value = f.weighted<string>([
        [3, piso],
        [3, pepoch],
        [1, piso.replace('Z', '.000Z')],
      ]);
      const op = focusOperator(f, [
        'DateEquals',
        'DateNotEquals',
        'DateLessThan',
        'DateLessThanEquals',
        'DateGreaterThan',
        'DateGreaterThanEquals',
      ]);
      return { condition: one(op, key, [value]), context };
    }
    case 'vars': {
      // `${*}`, `${?}`, `${$}` are the literal characters; the request values hold them too
      context['aws:PrincipalTag/team'] = f.pick([
        'pipe*',
        'p?pe',
        'pipe$',
        'pipe',
        'pipeline',
        'pipe?',
      ]);
      // mostly the Like operators: under StringEquals iam-simulate reads `${*}` as text (a known
      // difference)
      const op = focusOperator(f, [
        'StringEquals',
        'StringNotEquals',
        'StringLike',
        'StringNotLike',
        'StringLike',
        'StringNotLike',
        'StringLike',
        'StringNotLike',
      ]);
      const values = f.some(
        ['pipe${*}', 'p${?}pe', 'pipe${$}', 'pipe${?}', 'pipe*', 'p?pe', '${$}pipe', 'pi${*}e'],
        1,
        2,
      );
      return { condition: one(op, 'aws:PrincipalTag/team', values), context };
    }
    case 'serviceName': {
      const op = focusOperator(f, [
        'StringEquals',
        'StringNotEquals',
        'StringLike',
        'StringNotLike',
        'StringEqualsIgnoreCase',
      ]);
      const values = f.some(
        [
          'codepipeline.amazonaws.com',
          'codebuild.amazonaws.com',
          '*.amazonaws.com',
          'code*',
          'CodeBuild.amazonaws.com',
          'lambda.amazonaws.com',
        ],
        1,
        2,
      );
      if (p.kind === 'service' && f.chance(0.3))
        Object.assign(context, impliedContext(p, undefined));
      return { condition: one(op, 'aws:PrincipalServiceName', values), context };
    }
    default:
      return { condition: {}, context };
  }
}

/** the NotPrincipal list of a focused case: none of the caller's identities, or all of them */
function focusNotPrincipal(f: Gen, p: GeneratedPrincipal): string[] {
  if (f.chance(0.4)) {
    const others = OTHER_PRINCIPAL_NAMES.filter(
      (n) => !principalNames(p).includes(n) && n !== p.roleArn,
    );
    const notMine = others.filter(
      (n) =>
        !(
          p.kind === 'session' &&
          n.startsWith(`arn:aws:iam::${ACCOUNT_A}:role/`) &&
          n.endsWith(`/${p.roleArn!.split('/').pop()!}`)
        ),
    );
    return f.some(notMine, 1, 3);
  }
  const all: string[] = [f.chance(0.7) ? `arn:aws:iam::${p.account!}:root` : p.account!];
  if (p.roleArn) all.push(p.roleArn);
  if (p.sessionArn) all.push(p.sessionArn);
  if (p.userArn) all.push(p.userArn);
  if (f.chance(0.4)) all.push(f.pick(OTHER_PRINCIPAL_NAMES));
  return [...new Set(all)];
}

function focusCase(seed: number, index: number, f: Gen, g: Gen): GeneratedCase {
  const feature = f.weighted<Feature>([
    [5, 'arn'],
    [4, 'ip'],
    [3, 'numeric'],
    [3, 'date'],
    [3, 'vars'],
    [3, 'serviceName'],
    [2, 'notPrincipal'],
    [2, 'deny'],
  ]);
  const serviceCaller = feature === 'serviceName' && f.chance(0.7);
  const principal = serviceCaller ? f.pick(FOCUS_SERVICES) : f.weighted(FOCUS_PRINCIPALS);
  const needsResourcePolicy = serviceCaller || feature === 'notPrincipal';
  const target = targetNamed(f.pick(needsResourcePolicy ? RESOURCE_POLICY_TARGETS : FOCUS_TARGETS));
  const owner = ACCOUNT_A;
  const action = f.pick(target.actions);
  let resource = target.resource(owner, f);
  const context: Record<string, RawContextValue> = {};

  let place: Place;
  if (serviceCaller) place = f.chance(0.7) ? 'resource-allow' : 'resource-deny';
  else if (feature === 'notPrincipal') place = 'resource-deny';
  else {
    const places: (readonly [number, Place])[] = [
      [3, 'identity-allow'],
      [2, 'identity-deny'],
      [2, 'boundary-allow'],
      [3, 'boundary-deny'],
      [1, 'scp-deny'],
    ];
    if (principal.kind === 'session') places.push([2, 'session-allow'], [4, 'session-deny']);
    if (RESOURCE_POLICY_TARGETS.includes(target.name)) places.push([1, 'resource-allow']);
    if (RCP_TARGETS.includes(target.name)) places.push([1, 'rcp-deny']);
    place = f.weighted(places);
  }

  // the focused statement's element: a condition, a Resource pattern, or a variable in Resource
  let focused: Statement;
  let baseResource: string | string[] = f.chance(0.5) ? resource : '*';
  const grantAction = f.chance(0.7) ? action : f.pick(target.actionWildcards);
  if (feature === 'arn' && SEGMENT_RESOURCE_PATTERNS[target.name] && f.chance(0.3)) {
    focused = { Action: grantAction, Resource: f.pick(SEGMENT_RESOURCE_PATTERNS[target.name]!) };
  } else if (feature === 'vars' && target.name === 's3-object' && f.chance(0.5)) {
    resource = `arn:aws:s3:::art-${owner}/${f.pick(['pipe$/x.zip', 'pipe/obj.zi?', 'pipe/obj.zip', 'pipe?/x.zip'])}`;
    baseResource = f.chance(0.5) ? resource : '*';
    const pattern = f.pick([
      `arn:aws:s3:::art-${owner}/pipe\${$}/*`,
      `arn:aws:s3:::art-${owner}/pipe/obj.zi\${?}`,
      `arn:aws:s3:::art-${owner}/pipe\${?}/*`,
      `arn:aws:s3:::art-${owner}/pipe\${*}`,
      `arn:aws:s3:::art-${owner}/\${$}*`,
    ]);
    focused = { Action: grantAction, Resource: pattern };
  } else if (feature === 'deny') {
    // a plain Deny statement (no condition) whose Action and Resource match or not
    const o: StatementOptions = { kind: 'identity', owner, principal, action, resource, deny: 1 };
    focused = { Action: actionValues(f, target, action), Resource: resourceValues(f, target, o) };
  } else if (feature === 'notPrincipal') {
    focused = { Action: grantAction, Resource: baseResource };
  } else {
    const fc = focusCondition(f, feature, principal);
    Object.assign(context, fc.context);
    // now and then the request leaves the key out
    if (f.chance(0.1)) for (const k of Object.keys(fc.context)) delete context[k];
    focused = { Action: grantAction, Resource: baseResource, Condition: fc.condition };
  }
  if (feature === 'deny' && !place.endsWith('-deny'))
    place = principal.kind === 'session' && f.chance(0.5) ? 'session-deny' : 'boundary-deny';

  const allow = (): Statement => ({ Effect: 'Allow', Action: grantAction, Resource: baseResource });
  const doc = (...statements: Statement[]): Policy => ({
    Version: '2012-10-17',
    Statement: statements,
  });
  const allowFocused: Statement = { Effect: 'Allow', ...focused };
  const denyFocused: Statement = { Effect: 'Deny', ...focused };

  const identityPolicies: Policy[] = [];
  let resourcePolicy: Policy | undefined;
  let permissionBoundary: Policy | undefined;
  let sessionPolicy: Policy | undefined;
  let scps: Policy[][] | undefined;
  let rcps: Policy[][] | undefined;
  if (principal.kind !== 'service') {
    identityPolicies.push(
      place === 'identity-allow'
        ? doc(allowFocused)
        : place === 'identity-deny'
          ? doc(allow(), denyFocused)
          : doc(allow()),
    );
  }
  if (place === 'boundary-allow') permissionBoundary = doc(allowFocused);
  if (place === 'boundary-deny') permissionBoundary = doc(allow(), denyFocused);
  if (place === 'session-allow') sessionPolicy = doc(allowFocused);
  if (place === 'session-deny') sessionPolicy = doc(allow(), denyFocused);
  // a same-account grant naming the caller (not its session: that one is a known difference
  // with a session policy, and sessions get none here)
  const grantee: unknown =
    principal.kind === 'service' ? { Service: principal.service! } : { AWS: principal.arn };
  if (place === 'resource-allow') {
    resourcePolicy = doc({ Principal: grantee, ...allowFocused });
    if (principal.kind !== 'service' && f.chance(0.6)) identityPolicies.length = 0;
  }
  if (place === 'resource-deny') {
    const deny: Statement =
      feature === 'notPrincipal'
        ? { Effect: 'Deny', NotPrincipal: { AWS: focusNotPrincipal(f, principal) }, ...focused }
        : { Effect: 'Deny', Principal: f.chance(0.5) ? '*' : grantee, ...focused };
    resourcePolicy = doc(
      { Effect: 'Allow', Principal: grantee, Action: grantAction, Resource: baseResource },
      deny,
    );
    if (principal.kind !== 'service' && f.chance(0.5)) identityPolicies.length = 0;
  }
  if (place === 'scp-deny') scps = [[FULL_ACCESS, doc({ ...denyFocused, Action: action })]];
  if (place === 'rcp-deny')
    rcps = [[doc({ ...denyFocused, Principal: '*', Action: `${target.service}:*` })]];
  // some noise: another identity policy from the general generator
  if (principal.kind !== 'service' && f.chance(0.2)) {
    const o: StatementOptions = { kind: 'identity', owner, principal, action, resource, deny: 0.2 };
    identityPolicies.push(genPolicy(g, target, o, 1, 2));
  }
  if (f.chance(0.3)) Object.assign(context, impliedContext(principal, owner));

  const request: EvaluationRequest = {
    principal: principal.arn,
    action,
    resource,
    ...(target.service === 's3' || f.chance(0.3) ? { resourceAccount: owner } : {}),
    context,
    identityPolicies,
    ...(resourcePolicy ? { resourcePolicy } : {}),
    ...(permissionBoundary ? { permissionBoundary } : {}),
    ...(sessionPolicy ? { sessionPolicy } : {}),
    ...(scps ? { scps } : {}),
    ...(rcps ? { rcps } : {}),
  };
  return { id: `${seed}:${index}`, seed, index, principal, target: target.name, request };
}

/** salt of the variants' PRNG (see generateCase) */
const VARIANT_SALT = 0x7a31c9e5;

/**
 * `focused: false` leaves the focused cases out: the cases of the other indexes as they are (the
 * benchmark's mixes, bench/run.js, keep the requests of the sessions before focused cases).
 */
export interface GenerateOptions {
  readonly focused?: boolean;
}

export function generateCase(
  seed: number,
  index: number,
  options: GenerateOptions = {},
): GeneratedCase {
  const g = gen(mulberry32(mixSeed(seed, index)));
  // Variants are drawn from a PRNG of their own, so that adding one leaves the other cases as
  // they were: a KMS key operation that does not work across accounts, and a role whose trust
  // policy the request leaves out.
  const variant = gen(mulberry32(mixSeed(seed ^ VARIANT_SALT, index)));
  // Focused cases (a share of the indexes) put one feature where it decides the answer.
  const focus = gen(mulberry32(mixSeed(seed ^ FOCUS_SALT, index)));
  if (focus.chance(FOCUS_SHARE) && options.focused !== false)
    return focusCase(seed, index, focus, g);
  const target = g.weighted(TARGETS);
  const cross = !target.sameAccountOnly && g.chance(0.28);
  const principal =
    cross && g.chance(0.75) ? g.weighted(PRINCIPALS_CROSS) : g.weighted(PRINCIPALS_SAME);
  // cross-account: the resource is in the other account than the principal
  const principalAccount = principal.account ?? ACCOUNT_A;
  const owner = cross ? (principalAccount === ACCOUNT_A ? ACCOUNT_B : ACCOUNT_A) : principalAccount;
  const picked = g.pick(target.actions);
  const action =
    target.name === 'kms-key' && variant.chance(0.15)
      ? variant.pick(KMS_KEY_ADMIN_ACTIONS)
      : picked;
  const resource = target.resource(owner, g);
  const o: StatementOptions = { kind: 'identity', owner, principal, action, resource, deny: 0.2 };

  const identityPolicies: Policy[] = [];
  if (principal.kind !== 'service') {
    const n = g.weighted([
      [2, 0],
      [5, 1],
      [3, 2],
      [1, 3],
    ] as const);
    for (let i = 0; i < n; i++) identityPolicies.push(genPolicy(g, target, o, 1, 3));
  }

  let resourcePolicy: Policy | undefined;
  if (
    target.resourcePolicy === 'required' ||
    (target.resourcePolicy === 'optional' && g.chance(0.6))
  ) {
    const ro: StatementOptions = {
      ...o,
      kind: target.name === 'trust' ? 'trust' : 'resource',
      deny: 0.25,
    };
    if (target.name === 'kms-key') resourcePolicy = genKeyPolicy(g, target, ro);
    else if (target.name === 'trust') resourcePolicy = genTrustPolicy(g, target, ro);
    else resourcePolicy = genPolicy(g, target, ro, 1, 3);
  }
  // every role has a trust policy; a request may still leave it out (the evaluator must deny)
  if (target.name === 'trust' && variant.chance(0.1)) resourcePolicy = undefined;

  const iamPrincipal = principal.kind !== 'service';
  const permissionBoundary =
    iamPrincipal && principal.kind !== 'root' && g.chance(0.22)
      ? genPolicy(g, target, { ...o, deny: 0.15 }, 1, 2)
      : undefined;
  // session policies apply to role sessions (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session)
  const sessionPolicy =
    principal.kind === 'session' && g.chance(0.3)
      ? genPolicy(g, target, { ...o, deny: 0.15 }, 1, 2)
      : undefined;
  const scps = g.chance(0.3) ? genScpLevels(g, target, o) : undefined;
  const rcps = g.chance(0.25) ? genRcpLevels(g, target, o) : undefined;
  const context = genContext(g, target, action, principal, owner);

  const request: EvaluationRequest = {
    principal: principal.arn,
    action: g.chance(0.1) ? mangleCase(g, action) : action,
    resource,
    // S3 ARNs carry no account, and `*` has none: say who owns the resource
    ...(target.service === 's3' || target.wildcardOnly || g.chance(0.3)
      ? { resourceAccount: owner }
      : {}),
    context,
    identityPolicies,
    ...(resourcePolicy ? { resourcePolicy } : {}),
    ...(permissionBoundary ? { permissionBoundary } : {}),
    ...(sessionPolicy ? { sessionPolicy } : {}),
    ...(scps ? { scps } : {}),
    ...(rcps ? { rcps } : {}),
  };
  return { id: `${seed}:${index}`, seed, index, principal, target: target.name, request };
}

/** The request fields that hold policy documents (tests and the benchmark re-combine them). */
export const DOCUMENT_FIELDS = [
  'identityPolicies',
  'resourcePolicy',
  'permissionBoundary',
  'sessionPolicy',
  'scps',
  'rcps',
] as const;

export function generateCases(
  seed: number,
  count: number,
  options: GenerateOptions = {},
): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < count; i++) out.push(generateCase(seed, i, options));
  return out;
}
