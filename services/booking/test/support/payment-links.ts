import request from 'supertest';
import { FAST_FLOW, eventually, startHarness, userA, type Harness } from './harness.js';

// The e-mailed pay-later link: a signed, single-use, expiring capability that opens the
// reservation and pays it without a bearer token (src/domain/payment-link.ts).

/** A harness whose payment worker and outbox run, and the link's moves: reserve, view, pay. */
export async function startPaymentLinkHarness(name: string, now?: () => Date) {
  const h: Harness = await startHarness(name, { ...(now ? { now } : {}), env: FAST_FLOW });
  const asA = await h.auth.authHeader(userA);
  h.background.startWorker();
  h.background.start();
  let key = 0;

  /** A pay-later reservation (circuit forced open) and the link its e-mail carries. */
  async function reserve(tourId: string) {
    h.background.breaker.open();
    const res = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', `paylink-${++key}`)
      .send({ tourId, travellers: 2 });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('RESERVED_PENDING_PAYMENT');
    const id = res.body.id as string;
    const email = await eventually(() =>
      h.notifications.find((n) => n.type === 'payment-link' && n.bookingId === id),
    );
    const url = new URL(String(email.data?.paymentLink));
    expect(`${url.origin}${url.pathname}`).toBe(`http://tourkit.test/pay/${id}`);
    return { id, token: url.searchParams.get('t')!, body: res.body, email };
  }
  const view = (id: string, t?: string) =>
    request(h.app)
      .get(`/v1/payment-links/${id}`)
      .query(t === undefined ? {} : { t });
  const pay = (id: string, body: unknown) =>
    request(h.app)
      .post(`/v1/payment-links/${id}/pay`)
      .send(body as object);
  return { h, asA, reserve, view, pay };
}

export type PaymentLinkHarness = Awaited<ReturnType<typeof startPaymentLinkHarness>>;

/** The fields a problem body names. */
export const fieldsOf = (body: { errors?: Array<{ field: string }> }) =>
  (body.errors ?? []).map((e) => e.field);
