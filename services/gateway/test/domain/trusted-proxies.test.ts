import { parseTrustedProxies } from '../../src/domain/trusted-proxies.js';

describe('parseTrustedProxies', () => {
  test('empty or 0 → no proxy trusted (X-Forwarded-For ignored)', () => {
    expect(parseTrustedProxies('')).toBe(false);
    expect(parseTrustedProxies('  ')).toBe(false);
    expect(parseTrustedProxies('0')).toBe(false);
  });

  test('a whole number → that many hops', () => {
    expect(parseTrustedProxies('1')).toBe(1);
    expect(parseTrustedProxies(' 2 ')).toBe(2);
    expect(() => parseTrustedProxies('11')).toThrow(/at most 10 hops/);
  });

  test('addresses, CIDRs and range names → the list Express compiles', () => {
    expect(parseTrustedProxies('10.0.0.0/8, 192.168.1.7,fd00::/8 ,loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'loopback',
    ]);
  });

  test.each([
    '10.0.0.0/33',
    '10.0.0/8',
    'fd00::/129',
    'proxy.local',
    '10.0.0.1/8/8',
    '1.2.3.4,',
    '-1',
  ])('%j is refused, naming the entry', (value) => {
    expect(() => parseTrustedProxies(value)).toThrow(/is not an IP address, a CIDR/);
  });
});
