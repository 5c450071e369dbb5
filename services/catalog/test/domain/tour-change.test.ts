import { describe, expect, it } from '@jest/globals';
import { canonicalTimeZone } from '../../src/domain/time-zone.js';
import { changesBookings, tourChangedBody } from '../../src/domain/tour-change.js';
import { searchScopes, tourDetailScopes, tourWriteScopes } from '../../src/domain/cache-scopes.js';

describe('time zones', () => {
  it('accepts IANA names, in their canonical spelling', () => {
    expect(canonicalTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    // ICU's canonical name for a three-level alias.
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toMatch(/Buenos_Aires$/);
    expect(canonicalTimeZone('UTC')).toBe('UTC');
  });
  it.each([
    'Europe/Atlantis',
    '+01:00',
    'Paris ',
    '',
    '../etc',
    'Europe/Paris\u0000',
    'x'.repeat(65),
  ])('refuses %j', (name) => {
    expect(canonicalTimeZone(name)).toBeNull();
  });
});

describe('tour changes booking must hear of', () => {
  const tour = {
    startsAt: new Date('2027-03-01T07:30:00Z'),
    status: 'SCHEDULED' as const,
    timeZone: 'Europe/Paris',
  };
  it('are a new start, a new zone or a cancellation; nothing else', () => {
    expect(changesBookings(tour, { ...tour })).toBe(false);
    expect(changesBookings(tour, { ...tour, startsAt: new Date('2027-03-01T08:30:00Z') })).toBe(
      true,
    );
    expect(changesBookings(tour, { ...tour, timeZone: 'Europe/Lisbon' })).toBe(true);
    expect(changesBookings(tour, { ...tour, status: 'CANCELLED' })).toBe(true);
  });
  it('are told as the contract body', () => {
    expect(tourChangedBody(tour)).toEqual({
      startsAt: '2027-03-01T07:30:00.000Z',
      status: 'SCHEDULED',
      timeZone: 'Europe/Paris',
    });
  });
});

describe('cache scopes', () => {
  it('a write touches its tour, its destinations (case-insensitively) and the unfiltered searches', () => {
    expect(tourWriteScopes('t1', 'Paris', 'paris')).toEqual([
      'tour:t1',
      'search:all',
      'search:dest:paris',
    ]);
    expect(tourWriteScopes('t1', 'Paris', 'Nice')).toEqual([
      'tour:t1',
      'search:all',
      'search:dest:paris',
      'search:dest:nice',
    ]);
  });
  it('a read depends on what it can show', () => {
    expect(tourDetailScopes('t2')).toEqual(['tour:t2']);
    expect(searchScopes({ destination: 'LYON' })).toEqual(['search:dest:lyon']);
    expect(searchScopes({})).toEqual(['search:all']);
  });
});
