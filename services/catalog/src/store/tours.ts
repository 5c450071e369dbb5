import { withTransaction, type Pool, type PoolClient } from '@tourkit/kit';
import type { SearchFilter } from '../domain/search.js';
import { pageOffset } from '../domain/search.js';
import {
  applyPatch,
  appliedPrice,
  changeSeats,
  patchConflict,
  type Season,
  type Tour,
  type TourDraft,
  type TourPatch,
  type TourStatus,
} from '../domain/tour.js';
import { changesBookings } from '../domain/tour-change.js';
import { addTourChanged } from './outbox.js';

interface TourRow {
  id: string;
  title: string;
  destination: string;
  country: string;
  description: string;
  starts_at: Date;
  time_zone: string;
  status: TourStatus;
  cancelled_at: Date | null;
  duration_hours: number;
  capacity: number;
  booked_seats: number;
  price_cents: number;
  operator_email: string;
  rating_sum: string;
  rating_count: number;
  created_at: Date;
  updated_at: Date;
  seasons: Season[];
}

const TOUR_COLUMNS = `
  t.id, t.title, t.destination, t.country, t.description, t.starts_at, t.time_zone, t.status,
  t.cancelled_at, t.duration_hours,
  t.capacity, t.booked_seats, t.price_cents, t.operator_email, t.rating_sum, t.rating_count,
  t.created_at, t.updated_at,
  COALESCE(
    (SELECT json_agg(json_build_object('name', s.name, 'from', s.valid_from, 'until', s.valid_until,
                                       'priceCents', s.price_cents) ORDER BY s.position)
       FROM tour_seasons s WHERE s.tour_id = t.id),
    '[]'::json) AS seasons`;

