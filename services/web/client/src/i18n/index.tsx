import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { en, type Messages } from './en';
import { fr } from './fr';

// One catalogue per language; the choice is remembered, and <html lang> follows it so screen
// readers pronounce the page in the right language.

export type Language = 'en' | 'fr';
const catalogues: Record<Language, Messages> = { en, fr };
const KEY = 'tourkit.language';

function initial(): Language {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

interface I18n {
  language: Language;
  t: Messages;
  setLanguage(language: Language): void;
  /** Money in integer cents, in the page's language (1 234,50 € / €1,234.50). */
  money(cents: number): string;
  /** A date-time in the traveller's time zone. */
  dateTime(iso: string): string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initial);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = language === 'fr' ? 'fr-FR' : 'en-GB';
    const currency = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      language,
      t: catalogues[language],
      setLanguage,
      money: (cents) => currency.format(cents / 100),
      dateTime: (iso) => dates.format(new Date(iso)),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
