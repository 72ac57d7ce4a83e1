// Two builds of evaluate() and the wildcard matcher compared result by result (JSON.stringify of
// each whole result), for checking that a change meant to be invisible (a speed change) is:
// ARN and plain globs on random patterns with placeholders, empty segments, colons in the
// resource part and lone surrogates; hand-made request sequences that reuse documents (policy
// variables resolved A, B, A, unresolved then resolved, `${*}`, Version 2008-10-17; many allows,
// watched context keys, RCPs, boundaries, SCP levels, one document under several actions); and
// random requests over a small pool of random documents, so every cache sees repeats.
//
//   node bench/diffEvaluate.js <rootA> <rootB> [seed] [requests]
//
// A root is a folder with a built `dist/` (see abEvaluate.js). Prints the number of checks and
// of differences (the first few in full); exit 1 when any differ.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [rootA, rootB, seedArg = '1', countArg = '30000'] = process.argv.slice(2);
if (!rootA || !rootB) {
  process.stderr.write('usage: node bench/diffEvaluate.js <rootA> <rootB> [seed] [requests]\n');
  process.exit(2);
}
const load = (root, file) => import(pathToFileURL(join(resolve(root), 'dist', file)).href);
const OLD = await load(rootA, 'evaluate/evaluate.js');
const NEW = await load(rootB, 'evaluate/evaluate.js');
const OW = await load(rootA, 'policy/wildcard.js');
const NW = await load(rootB, 'policy/wildcard.js');
let seed = Number(seedArg);
const rnd = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];
let checks = 0;
let diffs = 0;
const report = (...what) => {
  diffs++;
  if (diffs <= 5) console.log('DIFFERENT', ...what);
};

// 1. globs
const ATOMS = [
  'a',
  'b',
  'ab',
  'ba',
  'aba',
  ':',
  '/',
  '*',
  '?',
  '\ue000',
  '\ue001',
  '*',
  '?',
  'arn',
  'aws',
  's3',
  '',
  'A',
  '\ud83d\ude00',
  '\ud83d',
  'x:y',
  '::',
  '$',
  '${',
  ':*',
  '*:',
];
// a random text of fewer than n atoms of `atoms`
const wordOf = (atoms) => (n) => {
  let s = '';
  const k = Math.floor(rnd() * n);
  for (let i = 0; i < k; i++) s += pick(atoms);
  return s;
};
const word = wordOf(ATOMS);
const inputAtoms = [
  'a',
  'b',
  'ab',
  'ba',
  ':',
  '/',
  '*',
  '?',
  'arn',
  'aws',
  's3',
  '',
  'A',
  '\ud83d\ude00',
  '\ud83d',
  '\ue000',
  '::',
  'x',
];
const iword = wordOf(inputAtoms);
for (let t = 0; t < 100_000; t++) {
  let pat, input;
  if (rnd() < 0.5) {
    const segs = [];
    const k = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < k; i++)
      segs.push(
        rnd() < 0.4
          ? pick(['arn', 'aws', 's3', '', '*', 'a?', 'us-east-1', '111122223333'])
          : word(3),
      );
    pat = segs.join(':');
    const isegs = segs.map((s) =>
      rnd() < 0.5
        ? s.replace(/[*?\ue000\ue001]/g, () => pick(['', 'a', '*', '?', ':', 'ab']))
        : iword(3),
    );
    input = isegs.join(':');
    if (rnd() < 0.3) input += ':' + iword(3);
  } else {
    pat = word(6);
    input = rnd() < 0.5 ? pat.replace(/[*?]/g, () => iword(2)) : iword(6);
  }
  for (const [fn, args] of [
    ['compileArnGlob', [pat]],
    ['compileArnGlob', [pat, false]],
    ['compileGlob', [pat]],
  ]) {
    const o = OW[fn](...args),
      w = NW[fn](...args);
    checks++;
    if (o.test(input) !== w.test(input)) report(fn, JSON.stringify(args), JSON.stringify(input));
    // range tests
    const s = Math.floor(rnd() * (input.length + 1)),
      e = s + Math.floor(rnd() * (input.length - s + 1));
    const x = `${iword(2)}${input}${iword(2)}`;
    const pre = x.indexOf(input);
    const a1 = o.testRange(x, pre, pre + input.length),
      a2 = w.testRange(x, pre, pre + input.length);
    const b1 = o.testRange(input, s, e),
      b2 = w.testRange(input, s, e);
    checks += 2;
    if (a1 !== a2 || b1 !== b2) report(fn, JSON.stringify(args), JSON.stringify(x), s, e);
  }
}

