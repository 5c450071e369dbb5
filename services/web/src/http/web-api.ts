import type { RequestHandler } from 'express';
import { z } from 'zod';
import {
  PROBLEM_CONTENT_TYPE,
  badGateway,
  parseBody,
  unauthorized,
  type Logger,
} from '@tourkit/kit';
import { fetchJson } from '../clients/platform.js';

export const supportRequestSchema = z.strictObject({
  bookingId: z.uuid(),
  message: z.string().trim().max(1000).optional(),
});

export interface SupportRelayOptions {
  gatewayUrl: string;
  notificationUrl: string;
  internalToken: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * "Contact support" from the payment-down page. The platform has no public support endpoint, so
 * this relays to notification's internal `support-alert` (the e-mail the support team already
 * receives for failed payments). The caller proves the booking is theirs the public way: the
 * gateway must give it back for their own token. One alert per booking (dedupe key), however often
 * the traveller presses the button.
 */
export function supportRelay(options: SupportRelayOptions): RequestHandler {
  return async (req, res) => {
    const body = parseBody(req, supportRequestSchema);
    const authorization = req.get('authorization');
    if (!authorization) throw unauthorized();
    const booking = await fetchJson(
      `${options.gatewayUrl}/v1/bookings/${body.bookingId}`,
      { headers: { authorization, accept: 'application/json' } },
      options.timeoutMs,
    );
    if (booking.status !== 200) {
      // The gateway's own problem (401 expired token, 404 not yours) is the answer.
      res.status(booking.status).type(PROBLEM_CONTENT_TYPE).json(booking.body);
      return;
    }
    const owned = booking.body as { id: string; userId: string; tourId: string; status: string };
    const alert = await fetchJson(
      `${options.notificationUrl}/internal/notifications`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-internal-token': options.internalToken },
        body: JSON.stringify({
          type: 'support-alert',
          dedupeKey: `support-request:${owned.id}`,
          bookingId: owned.id,
          tourId: owned.tourId,
          data: {
            reason:
              `The traveller (user ${owned.userId}) asked for help with booking ${owned.id} ` +
              `(${owned.status}) from the payment-unavailable page.` +
              (body.message ? ` Their message: ${body.message}` : ''),
          },
        }),
      },
      options.timeoutMs,
    );
    if (alert.status !== 202) {
      options.logger.warn({ status: alert.status, body: alert.body }, 'support alert refused');
      throw badGateway('Support could not be reached. Please try again in a moment.');
    }
    const outcome = alert.body as { id: string; status: string };
    res.status(202).json({ reference: outcome.id, status: outcome.status });
  };
}

/**
 * The payment dependency as booking's /health reports it: DOWN while booking's circuit to payment
 * is open or payment does not answer. The course's PaymentPage asks this before offering to pay.
 */
export function paymentStatus(options: {
  bookingUrl: string | undefined;
  timeoutMs: number;
}): RequestHandler {
  return async (_req, res) => {
    res.set('cache-control', 'no-store');
    if (!options.bookingUrl) {
      res.json({ payment: 'UNKNOWN' });
      return;
    }
    try {
      const health = await fetchJson(`${options.bookingUrl}/health`, {}, options.timeoutMs);
      const checks = (health.body as { checks?: Record<string, { status?: string }> }).checks;
      const payment = checks?.payment?.status;
      res.json({ payment: payment === 'UP' || payment === 'DOWN' ? payment : 'UNKNOWN' });
    } catch {
      // Booking itself unreachable: booking is impossible anyway, which the booking call will say.
      res.json({ payment: 'UNKNOWN' });
    }
  };
}
