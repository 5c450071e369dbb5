import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { createLogger, createPool, runMigrations, ServiceMetrics, type Pool } from '@tourkit/kit';
import { createTestDatabase, dropTestDatabase, testRedisUrl } from '@tourkit/kit/testing';
import {
  bookingRetentionRules,
  bookingRetentionShape,
  createBookingRetention,
} from '../../src/background/retention.js';
import { loadBookingConfig } from '../../src/config.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const DB = 'booking_retention';
const logger = createLogger('booking-retention-test', 'silent');
const config = (environment: Record<string, string> = {}) =>
  loadBookingConfig({
    JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----',
    INTERNAL_TOKEN: 'i'.repeat(32),
    PAYMENT_LINK_SECRET: 'p'.repeat(32),
    ...environment,
  });

describe('retention settings', () => {
  it('default to 30 days of delivered outbox rows, 7 days of idempotency keys, 1000 finished jobs each', () => {
    const c = config();
    expect(c).toMatchObject({
      RETENTION_OUTBOX_DELIVERED_DAYS: 30,
      RETENTION_IDEMPOTENCY_KEY_HOURS: 168,
      RETENTION_PAYMENT_JOBS_COMPLETED: 1000,
      RETENTION_PAYMENT_JOBS_FAILED: 1000,
      RETENTION_SWEEP_INTERVAL_SECONDS: 3600,
    });
    expect(bookingRetentionRules(c).map((r) => [r.name, r.olderThanMs])).toEqual([
      ['outbox-delivered', 30 * 86_400_000],
      ['idempotency-keys', 168 * 3_600_000],
    ]);
    expect(Object.keys(bookingRetentionShape)).toContain('RETENTION_BATCH_SIZE');
  });

  it('refuse, naming it, an idempotency window shorter than a day (a client retry must replay)', () => {
    expect(() => config({ RETENTION_IDEMPOTENCY_KEY_HOURS: '2' })).toThrow(
      /RETENTION_IDEMPOTENCY_KEY_HOURS/,
    );
    expect(() => config({ RETENTION_OUTBOX_DELIVERED_DAYS: 'forever' })).toThrow(
      /RETENTION_OUTBOX_DELIVERED_DAYS/,
    );
  });
});

describe('booking retention sweep (real Postgres, real Redis)', () => {
  let pool: Pool;
  const prefix = `test:booking-retention:${randomUUID()}`;
  const connection = { url: testRedisUrl(), maxRetriesPerRequest: null };
  let queue: Queue;

  beforeAll(async () => {
    const url = await createTestDatabase(DB);
    await runMigrations(url, MIGRATIONS_DIR, { logger });
    pool = createPool(url, { name: 'db', max: 4 });
    queue = new Queue('payments', { connection, prefix });
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
    await pool?.end();
    await dropTestDatabase(DB);
  });

  const sweep = (environment: Record<string, string> = {}, jobMinAgeMs?: number) =>
    createBookingRetention({
      pool,
      queue,
      ...(jobMinAgeMs === undefined ? {} : { jobMinAgeMs }),
      config: config(environment),
      logger,
      metrics: new ServiceMetrics('booking-retention-test', { defaultMetrics: false }),
    });

  it('deletes outbox rows delivered long ago and stale idempotency keys; fresh, undelivered and parked rows stay', async () => {
    const outbox = `INSERT INTO outbox (kind, dedupe_key, payload, delivered_at, next_attempt_at)
                    VALUES ('notification', $1, '{}', $2, $3)`;
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    await pool.query(outbox, ['old-delivered', ago(40), ago(40)]);
    await pool.query(outbox, ['fresh-delivered', ago(2), ago(2)]);
    await pool.query(outbox, ['old-undelivered', null, ago(40)]);
    await pool.query(outbox, ['old-parked', null, 'infinity']);
    const key = `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, $2, 'h', $3)`;
    const user = randomUUID();
    await pool.query(key, [user, 'old', ago(8)]);
    await pool.query(key, [user, 'recent', ago(1)]);

    const removed = await sweep().runOnce();

    expect(removed).toMatchObject({ 'outbox-delivered': 1, 'idempotency-keys': 1 });
    const left = await pool.query<{ dedupe_key: string }>(
      'SELECT dedupe_key FROM outbox ORDER BY dedupe_key',
    );
    expect(left.rows.map((r) => r.dedupe_key)).toEqual([
      'fresh-delivered',
      'old-parked',
      'old-undelivered',
    ]);
    const keys = await pool.query<{ key: string }>('SELECT key FROM idempotency_keys');
    expect(keys.rows.map((r) => r.key)).toEqual(['recent']);
  });

  it('bounds finished payment jobs: the newest kept, the oldest cleaned, younger-than-an-hour ones spared', async () => {
    const events = new QueueEvents('payments', { connection, prefix });
    await events.waitUntilReady();
    const worker = new Worker(
      'payments',
      async (job) => {
        if (job.data.fail) throw new Error('declined');
        return 'ok';
      },
      { connection, prefix, concurrency: 5 },
    );
    try {
      const ids = Array.from({ length: 8 }, (_, i) => `booking-${i}`);
      for (const [i, id] of ids.entries()) {
        const job = await queue.add('charge', { fail: i >= 6 }, { jobId: id });
        await job.waitUntilFinished(events).catch(() => undefined);
      }
      expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 6, failed: 2 });

      // Every job finished just now: none is older than the hour that protects a fresh job id.
      const keepTwo = { RETENTION_PAYMENT_JOBS_COMPLETED: '2', RETENTION_PAYMENT_JOBS_FAILED: '1' };
      expect(await sweep(keepTwo).runOnce()).toMatchObject({
        'queue:payments:completed': 0,
        'queue:payments:failed': 0,
      });

      // Past that hour (BullMQ reads its own clock, so the test lowers the hour instead of waiting),
      // the oldest go and the newest two completed and one failed stay.
      const removed = await sweep(keepTwo, 0).runOnce();
      expect(removed).toMatchObject({ 'queue:payments:completed': 4, 'queue:payments:failed': 1 });
      const completed = (await queue.getJobs(['completed'])).map((j) => j.id).sort();
      expect(completed).toEqual(['booking-4', 'booking-5']);
      expect((await queue.getJobs(['failed'])).map((j) => j.id)).toEqual(['booking-7']);
    } finally {
      await worker.close();
      await events.close();
    }
  });
});
