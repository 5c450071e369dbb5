import { currentTraceCarrier } from '@tourkit/kit';
import type { Queryable } from './queryable.js';
import type { OutboxMessage } from '../domain/outbox-messages.js';

/**
 * Records a side effect in the caller's transaction; the same dedupeKey is recorded once. The kit's
 * outbox relay (src/background/outbox-relay.ts) delivers it.
 */
export async function addToOutbox(db: Queryable, message: OutboxMessage): Promise<void> {
  await db.query(
    `INSERT INTO outbox (kind, dedupe_key, payload, trace_context) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [message.kind, message.dedupeKey, JSON.stringify(message.payload), currentTraceCarrier()],
  );
}