// 2. hand-made sequences
const A = '111122223333';
const globCases = [
  ['arn:aws:s3:::', ['arn:aws:s3:::', 'arn:aws:s3:::x', 'arn:aws:s3::']],
  [
    'arn:aws:s3:::*',
    ['arn:aws:s3:::', 'arn:aws:s3:::x:y', 'arn:aws:s3::x:', 'arn:aws:s3:::\ud83d'],
  ],
  ['ab*ba', ['aba', 'abba', 'ab', 'ba', 'abxba', 'abab']],
  ['arn:aws:s3:::ab*ba', ['arn:aws:s3:::aba', 'arn:aws:s3:::abba']],
  ['arn:aws:s3:::a*a', ['arn:aws:s3:::a', 'arn:aws:s3:::aa']],
  ['arn:aws:s3', ['arn:aws:s3', 'arn:aws:s3:']],
  ['arn:aws:s3*', ['arn:aws:s3:::x', 'arn:aws:s3']],
  ['arn:aws:s3:*', ['arn:aws:s3:us:1:x', 'arn:aws:s3:']],
  ['arn:aws:*', ['arn:aws:s3:::b', 'arn:aws:']],
  ['arn:aws:s3:::b/*', ['arn:aws:s3:::b/', 'arn:aws:s3:::B/x', 'arn:aws:s3:::b/x:y:z']],
  ['arn:aws:s?:::*', ['arn:aws:s3:::x', 'arn:aws:s:::x', 'arn:aws:s33:::x']],
  ['arn:?ws:s3:::*', ['arn:aws:s3:::x']],
  [
    'arn:aws:s3:us-east-1:*:x*',
    ['arn:aws:s3:us-east-1:1:x', 'arn:aws:s3:us-east-1::x', 'arn:aws:s3:us-east-1:1:2:x'],
  ],
  ['arn:aws:s3:::\ue000*', ['arn:aws:s3:::*x', 'arn:aws:s3:::\ue000x', 'arn:aws:s3:::ax']],
  ['arn:aws:s3:::*\ue001', ['arn:aws:s3:::x?', 'arn:aws:s3:::xa']],
  ['arn:\ue000:s3:::*', ['arn:*:s3:::x', 'arn:a:s3:::x']],
  ['arn:aws:s3:::b/\ud83d\ude00*', ['arn:aws:s3:::b/\ud83d\ude00', 'arn:aws:s3:::b/\ud83d']],
  ['arn:aws:s3:::*\ud83d', ['arn:aws:s3:::x\ud83d', 'arn:aws:s3:::x\ud83d\ude00']],
  ['arn:aws:s3:::x*', ['arn:aws:s3:::x', 'arn:aws:s3:::X']],
  ['*:aws:s3:::x', ['arn:aws:s3:::x']],
  ['arn::s3:::*', ['arn::s3:::x', 'arn:aws:s3:::x']],
  ['a:b:c:d:e:f:g*', ['a:b:c:d:e:f:g:h', 'a:b:c:d:e:f:g']],
  ['a:b*', ['a:b:c:d', 'a:bc']],
  ['a:b:c*', ['a:b:c:d:e:f:g']],
];
for (const [p, inputs] of globCases)
  for (const i of inputs)
    for (const oe of [true, false]) {
      const o = OW.compileArnGlob(p, oe).test(i),
        w = NW.compileArnGlob(p, oe).test(i);
      checks++;
      if (o !== w) report('compileArnGlob', p, i, oe);
      const og = OW.compileGlob(p).test(i),
        wg = NW.compileGlob(p).test(i);
      checks++;
      if (og !== wg) report('compileGlob', p, i);
    }
