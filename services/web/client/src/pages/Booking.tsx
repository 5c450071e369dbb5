import { useEffect, useState } from 'react';
import { api, bearer, call } from '../api';
import { nextPoll, type BookingStatus } from '../booking-status';
import { useToken } from '../auth';
import { BookingFacts } from '../components/BookingFacts';
import { Loading, ProblemAlert } from '../components/feedback';
import { PaymentDown } from '../components/PaymentDown';
import { useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { usePaymentHealth } from '../status';
import { useResource } from '../use-resource';

/** What the page says when it stops following a status that is still moving (see nextPoll). */
const GAVE_UP = {
  RESERVING_SEATS: 'stillReserving',
  PENDING_PAYMENT: 'stillProcessing',
  PAYMENT_UNKNOWN: 'stillChecking',
} as const;

/**
 * The course's PaymentPage: the booking as it happens. A status still moving (seats being reserved,
 * the charge in booking's queue, a payment outcome being checked) is asked again as nextPoll says,
 * within its bound; then the page says what happens next and offers to check again. Payment
 * unavailable (the booking came back RESERVED_PENDING_PAYMENT, or booking's health says payment is
 * DOWN while it waits) → the three alternatives.
 */
export function BookingPage({ id }: { id: string }) {
  const { t } = useI18n();
  const token = useToken();
  const [refresh, setRefresh] = useState(0);
  const booking = useResource(
    (signal) =>
      call(
        api.GET('/v1/bookings/{id}', { params: { path: { id } }, headers: bearer(token), signal }),
      ),
    [id, token, refresh],
  );
  const paymentHealth = usePaymentHealth(refresh);
  const status = booking.data?.status;
  // How many times the page has asked since the booking entered its current status.
  const [polled, setPolled] = useState<{ status?: BookingStatus; count: number }>({ count: 0 });
  const polls = polled.status === status ? polled.count : 0;
  const poll = status ? nextPoll(status, polls) : undefined;
  const delayMs = poll?.kind === 'wait' ? poll.delayMs : undefined;
  useEffect(() => {
    if (!status || delayMs === undefined) return;
    const timer = setTimeout(() => {
      setPolled({ status, count: polls + 1 });
      setRefresh((n) => n + 1);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [status, polls, delayMs]);
  const checkAgain = () => {
    setPolled({ status, count: 0 });
    setRefresh((n) => n + 1);
  };

  if (!booking.data && booking.loading) return <Loading />;
  if (!booking.data) return <ProblemAlert error={booking.error} onRetry={booking.reload} />;
  const data = booking.data;
  const paymentDown =
    data.status === 'RESERVED_PENDING_PAYMENT' ||
    (data.status === 'PENDING_PAYMENT' && paymentHealth === 'DOWN');

  return (
    <>
      <h1>{t.payment.title}</h1>
      <p className="meta">{t.payment.reference(data.id)}</p>
      <BookingFacts
        tourStartsAt={data.tourStartsAt}
        travellers={data.travellers}
        totalCents={data.price.totalCents}
        status={data.status}
      />
      {paymentDown ? (
        <PaymentDown booking={data} onChanged={() => setRefresh((n) => n + 1)} />
      ) : poll?.kind === 'wait' ? (
        <Loading label={t.statusHelp[data.status]} />
      ) : poll?.kind === 'give-up' && data.status in GAVE_UP ? (
        <div role="status" data-testid="booking-still-moving">
          <p>{t.payment[GAVE_UP[data.status as keyof typeof GAVE_UP]]}</p>
          <button type="button" onClick={checkAgain}>
            {t.payment.checkAgain}
          </button>
        </div>
      ) : (
        <p role="status" className={data.status === 'CONFIRMED' ? 'success' : undefined}>
          {t.statusHelp[data.status]}
        </p>
      )}
      <p>
        <Link href="/bookings">{t.payment.myBookings}</Link>
      </p>
    </>
  );
}

/**
 * The e-mailed pay-later link (`/v1/bookings/<id>/pay`, sent here by the web server): sign in if
 * needed, then pay with booking's `POST /v1/bookings/<id>/pay` and follow the payment.
 */
export function PayLinkPage({ id }: { id: string }) {
  const { t, money, dateTime } = useI18n();
  const token = useToken();
  const booking = useResource(
    (signal) =>
      call(
        api.GET('/v1/bookings/{id}', { params: { path: { id } }, headers: bearer(token), signal }),
      ),
    [id, token],
  );
  const [paying, setPaying] = useState(false);
  const [payError, setPayError] = useState<unknown>();
  useEffect(() => {
    if (!token)
      navigate(`/signin?next=${encodeURIComponent(`/bookings/${id}/pay`)}`, { replace: true });
  }, [token, id]);
  if (!token) return null;

  const pay = async () => {
    setPaying(true);
    setPayError(undefined);
    try {
      await call(
        api.POST('/v1/bookings/{id}/pay', { params: { path: { id } }, headers: bearer(token) }),
      );
      navigate(`/bookings/${id}`);
    } catch (error) {
      setPayError(error);
      setPaying(false);
    }
  };

  if (!booking.data && booking.loading) return <Loading />;
  if (!booking.data) return <ProblemAlert error={booking.error} onRetry={booking.reload} />;
  const data = booking.data;
  return (
    <>
      <h1>{t.payment.payTitle}</h1>
      <p className="meta">{t.payment.reference(data.id)}</p>
      <dl className="facts">
        <dt>{t.bookings.date}</dt>
        <dd>{dateTime(data.tourStartsAt)}</dd>
        <dt>{t.bookings.travellers}</dt>
        <dd>{data.travellers}</dd>
        <dt>{t.bookings.total}</dt>
        <dd>{money(data.price.totalCents)}</dd>
        <dt>{t.bookings.status}</dt>
        <dd>{t.status[data.status]}</dd>
      </dl>
      {data.status === 'RESERVED_PENDING_PAYMENT' ? (
        <>
          {data.expiresAt && <p>{t.payment.expiresAt(dateTime(data.expiresAt))}</p>}
          {payError !== undefined && <ProblemAlert error={payError} />}
          <button type="button" className="primary" onClick={() => void pay()} disabled={paying}>
            {paying ? t.payment.paying : t.payment.payNow}
          </button>
        </>
      ) : (
        <p role="status">
          {data.status === 'CONFIRMED' ? t.payment.alreadyPaid : t.statusHelp[data.status]}{' '}
          <Link href={`/bookings/${data.id}`}>{t.bookings.view}</Link>
        </p>
      )}
    </>
  );
}
