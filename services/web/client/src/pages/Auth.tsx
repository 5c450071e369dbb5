import { useState, type FormEvent } from 'react';
import { api, call } from '../api';
import { useAuth } from '../auth';
import { Field, ProblemAlert, fieldError } from '../components/feedback';
import { useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { COUNTRIES } from './Tour';

/** Only same-site paths: an e-mailed ?next= must not send the traveller to another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage({ next }: { next: string | null }) {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email, password);
      navigate(safeNext(next), { replace: true });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t.auth.signInTitle}</h1>
      <form onSubmit={submit} className="narrow" noValidate>
        {error !== undefined && <ProblemAlert error={error} />}
        <Field
          id="email"
          type="email"
          autoComplete="email"
          label={t.auth.email}
          value={email}
          error={fieldError(error, 'email')}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          id="password"
          type="password"
          autoComplete="current-password"
          label={t.auth.password}
          value={password}
          error={fieldError(error, 'password')}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {t.auth.submitSignIn}
        </button>
      </form>
      <p>
        {t.auth.noAccount}{' '}
        <Link href={`/register${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
          {t.nav.register}
        </Link>
      </p>
    </>
  );
}

export function RegisterPage({ next }: { next: string | null }) {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const [form, setForm] = useState({ name: '', email: '', password: '', country: 'FR' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await call(api.POST('/v1/users', { body: form }));
      await signIn(form.email, form.password);
      navigate(safeNext(next), { replace: true });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t.auth.registerTitle}</h1>
      <form onSubmit={submit} className="narrow" noValidate>
        {error !== undefined && <ProblemAlert error={error} />}
        <Field
          id="name"
          autoComplete="name"
          label={t.auth.name}
          value={form.name}
          error={fieldError(error, 'name')}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <Field
          id="email"
          type="email"
          autoComplete="email"
          label={t.auth.email}
          value={form.email}
          error={fieldError(error, 'email')}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <Field
          id="password"
          type="password"
          autoComplete="new-password"
          label={t.auth.password}
          hint={t.auth.passwordHint}
          value={form.password}
          error={fieldError(error, 'password')}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <Field id="country" label={t.auth.country} error={fieldError(error, 'country')}>
          <select
            id="country"
            value={form.country}
            onChange={(e) => setForm({ ...form, country: e.target.value })}
          >
            {COUNTRIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {t.auth.submitRegister}
        </button>
      </form>
      <p>
        {t.auth.haveAccount}{' '}
        <Link href={`/signin${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
          {t.nav.signIn}
        </Link>
      </p>
    </>
  );
}
