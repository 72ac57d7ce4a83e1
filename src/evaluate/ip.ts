/**
 * IP addresses and CIDR ranges for the `IpAddress` / `NotIpAddress` condition operators.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 *
 * Hand-written scanners (no regular expressions, one pass over the text). An address is held
 * as 32-bit words: one word for IPv4, four for IPv6 (most significant first), so a range test
 * is a few masked comparisons. The request side parses into a caller-owned buffer, so the hot
 * path allocates nothing.
 *
 * IPv4-mapped IPv6 addresses (`::ffff:203.0.113.1`) are not folded into IPv4, on either side:
 * the AWS documentation says nothing about it, and `aws:SourceIp` carries IPv4 callers as IPv4
 * and IPv6 callers (dual-stack endpoints) as IPv6, for which "you need to update these policies
 * to support IPv6 clients"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_dual-stack_endpoint_support.html).
 * A mapped address is the form an IPv6 socket API gives an IPv4 peer (RFC 4291 section 2.5.5.2,
 * https://www.rfc-editor.org/rfc/rfc4291#section-2.5.5.2), not one a caller's packets carry, so
 * a request that names one is read as the IPv6 address it spells: it matches IPv6 ranges that
 * hold it (`::ffff:0:0/96`) and never an IPv4 range. The two families never match each other.
 * The compressed, full and dotted-tail spellings of one IPv6 address are the same address.
 */

export type IpFamily = 4 | 6;

export interface Cidr {
  readonly family: IpFamily;
  /** the network address, already masked: 1 word (IPv4) or 4 words (IPv6) */
  readonly network: Uint32Array;
  /** the prefix as 1 or 4 word masks */
  readonly mask: Uint32Array;
  readonly prefixLength: number;
}

/** Words an address needs in the buffer given to parseIpAddress. */
export const IP_WORDS = 4;

/**
 * Parse a policy value: an address or `address/prefix`. Without a prefix the range is the
 * single address: `/32` for IPv4 ("If you specify an IP address without the associated routing
 * prefix, IAM uses the default prefix value of /32", see the page above) and `/128` for IPv6.
 * The IPv6 case is not documented (read literally, `/32` of an IPv6 address is a network of
 * 2^96 addresses), so the narrowest reading is taken here and the policy parser
 * (src/policy/parse.ts, `policy.condition.ip-prefix-missing`) warns about every such value and,
 * where the single address could make a statement allow more or deny less than AWS's reading,
 * hands this function the `/32` network instead. Host bits
 * after the prefix are ignored (`203.0.113.5/24` is `203.0.113.0/24`). Returns undefined for
 * anything else.
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addressEnd = slash < 0 ? text.length : slash;
  const words = new Uint32Array(IP_WORDS);
  const family = parseIpRange(text, 0, addressEnd, words);
  if (family === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  let prefixLength = max;
  if (slash >= 0) {
    const parsed = parsePrefix(text, slash + 1, max);
    if (parsed === undefined) return undefined;
    prefixLength = parsed;
  }
  const count = family === 4 ? 1 : 4;
  const mask = new Uint32Array(count);
  const network = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const bits = Math.min(32, Math.max(0, prefixLength - 32 * i));
    mask[i] = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    network[i] = (words[i]! & mask[i]!) >>> 0;
  }
  return { family, network, mask, prefixLength };
}

/**
 * Parse a request address (no prefix) into `out` (IP_WORDS words): IPv4 fills out[0], IPv6
 * out[0..3]. Returns the family, or undefined when the text is not a plain address.
 */
export function parseIpAddress(text: string, out: Uint32Array): IpFamily | undefined {
  return parseIpRange(text, 0, text.length, out);
}

/** True when the address (as parseIpAddress left it in `words`) lies in the range. */
export function cidrContains(cidr: Cidr, family: IpFamily, words: Uint32Array): boolean {
  if (cidr.family !== family) return false;
  const { network, mask } = cidr;
  for (let i = 0; i < network.length; i++) {
    if ((words[i]! & mask[i]!) >>> 0 !== network[i]) return false;
  }
  return true;
}

