/**
 * `permchain simulate --request FILE`: evaluate one request file with the offline evaluator.
 * Exit 0 allowed, 1 denied, 2 bad input.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { evaluate, resourcePolicyKind, type ResourcePolicyKind } from '../evaluate/evaluate.js';
import type { EvaluationRequest, EvaluationResult, Reason } from '../evaluate/types.js';
import { formatProblem, sortProblems, type Problem } from '../problems.js';
import { breakWorkflowCommandsInJson, sanitizeForTerminal } from '../report/sanitize.js';
import { policyTypeLabel, reasonPolicy } from '../report/summarize.js';
import type { CliIo } from './io.js';
import { refuseRepeatedOptions } from './onceOnly.js';
import { readJsonFile } from './readJson.js';

export function registerSimulate(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  const command = program
    .command('simulate')
    .description('evaluate one request (principal, action, resource, context, policies) offline')
    .requiredOption(
      '--request <file>',
      'request file (JSON): principal, action, resource, context and policies',
    )
    .option('--format <format>', 'output format: text or json', 'text')
    .addHelpText(
      'after',
      '\nExit codes: 0 allowed, 1 denied, 2 bad input.\n' +
        'The request format is described in the README (section "simulate").',
    )
    .action((opts: { request: string; format: string }) => {
      if (opts.format !== 'text' && opts.format !== 'json') {
        io.stderr(
          sanitizeForTerminal(`error: unknown format \`${opts.format}\` (expected text or json)`) +
            '\n',
        );
        setExit(2);
        return;
      }
      const read = readJsonFile(resolve(io.cwd, opts.request), opts.request);
      if (!read.ok) {
        io.stderr(formatProblem(read.problem) + '\n');
        setExit(2);
        return;
      }
      // `null`, `true`, `1`, `"x"`, `[]`: no request to evaluate or print (null crashed the text)
      const value = read.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value;
        io.stderr(
          formatProblem({
            file: opts.request,
            pointer: '',
            message: `request must be a JSON object, got ${got}`,
            id: 'request.invalid',
            severity: 'error',
          }) + '\n',
        );
        setExit(2);
        return;
      }
      const result = evaluate(read.value as EvaluationRequest);
      const problems = sortProblems(
        result.problems.map((p) => ({ ...p, file: p.file ?? opts.request })),
      );
      if (opts.format === 'json') {
        // a Sid or a value may hold `##[`: written so that a CI runner reads no command in it
        io.stdout(
          breakWorkflowCommandsInJson(JSON.stringify({ ...result, problems }, null, 2)) + '\n',
        );
      } else {
        io.stdout(renderSimulation(read.value as EvaluationRequest, result));
      }
      for (const p of problems) io.stderr(formatProblem(p) + '\n');
      setExit(exitCodeFor(result, problems));
    });
  refuseRepeatedOptions(command);
}

function exitCodeFor(result: EvaluationResult, problems: readonly Problem[]): number {
  if (problems.some((p) => p.severity === 'error')) return 2;
  return result.decision === 'Allowed' ? 0 : 1;
}

export function renderSimulation(request: EvaluationRequest, result: EvaluationResult): string {
  const lines: string[] = [];
  // a member that is missing or not a string (an input error, said on stderr) is named so, not
  // written `undefined` or `[object Object]`
  const part = (v: unknown): string =>
    typeof v === 'string'
      ? v
      : v === undefined
        ? '(missing)'
        : `(not a string: ${typeof v === 'object' ? (Array.isArray(v) ? 'a list' : v === null ? 'null' : 'an object') : JSON.stringify(v)})`;
  const what = `${part(request.principal)} -> ${part(request.action)} on ${part(request.resource)}`;
  lines.push(`${result.decision}: ${what}`);
  // the resource policy named as what the request makes it (a role's trust policy, a key's key
  // policy, a bucket's bucket policy), as the evaluator reads it; the JSON keeps `resource`
  const kind = resourcePolicyKind(request);
  const given = request.resourcePolicy !== undefined;
  const describe = (r: Reason): string => describeReason(r, kind, given);
  if (result.decision === 'Allowed') {
    for (const r of result.allowedBy) lines.push(`  allowed by ${describe(r)}`);
  } else if (result.decision === 'ExplicitlyDenied') {
    for (const r of result.deniedBy) lines.push(`  explicitly denied by ${describe(r)}`);
  } else {
    for (const r of result.deniedBy) lines.push(`  no allow in ${describe(r)}`);
  }
  // values from the request (a principal with a newline and `::error ...`) cannot forge a line
  return lines.map(sanitizeForTerminal).join('\n') + '\n';
}

function describeReason(
  r: Reason,
  kind: ResourcePolicyKind | undefined,
  resourcePolicyGiven: boolean,
): string {
  const stmt =
    r.statement === undefined
      ? ''
      : typeof r.statement === 'number'
        ? `, statement ${r.statement}`
        : `, statement \`${r.statement}\``;
  if (r.policyType === 'resource' && kind !== undefined && kind.kind !== 'not-read') {
    const [what, of] =
      kind.kind === 'trust'
        ? ['trust policy', `role ${kind.role}`]
        : kind.kind === 'key'
          ? ['key policy', `key ${kind.key}`]
          : ['bucket policy', `bucket ${kind.bucket}`];
    // the request's one resource policy is #1 (its index says nothing); one the request does
    // not give is named by the evaluator's placeholder (`trust policy`): said as missing
    const name =
      !resourcePolicyGiven || typeof r.policy === 'number' ? '' : ` \`${String(r.policy)}\``;
    return `${what}${name} of ${of}${resourcePolicyGiven ? '' : ' (none given)'}${stmt}`;
  }
  // a missing resource-policy allow where the evaluator read none is named by its placeholder
  // (`resource`), no policy's name: said as none given, or as not read (an IAM action, an alias
  // action: a warning on stderr says why), never as a policy named `resource`
  if (r.policyType === 'resource' && typeof r.policy === 'string')
    return `resource policy (${kind?.kind === 'not-read' && kind.iam ? 'IAM resources have none' : resourcePolicyGiven ? 'not read' : 'none given'})${stmt}`;
  // several identity policies are named as a group (`identity policies of <principal>`), with
  // no type word before it (reasonPolicy)
  if (typeof r.policy === 'number') return `${policyTypeLabel(r.policyType)} #${r.policy}${stmt}`;
  return `${reasonPolicy(r, (name) => `\`${name}\``)}${stmt}`;
}
