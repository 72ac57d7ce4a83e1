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
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  if (partition === '' || service === '') return undefined;
  return { partition, service, region, account, resource: arn.slice(start) };
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
 * `cn-north-1`, `ap-southeast-4`, `il-central-1`, `us-iso-east-1`, `eu-isoe-west-1`...
 * Shape: a 2-letter area, an optional partition marker (`gov`, `iso`, `isob`...), a direction,
 * a 1-2 digit number.
 */
export function isRegionName(name: string): boolean {
  if (name.length < 9 || name.length > 24) return false;
  const parts = name.split('-');
  if (parts.length !== 3 && parts.length !== 4) return false;
  const area = parts[0]!;
  if (area.length !== 2 || !isLower(area)) return false;
  if (parts.length === 4) {
    const marker = parts[1]!;
    if (marker !== 'gov' && !(marker.startsWith('iso') && marker.length <= 4 && isLower(marker))) {
      return false;
    }
  }
  if (!DIRECTIONS.has(parts[parts.length - 2]!)) return false;
  const num = parts[parts.length - 1]!;
  if (num.length < 1 || num.length > 2 || num[0] === '0') return false;
  for (let i = 0; i < num.length; i++) {
    const c = num.charCodeAt(i);
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
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 */
export function partitionOfRegion(region: string | undefined): string {
  if (region === undefined) return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
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
