import { holdIsOrphaned, seatMovementEffect } from '../../src/domain/seat-movements.js';

const id = '6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d11';
const movement = (reference: string | null, delta: number) => ({
  id: '1',
  tourId: 't',
  delta,
  reference,
  createdAt: '2030-01-01T00:00:00Z',
});

describe('seat movements against live bookings', () => {
  test("a booking's reserve and release are read from their references; other movements are ignored", () => {
    expect(seatMovementEffect(movement(`booking:${id}:reserve`, 3))).toMatchObject({
      kind: 'reserve',
      bookingId: id,
      seats: 3,
    });
    expect(seatMovementEffect(movement(`booking:${id}:release`, -3))).toMatchObject({
      kind: 'release',
      seats: 3,
    });
    expect(seatMovementEffect(movement(null, 2))).toBeNull();
    expect(seatMovementEffect(movement('admin:fix', 2))).toBeNull();
    expect(seatMovementEffect(movement(`booking:${id}:reserve:2`, 2))).toBeNull();
  });

  test('seats are released only when no live booking holds them and no saga step owns them', () => {
    expect(holdIsOrphaned(null)).toBe(true);
    for (const ended of ['REJECTED', 'EXPIRED', 'CANCELLED', 'PAYMENT_FAILED'] as const)
      expect(holdIsOrphaned(ended)).toBe(true);
    for (const live of [
      'PENDING_PAYMENT',
      'PAYMENT_UNKNOWN',
      'RESERVED_PENDING_PAYMENT',
      'CONFIRMED',
      'RESERVING_SEATS',
    ] as const)
      expect(holdIsOrphaned(live)).toBe(false);
  });
});
