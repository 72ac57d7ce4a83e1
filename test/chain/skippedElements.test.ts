/**
 * A policy read without an element IAM refuses names it as missing, with what it is: a statement
 * that could not be read is an `invalid statement`, a top-level element (a `Version` IAM does
 * not take, a misspelt `Statment`) an `invalid policy element`. Past ten, the rest are counted in
 * one more entry (each is an input error of its own), so a hostile policy cannot make every link
 * of a report name all of its elements.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const IAM = '222222222222/iam.json';
const DOC = '/RoleDetailList/0/RolePolicyList/0/PolicyDocument';

/** The missing inputs of the deploy action role's first link that is not allowed. */
function missingOf(edit: (doc: Json) => void): readonly string[] | undefined {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(join(dir, IAM), (iam) => {
      const roles = iam['RoleDetailList'] as Json[];
      expect(roles[0]!['RoleName']).toBe('orders-api-deploy-action');
      edit((roles[0]!['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as Json);
    });
    const links = analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    return links.find(
      (l) =>
        l.principal === 'arn:aws:iam::222222222222:role/orders-api-deploy-action' &&
        l.decision === 'Unknown',
    )?.missing;
  });
}

describe('a policy read without an element IAM refuses', () => {
  it('a Version IAM does not take is an invalid policy element', () => {
    expect(missingOf((doc) => (doc['Version'] = '2012-10-17 '))).toEqual([
      `${IAM}#${DOC}/Version (invalid policy element)`,
    ]);
  });

  it('a misspelt Statement is an invalid policy element', () => {
    expect(missingOf((doc) => (doc['Statment'] = []))).toEqual([
      `${IAM}#${DOC}/Statment (invalid policy element)`,
    ]);
  });

  it('a statement that cannot be read is an invalid statement', () => {
    expect(missingOf((doc) => ((doc['Statement'] as Json[])[0]!['Effect'] = 'allow'))).toEqual([
      `${IAM}#${DOC}/Statement/0 (invalid statement)`,
    ]);
  });

  it('names ten of 3,000 misspelt elements and counts the rest in one entry (it named all 3,000 in every link)', () => {
    // found by fuzzing the CLI: an RCP of 100,000 unknown top-level elements was named in full in
    // the `missing` and `why` of each of a pipeline's 52 links, a report too large for one string
    // (RangeError: Invalid string length, with its stack trace)
    const missing = missingOf((doc) => {
      for (let i = 0; i < 3000; i++) doc[`k${i}`] = i;
    });
    expect(missing).toHaveLength(11);
    expect(missing).toContain(`${IAM}#${DOC}/k0 (invalid policy element)`);
    expect(missing).toContain(`${IAM}#${DOC}/k9 (invalid policy element)`);
    expect(missing).toContain(
      `${IAM}#${DOC} (2,990 more statements or policy elements that could not be read: see problems)`,
    );
  });
});
