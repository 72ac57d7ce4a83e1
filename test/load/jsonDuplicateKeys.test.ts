/**
 * Duplicate member names in JSON text permchain parses itself: found in one linear pass
 * (src/load/jsonFile.ts), refused in a policy document (src/policy/parse.ts: the statement that
 * holds one is unreadable, a top-level one the whole document), refused in a CLI request file
 * (src/cli/readJson.ts), and ignored outside policy documents in snapshot files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../../src/cli/readJson.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import {
  MAX_LISTED,
  findDuplicateMembers,
  parseJsonFindingDuplicates,
} from '../../src/jsonDuplicates.js';
import { readJson as readSnapshotJson } from '../../src/load/snapshotFiles.js';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { parsePolicy } from '../../src/policy/parse.js';
import type { Problem } from '../../src/problems.js';
import { editJson, inScenarioCopy } from '../chain/scenarioCopy.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function summary(problems: readonly Problem[]): [string, string, string][] {
  return problems
    .filter((p) => p.id.endsWith('duplicate-key'))
    .map((p) => [p.severity, p.id, p.pointer]);
}

describe('findDuplicateMembers', () => {
  it('finds a member name an object already has, at its pointer, once per object', () => {
    const text = '{"Statement":[{"Effect":"Allow","Action":"*","Effect":"Deny","Effect":"x"}]}';
    expect(findDuplicateMembers(text)).toEqual([
      { pointer: '/Statement/0/Effect', parent: ['Statement', 0], name: 'Effect' },
    ]);
  });

  it('tracks array indexes and nesting, and leaves names in different objects alone', () => {
    const text = JSON.stringify({ a: [1, { b: 1 }, [2, 3], { b: 2, c: { b: 3 } }] }).replace(
      '"c":',
      '"b":4,"c":',
    );
    expect(findDuplicateMembers(text).map((d) => d.pointer)).toEqual(['/a/3/b']);
  });

  it('compares names after escapes and escapes the pointer (RFC 6901)', () => {
    expect(findDuplicateMembers('{"ab":1,"a\\u0062":2}').map((d) => d.pointer)).toEqual(['/ab']);
    expect(findDuplicateMembers('{"a/~b":1,"a/~b":2}').map((d) => d.pointer)).toEqual(['/a~1~0b']);
  });

  it('is not misled by quotes, braces, commas and backslashes inside strings', () => {
    const tricky = '{"k":"\\\\","v":"a\\"b,{\\"k\\":1,\\"k\\":2}","w":["\\\\\\"",",{"],"x":{}}';
    expect(JSON.parse(tricky)).toBeTruthy();
    expect(findDuplicateMembers(tricky)).toEqual([]);
    expect(findDuplicateMembers(tricky.replace('"x":', '"k":'))).toEqual([
      { pointer: '/k', parent: [], name: 'k' },
    ]);
  });

  it('handles objects past the small-object list', () => {
    const names = Array.from({ length: 40 }, (_, i) => `"m${i}":${i}`);
    expect(findDuplicateMembers(`{${names.join(',')},"m3":0}`).map((d) => d.pointer)).toEqual([
      '/m3',
    ]);
    expect(findDuplicateMembers(`{${names.join(',')}}`)).toEqual([]);
  });
});

describe('parseJsonFindingDuplicates', () => {
  // its first count (member names in the text against members parsed) must never miss one
  it('finds what findDuplicateMembers finds, with strings that look like members', () => {
    const texts = [
      '{"a":"x\\":","a":1}',
      '{"a":"\\\\","b":{"c":[{"d":1,"d":2}]}}',
      '{"__proto__":1,"__proto__":2}',
      '{"k" : 1 , "k"\n:\t2}',
      '[{"a":1},{"a":2},{"b":{"a":1,"a":1}}]',
      '{"a":{"x":1},"a":{"y":2}}',
    ];
    for (const text of texts) {
      const found = findDuplicateMembers(text);
      expect(found.length, text).toBeGreaterThan(0);
      expect(parseJsonFindingDuplicates(text).duplicates, text).toEqual(found);
    }
  });

  it('finds none where there is none, names in strings and arrays included', () => {
    for (const text of [
      '{"a":"\\"b\\":","b":[":",{"a":":"}],"c":{}}',
      '{"__proto__":{"__proto__":1}}',
      '["a","a",{"a":1}]',
      '{"a":"\\\\","b":"\\""}',
    ]) {
      expect(JSON.parse(text)).toBeDefined();
      expect(parseJsonFindingDuplicates(text).duplicates, text).toEqual([]);
    }
  });
});

const V = '2012-10-17';
const ROLE = 'arn:aws:iam::111122223333:role/DeployRole';

function policyText(statements: string): string {
  return `{"Version":"${V}","Statement":[${statements}]}`;
}

describe('a policy document given as JSON text', () => {
  it('refuses the statement with a duplicate Effect, and the request that reads it', () => {
    const text = policyText(
      '{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"},' +
        '{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Effect":"Allow"}',
    );
    const r = parsePolicy(text, { name: 'p' });
    expect(summary(r.problems)).toEqual([['error', 'policy.duplicate-key', '/Statement/1/Effect']]);
    expect(r.problems[0]!.message).toContain('statement 2: the member `Effect` appears twice');
    expect(r.policy!.statements).toHaveLength(1);
    expect(r.policy!.skipped).toEqual(['/Statement/1']);
    // JSON.parse alone would read the second statement as an Allow
    const result = evaluate({
      principal: ROLE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      resourceAccount: '111122223333',
      identityPolicies: [text],
    });
    expect(result.decision).not.toBe('Allowed');
    expect(summary(result.problems)).toEqual([
      ['error', 'policy.duplicate-key', '/identityPolicies/0/Statement/1/Effect'],
    ]);
  });

  it('refuses a duplicate condition operator (the second would silently replace the first)', () => {
    const text = policyText(
      '{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{' +
        '"StringEquals":{"aws:PrincipalTag/team":"a"},' +
        '"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}',
    );
    const r = parsePolicy(text, { name: 'p', pointer: '/doc' });
    expect(summary(r.problems)).toEqual([
      ['error', 'policy.duplicate-key', '/doc/Statement/0/Condition/StringEquals'],
    ]);
    expect(r.policy!.statements).toEqual([]);
    expect(r.policy!.skipped).toEqual(['/doc/Statement/0']);
  });

  it('makes the document unreadable for two `Statement`s, also URL-encoded', () => {
    const text =
      `{"Version":"${V}","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}],` +
      `"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`;
    for (const input of [text, encodeURIComponent(text)]) {
      const r = parsePolicy(input, { name: 'p' });
      expect(summary(r.problems)).toEqual([['error', 'policy.duplicate-key', '/Statement']]);
      expect(r.policy!.skipped).toEqual(['/Statement']);
    }
  });

  it('refuses a single-object Statement with a duplicate inside', () => {
    const text = `{"Version":"${V}","Statement":{"Effect":"Allow","Action":"*","Action":"s3:*","Resource":"*"}}`;
    const r = parsePolicy(text, { name: 'p' });
    expect(summary(r.problems)).toEqual([['error', 'policy.duplicate-key', '/Statement/Action']]);
    expect(r.policy!.statements).toEqual([]);
    expect(r.policy!.skipped).toEqual(['/Statement']);
  });

  it('reports only the outer duplicate when a whole member is repeated', () => {
    const text =
      `{"Version":"${V}","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}],` +
      `"Statement":[]}`;
    const r = parsePolicy(text, { name: 'p' });
    expect(summary(r.problems)).toEqual([['error', 'policy.duplicate-key', '/Statement']]);
  });

  it('reads a 1 MB document in one pass and finds the duplicate at its end', () => {
    const statement = (i: number): string =>
      `{"Sid":"S${i}","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-${i}/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"t${i}"}}}`;
    const list = Array.from({ length: 6000 }, (_, i) => statement(i));
    const clean = policyText(list.join(','));
    expect(clean.length).toBeGreaterThan(1_000_000);
    const ok = parsePolicy(clean, { name: 'big' });
    expect(ok.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(ok.policy!.statements).toHaveLength(6000);
    list[5999] = list[5999]!.replace('"Sid":', '"Resource":"*","Sid":');
    const bad = parsePolicy(policyText(list.join(',')), { name: 'big' });
    expect(summary(bad.problems)).toEqual([
      ['error', 'policy.duplicate-key', '/Statement/5999/Resource'],
    ]);
    expect(bad.policy!.statements).toHaveLength(5999);
    expect(bad.policy!.skipped).toEqual(['/Statement/5999']);
  });

  it('leaves an object input (no text, nothing to check) and a clean text alone', () => {
    const r = parsePolicy(policyText('{"Effect":"Allow","Action":"*","Resource":"*"}'), {
      name: 'p',
    });
    expect(r.problems).toEqual([]);
    expect(parseJsonFindingDuplicates('{"a":{"a":{"a":1}}}')).toEqual({
      value: { a: { a: { a: 1 } } },
      duplicates: [],
      more: false,
    });
  });
});

describe('files', () => {
  function withFile<T>(text: string, fn: (path: string) => T): T {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-dup-'));
    try {
      const path = join(dir, 'f.json');
      writeFileSync(path, text);
      return fn(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a CLI request file with a duplicate member is refused at its pointer', () => {
    const text =
      '{"principal":"p","context":{"aws:SourceIp":"10.0.0.1","aws:SourceIp":"192.0.2.1"},' +
      '"identityPolicies":[{"Statement":[{"Effect":"Deny","Effect":"Allow"}]}]}';
    const read = withFile(text, (path) => readJsonFile(path, 'request.json'));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problem).toMatchObject({
      file: 'request.json',
      pointer: '/context/aws:SourceIp',
      id: 'json.duplicate-key',
      severity: 'error',
    });
    expect(read.problem.message).toContain('(and 1 more duplicate member)');
    const clean = withFile('{"principal":"p"}', (path) => readJsonFile(path, 'r.json'));
    expect(clean).toEqual({ ok: true, value: { principal: 'p' } });
  });

  it('a snapshot file: each duplicate member is an input error at its pointer', () => {
    const model = inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
      const file = join(dir, '222222222222/iam.json');
      editJson(file, (d) => {
        const doc = (d as Json)['RoleDetailList'][0]['RolePolicyList'][0]['PolicyDocument'];
        doc.Statement.push({
          Sid: 'DupMark',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
        });
      });
      const text = readFileSync(file, 'utf8');
      const edited = text
        .replace('"Sid": "DupMark",', '"Sid": "DupMark", "Effect": "Deny",')
        .replace('"RoleName":', '"Path": "/", "RoleName":');
      expect(edited).not.toBe(text);
      writeFileSync(file, edited);
      return loadSnapshot(dir);
    });
    const dup = model.problems.filter((p) => p.id.endsWith('duplicate-key'));
    expect(dup.map((p) => [p.file, p.id, p.severity])).toEqual([
      ['222222222222/iam.json', 'snapshot.json.duplicate-key', 'error'],
      ['222222222222/iam.json', 'snapshot.json.duplicate-key', 'error'],
    ]);
    expect(dup[0]!.pointer).toBe('/RoleDetailList/0/Path');
    expect(dup[1]!.pointer).toMatch(
      /^\/RoleDetailList\/0\/RolePolicyList\/0\/PolicyDocument\/Statement\/\d+\/Effect$/,
    );
  });

  // a whole policy document written twice, the second with a Condition operator twice that
  // widens it: neither may be read; the role's links are Unknown, naming the member
  it('a snapshot file: a duplicated PolicyDocument leaves its role unknown, not allowed', () => {
    const ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';
    const links = (edit: boolean): ReturnType<typeof analyzeModel>['pipelines'][number]['links'] =>
      inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
        const file = join(dir, '222222222222/iam.json');
        if (edit) {
          const text = readFileSync(file, 'utf8');
          const wide = JSON.stringify({
            Version: V,
            Statement: [
              {
                Effect: 'Allow',
                Action: '*',
                Resource: '*',
                Condition: {
                  IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
                },
              },
            ],
          }).replace(
            '"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}',
            '"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}',
          );
          const edited = text.replace(
            '"PolicyDocument":',
            `"PolicyDocument": ${wide}, "PolicyDocument":`,
          );
          expect(edited).not.toBe(text);
          writeFileSync(file, edited);
        }
        return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
      });
    const before = links(false).filter((l) => l.principal === ROLE);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((l) => l.decision === 'Allowed')).toBe(true);
    const after = links(true).filter((l) => l.principal === ROLE);
    expect(after.map((l) => l.decision)).toEqual(before.map(() => 'Unknown'));
    expect(after[0]!.why).toContain('iam.json#/RoleDetailList/0/RolePolicyList/0/PolicyDocument');
  });
});

describe('hostile duplicates', () => {
  // the 60 s timeouts are hang guards for the inputs that were cubic and quadratic, not speed
  // measurements: 5,000 levels of nesting around one object with a member twice took 2.6 s, and
  // 60,000 distinct names written twice in one object 27 s
  it('lists at most MAX_LISTED duplicates, whatever the depth, and says there are more', () => {
    const depth = 20_000;
    const deep = '['.repeat(depth) + '{"a":1,"a":2}' + ']'.repeat(depth);
    const one = parseJsonFindingDuplicates(deep);
    expect(one.duplicates).toHaveLength(1);
    expect(one.duplicates[0]!.pointer).toBe('/0'.repeat(depth - 1) + '/0/a');
    expect(one.more).toBe(false);
    const many = '['.repeat(1000) + Array(5000).fill('{"a":1,"a":2}').join(',') + ']'.repeat(1000);
    const r = parseJsonFindingDuplicates(many);
    expect(r.duplicates).toHaveLength(MAX_LISTED);
    expect(r.more).toBe(true);
  }, 60_000);

  it('a policy text with more duplicates than are listed is unreadable as a whole', () => {
    const names = Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(',');
    const wide = parseJsonFindingDuplicates(`{${names},${names}}`);
    expect(wide.duplicates).toHaveLength(MAX_LISTED);
    expect(wide.more).toBe(true);
    const conditions = Array.from({ length: 150 }, (_, i) => `"StringEquals":{"k${i}":"v"}`);
    const text = policyText(
      `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{${conditions.join(',')}}},` +
        Array.from(
          { length: 150 },
          (_, i) => `{"Sid":"S${i}","Sid":"T${i}","Effect":"Deny","Action":"*","Resource":"*"}`,
        ).join(','),
    );
    const { problems, policy } = parsePolicy(text, { name: 'p' });
    expect(summary(problems)).toContainEqual(['error', 'policy.duplicate-key', '']);
    expect(policy!.skipped).toContain('');
    const r = evaluate({
      principal: ROLE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      identityPolicies: [text],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.allowedBy).toEqual([]);
  }, 60_000);
});

describe('a snapshot file with more duplicates than are listed', () => {
  it('lists MAX_LISTED at their pointers and one more error for the whole file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-dup-'));
    try {
      const names = Array.from({ length: 150 }, (_, i) => `"k${i}":1`).join(',');
      writeFileSync(join(dir, 'iam.json'), `{${names},${names}}`);
      const problems: Problem[] = [];
      expect(readSnapshotJson(dir, 'iam.json', problems)).toBeDefined();
      expect(problems).toHaveLength(MAX_LISTED + 1);
      expect(problems[0]).toMatchObject({ pointer: '/k0', id: 'snapshot.json.duplicate-key' });
      expect(problems.at(-1)).toEqual({
        file: 'iam.json',
        pointer: '',
        message: `more than ${MAX_LISTED} member names appear twice in the file's objects: the file could be read more than one way`,
        id: 'snapshot.json.duplicate-key',
        severity: 'error',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('files that hold no policy document', () => {
  it('one with a member name written twice is not read at all: never its last member', () => {
    // (it was read without the check, its last member kept: a pipeline's second roleArn)
    const dir = mkdtempSync(join(tmpdir(), 'permchain-dup-'));
    try {
      writeFileSync(join(dir, 'p.json'), '{"pipeline":{"name":"a","name":"b"}}');
      const problems: Problem[] = [];
      expect(readSnapshotJson(dir, 'p.json', problems, false)).toBeUndefined();
      expect(problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
        '/pipeline/name snapshot.json.duplicate-key',
      ]);
      // a file that holds policies is read, the duplicate reported at its pointer
      const kept: Problem[] = [];
      expect(readSnapshotJson(dir, 'p.json', kept)).toMatchObject({
        value: { pipeline: { name: 'b' } },
      });
      expect(kept.map((p) => p.pointer)).toEqual(['/pipeline/name']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
