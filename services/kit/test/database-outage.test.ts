import { createServer, type Server, type Socket } from 'node:net';
import type { Express } from 'express';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { createPool, withTransaction } from '../src/db.js';
import { isDatabaseUnavailable } from '../src/database-outage.js';
import { HealthRegistry } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { closedPort, createTestDatabase, dropTestDatabase } from '../src/testing.js';
import { memoryLogger } from './support/memory-logger.js';

// Each error below is made by node-postgres against a real server (the machine's Postgres, a port
// nobody listens on, a server that never answers), not written by hand: the decision is only as
// good as the shapes it is tried on.

/** The error `fn` rejects with. */
async function failureOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('isDatabaseUnavailable (real Postgres)', () => {
  let databaseUrl: string;
  let admin: pg.Pool;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('kit_outage');
    admin = createPool(databaseUrl, { name: 'db-admin', max: 2 });
    await admin.query('CREATE TABLE IF NOT EXISTS seats (id serial PRIMARY KEY, tour text UNIQUE)');
  });

  afterAll(async () => {
    await admin.end();
    await dropTestDatabase('kit_outage');
  });

  /** A checked-out client of a pool of one, and its backend's pid (to terminate it). */
  async function heldClient(pool: pg.Pool): Promise<{ client: pg.PoolClient; pid: number }> {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { client, pid: rows[0]!.pid };
  }

  it('a session the server ends (57P01, what a restart does), then the same client used again', async () => {
    const pool = createPool(databaseUrl, { name: 'db-ended', max: 1 });
    try {
      const { client, pid } = await heldClient(pool);
      const inFlight = failureOf(() => client.query('SELECT pg_sleep(10)'));
      // The sleep must have started before the session ends, or the error is the next one's.
      for (let seen = 0; seen === 0; await new Promise((resolve) => setTimeout(resolve, 20))) {
        const { rows } = await admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'SELECT pg_sleep%'",
          [pid],
        );
        seen = rows[0]!.n;
      }
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      const ended = await inFlight;
      expect(ended).toMatchObject({ code: '57P01', severity: 'FATAL' });
      expect(isDatabaseUnavailable(ended)).toBe(true);

      const after = await failureOf(() => client.query('SELECT 1'));
      expect((after as Error).message).toMatch(/terminated|not queryable/);
      expect(isDatabaseUnavailable(after)).toBe(true);
      client.release(true);
    } finally {
      await pool.end();
    }
  }, 30_000);

  it('no server listening (ECONNREFUSED)', async () => {
    const url = new URL(databaseUrl);
    url.port = String(await closedPort());
    const pool = createPool(url.toString(), { name: 'db-refused' });
    try {
      const refused = await failureOf(() => pool.query('SELECT 1'));
      expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
      expect(isDatabaseUnavailable(refused)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('a server that accepts the connection and never answers (connection timeout)', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = new URL(databaseUrl);
    url.port = String((silent.address() as { port: number }).port);
    const pool = createPool(url.toString(), { name: 'db-silent', connectionTimeoutMs: 200 });
    try {
      const timedOut = await failureOf(() => pool.query('SELECT 1'));
      expect((timedOut as Error).message).toBe('Connection terminated due to connection timeout');
      expect(isDatabaseUnavailable(timedOut)).toBe(true);
    } finally {
      await pool.end();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('no pooled client free in time (pool connection timeout)', async () => {
    // The pool's own 2 s: a shorter one would also bound the first connect, on a loaded machine.
    const pool = createPool(databaseUrl, { name: 'db-full', max: 1 });
    const { client } = await heldClient(pool);
    try {
      const full = await failureOf(() => pool.query('SELECT 1'));
      expect((full as Error).message).toBe('timeout exceeded when trying to connect');
      expect(isDatabaseUnavailable(full)).toBe(true);
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('a statement that fails is no outage: syntax, constraint, statement timeout', async () => {
    const syntax = await failureOf(() => admin.query('SELEC 1'));
    expect(syntax).toMatchObject({ code: '42601' });
    await admin.query("INSERT INTO seats (tour) VALUES ('dup') ON CONFLICT DO NOTHING");
    const duplicate = await failureOf(() => admin.query("INSERT INTO seats (tour) VALUES ('dup')"));
    expect(duplicate).toMatchObject({ code: '23505' });
    const slow = createPool(databaseUrl, { name: 'db-slow', max: 1, statementTimeoutMs: 50 });
    try {
      const cancelled = await failureOf(() => slow.query('SELECT pg_sleep(1)'));
      expect(cancelled).toMatchObject({ code: '57014' });
      for (const error of [syntax, duplicate, cancelled]) {
        expect(isDatabaseUnavailable(error)).toBe(false);
      }
    } finally {
      await slow.end();
    }
  });
});

describe('isDatabaseUnavailable (shapes no test can make here)', () => {
  const databaseError = (code: string) =>
    Object.assign(new Error('server message'), { code, severity: 'FATAL' });

  it('the connection-exception class 08 and the server going away or not there yet', () => {
    // 08006 connection_failure, 08001 unable to establish, 57P02 crash_shutdown, 57P03 cannot_connect_now
    for (const code of ['08000', '08001', '08006', '08P01', '57P02', '57P03']) {
      expect(isDatabaseUnavailable(databaseError(code))).toBe(true);
    }
  });

  it('a reset or timed-out socket, and every address of a host name refused at once', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT']) {
      expect(isDatabaseUnavailable(Object.assign(new Error(`read ${code}`), { code }))).toBe(true);
    }
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    expect(
      isDatabaseUnavailable(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')])),
    ).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([refused('::1:5432'), new Error('bug')]))).toBe(
      false,
    );
  });

  it('anything else is not: other codes, a message alone under another code, non-errors', () => {
    expect(isDatabaseUnavailable(databaseError('57014'))).toBe(false);
    expect(isDatabaseUnavailable(databaseError('23505'))).toBe(false);
    expect(isDatabaseUnavailable(databaseError('0800'))).toBe(false);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('Connection terminated unexpectedly'), { code: 'EBUG' }),
      ),
    ).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable({ code: '57P01' })).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated unexpectedly')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([]))).toBe(false);
  });
});

