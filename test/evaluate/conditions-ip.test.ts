/**
 * IpAddress / NotIpAddress and the hand-written CIDR matcher.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds } from '../../src/evaluate/conditions.js';
import { cidrContains, IP_WORDS, parseCidr, parseIpAddress } from '../../src/evaluate/ip.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { parsePolicy } from '../../src/policy/parse.js';
import type { CompiledCondition } from '../../src/policy/types.js';
import type { Problem } from '../../src/problems.js';

function ipCondition(negated: boolean, values: readonly string[]): CompiledCondition {
  const base = negated ? 'NotIpAddress' : 'IpAddress';
  return {
    operator: base,
    base,
    ifExists: false,
    key: 'aws:SourceIp',
    keyLower: 'aws:sourceip',
    values,
    pointer: '/Statement/0/Condition/IpAddress',
  };
}

function inRange(range: string | readonly string[], address: string): boolean {
  const values = typeof range === 'string' ? [range] : range;
  const context = new Map([['aws:sourceip', address]]);
  const yes = conditionHolds(ipCondition(false, values), context, true);
  const no = conditionHolds(ipCondition(true, values), context, true);
  // NotIpAddress is exactly the negation of IpAddress for a present key
  expect(no).toBe(!yes);
  return yes;
}

describe('IpAddress with IPv4', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.1', true],
    ['203.0.113.0/24', '203.0.113.255', true],
    ['203.0.113.0/24', '203.0.114.0', false],
    ['203.0.113.0/24', '198.51.100.1', false],
    // no prefix: the single address (/32)
    ['203.0.113.5', '203.0.113.5', true],
    ['203.0.113.5', '203.0.113.6', false],
    ['203.0.113.5/32', '203.0.113.5', true],
    // host bits after the prefix are ignored
    ['203.0.113.77/24', '203.0.113.1', true],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['128.0.0.0/1', '127.255.255.255', false],
    ['128.0.0.0/1', '128.0.0.0', true],
    ['192.168.1.2/31', '192.168.1.3', true],
    ['192.168.1.2/31', '192.168.1.4', false],
    ['255.255.255.255/32', '255.255.255.255', true],
  ])('%s contains %s: %s', (range, address, expected) => {
    expect(inRange(range, address)).toBe(expected);
  });
});

describe('IpAddress with IPv6', () => {
  it.each([
    ['2001:DB8:1234:5678::/64', '2001:db8:1234:5678:abcd::1', true],
    ['2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1', false],
    // no prefix: the single address (/128)
    ['2001:db8::1', '2001:db8::1', true],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:1', true],
    ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', true],
    ['2001:db8::1', '2001:db8::2', false],
    ['::/0', '2001:db8::1', true],
    ['::/0', '::', true],
    ['::1/128', '::1', true],
    ['::1/128', '::2', false],
    // word boundaries of the matcher
    ['2001:db8::/33', '2001:db8:7fff::1', true],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['2001:db8::/127', '2001:db8::1', true],
    ['2001:db8::/127', '2001:db8::2', false],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['1:2:3:4:5:6:7::/112', '1:2:3:4:5:6:7:ffff', true],
    ['::ffff:203.0.113.0/120', '::ffff:203.0.113.9', true],
    ['::ffff:203.0.113.0/120', '::ffff:203.0.114.9', false],
  ])('%s contains %s: %s', (range, address, expected) => {
    expect(inRange(range, address)).toBe(expected);
  });

  it('keeps the families apart', () => {
    expect(inRange('0.0.0.0/0', '::1')).toBe(false);
    expect(inRange('::/0', '10.0.0.1')).toBe(false);
    // an IPv4-mapped IPv6 address is not folded into IPv4 (AWS documents no such rule)
    expect(inRange('203.0.113.0/24', '::ffff:203.0.113.1')).toBe(false);
  });

  it('mixes families in one condition, as the AWS example does', () => {
    const ranges = ['203.0.113.0/24', '2001:DB8:1234:5678::/64'];
    expect(inRange(ranges, '203.0.113.9')).toBe(true);
    expect(inRange(ranges, '2001:db8:1234:5678::9')).toBe(true);
    expect(inRange(ranges, '2001:db8:1234:5600::9')).toBe(false);
  });
});

describe('invalid addresses', () => {
  it.each([
    '',
    'abc',
    '203.0.113',
    '203.0.113.1.2',
    '203.0.113.256',
    '203.0.113.-1',
    '203.0.113.1/32',
    '01.2.3.4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1..2.3',
    '1::2::3',
    ':1',
    '1:',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::1',
    'fe80::1%eth0',
    '[::1]',
    '::ffff:1.2.3',
    '1.2.3.4::',
    'g::1',
  ])('request value %j matches no range (NotIpAddress holds)', (address) => {
    expect(inRange(['0.0.0.0/0', '::/0'], address)).toBe(false);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/08',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '::/129',
    '::/1x',
    '10.0.0.0/8 ',
    'any',
  ])('policy value %j matches nothing', (range) => {
    expect(parseCidr(range)).toBeUndefined();
    expect(inRange(range, '10.0.0.1')).toBe(false);
  });

  // the 60 s timeout is a hang guard (a backtracking parser of these 1 MB addresses would not
  // finish), not a speed measurement
  it('rejects hostile input without hanging', () => {
    const long = '1:'.repeat(200_000) + '1';
    expect(inRange('::/0', long)).toBe(false);
    expect(parseIpAddress(long, new Uint32Array(IP_WORDS))).toBeUndefined();
    expect(inRange('0.0.0.0/0', '1'.repeat(1_000_000))).toBe(false);
    expect(parseIpAddress('1'.repeat(1_000_000), new Uint32Array(IP_WORDS))).toBeUndefined();
  }, 60_000);
});

describe('parseCidr and parseIpAddress', () => {
  it('parses prefixes and defaults', () => {
    expect(parseCidr('10.1.2.3')).toMatchObject({ family: 4, prefixLength: 32 });
    expect(parseCidr('10.1.2.3/0')).toMatchObject({ family: 4, prefixLength: 0 });
    expect(parseCidr('2001:db8::')).toMatchObject({ family: 6, prefixLength: 128 });
    expect(parseCidr('2001:db8::/48')).toMatchObject({ family: 6, prefixLength: 48 });
    expect([...parseCidr('10.1.2.3/16')!.network]).toEqual([0x0a010000]);
    expect([...parseCidr('2001:db8:ab12:2:3:4:5:6/40')!.network]).toEqual([
      0x20010db8, 0xab000000, 0, 0,
    ]);
  });

  it('expands compressed IPv6 forms', () => {
    const out = new Uint32Array(IP_WORDS);
    expect(parseIpAddress('::', out)).toBe(6);
    expect([...out]).toEqual([0, 0, 0, 0]);
    expect(parseIpAddress('1::', out)).toBe(6);
    expect([...out]).toEqual([0x00010000, 0, 0, 0]);
    expect(parseIpAddress('::2:1', out)).toBe(6);
    expect([...out]).toEqual([0, 0, 0, 0x00020001]);
    expect(parseIpAddress('a:b::c:d', out)).toBe(6);
    expect([...out]).toEqual([0x000a000b, 0, 0, 0x000c000d]);
    expect(parseIpAddress('::ffff:192.0.2.1', out)).toBe(6);
    expect([...out]).toEqual([0, 0, 0x0000ffff, 0xc0000201]);
    expect(parseIpAddress('1:2:3:4:5:6:7::', out)).toBe(6);
    expect([...out]).toEqual([0x00010002, 0x00030004, 0x00050006, 0x00070000]);
    expect(parseIpAddress('255.254.253.252', out)).toBe(4);
    expect(out[0]).toBe(0xfffefdfc);
    expect(cidrContains(parseCidr('255.254.0.0/15')!, 4, out)).toBe(true);
  });
});

/**
 * A bare IPv6 policy value: AWS documents the default prefix only as `/32` (the single address
 * for IPv4); for IPv6 the value is read the way that cannot produce a wrong Allowed, with a
 * warning (src/policy/parse.ts bareIpv6SingleIsSafe).
 */
