/**
 * Auth-token names, judged on their words: `accessToken`, `refresh_token`, `id-token`, `jwt`,
 * `bearer`, `session`. Names are split on camelCase, snake_case, kebab-case and dots, so
 * `tokenizer` (one word) and `csrfTokenHeaderName` (a CSRF header's name) are not tokens.
 */

/** Splits `accessToken`, `ACCESS_TOKEN`, `x-auth-token`, `JWTSecret`, `auth.token` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Words that make a name an auth credential on their own. */
const TOKEN_WORDS = new Set(['token', 'tokens', 'jwt', 'jwts', 'bearer', 'accesstoken', 'refreshtoken', 'idtoken', 'authtoken', 'sid']);

/**
 * Qualifiers that make a "token" something else: CSRF and anti-forgery tokens are meant to be
 * readable by script; push, captcha, pagination, cancellation and LLM usage tokens are not
 * credentials; e-mail verification and reset links carry one-time tokens by design.
 */
const NOT_AUTH_QUALIFIERS = new Set([
  'csrf', 'xsrf', 'anti', 'forgery', 'push', 'fcm', 'apns', 'device', 'notification', 'captcha', 'recaptcha', 'hcaptcha',
  'turnstile', 'page', 'pagination', 'next', 'cursor', 'continuation', 'cancel', 'cancellation', 'prompt', 'completion',
  'max', 'min', 'total', 'input', 'output', 'usage', 'num', 'count', 'design', 'theme', 'color', 'lexer', 'parser', 'syntax',
  'invite', 'invitation', 'verification', 'verify', 'reset', 'confirm', 'confirmation', 'magic', 'unsubscribe', 'share',
  'upload', 'download', 'storage', 'sas', 'cache', 'etag', 'nonce', 'state', 'request', 'sync', 'pkce', 'code',
]);

/** A last word that makes the name describe a token rather than hold one: `tokenType`, `tokenExpiresAt`, `jwtSecret`. */
const METADATA_WORDS = new Set([
  'type', 'types', 'kind', 'expiry', 'expires', 'expiration', 'exp', 'at', 'in', 'ttl', 'lifetime', 'age', 'name', 'names',
  'header', 'headers', 'key', 'keys', 'prefix', 'length', 'len', 'count', 'url', 'uri', 'endpoint', 'path', 'field', 'fields', 'status',
  'valid', 'validity', 'expired', 'is', 'has', 'secret', 'secrets', 'config', 'options', 'option', 'strategy', 'guard', 'service', 'module',
  'storage', 'store', 'repository', 'repo', 'entity', 'schema', 'dto', 'payload', 'claims', 'hash', 'hashed', 'digest', 'version', 'id',
  'ids', 'timeout', 'duration', 'issuer', 'audience', 'algorithm', 'alg', 'kid', 'regex', 'pattern', 'param', 'query', 'cookie', 'provider',
  'factory', 'error', 'exception', 'label', 'placeholder', 'changed', 'refreshing', 'loading', 'limit', 'index', 'pos', 'position', 'start',
  'end', 'data', 'info', 'map', 'list', 'set', 'timer', 'interval', 'job', 'queue', 'event', 'events', 'listener', 'handler',
  'callback', 'mode', 'scope', 'scopes', 'tokenizer', 'ref', 'fn', 'util', 'utils', 'helper', 'helpers', 'decoded', 'parsed', 'verified',
  'response', 'result', 'request', 'input', 'args', 'arg', 'enabled', 'disabled', 'required', 'used', 'revoked', 'blacklist',
  'blacklisted', 'whitelist', 'family', 'rotation', 'version', 'count', 'created', 'updated', 'issued', 'date', 'time', 'selector',
]);

/** Qualified tokens that are credentials even when the name ends with a plain "token". */
const CREDENTIAL_QUALIFIERS = new Set(['access', 'refresh', 'id', 'auth', 'bearer', 'session', 'api', 'user', 'jwt', 'oauth', 'login', 'personal']);

export interface TokenNameVerdict {
  isToken: boolean;
  /** `refreshToken`, `refresh_token`, `rt`: a refresh token specifically. */
  isRefresh: boolean;
  /** Qualified as a credential (`accessToken`, `jwt`), not a bare `token` that could be anything. */
  qualified: boolean;
}

const NOT_TOKEN: TokenNameVerdict = { isToken: false, isRefresh: false, qualified: false };

/** Whether `name` names an auth token (or a session id), by its words. */
export function judgeTokenName(name: string): TokenNameVerdict {
  const words = nameWords(name);
  if (words.length === 0) return NOT_TOKEN;
  for (const word of words) if (NOT_AUTH_QUALIFIERS.has(word)) return NOT_TOKEN;
  const last = words[words.length - 1]!;
  // `session` alone, `sessionId`, `sessionToken`, `session_key`, `connect.sid`: a session credential.
  const sessionIndex = words.lastIndexOf('session');
  if (sessionIndex >= 0 && (sessionIndex === words.length - 1 || (sessionIndex === words.length - 2 && /^(id|token|key|cookie)$/.test(last)))) {
    return { isToken: true, isRefresh: false, qualified: true };
  }
  if (METADATA_WORDS.has(last)) return NOT_TOKEN;
  const tokenIndex = words.findIndex((word) => TOKEN_WORDS.has(word));
  if (tokenIndex < 0) return NOT_TOKEN;
  // The token word must be the head of the name (`accessToken`, `tokenValue`? no: `userToken`, `jwt`).
  if (tokenIndex < words.length - 2) return NOT_TOKEN;
  if (tokenIndex === words.length - 2 && !/^(value|string|str|raw|plain|plaintext)$/.test(last)) return NOT_TOKEN;
  const isRefresh = words.includes('refresh') || words.includes('refreshtoken');
  const qualified = words.some((word) => CREDENTIAL_QUALIFIERS.has(word)) || words[tokenIndex] !== 'token' && words[tokenIndex] !== 'tokens';
  return { isToken: true, isRefresh, qualified };
}

export function isAuthTokenName(name: string): boolean {
  return judgeTokenName(name).isToken;
}

export function isRefreshTokenName(name: string): boolean {
  const verdict = judgeTokenName(name);
  return verdict.isToken && verdict.isRefresh;
}