function parseIpRange(
  text: string,
  start: number,
  end: number,
  out: Uint32Array,
): IpFamily | undefined {
  if (end <= start) return undefined;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === COLON) return parseIpv6(text, start, end, out) ? 6 : undefined;
  }
  const v4 = parseIpv4(text, start, end);
  if (v4 < 0) return undefined;
  out[0] = v4;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  return 4;
}

const COLON = 58;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Dotted quad, four decimal parts 0-255. A part with a leading zero (`010`) is rejected:
 * some resolvers read it as octal, so its meaning is ambiguous. Returns -1 when invalid.
 */
function parseIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let pos = start;
  while (parts < 4) {
    let part = 0;
    let digits = 0;
    const partStart = pos;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c < ZERO || c > NINE) break;
      part = part * 10 + (c - ZERO);
      digits++;
      pos++;
      if (digits > 3) return -1;
    }
    if (digits === 0 || part > 255) return -1;
    if (digits > 1 && text.charCodeAt(partStart) === ZERO) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (pos >= end || text.charCodeAt(pos) !== DOT) return -1;
      pos++;
    }
  }
  return pos === end ? value >>> 0 : -1;
}

/** 1-4 hex digits per group, at most one `::`, an optional dotted-quad tail. */
function parseIpv6(text: string, start: number, end: number, out: Uint32Array): boolean {
  // groups as 16-bit values; `gap` is where `::` stands (-1 when absent)
  const groups = GROUPS;
  let count = 0;
  let gap = -1;
  let pos = start;
  if (text.charCodeAt(pos) === COLON) {
    if (text.charCodeAt(pos + 1) !== COLON) return false;
    gap = 0;
    pos += 2;
    if (pos === end) return fill(groups, 0, gap, out);
  }
  while (pos < end) {
    if (count >= 8) return false;
    // a dotted-quad tail takes the last two groups
    let dotted = false;
    for (let i = pos; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) break;
      if (c === DOT) {
        dotted = true;
        break;
      }
    }
    if (dotted) {
      if (count > 6) return false;
      const v4 = parseIpv4(text, pos, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      pos = end;
      break;
    }
    let group = 0;
    let digits = 0;
    while (pos < end) {
      const h = hexValue(text.charCodeAt(pos));
      if (h < 0) break;
      group = group * 16 + h;
      digits++;
      pos++;
      if (digits > 4) return false;
    }
    if (digits === 0) return false;
    groups[count++] = group;
    if (pos === end) break;
    if (text.charCodeAt(pos) !== COLON) return false;
    pos++;
    if (text.charCodeAt(pos) === COLON) {
      if (gap >= 0) return false;
      gap = count;
      pos++;
      if (pos === end) break;
    } else if (pos === end) {
      return false; // a trailing single colon
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  return fill(groups, count, gap, out);
}

const GROUPS = new Uint16Array(8);

/** Expand `count` parsed groups, with the `::` gap at `gap`, into four words. */
function fill(groups: Uint16Array, count: number, gap: number, out: Uint32Array): boolean {
  const full = FULL;
  if (gap < 0) {
    for (let i = 0; i < 8; i++) full[i] = groups[i]!;
  } else {
    const zeros = 8 - count;
    let j = 0;
    for (let i = 0; i < gap; i++) full[j++] = groups[i]!;
    for (let i = 0; i < zeros; i++) full[j++] = 0;
    for (let i = gap; i < count; i++) full[j++] = groups[i]!;
  }
  for (let w = 0; w < 4; w++) out[w] = ((full[2 * w]! << 16) | full[2 * w + 1]!) >>> 0;
  return true;
}

const FULL = new Uint16Array(8);

function hexValue(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** Decimal prefix length without sign or leading zeros, at most `max`. */
function parsePrefix(text: string, start: number, max: number): number | undefined {
  const end = text.length;
  if (start >= end || end - start > 3) return undefined;
  if (end - start > 1 && text.charCodeAt(start) === ZERO) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return undefined;
    value = value * 10 + (c - ZERO);
  }
  return value <= max ? value : undefined;
}
