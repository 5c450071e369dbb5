import type { Cache, Logger } from '@tourkit/kit';
import type {
  RatingSummary,
  SeatChangeResult,
  TourRepository,
  UpdateResult,
} from './db/tour-repository.js';
import { canonicalFilter, toPage, type SearchFilter } from './domain/search.js';
import type { TourDraft, TourPatch } from './domain/tour.js';
import { toTourView, type TourView } from './tour-view.js';

export interface TourCatalogOptions {
  repository: TourRepository;
  cache: Cache;
  ttlSeconds: number;
  logger: Logger;
}

const GENERATION_KEY = 'generation';

/**
 * The catalog's use cases: reads are cached (cache-aside), writes invalidate.
 *
 * Every cache key embeds a generation number that each write increments. A write thus invalidates
 * every search page and detail at once with one INCR, and a read that loaded old rows while a write
 * committed stores them under the old generation, where nobody looks any more.
 */
export class TourCatalog {
  constructor(private readonly options: TourCatalogOptions) {}

  /** The search page as JSON (UTF-8): a cache hit is the stored bytes, sent without parsing them. */
  async searchJson(filter: SearchFilter): Promise<Buffer> {
    const json = await this.cachedJson(`search:${canonicalFilter(filter)}`, async () => {
      const { tours, total } = await this.options.repository.search(filter);
      return toPage(tours.map(toTourView), total, filter);
    });
    if (json === undefined) throw new Error('a search always has a page, if empty');
    return json;
  }

  /** The tour as JSON (UTF-8), or null when there is none (not cached: a 404 should not outlive a create). */
  async detailsJson(id: string): Promise<Buffer | null> {
    const json = await this.cachedJson(`tour:${id}`, async () => {
      const tour = await this.options.repository.findById(id);
      return tour ? toTourView(tour) : undefined;
    });
    return json ?? null;
  }

  /** The tour, or null when there is none. */
  async details(id: string): Promise<TourView | null> {
    const json = await this.detailsJson(id);
    return json === null ? null : (JSON.parse(json.toString()) as TourView);
  }

  async create(draft: TourDraft): Promise<TourView> {
    const tour = await this.options.repository.create(draft);
    await this.invalidate();
    return toTourView(tour);
  }

  async update(id: string, patch: TourPatch, ownerEmail?: string): Promise<UpdateResult> {
    const result = await this.options.repository.update(id, patch, ownerEmail);
    if (result.kind === 'updated') await this.invalidate();
    return result;
  }

  async changeSeats(id: string, delta: number, reference?: string): Promise<SeatChangeResult> {
    const result = await this.options.repository.changeSeats(id, delta, reference);
    if (result.kind === 'changed' && !result.replayed) await this.invalidate();
    return result;
  }

  async addRating(id: string, rating: number): Promise<RatingSummary | null> {
    const result = await this.options.repository.addRating(id, rating);
    if (result) await this.invalidate();
    return result;
  }

  async setRating(id: string, average: number, count: number): Promise<RatingSummary | null> {
    const result = await this.options.repository.setRating(id, average, count);
    if (result) await this.invalidate();
    return result;
  }

  private cachedJson(key: string, loader: () => Promise<unknown>): Promise<Buffer | undefined> {
    return this.options.cache.wrapGenerationalJson(
      GENERATION_KEY,
      key,
      this.options.ttlSeconds,
      loader,
    );
  }

  private async invalidate(): Promise<void> {
    if ((await this.options.cache.incr(GENERATION_KEY)) === undefined) {
      // The write is committed; entries cached before it expire within the TTL.
      this.options.logger.warn(
        'cache invalidation failed; cached reads may be stale until they expire',
      );
    }
  }
}
