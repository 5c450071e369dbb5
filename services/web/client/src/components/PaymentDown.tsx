import { useState } from 'react';
import { ApiError, api, bearer, call, request, type Booking } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useWebConfig } from '../status';
import { ProblemAlert } from './feedback';

/**
 * The course's payment-down page (exercise 2c, "Page d'erreur conviviale avec alternatives"): the
 * booking saved with a payment link e-mailed, support contacted, or a retry. Each one does what
 * it says: the booking already exists (RESERVED_PENDING_PAYMENT, the link e-mailed by booking),
 * support gets an alert e-mail, retry asks booking to charge it now.
 */
export function PaymentDown({ booking, onChanged }: { booking: Booking; onChanged(): void }) {
  const { t, dateTime } = useI18n();
  const { session } = useAuth();
  const config = useWebConfig();
  const [saved, setSaved] = useState(false);
  const [supportRef, setSupportRef] = useState<string | undefined>();
  const [supportError, setSupportError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const [retryError, setRetryError] = useState<unknown>();
  const [busy, setBusy] = useState<'support' | 'retry' | undefined>();

  const contactSupport = async () => {
    setBusy('support');
    setSupportError(undefined);
    try {
      const answer = await request<{ reference: string }>('POST', '/web-api/support', {
        token: session?.token,
        body: { bookingId: booking.id, ...(message.trim() ? { message: message.trim() } : {}) },
      });
      setSupportRef(answer.reference);
    } catch (error) {
      setSupportError(error);
    } finally {
      setBusy(undefined);
    }
  };

  const retry = async () => {
    setBusy('retry');
    setRetryError(undefined);
    try {
      if (booking.status === 'RESERVED_PENDING_PAYMENT') {
        await call(
          api.POST('/v1/bookings/{id}/pay', {
            params: { path: { id: booking.id } },
            headers: bearer(session?.token),
          }),
        );
      }
      onChanged();
    } catch (error) {
      setRetryError(
        error instanceof ApiError && error.status === 503
          ? new ApiError({
              ...error.problem,
              type: 'payment-unavailable',
              detail: t.paymentDown.stillDown,
            })
          : error,
      );
    } finally {
      setBusy(undefined);
    }
  };

  const mailto = config
    ? `mailto:${config.supportEmail}?subject=${encodeURIComponent(`Booking ${booking.id}`)}`
    : undefined;

  return (
    <section className="payment-error" aria-labelledby="payment-down-heading">
      <h2 id="payment-down-heading">{t.paymentDown.title}</h2>
      <p>{t.paymentDown.body}</p>
      <h3>{t.paymentDown.options}</h3>
      <ul className="alternatives">
        <li>
          <button type="button" onClick={() => setSaved(true)} aria-describedby="save-help">
            {t.paymentDown.save}
          </button>
          <p id="save-help">{t.paymentDown.saveHelp}</p>
          {saved && (
            <p role="status" className="success">
              {booking.status === 'RESERVED_PENDING_PAYMENT'
                ? t.paymentDown.saved(session?.email ?? '')
                : t.paymentDown.savedPending}{' '}
              {booking.expiresAt && t.payment.expiresAt(dateTime(booking.expiresAt))}{' '}
              <Link href="/bookings">{t.payment.myBookings}</Link>
            </p>
          )}
        </li>
        <li>
          {config?.supportRelay !== false ? (
            <>
              <div className="field">
                <label htmlFor="support-message">{t.paymentDown.supportMessage}</label>
                <textarea
                  id="support-message"
                  rows={2}
                  maxLength={1000}
                  value={message}
                  onChange={(e) => setMessage(e.target.value)}
                />
              </div>
              <button
                type="button"
                onClick={() => void contactSupport()}
                disabled={busy === 'support' || supportRef !== undefined}
                aria-describedby="support-help"
              >
                {t.paymentDown.support}
              </button>
            </>
          ) : (
            <a className="button" href={mailto} aria-describedby="support-help">
              {t.paymentDown.supportMail(config.supportEmail)}
            </a>
          )}
          <p id="support-help">{t.paymentDown.supportHelp}</p>
          {supportRef && (
            <p role="status" className="success">
              {t.paymentDown.supportSent(supportRef)}
            </p>
          )}
          {supportError !== undefined && <ProblemAlert error={supportError} />}
        </li>
        <li>
          <button
            type="button"
            onClick={() => void retry()}
            disabled={busy === 'retry'}
            aria-describedby="retry-help"
          >
            {t.paymentDown.retry}
          </button>
          <p id="retry-help">{t.paymentDown.retryHelp}</p>
          {retryError !== undefined && <ProblemAlert error={retryError} />}
        </li>
      </ul>
    </section>
  );
}
