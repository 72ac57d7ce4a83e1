// The request mixes of the evaluator benchmarks (bench/run.js, bench/abEvaluate.js): the
// differential test's generator and adapter, transpiled; documents shared between requests; the
// minimal one-statement requests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

// the generator and adapter are TypeScript test helpers without runtime imports: transpile them
// to a temporary folder and import them from there

export function loadHelpers(root) {
  const dir = mkdtempSync(join(os.tmpdir(), 'permchain-bench-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  for (const name of ['generator', 'adapter']) {
    const source = readFileSync(join(root, 'test', 'differential', `${name}.ts`), 'utf8');
    const out = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: false,
      },
    });
    writeFileSync(join(dir, `${name}.js`), out.outputText);
  }
  return dir;
}

/**
 * The same requests, but drawing their documents (identity, resource, boundary, session, SCP
 * and RCP policies) from the first `sets` requests, as in an analysis, where one role's
 * policies, one bucket or key policy and one organization's SCPs decide many links. Principal,
 * action, resource and context stay each request's own; the documents come from a request of
 * the first `sets` with the same action (else the same service, else any), in turn, so they
 * were written for that kind of request.
 */
export function shareDocuments(requests, sets, fields) {
  const pools = new Map();
  const add = (key, r) => {
    if (!pools.has(key)) pools.set(key, { list: [], next: 0 });
    pools.get(key).list.push(r);
  };
  const firsts = requests.slice(0, sets);
  for (const r of firsts) {
    add(`action:${r.action}`, r);
    add(`service:${r.action.split(':')[0]}`, r);
  }
  return requests.map((r, i) => {
    if (i < sets) return r;
    const pool = pools.get(`action:${r.action}`) ?? pools.get(`service:${r.action.split(':')[0]}`);
    const d = pool ? pool.list[pool.next++ % pool.list.length] : firsts[i % sets];
    const out = { ...r };
    for (const k of fields) {
      if (d[k] === undefined) delete out[k];
      else out[k] = d[k];
    }
    return out;
  });
}

/**
 * `n` requests, each with one identity policy of one statement that allows it (one document,
 * shared), ten roles, one context key: the per-request cost of both tools, with as little
 * policy as a request can have.
 */
export function minimalRequests(n) {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }],
  };
  const out = [];
  for (let i = 0; i < n; i++)
    out.push({
      principal: `arn:aws:iam::111122223333:role/role-${i % 10}`,
      action: 's3:GetObject',
      resource: `arn:aws:s3:::bucket/key-${i}`,
      identityPolicies: [policy],
      context: { 'aws:SourceIp': '10.0.0.1' },
    });
  return out;
}
