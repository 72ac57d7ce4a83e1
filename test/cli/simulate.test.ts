import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'permchain-simulate-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const cli = (...args: string[]) => runCli(dir, ...args);

const request = {
  principal: 'arn:aws:iam::111122223333:role/Name',
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::bucket/key',
  identityPolicies: [
    {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    },
  ],
};

describe('permchain simulate', () => {
  it('a Deny statement that cannot be read: bad input (exit 2), never "Allowed" from the rest (was Allowed)', async () => {
    // the SCP's Deny has a misspelt operator: it is skipped and reported, and the request is
    // not answered from the remaining statements, which allow everything
    const scp = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 's3:Delete*',
          Resource: '*',
          Condition: { StringEqualsIgnoreCas: { 'aws:PrincipalTag/team': 'x' } },
        },
      ],
    };
    const bad = {
      ...request,
      action: 's3:DeleteBucket',
      resource: 'arn:aws:s3:::prod-data',
      identityPolicies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
      ],
      scps: [[scp]],
    };
    const r = await cli('simulate', '--request', file('baddeny.json', bad), '--format', 'json');
    expect(r.code).toBe(2);
    const out = JSON.parse(r.out) as {
      decision: string;
      deniedBy: unknown[];
      problems: { severity: string; pointer: string }[];
    };
    expect(out.decision).toBe('ImplicitlyDenied');
    expect(out.deniedBy).toEqual([]);
    expect(
      out.problems.some(
        (p) => p.severity === 'error' && p.pointer.startsWith('/scps/0/0/Statement/1'),
      ),
    ).toBe(true);
  });

  it('--format json writes no workflow command from a Sid or a value (`##[` broken)', async () => {
    const forged = {
      ...request,
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'x##[error]forged', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
          ],
        },
      ],
    };
    const r = await cli('simulate', '--request', file('forged.json', forged), '--format', 'json');
    expect(r.out).not.toContain('##[');
    expect(JSON.parse(r.out).allowedBy[0].statement).toBe('x##[error]forged');
  });

  it('exit 0 and the JSON contract for an allowed request', async () => {
    const r = await cli('simulate', '--request', file('ok.json', request), '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      decision: 'Allowed',
      deniedBy: [],
      allowedBy: [{ policyType: 'identity', policy: 1, statement: 'Read', explicit: false }],
      problems: [],
    });
  });
  it('an Allow with NotPrincipal: read as written (allowed), with a warning that AWS does not support it', async () => {
    // "Using it with "Effect":"Allow" is not supported"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
    // simulate keeps the evaluator's answer for the one request, and says so on stderr too
    const notPrincipal = {
      ...request,
      identityPolicies: [],
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EveryoneElse',
            Effect: 'Allow',
            NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::bucket/*',
          },
        ],
      },
    };
    const path = file('notprincipal.json', notPrincipal);
    const r = await cli('simulate', '--request', path, '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as {
      decision: string;
      allowedBy: unknown[];
      problems: { id: string; severity: string; pointer: string; message: string }[];
    };
    expect(out.decision).toBe('Allowed');
    expect(out.allowedBy).toEqual([
      { policyType: 'resource', policy: 1, statement: 'EveryoneElse', explicit: false },
    ]);
    expect(out.problems).toEqual([
      expect.objectContaining({
        id: 'policy.notprincipal.allow',
        severity: 'warning',
        pointer: '/resourcePolicy/Statement/0/NotPrincipal',
        message: expect.stringContaining('AWS does not support `NotPrincipal` with `Allow`'),
      }),
    ]);
    const text = await cli('simulate', '--request', path);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Allowed:');
    expect(text.err).toContain('[policy.notprincipal.allow]');
  });
  it('exit 1 and words for a denied request', async () => {
    const r = await cli(
      'simulate',
      '--request',
      file('deny.json', { ...request, identityPolicies: [] }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('ImplicitlyDenied');
    // no identity policy at all: the group is named by whose it is
    expect(r.out).toContain(`no allow in identity policies of ${String(request.principal)}`);
  });
  it('names several identity policies by whose they are, once (was: identity policy `identity policies`)', async () => {
    const allow = (Action: string) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action, Resource: '*' }],
    });
    const r = await cli(
      'simulate',
      '--request',
      file('two.json', { ...request, identityPolicies: [allow('sqs:*'), allow('sns:*')] }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain(`  no allow in identity policies of ${String(request.principal)}\n`);
    expect(r.out).not.toContain('identity policy');
  });
  it('exit 2 with a one-line error naming the file for malformed JSON', async () => {
    const r = await cli('simulate', '--request', file('bad.json', '{"principal": '));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('bad.json');
    expect(r.err).not.toMatch(/\bat .*\.js:\d+/);
  });
  it('never quotes a malformed file (it may hold secrets), and says where', async () => {
    // V8 quotes the text around an unexpected token in its own message, and gives no position:
    // the position is found by src/jsonSyntax.ts
    const secret = '{\n  "principal": "x",\n  "context": {"aws:SourceIp": AKIAIOSFODNN7EXAMPLE}\n}';
    const r = await cli('simulate', '--request', file('secret.json', secret));
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: ${join(dir, 'secret.json')}: not valid json: line 3 column 31 [input.json.invalid]\n`,
    );
    // where V8 gives a position, the message says the same line and column
    const comma = await cli(
      'simulate',
      '--request',
      file('comma.json', '{\n  "principal": "x",\n}'),
    );
    expect(comma.err).toBe(
      `error: ${join(dir, 'comma.json')}: not valid json: line 3 column 1 [input.json.invalid]\n`,
    );
  });
  it('reads a request file that starts with a byte-order mark', async () => {
    const r = await cli(
      'simulate',
      '--request',
      file('bom.json', `\ufeff${JSON.stringify(request)}`),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
  it('exit 2 naming the JSON pointer of an invalid statement', async () => {
    const bad = {
      ...request,
      identityPolicies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 's3:*', Resource: '*' }] },
      ],
    };
    const r = await cli('simulate', '--request', file('stmt.json', bad));
    expect(r.code).toBe(2);
    expect(r.err).toContain('stmt.json#/identityPolicies/0/Statement/0');
  });
  it('exit 2 for a missing file and for an unknown format', async () => {
    expect((await cli('simulate', '--request', join(dir, 'nope.json'))).code).toBe(2);
    expect(
      (await cli('simulate', '--request', file('ok2.json', request), '--format', 'xml')).code,
    ).toBe(2);
  });
  it('refuses a flag that is not a boolean: "false" is not false (it would skip the SCPs)', async () => {
    const scpDeny = [
      [
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }],
        },
      ],
    ];
    const denied = await cli(
      'simulate',
      '--request',
      file('scp.json', { ...request, scps: scpDeny }),
    );
    expect(denied.code).toBe(1);
    for (const key of [
      'principalIsManagementAccount',
      'resourceIsManagementAccount',
      'resourceIsAwsManagedKey',
    ]) {
      for (const value of ['false', 0, null, 'true']) {
        const r = await cli(
          'simulate',
          '--request',
          file('flag.json', { ...request, scps: scpDeny, rcps: scpDeny, [key]: value }),
          '--format',
          'json',
        );
        expect({ key, value, code: r.code }).toEqual({ key, value, code: 2 });
        expect(r.err.trim().split('\n')).toHaveLength(1);
        expect(r.err).toContain(`flag.json#/${key}: \`${key}\` must be true or false`);
        expect(JSON.parse(r.out).decision).not.toBe('Allowed');
      }
    }
    // a real boolean is taken
    const mgmt = await cli(
      'simulate',
      '--request',
      file('mgmt.json', { ...request, scps: scpDeny, principalIsManagementAccount: true }),
    );
    expect(mgmt.code).toBe(0);
  });
  it('refuses a request key it does not know (a typo would drop that policy)', async () => {
    const boundary = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
    };
    const r = await cli(
      'simulate',
      '--request',
      file('typo.json', { ...request, permissionsBoundary: boundary }),
    );
    expect(r.code).toBe(2);
    expect(r.out).not.toMatch(/^Allowed/);
    expect(r.err).toBe(
      `error: ${join(dir, 'typo.json')}#/permissionsBoundary: unknown request key \`permissionsBoundary\`: ` +
        'did you mean `permissionBoundary`? [request.key.unknown]\n',
    );
    const scps = await cli('simulate', '--request', file('scps.json', { ...request, SCPs: [[]] }));
    expect(scps.code).toBe(2);
    expect(scps.err).toContain(`${join(dir, 'scps.json')}#/SCPs: unknown request key`);
    expect(scps.err).toContain('did you mean `scps`?');
    const other = await cli('simulate', '--request', file('other.json', { ...request, note: 'x' }));
    expect(other.code).toBe(2);
    expect(other.err).toBe(
      `error: ${join(dir, 'other.json')}#/note: unknown request key \`note\` [request.key.unknown]\n`,
    );
  });
  it.each([
    ['null', 'null'],
    ['true', 'boolean'],
    ['1', 'number'],
    ['"x"', 'string'],
    ['[]', 'a list'],
  ])('a request file holding %s is one line, exit 2 (null crashed)', async (text, got) => {
    for (const format of ['text', 'json']) {
      const path = file('not-object.json', text);
      const r = await cli('simulate', '--request', path, '--format', format);
      expect(r).toEqual({
        code: 2,
        out: '',
        err: `error: ${path}: request must be a JSON object, got ${got} [request.invalid]\n`,
      });
    }
  });
  it.runIf(existsSync('/dev/zero'))(
    'refuses a device as the request file (it was read forever)',
    async () => {
      const r = await cli('simulate', '--request', '/dev/zero');
      expect(r).toMatchObject({
        code: 2,
        err: 'error: /dev/zero: not a regular file [input.file.unreadable]\n',
      });
    },
  );
  it.runIf(process.platform !== 'win32')(
    'refuses a FIFO as the request file at once (opening it waited for a writer)',
    async () => {
      const fifo = join(dir, 'request.fifo');
      execFileSync('mkfifo', [fifo]);
      const r = await cli('simulate', '--request', fifo);
      expect(r).toMatchObject({
        code: 2,
        err: `error: ${fifo}: not a regular file [input.file.unreadable]\n`,
      });
    },
    10_000,
  );
  it('a service principal given identity policies: allowed as before, with a one-line warning naming the field (was silent)', async () => {
    const denyAll = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
    };
    const svc = {
      principal: 'codebuild.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::111122223333:role/build',
      identityPolicies: [denyAll],
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'codebuild.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    };
    const path = file('service.json', svc);
    const r = await cli('simulate', '--request', path);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'Allowed: codebuild.amazonaws.com -> sts:AssumeRole on arn:aws:iam::111122223333:role/build\n' +
        // the role's trust policy, named so (was: resource policy #1, statement 1)
        '  allowed by trust policy of role arn:aws:iam::111122223333:role/build, statement 1\n',
    );
    const lines = r.err.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warning: .*service\.json#\/identityPolicies: principal `codebuild\.amazonaws\.com` is a service principal, .* \[request\.service-principal\.policy-not-applied\]$/,
    );
  });
  describe('the text names the resource policy as what the request makes it; the JSON keeps `resource` (was: resource policy #1)', () => {
    const ROLE = 'arn:aws:iam::222222222222:role/target';
    const CALLER = 'arn:aws:iam::111111111111:role/caller';
    const KEY = 'arn:aws:kms:us-east-1:222222222222:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
    const allowAll = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    };
    const resourcePolicy = (statement: object) => ({
      Version: '2012-10-17',
      Statement: [statement],
    });
    const run = async (name: string, req: object, format = 'text') =>
      cli('simulate', '--request', file(name, req), '--format', format);

    it('sts:AssumeRole, TagSession on a role: the trust policy of the role; JSON unchanged', async () => {
      const trust = {
        principal: CALLER,
        action: 'sts:AssumeRole',
        resource: ROLE,
        identityPolicies: [allowAll],
        resourcePolicy: resourcePolicy({
          Effect: 'Allow',
          Principal: { AWS: CALLER },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        }),
      };
      const r = await run('trust.json', trust);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        `Allowed: ${CALLER} -> sts:AssumeRole on ${ROLE}\n` +
          `  allowed by trust policy of role ${ROLE}, statement 1\n` +
          '  allowed by identity policy #1, statement 1\n',
      );
      const tag = await run('tag.json', { ...trust, action: 'sts:TagSession' });
      expect(tag.out).toContain(`  allowed by trust policy of role ${ROLE}, statement 1\n`);
      const json = await run('trust.json', trust, 'json');
      expect((JSON.parse(json.out) as { allowedBy: unknown[] }).allowedBy).toEqual([
        { policyType: 'resource', policy: 1, statement: 1, explicit: false },
        { policyType: 'identity', policy: 1, statement: 1, explicit: false },
      ]);
      // none given: the missing trust policy, named as missing (was: resource policy `trust policy`)
      const { resourcePolicy: _, ...none } = trust;
      const n = await run('notrust.json', none);
      expect(n.code).toBe(1);
      expect(n.out).toContain(`  no allow in trust policy of role ${ROLE} (none given)\n`);
      expect(
        (JSON.parse((await run('notrust.json', none, 'json')).out) as { deniedBy: unknown[] })
          .deniedBy,
      ).toEqual([{ policyType: 'resource', policy: 'trust policy', explicit: false }]);
    });

    it('an sts: action on a role that the trust policy does not decide: none read (was: trust policy of role); one the catalog does not know: said so', async () => {
      // a role of the caller's own account
      const own = 'arn:aws:iam::111111111111:role/target';
      const decode = {
        principal: CALLER,
        action: 'sts:DecodeAuthorizationMessage',
        resource: own,
        identityPolicies: [allowAll],
      };
      const d = await run('decode.json', decode);
      expect(d.code).toBe(0);
      expect(d.out).toBe(
        `Allowed: ${CALLER} -> sts:DecodeAuthorizationMessage on ${own}\n` +
          '  allowed by identity policy #1, statement 1\n',
      );
      expect(d.err).toBe('');
      const given = await run('decode-given.json', {
        ...decode,
        identityPolicies: [],
        resourcePolicy: resourcePolicy({
          Effect: 'Allow',
          Principal: { AWS: CALLER },
          Action: '*',
        }),
      });
      expect(given.code).toBe(1);
      expect(given.out).toContain('  no allow in identity policies of');
      expect(given.err).toContain('[request.resource-policy.not-applicable]');
      // an action the catalog does not know: decided as a trust action, and said to be unknown
      const nope = await run('nope.json', { ...decode, action: 'sts:Nope' });
      expect(nope.code).toBe(1);
      expect(nope.out).toContain(`  no allow in trust policy of role ${own} (none given)\n`);
      const lines = nope.err.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(
        /^warning: .*nope\.json#\/resourcePolicy: `sts:Nope` is not in the AWS action catalog, so whether a role's trust policy decides it is not known: .*\[request\.trust-policy\.missing\]$/,
      );
    });

    it('a KMS operation on a key: the key policy of the key', async () => {
      const r = await run('key.json', {
        principal: 'arn:aws:iam::222222222222:role/user',
        action: 'kms:Decrypt',
        resource: KEY,
        identityPolicies: [allowAll],
        resourcePolicy: resourcePolicy({
          Sid: 'NoDecrypt',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
        }),
      });
      expect(r.code).toBe(1);
      expect(r.out).toContain(
        `  explicitly denied by key policy of key ${KEY}, statement \`NoDecrypt\`\n`,
      );
    });

    it('an s3: action on an object or a bucket: the bucket policy of the bucket', async () => {
      const read = {
        principal: CALLER,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::prod-data/builds/app.zip',
        identityPolicies: [allowAll],
        resourcePolicy: resourcePolicy({
          Effect: 'Allow',
          Principal: { AWS: CALLER },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::prod-data', 'arn:aws:s3:::prod-data/*'],
        }),
      };
      const r = await run('object.json', read);
      expect(r.code).toBe(0);
      expect(r.out).toContain('  allowed by bucket policy of bucket prod-data, statement 1\n');
      const list = await run('bucket.json', {
        ...read,
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::prod-data',
      });
      expect(list.out).toContain('  allowed by bucket policy of bucket prod-data, statement 1\n');
    });

    it('any other resource policy keeps its words', async () => {
      const topic = 'arn:aws:sns:us-east-1:222222222222:alerts';
      const r = await run('topic.json', {
        principal: CALLER,
        action: 'sns:Publish',
        resource: topic,
        identityPolicies: [allowAll],
        resourcePolicy: resourcePolicy({
          Effect: 'Allow',
          Principal: { AWS: CALLER },
          Action: 'sns:Publish',
          Resource: topic,
        }),
      });
      expect(r.code).toBe(0);
      expect(r.out).toContain('  allowed by resource policy #1, statement 1\n');
    });

    it('a missing resource allow where no policy was read: none given, or why (was: resource policy `resource`, a policy of that name)', async () => {
      const topic = 'arn:aws:sns:us-east-1:222222222222:alerts';
      const publish = {
        principal: CALLER,
        action: 'sns:Publish',
        resource: topic,
        identityPolicies: [allowAll],
      };
      const r = await run('notopic.json', publish);
      expect(r.code).toBe(1);
      expect(r.out).toBe(
        `ImplicitlyDenied: ${CALLER} -> sns:Publish on ${topic}\n` +
          '  no allow in resource policy (none given)\n',
      );
      // the JSON keeps the evaluator's placeholder
      expect(
        (JSON.parse((await run('notopic.json', publish, 'json')).out) as { deniedBy: unknown[] })
          .deniedBy,
      ).toEqual([{ policyType: 'resource', policy: 'resource', explicit: false }]);
      // an S3 access point names no bucket: a resource policy, none given
      const ap = await run('ap.json', {
        ...publish,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:us-east-1:222222222222:accesspoint/ap/object/a/b.zip',
      });
      expect(ap.out).toContain('  no allow in resource policy (none given)\n');
      // a role of another account passed: no resource policy can allow an IAM action
      const pass = { ...publish, action: 'iam:PassRole', resource: ROLE };
      const p = await run('pass.json', pass);
      expect(p.code).toBe(1);
      expect(p.out).toContain('  no allow in resource policy (IAM resources have none)\n');
      const given = await run('pass-given.json', {
        ...pass,
        resourcePolicy: resourcePolicy({ Effect: 'Allow', Principal: '*', Action: '*' }),
      });
      expect(given.out).toContain('  no allow in resource policy (IAM resources have none)\n');
      expect(given.err).toContain('[request.resource-policy.not-applicable]');
      // an alias action on an alias of another account: the policy given is not read
      const alias = await run('alias.json', {
        ...publish,
        action: 'kms:CreateAlias',
        resource: 'arn:aws:kms:us-east-1:222222222222:alias/build',
        resourcePolicy: resourcePolicy({ Effect: 'Allow', Principal: '*', Action: '*' }),
      });
      expect(alias.out).toContain('  no allow in resource policy (not read)\n');
      expect(alias.err).toContain('[request.kms.alias-resource-policy]');
    });
  });
  it('--help and --version exit 0', async () => {
    const h = await cli('--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('simulate');
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
