import type { HealthRegistry } from './health.js';
import type { ServiceClient } from './http-client.js';

export interface UpstreamHealthOptions {
  /** Whether this service is not ready while the upstream is down; most are not (they degrade). */
  critical: boolean;
  /** The upstream's probe; default `/livez` (it answers), `/readyz` to also require its own dependencies. */
  path?: '/livez' | '/readyz';
  /** Default 1000. */
  timeoutMs?: number;
}

/**
 * One health check per client, named after the client's service: a GET of its probe, tried once
 * (the next probe is the retry; retrying inside one would also log a warning per probe while the
 * upstream is down).
 */
export function registerUpstreamHealth(
  health: HealthRegistry,
  clients: readonly ServiceClient[],
  options: UpstreamHealthOptions,
): void {
  const { critical, path = '/livez', timeoutMs = 1000 } = options;
  for (const client of clients) {
    health.register(client.name, () => client.request('GET', path, { timeoutMs, retries: 0 }), {
      critical,
      timeoutMs,
    });
  }
}
