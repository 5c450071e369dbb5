import { useState } from 'react';
import { api, bearer, call, type Tour } from '../api';
import { travellerActions } from '../booking-status';
import { useToken } from '../auth';
import { Loading, ProblemAlert } from '../components/feedback';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useResource } from '../use-resource';

export function BookingsPage() {
  const { t, money, dateTime } = useI18n();
  const token = useToken();
  const list = useResource(
    async (signal) => {
      const page = await call(
        api.GET('/v1/bookings', {
          params: { query: { limit: 50 } },
          headers: bearer(token),
          signal,
        }),
      );
      // Titles come from catalog, one request per distinct tour; a tour that fails keeps its id.
      const ids = [...new Set(page.items.map((b) => b.tourId))];
      const tours = await Promise.all(
        ids.map((id) =>
          call(api.GET('/v1/tours/{id}', { params: { path: { id } }, signal })).catch(
            () => undefined,
          ),
        ),
      );
      const titles = new Map(
        tours.filter((x): x is Tour => x !== undefined).map((x) => [x.id, x.title]),
      );
      return page.items.map((booking) => ({
        booking,
        title: titles.get(booking.tourId) ?? booking.tourId,
      }));
    },
    [token],
  );
  const [confirming, setConfirming] = useState<string | undefined>();
  const [actionError, setActionError] = useState<unknown>();
  const [announce, setAnnounce] = useState('');
  const cancel = async (id: string) => {
    setActionError(undefined);
    try {
      await call(
        api.POST('/v1/bookings/{id}/cancel', { params: { path: { id } }, headers: bearer(token) }),
      );
      setConfirming(undefined);
      setAnnounce(t.bookings.cancelled);
      list.reload();
    } catch (error) {
      setActionError(error);
    }
  };

  return (
    <>
      <h1>{t.bookings.title}</h1>
      <p role="status" aria-live="polite" className="announce">
        {announce}
      </p>
      {actionError !== undefined && <ProblemAlert error={actionError} />}
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ProblemAlert error={list.error} onRetry={list.reload} />}
      {list.data && list.data.length === 0 && (
        <p>
          {t.bookings.none} <Link href="/">{t.nav.tours}</Link>
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <table className="bookings">
          <caption className="visually-hidden">{t.bookings.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.bookings.tour}</th>
              <th scope="col">{t.bookings.date}</th>
              <th scope="col">{t.bookings.travellers}</th>
              <th scope="col">{t.bookings.total}</th>
              <th scope="col">{t.bookings.status}</th>
              <th scope="col">{t.bookings.actions}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map(({ booking, title }) => {
              const may = travellerActions(
                booking.status,
                Date.parse(booking.tourStartsAt) <= Date.now(),
              );
              return (
                <tr key={booking.id} data-booking-id={booking.id}>
                  <td>
                    <Link href={`/tours/${booking.tourId}`}>{title}</Link>
                  </td>
                  <td>{dateTime(booking.tourStartsAt)}</td>
                  <td>{booking.travellers}</td>
                  <td>{money(booking.price.totalCents)}</td>
                  <td>
                    <span className={`status status-${booking.status.toLowerCase()}`}>
                      {t.status[booking.status]}
                    </span>
                  </td>
                  <td className="actions">
                    <Link
                      href={`/bookings/${booking.id}`}
                      aria-label={`${t.bookings.view}: ${title}`}
                    >
                      {t.bookings.view}
                    </Link>
                    {may.pay && (
                      <Link
                        href={`/bookings/${booking.id}/pay`}
                        aria-label={`${t.bookings.pay}: ${title}`}
                      >
                        {t.bookings.pay}
                      </Link>
                    )}
                    {may.review && (
                      <Link
                        href={`/tours/${booking.tourId}#write-review`}
                        aria-label={`${t.bookings.review}: ${title}`}
                      >
                        {t.bookings.review}
                      </Link>
                    )}
                    {may.cancel &&
                      (confirming === booking.id ? (
                        <>
                          <button
                            type="button"
                            className="danger"
                            onClick={() => void cancel(booking.id)}
                          >
                            {t.bookings.confirmCancel}
                          </button>
                          <button type="button" onClick={() => setConfirming(undefined)}>
                            {t.bookings.keep}
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          onClick={() => setConfirming(booking.id)}
                          aria-label={`${t.bookings.cancel}: ${title}`}
                        >
                          {t.bookings.cancel}
                        </button>
                      ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
