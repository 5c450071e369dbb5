import request from 'supertest';
import { FAST_FLOW, eventually, harnessForFile, postBooking, startBackground } from './harness.js';

// The e-mailed pay-later link: a signed, single-use, expiring capability that opens the
// reservation and pays it without a bearer token (src/domain/payment-link.ts).

/**
 * The calling file's harness (harnessForFile) with its payment worker and outbox running, and the
 * link's moves: reserve, view, pay.
 */
export function paymentLinkHarnessForFile(name: string, now?: () => Date) {
  const file = harnessForFile(name, {
    ...(now ? { now } : {}),
    env: FAST_FLOW,
    setup: startBackground,
  });
  let key = 0;

  /** A pay-later reservation (circuit forced open) and the link its e-mail carries. */
  async function reserve(tourId: string) {
    file.h.background.breaker.open();
    const res = await postBooking(file.h, file.asA, `paylink-${++key}`, { tourId, travellers: 2 });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('RESERVED_PENDING_PAYMENT');
    const id = res.body.id as string;
    const email = await eventually(() =>
      file.h.notifications.find((n) => n.type === 'payment-link' && n.bookingId === id),
    );
    const url = new URL(String(email.data?.paymentLink));
    expect(`${url.origin}${url.pathname}`).toBe(`http://tourkit.test/pay/${id}`);
    return { id, token: url.searchParams.get('t')!, body: res.body, email };
  }
  const view = (id: string, t?: string) =>
    request(file.h.app)
      .get(`/v1/payment-links/${id}`)
      .query(t === undefined ? {} : { t });
  const pay = (id: string, body: unknown) =>
    request(file.h.app)
      .post(`/v1/payment-links/${id}/pay`)
      .send(body as object);
  return Object.assign(file, { reserve, view, pay });
}

/** The fields a problem body names. */
export const fieldsOf = (body: { errors?: Array<{ field: string }> }) =>
  (body.errors ?? []).map((e) => e.field);
