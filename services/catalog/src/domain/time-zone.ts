/** Tours happen in Paris unless their operator says otherwise. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/**
 * The canonical IANA name of `name` ("europe/paris" → "Europe/Paris"), or null when it is not a zone
 * this runtime knows. Offsets ("+01:00") are refused: a zone name is what follows summer time.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name) || name.length > 64)
    return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
