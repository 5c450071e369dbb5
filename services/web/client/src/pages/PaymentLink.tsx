import { useEffect, useState } from 'react';
import type { Schema } from '@tourkit/api-client';
import { ApiError, api, call } from '../api';
import { nextPoll, type BookingStatus } from '../booking-status';
import { BookingFacts } from '../components/BookingFacts';
import { Loading, ProblemAlert } from '../components/feedback';
import { useI18n } from '../i18n';
import { useResource } from '../use-resource';

/** Booking's `GET /v1/payment-links/{bookingId}?t=`, as the public document declares it. */
export type PaymentLinkView = Schema<'PaymentLinkView'>;

const LINK_PROBLEMS = ['payment-link-invalid', 'payment-link-expired', 'payment-link-used'];

/**
 * The e-mailed pay-later link, `/pay/<bookingId>?t=<token>`: no sign-in, the link's token is the
 * authority. Shows the reservation and a Pay button, then follows the payment to a final state.
 * A link that was used already says so (and still shows what became of the booking).
 */
export function PaymentLinkPage({ bookingId, token }: { bookingId: string; token: string }) {
  const { t, dateTime } = useI18n();
  const [refresh, setRefresh] = useState(0);
  // How often the page has asked since the booking entered its status (booking-status.ts bounds it).
  const [polls, setPolls] = useState<{ status?: BookingStatus; count: number }>({ count: 0 });
  // Paid from this page: the link is now "used", which here means "following the payment".
  const [paidHere, setPaidHere] = useState(false);
  const [paying, setPaying] = useState(false);
  const [payError, setPayError] = useState<unknown>();
  const link = useResource(
    (signal) =>
      call(
        api.GET('/v1/payment-links/{bookingId}', {
          params: { path: { bookingId }, query: { t: token } },
          signal,
        }),
      ),
    [bookingId, token, refresh],
  );
  const tourId = link.data?.tourId;
  const tour = useResource(
    (signal) =>
      tourId
        ? call(api.GET('/v1/tours/{id}', { params: { path: { id: tourId } }, signal }))
        : Promise.resolve(undefined),
    [tourId],
  );
  const status = link.data?.status;
  useEffect(() => {
    if (!paidHere || !status) return;
    const count = polls.status === status ? polls.count : 0;
    const next = nextPoll(status, count);
    if (next.kind !== 'wait') return;
    const timer = setTimeout(() => {
      setPolls({ status, count: count + 1 });
      setRefresh((n) => n + 1);
    }, next.delayMs);
    return () => clearTimeout(timer);
  }, [paidHere, status, link.data]);

  const pay = async () => {
    setPaying(true);
    setPayError(undefined);
    try {
      link.set(
        await call(
          api.POST('/v1/payment-links/{bookingId}/pay', {
            params: { path: { bookingId } },
            body: { t: token },
          }),
        ),
      );
      setPaidHere(true);
    } catch (error) {
      setPayError(error);
    } finally {
      setPaying(false);
    }
  };

  if (!link.data && link.loading) return <Loading />;
  if (!link.data) {
    const slug = link.error instanceof ApiError ? link.error.slug : undefined;
    return (
      <>
        <h1>{t.payLink.title}</h1>
        {slug && LINK_PROBLEMS.includes(slug) ? (
          <p className="alert" role="alert" data-testid="pay-link-refused">
            {t.payLink.refused[slug]}
          </p>
        ) : (
          <ProblemAlert error={link.error} onRetry={link.reload} />
        )}
      </>
    );
  }
  const data = link.data;
  return (
    <>
      <h1>{t.payLink.title}</h1>
      <p className="meta">{t.payment.reference(data.bookingId)}</p>
      <BookingFacts
        tourStartsAt={data.tourStartsAt}
        travellers={data.travellers}
        totalCents={data.price.totalCents}
        status={data.status}
      >
        <dt>{t.payLink.tour}</dt>
        <dd>{tour.data?.title ?? '…'}</dd>
      </BookingFacts>
      {data.used && !paidHere ? (
        <p role="status" data-testid="pay-link-used">
          {t.payLink.used}
        </p>
      ) : data.status === 'RESERVED_PENDING_PAYMENT' && !data.used ? (
        <>
          <p>{t.payment.expiresAt(dateTime(data.expiresAt))}</p>
          {payError !== undefined && <ProblemAlert error={payError} />}
          <button type="button" className="primary" onClick={() => void pay()} disabled={paying}>
            {paying ? t.payment.paying : t.payment.payNow}
          </button>
        </>
      ) : data.status === 'PENDING_PAYMENT' || data.status === 'PAYMENT_UNKNOWN' ? (
        <Loading label={t.statusHelp[data.status]} />
      ) : (
        <p role="status" className={data.status === 'CONFIRMED' ? 'success' : undefined}>
          {t.statusHelp[data.status]}
        </p>
      )}
    </>
  );
}
