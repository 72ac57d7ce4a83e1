/**
 * The compiled form of an IAM policy document. The parser (parsePolicy) turns any accepted
 * input into this once; the evaluator only ever reads these structures, so the hot path does
 * no parsing, no lower-casing of policy text and no regex construction.
 */
import type { Glob } from './wildcard.js';

export type PolicyType = 'identity' | 'resource' | 'permissionBoundary' | 'session' | 'scp' | 'rcp';

export type Effect = 'Allow' | 'Deny';

/** Where a document came from, for reasons and problems. */
export interface PolicySource {
  readonly file?: string;
  /** JSON pointer of the policy document inside `file` */
  readonly pointer: string;
  /** 1-based line of the document in `file`, when the loader knows it (templates) */
  readonly line?: number;
}

/** Brand so evaluate() can tell a compiled policy from a raw document. */
export const COMPILED = Symbol.for('permchain.compiledPolicy');

export interface CompiledPolicy {
  readonly [COMPILED]: true;
  /** the name reasons use: a role ARN + policy name, a bucket ARN, a key ARN, `scp-1`... */
  readonly name: string;
  /** `2012-10-17`, `2008-10-17`, or undefined when the document has no Version */
  readonly version: string | undefined;
  /** policy variables are substituted only under Version 2012-10-17; otherwise `${...}` is literal text */
  readonly variablesEnabled: boolean;
  /** only the statements that passed validation; invalid ones are reported and skipped */
  readonly statements: readonly CompiledStatement[];
  /**
   * JSON pointers (under `source.pointer`) of the statements that were invalid and skipped, and
   * of top-level elements IAM refuses (a bad `Version` or `Id`, an unknown element such as a
   * misspelt `Statment`): what they would have allowed or denied is unknown
   */
  readonly skipped: readonly string[];
  /**
   * Allow statements of a template document that the template does not settle (a `Principal`
   * that is a custom resource's `Fn::GetAtt`, a `Resource` from an SSM parameter): they are left
   * out of `statements`, and noted here. An Allow can only add permissions (an explicit deny
   * wins, allows only add), so a request the other statements allow is allowed whatever they
   * say, and one they do not allow is unknown naming them. A document with an unsettled Deny
   * statement, `Effect`, `Statement` list or `Version` is not compiled at all (it is unknown).
   * The analysis notes here, the same way, the Allow statements with `NotPrincipal` of a resource
   * policy, which AWS does not support (UnknownStatement.unsupported).
   */
  readonly unknownAllows?: readonly UnknownStatement[];
  readonly source?: PolicySource;
}

/**
 * A statement a template does not settle, or one AWS does not support (CompiledPolicy.unknownAllows).
 */
export interface UnknownStatement {
  /** 1-based position in the document's Statement array (1 when Statement is a single object) */
  readonly index: number;
  /** the statement's JSON pointer in the template (`source.file`) */
  readonly pointer: string;
  /** 1-based line of the statement in the template, when known */
  readonly line?: number;
  /** why it is not settled, in words (`the attribute \`Result\` of \`Custom::Format\` is not known offline`) */
  readonly reason: string;
  /**
   * its Action (or NotAction), when the template settles it, whatever else it leaves open: the
   * statement cannot allow an action it does not cover (coversAction), so a request for one is
   * decided without it
   */
  readonly action?: ActionMatcher;
  readonly notAction?: ActionMatcher;
  /**
   * set when the statement is settled but AWS does not support it: an Allow with `NotPrincipal`
   * (src/chain/resolveLink.ts withoutNotPrincipalAllows), whose `reason` says so
   */
  readonly unsupported?: 'NotPrincipal';
  /** the statement's Sid, when it has one (set with `unsupported`, to name it) */
  readonly sid?: string;
}

export interface CompiledStatement {
  /** 1-based position in the document's Statement array (1 when Statement is a single object) */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** exactly one of action / notAction is set */
  readonly action?: ActionMatcher;
  readonly notAction?: ActionMatcher;
  /** at most one of resource / notResource is set (trust policies usually have neither) */
  readonly resource?: ResourceMatcher;
  readonly notResource?: ResourceMatcher;
  /** at most one of principal / notPrincipal is set (identity policies have neither) */
  readonly principal?: PrincipalMatcher;
  readonly notPrincipal?: PrincipalMatcher;
  readonly conditions: readonly CompiledCondition[];
  /** JSON pointer of the statement inside its document, e.g. `/Statement/2` */
  readonly pointer: string;
  /** 1-based source line when known */
  readonly line?: number;
}

export interface ActionMatcher {
  /** true when one pattern is `*` */
  readonly any: boolean;
  /** lower-cased `service:name` patterns; `*` and `?` are wildcards, matched case-insensitively */
  readonly patterns: readonly Glob[];
  /** exact lower-cased actions without wildcards, for an O(1) check */
  readonly exact: ReadonlySet<string>;
}

export interface ResourcePattern {
  /** the pattern as written */
  readonly raw: string;
  /** compiled when the pattern holds no policy variable (or variables are disabled) */
  readonly glob?: Glob;
  /** set when the pattern holds policy variables and variablesEnabled: resolved per request */
  readonly template?: Template;
}

export interface ResourceMatcher {
  /** true when one pattern is exactly `*` */
  readonly any: boolean;
  readonly patterns: readonly ResourcePattern[];
}

export interface PrincipalMatcher {
  /** `"*"` or `{"AWS": "*"}` */
  readonly any: boolean;
  /**
   * AWS principals as written, with bare 12-digit account ids normalised to
   * `arn:aws:iam::<id>:root`. A value that is `*` sets `any` instead.
   */
  readonly aws: readonly string[];
  /**
   * The 12-digit account ids written bare (`"AWS": "111122223333"`): an id has no partition, so
   * it names the account in the caller's partition (`aws`, `aws-us-gov`, `aws-cn`), while the
   * `arn:aws:iam::<id>:root` form in `aws` only names it in `aws`.
   */
  readonly accounts: readonly string[];
  /** service principals, lower-cased (`codepipeline.amazonaws.com`) */
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

/** A string that may hold policy variables: literal text and variable references in order. */
export interface Template {
  readonly raw: string;
  readonly parts: readonly TemplatePart[];
}

export type TemplatePart =
  /** literal: came from an escape (`${*}`), so never a wildcard */
  | { readonly kind: 'text'; readonly text: string; readonly literal?: boolean }
  /** `${key}` or `${key, 'default'}`; key is lower-cased */
  | { readonly kind: 'var'; readonly key: string; readonly defaultValue?: string };

export type SetModifier = 'ForAnyValue' | 'ForAllValues';

export interface CompiledCondition {
  /** the operator as written, e.g. `ForAnyValue:StringLikeIfExists` */
  readonly operator: string;
  /** the base operator without set modifier and IfExists, canonical case, e.g. `StringLike` */
  readonly base: string;
  readonly set?: SetModifier;
  readonly ifExists: boolean;
  /** the key as written */
  readonly key: string;
  /** lower-cased key: condition key names are case-insensitive */
  readonly keyLower: string;
  /** values as strings (AWS compares booleans and numbers in their string form) */
  readonly values: readonly string[];
  /** per value, a template when the value holds policy variables and the operator allows them */
  readonly templates?: readonly (Template | undefined)[];
  readonly pointer: string;
}

/** A request's context: lower-cased key -> a single value or a list (multivalued keys). */
export type ContextValue = string | readonly string[];
/** Context lookups by lower-cased key (a Map, or the evaluator's lazily built context). */
export interface RequestContext {
  get(keyLower: string): ContextValue | undefined;
}
