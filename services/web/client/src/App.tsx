import { useEffect, useRef, type ReactNode } from 'react';
import { useAuth, useToken } from './auth';
import { useI18n } from './i18n';
import { BookingPage, PayLinkPage } from './pages/Booking';
import { BookingsPage } from './pages/Bookings';
import { RegisterPage, SignInPage } from './pages/Auth';
import { PaymentLinkPage } from './pages/PaymentLink';
import { SearchPage } from './pages/Search';
import { TourPage } from './pages/Tour';
import { Link, match, navigate, useLocation, type Location } from './router';

function route(location: Location): ReactNode {
  const { path, query } = location;
  let params: Record<string, string> | undefined;
  if (match('/', path)) return <SearchPage location={location} />;
  if ((params = match('/tours/:id', path))) return <TourPage key={params.id} id={params.id!} />;
  if (match('/signin', path)) return <SignInPage next={query.get('next')} />;
  if (match('/register', path)) return <RegisterPage next={query.get('next')} />;
  if (match('/bookings', path))
    return (
      <RequireSignIn path={path}>
        <BookingsPage />
      </RequireSignIn>
    );
  // The e-mailed pay-later link: no sign-in, its token `t` is the authority.
  if ((params = match('/pay/:bookingId', path)))
    return (
      <PaymentLinkPage
        key={params.bookingId}
        bookingId={params.bookingId!}
        token={query.get('t') ?? ''}
      />
    );
  if ((params = match('/bookings/:id/pay', path))) return <PayLinkPage id={params.id!} />;
  if ((params = match('/bookings/:id', path)))
    return (
      <RequireSignIn path={path}>
        <BookingPage key={params.id} id={params.id!} />
      </RequireSignIn>
    );
  return <NotFound />;
}

function RequireSignIn({ path, children }: { path: string; children: ReactNode }) {
  const token = useToken();
  useEffect(() => {
    if (!token) navigate(`/signin?next=${encodeURIComponent(path)}`, { replace: true });
  }, [token, path]);
  return token ? children : null;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t.notFound.title}</h1>
      <p>{t.notFound.body}</p>
      <Link href="/">{t.notFound.home}</Link>
    </>
  );
}

export function App() {
  const { t, language, setLanguage } = useI18n();
  const { session, signOut } = useAuth();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  // A new page moves the focus to its content, as a full page load would for a screen reader.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (location.path.startsWith('/tours/') && window.location.hash) return;
    main.current?.focus();
  }, [location.path]);
  useEffect(() => {
    document.title = `${t.brand}`;
  }, [t]);

  return (
    <>
      <a className="skip" href="#main">
        {t.skipToContent}
      </a>
      <header className="site">
        <Link href="/" className="brand">
          {t.brand}
        </Link>
        <nav aria-label={t.nav.label}>
          <ul>
            <li>
              <Link href="/">{t.nav.tours}</Link>
            </li>
            {session ? (
              <>
                <li>
                  <Link href="/bookings">{t.nav.myBookings}</Link>
                </li>
                <li className="who">{t.nav.signedInAs(session.email)}</li>
                <li>
                  <button
                    type="button"
                    onClick={() => {
                      signOut();
                      navigate('/');
                    }}
                  >
                    {t.nav.signOut}
                  </button>
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link href={`/signin?next=${encodeURIComponent(location.path)}`}>
                    {t.nav.signIn}
                  </Link>
                </li>
                <li>
                  <Link href="/register">{t.nav.register}</Link>
                </li>
              </>
            )}
            <li>
              <button
                type="button"
                lang={language === 'en' ? 'fr' : 'en'}
                aria-label={t.switchLanguageLabel}
                onClick={() => setLanguage(language === 'en' ? 'fr' : 'en')}
              >
                {t.switchLanguage}
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {route(location)}
      </main>
    </>
  );
}