function toTour(row: TourRow): Tour {
  return {
    id: row.id,
    title: row.title,
    destination: row.destination,
    country: row.country,
    description: row.description,
    startsAt: row.starts_at,
    timeZone: row.time_zone,
    status: row.status,
    cancelledAt: row.cancelled_at,
    durationHours: row.duration_hours,
    capacity: row.capacity,
    bookedSeats: row.booked_seats,
    priceCents: row.price_cents,
    seasons: row.seasons,
    operatorEmail: row.operator_email,
    ratingSum: Number(row.rating_sum),
    ratingCount: row.rating_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface SeatCount {
  capacity: number;
  bookedSeats: number;
}

export type SeatChangeResult =
  | ({ kind: 'changed'; replayed: boolean; destination: string } & SeatCount)
  | { kind: 'reference-reused'; tourId: string; delta: number }
  | { kind: 'not-found' }
  | ({
      kind: 'rejected';
      reason: 'not-enough-seats' | 'release-exceeds-booked' | 'tour-cancelled';
    } & SeatCount);

export type UpdateResult =
  | {
      kind: 'updated';
      tour: Tour;
      previous: Tour;
      /** An outbox message tells booking (start, zone or status changed). */
      bookingsTold: boolean;
    }
  | { kind: 'not-found' }
  | { kind: 'not-owner' }
  | { kind: 'conflict'; detail: string };

export type CancelResult =
  | { kind: 'cancelled'; tour: Tour; already: boolean }
  | { kind: 'not-found' }
  | { kind: 'not-owner' };

export interface RatingSummary {
  ratingSum: number;
  ratingCount: number;
  /** Where the tour goes: which search pages the change shows on. */
  destination: string;
}

/** Either pool, or one connection of it. */
export type Reader = Pool | PoolClient;

/** Where a fresh read was served: a replica that had caught up, or the primary because it had not. */
export type ReadSource = 'replica' | 'primary';

/** Tours in Postgres. Reads use the read-only pool; writes use the primary. */
export class TourRepository {
  constructor(
    private readonly primary: Pool,
    private readonly replica: Pool,
    private readonly onRead: (source: ReadSource) => void = () => undefined,
  ) {}

  /**
   * Runs `read` where the data is at least as new as WAL position `minLsn` (see `walPosition`): on
   * one connection of the read pool when that server is the primary or a standby that has
   * replayed that far, else on the primary. The check and the read share the connection (the read
   * endpoint may balance connections over several replicas), and the read starts after the check,
   * so its snapshot holds everything replayed up to it.
   */
  async readAtLeast<T>(minLsn: number, read: (db: Reader) => Promise<T>): Promise<T> {
    const client = await this.replica.connect();
    let caughtUp: boolean;
    try {
      const { rows } = await client.query<{ standby: boolean; replayed: string | null }>(
        `SELECT pg_is_in_recovery() AS standby,
                pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::text AS replayed`,
      );
      const row = rows[0]!;
      caughtUp = !row.standby || (row.replayed !== null && Number(row.replayed) >= minLsn);
      if (caughtUp) {
        this.onRead('replica');
        return await read(client);
      }
    } finally {
      client.release();
    }
    this.onRead('primary');
    return read(this.primary);
  }

  /**
   * The primary's WAL position, as a number of bytes, taken after a write committed: a standby
   * that replayed this far shows the write (`readAtLeast`).
   */
  async walPosition(): Promise<number> {
    const { rows } = await this.primary.query<{ lsn: string }>(
      "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS lsn",
    );
    return Number(rows[0]!.lsn);
  }

  async search(
    filter: SearchFilter,
    db: Reader = this.replica,
  ): Promise<{ tours: Tour[]; total: number }> {
    const { where, params } = whereClause(filter);
    const limit = params.length + 1;
    // One after the other: on a single connection the queries would queue anyway.
    const rows = await db.query<TourRow>(
      `SELECT ${TOUR_COLUMNS} FROM tours t ${where}
        ORDER BY t.starts_at, t.id LIMIT $${limit} OFFSET $${limit + 1}`,
      [...params, filter.pageSize, pageOffset(filter)],
    );
    const count = await db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM tours t ${where}`,
      params,
    );
    return { tours: rows.rows.map(toTour), total: count.rows[0]?.total ?? 0 };
  }

  async findById(id: string, db: Reader = this.replica): Promise<Tour | null> {
    return findTour(db, id);
  }

  async create(draft: TourDraft): Promise<Tour> {
    return withTransaction(this.primary, (client) => insertTour(client, draft));
  }

  /**
   * Inserts `entries` (each with seats already booked) when the catalog has no tour, all or none.
   * Replicas starting together each call this: the advisory lock makes the second wait for the
   * first to commit, then see its tours and insert nothing. Returns how many tours it inserted.
   */
  async createAllIfEmpty(
    entries: ReadonlyArray<{ draft: TourDraft; booked: number }>,
  ): Promise<number> {
    return withTransaction(this.primary, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tourkit-catalog-fill-if-empty'))");
      const existing = await client.query('SELECT 1 FROM tours LIMIT 1');
      if (existing.rowCount !== 0) return 0;
      for (const { draft, booked } of entries) {
        const tour = await insertTour(client, draft);
        if (booked > 0) {
          const changed = await changeSeatsWith(client, tour.id, booked);
          if (changed.kind !== 'changed')
            throw new Error(`cannot book ${booked} seats of "${draft.title}"`);
        }
      }
      return entries.length;
    });
  }

  /**
   * Applies an operator's patch under a row lock, so concurrent seat changes are checked against the new capacity.
   * With `ownerEmail`, only a tour run by that operator may change.
   */
  async update(id: string, patch: TourPatch, ownerEmail?: string): Promise<UpdateResult> {
    return withTransaction(this.primary, async (client) => {
      const locked = await client.query('SELECT 1 FROM tours WHERE id = $1 FOR UPDATE', [id]);
      if (locked.rowCount === 0) return { kind: 'not-found' };
      const current = (await findTour(client, id))!;
      if (ownerEmail !== undefined && current.operatorEmail !== ownerEmail)
        return { kind: 'not-owner' };
      const patched = applyPatch(current, patch);
      const conflict = patchConflict(patched);
      if (conflict) return { kind: 'conflict', detail: conflict };
      await client.query(
        `UPDATE tours SET title = $2, destination = $3, country = $4, description = $5, starts_at = $6,
                duration_hours = $7, capacity = $8, price_cents = $9, effective_price_cents = $10,
                operator_email = $11, time_zone = $12, updated_at = now()
          WHERE id = $1`,
        [
          id,
          patched.title,
          patched.destination,
          patched.country,
          patched.description,
          patched.startsAt,
          patched.durationHours,
          patched.capacity,
          patched.priceCents,
          appliedPrice(patched).priceCents,
          patched.operatorEmail,
          patched.timeZone,
        ],
      );
      if (patch.seasons) {
        await client.query('DELETE FROM tour_seasons WHERE tour_id = $1', [id]);
        await insertSeasons(client, id, patch.seasons);
      }
      // In this transaction: booking hears of the change if and only if it committed.
      const bookingsTold = changesBookings(current, patched);
      if (bookingsTold) await addTourChanged(client, id);
      return {
        kind: 'updated',
        tour: (await findTour(client, id))!,
        previous: current,
        bookingsTold,
      };
    });
  }

  /**
   * Cancels a tour (its operator's, with `ownerEmail`) and tells booking in the same transaction.
   * Cancelling a cancelled tour changes nothing and tells nobody again.
   */
  async cancel(id: string, ownerEmail?: string): Promise<CancelResult> {
    return withTransaction(this.primary, async (client): Promise<CancelResult> => {
      const locked = await client.query<{ operator_email: string; status: TourStatus }>(
        'SELECT operator_email, status FROM tours WHERE id = $1 FOR UPDATE',
        [id],
      );
      const row = locked.rows[0];
      if (!row) return { kind: 'not-found' };
      if (ownerEmail !== undefined && row.operator_email !== ownerEmail)
        return { kind: 'not-owner' };
      if (row.status === 'CANCELLED')
        return { kind: 'cancelled', tour: (await findTour(client, id))!, already: true };
      await client.query(
        `UPDATE tours SET status = 'CANCELLED', cancelled_at = now(), updated_at = now() WHERE id = $1`,
        [id],
      );
      await addTourChanged(client, id);
      return { kind: 'cancelled', tour: (await findTour(client, id))!, already: false };
    });
  }

  /**
   * Reserves (delta > 0) or releases (delta < 0) seats in one statement: concurrent calls never
   * oversell. With a reference the change is applied once: the reference is recorded in the same
   * transaction, a repeat reports the current counts as a replay, and a refused change records
   * nothing (it may be retried).
   */
  async changeSeats(id: string, delta: number, reference?: string): Promise<SeatChangeResult> {
    if (reference === undefined) return changeSeatsWith(this.primary, id, delta);
    return withTransaction(this.primary, async (client): Promise<SeatChangeResult> => {
      // A concurrent call with the same reference waits here until this one commits.
      const recorded = await client.query(
        `INSERT INTO seat_movements (reference, tour_id, delta)
         SELECT $1, id, $3 FROM tours WHERE id = $2
         ON CONFLICT (reference) DO NOTHING`,
        [reference, id, delta],
      );
      if (recorded.rowCount === 1) {
        const result = await changeSeatsWith(client, id, delta);
        // Refused: roll back the reference so that a later retry can still apply the change.
        if (result.kind !== 'changed') throw new RefusedSeatChange(result);
        return result;
      }
      const previous = await client.query<{ tour_id: string; delta: number }>(
        'SELECT tour_id, delta FROM seat_movements WHERE reference = $1',
        [reference],
      );
      const movement = previous.rows[0];
      if (!movement) return { kind: 'not-found' as const };
      if (movement.tour_id !== id || movement.delta !== delta)
        return { kind: 'reference-reused', tourId: movement.tour_id, delta: movement.delta };
      const current = await client.query<{
        capacity: number;
        booked_seats: number;
        destination: string;
      }>('SELECT capacity, booked_seats, destination FROM tours WHERE id = $1', [id]);
      const seats = current.rows[0]!;
      return {
        kind: 'changed',
        replayed: true,
        capacity: seats.capacity,
        bookedSeats: seats.booked_seats,
        destination: seats.destination,
      };
    }).catch((error: unknown): SeatChangeResult => {
      if (error instanceof RefusedSeatChange) return error.result;
      throw error;
    });
  }

  /** Adds one rating to the running sum and count, atomically. */
  async addRating(id: string, rating: number): Promise<RatingSummary | null> {
    return ratingUpdate(
      this.primary,
      'UPDATE tours SET rating_sum = rating_sum + $2, rating_count = rating_count + 1, updated_at = now() WHERE id = $1',
      [id, rating],
    );
  }

  /** Replaces the rating summary (the review service's own aggregate; idempotent). */
  async setRating(id: string, average: number, count: number): Promise<RatingSummary | null> {
    return ratingUpdate(
      this.primary,
      'UPDATE tours SET rating_sum = $2::numeric * $3, rating_count = $3, updated_at = now() WHERE id = $1',
      [id, average, count],
    );
  }
}

async function insertTour(client: PoolClient, draft: TourDraft): Promise<Tour> {
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO tours (title, destination, country, description, starts_at, duration_hours, capacity,
                          price_cents, effective_price_cents, operator_email, time_zone)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      draft.title,
      draft.destination,
      draft.country,
      draft.description,
      draft.startsAt,
      draft.durationHours,
      draft.capacity,
      draft.priceCents,
      appliedPrice(draft).priceCents,
      draft.operatorEmail,
      draft.timeZone,
    ],
  );
  const id = inserted.rows[0]!.id;
  await insertSeasons(client, id, draft.seasons);
  return (await findTour(client, id))!;
}

async function findTour(db: Reader, id: string): Promise<Tour | null> {
  const result = await db.query<TourRow>(`SELECT ${TOUR_COLUMNS} FROM tours t WHERE t.id = $1`, [
    id,
  ]);
  const row = result.rows[0];
  return row ? toTour(row) : null;
}

async function insertSeasons(
  client: PoolClient,
  tourId: string,
  seasons: readonly Season[],
): Promise<void> {
  if (seasons.length === 0) return;
  await client.query(
    `INSERT INTO tour_seasons (tour_id, position, name, valid_from, valid_until, price_cents)
     SELECT $1, s.position, s.name, s.valid_from, s.valid_until, s.price_cents
       FROM unnest($2::int[], $3::text[], $4::date[], $5::date[], $6::int[])
            AS s(position, name, valid_from, valid_until, price_cents)`,
    [
      tourId,
      seasons.map((_, index) => index),
      seasons.map((s) => s.name),
      seasons.map((s) => s.from),
      seasons.map((s) => s.until),
      seasons.map((s) => s.priceCents),
    ],
  );
}

async function ratingUpdate(
  pool: Pool,
  update: string,
  params: unknown[],
): Promise<RatingSummary | null> {
  const result = await pool.query<{
    rating_sum: string;
    rating_count: number;
    destination: string;
  }>(`${update} RETURNING rating_sum, rating_count, destination`, params);
  const row = result.rows[0];
  return row
    ? {
        ratingSum: Number(row.rating_sum),
        ratingCount: row.rating_count,
        destination: row.destination,
      }
    : null;
}

function whereClause(filter: SearchFilter): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.destination !== undefined)
    conditions.push(`lower(t.destination) = lower(${param(filter.destination)})`);
  if (filter.country !== undefined) conditions.push(`t.country = ${param(filter.country)}`);
  if (filter.available === true)
    conditions.push(
      "t.booked_seats < t.capacity AND t.starts_at > now() AND t.status = 'SCHEDULED'",
    );
  if (filter.available === false) conditions.push('t.booked_seats >= t.capacity');
  if (filter.from !== undefined) conditions.push(`t.starts_at >= ${param(filter.from)}`);
  if (filter.toExclusive !== undefined)
    conditions.push(`t.starts_at < ${param(filter.toExclusive)}`);
  if (filter.minPriceCents !== undefined)
    conditions.push(`t.effective_price_cents >= ${param(filter.minPriceCents)}`);
  if (filter.maxPriceCents !== undefined)
    conditions.push(`t.effective_price_cents <= ${param(filter.maxPriceCents)}`);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** Carries a refused seat change out of its transaction, which rolls back. */
class RefusedSeatChange extends Error {
  constructor(readonly result: SeatChangeResult) {
    super('seat change refused');
  }
}

async function changeSeatsWith(
  db: Pool | PoolClient,
  id: string,
  delta: number,
): Promise<SeatChangeResult> {
  const changed = await db.query<{ capacity: number; booked_seats: number; destination: string }>(
    `UPDATE tours SET booked_seats = booked_seats + $2, updated_at = now()
      WHERE id = $1 AND booked_seats + $2 BETWEEN 0 AND capacity
        AND (status = 'SCHEDULED' OR $2 < 0)
      RETURNING capacity, booked_seats, destination`,
    [id, delta],
  );
  const row = changed.rows[0];
  if (row)
    return {
      kind: 'changed',
      replayed: false,
      capacity: row.capacity,
      bookedSeats: row.booked_seats,
      destination: row.destination,
    };
  const current = await db.query<{ capacity: number; booked_seats: number; status: TourStatus }>(
    'SELECT capacity, booked_seats, status FROM tours WHERE id = $1',
    [id],
  );
  const seats = current.rows[0];
  if (!seats) return { kind: 'not-found' };
  const counts = { capacity: seats.capacity, bookedSeats: seats.booked_seats };
  // A cancelled tour gives seats back but takes no more.
  if (delta > 0 && seats.status === 'CANCELLED')
    return { kind: 'rejected', reason: 'tour-cancelled', ...counts };
  const outcome = changeSeats(counts, delta);
  // The row may have moved between the two statements; the reason describes the state we now see.
  const reason = outcome.ok
    ? delta > 0
      ? 'not-enough-seats'
      : 'release-exceeds-booked'
    : outcome.reason;
  return { kind: 'rejected', reason, ...counts };
}
