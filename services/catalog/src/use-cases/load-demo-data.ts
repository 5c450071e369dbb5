import type { Pool } from '@tourkit/kit';
import { demoDrafts } from '../domain/demo-tours.js';
import { TourRepository } from '../store/tours.js';

/**
 * Fills an empty catalog with demo tours (Paris and a few other destinations, several seasons,
 * one sold-out departure). A catalog that already has tours is left alone, so it is safe to call
 * on every `make dev` and from every replica at once. Returns how many tours it inserted.
 */
export async function loadDemoData(pool: Pool, now: Date = new Date()): Promise<number> {
  return new TourRepository(pool, pool).createAllIfEmpty(demoDrafts(now));
}
