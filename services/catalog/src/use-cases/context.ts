import type { Cache, Logger } from '@tourkit/kit';
import type { TourRepository } from '../store/tours.js';

/** Everything a catalog use case may touch, built once by createCatalogApp. */
export interface CatalogContext {
  tours: TourRepository;
  cache: Cache;
  ttlSeconds: number;
  logger: Logger;
}
