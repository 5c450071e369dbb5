import { currentTraceCarrier, type PoolClient } from '@tourkit/kit';

/** Catalog's outbox messages, each kind's payload (for the kit's relay). */
export type CatalogOutboxPayloads = {
  /** The tour's start, zone or status changed: booking is told the tour as it is at delivery. */
  'tour-changed': { tourId: string };
};

/** Records, in the caller's transaction, that booking must hear of this tour's change. */
export async function addTourChanged(client: PoolClient, tourId: string): Promise<void> {
  await client.query(
    "INSERT INTO outbox (kind, payload, trace_context) VALUES ('tour-changed', $1, $2)",
    [JSON.stringify({ tourId }), currentTraceCarrier()],
  );
}
