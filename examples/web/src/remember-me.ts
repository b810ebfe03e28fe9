/**
 * The "remember me" helper an older screen still uses. Unlike auth.ts next to it, it keeps the
 * tokens in web storage, where any script on the page can read them.
 */
interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export async function rememberMe(email: string, password: string): Promise<void> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(10_000),
  });
  const tokens = (await response.json()) as TokenPair;
  localStorage.setItem('access_token', tokens.accessToken);
  localStorage.setItem('refresh_token', tokens.refreshToken);
  localStorage.setItem('lastEmail', email);
  // The legacy admin iframe reads it from a cookie; a cookie written by script cannot be httpOnly.
  document.cookie = `access_token=${tokens.accessToken}; path=/admin`;
  console.debug('remember me: refresh token', tokens.refreshToken);
}
