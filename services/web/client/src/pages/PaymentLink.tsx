import { useEffect, useState } from 'react';
import { ApiError, request, type Tour } from '../api';
import { nextPoll, type BookingStatus } from '../booking-status';
import { BookingFacts } from '../components/BookingFacts';
import { Loading, ProblemAlert } from '../components/feedback';
import { useI18n } from '../i18n';
import { useResource } from '../use-resource';

/** Booking's `GET /v1/payment-links/:bookingId?t=` (its openapi.yaml, PaymentLinkView). */
export interface PaymentLinkView {
  bookingId: string;
  tourId: string;
  tourStartsAt: string;
  travellers: number;
  status: BookingStatus;
  price: { subtotalCents: number; taxCents: number; totalCents: number; currency: string };
  expiresAt: string;
  used: boolean;
}

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
  const path = `/v1/payment-links/${encodeURIComponent(bookingId)}`;
  const link = useResource(
    (signal) =>
      request<PaymentLinkView>('GET', `${path}?t=${encodeURIComponent(token)}`, { signal }),
    [path, token, refresh],
  );
  const tourId = link.data?.tourId;
  const tour = useResource(
    (signal) =>
      tourId ? request<Tour>('GET', `/v1/tours/${tourId}`, { signal }) : Promise.resolve(undefined),
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
      link.set(await request<PaymentLinkView>('POST', `${path}/pay`, { body: { t: token } }));
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