describe('a policy IPv6 address without a prefix length', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/DeployRole';
  const OBJECT = 'arn:aws:s3:::art-111122223333/pipe/obj.zip';
  const allowAll = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  };

  function decide(
    effect: 'Allow' | 'Deny',
    operator: string,
    value: string,
    sourceIp: string,
  ): { decision: string; problems: readonly Problem[] } {
    const statement = {
      Effect: effect,
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { [operator]: { 'aws:SourceIp': value } },
    };
    const policy = { Version: '2012-10-17', Statement: [statement] };
    const r = evaluate({
      principal: ROLE,
      action: 's3:GetObject',
      resource: OBJECT,
      resourceAccount: '111122223333',
      context: { 'aws:SourceIp': sourceIp },
      identityPolicies: effect === 'Deny' ? [allowAll, policy] : [policy],
    });
    return { decision: r.decision, problems: r.problems };
  }

  // 2001:db8:ffff::9 is outside 2001:db8::1/128 but inside its /32 network
  const NEAR = '2001:db8:ffff::9';

  it.each([
    // [effect, operator, caller, decision]: the reading taken is the one that allows less
    ['Allow', 'IpAddress', '2001:db8::1', 'Allowed'],
    ['Allow', 'IpAddress', '2001:0db8:0000:0000:0000:0000:0000:0001', 'Allowed'],
    ['Allow', 'IpAddress', NEAR, 'ImplicitlyDenied'], // single address: not allowed
    ['Allow', 'NotIpAddress', NEAR, 'ImplicitlyDenied'], // /32 network: NotIpAddress false
    ['Allow', 'NotIpAddress', '2001:db9::1', 'Allowed'],
    ['Allow', 'NotIpAddress', '203.0.113.7', 'Allowed'], // other family under any reading
    // ... or denies more
    ['Deny', 'IpAddress', NEAR, 'ExplicitlyDenied'], // /32 network: the Deny applies
    ['Deny', 'IpAddress', '2001:db9::1', 'Allowed'],
    ['Deny', 'NotIpAddress', NEAR, 'ExplicitlyDenied'], // single address: NotIpAddress true
    ['Deny', 'NotIpAddress', '2001:db8::1', 'Allowed'],
  ] as const)('%s with %s `2001:db8::1`, caller %s: %s', (effect, operator, caller, decision) => {
    const r = decide(effect, operator, '2001:db8::1', caller);
    expect(r.decision).toBe(decision);
    const warnings = r.problems.filter((p) => p.id === 'policy.condition.ip-prefix-missing');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.severity).toBe('warning');
    expect(warnings[0]!.message).toContain('`2001:db8::1/128`');
  });

  it('takes an explicit prefix, and a bare IPv4 address (documented /32), without a warning', () => {
    for (const value of ['2001:db8::1/128', '203.0.113.7', '2001:db8::/32']) {
      const r = parsePolicy(
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { IpAddress: { 'aws:SourceIp': value } },
            },
          ],
        },
        { name: 't' },
      );
      expect(r.problems).toEqual([]);
      expect(r.policy!.statements[0]!.conditions[0]!.values).toEqual([value]);
    }
    expect(decide('Deny', 'IpAddress', '2001:db8::1/128', NEAR).decision).toBe('Allowed');
    expect(decide('Allow', 'IpAddress', '203.0.113.7', '203.0.113.8').decision).toBe(
      'ImplicitlyDenied',
    );
  });

  it('reports the value at its own pointer, for each bare value of a list', () => {
    const r = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: {
              'ForAnyValue:NotIpAddressIfExists': {
                'aws:SourceIp': ['10.0.0.0/8', '::1', '2001:db8::/64', 'fe80::1'],
              },
            },
          },
        ],
      },
      { name: 't' },
    );
    const C = '/Statement/0/Condition/ForAnyValue:NotIpAddressIfExists/aws:SourceIp';
    expect(r.problems.map((p) => [p.severity, p.id, p.pointer])).toEqual([
      ['warning', 'policy.condition.ip-prefix-missing', `${C}/1`],
      ['warning', 'policy.condition.ip-prefix-missing', `${C}/3`],
    ]);
    // a negated operator in an Allow: the wide reading
    expect(r.policy!.statements[0]!.conditions[0]!.values).toEqual([
      '10.0.0.0/8',
      '::1/32',
      '2001:db8::/64',
      'fe80::1/32',
    ]);
  });
});

