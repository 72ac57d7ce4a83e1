/**
 * ARN, account id and region name helpers. All of them are linear-time string scans: no
 * regex with nested quantifiers, so hostile input cannot make them slow.
 *
 * ARN format: `arn:partition:service:region:account-id:resource`, where the resource part may
 * itself contain `:` and `/` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 */

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** everything after the fifth colon, e.g. `role/path/name` or `function:name:alias` */
  readonly resource: string;
}

/** Split an ARN into its six parts; undefined when it is not an ARN. */
export function parseArn(arn: string): Arn | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  // the colons that end the partition, service, region and account (no array of parts: this
  // runs several times for every link)
  const p = arn.indexOf(':', 4);
  const s = p < 0 ? -1 : arn.indexOf(':', p + 1);
  const r = s < 0 ? -1 : arn.indexOf(':', s + 1);
  const a = r < 0 ? -1 : arn.indexOf(':', r + 1);
  if (a < 0 || p === 4 || s === p + 1) return undefined;
  return {
    partition: arn.slice(4, p),
    service: arn.slice(p + 1, s),
    region: arn.slice(s + 1, r),
    account: arn.slice(r + 1, a),
    resource: arn.slice(a + 1),
  };
}

/** The account id of an ARN (`aws` for AWS-managed policies), a bare 12-digit id, or undefined. */
export function accountOfArn(arnOrAccount: string): string | undefined {
  if (isAccountId(arnOrAccount)) return arnOrAccount;
  const arn = parseArn(arnOrAccount);
  return arn && arn.account !== '' ? arn.account : undefined;
}

export function isAccountId(value: string): boolean {
  if (value.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const DIRECTIONS = new Set([
  'north',
  'south',
  'east',
  'west',
  'central',
  'northeast',
  'northwest',
  'southeast',
  'southwest',
]);

/**
 * Does a folder name look like an AWS region: `us-east-1`, `eu-central-2`, `us-gov-west-1`,
 * `cn-north-1`, `ap-southeast-4`, `il-central-1`, `us-iso-east-1`, `eu-isoe-west-1`,
 * `eusc-de-east-1`... The shapes of the partitions' region patterns (the AWS SDKs'
 * partitions.json, e.g. `^(us|eu|ap|...)\-\w+\-\d+$` for `aws`, `^us\-isob\-\w+\-\d+$` for
 * `aws-iso-b`, `^eusc\-(de)\-\w+\-\d+$` for `aws-eusc`), each with any area or country so a
 * new region of a known shape is read: a 2-letter area with an optional partition marker (`gov`,
 * `iso`, `isob`...), or a 3-4 letter sovereign area with a 2-letter country (`eusc-de`); then a
 * direction and a 1-2 digit number.
 */
export function isRegionName(name: string): boolean {
  if (name.length < 9 || name.length > 24) return false;
  const parts = name.split('-');
  if (parts.length !== 3 && parts.length !== 4) return false;
  const area = parts[0]!;
  if (!isLower(area)) return false;
  if (area.length === 2) {
    if (parts.length === 4) {
      const marker = parts[1]!;
      if (marker !== 'gov' && !(marker.startsWith('iso') && marker.length <= 4 && isLower(marker)))
        return false;
    }
  } else if (area.length === 3 || area.length === 4) {
    if (parts.length !== 4 || parts[1]!.length !== 2 || !isLower(parts[1]!)) return false;
  } else return false;
  if (!DIRECTIONS.has(parts[parts.length - 2]!)) return false;
  const num = parts[parts.length - 1]!;
  return num.length >= 1 && num.length <= 2 && num[0] !== '0' && isDigits(num);
}

/**
 * A folder name that is not a region name (isRegionName) but comes close: a direction among its
 * `-` or `_` separated parts (`us-east`, `US-EAST-1`, `us_east_1`, `us-east-01`,
 * `us-northeast1`), or letters and a 1-2 digit trailing number (`useast-1`). Such a folder is likely meant
 * as a region and is skipped, so the loader warns about it.
 */
export function looksLikeRegionName(name: string): boolean {
  if (isRegionName(name) || name.length > 40) return false;
  const parts = name.toLowerCase().split(/[-_]/);
  if (parts.length < 2) return false;
  for (const part of parts) {
    let letters = part.length;
    while (letters > 0 && isDigits(part.slice(letters - 1, letters))) letters--;
    if (DIRECTIONS.has(part.slice(0, letters))) return true;
  }
  const num = parts[parts.length - 1]!;
  return num.length <= 2 && isDigits(num) && isLower(parts[0]!);
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isLower(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * The partition a region belongs to
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html;
 * the region patterns of each partition are in the AWS SDKs' partitions.json, e.g.
 * `@aws-sdk/core` util-endpoints/lib/aws/partitions.js: `eusc-de-east-1` is the AWS European
 * Sovereign Cloud, partition `aws-eusc`).
 */
export function partitionOfRegion(region: string | undefined): string {
  if (region === undefined) return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** The role or user name of an IAM ARN: the text after the last `/` (paths are dropped). */
export function nameOfIamArn(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'iam') return undefined;
  const slash = parsed.resource.lastIndexOf('/');
  return slash < 0 ? undefined : parsed.resource.slice(slash + 1);
}
