/**
 * Names and ids that AWS generates at deploy time, made up the same way and deterministically:
 * `<stack>-<logicalId>-<SUFFIX>` for physical names
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html),
 * and a UUID-shaped KMS key id. The suffix is a hash of the stack name and logical id, so two
 * loads of the same templates give the same names.
 */
import { createHash } from 'node:crypto';

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** 13 upper-case letters and digits, like CloudFormation's random suffix. */
export function generatedSuffix(stack: string, logicalId: string): string {
  const hex = digest(stack, logicalId);
  return BigInt('0x' + hex.slice(0, 20))
    .toString(36)
    .toUpperCase()
    .padStart(13, '0')
    .slice(0, 13);
}

/** `<stack>-<logicalId>-<SUFFIX>`, cut to `max` characters the way CloudFormation shortens it. */
export function generatedName(
  stack: string,
  logicalId: string,
  max: number,
  lowerCase = false,
): string {
  const suffix = generatedSuffix(stack, logicalId);
  let head = `${stack}-${logicalId}`;
  if (head.length + 1 + suffix.length > max) head = head.slice(0, max - 1 - suffix.length);
  const name = `${head}-${suffix}`;
  return lowerCase ? name.toLowerCase() : name;
}

/** A UUID-shaped id (`1234abcd-12ab-34cd-56ef-1234567890ab`) for a key or a repository. */
export function generatedUuid(stack: string, logicalId: string): string {
  const h = digest('uuid', stack, logicalId);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An IAM unique id (`AROA...`) for a role. */
export function generatedUniqueId(prefix: string, stack: string, logicalId: string): string {
  const h = digest('id', stack, logicalId);
  return (
    prefix +
    BigInt('0x' + h.slice(0, 24))
      .toString(36)
      .toUpperCase()
  )
    .padEnd(21, '0')
    .slice(0, 21);
}

/** A launch template id (`lt-` and 17 hex digits), what `Ref` of an `AWS::EC2::LaunchTemplate` gives. */
export function generatedLaunchTemplateId(stack: string, logicalId: string): string {
  return `lt-${digest('lt', stack, logicalId).slice(0, 17)}`;
}

/**
 * Whether `name` may be the one CloudFormation generated for `logicalId` of `stack`:
 * `<stack>-<logicalId>-<random suffix>`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
 * A name longer than the type allows has its stack name and logical id shortened, so a shortened
 * part (a prefix of its own) is accepted only in a name of exactly `max` characters; a logical id
 * has no hyphen, so the last two hyphens part the three. Bucket names are lower case.
 */
export function isGeneratedNameOf(
  name: string,
  stack: string,
  logicalId: string,
  max: number,
  lowerCase = false,
): boolean {
  if (name.length > max) return false;
  const m = /^(.+)-([A-Za-z0-9]+)-([A-Za-z0-9]{10,16})$/.exec(name);
  if (!m) return false;
  const [, head = '', id = ''] = m;
  const s = lowerCase ? stack.toLowerCase() : stack;
  const l = lowerCase ? logicalId.toLowerCase() : logicalId;
  if (!s.startsWith(head) || !l.startsWith(id)) return false;
  return (head === s && id === l) || name.length === max;
}
