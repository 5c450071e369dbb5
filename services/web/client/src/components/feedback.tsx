import { useEffect, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError, NETWORK_FAILURE } from '../api';
import { useI18n } from '../i18n';

/** The problem's title in the page's language when we know its type, else the platform's own. */
export function useProblemText() {
  const { t } = useI18n();
  return (error: unknown): { title: string; detail: string | undefined } => {
    if (error instanceof ApiError) {
      if (error.status === NETWORK_FAILURE) return { title: t.errors.network, detail: undefined };
      const known = error.slug ? t.problems[error.slug] : undefined;
      return { title: known ?? error.problem.title, detail: error.problem.detail };
    }
    return { title: t.errors.generic, detail: error instanceof Error ? error.message : undefined };
  };
}

/**
 * An error in words, announced to screen readers (role="alert") and focused so a keyboard user
 * lands on it. With field errors, it says they are listed next to their fields.
 */
export function ProblemAlert({
  error,
  onRetry,
  hint,
}: {
  error: unknown;
  onRetry?: () => void;
  /** What this problem means here and what to do next, said after the platform's detail. */
  hint?: string | undefined;
}) {
  const { t } = useI18n();
  const text = useProblemText()(error);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [error]);
  const hasFields = error instanceof ApiError && (error.problem.errors?.length ?? 0) > 0;
  return (
    <div className="alert" role="alert" tabIndex={-1} ref={ref}>
      <p className="alert-title">{text.title}</p>
      {text.detail && <p>{text.detail}</p>}
      {hint && <p>{hint}</p>}
      {hasFields && <p>{t.errors.fieldsBelow}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t.loading}
    </p>
  );
}

/** A labelled input with its hint and its field error (from problem+json `errors`) tied to it. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children?: ReactNode;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children ?? (
        <input
          id={id}
          name={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          {...input}
        />
      )}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Field error of `field` when `error` is a problem that names it. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}
