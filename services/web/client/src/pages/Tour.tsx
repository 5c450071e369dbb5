import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  ApiError,
  api,
  bearer,
  call,
  newIdempotencyKey,
  type PriceBreakdown,
  type Review,
  type Tour,
} from '../api';
import { useToken } from '../auth';
import { Field, Loading, ProblemAlert, fieldError } from '../components/feedback';
import { useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { usePaymentHealth } from '../status';
import { useResource } from '../use-resource';

export const COUNTRIES = ['FR', 'DE', 'BE', 'CH', 'ES', 'IT', 'NL', 'GB', 'US'];

export function TourPage({ id }: { id: string }) {
  const { t, money, dateTime } = useI18n();
  const tour = useResource(
    (signal) => call(api.GET('/v1/tours/{id}', { params: { path: { id } }, signal })),
    [id],
  );
  if (tour.loading && !tour.data) return <Loading />;
  if (tour.error !== undefined) return <ProblemAlert error={tour.error} onRetry={tour.reload} />;
  const data = tour.data!;
  return (
    <>
      <p>
        <Link href="/">← {t.tour.back}</Link>
      </p>
      <h1>{data.title}</h1>
      <dl className="facts">
        <dt>{t.tour.startsAt}</dt>
        <dd>
          {data.destination} ({data.country}) · {dateTime(data.startsAt)} ·{' '}
          {t.tour.duration(data.durationHours)}
        </dd>
        <dt>{t.quote.unitPrice}</dt>
        <dd>
          {money(data.effectivePriceCents)}{' '}
          {data.appliedSeason && `(${t.tour.season(data.appliedSeason)})`}
        </dd>
        <dt>{t.tour.seats}</dt>
        <dd>{t.tour.seatsLeft(data.availableSeats)}</dd>
        <dt>{t.reviews.title}</dt>
        <dd>
          {data.ratingAverage === null
            ? t.tour.noRating
            : t.tour.rating(data.ratingAverage, data.ratingCount)}
        </dd>
      </dl>
      {data.description && <p>{data.description}</p>}
      <QuoteAndBook tour={data} />
      <Reviews tourId={data.id} />
    </>
  );
}

function QuoteAndBook({ tour }: { tour: Tour }) {
  const { t, money } = useI18n();
  const token = useToken();
  const paymentHealth = usePaymentHealth();
  const [travellers, setTravellers] = useState('2');
  const [promoCode, setPromoCode] = useState('');
  const [country, setCountry] = useState(() => countryFromToken(token) ?? 'FR');
  const [quote, setQuote] = useState<PriceBreakdown | undefined>();
  const [quoteError, setQuoteError] = useState<unknown>();
  const [quoting, setQuoting] = useState(false);
  const [bookError, setBookError] = useState<unknown>();
  const [booking, setBooking] = useState(false);
  // One key per booking intent: a second click (or a retry after a lost answer) with the same
  // inputs replays the first booking instead of making another; changed inputs are a new intent.
  const intent = `${tour.id}|${travellers}|${promoCode.trim()}|${country}`;
  const keyRef = useRef({ intent, key: newIdempotencyKey() });
  if (keyRef.current.intent !== intent) keyRef.current = { intent, key: newIdempotencyKey() };
  const inFlight = useRef(false);

  const body = {
    tourId: tour.id,
    travellers: Number(travellers),
    country,
    ...(promoCode.trim() ? { promoCode: promoCode.trim() } : {}),
  };

  // The live quote: asked again 300 ms after the last change, the older answer dropped.
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    setQuoting(true);
    const timer = setTimeout(() => {
      call(
        api.POST('/v1/bookings/quote', {
          body,
          headers: bearer(token),
          signal: controller.signal,
        }),
      ).then(
        (answer) => {
          setQuote(answer);
          setQuoteError(undefined);
          setQuoting(false);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setQuote(undefined);
          setQuoteError(error);
          setQuoting(false);
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [token, intent]);

  const book = async (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setBooking(true);
    setBookError(undefined);
    try {
      const created = await call(
        api.POST('/v1/bookings', {
          body,
          params: { header: { 'idempotency-key': keyRef.current.key } },
          headers: bearer(token),
        }),
      );
      // 201 (PENDING_PAYMENT, RESERVED_PENDING_PAYMENT) or 202 (RESERVING_SEATS: catalog's answer
      // is not known yet): either way the booking page follows it (BookingPage, nextPoll).
      navigate(`/bookings/${created.id}`);
    } catch (error) {
      setBookError(error);
      setBooking(false);
    } finally {
      inFlight.current = false;
    }
  };

  if (!token) {
    return (
      <section aria-labelledby="quote-heading" className="panel">
        <h2 id="quote-heading">{t.quote.title}</h2>
        <p>
          <Link href={`/signin?next=${encodeURIComponent(`/tours/${tour.id}`)}`}>
            {t.nav.signIn}
          </Link>{' '}
          — {t.quote.signInToQuote}
        </p>
      </section>
    );
  }
  const error = bookError ?? quoteError;
  return (
    <section aria-labelledby="quote-heading" className="panel">
      <h2 id="quote-heading">{t.quote.title}</h2>
      {paymentHealth === 'DOWN' && (
        <p className="notice" role="status">
          {t.quote.paymentDownNotice}
        </p>
      )}
      <form onSubmit={book} className="quote-form" noValidate>
        <Field
          id="travellers"
          type="number"
          min={1}
          max={Math.max(1, tour.availableSeats)}
          label={t.quote.travellers}
          value={travellers}
          error={fieldError(error, 'travellers')}
          onChange={(e) => setTravellers(e.target.value)}
        />
        <Field
          id="promoCode"
          label={t.quote.promoCode}
          value={promoCode}
          autoComplete="off"
          error={fieldError(error, 'promoCode')}
          onChange={(e) => setPromoCode(e.target.value.toUpperCase())}
        />
        <Field id="country" label={t.quote.country} error={fieldError(error, 'country')}>
          <select id="country" value={country} onChange={(e) => setCountry(e.target.value)}>
            {COUNTRIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </Field>
        <div aria-live="polite" aria-busy={quoting} className="quote">
          {quoting && <Loading label={t.quote.calculating} />}
          {error !== undefined && !quoting && (
            <ProblemAlert
              error={error}
              hint={
                error instanceof ApiError && error.slug === 'not-enough-seats'
                  ? t.quote.notEnoughSeats(Number(travellers))
                  : undefined
              }
            />
          )}
          {quote && !quoting && quoteError === undefined && (
            <table>
              <caption>{t.quote.title}</caption>
              <tbody>
                <tr>
                  <th scope="row">{t.quote.unitPrice}</th>
                  <td>{money(quote.unitPriceCents)}</td>
                </tr>
                <tr>
                  <th scope="row">{t.quote.base(Number(travellers))}</th>
                  <td>{money(quote.basePriceCents)}</td>
                </tr>
                <tr>
                  <th scope="row">{t.quote.discount}</th>
                  <td>
                    {quote.discountCents === 0 ? money(0) : `− ${money(quote.discountCents)}`}
                  </td>
                </tr>
                <tr>
                  <th scope="row">{t.quote.subtotal}</th>
                  <td>{money(quote.subtotalCents)}</td>
                </tr>
                <tr>
                  <th scope="row">{t.quote.vat(formatPercent(quote.vatBasisPoints))}</th>
                  <td>{money(quote.taxCents)}</td>
                </tr>
                <tr className="total">
                  <th scope="row">{t.quote.total}</th>
                  <td data-testid="quote-total">{money(quote.totalCents)}</td>
                </tr>
              </tbody>
            </table>
          )}
          {quote && !quoting && quoteError === undefined && quote.rulesApplied.length > 0 && (
            <>
              <h3>{t.quote.rules}</h3>
              <ul className="rules">
                {quote.rulesApplied.map((rule) => (
                  <li key={rule.rule}>
                    <strong>{t.rules[rule.rule] ?? rule.rule}</strong>: {rule.detail} (
                    {rule.amountCents < 0
                      ? `− ${money(-rule.amountCents)}`
                      : `+ ${money(rule.amountCents)}`}
                    )
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        {tour.availableSeats === 0 ? (
          <p>{t.quote.soldOut}</p>
        ) : (
          <button type="submit" className="primary" disabled={booking} aria-disabled={booking}>
            {booking ? t.quote.booking : t.quote.book}
          </button>
        )}
      </form>
    </section>
  );
}

function formatPercent(basisPoints: number): string {
  const percent = basisPoints / 100;
  return Number.isInteger(percent) ? String(percent) : percent.toFixed(2);
}

function countryFromToken(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const claims = JSON.parse(
      atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')),
    ) as {
      country?: string;
    };
    return claims.country && COUNTRIES.includes(claims.country) ? claims.country : undefined;
  } catch {
    return undefined;
  }
}

function Reviews({ tourId }: { tourId: string }) {
  const { t, dateTime } = useI18n();
  const token = useToken();
  const [items, setItems] = useState<Review[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useResource(
    (signal) =>
      call(
        api.GET('/v1/tours/{tourId}/reviews', {
          params: { path: { tourId }, query: { limit: 10 } },
          signal,
        }),
      ).then((page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
        return page;
      }),
    [tourId],
  );
  const [moreError, setMoreError] = useState<unknown>();
  const more = async () => {
    try {
      const page = await call(
        api.GET('/v1/tours/{tourId}/reviews', {
          params: { path: { tourId }, query: { limit: 10, cursor: cursor ?? '' } },
        }),
      );
      setItems((old) => [...old, ...page.items]);
      setCursor(page.nextCursor);
    } catch (error) {
      setMoreError(error);
    }
  };

  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>();
  const [thanks, setThanks] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setSendError(undefined);
    try {
      const review = await call(
        api.POST('/v1/tours/{tourId}/reviews', {
          params: { path: { tourId } },
          body: { rating: Number(rating), ...(comment.trim() ? { comment: comment.trim() } : {}) },
          headers: bearer(token),
        }),
      );
      setItems((old) => [review, ...old]);
      setThanks(true);
    } catch (error) {
      setSendError(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="reviews-heading" id="reviews">
      <h2 id="reviews-heading">{t.reviews.title}</h2>
      {first.loading && <Loading />}
      {first.error !== undefined && <ProblemAlert error={first.error} onRetry={first.reload} />}
      {!first.loading && first.error === undefined && items.length === 0 && <p>{t.reviews.none}</p>}
      <ul className="reviews">
        {items.map((review) => (
          <li key={review.id} className="card">
            <p>
              <strong aria-label={t.reviews.stars(review.rating)}>
                {'★'.repeat(review.rating)}
                {'☆'.repeat(5 - review.rating)}
              </strong>{' '}
              <span className="meta">{dateTime(review.createdAt)}</span>
            </p>
            {review.comment && <p>{review.comment}</p>}
          </li>
        ))}
      </ul>
      {moreError !== undefined && <ProblemAlert error={moreError} />}
      {cursor && (
        <button type="button" onClick={more}>
          {t.reviews.more}
        </button>
      )}

      <h3 id="write-review">{t.reviews.write}</h3>
      {!token ? (
        <p>
          <Link href={`/signin?next=${encodeURIComponent(`/tours/${tourId}#write-review`)}`}>
            {t.nav.signIn}
          </Link>{' '}
          — {t.reviews.signInToReview}
        </p>
      ) : thanks ? (
        <p role="status">{t.reviews.thanks}</p>
      ) : (
        <form onSubmit={submit} className="review-form" noValidate>
          {sendError !== undefined && <ProblemAlert error={sendError} />}
          <fieldset aria-describedby={fieldError(sendError, 'rating') ? 'rating-error' : undefined}>
            <legend>{t.reviews.rating}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="star">
                <input
                  type="radio"
                  name="rating"
                  value={n}
                  checked={rating === String(n)}
                  onChange={() => setRating(String(n))}
                />
                {t.reviews.stars(n)}
              </label>
            ))}
            {fieldError(sendError, 'rating') && (
              <p className="field-error" id="rating-error">
                {fieldError(sendError, 'rating')}
              </p>
            )}
          </fieldset>
          <div className="field">
            <label htmlFor="comment">{t.reviews.comment}</label>
            <textarea
              id="comment"
              rows={4}
              maxLength={2000}
              value={comment}
              aria-invalid={fieldError(sendError, 'comment') ? true : undefined}
              aria-describedby={fieldError(sendError, 'comment') ? 'comment-error' : undefined}
              onChange={(e) => setComment(e.target.value)}
            />
            {fieldError(sendError, 'comment') && (
              <p className="field-error" id="comment-error">
                {fieldError(sendError, 'comment')}
              </p>
            )}
          </div>
          <button type="submit" className="primary" disabled={sending}>
            {t.reviews.submit}
          </button>
        </form>
      )}
    </section>
  );
}
