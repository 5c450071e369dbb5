import type { Pool } from '@tourkit/kit';
import type {
  NotificationRequest,
  NotificationStatus,
  NotificationType,
} from '../domain/notification.js';

export interface NotificationRow {
  id: string;
  dedupeKey: string;
  type: NotificationType;
  recipient: string | null;
  payload: NotificationRequest;
  status: NotificationStatus;
  attempts: number;
  leaseUntil: Date | null;
  lastError: string | null;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

interface Row {
  id: string;
  dedupe_key: string;
  type: NotificationType;
  recipient: string | null;
  payload: NotificationRequest;
  status: NotificationStatus;
  attempts: number;
  lease_until: Date | null;
  last_error: string | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

function toNotification(row: Row): NotificationRow {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    type: row.type,
    recipient: row.recipient,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** Errors are kept short in the log table: the full error goes to the logs. */
function shortError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}

/** The notifications table: the outbox the API writes and the log the worker keeps. */
export class NotificationStore {
  constructor(private readonly pool: Pool) {}

  /** Inserts a queued row unless the dedupe key exists; returns the row's id either way. */
  async insert(request: NotificationRequest): Promise<{ id: string; created: boolean }> {
    const inserted = await this.pool.query<{ id: string }>(
      `INSERT INTO notifications (dedupe_key, type, recipient, payload)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [request.dedupeKey, request.type, request.email ?? null, JSON.stringify(request)],
    );
    if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
    const existing = await this.pool.query<{ id: string }>(
      'SELECT id FROM notifications WHERE dedupe_key = $1',
      [request.dedupeKey],
    );
    return { id: existing.rows[0]!.id, created: false };
  }

  async get(id: string): Promise<NotificationRow | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM notifications WHERE id = $1', [id]);
    return rows[0] && toNotification(rows[0]);
  }

  async byDedupeKey(dedupeKey: string): Promise<NotificationRow | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM notifications WHERE dedupe_key = $1',
      [dedupeKey],
    );
    return rows[0] && toNotification(rows[0]);
  }

  /**
   * queued → sending, atomically: of all workers holding a job for this row, exactly one gets it.
   * A `sending` row whose lease ran out (its worker died mid-send) can be claimed again.
   * Returns the attempt number, the fencing token for markSent/release; undefined when not ours.
   */
  async claim(
    id: string,
    claim: { leaseMs: number; recipient: string; messageId: string },
  ): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ attempts: number }>(
      `UPDATE notifications
          SET status = 'sending', attempts = attempts + 1,
              lease_until = now() + make_interval(secs => $2::double precision / 1000),
              recipient = $3, message_id = $4, updated_at = now()
        WHERE id = $1
          AND (status = 'queued' OR (status = 'sending' AND lease_until < now()))
        RETURNING attempts`,
      [id, claim.leaseMs, claim.recipient, claim.messageId],
    );
    return rows[0]?.attempts;
  }

  /** sending → sent, only by the claim that is still current. */
  async markSent(id: string, attempt: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE notifications
          SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [id, attempt],
    );
    return rowCount === 1;
  }

  /** sending → queued after a failed send, so the next attempt can claim it at once. */
  async release(id: string, attempt: number, error: unknown): Promise<void> {
    await this.pool.query(
      `UPDATE notifications
          SET status = 'queued', lease_until = NULL, last_error = $3, updated_at = now()
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [id, attempt, shortError(error)],
    );
  }

  /** Any unfinished state → failed (attempts exhausted, or a permanent error). */
  async markFailed(id: string, error: unknown): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE notifications
          SET status = 'failed', lease_until = NULL, last_error = $2, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'sending')`,
      [id, shortError(error)],
    );
    return rowCount === 1;
  }

  /** Rows that still have to be sent and have not moved for `idleMs`: recovery re-enqueues them. */
  async unfinished(
    idleMs: number,
    limit = 1_000,
  ): Promise<Array<{ id: string; leaseUntil: Date | null }>> {
    const { rows } = await this.pool.query<{ id: string; lease_until: Date | null }>(
      `SELECT id, lease_until FROM notifications
        WHERE status IN ('queued', 'sending')
          AND updated_at <= now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY created_at
        LIMIT $2`,
      [idleMs, limit],
    );
    return rows.map((row) => ({ id: row.id, leaseUntil: row.lease_until }));
  }
}
