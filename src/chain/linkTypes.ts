/**
 * A link of the chain before evaluation: who must be allowed which action on which resource,
 * with which request context, and why the pipeline needs it.
 */
import type { Location as SourceLocation } from '../model/types.js';
import type { Location } from '../report/types.js';
import type { SecondaryArtifactEnd } from './catalogTypes.js';

/**
 * Where something is declared, as links report it (LinkSpec.declaredAt, a failing rule
 * target's reason): the place's file, pointer, line and column, and nothing else it carries.
 */
export function declaredAtOf(loc: SourceLocation): SourceLocation {
  return {
    file: loc.file,
    pointer: loc.pointer,
    ...(loc.line !== undefined ? { line: loc.line } : {}),
    ...(loc.column !== undefined ? { column: loc.column } : {}),
  };
}

/**
 * The side of a request a catalog `fix` is about: the caller's own policies (`identity`), the
 * resource's policy (a trust, key or repository policy: `resource`), or both at once.
 */
export type FixSide = 'identity' | 'resource' | 'both';

/** Where a link's KMS key is chosen (LinkSpec.keyChoice). */
export type KeyChoice =
  | { readonly kind: 'artifactStore'; readonly pipeline: string; readonly region: string }
  | { readonly kind: 'codebuildProject'; readonly project: string; readonly storeKey: string };

/**
 * The S3 objects a KMS call that S3 makes for the caller is for (SSE-KMS: a read's kms:Decrypt,
 * a write's kms:GenerateDataKey). S3 sends the object's ARN as the encryption context
 * `aws:s3:arn`, or the bucket's ARN when the object uses an S3 Bucket Key
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html); it calls KMS once per
 * object. resolveLink s3ArnContext sets the key from them when a policy of the link tests it.
 */
export interface S3ContextObjects {
  /** the bucket's name */
  readonly bucket: string;
  /** the bucket owner, when known (where its file is looked for) */
  readonly account?: string;
  /**
   * the objects' ARNs, written as the link's S3 links write them (`…/<artifact>/*`): a `*` at
   * the end is a part of the name no input gives when `unknownEnd` says so, else text
   */
  readonly objects: readonly string[];
  /**
   * what the `*` that ends each of `objects` stands for: `artifact`, the name CodePipeline gives
   * an artifact's object (artifactObjectKey); `extracted`, the path of each file an S3 deploy
   * extracts under its prefix; `logs`, the name CodeBuild gives each S3 build log object under
   * the project's location (a link's resource only); a SecondaryArtifactEnd, the end of the key
   * of a CodeBuild S3 secondary artifact's objects that no input gives, and the build id (a `*`
   * inside the ARN, at SecondaryArtifactEnd.buildIdAt) when its key holds one (of one object).
   * That `*` is no wildcard: a real ARN holds a name there, and a
   * policy that compares the context with a literal `*` (StringEquals) never matches it;
   * resolveLink tries names in its place (s3ObjectValue). Undefined: the ARNs are exact.
   */
  readonly unknownEnd?: 'artifact' | 'extracted' | 'logs' | SecondaryArtifactEnd;
  /**
   * the one of `objects` (or of the objects of `more`) whose call this resolution is for:
   * resolveLink resolves a link of several objects once for each, when a policy tests the context
   * (s3PerObject)
   */
  readonly one?: string;
  /**
   * objects of the same calls in other buckets, or whose `*`s stand for other things, each with
   * their own bucket and `unknownEnd` (their `more`, `one` and `writerChooses` unset): a CodeBuild
   * project's key encrypts its output artifacts in the artifact store and its S3 secondary
   * artifacts in their own buckets, in one link
   */
  readonly more?: readonly S3ContextObjects[];
  /**
   * why the bucket's default encryption may not decide whether the objects use an S3 Bucket Key
   * (a Lambda function uploads them with its own code, which may ask for one or not: its write,
   * and the reads of what it wrote): both the object and the bucket ARN are then tried
   */
  readonly writerChooses?: string;
}

export type LinkPrincipal =
  | { readonly kind: 'role'; readonly arn: string }
  | { readonly kind: 'service'; readonly name: string }
  /**
   * an account itself, as `arn:<partition>:iam::<account>:root`: the sender of events a rule of
   * that account puts on another account's event bus without a role (eventBusPolicy.ts); it has
   * no identity policy of its own to check
   */
  | { readonly kind: 'account'; readonly name: string };

