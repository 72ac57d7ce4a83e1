/**
 * fixtures/demo (scripts/make-demo.py): the text report names the one broken link, the run
 * exits 1, and `--format json` follows the contract of src/report/types.ts.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { analyze, linkOf } from './helpers.js';

const KEY = 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/demo-deploy-action';
const BROKEN = 'DeployProd/DeployStack:artifacts.input.kms-decrypt:kms:Decrypt';

const reason = {
  type: 'object',
  required: ['policyType', 'policy', 'explicit'],
  properties: {
    policyType: {
      enum: ['identity', 'resource', 'permissionBoundary', 'session', 'scp', 'rcp'],
    },
    policy: { type: ['string', 'number'] },
    statement: { type: ['string', 'number'] },
    explicit: { type: 'boolean' },
    location: { $ref: '#/$defs/location' },
  },
};

/** The JSON contract of the report (src/report/types.ts), as a schema. */
const REPORT_SCHEMA = {
  type: 'object',
  required: ['pipelines', 'problems'],
  additionalProperties: false,
  $defs: {
    location: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string' },
        pointer: { type: 'string' },
        line: { type: 'integer', minimum: 1 },
        column: { type: 'integer', minimum: 1 },
      },
      additionalProperties: false,
    },
  },
  properties: {
    pipelines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'account', 'region', 'arn', 'verdict', 'links'],
        properties: {
          name: { type: 'string' },
          account: { type: 'string', pattern: '^\\d{12}$' },
          region: { type: 'string' },
          arn: { type: 'string', pattern: '^arn:aws:codepipeline:' },
          verdict: { enum: ['pass', 'fail', 'unknown'] },
          location: { $ref: '#/$defs/location' },
          links: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'id',
                'requirement',
                'level',
                'principal',
                'permission',
                'resource',
                'decision',
                'deniedBy',
                'why',
              ],
              properties: {
                id: { type: 'string', minLength: 1 },
                requirement: { type: 'string' },
                level: { enum: ['required', 'recommended'] },
                stage: { type: 'string' },
                action: { type: 'string' },
                principal: { type: 'string' },
                permission: { type: 'string', pattern: '^[a-z0-9-]+:[A-Za-z0-9*]+$' },
                resource: { type: 'string' },
                decision: { enum: ['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied', 'Unknown'] },
                deniedBy: { type: 'array', items: reason },
                allowedBy: { type: 'array', items: reason },
                why: { type: 'string', minLength: 1 },
                fix: { type: 'string' },
                missing: { type: 'array', items: { type: 'string' } },
                doc: { type: 'string' },
                blocks: { type: 'array', items: { type: 'string' } },
                declaredAt: { $ref: '#/$defs/location' },
              },
            },
          },
        },
      },
    },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pointer', 'message', 'id', 'severity'],
        properties: {
          file: { type: 'string' },
          pointer: { type: 'string' },
          message: { type: 'string' },
          id: { type: 'string', pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)+$' },
          severity: { enum: ['error', 'warning'] },
        },
      },
    },
  },
};

describe('fixtures/demo', () => {
  it('exits 1 and the text report names the broken link and the key policy deciding it', async () => {
    const r = await analyze('fixtures/demo');
    expect(r.code).toBe(1);
    const block = r.out.slice(r.out.indexOf('DENIED'));
    expect(r.out.match(/DENIED/g)).toHaveLength(1);
    expect(block).toMatch(/^DENIED\s+kms:Decrypt \(implicitly denied\)/);
    expect(block).toContain(`principal    ${DEPLOY_ROLE}`);
    expect(block).toContain(`resource     ${KEY}`);
    expect(block).toMatch(
      /decided by\s+resource policy\s+arn:aws:kms:us-east-1:111111111111:key\//,
    );
    expect(block).toContain(
      'at         111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json#/Policy',
    );
    expect(block).toContain(`link         ${BROKEN}`);
    expect(r.out).toMatch(/1 pipeline \(1 fail, 0 unknown, 0 pass\)/);
  });

  it('--format json follows the report contract and decides the same link the same way', async () => {
    const r = await analyze('fixtures/demo', '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const report = JSON.parse(r.out) as Report;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const [pipeline] = report.pipelines;
    expect(pipeline).toMatchObject({
      name: 'demo-app',
      account: '111111111111',
      region: 'us-east-1',
      arn: 'arn:aws:codepipeline:us-east-1:111111111111:demo-app',
      verdict: 'fail',
    });
    const broken = pipeline!.links.filter((l) => l.decision !== 'Allowed');
    expect(broken.map((l) => l.id)).toEqual([BROKEN]);
    const link = linkOf(report, BROKEN);
    expect(link).toMatchObject({
      stage: 'DeployProd',
      action: 'DeployStack',
      principal: DEPLOY_ROLE,
      permission: 'kms:Decrypt',
      resource: KEY,
      decision: 'ImplicitlyDenied',
    });
    expect(link.deniedBy).toEqual([
      {
        policyType: 'resource',
        policy: KEY,
        explicit: false,
        location: {
          file: '111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json',
          pointer: '/Policy',
        },
      },
    ]);
    expect(link.why).toContain(
      'does not allow `arn:aws:iam::222222222222:role/demo-deploy-action`',
    );
    expect(report.problems).toEqual([]);
  });

  it('a problem in the JSON output has the contract shape', async () => {
    const r = await analyze('fixtures/scenarios/malformed-bucket-json', '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as Report;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: '111111111111/s3/orders-artifacts-111111111111-us-east-1.json',
        pointer: '',
        id: 'snapshot.json.invalid',
        severity: 'error',
      }),
    ]);
    // with JSON on stdout, errors also go to stderr, one line each
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('orders-artifacts-111111111111-us-east-1.json');
  });
});
