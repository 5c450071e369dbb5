import { createPool, type Pool } from '../src/db.js';
import { loadConfig } from '../src/config.js';
import { createMetrics } from '../src/metrics.js';
import {
  createRetentionSweep,
  retentionConfigShape,
  type RetentionConfig,
  type RetentionRule,
} from '../src/retention.js';
import { createTestDatabase, dropTestDatabase } from '../src/testing.js';
import { z } from 'zod';
import { memoryLogger } from './support/memory-logger.js';

const DAY_MS = 86_400_000;
const delivered: RetentionRule = {
  name: 'outbox',
  table: 'outbox',
  ageColumn: 'delivered_at',
  olderThanMs: 7 * DAY_MS,
  where: 'delivered_at IS NOT NULL',
};
const config = (over: Partial<RetentionConfig> = {}): RetentionConfig => ({
  RETENTION_SWEEP_INTERVAL_SECONDS: 3600,
  RETENTION_BATCH_SIZE: 1000,
  RETENTION_MAX_BATCHES: 100,
  ...over,
});

describe('retention config', () => {
  const schema = z.object(retentionConfigShape);
  it('defaults to an hourly sweep in batches of 1000', () => {
    expect(loadConfig(schema, {})).toEqual(config());
  });
  it('names a bad value', () => {
    expect(() => loadConfig(schema, { RETENTION_BATCH_SIZE: '0' })).toThrow(/RETENTION_BATCH_SIZE/);
    expect(() => loadConfig(schema, { RETENTION_SWEEP_INTERVAL_SECONDS: 'hourly' })).toThrow(
      /RETENTION_SWEEP_INTERVAL_SECONDS/,
    );
  });
});

describe('createRetentionSweep (real Postgres)', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = createPool(await createTestDatabase('kit_retention'), { name: 'db', max: 4 });
    await pool.query(`CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      label text NOT NULL,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )`);
  });
  afterAll(async () => {
    await pool.end();
    await dropTestDatabase('kit_retention');
  });
  beforeEach(() => pool.query('TRUNCATE outbox'));

  /** Rows delivered `ageDays` ago (null: not delivered), created as if that long ago. */
  async function insert(label: string, ageDays: number | null, count = 1, parked = false) {
    await pool.query(
      `INSERT INTO outbox (label, delivered_at, next_attempt_at)
       SELECT $1, CASE WHEN $2::float IS NULL THEN NULL ELSE now() - $2::float * interval '1 day' END,
              CASE WHEN $4 THEN 'infinity'::timestamptz ELSE now() END
         FROM generate_series(1, $3)`,
      [label, ageDays, count, parked],
    );
  }
  const labels = async () =>
    (await pool.query<{ label: string }>('SELECT label FROM outbox ORDER BY id')).rows.map(
      (r) => r.label,
    );

  it('deletes rows delivered long ago; fresh, undelivered and parked rows stay', async () => {
    await insert('old-delivered', 10, 3);
    await insert('fresh-delivered', 1);
    await insert('old-undelivered', null);
    await insert('parked', null, 1, true);
    await pool.query(
      `UPDATE outbox SET next_attempt_at = now() - interval '30 days' WHERE label = 'old-undelivered'`,
    );
    const metrics = createMetrics('retention-test', { defaultMetrics: false });
    const sweep = createRetentionSweep({
      pool,
      rules: [delivered],
      config: config(),
      logger: memoryLogger().logger,
      metrics,
    });

    expect(await sweep.runOnce()).toEqual({ outbox: 3 });
    expect(await labels()).toEqual(['fresh-delivered', 'old-undelivered', 'parked']);
    expect(await sweep.runOnce()).toEqual({ outbox: 0 });
    expect((await metrics.render()).body).toContain(
      'retention_deleted_rows_total{rule="outbox"} 3',
    );
  });

  it('deletes in batches, at most RETENTION_MAX_BATCHES of them a sweep: a backlog drains over sweeps', async () => {
    await insert('old', 30, 5);
    const sweep = createRetentionSweep({
      pool,
      rules: [delivered],
      config: config({ RETENTION_BATCH_SIZE: 2, RETENTION_MAX_BATCHES: 2 }),
      logger: memoryLogger().logger,
    });
    expect(await sweep.runOnce()).toEqual({ outbox: 4 });
    expect(await sweep.runOnce()).toEqual({ outbox: 1 });
    expect(await labels()).toEqual([]);
  });

  it('skips a row another transaction holds (a relay, another replica) and takes it at a later sweep', async () => {
    await insert('old', 30, 3);
    const sweep = createRetentionSweep({
      pool,
      rules: [delivered],
      config: config(),
      logger: memoryLogger().logger,
    });
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM outbox ORDER BY id LIMIT 1 FOR UPDATE');
      expect(await sweep.runOnce()).toEqual({ outbox: 2 });
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    expect(await sweep.runOnce()).toEqual({ outbox: 1 });
  });

  it('runs the other rules when one fails, and counts the failure', async () => {
    await insert('old', 30, 2);
    const metrics = createMetrics('retention-fail-test', { defaultMetrics: false });
    const log = memoryLogger();
    const sweep = createRetentionSweep({
      pool,
      rules: [{ ...delivered, name: 'missing', table: 'no_such_table' }, delivered],
      config: config(),
      logger: log.logger,
      metrics,
    });
    expect(await sweep.runOnce()).toEqual({ outbox: 2 });
    expect((await metrics.render()).body).toContain(
      'retention_sweep_failures_total{rule="missing"} 1',
    );
    expect(log.lines()).toContainEqual(
      expect.objectContaining({
        rule: 'missing',
        msg: expect.stringMatching(/retention sweep failed/),
      }),
    );
  });

  it('does not start a timer when RETENTION_SWEEP_INTERVAL_SECONDS is 0, and stops cleanly', async () => {
    await insert('old', 30, 1);
    const sweep = createRetentionSweep({
      pool,
      rules: [delivered],
      config: config({ RETENTION_SWEEP_INTERVAL_SECONDS: 0 }),
      logger: memoryLogger().logger,
    });
    sweep.start();
    const pending = sweep.runOnce();
    // A second call during a sweep joins it instead of running a second one beside it.
    expect(sweep.runOnce()).toBe(pending);
    await sweep.stop();
    expect(await pending).toEqual({ outbox: 1 });
  });
});
