import { fileURLToPath } from 'node:url';
import { createLogger, createPool, runMigrations, ServiceMetrics, type Pool } from '@tourkit/kit';
import { createTestDatabase, dropTestDatabase } from '@tourkit/kit/testing';
import { createNotificationRetention } from '../../src/background/retention.js';
import { loadNotificationConfig } from '../../src/config.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const DB = 'notification_retention';
const logger = createLogger('notification-retention-test', 'silent');
const config = (environment: Record<string, string> = {}) =>
  loadNotificationConfig({ INTERNAL_TOKEN: 'test-internal-token-0123456789', ...environment });

describe('notification retention settings', () => {
  it('keep sent notifications 90 days by default and refuse less than a week, naming the variable', () => {
    expect(config().RETENTION_NOTIFICATIONS_SENT_DAYS).toBe(90);
    expect(() => config({ RETENTION_NOTIFICATIONS_SENT_DAYS: '1' })).toThrow(
      /RETENTION_NOTIFICATIONS_SENT_DAYS/,
    );
  });
});

describe('notification retention sweep (real Postgres)', () => {
  let pool: Pool;

  beforeAll(async () => {
    const url = await createTestDatabase(DB);
    await runMigrations(url, MIGRATIONS_DIR, { logger });
    pool = createPool(url, { name: 'db', max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await dropTestDatabase(DB);
  });

  it('deletes notifications sent long ago; recent, queued, sending and failed ones stay', async () => {
    const insert = (key: string, status: string, ageDays: number) =>
      pool.query(
        `INSERT INTO notifications (dedupe_key, type, recipient, payload, status, created_at, sent_at)
         VALUES ($1, 'reminder', 'ada@example.com', '{}', $2,
                 now() - $3::int * interval '1 day',
                 CASE WHEN $2 = 'sent' THEN now() - $3::int * interval '1 day' END)`,
        [key, status, ageDays],
      );
    await insert('sent-long-ago', 'sent', 120);
    await insert('sent-long-ago-2', 'sent', 95);
    await insert('sent-recently', 'sent', 10);
    await insert('queued-long-ago', 'queued', 120);
    await insert('sending-long-ago', 'sending', 120);
    await insert('failed-long-ago', 'failed', 120);

    const sweep = createNotificationRetention({
      pool,
      config: config({ RETENTION_BATCH_SIZE: '1' }),
      logger,
      metrics: new ServiceMetrics('notification-retention-test', { defaultMetrics: false }),
    });
    expect(await sweep.runOnce()).toEqual({ 'notifications-sent': 2 });

    const left = await pool.query<{ dedupe_key: string }>(
      'SELECT dedupe_key FROM notifications ORDER BY dedupe_key',
    );
    expect(left.rows.map((r) => r.dedupe_key)).toEqual([
      'failed-long-ago',
      'queued-long-ago',
      'sending-long-ago',
      'sent-recently',
    ]);
  });
});