describe('a request whose database goes away mid-transaction (real Postgres)', () => {
  let databaseUrl: string;
  let admin: pg.Pool;
  let pool: pg.Pool;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('kit_outage_http');
    admin = createPool(databaseUrl, { name: 'db-admin', max: 1 });
    pool = createPool(databaseUrl, { name: 'db', max: 1 });
    await admin.query('CREATE TABLE bookings (id serial PRIMARY KEY, seats int NOT NULL)');
  });

  afterAll(async () => {
    await Promise.all([admin.end(), pool.end()]);
    await dropTestDatabase('kit_outage_http');
  });

  it('answers 503 service-unavailable with Retry-After, and nothing of the transaction stays', async () => {
    const { logger } = memoryLogger();
    const app = createApp({
      name: 'outage-test',
      logger,
      metrics: createMetrics('outage-test', { defaultMetrics: false }),
      health: new HealthRegistry(),
      routes: (app: Express) => {
        app.post('/v1/bookings', async (_req, res) => {
          const id = await withTransaction(pool, async (tx) => {
            const { rows } = await tx.query<{ id: number; pid: number }>(
              'INSERT INTO bookings (seats) VALUES (2) RETURNING id, pg_backend_pid() AS pid',
            );
            const { id, pid } = rows[0]!;
            // The server ends this session between two statements of the transaction, as a
            // fast shutdown does to every session (waiting up to 5 s for it to be gone).
            await admin.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
            await tx.query('UPDATE bookings SET seats = 3 WHERE id = $1', [id]);
            return id;
          });
          res.status(201).json({ id });
        });
      },
    });

    const answer = await request(app).post('/v1/bookings').send({});
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.body).toMatchObject({
      type: 'https://tourkit.dev/problems/service-unavailable',
      status: 503,
      retryAfterSeconds: 5,
    });
    const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings');
    expect(rows[0]!.n).toBe(0);
  }, 30_000);
});
