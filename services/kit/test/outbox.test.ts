import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { createPool, type Pool } from '../src/db.js';
import {
  PermanentDeliveryError,
  asDeliveryError,
  isPermanentUpstreamError,
  retryDelayMs,
} from '../src/delivery-errors.js';
import { UpstreamError } from '../src/upstream-error.js';
import { createMetrics } from '../src/metrics.js';
import { createOutboxRelay, type OutboxEntry } from '../src/outbox.js';
import { createTestDatabase, dropTestDatabase } from '../src/testing.js';
import { currentTraceCarrier } from '../src/trace-context.js';
import { memoryLogger } from './support/memory-logger.js';

const upstream = (status?: number, kind: UpstreamError['kind'] = 'status') =>
  new UpstreamError({
    service: 'catalog',
    method: 'PUT',
    url: 'http://catalog/x',
    kind,
    ...(status ? { status, problem: { detail: 'tour is gone' } } : {}),
  });

describe('delivery errors (pure)', () => {
  test.each([
    ['400', upstream(400), true],
    ['404', upstream(404), true],
    ['408', upstream(408), false],
    ['429', upstream(429), false],
    ['500', upstream(500), false],
    ['a timeout', upstream(undefined, 'timeout'), false],
    ['a plain Error', new Error('boom'), false],
  ])('%s is permanent: %s', (_label, error, permanent) => {
    expect(isPermanentUpstreamError(error)).toBe(permanent);
  });

  test("asDeliveryError turns a 4xx into a PermanentDeliveryError carrying the receiver's detail", () => {
    const error = asDeliveryError(upstream(404));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toMatch(/404: tour is gone$/);
    const transient = upstream(503);
    expect(asDeliveryError(transient)).toBe(transient);
  });

  test('retry delays double from the base and are capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1_000))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(40, 1_000)).toBe(300_000);
    expect(retryDelayMs(3, 100, 250)).toBe(250);
  });
});

