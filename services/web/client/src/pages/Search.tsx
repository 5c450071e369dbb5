import { useState, type FormEvent } from 'react';
import { api, call } from '../api';
import { Field, Loading, ProblemAlert, fieldError } from '../components/feedback';
import { useI18n } from '../i18n';
import { Link, navigate, type Location } from '../router';
import { useResource } from '../use-resource';

const FILTERS = [
  'destination',
  'from',
  'to',
  'minPrice',
  'maxPrice',
  'available',
  'minRating',
  'page',
];

/** The search lives in the address (?destination=Paris&…), so a result page can be shared and Back works. */
export function SearchPage({ location }: { location: Location }) {
  const { t, money, dateTime } = useI18n();
  const q = location.query;
  const [form, setForm] = useState(() => ({
    destination: q.get('destination') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    minPrice: q.get('minPrice') ? String(Number(q.get('minPrice')) / 100) : '',
    maxPrice: q.get('maxPrice') ? String(Number(q.get('maxPrice')) / 100) : '',
    available: q.get('available') === 'true',
    minRating: q.get('minRating') ?? '',
  }));
  const apiQuery = new URLSearchParams();
  for (const key of FILTERS) {
    const value = q.get(key);
    if (value && key !== 'minRating') apiQuery.set(key, value);
  }
  apiQuery.set('pageSize', '20');
  const minRating = Number(q.get('minRating') ?? '0');
  const page = useResource(
    (signal) =>
      call(
        api.GET('/v1/tours', {
          // The filters as typed in the page's own URL; catalog validates them (400 naming each).
          params: { query: Object.fromEntries(apiQuery) as { available?: 'true' | 'false' } },
          signal,
        }),
      ),
    [apiQuery.toString()],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (form.destination.trim()) next.set('destination', form.destination.trim());
    if (form.from) next.set('from', form.from);
    if (form.to) next.set('to', form.to);
    // Prices are typed in euros; the API speaks integer cents.
    if (form.minPrice) next.set('minPrice', String(Math.round(Number(form.minPrice) * 100)));
    if (form.maxPrice) next.set('maxPrice', String(Math.round(Number(form.maxPrice) * 100)));
    if (form.available) next.set('available', 'true');
    if (form.minRating) next.set('minRating', form.minRating);
    navigate(`/?${next.toString()}`);
  };
  const goToPage = (n: number) => {
    const next = new URLSearchParams(location.query);
    next.set('page', String(n));
    navigate(`/?${next.toString()}`);
  };

  const items = (page.data?.items ?? []).filter(
    (tour) => minRating === 0 || (tour.ratingAverage ?? 0) >= minRating,
  );

  return (
    <>
      <h1>{t.search.title}</h1>
      <form className="search" onSubmit={submit} role="search" aria-label={t.search.title}>
        <Field
          id="destination"
          label={t.search.destination}
          placeholder={t.search.destinationHint}
          value={form.destination}
          error={fieldError(page.error, 'destination')}
          onChange={(e) => setForm({ ...form, destination: e.target.value })}
        />
        <Field
          id="from"
          type="date"
          label={t.search.from}
          value={form.from}
          error={fieldError(page.error, 'from')}
          onChange={(e) => setForm({ ...form, from: e.target.value })}
        />
        <Field
          id="to"
          type="date"
          label={t.search.to}
          value={form.to}
          error={fieldError(page.error, 'to')}
          onChange={(e) => setForm({ ...form, to: e.target.value })}
        />
        <Field
          id="minPrice"
          type="number"
          min={0}
          step="any"
          label={t.search.minPrice}
          value={form.minPrice}
          error={fieldError(page.error, 'minPrice')}
          onChange={(e) => setForm({ ...form, minPrice: e.target.value })}
        />
        <Field
          id="maxPrice"
          type="number"
          min={0}
          step="any"
          label={t.search.maxPrice}
          value={form.maxPrice}
          error={fieldError(page.error, 'maxPrice')}
          onChange={(e) => setForm({ ...form, maxPrice: e.target.value })}
        />
        <Field id="minRating" label={t.search.minRating}>
          <select
            id="minRating"
            value={form.minRating}
            onChange={(e) => setForm({ ...form, minRating: e.target.value })}
          >
            <option value="">{t.search.anyRating}</option>
            {[3, 4, 4.5].map((n) => (
              <option key={n} value={String(n)}>
                {t.search.ratingAtLeast(n)}
              </option>
            ))}
          </select>
        </Field>
        <div className="field checkbox">
          <input
            id="available"
            type="checkbox"
            checked={form.available}
            onChange={(e) => setForm({ ...form, available: e.target.checked })}
          />
          <label htmlFor="available">{t.search.available}</label>
        </div>
        <button type="submit" className="primary">
          {t.search.submit}
        </button>
      </form>

      <section aria-labelledby="results-heading" aria-busy={page.loading}>
        <h2 id="results-heading">
          {page.data
            ? // With the rating filter (applied here, not by catalog) the count is what is shown.
              t.search.results(minRating > 0 ? items.length : page.data.total)
            : t.search.resultsHeading}
        </h2>
        {page.loading && <Loading />}
        {page.error !== undefined && <ProblemAlert error={page.error} onRetry={page.reload} />}
        {page.data && !page.loading && (
          <>
            {minRating > 0 && <p className="hint">{t.search.ratingFilterNote}</p>}
            {items.length === 0 ? (
              <p>{t.search.none}</p>
            ) : (
              <ul className="tours">
                {items.map((tour) => (
                  <li key={tour.id} className="card">
                    <h3>
                      <Link href={`/tours/${tour.id}`}>{tour.title}</Link>
                    </h3>
                    <p className="meta">
                      {tour.destination} · {dateTime(tour.startsAt)} ·{' '}
                      {t.tour.duration(tour.durationHours)}
                    </p>
                    <p>
                      <strong>{money(tour.effectivePriceCents)}</strong> {t.tour.perPerson} ·{' '}
                      {t.tour.seatsLeft(tour.availableSeats)} ·{' '}
                      {tour.ratingAverage === null
                        ? t.tour.noRating
                        : t.tour.rating(tour.ratingAverage, tour.ratingCount)}
                    </p>
                  </li>
                ))}
              </ul>
            )}
            {page.data.totalPages > 1 && (
              <nav
                className="pager"
                aria-label={t.search.pageOf(page.data.page, page.data.totalPages)}
              >
                <button
                  type="button"
                  disabled={page.data.page <= 1}
                  onClick={() => goToPage(page.data!.page - 1)}
                >
                  {t.search.previous}
                </button>
                <span>{t.search.pageOf(page.data.page, page.data.totalPages)}</span>
                <button
                  type="button"
                  disabled={page.data.page >= page.data.totalPages}
                  onClick={() => goToPage(page.data!.page + 1)}
                >
                  {t.search.next}
                </button>
              </nav>
            )}
          </>
        )}
      </section>
    </>
  );
}
