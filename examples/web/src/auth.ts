import { useEffect, useState } from 'react';

export interface Session {
  userId: string;
  displayName: string;
}

/** The browser's view of the session: the access token stays in memory, the refresh token in an httpOnly cookie. */
let accessToken: string | undefined;

export async function login(email: string, password: string): Promise<Session> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error('Login failed');
  const body = (await response.json()) as { accessToken: string; session: Session };
  accessToken = body.accessToken;
  // Fine: says that it happened, not what the token is.
  console.info('signed in as', body.session.displayName);
  localStorage.setItem('theme', 'dark');
  return body.session;
}

export function currentAccessToken(): string {
  return accessToken ?? '';
}

export function authHeader(): Record<string, string> {
  return accessToken ? { authorization: `Bearer ${accessToken}` } : {};
}

export function useSession(): Session | undefined {
  const [session, setSession] = useState<Session>();
  useEffect(() => {
    void fetch('/api/auth/session', { credentials: 'include', headers: authHeader(), signal: AbortSignal.timeout(5000) })
      .then((r) => (r.ok ? (r.json() as Promise<Session>) : undefined))
      .then(setSession);
  }, []);
  return session;
}
