/**
 * Every policy document of a snapshot goes through parsePolicy exactly once, here, with the
 * file and JSON pointer it came from, so its problems and the reasons built from it point back
 * to the snapshot.
 */
import type { Problem } from '../problems.js';
import { parsePolicy } from '../policy/parse.js';
import type { CompiledPolicy, PolicyType } from '../policy/types.js';

export interface SnapshotPolicyOptions {
  /** the name reasons use: a role ARN, a bucket ARN, `p-123 (Name)`... */
  readonly name: string;
  /** `key`: a KMS key policy, a resource policy where a statement without Resource has no effect */
  readonly policyType: PolicyType | 'trust' | 'key';
  readonly file: string;
  /** JSON pointer of the document (or of the string that holds it) inside `file` */
  readonly pointer: string;
}

/** Compile one document; its problems are appended to `problems`. */
export function compileSnapshotPolicy(
  input: unknown,
  options: SnapshotPolicyOptions,
  problems: Problem[],
): CompiledPolicy | undefined {
  const result = parsePolicy(
    input,
    options.policyType === 'key'
      ? { ...options, policyType: 'resource', keyPolicy: true }
      : { ...options, policyType: options.policyType },
  );
  for (const p of result.problems)
    problems.push(p.file === undefined ? { ...p, file: options.file } : p);
  return result.policy;
}
