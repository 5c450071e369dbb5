// Where the load goes, and the guard that keeps it on this machine. Runs in k6's init context, so a
// refused target stops the run before any virtual user (or setup()) sends a request.

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];

/**
 * Splits an http(s) URL into scheme, host and port without the URL class (k6 has none built in).
 * User-info ("user@host") is refused outright: it is the classic way to disguise the real host.
 */
export function parseHttpUrl(raw) {
  const match =
    /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[^/:?#@[\]]+)(?::(\d{1,5}))?(\/[^?#]*)?\/?$/.exec(raw);
  if (!match) {
    throw new Error(
      `BASE_URL must be http(s)://host[:port][/path] without user-info, query or fragment; got ${JSON.stringify(raw)}`,
    );
  }
  return { scheme: match[1], host: match[2].toLowerCase(), port: match[3], path: match[4] ?? '' };
}

export function isLoopbackHost(host) {
  return LOOPBACK_HOSTS.includes(host.toLowerCase());
}

/**
 * The base URL of the platform under test: BASE_URL, default the local gateway. Anything but a
 * loopback host is refused unless ALLOW_NON_LOOPBACK=1, so a stray variable can never point a load
 * test at someone else's server (on kind, port-forward the gateway to localhost instead).
 */
export function resolveBaseUrl(env) {
  const raw = env.BASE_URL || 'http://127.0.0.1:8080';
  const { host } = parseHttpUrl(raw);
  if (!isLoopbackHost(host) && env.ALLOW_NON_LOOPBACK !== '1') {
    throw new Error(
      `BASE_URL host ${host} is not a loopback address (127.0.0.1, localhost, ::1): refusing to send load to it. ` +
        'Port-forward the target to localhost, or set ALLOW_NON_LOOPBACK=1 if you really mean it.',
    );
  }
  return raw.replace(/\/+$/, '');
}

/** A positive integer from the environment, or the default; a bad value stops the run naming it. */
export function envInt(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new Error(`${name} must be a positive integer; got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** A k6 duration ("30s", "2m", "1m30s") from the environment, or the default. */
export function envDuration(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^(\d+h)?(\d+m)?(\d+s)?$/.test(raw) || raw === '') {
    throw new Error(`${name} must be a duration like 30s, 2m or 1m30s; got ${JSON.stringify(raw)}`);
  }
  return raw;
}

/** Seconds in a k6 duration string. */
export function durationSeconds(duration) {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/**
 * k6's `blacklistIPs` for everything but loopback (127.0.0.0/8 and ::1): defence in depth behind
 * resolveBaseUrl, for a name like "localhost" that a hosts file maps elsewhere, or a redirect.
 * The complement of a prefix is one CIDR per bit: the prefix's first i bits, bit i flipped.
 */
export function nonLoopbackCidrs() {
  return [...complementOf([127], 8, 4), ...complementOf([0, 0, 0, 0, 0, 0, 0, 1], 128, 6)];
}

function complementOf(groups, prefixLength, family) {
  const groupBits = family === 4 ? 8 : 16;
  const totalGroups = family === 4 ? 4 : 8;
  const bits = [];
  for (let g = 0; g < totalGroups; g++) {
    const value = groups[g] ?? 0;
    for (let b = groupBits - 1; b >= 0; b--) bits.push((value >> b) & 1);
  }
  const cidrs = [];
  for (let i = 0; i < prefixLength; i++) {
    const flipped = bits.slice(0, i + 1).concat(new Array(bits.length - i - 1).fill(0));
    flipped[i] = 1 - flipped[i];
    const out = [];
    for (let g = 0; g < totalGroups; g++) {
      let value = 0;
      for (let b = 0; b < groupBits; b++) value = value * 2 + flipped[g * groupBits + b];
      out.push(family === 4 ? String(value) : value.toString(16));
    }
    cidrs.push(`${out.join(family === 4 ? '.' : ':')}/${i + 1}`);
  }
  return cidrs;
}

/** Options every script adds: no traffic beyond loopback unless explicitly allowed. */
export function loopbackOnlyOptions(env) {
  return env.ALLOW_NON_LOOPBACK === '1' ? {} : { blacklistIPs: nonLoopbackCidrs() };
}
