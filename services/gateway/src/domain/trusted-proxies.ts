import { isIP } from 'node:net';

/**
 * Express's `trust proxy` setting: `false` (no proxy trusted: the client is the TCP peer), a hop
 * count (trust that many proxies in front, whatever their address), or the addresses and CIDRs of
 * the trusted proxies (a request's client is then the rightmost X-Forwarded-For entry that is not one
 * of them; a peer outside the list is the client itself, whatever X-Forwarded-For it sends).
 */
export type TrustProxy = false | number | string[];

/** Names Express (proxy-addr) knows for address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads TRUSTED_PROXIES: empty → none trusted; a whole number → that many hops; else a
 * comma-separated list of IP addresses, CIDRs (`10.0.0.0/8`, `fd00::/8`) or `loopback`,
 * `linklocal`, `uniquelocal`. Throws naming the first entry that is none of these.
 */
export function parseTrustedProxies(value: string): TrustProxy {
  const text = value.trim();
  if (text === '') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new Error(`at most 10 hops, not ${hops}`);
    return hops === 0 ? false : hops;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isAddressOrRange(entry))
      throw new Error(
        `"${entry}" is not an IP address, a CIDR, loopback, linklocal or uniquelocal`,
      );
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
