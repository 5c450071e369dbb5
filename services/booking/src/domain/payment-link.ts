import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Booking } from './booking.js';

/**
 * The pay-later link e-mailed while the payment circuit is open is a capability: whoever holds it
 * may see the reservation's summary and pay it, without logging in. It is
 * `<PUBLIC_URL>/pay/<bookingId>?t=<token>`, the token being `<expiry ms, base 36>.<HMAC-SHA256>`
 * over the booking id, that expiry and a random nonce kept by booking (never sent). Changing any
 * of them breaks the MAC; consuming the nonce (paying) makes the link single-use.
 */
export interface PaymentLinkGrant {
  bookingId: string;
  /** The reservation's expiresAt: the link dies with the reservation. */
  expiresAt: Date;
  nonce: string;
}

/** What booking stores about a link (table payment_links). */
export interface StoredPaymentLink extends PaymentLinkGrant {
  usedAt: Date | null;
}

export type PaymentLinkCheck = 'valid' | 'invalid' | 'used' | 'expired';

/** Below this many bytes an HMAC key is guessable enough to matter (RFC 2104: at least the hash's output). */
export const MIN_SECRET_BYTES = 32;

function mac(secret: string, grant: PaymentLinkGrant, expiresMs: number): Buffer {
  return createHmac('sha256', secret)
    .update(`payment-link:v1:${grant.bookingId.toLowerCase()}:${expiresMs}:${grant.nonce}`)
    .digest();
}

/** The token of the link (the value of `t`). */
export function signPaymentLink(secret: string, grant: PaymentLinkGrant): string {
  const expiresMs = grant.expiresAt.getTime();
  return `${expiresMs.toString(36)}.${mac(secret, grant, expiresMs).toString('base64url')}`;
}

export function paymentLinkUrl(publicUrl: string, bookingId: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/pay/${encodeURIComponent(bookingId)}?t=${encodeURIComponent(token)}`;
}

/**
 * Whether `token` opens the booking's link. `stored` is what booking keeps for `bookingId` (null:
 * no link was ever issued, which looks exactly like a forged token). A forged, tampered or
 * other booking's token is `invalid` before anything else is told; a genuine one is `used` once
 * paid (even after its expiry: the page can still show what became of the booking), else
 * `expired` from its expiry instant on.
 */
export function checkPaymentLink(
  secret: string,
  bookingId: string,
  token: string,
  stored: StoredPaymentLink | null,
  now: Date,
): PaymentLinkCheck {
  if (!stored || stored.bookingId.toLowerCase() !== bookingId.toLowerCase()) return 'invalid';
  const match = /^([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return 'invalid';
  const expiresMs = parseInt(match[1]!, 36);
  // The stored expiry is authoritative: a token naming another instant was not issued by us.
  if (expiresMs !== stored.expiresAt.getTime()) return 'invalid';
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(secret, stored, expiresMs);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  if (stored.usedAt) return 'used';
  if (now.getTime() >= expiresMs) return 'expired';
  return 'valid';
}

/**
 * What the link's page shows: the reservation, nothing else personal (no user, country or promo
 * code: a forwarded e-mail should not tell more than what is being paid for).
 */
export function paymentLinkView(
  booking: Pick<
    Booking,
    | 'id'
    | 'tourId'
    | 'tourStartsAt'
    | 'travellers'
    | 'status'
    | 'subtotalCents'
    | 'taxCents'
    | 'totalCents'
    | 'currency'
  >,
  link: Pick<StoredPaymentLink, 'expiresAt' | 'usedAt'>,
) {
  return {
    bookingId: booking.id,
    tourId: booking.tourId,
    tourStartsAt: booking.tourStartsAt.toISOString(),
    travellers: booking.travellers,
    status: booking.status,
    price: {
      subtotalCents: booking.subtotalCents,
      taxCents: booking.taxCents,
      totalCents: booking.totalCents,
      currency: booking.currency,
    },
    expiresAt: link.expiresAt.toISOString(),
    /** True once the link paid: the page then only follows the booking's status. */
    used: link.usedAt !== null,
  };
}
