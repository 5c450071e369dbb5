import type { Cache, Logger, Pool } from '@tourkit/kit';
import type { TourRepository } from '../store/tours.js';

/** Everything a catalog use case may touch, built once by createCatalogApp. */
export interface CatalogContext {
  tours: TourRepository;
  /** The primary, for reads that must not lag (reconciliation's seat movements). */
  primary: Pool;
  cache: Cache;
  ttlSeconds: number;
  logger: Logger;
  /** New outbox messages were committed: deliver them now rather than at the next poll. */
  wakeOutbox: () => void;
}
