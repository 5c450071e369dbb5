import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@tourkit/kit';
import { createTestDatabase, testRedisUrl } from '@tourkit/kit/testing';
import { buildNotificationApp, type NotificationService } from '../../src/app.js';
import { loadNotificationConfig } from '../../src/config.js';
import { startSmtpCapture, type SmtpCapture } from '@tourkit/mail-catcher';
import { startUpstreams, type Upstreams } from './upstreams.js';

export const INTERNAL_TOKEN = 'test-internal-token-0123456789';
export const SUPPORT_EMAIL = 'support@tourkit.test';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Tests read whatever JSON a route answers; its shape is what they assert. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

export interface Harness {
  service: NotificationService;
  url: string;
  smtp: SmtpCapture;
  upstreams: Upstreams;
  databaseUrl: string;
  /** The environment the service was built from (a child process can reuse it). */
  env: Record<string, string>;
  internal: { 'x-internal-token': string; 'content-type': string };
  post(path: string, body: unknown): Promise<{ status: number; body: JsonBody }>;
  get(path: string): Promise<{ status: number; body: JsonBody }>;
  stop(): Promise<void>;
}

/** Fast retries, short leases and locks: the behaviour under test, on a test's time scale. */
export const FAST_ENV = {
  SEND_BACKOFF_MS: '100',
  SEND_ATTEMPTS: '12',
  SMTP_TIMEOUT_MS: '1000',
  SEND_LEASE_MS: '2000',
  QUEUE_LOCK_MS: '1000',
  QUEUE_STALLED_INTERVAL_MS: '500',
  RECOVERY_INTERVAL_MS: '1000',
  UPSTREAM_TIMEOUT_MS: '1000',
};

/**
 * A fresh migrated database `tourkit_<dbName>_test`, a queue prefix of its own, a capturing SMTP
 * server, fake upstreams, and the notification service listening on a free port.
 */
export async function startHarness(
  dbName: string,
  options: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<Harness> {
  const databaseUrl = await createTestDatabase(dbName);
  await runMigrations(databaseUrl, MIGRATIONS_DIR);
  const smtp = await startSmtpCapture();
  const upstreams = await startUpstreams(INTERNAL_TOKEN);
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: `tourkit-test:notification:${randomUUID()}`,
    SMTP_URL: smtp.url,
    SUPPORT_EMAIL,
    USER_URL: upstreams.url,
    CATALOG_URL: upstreams.url,
    BOOKING_URL: upstreams.url,
    INTERNAL_TOKEN,
    LOG_LEVEL: 'silent',
    ...FAST_ENV,
    ...options.env,
  };
  const service = buildNotificationApp(loadNotificationConfig(env));
  if (options.worker !== false) await service.startWorker();
  const server: Server = service.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const internal = { 'x-internal-token': INTERNAL_TOKEN, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: internal,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    service,
    url,
    smtp,
    upstreams,
    databaseUrl,
    env,
    internal,
    post: (path, body) => call('POST', path, body),
    get: (path) => call('GET', path),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.queue.obliterate({ force: true }).catch(() => undefined);
      await service.close();
      await smtp.stop();
      await upstreams.close();
    },
  };
}

/** Polls `check` until it returns true (conditions, never durations, are what tests assert). */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How many times each Message-ID was delivered: the catcher keeps the first message of a
 * Message-ID and counts the retransmissions on it, so a resend still shows here.
 */
export function countByMessageId(
  messages: ReadonlyArray<{ messageId: string | undefined; retransmissions: number }>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { messageId, retransmissions } of messages)
    counts.set(messageId ?? '', (counts.get(messageId ?? '') ?? 0) + 1 + retransmissions);
  return counts;
}

/** How many times these messages were delivered, retransmissions included. */
export function deliveries(messages: ReadonlyArray<{ retransmissions: number }>): number {
  return messages.reduce((total, mail) => total + 1 + mail.retransmissions, 0);
}
