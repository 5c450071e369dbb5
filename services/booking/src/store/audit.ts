import type { BookingStatus } from '../domain/booking.js';
import type { StaffAction } from '../domain/saga.js';
import type { Queryable } from './queryable.js';

export interface AuditEntry {
  bookingId: string;
  actorId: string;
  action: StaffAction;
  reason: string;
  fromStatus: BookingStatus;
  toStatus: BookingStatus;
  createdAt: Date;
}

/** Records a staff action in the transaction that carries it out. */
export async function insertAudit(
  db: Queryable,
  entry: Omit<AuditEntry, 'createdAt'>,
): Promise<AuditEntry> {
  const { rows } = await db.query<{ created_at: Date }>(
    `INSERT INTO booking_audit (booking_id, actor_id, action, reason, from_status, to_status)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`,
    [entry.bookingId, entry.actorId, entry.action, entry.reason, entry.fromStatus, entry.toStatus],
  );
  return { ...entry, createdAt: rows[0]!.created_at };
}

export async function auditOfBooking(db: Queryable, bookingId: string): Promise<AuditEntry[]> {
  const { rows } = await db.query<{
    booking_id: string;
    actor_id: string;
    action: StaffAction;
    reason: string;
    from_status: BookingStatus;
    to_status: BookingStatus;
    created_at: Date;
  }>(`SELECT * FROM booking_audit WHERE booking_id = $1 ORDER BY created_at, id`, [bookingId]);
  return rows.map((row) => ({
    bookingId: row.booking_id,
    actorId: row.actor_id,
    action: row.action,
    reason: row.reason,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    createdAt: row.created_at,
  }));
}
