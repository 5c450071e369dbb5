import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { api, call } from './api';

// The access token lives in sessionStorage: it lasts 15 minutes, a tab is the session, and it is
// gone when the tab closes. Its claims (subject, e-mail, country) are read, not trusted: every
// service verifies the token again.

const KEY = 'tourkit.token';

export interface Session {
  token: string;
  userId: string;
  email: string;
  country: string | undefined;
  expiresAt: number;
}

function decode(token: string): Session | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as {
      sub?: string;
      email?: string;
      country?: string;
      exp?: number;
    };
    if (!claims.sub || !claims.exp) return undefined;
    return {
      token,
      userId: claims.sub,
      email: claims.email ?? '',
      country: claims.country,
      expiresAt: claims.exp * 1000,
    };
  } catch {
    return undefined;
  }
}

function stored(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  const session = token ? decode(token) : undefined;
  return session && session.expiresAt > Date.now() ? session : undefined;
}

interface AuthContextValue {
  session: Session | undefined;
  signIn(email: string, password: string): Promise<void>;
  signOut(): void;
}

const AuthContext = createContext<AuthContextValue | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(stored);
  const signIn = useCallback(async (email: string, password: string) => {
    const { accessToken } = await call(api.POST('/v1/auth/login', { body: { email, password } }));
    sessionStorage.setItem(KEY, accessToken);
    setSession(decode(accessToken));
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    setSession(undefined);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The token when the session is still valid (an expired one is dropped, so pages ask to sign in). */
export function useToken(): string | undefined {
  const { session, signOut } = useAuth();
  if (session && session.expiresAt <= Date.now()) {
    queueMicrotask(signOut);
    return undefined;
  }
  return session?.token;
}
