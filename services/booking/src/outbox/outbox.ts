import type { Queryable } from '../repository/queryable.js';
import type { OutboxMessage } from './messages.js';

/**
 * Records a side effect in the caller's transaction; the same dedupeKey is recorded once. The kit's
 * outbox relay (createOutboxRelay, started by the payment flow) delivers it.
 */
export async function addToOutbox(db: Queryable, message: OutboxMessage): Promise<void> {
  await db.query(
    `INSERT INTO outbox (kind, dedupe_key, payload) VALUES ($1, $2, $3)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [message.kind, message.dedupeKey, JSON.stringify(message.payload)],
  );
}
