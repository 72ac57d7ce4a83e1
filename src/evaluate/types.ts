/**
 * The evaluator's request and result: the same shape for `permchain simulate --request FILE`
 * and for the library's `evaluate(request)`.
 */
import type { Problem } from '../problems.js';
import type { CompiledPolicy, PolicyType } from '../policy/types.js';

/** A raw policy document (object, JSON string or URL-encoded JSON string) or a compiled one. */
export type PolicyInput = unknown;

/** A context value as the request file gives it; numbers and booleans are compared as strings. */
export type RawContextValue = string | number | boolean | readonly (string | number | boolean)[];

export interface EvaluationRequest {
  /**
   * Who calls: an IAM role, user, assumed-role session or account root ARN, or a service
   * principal such as `codepipeline.amazonaws.com`.
   */
  readonly principal: string;
  /** `service:Action` */
  readonly action: string;
  /** the resource ARN (`*` for actions without a resource type) */
  readonly resource: string;
  /** the account that owns the resource; default: the ARN's account, else the principal's */
  readonly resourceAccount?: string;
  /** request context; keys are case-insensitive. Keys the principal implies are filled in */
  readonly context?: Readonly<Record<string, RawContextValue>>;
  readonly identityPolicies?: readonly PolicyInput[];
  /** bucket policy, key policy, trust policy, ... */
  readonly resourcePolicy?: PolicyInput;
  readonly permissionBoundary?: PolicyInput;
  readonly sessionPolicy?: PolicyInput;
  /** SCPs per level: [root-level policies], [OU-level], ..., [account-level] */
  readonly scps?: readonly (readonly PolicyInput[])[];
  /** RCPs per level, on the resource owner's side; RCPFullAWSAccess is implied at every level */
  readonly rcps?: readonly (readonly PolicyInput[])[];
  /** the principal's account is the organization's management account: SCPs do not apply */
  readonly principalIsManagementAccount?: boolean;
  /** the resource owner is the management account: RCPs do not apply */
  readonly resourceIsManagementAccount?: boolean;
  /** the resource is an AWS-managed KMS key (alias/aws/...): RCPs do not apply */
  readonly resourceIsAwsManagedKey?: boolean;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Reason {
  readonly policyType: PolicyType;
  /** the policy's name, or its 1-based index when it has none */
  readonly policy: string | number;
  /** the statement's Sid, or its 1-based index; absent when no statement decided (a missing allow) */
  readonly statement?: string | number;
  /** true for an explicit Deny; false for an allow that is missing */
  readonly explicit: boolean;
}

export interface EvaluationResult {
  readonly decision: Decision;
  readonly deniedBy: readonly Reason[];
  readonly allowedBy: readonly Reason[];
  readonly problems: readonly Problem[];
}

export type { CompiledPolicy, PolicyType };
