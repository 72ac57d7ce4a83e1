/**
 * Work evaluate() no longer does per request, held to the answers it gave when it did
 * (5f82c9c, a4d5c80, 8e18298, reviewed against the build before them with hand-made and
 * randomized requests): the Allow statements after the first of the identity, boundary, session
 * and SCP-level policies and the RCPs' allows are not evaluated, a Resource pattern with
 * variables keeps its last resolved text and glob, and the watched keys' reads are listed once
 * per document and action. None of that may change a decision, a reason or a warning.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest, EvaluationResult } from '../../src/evaluate/types.js';

const A = '111122223333';
const SESSION = `arn:aws:sts::${A}:assumed-role/Build/s1`;
const ROLE = `arn:aws:iam::${A}:role/Build`;
const user = (name: string): string => `arn:aws:iam::${A}:user/${name}`;

const unfilled = (r: EvaluationResult): string[] =>
  r.problems.filter((p) => p.id === 'request.context.key-unfilled').map((p) => p.pointer);

describe('Allow statements the decision does not read', () => {
  // the first allow decides; the later ones test keys the request does not give
  const identity = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'First', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      {
        Sid: 'Secure',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      },
      {
        Sid: 'Put',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      },
    ],
  };
  const timed = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Sid: 'Timed',
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
      },
    ],
  };
  const rcp = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RcpAllow',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:*',
        Resource: '*',
        Condition: { NumericGreaterThan: { 'aws:EpochTime': '0' } },
      },
    ],
  };
  const request = (action: string): EvaluationRequest => ({
    principal: SESSION,
    action,
    resource: 'arn:aws:s3:::b/k',
    identityPolicies: [identity],
    permissionBoundary: timed,
    scps: [[timed]],
    rcps: [[rcp]],
  });

  it('still warn about the keys they test, and the first allow is the reason', () => {
    // one document, two actions, in turn: each action's statements are the ones named
    for (let round = 0; round < 2; round++) {
      const get = evaluate(request('s3:GetObject'));
      expect(get.decision).toBe('Allowed');
      expect(get.allowedBy.map((r) => [r.policyType, r.statement])).toEqual([
        ['scp', 'All'],
        ['identity', 'First'],
        ['permissionBoundary', 'All'],
      ]);
      expect(unfilled(get)).toEqual([
        '/identityPolicies/0/Statement/1/Condition/Bool/aws:SecureTransport',
        '/permissionBoundary/Statement/1/Condition/DateGreaterThan/aws:CurrentTime',
        '/rcps/0/0/Statement/0/Condition/NumericGreaterThan/aws:EpochTime',
      ]);
      // the only PutObject allow tests aws:RequestedRegion, evaluated as absent: not allowed
      const put = evaluate(request('s3:PutObject'));
      expect(put.decision).toBe('ImplicitlyDenied');
      expect(unfilled(put)).toEqual([
        '/identityPolicies/0/Statement/2/Condition/StringEquals/aws:RequestedRegion',
        '/permissionBoundary/Statement/1/Condition/DateGreaterThan/aws:CurrentTime',
        '/rcps/0/0/Statement/0/Condition/NumericGreaterThan/aws:EpochTime',
      ]);
    }
  });

  it('do not hide a Deny after them', () => {
    const denied = {
      Version: '2012-10-17',
      Statement: [
        ...identity.Statement,
        { Sid: 'No', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      ],
    };
    const r = evaluate({ ...request('s3:GetObject'), identityPolicies: [identity, denied] });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy.map((x) => x.statement)).toEqual(['No']);
  });
});

describe('a Resource pattern with variables, resolved per request', () => {
  const home = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          "arn:aws:s3:::home/${aws:username, 'shared'}/*",
          'arn:aws:s3:::tag/${aws:PrincipalTag/t}${*}',
        ],
      },
    ],
  };
  const decide = (
    principal: string,
    resource: string,
    context?: Record<string, string>,
    doc: object = home,
  ): string =>
    evaluate({
      principal,
      action: 's3:GetObject',
      resource,
      ...(context ? { context } : {}),
      identityPolicies: [doc],
    }).decision;

  it('answers each request by its own text (A, B, A; unresolved, then resolved)', () => {
    for (let round = 0; round < 2; round++) {
      expect(decide(user('alice'), 'arn:aws:s3:::home/alice/x')).toBe('Allowed');
      expect(decide(user('bob'), 'arn:aws:s3:::home/alice/x')).toBe('ImplicitlyDenied');
      expect(decide(user('alice'), 'arn:aws:s3:::home/alice/x')).toBe('Allowed');
      // a role has no aws:username: the default
      expect(decide(ROLE, 'arn:aws:s3:::home/alice/x')).toBe('ImplicitlyDenied');
      expect(decide(ROLE, 'arn:aws:s3:::home/shared/x')).toBe('Allowed');
      expect(decide(user('alice'), 'arn:aws:s3:::home/shared/x')).toBe('ImplicitlyDenied');
    }
  });

  it('keeps `${*}` and a substituted `*` literal whatever was resolved before', () => {
    const tag = (t: string) => ({ 'aws:PrincipalTag/t': t });
    for (let round = 0; round < 2; round++) {
      expect(decide(ROLE, 'arn:aws:s3:::tag/a*', tag('a'))).toBe('Allowed');
      expect(decide(ROLE, 'arn:aws:s3:::tag/ab', tag('a'))).toBe('ImplicitlyDenied');
      // unresolved: the pattern matches nothing
      expect(decide(ROLE, 'arn:aws:s3:::tag/a*')).toBe('ImplicitlyDenied');
      expect(decide(ROLE, 'arn:aws:s3:::tag/b*', tag('b'))).toBe('Allowed');
      expect(decide(ROLE, 'arn:aws:s3:::tag/a*', tag('a'))).toBe('Allowed');
      expect(decide(ROLE, 'arn:aws:s3:::tag/*x', tag('*'))).toBe('ImplicitlyDenied');
      expect(decide(ROLE, 'arn:aws:s3:::tag/**', tag('*'))).toBe('Allowed');
    }
  });

  it('reads `${...}` as literal text under Version 2008-10-17', () => {
    const old = { ...home, Version: '2008-10-17' };
    const literal = "arn:aws:s3:::home/${aws:username, 'shared'}/x";
    expect(decide(user('alice'), 'arn:aws:s3:::home/alice/x', undefined, old)).toBe(
      'ImplicitlyDenied',
    );
    expect(decide(user('alice'), literal, undefined, old)).toBe('Allowed');
    expect(decide(user('alice'), 'arn:aws:s3:::home/alice/x')).toBe('Allowed');
  });
});
