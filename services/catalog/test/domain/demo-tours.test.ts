import { describe, expect, it } from '@jest/globals';
import { overlappingSeasons } from '../../src/domain/tour.js';
import { demoDrafts } from '../../src/domain/demo-tours.js';

describe('demo catalog', () => {
  it('has several Paris departures in the future, one sold out, and seasons', () => {
    const now = new Date('2026-05-01T00:00:00Z');
    const drafts = demoDrafts(now);
    const paris = drafts.filter((d) => d.draft.destination === 'Paris');
    expect(paris.length).toBeGreaterThanOrEqual(3);
    expect(new Set(drafts.map((d) => d.draft.destination)).size).toBeGreaterThanOrEqual(5);
    expect(drafts.every((d) => d.draft.startsAt > now && d.draft.seasons.length > 1)).toBe(true);
    expect(drafts.some((d) => d.booked === d.draft.capacity)).toBe(true);
    expect(drafts.every((d) => overlappingSeasons(d.draft.seasons).length === 0)).toBe(true);
  });
});
