import {
  checkPaymentLink,
  paymentLinkUrl,
  signPaymentLink,
  type StoredPaymentLink,
} from '../../src/domain/payment-link.js';

const SECRET = 'a-payment-link-secret-of-32-bytes!!';
const BOOKING = '6f1c2a4e-0d7b-4c1e-9a51-0b7c3f2e8d10';
const OTHER = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
const expiresAt = new Date('2026-12-08T10:00:00.000Z');
const before = new Date('2026-12-08T09:59:59.999Z');
const stored: StoredPaymentLink = { bookingId: BOOKING, expiresAt, nonce: 'n0nce', usedAt: null };
const token = signPaymentLink(SECRET, stored);

describe('payment link tokens', () => {
  test('the token issued for a booking opens it until its expiry', () => {
    expect(checkPaymentLink(SECRET, BOOKING, token, stored, before)).toBe('valid');
    // Case of the id in the URL does not matter (Postgres prints uuids in lower case).
    expect(checkPaymentLink(SECRET, BOOKING.toUpperCase(), token, stored, before)).toBe('valid');
  });

  test('a tampered token is refused', () => {
    const [expiry, mac] = token.split('.') as [string, string];
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    expect(checkPaymentLink(SECRET, BOOKING, `${expiry}.${flipped}`, stored, before)).toBe(
      'invalid',
    );
    // A later expiry written into the token does not extend the link.
    const later = (expiresAt.getTime() + 86_400_000).toString(36);
    expect(checkPaymentLink(SECRET, BOOKING, `${later}.${mac}`, stored, before)).toBe('invalid');
    expect(checkPaymentLink(SECRET, BOOKING, '', stored, before)).toBe('invalid');
    expect(checkPaymentLink(SECRET, BOOKING, `${token}x`, stored, before)).toBe('invalid');
  });

  test('another key, another nonce or another booking make the token invalid', () => {
    expect(checkPaymentLink(`${SECRET}?`, BOOKING, token, stored, before)).toBe('invalid');
    expect(checkPaymentLink(SECRET, BOOKING, token, { ...stored, nonce: 'other' }, before)).toBe(
      'invalid',
    );
    // Booking OTHER's link row with this booking's token, and this token in OTHER's URL.
    const otherStored = { ...stored, bookingId: OTHER };
    expect(checkPaymentLink(SECRET, OTHER, token, otherStored, before)).toBe('invalid');
    expect(checkPaymentLink(SECRET, OTHER, token, stored, before)).toBe('invalid');
    expect(checkPaymentLink(SECRET, BOOKING, token, null, before)).toBe('invalid');
  });

  test('the link expires at the reservation expiry', () => {
    expect(checkPaymentLink(SECRET, BOOKING, token, stored, expiresAt)).toBe('expired');
    expect(checkPaymentLink(SECRET, BOOKING, token, stored, new Date('2027-01-01'))).toBe(
      'expired',
    );
  });

  test('a used link is refused as used, before or after its expiry', () => {
    const used = { ...stored, usedAt: before };
    expect(checkPaymentLink(SECRET, BOOKING, token, used, before)).toBe('used');
    expect(checkPaymentLink(SECRET, BOOKING, token, used, new Date('2027-01-01'))).toBe('used');
    // A forged token learns nothing about the link's state.
    expect(checkPaymentLink(SECRET, BOOKING, 'x.y', used, before)).toBe('invalid');
  });

  test('the URL opens the web page with the token as `t`', () => {
    expect(paymentLinkUrl('https://app.example/', BOOKING, token)).toBe(
      `https://app.example/pay/${BOOKING}?t=${token}`,
    );
  });
});