/**
 * The request side: aws:SourceIp spelt in any IPv6 form is one address; an IPv4-mapped IPv6
 * address is an IPv6 address, never folded into IPv4 (see src/evaluate/ip.ts for the sources).
 */
describe('request addresses', () => {
  it.each([
    '2001:db8::7',
    '2001:DB8::7',
    '2001:db8:0:0:0:0:0:7',
    '2001:0db8:0000:0000:0000:0000:0000:0007',
    '2001:db8::0.0.0.7',
  ])('%s is 2001:db8::7 in every spelling', (address) => {
    expect(inRange('2001:db8::7/128', address)).toBe(true);
    expect(inRange('2001:db8::6/128', address)).toBe(false);
  });

  it.each(['::ffff:203.0.113.7', '::ffff:cb00:7107', '0:0:0:0:0:ffff:203.0.113.7'])(
    'the IPv4-mapped %s matches IPv6 ranges only',
    (address) => {
      // IpAddress with the IPv4 range does not hold and NotIpAddress does (inRange checks both)
      expect(inRange('203.0.113.0/24', address)).toBe(false);
      expect(inRange('203.0.113.7', address)).toBe(false);
      expect(inRange('0.0.0.0/0', address)).toBe(false);
      expect(inRange('::ffff:0:0/96', address)).toBe(true);
      expect(inRange('::ffff:203.0.113.0/120', address)).toBe(true);
      expect(inRange('::ffff:203.0.113.7', address)).toBe(true);
    },
  );

  it('an IPv4 caller does not match the IPv4-mapped range of its own address', () => {
    expect(inRange('::ffff:203.0.113.0/120', '203.0.113.7')).toBe(false);
  });
});