export interface LinkSpec {
  /** unique within the pipeline, stable: requirement id + where it applies */
  readonly id: string;
  /** the catalog entry (or structural rule) the link comes from */
  readonly requirement: string;
  readonly level: 'required' | 'recommended';
  /**
   * a recommended link that some runs do need: when, in words (the catalog's `whenNeeded`), which
   * end its why when it is denied in place of the words that working pipelines run without it
   */
  readonly whenNeeded?: string;
  readonly stage?: string;
  readonly action?: string;
  readonly principal: LinkPrincipal;
  /** the IAM action */
  readonly permission: string;
  readonly resource: string;
  /**
   * set by resolveLink: the resource is an AWS-managed key's alias ARN (`alias/aws/s3`) whose key
   * the input does not list; the request is on a made-up key ARN (awsManagedKeyValue)
   */
  readonly awsManagedKey?: { readonly alias: string };
  /** the region the action's calls are made in (the action's region, else the pipeline's) */
  readonly region?: string;
  /** the resource owner when the ARN does not say (S3) */
  readonly resourceAccount?: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  /**
   * keys the service may or may not send (from the catalog's `uncertainContext`): the link is
   * evaluated with and without them and is Unknown if that matters
   */
  readonly uncertainContext?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * keys the call carries with values no input gives (from the catalog: see ExpandedLink): the
   * link is evaluated without them and with each value its policies compare them with, and
   * another, and is Unknown if that matters
   */
  readonly unknownContext?: Readonly<
    Record<string, { readonly why: string; readonly multivalued: boolean }>
  >;
  /** the call carries request tags no input gives (the catalog's `requestTagsUnknown`) */
  readonly requestTagsUnknown?: true;
  /** a KMS call S3 makes for the caller: the objects it is for (see S3ContextObjects) */
  readonly s3Objects?: S3ContextObjects;
  /**
   * the resource is an S3 object ARN whose `*` at the end is a name no input gives, as
   * S3ContextObjects.unknownEnd says of its objects: an artifact's object, the files an S3 deploy
   * extracts, a project's S3 build logs, the end of a secondary artifact's key and the build id
   * inside it (resolveLink tries names in their place)
   */
  readonly resourceUnknownEnd?: S3ContextObjects['unknownEnd'];
  /** what the link is for, in plain words: "CodeBuild reads input artifact `SourceOutput`" */
  readonly purpose: string;
  readonly doc?: string;
  /**
   * a one-line fix hint for when the link is denied: the catalog's template (see `fixSide`), or
   * the link's whole fix (a configuration error's)
   */
  readonly fix?: string;
  /**
   * the side of the request the catalog's `fix` is about (catalog.ts fixSideOf): resolveLink
   * uses it only for a missing allow of that side, and words the others itself; absent when
   * `fix` is the link's whole fix
   */
  readonly fixSide?: FixSide;
  /**
   * where the link's KMS key is chosen, when a configuration chooses it: a key whose policy
   * cannot allow the caller (an AWS managed key, across accounts) is fixed by choosing another
   */
  readonly keyChoice?: KeyChoice;
  readonly declaredAt?: Location;
  /** snapshot files that are missing before evaluation (a fact the model could not fill) */
  readonly unknown?: readonly string[];
  /** why the link could not be built, when a fact is unknown */
  readonly unknownReason?: string;
  /**
   * set with `unknownReason` when all the input leaves unsettled is a name inside the resource
   * (`${Ecs.TaskDefinitionFamily}` of `…:task-definition/${Ecs.TaskDefinitionFamily}:*`), the
   * placeholder's name: the link is evaluated with made-up names in its place and with each name
   * its policies give, and is decided only when every one gives the same answer (resolveLink).
   * `reason` is the `unknownReason` it gave: a spec whose reason was replaced since (a rule
   * trigger's) is not tried
   */
  readonly unsettledName?: { readonly placeholder: string; readonly reason: string };
  /**
   * set with `unknownReason` when the link's call is made and only a value of it is unsettled
   * (its resource, a context value): the catalog entry applies and its caller is known
   * (catalog.ts UnknownPlaceholder.valueOnly). An unconditional explicit deny of every resource
   * in the caller's own policies, its permissions boundary or its SCPs, or an SCP level that
   * allows the action nowhere, then decides it whatever the value (resolveLink
   * callerDeniesAnyResource). `reason` as for `unsettledName`
   */
  readonly callMade?: { readonly reason: string };
  /**
   * a value the input does not settle that made the link apply (an unknown build image): the
   * link may not be needed, so only an Allowed answer is certain
   */
  readonly presumed?: string;
  /**
   * the resource stands in for one the input does not name in full: only an allow by a pattern
   * that covers any value, or an explicit deny, is certain
   */
  readonly standIn?: string;
  /** a failure known from the configuration alone (an alias used across accounts) */
  readonly knownFailure?: string;
  /**
   * a link of a rule of an entry condition whose result is SKIP: when it fails, the rule fails,
   * CodePipeline skips the stage and the run goes on to the next one, so the link blocks its own
   * stage only (analyze.ts)
   */
  readonly skipsItsStage?: true;
}
