/** Seconds in "90", "90s", "5m", "1m30s"; a bad value is an error naming the option. */
export function parseDurationSeconds(option: string, raw: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(raw.trim());
  const seconds = match
    ? Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0)
    : 0;
  if (!match || seconds <= 0)
    throw new Error(
      `${option} must be a duration like 30s, 5m or 1m30s; got ${JSON.stringify(raw)}`,
    );
  return seconds;
}

/** The same rule as the k6 scripts' guard: no request (not even a readiness probe) beyond loopback. */
export function assertLoopbackTarget(baseUrl: string, allowNonLoopback: boolean): void {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    throw new Error(`BASE_URL is not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (!allowNonLoopback && !['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    throw new Error(
      `BASE_URL host ${host} is not a loopback address (127.0.0.1, localhost, ::1): port-forward the gateway, or set ALLOW_NON_LOOPBACK=1`,
    );
  }
}
