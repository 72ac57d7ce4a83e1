// A second floor of the analyze benchmark: what writing the JSON report costs on its own. Reads
// a report analyze wrote (untimed), then times writing it again the way analyze does (each
// pipeline through JSON.stringify with a 2-space indent, written with writeSync), twice: the
// report as it is, and the report cut down to the members the issue names as the contract
// (pipelines: name, account, region, arn, verdict, links; links: id, stage, action, principal,
// permission, resource, decision, deniedBy, why). Prints {"fullMs", "contractMs",
// "contractMB"} on stdout. Arguments: <report.json> <scratch output file>.
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [input, scratch] = process.argv.slice(2);
const report = JSON.parse(readFileSync(input, 'utf8'));

const contract = {
  pipelines: report.pipelines.map((p) => ({
    account: p.account,
    arn: p.arn,
    links: p.links.map((l) => ({
      action: l.action,
      decision: l.decision,
      deniedBy: l.deniedBy.map((r) => ({
        explicit: r.explicit,
        policy: r.policy,
        policyType: r.policyType,
        statement: r.statement,
      })),
      id: l.id,
      permission: l.permission,
      principal: l.principal,
      resource: l.resource,
      stage: l.stage,
      why: l.why,
    })),
    name: p.name,
    region: p.region,
    verdict: p.verdict,
  })),
  problems: report.problems,
};

const HEAD = '{\n  "pipelines": [\n';
const TAIL = '\n  ]\n}';

/** Write `r` as analyze's JSON report is written: one stringified pipeline per write. */
function write(r) {
  globalThis.gc?.();
  const t0 = performance.now();
  const fd = openSync(scratch, 'w');
  try {
    writeSync(fd, HEAD);
    r.pipelines.forEach((p, i) => {
      // as src/report/json.ts does: stringified where it sits, so the indentation is native
      const wrapped = JSON.stringify({ pipelines: [p] }, null, 2);
      writeSync(fd, wrapped.slice(HEAD.length, wrapped.length - TAIL.length));
      writeSync(fd, i === r.pipelines.length - 1 ? '\n' : ',\n');
    });
    writeSync(fd, `  ],\n  "problems": ${JSON.stringify(r.problems)}\n}\n`);
  } finally {
    closeSync(fd);
  }
  return performance.now() - t0;
}

// the faster of two runs each: the floor, not a typical run
const fullMs = Math.min(write(report), write(report));
const contractMs = Math.min(write(contract), write(contract));
process.stdout.write(
  JSON.stringify({ fullMs, contractMs, contractMB: statSync(scratch).size / 1e6 }),
);
