/**
 * Numeric and Date conditions given a request value that is not a number or a date. AWS
 * documents Numeric values as "an integer or decimal value" and Date values as ISO 8601 dates or
 * epoch time, and says nothing of other values
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric,
 * #Conditions_Date). The evaluator reads such a value as matching no policy value (so a negated
 * operator holds), and warns wherever the decision rests on that rule: the decision is kept.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/app`;
type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allowList = (Condition?: unknown): Stmt => ({
  Effect: 'Allow',
  Action: 's3:ListBucket',
  Resource: '*',
  ...(Condition ? { Condition } : {}),
});
const denyList = (Condition: unknown): Stmt => ({ ...allowList(Condition), Effect: 'Deny' });

function run(context: Record<string, unknown>, ...statements: Stmt[]) {
  return evaluate({
    principal: ROLE,
    action: 's3:ListBucket',
    resource: 'arn:aws:s3:::bucket',
    context,
    identityPolicies: [doc(...statements)],
  } as EvaluationRequest);
}
const ids = (r: { problems: readonly { id: string }[] }) => r.problems.map((p) => p.id);

describe('a Numeric condition on a request value that is not a number', () => {
  it('NumericNotEquals in an Allow: still allowed, with a warning naming the key and value', () => {
    // (caught: no warning: the grant rests silently on an undocumented rule)
    const r = run(
      { 's3:max-keys': 'abc' },
      allowList({ NumericNotEquals: { 's3:max-keys': '10' } }),
    );
    expect(r.decision).toBe('Allowed');
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0]!;
    expect(p.id).toBe('request.context.value-not-number');
    expect(p.severity).toBe('warning');
    expect(p.pointer).toBe(
      '/identityPolicies/0/Statement/0/Condition/NumericNotEquals/s3:max-keys',
    );
    expect(p.message).toContain('`s3:max-keys`');
    expect(p.message).toContain('`abc`');
    expect(p.message).toContain('the condition holds');
    expect(p.message).not.toContain('\n');
  });

  it('NumericGreaterThan in a Deny (not negated): the Deny does not apply, with a warning', () => {
    // the same rule keeps a Deny from applying: a wrong "allowed" is as likely here
    const r = run(
      { 's3:max-keys': '1e3' },
      allowList(),
      denyList({ NumericGreaterThan: { 's3:max-keys': '100' } }),
    );
    expect(r.decision).toBe('Allowed');
    expect(ids(r)).toEqual(['request.context.value-not-number']);
    expect(r.problems[0]!.pointer).toBe(
      '/identityPolicies/0/Statement/1/Condition/NumericGreaterThan/s3:max-keys',
    );
    expect(r.problems[0]!.message).toContain('does not hold');
  });

  it('a number, an absent key or another operator gives no warning', () => {
    const cond = { NumericNotEquals: { 's3:max-keys': '10' } };
    expect(ids(run({ 's3:max-keys': '15' }, allowList(cond)))).toEqual([]);
    expect(ids(run({ 's3:max-keys': '-1.5' }, allowList(cond)))).toEqual([]);
    expect(ids(run({}, allowList(cond)))).toEqual([]);
    expect(
      ids(run({ 's3:max-keys': 'abc' }, allowList({ StringNotEquals: { 's3:max-keys': '10' } }))),
    ).toEqual([]);
  });

  it('no warning where the statement does not apply whatever the value gives', () => {
    // another condition of the statement fails, or the statement is for another action
    expect(
      ids(
        run(
          { 's3:max-keys': 'abc', 's3:prefix': 'logs/' },
          allowList({
            NumericNotEquals: { 's3:max-keys': '10' },
            StringEquals: { 's3:prefix': 'other/' },
          }),
        ),
      ),
    ).toEqual([]);
    expect(
      ids(
        run({ 's3:max-keys': 'abc' }, allowList(), {
          Effect: 'Deny',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { NumericLessThan: { 's3:max-keys': '5' } },
        }),
      ),
    ).toEqual([]);
  });

  it('a list value under ForAnyValue: the value that is not a number is named', () => {
    const r = run(
      { 'aws:x': ['5', 'five'] },
      allowList({ 'ForAnyValue:NumericEquals': { 'aws:x': '5' } }),
    );
    expect(r.decision).toBe('Allowed');
    expect(ids(r)).toEqual(['request.context.value-not-number']);
    expect(r.problems[0]!.message).toContain('`five`');
  });

  it('a set operator that has its answer early still names an unreadable value after it', () => {
    // the readable value decides before the unreadable one is reached, in either place
    for (const values of [
      ['5', 'five'],
      ['five', '5'],
    ]) {
      const any = run(
        { 'aws:x': values },
        allowList({ 'ForAnyValue:NumericEquals': { 'aws:x': '5' } }),
      );
      expect(any.decision, values.join()).toBe('Allowed');
      expect(ids(any), values.join()).toEqual(['request.context.value-not-number']);
    }
    // ForAllValues fails at its first value that does not match: the one after is still read,
    // so the warning does not depend on the order of the values
    for (const values of [
      ['6', 'five'],
      ['five', '6'],
    ]) {
      const all = run(
        { 'aws:x': values },
        allowList({ 'ForAllValues:NumericNotEquals': { 'aws:x': '6' } }),
        allowList(),
      );
      expect(all.decision, values.join()).toBe('Allowed');
      expect(ids(all), values.join()).toEqual(['request.context.value-not-number']);
    }
    const deny = run(
      { 'aws:d': ['2020-01-01T00:00:00Z', 'soon'] },
      allowList(),
      denyList({ 'ForAnyValue:DateLessThan': { 'aws:d': '2021-01-01T00:00:00Z' } }),
    );
    expect(deny.decision).toBe('ExplicitlyDenied');
    expect(ids(deny)).toEqual(['request.context.value-not-date']);
  });

  it('no warning where no statement the decision reads meets the value, nor in the next request', () => {
    // the first Allow decides: the identity policy's later Allows are not read, so the decision
    // cannot rest on what the undocumented rule makes of their conditions
    const first = run(
      { 's3:max-keys': 'abc' },
      allowList(),
      allowList({ NumericNotEquals: { 's3:max-keys': '10' } }),
    );
    expect(first.decision).toBe('Allowed');
    expect(ids(first)).toEqual([]);
    // a request that met one, then one that did not: the second has no warning
    expect(
      ids(run({ 's3:max-keys': 'abc' }, allowList({ NumericNotEquals: { 's3:max-keys': '10' } }))),
    ).toEqual(['request.context.value-not-number']);
    expect(
      ids(run({ 's3:max-keys': '7' }, allowList({ NumericNotEquals: { 's3:max-keys': '10' } }))),
    ).toEqual([]);
  });

  it('several documents: listed as the other request warnings are, identity then resource then boundary', () => {
    const cond = { NumericNotEquals: { 's3:max-keys': '10' } };
    const r = evaluate({
      principal: ROLE,
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::bucket',
      context: { 's3:max-keys': 'abc' },
      identityPolicies: [doc(allowList(cond))],
      permissionBoundary: doc(allowList(cond)),
      resourcePolicy: doc({ ...allowList(cond), Principal: { AWS: ROLE } }),
    } as EvaluationRequest);
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.pointer)).toEqual([
      '/identityPolicies/0/Statement/0/Condition/NumericNotEquals/s3:max-keys',
      '/resourcePolicy/Statement/0/Condition/NumericNotEquals/s3:max-keys',
      '/permissionBoundary/Statement/0/Condition/NumericNotEquals/s3:max-keys',
    ]);
  });

  it('in a resource policy the pointer names the resource policy', () => {
    const r = evaluate({
      principal: ROLE,
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::bucket',
      context: { 's3:max-keys': 'abc' },
      resourcePolicy: doc({
        ...allowList({ NumericNotEquals: { 's3:max-keys': '10' } }),
        Principal: { AWS: ROLE },
      }),
    } as EvaluationRequest);
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.pointer)).toEqual([
      '/resourcePolicy/Statement/0/Condition/NumericNotEquals/s3:max-keys',
    ]);
  });
});

describe('a Date condition on a request value that is not a date', () => {
  it('DateNotEquals in an Allow: still allowed, with a warning', () => {
    const r = run(
      { 'aws:CurrentTime': 'yesterday' },
      allowList({ DateNotEquals: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } }),
    );
    expect(r.decision).toBe('Allowed');
    expect(ids(r)).toEqual(['request.context.value-not-date']);
    expect(r.problems[0]!.pointer).toBe(
      '/identityPolicies/0/Statement/0/Condition/DateNotEquals/aws:CurrentTime',
    );
    expect(r.problems[0]!.message).toContain('`aws:CurrentTime`');
    expect(r.problems[0]!.message).toContain('`yesterday`');
  });

  it('DateLessThan in a Deny: the Deny does not apply, with a warning', () => {
    const r = run(
      { 'aws:CurrentTime': '2024-02-30T00:00:00Z' },
      allowList(),
      denyList({ DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
    );
    expect(r.decision).toBe('Allowed');
    expect(ids(r)).toEqual(['request.context.value-not-date']);
  });

  it('an ISO 8601 date or epoch seconds gives no warning', () => {
    const cond = { DateNotEquals: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } };
    expect(ids(run({ 'aws:CurrentTime': '2024-06-01T12:00:00Z' }, allowList(cond)))).toEqual([]);
    expect(ids(run({ 'aws:CurrentTime': '1717243200' }, allowList(cond)))).toEqual([]);
  });
});