const ev = (r) => {
  const o = JSON.stringify(OLD.evaluate(r)),
    w = JSON.stringify(NEW.evaluate(r));
  checks++;
  if (o !== w) report(JSON.stringify(r), '\n', o, '\n', w);
};
// memo: same doc, alternate resolutions
for (const tpl of [
  'arn:aws:s3:::bkt/${aws:username}/*',
  "arn:aws:s3:::bkt/${aws:username, 'alice'}/*",
  'arn:aws:s3:::bkt/${aws:PrincipalTag/t}${*}*',
  'arn:aws:s3:::bkt/${aws:PrincipalTag/t}?',
  'arn:aws:s3:::bkt/${$}${aws:PrincipalTag/t}',
]) {
  for (const version of ['2012-10-17', '2008-10-17'])
    for (const eff of ['Allow', 'Deny'])
      for (const res of ['Resource', 'NotResource']) {
        const doc = {
          Version: version,
          Statement: [
            { Effect: eff, Action: 's3:GetObject', [res]: tpl },
            ...(eff === 'Deny' ? [{ Effect: 'Allow', Action: '*', Resource: '*' }] : []),
          ],
        };
        const seq = [
          ['alice', 'alice/x'],
          ['bob', 'alice/x'],
          ['alice', 'alice/x'],
          [undefined, 'alice/x'],
          ['bob', 'bob/x'],
          ['alice', 'alice/x'],
          ['*', '*/x'],
          ['*', 'a/x'],
          ['?', '?'],
          ['?', 'a'],
          ['alice', '$alice'],
          ['alice', 'alice*x'],
          ['alice', 'alice?'],
          ['a', 'ab'],
        ];
        for (let rep = 0; rep < 2; rep++)
          for (const [who, key] of seq) {
            const principal =
              who === undefined
                ? `arn:aws:iam::${A}:role/r`
                : `arn:aws:iam::${A}:user/${who === '*' || who === '?' ? 'x' : who}`;
            const context =
              who === undefined
                ? {}
                : {
                    'aws:PrincipalTag/t': who,
                    ...(who === '*' || who === '?' ? { 'aws:username': who } : {}),
                  };
            ev({
              principal,
              action: 's3:GetObject',
              resource: `arn:aws:s3:::bkt/${key}`,
              context,
              identityPolicies: [doc],
            });
          }
      }
}
// 8e18298: many allows, watched keys, shared docs with different actions
const idDoc = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'a1', Effect: 'Allow', Action: 's3:*', Resource: '*' },
    {
      Sid: 'a2',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'maybe' } },
    },
    {
      Sid: 'a3',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '${aws:PrincipalTag/d}' } },
    },
    {
      Sid: 'a4',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/${aws:userid}',
      Condition: {
        StringEquals: { 'aws:ViaAWSService': 'false', 'aws:RequestedRegion': 'us-east-1' },
      },
    },
    {
      Sid: 'd1',
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: '*',
      Condition: {
        Bool: { 'aws:MultiFactorAuthPresent': 'false' },
        StringLike: { 'aws:PrincipalArn': '*admin*' },
      },
    },
    {
      Sid: 'a5',
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: {
        NumericLessThan: { 'aws:EpochTime': '${aws:PrincipalTag/n}' },
        StringLike: { 'aws:UserAgent': '*' },
      },
    },
  ],
};
const rcp = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Principal: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    },
    {
      Effect: 'Deny',
      Action: 's3:*',
      Resource: '*',
      Principal: '*',
      Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } },
    },
  ],
};
const rp = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'r1',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::b/*',
      Principal: { AWS: A },
    },
    {
      Sid: 'r2',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::b/*',
      Principal: { AWS: `arn:aws:sts::${A}:assumed-role/r/s` },
      Condition: { StringEquals: { 'aws:TokenIssueTime': 'x' } },
    },
    {
      Sid: 'r3',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::b/*',
      Principal: { AWS: `arn:aws:iam::${A}:role/r` },
    },
  ],
};
const principals = [
  `arn:aws:iam::${A}:role/r`,
  `arn:aws:sts::${A}:assumed-role/r/s`,
  `arn:aws:iam::${A}:user/u`,
  `arn:aws:iam::${A}:root`,
  `arn:aws:sts::${A}:federated-user/f`,
  `arn:aws:iam::444455556666:role/x`,
];
for (const principal of principals)
  for (const action of [
    's3:GetObject',
    's3:PutObject',
    's3:DeleteObject',
    's3:ListBucket',
    'ec2:RunInstances',
    's3:GetObject',
  ])
    for (const ctx of [
      undefined,
      { 'aws:SecureTransport': 'true' },
      {
        'aws:PrincipalTag/d': '2020-01-01T00:00:00Z',
        'aws:PrincipalTag/n': '99999999999',
        'aws:UserAgent': 'x',
      },
      { 'aws:ViaAWSService': 'false', 'aws:RequestedRegion': 'us-east-1', 'aws:userid': 'AID:x' },
    ])
      for (const extra of [
        {},
        { rcps: [[rcp]] },
        { resourcePolicy: rp },
        { permissionBoundary: idDoc },
        { sessionPolicy: idDoc, scps: [[idDoc, rcp], [idDoc]] },
        { resourcePolicy: rp, rcps: [[rcp]], permissionBoundary: idDoc },
      ])
        ev({
          principal,
          action,
          resource: 'arn:aws:s3:::b/k',
          ...(ctx ? { context: ctx } : {}),
          identityPolicies: [idDoc, idDoc],
          ...extra,
        });

// 3. random requests over a small pool of random documents
const PD = 0.15,
  PC = 0.5,
  POOLN = 20; // Deny share, condition share, documents per pool
const B = '444455556666';
const PRINCIPALS = [
  `arn:aws:iam::${A}:role/r1`,
  `arn:aws:iam::${A}:role/path/r1`,
  `arn:aws:sts::${A}:assumed-role/r1/s`,
  `arn:aws:iam::${A}:user/alice`,
  `arn:aws:iam::${A}:root`,
  A,
  `arn:aws:sts::${A}:federated-user/bob`,
  `arn:aws:iam::${B}:role/x`,
  'codebuild.amazonaws.com',
  `arn:aws:iam::${A}:role/aws-service-role/s.amazonaws.com/AWSServiceRoleFor`,
];
const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'sts:AssumeRole',
  'kms:Decrypt',
  'kms:CreateAlias',
  'iam:PassRole',
  'codebuild:StartBuild',
  'ec2:RunInstances',
  's3:ListAllMyBuckets',
];
const RESOURCES = [
  'arn:aws:s3:::bkt/alice/x',
  'arn:aws:s3:::bkt/bob/x',
  'arn:aws:s3:::bkt',
  'arn:aws:s3:::bkt/a:b:c',
  'arn:aws:s3:::Bkt/alice/x',
  `arn:aws:iam::${A}:role/r1`,
  `arn:aws:iam::${A}:role/path/r1`,
  `arn:aws:kms:us-east-1:${A}:key/k1`,
  `arn:aws:kms:us-east-1:${B}:key/k1`,
  `arn:aws:kms:us-east-1:${A}:alias/a`,
  `arn:aws:codebuild:us-east-1:${A}:project/p`,
  '*',
  `arn:aws:ec2:us-east-1:${A}:instance/i-1`,
  'arn:aws:s3:::bkt/\u00e9/\ud83d\ude00',
  'arn:aws:s3:::bkt/*/x',
  'arn:aws:s3:::bkt/?',
  'arn:aws-cn:s3:::bkt/x',
];
const RPAT = [
  '*',
  'arn:aws:s3:::bkt/*',
  'arn:aws:s3:::bkt/${aws:username}/*',
  "arn:aws:s3:::bkt/${aws:username, 'bob'}/*",
  'arn:aws:s3:::bkt/${aws:PrincipalTag/team}/*',
  'arn:aws:s3:::bkt/${*}/x',
  'arn:aws:s3:::bkt/${?}',
  'arn:aws:s3:::bkt/${$}*',
  'arn:aws:s3:::bkt',
  'arn:aws:s3:::*',
  'arn:*:s3:::bkt/*',
  'arn:aws:s?:::bkt/*',
  'arn:aws:s3:*:*:*',
  'arn:aws:s3::',
  'arn:aws:s3:::',
  'arn:aws:s3:::bkt/a:*',
  'arn:aws:s3:::bkt/a:b:c',
  'arn:aws:iam::*:role/*',
  `arn:aws:iam::${A}:role/r?`,
  `arn:aws:iam::${A}:role/*r1`,
  `arn:aws:kms:*:${A}:key/*`,
  'arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*',
  'arn:${aws:userid}:s3:::bkt/*',
  'arn:aws',
  'arn:aws*',
  'arn:aws:s3:::bkt/*/x',
  'arn:aws:s3:::bkt/\u00e9/*',
  'arn:aws:s3:::bkt/*\ud83d\ude00',
  'arn:aws:s3:::bkt/${aws:userid}',
  `arn:aws:codebuild:us-east-1:${A}:project/*`,
  'arn:aws:s3:::bkt/${aws:CurrentTime}*',
  'arn:aws:s3:::bkt/${aws:PrincipalArn}',
  'arn:aws:s3:::bkt/${s3:prefix}*',
  'arn:aws:s3:::Bkt/*',
];
const CKEYS = [
  'aws:username',
  'aws:PrincipalArn',
  'aws:SecureTransport',
  'aws:ViaAWSService',
  'aws:CurrentTime',
  'aws:userid',
  'aws:MultiFactorAuthPresent',
  'aws:PrincipalTag/team',
  's3:prefix',
  'aws:SourceIp',
  'aws:PrincipalAccount',
  'aws:RequestedRegion',
  'aws:TokenIssueTime',
  'aws:EpochTime',
  'aws:UserAgent',
  'AWS:UserName',
  'kms:CallerAccount',
  'aws:ResourceAccount',
];
const OPS = [
  'StringEquals',
  'StringLike',
  'StringNotEquals',
  'Bool',
  'ArnLike',
  'ArnEquals',
  'IpAddress',
  'NotIpAddress',
  'DateGreaterThan',
  'NumericLessThan',
  'StringEqualsIfExists',
  'Null',
  'ForAnyValue:StringLike',
  'ForAllValues:StringEquals',
  'StringLikeIfExists',
  'BoolIfExists',
];
const CVALS = [
  'true',
  'false',
  'alice',
  'bob',
  '${aws:username}',
  'a*',
  `arn:aws:iam::${A}:role/*`,
  '10.0.0.0/8',
  '2020-01-01T00:00:00Z',
  '5',
  'not-a-date',
  '${aws:PrincipalTag/team}',
  '*',
  'us-east-1',
  '${aws:CurrentTime}',
  'x?',
];
function condition() {
  const c = {};
  const k = 1 + Math.floor(rnd() * 2);
  for (let i = 0; i < k; i++) {
    const op = pick(OPS);
    c[op] ??= {};
    const vals = [];
    const nv = 1 + Math.floor(rnd() * 2);
    for (let j = 0; j < nv; j++) vals.push(pick(CVALS));
    c[op][pick(CKEYS)] = vals.length === 1 ? vals[0] : vals;
  }
  return c;
}
function principalEl() {
  return pick([
    '*',
    { AWS: '*' },
    { AWS: A },
    { AWS: `arn:aws:iam::${A}:root` },
    { AWS: `arn:aws:iam::${A}:role/r1` },
    { AWS: `arn:aws:iam::${A}:user/alice` },
    { AWS: `arn:aws:sts::${A}:assumed-role/r1/s` },
    { Service: 'codebuild.amazonaws.com' },
    { AWS: B },
    { AWS: [`arn:aws:iam::${A}:role/r1`, A] },
  ]);
}
function statement(resourceSide, i) {
  const st = { Effect: rnd() < PD ? 'Deny' : 'Allow' };
  if (rnd() < 0.5) st.Sid = `s${i}`;
  const acts = [
    pick(ACTIONS),
    pick(['s3:*', '*', 's3:Get*', 'sts:*', 'kms:*', 'iam:PassRole', 's3:?etObject']),
  ];
  if (rnd() < 0.15) st.NotAction = acts.slice(0, 1);
  else st.Action = rnd() < 0.5 ? acts[0] : acts;
  const rs = [];
  const nr = 1 + Math.floor(rnd() * 2);
  for (let j = 0; j < nr; j++) rs.push(pick(RPAT));
  if (rnd() < 0.15) st.NotResource = rs;
  else if (!(resourceSide && rnd() < 0.3)) st.Resource = rs.length === 1 ? rs[0] : rs;
  if (resourceSide) {
    if (rnd() < 0.1) st.NotPrincipal = principalEl();
    else st.Principal = principalEl();
  }
  if (rnd() < PC) st.Condition = condition();
  return st;
}
function policy(resourceSide) {
  const n = 1 + Math.floor(rnd() * 5);
  const sts = [];
  for (let i = 0; i < n; i++) sts.push(statement(resourceSide, i));
  return { Version: rnd() < 0.15 ? '2008-10-17' : '2012-10-17', Statement: sts };
}
const POOL = { id: [], res: [], other: [] };
for (let i = 0; i < POOLN; i++) {
  POOL.id.push(policy(false));
  POOL.res.push(policy(true));
  POOL.other.push(policy(false));
}
const CTXV = {
  'aws:username': ['alice', 'bob', 'a*b', '?'],
  'aws:PrincipalTag/team': ['t1', 't2', '*', ''],
  'aws:SecureTransport': ['true', true, 'false'],
  'aws:SourceIp': ['10.1.2.3', '192.168.0.1', 'bad'],
  'aws:CurrentTime': ['2021-01-01T00:00:00Z'],
  'aws:PrincipalArn': [`arn:aws:iam::${A}:role/path/r1`],
  's3:prefix': ['alice/', ['a', 'b']],
  'AWS:USERNAME': ['carol'],
  'aws:ViaAWSService': ['false'],
};
function request() {
  const r = { principal: pick(PRINCIPALS), action: pick(ACTIONS), resource: pick(RESOURCES) };
  if (rnd() < 0.6) {
    r.context = {};
    for (const [k, vs] of Object.entries(CTXV)) if (rnd() < 0.25) r.context[k] = pick(vs);
  }
  if (rnd() < 0.9) {
    r.identityPolicies = [];
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) r.identityPolicies.push(pick(POOL.id));
  }
  if (rnd() < 0.6) r.resourcePolicy = pick(POOL.res);
  if (rnd() < 0.25) r.permissionBoundary = pick(POOL.other);
  if (rnd() < 0.15) r.sessionPolicy = pick(POOL.other);
  if (rnd() < 0.3) {
    r.scps = [];
    const l = 1 + Math.floor(rnd() * 2);
    for (let i = 0; i < l; i++)
      r.scps.push([pick(POOL.other), ...(rnd() < 0.5 ? [pick(POOL.other)] : [])]);
  }
  if (rnd() < 0.3) {
    r.rcps = [[pick(POOL.res)]];
  }
  if (rnd() < 0.05) r.resourceAccount = B;
  return r;
}
for (let t = 0; t < Number(countArg); t++) {
  const r = request();
  const o = JSON.stringify(OLD.evaluate(r));
  const w = JSON.stringify(NEW.evaluate(r));
  checks++;
  if (o !== w) report(JSON.stringify(r), '\n', o, '\n', w);
}
console.log(`checks ${checks}, differences ${diffs}`);
process.exitCode = diffs > 0 ? 1 : 0;
