import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  HttpProblem,
  conflict,
  notFound,
  parseBody,
  parseParams,
  parseQuery,
  requireIdempotencyKey,
  requireInternalToken,
} from '@tourkit/kit';
import type { SimulatedProvider } from '../clients/simulator.js';
import { simulatorSettingsPatchSchema } from '../domain/simulator-settings.js';
import type { Payment, Refund } from '../store/payments.js';
import { chargePayment } from '../use-cases/charge-payment.js';
import type { PaymentContext } from '../use-cases/context.js';
import { getPayment } from '../use-cases/get-payment.js';
import { listBookingPayments } from '../use-cases/list-booking-payments.js';
import { refundPayment } from '../use-cases/refund-payment.js';
import { chargeSchema, refundSchema, simulatorOperationsQuery, uuid } from './schemas.js';

export interface PaymentRoutesDeps {
  ctx: PaymentContext;
  internalToken: string;
  /** Present when the provider is the simulator: exposes /internal/simulator. */
  simulator?: SimulatedProvider | undefined;
}

export function paymentView(payment: Payment) {
  return {
    id: payment.id,
    bookingId: payment.bookingId,
    userId: payment.userId,
    status: payment.status,
    amountCents: payment.amountCents,
    currency: payment.currency,
    refundedCents: payment.refundedCents,
    providerRef: payment.providerRef,
    idempotencyKey: payment.idempotencyKey,
    attempts: payment.attempts,
    lastError: payment.lastError,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

function refundView(refund: Refund) {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    status: refund.status,
    amountCents: refund.amountCents,
    providerRef: refund.providerRef,
    idempotencyKey: refund.idempotencyKey,
    attempts: refund.attempts,
    lastError: refund.lastError,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
  };
}

const keyReused = () =>
  new HttpProblem(422, 'idempotency-key-reused', 'Idempotency key reused', {
    detail: 'this Idempotency-Key was already used with a different request body',
    errors: [{ field: 'Idempotency-Key', message: 'already used with a different request body' }],
  });

const providerUnavailable = (message: string) =>
  new HttpProblem(503, 'provider-unavailable', 'Payment provider unavailable', {
    detail: `The payment provider did not carry out the operation (${message}); retry with the same Idempotency-Key.`,
  });

function sendReplayable(res: Response, replayed: boolean, body: unknown) {
  if (replayed) res.setHeader('idempotent-replayed', 'true');
  res.status(201).json(body);
}

/**
 * 202: the outcome is unknown (or still in flight in another request). The payment service
 * settles it itself by asking the provider (README, "States"); the caller asks again later with
 * GET (or the same request and key), it must not treat this as a failure.
 */
function sendPending(res: Response, location: string, body: unknown) {
  res.setHeader('location', location);
  res.setHeader('retry-after', '5');
  res.status(202).json(body);
}

export function paymentRoutes(deps: PaymentRoutesDeps): Router {
  const internal = Router();
  internal.use(requireInternalToken(deps.internalToken));

  internal.post('/payments', async (req, res) => {
    const key = requireIdempotencyKey(req);
    const body = parseBody(req, chargeSchema);
    const outcome = await chargePayment(deps.ctx, key, {
      ...body,
      bookingId: body.bookingId.toLowerCase(),
      userId: body.userId.toLowerCase(),
    });
    switch (outcome.kind) {
      case 'key-reused':
        throw keyReused();
      case 'declined':
        if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
        throw new HttpProblem(402, 'payment-declined', 'Payment declined', {
          detail: `The provider declined the charge (${outcome.message}); the decline is final.`,
          extensions: { paymentId: outcome.payment.id },
        });
      case 'unavailable':
        throw providerUnavailable(outcome.message);
      case 'pending':
        sendPending(res, `/internal/payments/${outcome.payment.id}`, paymentView(outcome.payment));
        return;
      case 'succeeded':
        res.setHeader('location', `/internal/payments/${outcome.payment.id}`);
        sendReplayable(res, outcome.replayed, paymentView(outcome.payment));
    }
  });

  internal.get('/payments', async (req, res) => {
    const { bookingId } = parseQuery(req, z.object({ bookingId: uuid }));
    const items = await listBookingPayments(deps.ctx, bookingId.toLowerCase());
    res.json({ items: items.map(paymentView) });
  });

  internal.get('/payments/:id', async (req, res) => {
    const { id } = parseParams(req, z.object({ id: uuid }));
    res.json(paymentView(await getPayment(deps.ctx, id)));
  });

  internal.post('/payments/:id/refunds', async (req, res) => {
    const { id } = parseParams(req, z.object({ id: uuid }));
    const key = requireIdempotencyKey(req);
    const body = parseBody(req, refundSchema);
    const outcome = await refundPayment(deps.ctx, id.toLowerCase(), key, {
      amountCents: body.amountCents,
    });
    switch (outcome.kind) {
      case 'payment-not-found':
        throw notFound(`payment ${id} not found`);
      case 'payment-not-refundable':
        throw conflict(`payment ${id} has not succeeded: there is nothing to refund`);
      case 'exceeds-capture':
        throw new HttpProblem(409, 'refund-exceeds-capture', 'Refund exceeds capture', {
          detail: `${outcome.amountCents} cents asked, at most ${outcome.refundableCents} cents can still be refunded (refunds pending or done count against the capture)`,
          errors: [{ field: 'amountCents', message: `must be at most ${outcome.refundableCents}` }],
          extensions: {
            amountCents: outcome.amountCents,
            refundableCents: outcome.refundableCents,
          },
        });
      case 'key-reused':
        throw keyReused();
      case 'unavailable':
        throw providerUnavailable(outcome.message);
      case 'pending':
        sendPending(res, `/internal/payments/${id}`, refundView(outcome.refund));
        return;
      case 'succeeded':
        sendReplayable(res, outcome.replayed, refundView(outcome.refund));
    }
  });

  const simulator = deps.simulator;
  if (simulator) {
    internal.get('/simulator', async (_req, res) => {
      res.json(await simulator.settings());
    });
    internal.put('/simulator', async (req, res) => {
      const patch = parseBody(req, simulatorSettingsPatchSchema);
      res.json(await simulator.updateSettings(patch));
    });
    // The provider's statement: what it carried out, read without the database (the fault suite).
    internal.get('/simulator/operations', async (req, res) => {
      const { idempotencyKeyPrefix } = parseQuery(req, simulatorOperationsQuery);
      res.json({ items: await simulator.ledger(idempotencyKeyPrefix) });
    });
  }

  const router = Router();
  router.use('/internal', internal);
  return router;
}
