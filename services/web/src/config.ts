import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { defineConfig, env, loadConfig } from '@tourkit/kit';

/** Where `vite build` writes the bundle (services/web/dist/public), next to this file once compiled. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../dist/public', import.meta.url));

export const webConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('web'),
  PORT: env.int(8087, 0, 65535),
  /** The public API: every /v1 request of the browser is forwarded here unchanged. */
  GATEWAY_URL: env.url('http://127.0.0.1:8080'),
  /** No answer from the gateway within this time → 504 (ms). */
  UPSTREAM_TIMEOUT_MS: env.int(10_000, 100, 300_000),
  /** The built browser app (index.html + assets/). */
  STATIC_DIR: z.string().min(1).default(DEFAULT_STATIC_DIR),
  /**
   * Booking's base URL, only to read its /health (no token): the payment dependency's state tells
   * the app that payment is down before the traveller books. Unset → the app learns it from the
   * booking's status alone (RESERVED_PENDING_PAYMENT).
   */
  BOOKING_URL: env.url().optional(),
  /**
   * Notification's base URL and the internal token, for the "contact support" relay. The platform
   * has no public support endpoint yet; unset (the default in the cluster, so the edge holds no
   * internal secret) → the app offers an e-mail to SUPPORT_EMAIL instead.
   */
  NOTIFICATION_URL: env.url().optional(),
  INTERNAL_TOKEN: env.secret().optional(),
  SUPPORT_EMAIL: z.email().default('support@tourkit.dev'),
});

export type WebConfig = z.output<typeof webConfigSchema>;

export function loadWebConfig(
  environment: Record<string, string | undefined> = process.env,
): WebConfig {
  return loadConfig(webConfigSchema, environment);
}
