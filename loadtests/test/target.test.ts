import { describe, expect, it } from '@jest/globals';
import {
  envDuration,
  envInt,
  isLoopbackHost,
  nonLoopbackCidrs,
  parseHttpUrl,
  resolveBaseUrl,
} from '../scripts/lib/target.js';

describe('resolveBaseUrl', () => {
  it('defaults to the local gateway', () => {
    expect(resolveBaseUrl({})).toBe('http://127.0.0.1:8080');
  });

  it.each([
    'http://127.0.0.1:8081',
    'http://localhost:8080/',
    'http://[::1]:8080',
    'https://LOCALHOST',
  ])('accepts the loopback target %s', (url) => {
    expect(resolveBaseUrl({ BASE_URL: url })).toBe(url.replace(/\/$/, ''));
  });

  it.each([
    'http://example.com',
    'http://10.0.0.1:8080',
    'http://127.0.0.1.nip.io',
    'http://[2001:db8::1]',
  ])('refuses %s without ALLOW_NON_LOOPBACK=1', (url) => {
    expect(() => resolveBaseUrl({ BASE_URL: url })).toThrow(/is not a loopback address/);
  });

  it('accepts any host when ALLOW_NON_LOOPBACK=1', () => {
    expect(resolveBaseUrl({ BASE_URL: 'http://gateway.staging', ALLOW_NON_LOOPBACK: '1' })).toBe(
      'http://gateway.staging',
    );
    expect(() =>
      resolveBaseUrl({ BASE_URL: 'http://gateway.staging', ALLOW_NON_LOOPBACK: 'yes' }),
    ).toThrow();
  });

  it.each([
    'http://127.0.0.1@example.com',
    'ftp://127.0.0.1',
    '127.0.0.1:8080',
    'http://127.0.0.1:8080?x=1',
  ])('refuses the malformed or disguised %s', (url) => {
    expect(() => resolveBaseUrl({ BASE_URL: url })).toThrow(/BASE_URL must be/);
  });
});

describe('parseHttpUrl and isLoopbackHost', () => {
  it('splits scheme, host, port and path', () => {
    expect(parseHttpUrl('http://[::1]:8080/api')).toEqual({
      scheme: 'http',
      host: '[::1]',
      port: '8080',
      path: '/api',
    });
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.0.0.2')).toBe(false);
  });
});

describe('nonLoopbackCidrs', () => {
  const cidrs: string[] = nonLoopbackCidrs();

  function ipv4Inside(ip: string, cidr: string): boolean {
    const [net, bits] = cidr.split('/') as [string, string];
    const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    const shift = 32 - Number(bits);
    return Math.floor(toInt(ip) / 2 ** shift) === Math.floor(toInt(net) / 2 ** shift);
  }

  it('covers every IPv4 address except 127.0.0.0/8, each exactly once', () => {
    const v4 = cidrs.filter((c) => c.includes('.'));
    for (const ip of [
      '0.0.0.0',
      '10.1.2.3',
      '126.255.255.255',
      '128.0.0.0',
      '192.168.1.1',
      '255.255.255.255',
    ]) {
      expect(v4.filter((c) => ipv4Inside(ip, c))).toHaveLength(1);
    }
    for (const ip of ['127.0.0.1', '127.255.255.255']) {
      expect(v4.filter((c) => ipv4Inside(ip, c))).toHaveLength(0);
    }
  });

  it('blocks IPv6 by 128 prefixes that leave only ::1 out', () => {
    const v6 = cidrs.filter((c) => c.includes(':'));
    expect(v6).toHaveLength(128);
    expect(v6[0]).toBe('8000:0:0:0:0:0:0:0/1');
    expect(v6[127]).toBe('0:0:0:0:0:0:0:0/128');
  });
});

describe('envInt and envDuration', () => {
  it('take the default, a valid value, or stop naming the variable', () => {
    expect(envInt({}, 'RATE', 20)).toBe(20);
    expect(envInt({ RATE: '7' }, 'RATE', 20)).toBe(7);
    expect(() => envInt({ RATE: '0' }, 'RATE', 20)).toThrow(/RATE must be a positive integer/);
    expect(envDuration({ DURATION: '1m30s' }, 'DURATION', '30s')).toBe('1m30s');
    expect(() => envDuration({ DURATION: 'soon' }, 'DURATION', '30s')).toThrow(
      /DURATION must be a duration/,
    );
  });
});

describe('assertLoopbackTarget (the validator CLI)', () => {
  it('accepts loopback and refuses other hosts unless allowed', async () => {
    const { assertLoopbackTarget } = await import('../src/cli/cli-support.js');
    expect(() => assertLoopbackTarget('http://[::1]:8080', false)).not.toThrow();
    expect(() => assertLoopbackTarget('http://localhost:8080', false)).not.toThrow();
    expect(() => assertLoopbackTarget('http://10.0.0.1:8080', false)).toThrow(
      /10\.0\.0\.1 is not a loopback/,
    );
    expect(() => assertLoopbackTarget('http://10.0.0.1:8080', true)).not.toThrow();
  });
});