describe('createOutboxRelay (real Postgres)', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = createPool(await createTestDatabase('kit_outbox'), { name: 'db', max: 4 });
    await pool.query(`CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      kind text NOT NULL,
      payload jsonb NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      delivered_at timestamptz,
      trace_context jsonb)`);
  });

  beforeEach(() => pool.query('TRUNCATE outbox'));

  afterAll(async () => {
    await pool?.end();
    await dropTestDatabase('kit_outbox');
  });

  const add = async (kind: string, payload: unknown) => {
    const { rows } = await pool.query<{ id: string }>(
      'INSERT INTO outbox (kind, payload) VALUES ($1, $2) RETURNING id::text',
      [kind, JSON.stringify(payload)],
    );
    return rows[0]!.id;
  };
  const row = async (id: string) =>
    (
      await pool.query<{
        attempts: number;
        delivered: boolean;
        parked: boolean;
        last_error: string | null;
      }>(
        `SELECT attempts, delivered_at IS NOT NULL AS delivered,
                next_attempt_at = 'infinity' AS parked, last_error FROM outbox WHERE id = $1`,
        [id],
      )
    ).rows[0]!;

  test('delivers in order, marks delivered rows, retries a failure later and parks a permanent one', async () => {
    const seen: Array<OutboxEntry<'mail'>> = [];
    let mailDown = true;
    const metrics = createMetrics('outbox-test', { defaultMetrics: false });
    const relay = createOutboxRelay<{ mail: { to: string }; seats: { tourId: string } }>({
      pool,
      logger: memoryLogger().logger,
      metrics,
      intervalMs: 10_000,
      retryBaseMs: 1,
      handlers: {
        mail: async (_payload, entry) => {
          seen.push(entry);
          if (mailDown) throw new Error('smtp down');
        },
        seats: async (payload) => {
          if (payload.tourId === 'gone') throw new PermanentDeliveryError('no such tour');
        },
      },
    });
    const mail = await add('mail', { to: 'a@example.test' });
    const seats = await add('seats', { tourId: 't1' });
    const gone = await add('seats', { tourId: 'gone' });

    expect(await relay.drainOnce()).toBe(3);
    expect(seen[0]).toEqual({
      id: mail,
      kind: 'mail',
      payload: { to: 'a@example.test' },
      attempts: 1,
    });
    expect(await row(mail)).toMatchObject({
      delivered: false,
      parked: false,
      last_error: 'smtp down',
    });
    expect(await row(seats)).toMatchObject({ delivered: true, attempts: 1 });
    expect(await row(gone)).toMatchObject({
      delivered: false,
      parked: true,
      last_error: 'no such tour',
    });

    mailDown = false;
    await new Promise((resolve) => setTimeout(resolve, 20)); // past the 1 ms retry delay
    expect(await relay.drainOnce()).toBe(1); // the failed mail only: delivered and parked rows are done
    expect(await row(mail)).toMatchObject({ delivered: true, attempts: 2, last_error: null });
    expect(await relay.drainOnce()).toBe(0);

    const exposition = (await metrics.render()).body;
    expect(exposition).toContain('outbox_deliveries_total{kind="mail",result="retry"} 1');
    expect(exposition).toContain('outbox_deliveries_total{kind="seats",result="parked"} 1');
    expect(exposition).toMatch(/outbox_pending 1\b/);
  });

  test('two relays (replicas) never deliver the same row twice at once', async () => {
    for (let i = 0; i < 30; i++) await add('mail', { n: i });
    const delivered: number[] = [];
    const relay = () =>
      createOutboxRelay<{ mail: { n: number } }>({
        pool,
        logger: memoryLogger().logger,
        intervalMs: 10_000,
        retryBaseMs: 1,
        batchSize: 5,
        handlers: {
          mail: async (payload) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            delivered.push(payload.n);
          },
        },
      });
    const [a, b] = [relay(), relay()];
    while ((await Promise.all([a.drainOnce(), b.drainOnce()])).some((claimed) => claimed > 0));
    expect(delivered.sort((x, y) => x - y)).toEqual([...Array(30).keys()]);
  });

  test("deliveredRows: 'delete' removes a delivered row and keeps a failed one", async () => {
    const relay = createOutboxRelay<{ mail: { ok: boolean } }>({
      pool,
      logger: memoryLogger().logger,
      intervalMs: 10_000,
      retryBaseMs: 10_000,
      deliveredRows: 'delete',
      handlers: {
        mail: async ({ ok }) => {
          if (!ok) throw new Error('refused for now');
        },
      },
    });
    await add('mail', { ok: true });
    const failed = await add('mail', { ok: false });
    expect(await relay.drainOnce()).toBe(2);
    const { rows } = await pool.query<{ id: string }>('SELECT id::text FROM outbox');
    expect(rows).toEqual([{ id: failed }]);
  });

  test('an outcome the database refused is written at the next pass, not after the lease; the rest of the batch is still delivered', async () => {
    // A Postgres restart between the claim and the answer, made real: the table is away while
    // the receivers answer, so the relay's writes fail as they would on a closed server.
    const seen: Array<{ to: string; fail: boolean }> = [];
    const relay = createOutboxRelay<{ mail: { to: string; fail: boolean } }>({
      pool,
      logger: memoryLogger().logger,
      intervalMs: 60_000,
      retryBaseMs: 0,
      leaseMs: 600_000,
      handlers: {
        mail: async (payload) => {
          if (seen.length === 0) await pool.query('ALTER TABLE outbox RENAME TO outbox_away');
          seen.push(payload);
          if (payload.fail) throw new Error('receiver down');
        },
      },
    });
    const delivered = await add('mail', { to: 'first', fail: false });
    const failed = await add('mail', { to: 'second', fail: true });
    const third = await add('mail', { to: 'third', fail: false });
    try {
      expect(await relay.drainOnce()).toBe(3);
      // Every claimed row was handed to its receiver, though no outcome could be written.
      expect(seen.map((m) => m.to)).toEqual(['first', 'second', 'third']);
    } finally {
      await pool.query('ALTER TABLE IF EXISTS outbox_away RENAME TO outbox');
    }
    expect(await relay.drainOnce()).toBe(1); // the outcomes written, then the failed row due again
    expect(seen.map((m) => m.to)).toEqual(['first', 'second', 'third', 'second']);
    expect(await row(delivered)).toMatchObject({ delivered: true, attempts: 1 });
    expect(await row(third)).toMatchObject({ delivered: true, attempts: 1 });
    expect(await row(failed)).toMatchObject({ delivered: false, attempts: 2 });
  });

  test('started, it delivers what is due; wake() delivers a new row before the next poll', async () => {
    const delivered: string[] = [];
    const relay = createOutboxRelay<{ mail: { to: string } }>({
      pool,
      logger: memoryLogger().logger,
      intervalMs: 60_000,
      retryBaseMs: 1,
      handlers: {
        mail: async (payload) => {
          delivered.push(payload.to);
        },
      },
    });
    await add('mail', { to: 'first' });
    relay.start();
    try {
      await until(() => delivered.includes('first'));
      await add('mail', { to: 'second' });
      relay.wake();
      await until(() => delivered.includes('second'));
    } finally {
      await relay.stop();
    }
    relay.wake(); // stopped: does nothing
    await add('mail', { to: 'third' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(delivered).toEqual(['first', 'second']);
  });

  describe('trace context', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    beforeAll(() => {
      trace.setGlobalTracerProvider(provider);
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    test('a delivery joins the trace that wrote the row; a row written outside any trace starts its own', async () => {
      const tracer = trace.getTracer('outbox-test');
      const request = await tracer.startActiveSpan('POST /bookings', async (span) => {
        await pool.query('INSERT INTO outbox (kind, payload, trace_context) VALUES ($1, $2, $3)', [
          'mail',
          JSON.stringify({ to: 'traced@example.test' }),
          currentTraceCarrier(),
        ]);
        span.end();
        return span.spanContext();
      });
      expect(currentTraceCarrier()).toBeNull();
      await add('mail', { to: 'untraced@example.test' });

      const handledIn = new Map<string, string | undefined>();
      const relay = createOutboxRelay<{ mail: { to: string } }>({
        pool,
        logger: memoryLogger().logger,
        intervalMs: 10_000,
        retryBaseMs: 1,
        handlers: {
          mail: async ({ to }) => {
            handledIn.set(to, trace.getActiveSpan()?.spanContext().traceId);
          },
        },
      });
      // Woken from inside another trace: the deliveries still take the rows' own.
      await tracer.startActiveSpan('unrelated', async (span) => {
        expect(await relay.drainOnce()).toBe(2);
        span.end();
      });

      expect(handledIn.get('traced@example.test')).toBe(request.traceId);
      const deliveries = exporter
        .getFinishedSpans()
        .filter((s) => s.name === 'outbox deliver mail');
      expect(deliveries).toHaveLength(2);
      const traced = deliveries.find((s) => s.spanContext().traceId === request.traceId)!;
      expect(traced.parentSpanContext?.spanId).toBe(request.spanId);
      const untraced = deliveries.find((s) => s !== traced)!;
      expect(untraced.parentSpanContext).toBeUndefined();
      expect(handledIn.get('untraced@example.test')).toBe(untraced.spanContext().traceId);
      expect(untraced.spanContext().traceId).not.toBe(request.traceId);
    });
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
